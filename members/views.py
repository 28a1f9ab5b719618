from urllib.parse import urlsplit

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import (
    AcceptInvitationForm,
    EmailAuthenticationForm,
    InvitationForm,
    LanguagePreferenceForm,
    SignUpRequestForm,
)
from .i18n import in_language
from .models import Role


class SignInView(auth_views.LoginView):
    """Sign-in by e-mail. The return address may have been written in the other language (the
    visitor switched language on this page): it is followed in the language of this page."""

    template_name = "members/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        address = super().get_redirect_url()  # "" unless on this site (no open redirect)
        if not address:
            return ""
        address = in_language(self.request, address, translation.get_language())
        # A return address that is this very page (in either language) would loop: go home.
        return "" if urlsplit(address).path == self.request.path else address


class SignOutView(auth_views.LogoutView):
    """Signing out leads to the home page in the language the person was using."""

    def get_redirect_url(self):
        # A return address that is the sign-out page itself would make Django render the admin's
        # "logged out" template: go home instead.
        address = super().get_redirect_url()
        return "" if address and urlsplit(address).path == self.request.path else address

    def get_default_redirect_url(self):
        return reverse("wagtail_serve", args=[""])  # "/" or "/en/": i18n_patterns' prefix


@require_http_methods(["GET", "POST"])
@login_required
def email_language(request):
    """A member chooses the language of their e-mails and private calendar (set at sign-up or
    invitation until then). Staff accounts without a membership have nothing to choose."""
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise Http404
    form = LanguagePreferenceForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        membership.save(update_fields=["language"])
        messages.success(
            request,
            _("Language of your e-mails and calendar: %(language)s.")
            % {"language": membership.get_language_display()},
        )
        return redirect("members:language")
    return render(request, "members/language.html", {"form": form})


def sign_up_request(request):
    """Ask for an account; the committee checks the membership and approves it. The thank-you
    page is a redirect (a reload sends nothing again) and says the same whatever exists."""
    form = SignUpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_account(
                form, translation.get_language(), get_client_ip_address(request)
            )
        except services.TooManyRequests:
            form.add_error(
                None,
                _(
                    "Too many requests have been sent for this address or from this "
                    "connection. Please try again in an hour."
                ),
            )
            return render(request, "members/sign_up.html", {"form": form}, status=429)
        return redirect("members:sign_up_received")
    return render(request, "members/sign_up.html", {"form": form})


def sign_up_received(request):
    return render(request, "members/sign_up_received.html")


def coordinator_membership(user):
    membership = getattr(user, "membership", None)
    if membership is None or membership.role != Role.COORDINATOR:
        raise Http404
    return membership


@login_required
def invite_colleague(request):
    """A coordinator invites a colleague of their organisation. The answer is the same whether
    or not the address already has an account (services.invite)."""
    membership = coordinator_membership(request.user)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = services.normalise(form.cleaned_data["email"])
        try:
            services.invite(membership.organisation, email, request.user)
        except Exception:  # a mail backend that fails at once (not the outbox): nothing kept
            messages.error(request, _("The invitation could not be sent. Please try again later."))
        else:
            messages.success(request, _("The invitation has been sent to %s.") % email)
        return redirect("members:invite")
    invitations = services.sent_invitations(membership.organisation)
    return render(request, "members/invite.html", {"form": form, "invitations": invitations})


def accept_invitation(request, token):
    """Create an account from an invitation; one that cannot be used says so at once."""
    invitation = services.invitation_by_token(token)
    if not services.invitation_usable(invitation):
        return render(request, "members/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.accept(
            invitation,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
            language=translation.get_language(),
        )
        if user is None:
            return render(request, "members/invitation_invalid.html", status=404)
        login(request, user, backend="members.backends.EmailBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("enrolments:my_trainings")
    return render(
        request, "members/accept_invitation.html", {"form": form, "invitation": invitation}
    )
