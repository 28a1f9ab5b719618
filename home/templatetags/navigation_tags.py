"""Header helpers: the main menu and the language switcher, computed here, not in templates."""

from django import template
from django.conf import settings
from django.db.models import Q, Subquery
from django.urls import translate_url
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from home.navigation import live_children
from members.i18n import in_language

register = template.Library()


def _localized_root(request, page=None):
    """The site's home page in the visitor's language, once per request; no query at all when
    the page shown is that home page."""
    if hasattr(request, "_localized_root"):
        return request._localized_root
    site = Site.find_for_request(request)
    if site is None:
        root = None
    elif isinstance(page, Page) and page.translation_key == site.root_page.translation_key:
        # Wagtail serves pages from the localized root: this is that home page.
        root = page
    else:
        # Wagtail's routing memoises it (HomePage.route); previews and our own views land here.
        root = site.root_page.localized
    request._localized_root = root
    return root


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """The home page in the visitor's language and its children shown in menus, computed once
    per request (the header and the footer both use them)."""
    request = context["request"]
    memo = getattr(request, "_site_navigation", None)
    if memo is not None:
        return memo
    current = context.get("page")
    root = _localized_root(request, current)
    items = []
    if root is not None:
        current_path = current.path if current else ""
        for child in live_children(request, root):
            if not child.show_in_menus:
                continue
            items.append(
                {
                    "title": child.title,
                    "url": child.get_url(request),
                    "current": bool(current_path) and current_path.startswith(child.path),
                }
            )
        home = {"title": root.title, "url": root.get_url(request), "current": current == root}
    else:
        home = None
    request._site_navigation = {"home": home, "items": items}
    return request._site_navigation


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """One link per language to the same place: the translation of this page, the same members'
    address (translate_url), with the query (the catalogue's filters) kept; else that home page.
    A return address (`next`, on the sign-in page) is translated too (members.i18n)."""
    request = context["request"]
    page = context.get("page")
    current_language = translation.get_language()
    query = request.META.get("QUERY_STRING", "")
    translations = {}
    if isinstance(page, Page):
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translated.locale.language_code] = translated
    root = _localized_root(request, page)
    same_address = page is None and _is_django_view(request)
    links = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        url = None
        if target is not None:
            url = _with_query(target.get_url(request), _query_in(request, query, code))
        elif same_address:
            url = _with_query(
                translate_url(request.get_full_path().split("?")[0], code),
                _query_in(request, query, code),
            )
        if url is None and root is not None:
            locale = Locale.objects.filter(language_code=code).first()
            home = root.get_translation_or_none(locale) if locale else None
            if home is not None and home.live:
                url = home.get_url(request)
        if url is None:
            url = translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current_language,
            }
        )
    return {"links": links}


def _is_django_view(request):
    """True for the members' area and other views of our own; False for Wagtail's catch-all
    (a missing page), whose address has no counterpart in the other language."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return not match.func.__module__.startswith("wagtail.")


def _with_query(url, query):
    return f"{url}?{query}" if query and url else url


def _query_in(request, query, code):
    """The query as it is, but for a local return address (`next`), given in language `code`
    so that signing in after switching lands on the page in that language."""
    address = request.GET.get("next")
    if not address:
        return query
    translated = in_language(request, address, code)
    if translated == address:
        return query
    params = request.GET.copy()
    params["next"] = translated
    return params.urlencode(safe="/")


SETTING_PAGES = ("privacy_page", "safety_page")


def _localized_setting_page(context, field):
    """A page chosen in the site settings, in the visitor's language when translated."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_setting_pages"):
        request._setting_pages = _find_setting_pages(request)
    return request._setting_pages.get(field)


def _find_setting_pages(request):
    """The pages chosen in the site settings (privacy, browse safely), each in the active
    language when a live translation exists, else as chosen if live: one query for all."""
    from home.models import SiteSettings

    site_settings = SiteSettings.for_request(request)
    chosen = {field: getattr(site_settings, f"{field}_id") for field in SETTING_PAGES}
    ids = [pk for pk in chosen.values() if pk is not None]
    if not ids:
        return {}
    try:
        language = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        language = settings.LANGUAGE_CODE
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


@register.simple_tag(takes_context=True)
def privacy_link(context):
    """The privacy page chosen in the site settings, in the visitor's language when translated."""
    return _localized_setting_page(context, "privacy_page")


@register.simple_tag(takes_context=True)
def safety_link(context):
    """The browse-safely page, linked next to the quick exit on every page."""
    return _localized_setting_page(context, "safety_page")
