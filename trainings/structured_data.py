"""schema.org Course / CourseInstance JSON-LD for a training page (read by search engines)."""

import json
import logging
from urllib.parse import urlsplit

from cqctp.links import absolute_url, page_url
from django.templatetags.static import static
from django.utils import timezone

from .models import SessionFormat

logger = logging.getLogger(__name__)

DEFAULT_IMAGE = "img/formations-cqctp.png"  # site/static: 1200×675, the site's name
IN_STOCK = "https://schema.org/InStock"
SOLD_OUT = "https://schema.org/SoldOut"
ON_REQUEST = "https://schema.org/MadeToOrder"  # no session scheduled: given on request

COURSE_MODE = {
    SessionFormat.IN_PERSON: "onsite",
    SessionFormat.ONLINE: "online",
    SessionFormat.HYBRID: "blended",
}


def course_instance(session, page_url):
    instance = {
        "@type": "CourseInstance",
        "courseMode": COURSE_MODE[session.format],
        "startDate": timezone.localtime(session.start).isoformat(),
        "endDate": timezone.localtime(session.end).isoformat(),
        "inLanguage": session.language,
        "offers": {
            "@type": "Offer",
            "price": price(session.page),
            "priceCurrency": "CAD",
            "url": page_url,
            "availability": SOLD_OUT if session.is_full else IN_STOCK,
        },
    }
    if session.is_cancelled:
        instance["eventStatus"] = "https://schema.org/EventCancelled"
    if session.format == SessionFormat.ONLINE:
        instance["location"] = {"@type": "VirtualLocation", "url": page_url}
    else:
        instance["location"] = {
            "@type": "Place",
            "name": session.venue or session.city,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": session.address,
                "addressLocality": session.city,
                "addressRegion": "QC",
                "addressCountry": "CA",
            },
        }
    return instance


def price(page):
    return f"{page.price:.2f}"


def course_offer(page, sessions, url):
    """The Course's own offer, as Google's Course rich results ask (category Free or Paid)."""
    scheduled = [session for session in sessions if not session.is_cancelled]
    if not scheduled:
        availability = ON_REQUEST
    elif all(session.is_full for session in scheduled):
        availability = SOLD_OUT
    else:
        availability = IN_STOCK
    return {
        "@type": "Offer",
        "category": "Free" if page.is_free else "Paid",
        "price": price(page),
        "priceCurrency": "CAD",
        "url": url,
        "availability": availability,
    }


def absolute(url):
    """Media or static files on another host (a CDN) keep it; ours get the public address."""
    return url if urlsplit(url).netloc else absolute_url(url)


def course_image(page):
    """The provider's logo, else the site's default picture: an absolute address."""
    logo = page.provider.logo
    if logo is not None:
        try:
            return absolute(logo.get_rendition("max-1200x1200").url)
        except Exception as error:  # a missing or broken file must not break the page
            logger.warning("No rendition of the logo %s: %s", logo.pk, error)
    return absolute(static(DEFAULT_IMAGE))


def course_json_ld(page, request=None):
    url = page_url(page)
    sessions = page.upcoming_sessions
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": page.summary,
        "url": url,
        "image": course_image(page),
        "inLanguage": page.locale.language_code,
        "isAccessibleForFree": page.is_free,
        "provider": {
            "@type": "Organization",
            "name": page.provider.name,
            **({"url": page.provider.website} if page.provider.website else {}),
        },
        "offers": course_offer(page, sessions, url),
        "hasCourseInstance": [course_instance(s, url) for s in sessions],
    }
    if page.duration_hours:
        hours = page.duration_hours
        data["timeRequired"] = f"PT{int(hours)}H{int((hours % 1) * 60)}M"
    # Safe inside <script>: no "</" can close the element early.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
