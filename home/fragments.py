"""Parts of a page that are the same for every visitor, kept in the shared cache while the
stamps they were built from are unchanged and until the moment they would change by
themselves (a session starting, enrolment opening or closing).

Pages of apps that may not import home (trainings) get `request.shared_fragment(...)` from the
home page that routed them (HomePage.route); previews build afresh and keep nothing. The
header's `navigation.shared` is the simpler case: CONTENT only, no moment of its own.
"""

import hashlib
import logging

from django.core.cache import cache
from django.utils import timezone

from .freshness import CONTENT, PREFIX, seats_of, stamps
from .navigation import SHARED_TIMEOUT, content_stamp, is_preview

logger = logging.getLogger(__name__)


def fragment(request, name, parts, build, seats_of_training=None):
    """The value `build()` makes, from the shared cache when still current.

    `build()` returns (value, until): `until` is when the value would change by itself (an
    aware datetime, or None). `parts` identify what is built (the page, the language); the
    value depends on CONTENT and, given a training's translation key, on that training's
    seats. A cache that cannot be read only costs the building."""
    if is_preview(request):
        return build()[0]
    tags = [seats_of(seats_of_training)] if seats_of_training else []
    digest = hashlib.md5(repr((name, *parts)).encode(), usedforsecurity=False).hexdigest()
    key = f"fragment:{name}:{digest}"
    now = timezone.now().timestamp()
    try:
        found = cache.get_many([key, *(PREFIX + tag for tag in tags)])
        current = {CONTENT: content_stamp(request)}
        current.update({tag: found.get(PREFIX + tag) for tag in tags})
    except Exception:  # the cache is down: build, as without it
        logger.warning("Fragment cache unreadable; building %s.", name, exc_info=True)
        return build()[0]
    entry = found.get(key)
    if (
        entry is not None
        and entry["stamps"] == current
        and (entry["until"] is None or now < entry["until"])
    ):
        return entry["value"]
    missing = [tag for tag, stamp in current.items() if stamp is None]
    if missing:  # never bumped (or forgotten): start them now, before building
        current.update(stamps(*missing))
    value, until = build()
    until = until.timestamp() if until is not None else None
    timeout = SHARED_TIMEOUT if until is None else max(1, min(SHARED_TIMEOUT, int(until - now) + 1))
    try:
        cache.set(key, {"stamps": current, "until": until, "value": value}, timeout)
    except Exception:
        logger.warning("Fragment cache unwritable; %s not kept.", name, exc_info=True)
    return value
