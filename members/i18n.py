"""A return address (`next`) in another language: the language switcher and the sign-in page use
it so that someone who changes language before signing in lands on the page in that language."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.models import Locale, Site


def is_local_path(address):
    """Only an address on this site ("/…", not "//elsewhere" nor "https://…") is ever rewritten:
    translating must never turn a return address into an open redirect."""
    return (
        isinstance(address, str)
        and address.startswith("/")
        and not address.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(address, allowed_hosts=None)
    )


def in_language(request, address, language):
    """`address` in `language`: the same view of ours under that language's prefix, or the live
    translation of the Wagtail page; unchanged when there is none or it is not a local path."""
    if not is_local_path(address):
        return address
    parts = urlsplit(address)
    # No prefix: the default language (French lives at /, i18n_patterns without its prefix).
    source = translation.get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    with translation.override(source):
        try:
            match = resolve(parts.path)
        except Resolver404:
            return address
        if match.url_name != "wagtail_serve":  # not a page: Django translates its address
            return translate_url(address, language)
        page = _page_at(request, match.args[0] if match.args else match.kwargs.get("path", ""))
    if page is None:
        return address
    locale = Locale.objects.filter(language_code=language).first()
    target = page.get_translation_or_none(locale) if locale else None
    if target is None or not target.live:
        return address
    url = target.get_url(request)
    if not url or not is_local_path(url):  # another site's page: keep the visitor here
        return address
    # A route of the page (a resource's sheet, a meeting's calendar) follows it.
    own = page.get_url(request) or ""
    if own and parts.path.startswith(own) and url.endswith("/"):
        url += parts.path[len(own) :]
    return urlunsplit(("", "", url, parts.query, parts.fragment))


def _page_at(request, path):
    """The live page at `path` in the active language's tree (Wagtail's own routing), or None."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    try:
        result = site.root_page.localized.specific.route(request, components)
    except Http404:
        return None
    return result[0] if result else None
