"""The public side of membership: an organisation applies to join the coalition. The rules
(limits, e-mails) are in members/membership.py; the committee decides in the admin."""

from axes.helpers import get_client_ip_address
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import membership
from .membership_forms import MembershipApplicationForm

TEMPLATE = "members/membership_application.html"


@require_http_methods(["GET", "POST"])
def membership_application(request):
    """The application form. Invalid input is shown again with its errors and nothing is
    stored; the thank-you page is a redirect, so a reload sends nothing twice."""
    form = MembershipApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership.apply(form, translation.get_language(), get_client_ip_address(request))
        except membership.TooManyRequests:
            form.add_error(
                None,
                _(
                    "Too many applications have been sent for this address or from this "
                    "connection. Please try again in an hour."
                ),
            )
            return render(request, TEMPLATE, {"form": form}, status=429)
        except membership.NotSent:
            form.add_error(
                None,
                _("Your application could not be sent. Nothing was kept: please try again later."),
            )
            return render(request, TEMPLATE, {"form": form}, status=503)
        return redirect("members:membership_received")
    return render(request, TEMPLATE, {"form": form})


def membership_received(request):
    return render(request, "members/membership_received.html")
