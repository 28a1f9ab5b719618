from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from . import services
from .forms import AcceptInvitationForm, InvitationForm, SignUpRequestForm
from .models import Invitation, Role


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
    invitations = Invitation.objects.filter(organisation=membership.organisation).order_by(
        "-created"
    )[:20]
    return render(request, "members/invite.html", {"form": form, "invitations": invitations})


def accept_invitation(request, token):
    """Create an account from an invitation; one that cannot be used says so at once."""
    invitation = Invitation.objects.filter(token=token).select_related("organisation").first()
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
