"""Header helpers: the main menu and the language switcher, computed here, not in templates."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site

from members.i18n import in_language

register = template.Library()


def _localized_root(request):
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    root = _localized_root(request)
    current = context.get("page")
    items = []
    if root is not None:
        current_path = current.path if current else ""
        for child in root.get_children().live().in_menu().specific(defer=True):
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
    return {"home": home, "items": items, "request": request}


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
    root = _localized_root(request)
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


def _localized_setting_page(context, field):
    """A page chosen in the site settings, in the visitor's language when translated."""
    from home.models import SiteSettings

    request = context.get("request")
    if request is None:
        return None
    page = getattr(SiteSettings.for_request(request), field)
    if page is None:
        return None
    page = page.localized
    if not page.live:
        return None
    return {"url": page.get_url(request), "title": page.title}


@register.simple_tag(takes_context=True)
def privacy_link(context):
    """The privacy page chosen in the site settings, in the visitor's language when translated."""
    return _localized_setting_page(context, "privacy_page")


@register.simple_tag(takes_context=True)
def safety_link(context):
    """The browse-safely page, linked next to the quick exit on every page."""
    return _localized_setting_page(context, "safety_page")
