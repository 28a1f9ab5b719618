"""The rules of accounts, kept out of the views: asking for an account (limited, and the answer
never says whether the address has one), the committee's approval (the committee chooses the
role) or rejection, a coordinator's invitation (the same answer whatever exists) and its
acceptance. One rule says whether an address is taken: `accounts_with_address`.

The committee's decisions are written to Wagtail's audit log (members/wagtail_hooks.py
registers the actions), so the admin shows who approved or rejected a request, and when.

E-mails are sent the Django way: EMAIL_BACKEND writes them to the outbox in the same
transaction as the change they report, and delivered off the request's path, so the answer
takes as long whether or not the address has an account (see trainings/outbox_backend.py).
"""

import hashlib
from datetime import timedelta

from cqctp.links import absolute_url, base_url
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.log_actions import log

from .models import (
    Invitation,
    Membership,
    MembershipApplication,
    RequestStatus,
    Role,
    SignUpRequest,
)

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


# The committee's decisions in Wagtail's audit log: {action: label}, registered by
# members/wagtail_hooks.py.
APPROVED = "cqctp.sign_up_approve"
REJECTED = "cqctp.sign_up_reject"
LOG_ACTIONS = {
    APPROVED: _("Approve a sign-up request"),
    REJECTED: _("Reject a sign-up request"),
}


def normalise(email):
    return (email or "").strip().lower()


def accounts_with_address(address):
    """THE e-mail-uniqueness rule: the accounts (active or not) whose e-mail or username is
    `address`, whatever the case. `address` is a string, or an expression such as
    OuterRef("email") to ask the question of every row of a listing in one query."""
    address = Value(normalise(address)) if isinstance(address, str) else Lower(address)
    return (
        get_user_model()
        .objects.alias(_email=Lower("email"), _username=Lower("username"))
        .filter(Q(_email=address) | Q(_username=address))
    )


def email_taken(email):
    """Whether any account uses the address (approve, invitation_usable and accept ask)."""
    return accounts_with_address(email).exists()


def _log(sign_up, action, by, **data):
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    log(sign_up, action, user=user, data=data or None)


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


def sign_up_requests():
    """Every request, flagged for the committee in the same query: `has_account` (an account
    uses the address: approving would be refused) and `duplicate` (another pending request
    has the same address, whatever the case)."""
    same_address_pending = (
        SignUpRequest.objects.filter(status=RequestStatus.PENDING)
        .alias(_address=Lower("email"))
        .filter(_address=Lower(OuterRef("email")))
        .exclude(pk=OuterRef("pk"))
    )
    return SignUpRequest.objects.select_related("organisation").annotate(
        has_account=Exists(accounts_with_address(OuterRef("email"))),
        duplicate=Exists(same_address_pending),
    )


def pending_requests():
    """The requests awaiting a decision, oldest first, with their flags."""
    return sign_up_requests().filter(status=RequestStatus.PENDING).order_by("created", "pk")


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


def approve(pk, role=Role.MEMBER, by=None):
    """Create the account and membership of a pending request with the role the committee
    chose (not the one asked for), all or nothing, with its audit entry, and write the e-mail
    in the same transaction. Returns (sign_up, user, mail_error): a mail backend that fails
    at once (not the outbox) leaves the account created and says why."""
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
        _log(sign_up, APPROVED, by, role=role, account=user.pk)
        try:
            with transaction.atomic():
                send_approval_email(sign_up, user)
        except Exception as error:  # any mail backend failure: the account stays
            mail_error = error
    return sign_up, user, mail_error


def reject(pk, by=None):
    """Reject a pending request (AlreadyDecided otherwise), with its audit entry. The person
    is not told: the answer to a request never says more than the committee chooses to."""
    with transaction.atomic():
        sign_up = SignUpRequest.objects.select_for_update().get(pk=pk)
        if sign_up.status != RequestStatus.PENDING:
            raise AlreadyDecided
        sign_up.status = RequestStatus.REJECTED
        sign_up.decided_at = timezone.now()
        sign_up.save(update_fields=["status", "decided_at"])
        _log(sign_up, REJECTED, by)
    return sign_up


# -- Invitations -------------------------------------------------------------------------------


def invite(organisation, email, inviter):
    """Invite `email` to the organisation. The coordinator's answer is the same whatever
    exists: the invitation is recorded either way, and a person who already has an account
    gets a note pointing to the sign-in page instead of a link that cannot be used (someone
    whose account is deactivated gets nothing). All or nothing: if the e-mail cannot even be
    written, no invitation remains."""
    email = normalise(email)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, invited_by=inviter
        )
        existing = accounts_with_address(email)
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


def sent_invitations(organisation, limit=20):
    """The organisation's latest invitations, for its coordinators' page."""
    return invitations_with_state().filter(organisation=organisation).order_by("-created")[:limit]


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
    EXPIRED = "expired", pgettext_lazy("invitation", "Expired")


def invitations_with_state():
    """Invitations annotated with their `state`, by the rule of Invitation.is_usable: accepted
    once used, expired after Invitation.VALID_DAYS, pending until then."""
    too_old = timezone.now() - timedelta(days=Invitation.VALID_DAYS)
    return Invitation.objects.annotate(
        state=Case(
            When(accepted_at__isnull=False, then=Value(InvitationState.ACCEPTED)),
            When(created__lte=too_old, then=Value(InvitationState.EXPIRED)),
            default=Value(InvitationState.PENDING),
            output_field=models.CharField(),
        )
    )


def invitation_by_token(token):
    """The invitation a link opens, or None."""
    return Invitation.objects.filter(token=token).select_related("organisation").first()


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
    """Create the invited person's account (in the role the invitation gives: `invited_role`).
    None when the invitation could not be used any more (checked again under its row lock)."""
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
            user=user,
            organisation=invitation.organisation,
            role=invited_role(invitation),
            language=language,
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


def invited_role(invitation):
    """A coordinator for the contact of an accepted membership application (the organisation
    needs one to invite its colleagues and receive dues reminders), a member otherwise."""
    if MembershipApplication.objects.filter(invitation=invitation).exists():
        return Role.COORDINATOR
    return Role.MEMBER
