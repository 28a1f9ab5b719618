"""Law 25: members download their personal data and close their account."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Site

from members.models import Membership

from . import services
from .models import Enrolment
from .privacy import SECTIONS, close_account, export_personal_data

EXPORT_FILENAME = "mes-donnees-cqctp.json"


@login_required
@require_GET
def export_my_data(request):
    """Everything the site holds about the person, as a JSON file to download."""
    data = export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    response["Cache-Control"] = "no-store"
    return response


class CloseAccountForm(forms.Form):
    understood = forms.BooleanField(
        label=_(
            "I understand that my account will be closed for good and that it cannot be restored."
        ),
        error_messages={
            "required": _("To close your account, tick the box to confirm that you understand.")
        },
    )


def home_url(request):
    """The home page in the active language (the French one when there is no translation)."""
    site = Site.find_for_request(request)
    if site is None:
        return "/"
    return site.root_page.localized.get_url(request) or "/"


@login_required
@require_http_methods(["GET", "POST"])
def close_my_account(request):
    """GET explains what closing the account deletes and keeps; POST (box ticked) does it."""
    form = CloseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        close_account(request.user)
        logout(request)
        messages.success(
            request,
            _(
                "Your account is closed and your personal information has been deleted. "
                "Thank you for taking part in the Coalition's trainings."
            ),
        )
        return redirect(home_url(request))
    membership = Membership.objects.filter(user=request.user).select_related("organisation")
    membership = membership.first()
    enrolments = Enrolment.objects.filter(user=request.user)
    upcoming = enrolments.filter(status__in=services.ACTIVE, session__start__gt=timezone.now())
    return render(
        request,
        "trainings/account/close_account.html",
        {
            "form": form,
            "organisation": membership.organisation if membership else None,
            "enrolment_count": enrolments.count(),
            "upcoming_count": upcoming.count(),
            "deleted_elsewhere": [section.description for section in SECTIONS.values()],
        },
    )
