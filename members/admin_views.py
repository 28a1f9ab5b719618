"""The committee's side of sign-ups, in the Wagtail admin: approve or reject account requests.

Approving creates the account (without a password), its membership and tells the person by
e-mail, in the language of the request, with a link to choose their password.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import Membership, RequestStatus, SignUpRequest

PERMISSION = "members.change_signuprequest"


def can_review_sign_ups(user):
    return user.is_active and (user.is_superuser or user.has_perm(PERMISSION))


def require_reviewer(request):
    if not can_review_sign_ups(request.user):
        raise PermissionDenied


class SignUpRequestListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "members/admin/sign_up_requests.html"
    page_title = gettext_lazy("Sign-up requests")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        require_reviewer(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = (
            SignUpRequest.objects.filter(status=RequestStatus.PENDING)
            .select_related("organisation")
            .order_by("created", "pk")
        )
        return context


sign_up_requests = SignUpRequestListView.as_view()


def email_taken(email):
    User = get_user_model()
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


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
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_approval_email(sign_up, user):
    """Tell the person their account exists, in the language of their request. Raises when the
    mail server fails."""
    with translation.override(sign_up.language):
        context = {
            "first_name": sign_up.first_name,
            "organisation": sign_up.organisation.name,
            "email": user.email,
            "password_url": password_link(user),
            "reset_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("members:password_reset"),
            "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
            "site_url": settings.WAGTAILADMIN_BASE_URL,
        }
        subject = render_to_string("members/emails/account_approved_subject.txt", context)
        body = render_to_string("members/emails/account_approved.txt", context)
    send_mail(" ".join(subject.split()), body.strip() + "\n", None, [user.email])


class AlreadyDecided(Exception):
    pass


class EmailTaken(Exception):
    pass


def create_account(pk):
    """Create the account and membership of a pending request, all or nothing."""
    with transaction.atomic():
        sign_up = (
            SignUpRequest.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=pk)
        )
        if sign_up.status != RequestStatus.PENDING:
            raise AlreadyDecided
        email = sign_up.email.strip().lower()
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
            user=user,
            organisation=sign_up.organisation,
            role=sign_up.role,
            language=sign_up.language,
        )
        sign_up.status = RequestStatus.APPROVED
        sign_up.decided_at = timezone.now()
        sign_up.save(update_fields=["status", "decided_at"])
    return sign_up, user


@require_POST
def approve(request, pk):
    require_reviewer(request)
    request_email = get_object_or_404(SignUpRequest, pk=pk).email.strip().lower()
    try:
        sign_up, user = create_account(pk)
    except AlreadyDecided:
        messages.error(request, _("This request has already been decided."))
        return redirect("members_admin:sign_up_requests")
    except (EmailTaken, IntegrityError):  # IntegrityError: the same address approved at once
        messages.error(
            request,
            _("An account with the e-mail %(email)s already exists: nothing was changed.")
            % {"email": request_email},
        )
        return redirect("members_admin:sign_up_requests")
    email = user.email

    try:
        send_approval_email(sign_up, user)
    except Exception as error:  # the mail server failed: the account stays, say so loudly
        messages.error(
            request,
            _(
                "The account of %(email)s was created, but the e-mail could not be sent "
                "(%(error)s). Ask the person to use “Forgotten password” on the sign-in page."
            )
            % {"email": email, "error": error},
        )
    else:
        messages.success(
            request,
            _("Account created for %(email)s; an e-mail invites them to choose a password.")
            % {"email": email},
        )
    return redirect("members_admin:sign_up_requests")


@require_POST
def reject(request, pk):
    require_reviewer(request)
    with transaction.atomic():
        sign_up = get_object_or_404(SignUpRequest.objects.select_for_update(), pk=pk)
        if sign_up.status != RequestStatus.PENDING:
            messages.error(request, _("This request has already been decided."))
            return redirect("members_admin:sign_up_requests")
        sign_up.status = RequestStatus.REJECTED
        sign_up.decided_at = timezone.now()
        sign_up.save(update_fields=["status", "decided_at"])
    messages.success(
        request, _("The request of %(email)s was rejected.") % {"email": sign_up.email}
    )
    return redirect("members_admin:sign_up_requests")
