"""Sharing without trackers: Open Graph / Twitter-card meta for every page, and plain share
links (no third-party script, image, counter or tracking parameter) for campaign pages."""

from urllib.parse import quote, urlencode

from cqctp.links import absolute_url
from django import template
from django.templatetags.static import static
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images.models import AbstractImage

register = template.Library()

SHARE_IMAGE_FILTER = "fill-1200x630|format-jpeg"
DEFAULT_IMAGE = ("img/share-default.png", 1200, 630)
OG_LOCALES = {"fr-ca": "fr_CA", "fr": "fr_CA", "en": "en_CA"}
DESCRIPTION_FIELDS = ("search_description", "introduction", "tagline", "summary")
# (image field, its alternative-text field) a page may have, in order of preference.
IMAGE_FIELDS = (("hero_image", "hero_image_alt"), ("share_image", ""), ("image", "image_alt"))


def og_locale(language):
    return OG_LOCALES.get((language or "").lower(), "fr_CA")


def page_address(page, request=None):
    """The page's public address in its own language, absolute (PUBLIC_BASE_URL)."""
    parts = page.get_url_parts(request)
    if parts is None or parts[2] is None:
        return ""
    return absolute_url(parts[2])


def page_description(page):
    for field in DESCRIPTION_FIELDS:
        value = getattr(page, field, "")
        if isinstance(value, str) and value.strip():
            return Truncator(" ".join(value.split())).chars(300)
    return ""


def page_image(page):
    """(image, alternative text) to show when the page is shared, or (None, "")."""
    for field, alt_field in IMAGE_FIELDS:
        image = getattr(page, field, None)
        if isinstance(image, AbstractImage):
            alt = getattr(page, alt_field, "") if alt_field else ""
            return image, alt or getattr(image, "default_alt_text", "") or ""
    return None, ""


def share_image(page):
    """{url, width, height, alt} of the image for link previews: a 1200×630 crop (around the
    focal point) of the page's image, else the site's default card."""
    image, alt = page_image(page) if page is not None else (None, "")
    if image is not None:
        try:
            rendition = image.get_rendition(SHARE_IMAGE_FILTER)
        except Exception:  # a missing or broken file: fall back to the default card
            rendition = None
        if rendition is not None:
            return {
                "url": absolute_url(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "alt": alt,
                "type": "image/jpeg",
            }
    path, width, height = DEFAULT_IMAGE
    return {
        "url": absolute_url(static(path)),
        "width": width,
        "height": height,
        "alt": _("Formations CQCTP — Québec Coalition Against Human Trafficking"),
        "type": "image/png",
    }


@register.simple_tag(takes_context=True)
def share_meta(context):
    """What share_meta.html writes in <head>: title, description, address, locale, image."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and not hasattr(page, "get_url_parts"):
        page = None
    site_name = _("Formations CQCTP")
    language = get_language() or "fr-ca"
    locale = og_locale(language)
    if page is not None:
        title = page.seo_title or page.title
        url = page_address(page, request)
        description = page_description(page)
        kind = "website" if page.depth <= 2 else "article"
    else:
        title = site_name
        url = absolute_url(request.path) if request is not None else ""
        description = ""
        kind = "website"
    return {
        "title": title,
        "description": description,
        "url": url,
        "type": kind,
        "locale": locale,
        "alternates": sorted({value for value in OG_LOCALES.values()} - {locale}),
        "site_name": site_name,
        "image": share_image(page),
    }


def share_links_for(title, url):
    """(name, address) of each share link: the services' plain share addresses, the page's
    address without any tracking parameter."""
    text = f"{title} {url}"
    mail = "mailto:?" + urlencode({"subject": title, "body": text}, quote_via=quote)
    return [
        {"name": _("E-mail"), "url": mail, "external": False},
        {
            "name": "Facebook",
            "url": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
            "external": True,
        },
        {
            "name": "LinkedIn",
            "url": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
            "external": True,
        },
        {
            "name": "X",
            "url": "https://x.com/intent/post?" + urlencode({"text": title, "url": url}),
            "external": True,
        },
        {
            "name": "Bluesky",
            "url": "https://bsky.app/intent/compose?" + urlencode({"text": text}),
            "external": True,
        },
        {
            "name": "WhatsApp",
            "url": "https://wa.me/?" + urlencode({"text": text}),
            "external": True,
        },
    ]


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, page):
    url = page_address(page, context.get("request"))
    title = page.seo_title or page.title
    return {"links": share_links_for(title, url), "url": url, "title": title}
