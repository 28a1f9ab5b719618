"""What every page's header and footer show that is the same for every visitor of a site in a
language: the home page, its menu, the home page in each language and the pages chosen in the
site settings. Built once per change of content and kept in the shared cache, so that a page
costs no query for its header.

Everything here is keyed on the freshness stamp CONTENT (home/freshness.py), which every
publish, unpublish, move, snippet and settings change bumps: a new stamp is a new key, so no
entry needs to be found and deleted. Nothing that differs by visitor is kept here (the
members' link, CSRF tokens and "current page" marks are added per request), and previews never
read nor write these caches (a draft must not reach the public).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Subquery
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site

from .freshness import CONTENT, stamps

# A new CONTENT stamp makes older entries unreachable: they only wait to expire.
SHARED_TIMEOUT = 60 * 60 * 24
SETTING_PAGES = ("privacy_page", "safety_page", "membership_criteria_page")
MISSING = object()


def content_stamp(request):
    """The CONTENT stamp, read from the cache once per request."""
    if request is None:
        return stamps(CONTENT)[CONTENT]
    if not hasattr(request, "_content_stamp"):
        request._content_stamp = stamps(CONTENT)[CONTENT]
    return request._content_stamp


def is_preview(request):
    return bool(getattr(request, "is_preview", False))


def shared(request, name, parts, build):
    """`build()`, kept in the shared cache while CONTENT is unchanged and memoised on the
    request; built afresh, and kept nowhere, for a preview. `parts` identify what is built (the
    site, the page, the language): the key holds them, hashed, and the stamp."""
    if is_preview(request):
        return build()
    memo = request.__dict__.setdefault("_shared_memo", {}) if request is not None else {}
    identity = (name, *parts)
    if identity in memo:
        return memo[identity]
    digest = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
    key = f"{name}:{digest}:{content_stamp(request)}"
    value = cache.get(key, MISSING)
    if value is MISSING:
        value = build()
        cache.set(key, value, SHARED_TIMEOUT)
    memo[identity] = value
    return value


def content_language():
    """The active language as Wagtail's locales name it ("fr-ca", "en")."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return settings.LANGUAGE_CODE


def site_header(request):
    """{home, items, homes, setting_pages} for this request's site in the active language:
    - home: {pk, title, url, path} of the home page in that language (None without a site);
    - items: the home page's live children in tree order, each {pk, title, url, path,
      in_menu, model} ("app_label.modelname": the home page finds its catalogue there);
    - homes: {language code: url} of the live translations of the home page;
    - setting_pages: {field: {url, title}} of the pages chosen in the site settings (privacy,
      browse safely, membership criteria), each in this language when a live translation exists.
    Wagtail routes each language from the same home (`site.root_page.localized`): one entry
    per site and language serves every page of it, and the members' area too (built once per
    change of content: one or two queries for the home page then)."""
    if request is None:
        return empty_header()
    site = Site.find_for_request(request)
    if site is None:
        return empty_header()
    language = content_language()
    return shared(
        request, "header", (site.pk, language), lambda: _build_header(request, site, language)
    )


def empty_header():
    return {"home": None, "items": [], "homes": {}, "setting_pages": {}}


def _build_header(request, site, language):
    # From the site, as Wagtail routes this language, never from a page routed in this request:
    # the language switcher routes return addresses in other languages (members.i18n).
    root = site.root_page.localized
    children = (
        root.get_children()
        .live()
        .only("pk", "title", "url_path", "path", "depth", "show_in_menus", "content_type", "locale")
    )
    items = []
    for child in children:
        model = child.specific_class
        items.append(
            {
                "pk": child.pk,
                "title": child.title,
                "url": child.get_url(request),
                "path": child.path,
                "in_menu": child.show_in_menus,
                "model": model._meta.label_lower if model else "",
            }
        )
    homes = {
        translated.locale.language_code: translated.get_url(request)
        for translated in root.get_translations(inclusive=True).live().select_related("locale")
    }
    return {
        "home": {
            "pk": root.pk,
            "title": root.title,
            "url": root.get_url(request),
            "path": root.path,
        },
        "items": items,
        "homes": homes,
        "setting_pages": _find_setting_pages(request, language),
    }


def _find_setting_pages(request, language):
    """The pages chosen in the site settings (privacy, browse safely), each in `language` when
    a live translation exists, else as chosen if live: one query for all."""
    from home.models import SiteSettings

    site_settings = SiteSettings.for_request(request)
    chosen = {field: getattr(site_settings, f"{field}_id") for field in SETTING_PAGES}
    ids = [pk for pk in chosen.values() if pk is not None]
    if not ids:
        return {}
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    candidates = list(
        Page.objects.filter(translation_key__in=Subquery(keys))
        .filter(Q(pk__in=ids) | Q(locale__language_code=language))
        .select_related("locale")
    )
    found = {}
    for field, page_id in chosen.items():
        original = next((p for p in candidates if p.pk == page_id), None)
        if original is None:
            continue
        translated = next(
            (
                p
                for p in candidates
                if p.translation_key == original.translation_key
                and p.locale.language_code == language
                and p.live
            ),
            None,
        )
        page = translated or original  # Page.localized: the live translation, else as chosen
        if page.live:
            found[field] = {"url": page.get_url(request), "title": page.title}
    return found


def page_translations(request, page):
    """{language code: url} of the live translations of `page` (itself included): what the
    language switcher offers, one query per page and change of content."""
    site = Site.find_for_request(request)

    def build():
        translations = page.get_translations(inclusive=True).live().select_related("locale")
        return {t.locale.language_code: t.get_url(request) for t in translations}

    return shared(request, "translations", (site.pk if site else None, page.pk), build)
