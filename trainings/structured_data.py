"""schema.org Course / CourseInstance JSON-LD for a training page (read by search engines)."""

import json

from django.utils import timezone

from .models import SessionFormat

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
            "price": str(session.page.price),
            "priceCurrency": "CAD",
            "url": page_url,
            "availability": "https://schema.org/SoldOut"
            if session.is_full
            else "https://schema.org/InStock",
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


def course_json_ld(page, request=None):
    url = page.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": page.summary,
        "url": url,
        "inLanguage": page.locale.language_code,
        "isAccessibleForFree": page.is_free,
        "provider": {
            "@type": "Organization",
            "name": page.provider.name,
            **({"url": page.provider.website} if page.provider.website else {}),
        },
        "hasCourseInstance": [course_instance(s, url) for s in page.upcoming_sessions],
    }
    if page.duration_hours:
        hours = page.duration_hours
        data["timeRequired"] = f"PT{int(hours)}H{int((hours % 1) * 60)}M"
    # Safe inside <script>: no "</" can close the element early.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
