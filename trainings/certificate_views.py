"""Attendance certificates on the public site: the holder downloads theirs (from "My
trainings"), and anyone checks a code, typed in a form or read from the certificate's QR code.

The verification page shows only what the certificate itself shows (`certificates.facts`),
tells a revoked certificate from an unknown code, and gives no help to someone trying codes:
one indexed query for any code, the same page for every unknown one, and a limit per client
address. Search engines are asked not to index it."""

from axes.helpers import get_client_ip_address
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from members.services import within_limit

from . import certificates
from .models import Enrolment

# Checks of a code per client address and hour: plenty for an employer with a pile of them,
# nothing for someone trying codes (there are 31¹⁶ of them).
CHECKS_PER_HOUR = 100


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _revoked_on(certificate):
    if certificate.revoked_at is None:
        return ""
    return certificates.long_date(timezone.localtime(certificate.revoked_at).date())


@require_safe
@login_required
def download(request, pk):
    """The holder's own certificate as a PDF, issued on the first download. Anyone else's
    enrolment, or one that gives no certificate, is a 404; a revoked one says so (410)."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("session__page__provider"), pk=pk, user=request.user
    )
    try:
        certificate = certificates.issue(enrolment)
    except certificates.NotEligible:
        raise Http404 from None
    if certificate.is_revoked:
        response = render(
            request,
            "trainings/certificates/revoked.html",
            {"certificate": certificate, "revoked_on": _revoked_on(certificate)},
            status=410,
        )
        return _private(response)
    response = HttpResponse(certificates.render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.filename(certificate)}"'
    return _private(response)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_(
            "Printed at the foot of the certificate: 16 letters and digits in groups of four, "
            "for example 7KQM-3XWD-H9TR-PB4N. Upper or lower case, with or without hyphens."
        ),
        error_messages={"required": _("Type the code printed on the certificate.")},
    )

    def clean_code(self):
        code = certificates.normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _(
                    "This is not a verification code: it has 16 letters and digits (never the "
                    "letters I, L, O or the digits 0 and 1). Check what you typed."
                ),
                code="format",
            )
        return code


@require_safe
def verify(request, code=None):
    """The form (GET, works without JavaScript) and, with a code in the address (the QR code)
    or the form's `code`, what the certificate says."""
    typed = code if code is not None else request.GET.get("code")
    form = VerifyForm({"code": typed} if typed is not None else None)
    context = {"form": form, "result": None, "certificate": None, "facts": []}
    status = 200
    if typed is not None:
        client = get_client_ip_address(request) or "-"
        if not within_limit(f"certificate-check:{client}", CHECKS_PER_HOUR):
            context["result"] = "limited"
            return _private(
                render(request, "trainings/certificates/verify.html", context, status=429)
            )
        if form.is_valid():
            certificate = certificates.find(form.cleaned_data["code"])
            if certificate is None:
                # A 200 like a found one: a 404 would add the redirects' lookup, a difference
                # in time that someone trying codes could measure.
                context["result"] = "unknown"
            elif certificate.is_revoked:
                context["result"] = "revoked"
            else:
                context["result"] = "valid"
                context["facts"] = certificates.facts(certificate)
            context["certificate"] = certificate
        elif code is not None:
            # A mangled address (a truncated QR scan): no certificate, like an unknown code.
            context["result"] = "unknown"
        else:
            status = 400
    certificate = context["certificate"]
    if certificate is not None:
        page_language = "en" if (translation.get_language() or "").startswith("en") else "fr"
        context["other_language"] = (
            "" if certificate.language == page_language else certificate.language
        )
        context["revoked_on"] = _revoked_on(certificate)
    response = render(request, "trainings/certificates/verify.html", context, status=status)
    return _private(response)
