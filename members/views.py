from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .forms import AcceptInvitationForm, InvitationForm, SignUpRequestForm
from .models import Invitation, Membership, Role


def sign_up_request(request):
    """Ask for an account; the committee checks the membership and approves it."""
    form = SignUpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sign_up = form.save(commit=False)
        sign_up.email = sign_up.email.lower()
        sign_up.language = translation.get_language()
        sign_up.save()
        return render(request, "members/sign_up_received.html", {"sign_up": sign_up})
    return render(request, "members/sign_up.html", {"form": form})


def coordinator_membership(user):
    membership = getattr(user, "membership", None)
    if membership is None or membership.role != Role.COORDINATOR:
        raise Http404
    return membership


@login_required
def invite_colleague(request):
    """A coordinator invites a colleague of their organisation."""
    membership = coordinator_membership(request.user)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            form.add_error("email", _("This person already has an account."))
        else:
            invitation = Invitation.objects.create(
                organisation=membership.organisation, email=email, invited_by=request.user
            )
            link = request.build_absolute_uri(
                reverse("members:accept_invitation", args=[invitation.token])
            )
            context = {"invitation": invitation, "link": link, "inviter": request.user}
            try:
                send_mail(
                    render_to_string("members/emails/invitation_subject.txt", context).strip(),
                    render_to_string("members/emails/invitation.txt", context),
                    settings.DEFAULT_FROM_EMAIL,
                    [email],
                )
            except Exception:  # the mail server refused: say so, keep nothing half-done
                invitation.delete()
                messages.error(
                    request, _("The invitation could not be sent. Please try again later.")
                )
            else:
                messages.success(request, _("The invitation has been sent to %s.") % email)
            return redirect("members:invite")
    invitations = Invitation.objects.filter(organisation=membership.organisation).order_by(
        "-created"
    )[:20]
    return render(request, "members/invite.html", {"form": form, "invitations": invitations})


def accept_invitation(request, token):
    invitation = Invitation.objects.filter(token=token).select_related("organisation").first()
    if invitation is None or not invitation.is_usable:
        return render(request, "members/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        User = get_user_model()
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if (
                not invitation.is_usable
                or User.objects.filter(email__iexact=invitation.email).exists()
            ):
                return render(request, "members/invitation_invalid.html", status=404)
            user = User.objects.create_user(
                username=invitation.email,
                email=invitation.email,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
            Membership.objects.create(
                user=user,
                organisation=invitation.organisation,
                role=Role.MEMBER,
                language=translation.get_language(),
            )
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        login(request, user, backend="members.backends.EmailBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("enrolments:my_trainings")
    return render(
        request, "members/accept_invitation.html", {"form": form, "invitation": invitation}
    )
