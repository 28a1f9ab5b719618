"""The rules of accounts, kept out of the views: asking for an account (limited, and the answer
never says whether the address has one), the committee's approval (the committee chooses the
role), a coordinator's invitation (the same answer whatever exists) and its acceptance.

E-mails are sent the Django way: EMAIL_BACKEND writes them to the outbox in the same
transaction as the change they report, and delivered off the request's path, so the answer
takes as long whether or not the address has an account (see trainings/outbox_backend.py).
"""

import hashlib
from collections import Counter

from cqctp.links import absolute_url, base_url
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Invitation, Membership, RequestStatus, Role, SignUpRequest

# Sign-up requests accepted per hour, for one address and from one client address.
SIGN_UP_LIMIT_PER_ADDRESS = 3
SIGN_UP_LIMIT_PER_CLIENT = 10
SIGN_UP_WINDOW = 60 * 60  # seconds


class TooManyRequests(Exception):
    pass


class AlreadyDecided(Exception):
    pass


class EmailTaken(Exception):
    pass


def normalise(email):
    return (email or "").strip().lower()


def email_taken(email):
    """Whether any account (active or not) uses the address, as e-mail or username."""
    User = get_user_model()
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


# -- Asking for an account ---------------------------------------------------------------------


def within_limit(key, limit):
    """Count one more request under `key` for the window (which starts at the first one);
    False once over `limit`. Shared by all processes when the cache is (Redis in production)."""
    if cache.add(key, 1, SIGN_UP_WINDOW):
        return 1 <= limit
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, SIGN_UP_WINDOW)
        return True


def request_account(form, language, client_address):
    """Store a valid SignUpRequestForm, unless the address or the client asked too often
    (TooManyRequests, nothing stored). Whether the address has an account changes nothing
    here: the committee sees it in its listing."""
    email = normalise(form.cleaned_data["email"])
    digest = hashlib.sha256(email.encode()).hexdigest()
    address_ok = within_limit(f"sign-up:address:{digest}", SIGN_UP_LIMIT_PER_ADDRESS)
    client_ok = within_limit(f"sign-up:client:{client_address or '-'}", SIGN_UP_LIMIT_PER_CLIENT)
    if not (address_ok and client_ok):
        raise TooManyRequests
    sign_up = form.save(commit=False)
    sign_up.email = email
    sign_up.language = language
    sign_up.save()
    return sign_up


def pending_requests():
    """Pending requests, oldest first, each flagged for the committee: `duplicate` (another
    pending request has the same address, in any case) and `has_account`."""
    pending = list(
        SignUpRequest.objects.filter(status=RequestStatus.PENDING)
        .select_related("organisation")
        .order_by("created", "pk")
    )
    addresses = Counter(normalise(sign_up.email) for sign_up in pending)
    User = get_user_model()
    taken = set(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=list(addresses))
        .values_list("address", flat=True)
    ) | set(
        User.objects.annotate(name=Lower("username"))
        .filter(name__in=list(addresses))
        .values_list("name", flat=True)
    )
    for sign_up in pending:
        address = normalise(sign_up.email)
        sign_up.duplicate = addresses[address] > 1
        sign_up.has_account = address in taken
    return pending


# -- The committee's approval ------------------------------------------------------------------


def password_link(user):
    """The absolute link to choose a password, in the active language (call it inside
    translation.override: the French and English addresses differ)."""
    path = reverse(
        "members:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path)


def send_approval_email(sign_up, user):
    """Tell the person their account exists, in the language of their request."""
    with translation.override(sign_up.language):
        context = {
            "first_name": sign_up.first_name,
            "organisation": sign_up.organisation.name,
            "email": user.email,
            "password_url": password_link(user),
            "reset_url": absolute_url(reverse("members:password_reset")),
            "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
            "site_url": base_url(),
        }
        subject = render_to_string("members/emails/account_approved_subject.txt", context)
        body = render_to_string("members/emails/account_approved.txt", context)
    send_mail(" ".join(subject.split()), body.strip() + "\n", None, [user.email])


def approve(pk, role=Role.MEMBER):
    """Create the account and membership of a pending request with the role the committee
    chose (not the one asked for), all or nothing, and write the e-mail in the same
    transaction. Returns (sign_up, user, mail_error): a mail backend that fails at once (not
    the outbox) leaves the account created and says why."""
    if role not in Role.values:
        raise ValueError(role)
    mail_error = None
    with transaction.atomic():
        sign_up = (
            SignUpRequest.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=pk)
        )
        if sign_up.status != RequestStatus.PENDING:
            raise AlreadyDecided
        email = normalise(sign_up.email)
        if email_taken(email):
            raise EmailTaken(email)
        user = get_user_model()(
            username=email,
            email=email,
            first_name=sign_up.first_name,
            last_name=sign_up.last_name,
        )
        user.set_unusable_password()
        user.save()
        Membership.objects.create(
            user=user, organisation=sign_up.organisation, role=role, language=sign_up.language
        )
        sign_up.status = RequestStatus.APPROVED
        sign_up.decided_at = timezone.now()
        sign_up.save(update_fields=["status", "decided_at"])
        try:
            with transaction.atomic():
                send_approval_email(sign_up, user)
        except Exception as error:  # any mail backend failure: the account stays
            mail_error = error
    return sign_up, user, mail_error


# -- Invitations -------------------------------------------------------------------------------


def invite(organisation, email, inviter):
    """Invite `email` to the organisation. The coordinator's answer is the same whatever
    exists: the invitation is recorded either way, and a person who already has an account
    gets a note pointing to the sign-in page instead of a link that cannot be used (someone
    whose account is deactivated gets nothing). All or nothing: if the e-mail cannot even be
    written, no invitation remains."""
    email = normalise(email)
    User = get_user_model()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, invited_by=inviter
        )
        existing = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        context = {"invitation": invitation, "inviter": inviter}
        if not existing.exists():
            context["link"] = absolute_url(
                reverse("members:accept_invitation", args=[invitation.token])
            )
            template = "members/emails/invitation"
        elif existing.filter(is_active=True).exists():
            context["sign_in_url"] = absolute_url(reverse("members:login"))
            context["reset_url"] = absolute_url(reverse("members:password_reset"))
            template = "members/emails/invitation_existing_account"
        else:
            return invitation
        send_mail(
            " ".join(render_to_string(f"{template}_subject.txt", context).split()),
            render_to_string(f"{template}.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
    return invitation


def invitation_usable(invitation):
    """An invitation opens its form only if it can still create an account: unused, recent,
    for an active organisation, and for an address no account has taken meanwhile."""
    return (
        invitation is not None
        and invitation.is_usable
        and invitation.organisation.active
        and not email_taken(invitation.email)
    )


def accept(invitation, first_name, last_name, password, language):
    """Create the invited person's account (member of the organisation). None when the
    invitation could not be used any more (checked again under its row lock)."""
    User = get_user_model()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=invitation.pk)
        )
        if not invitation_usable(invitation):
            return None
        user = User.objects.create_user(
            username=invitation.email,
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
        Membership.objects.create(
            user=user, organisation=invitation.organisation, role=Role.MEMBER, language=language
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user
