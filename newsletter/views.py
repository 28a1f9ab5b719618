"""The newsletter's public views: the sign-up (posted to the archive page that shows the form),
"check your inbox", the confirmation and the unsubscription.

Links in e-mails are opened by mail scanners before the person sees them: a GET never changes
anything, the page asks for a click (a POST). The unsubscribe address also takes the one-click
POST mail programs send (RFC 8058), which carries no CSRF token."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from . import services
from .forms import SubscribeForm
from .models import NewsletterIndexPage, SubscriberStatus

ONE_CLICK = "One-Click"  # RFC 8058: the body is "List-Unsubscribe=One-Click"
TOO_MANY_SIGN_UPS = _(
    "Too many sign-ups have been sent for this address or from this connection. Please try "
    "again in an hour."
)


def archive_url(request):
    """The newsletter's archive in the active language (else in French), for "sign up again"
    links; "" when there is none."""
    archives = NewsletterIndexPage.objects.live().select_related("locale")
    language = translation.get_language() or settings.LANGUAGE_CODE
    page = archives.filter(locale__language_code__iexact=language).first() or (
        archives.filter(locale=Locale.get_default()).first()
    )
    return page.get_url(request) if page is not None else ""


def subscribe_from_page(request, page):
    """The form of the archive page, posted to it. Valid: record and e-mail (services), then
    "check your inbox", the same answer whatever the address was. Invalid: the page again with
    the errors, nothing recorded."""
    form = SubscribeForm(request.POST, language=page.language_code())
    status = 200
    if form.is_valid():
        try:
            services.subscribe(
                form.cleaned_data["email"],
                form.cleaned_data["language"],
                str(form.fields["consent"].label),  # as shown: this page's language
                get_client_ip_address(request),
            )
        except services.TooManyRequests:
            form.add_error(None, str(TOO_MANY_SIGN_UPS))
            status = 429
        else:
            return redirect("newsletter:sign_up_received")
    context = page.get_context(request, form=form)
    return TemplateResponse(request, page.get_template(request), context, status=status)


def sign_up_received(request):
    return render(request, "newsletter/sign_up_received.html")


@never_cache
def link_invalid(request, expired=False):
    return render(
        request,
        "newsletter/link_invalid.html",
        {
            "expired": expired,
            "valid_days": services.CONFIRMATION_DAYS,
            "archive_url": archive_url(request),
        },
        status=410 if expired else 404,
    )


@never_cache  # a page per person (their address, their status): never in a shared cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET: a button to confirm (nothing changes); POST: confirms, then shows the result."""
    subscriber = services.by_token(token)
    if subscriber is None or subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return link_invalid(request)
    if subscriber.status == SubscriberStatus.PENDING and services.confirmation_expired(subscriber):
        return link_invalid(request, expired=True)
    if request.method == "POST" and subscriber.status == SubscriberStatus.PENDING:
        if not services.confirm(subscriber):  # expired or unsubscribed meanwhile
            return link_invalid(request)
        return redirect("newsletter:confirm", token=subscriber.token)
    return render(
        request,
        "newsletter/confirm.html",
        {
            "subscriber": subscriber,
            "confirmed": subscriber.status == SubscriberStatus.CONFIRMED,
            "unsubscribe_url": services.unsubscribe_url(subscriber),
        },
    )


@csrf_protect
def unsubscribe_page(request, subscriber):
    """GET: a button to unsubscribe (nothing changes); POST (CSRF-checked): unsubscribes."""
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return redirect("newsletter:unsubscribe", token=subscriber.token)
    return render(
        request,
        "newsletter/unsubscribe.html",
        {
            "subscriber": subscriber,
            "unsubscribed": subscriber.status == SubscriberStatus.UNSUBSCRIBED,
            "archive_url": archive_url(request),
        },
    )


@never_cache
@csrf_exempt  # only the one-click POST skips the check: the form goes through csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscriber = services.by_token(token)
    if subscriber is None:
        return link_invalid(request)
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == ONE_CLICK:
        services.unsubscribe(subscriber)  # idempotent: a second click changes nothing
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        return render(
            request,
            "newsletter/unsubscribe.html",
            {"subscriber": subscriber, "unsubscribed": True, "archive_url": archive_url(request)},
        )
    return unsubscribe_page(request, subscriber)
