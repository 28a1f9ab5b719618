"""The committee's side of sign-ups, in the Wagtail admin: approve or reject account requests.

Approving creates the account (without a password) and its membership with the role the
committee chooses, and tells the person by e-mail, in the language of the request, with a link
to choose their password (members/services.py). The listing flags duplicate requests and
addresses that already have an account.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .models import RequestStatus, Role, SignUpRequest

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
        context["pending"] = services.pending_requests()
        context["roles"] = Role.choices
        context["default_role"] = Role.MEMBER
        return context


sign_up_requests = SignUpRequestListView.as_view()


@require_POST
def approve(request, pk):
    require_reviewer(request)
    request_email = get_object_or_404(SignUpRequest, pk=pk).email.strip().lower()
    role = request.POST.get("role") or Role.MEMBER
    if role not in Role.values:
        messages.error(request, _("Choose the role of the new account: nothing was changed."))
        return redirect("members_admin:sign_up_requests")
    try:
        sign_up, user, mail_error = services.approve(pk, role)
    except services.AlreadyDecided:
        messages.error(request, _("This request has already been decided."))
        return redirect("members_admin:sign_up_requests")
    except (services.EmailTaken, IntegrityError):  # IntegrityError: the same address at once
        messages.error(
            request,
            _("An account with the e-mail %(email)s already exists: nothing was changed.")
            % {"email": request_email},
        )
        return redirect("members_admin:sign_up_requests")
    if mail_error is not None:
        messages.error(
            request,
            _(
                "The account of %(email)s was created, but the e-mail could not be sent "
                "(%(error)s). Ask the person to use “Forgotten password” on the sign-in page."
            )
            % {"email": user.email, "error": mail_error},
        )
    else:
        messages.success(
            request,
            _("Account created for %(email)s; an e-mail invites them to choose a password.")
            % {"email": user.email},
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
