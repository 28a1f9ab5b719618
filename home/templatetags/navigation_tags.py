"""Header helpers: the main menu and the language switcher, computed here, not in templates."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from home.navigation import page_translations, site_header
from members.i18n import in_language

register = template.Library()


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """The home page in the visitor's language and its children shown in menus (the header and
    the footer both use them): the shared header (home/navigation.py), with the current page
    marked for this request."""
    request = context["request"]
    memo = getattr(request, "_site_navigation", None)
    if memo is not None:
        return memo
    header = site_header(request)
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    items = [
        {
            "title": item["title"],
            "url": item["url"],
            "current": bool(current_path) and current_path.startswith(item["path"]),
        }
        for item in header["items"]
        if item["in_menu"]
    ]
    home = header["home"]
    if home is not None:
        is_home = isinstance(current, Page) and current.pk == home["pk"]
        home = {"title": home["title"], "url": home["url"], "current": is_home}
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
    translations = page_translations(request, page) if isinstance(page, Page) else {}
    homes = site_header(request)["homes"]
    same_address = page is None and _is_django_view(request)
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if code in translations:
            url = _with_query(translations[code], _query_in(request, query, code))
        elif same_address:
            url = _with_query(
                translate_url(request.get_full_path().split("?")[0], code),
                _query_in(request, query, code),
            )
        if url is None:
            url = homes.get(code)
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
    return match.url_name != "wagtail_serve"


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
    request = context.get("request")
    if request is None:
        return None
    return site_header(request)["setting_pages"].get(field)


@register.simple_tag(takes_context=True)
def privacy_link(context):
    """The privacy page chosen in the site settings, in the visitor's language when translated."""
    return _localized_setting_page(context, "privacy_page")


@register.simple_tag(takes_context=True)
def safety_link(context):
    """The browse-safely page, linked next to the quick exit on every page."""
    return _localized_setting_page(context, "safety_page")


@register.simple_tag(takes_context=True)
def membership_criteria_link(context):
    """The membership criteria page, linked from the membership application form."""
    return _localized_setting_page(context, "membership_criteria_page")


@register.simple_tag(takes_context=True)
def home_child(context, model_label):
    """The live child of the home page of this type ("newsletter.newsletterindexpage"), in the
    visitor's language, as {title, url}: from the shared header, no query. None without one."""
    request = context.get("request")
    if request is None:
        return None
    items = site_header(request)["items"]
    return next((item for item in items if item["model"] == model_label), None)
