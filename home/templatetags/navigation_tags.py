"""Header helpers: the main menu and the language switcher, computed here, not in templates."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site

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
    """One link per language: the translation of this page when it exists, else that home page."""
    request = context["request"]
    page = context.get("page")
    current_language = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translated.locale.language_code] = translated
    root = _localized_root(request)
    links = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        if target is None and root is not None:
            locale = Locale.objects.filter(language_code=code).first()
            target = root.get_translation_or_none(locale) if locale else None
            if target is not None and not target.live:
                target = None
        if target is not None:
            url = target.get_url(request)
        else:
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


@register.simple_tag(takes_context=True)
def privacy_link(context):
    """The privacy page chosen in the site settings, in the visitor's language when translated."""
    from home.models import SiteSettings

    request = context.get("request")
    if request is None:
        return None
    page = SiteSettings.for_request(request).privacy_page
    if page is None:
        return None
    page = page.localized
    if not page.live:
        return None
    return {"url": page.get_url(request), "title": page.title}
