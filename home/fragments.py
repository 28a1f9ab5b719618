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

from .freshness import CONTENT, PREFIX, SEATS, seats_of, stamps
from .navigation import SHARED_TIMEOUT, content_stamp, is_preview

logger = logging.getLogger(__name__)


def fragment(request, name, parts, build, seats_of_training=None, all_seats=False, timeout=None):
    """The value `build()` makes, from the shared cache when still current.

    `build()` returns (value, until): `until` is when the value would change by itself (an
    aware datetime, or None). `parts` identify what is built (the page, the language); the
    value depends on CONTENT and, given a training's translation key, on that training's
    seats, or with `all_seats` on every seat and session (SEATS). It is kept `timeout`
    seconds at most (a day by default). A cache that cannot be read only costs the building."""
    if is_preview(request):
        return build()[0]
    tags = [seats_of(seats_of_training)] if seats_of_training else []
    if all_seats:
        tags.append(SEATS)
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
    longest = timeout or SHARED_TIMEOUT
    timeout = longest if until is None else max(1, min(longest, int(until - now) + 1))
    try:
        cache.set(key, {"stamps": current, "until": until, "value": value}, timeout)
    except Exception:
        logger.warning("Fragment cache unwritable; %s not kept.", name, exc_info=True)
    return value


class FragmentList:
    """The batch form of `fragment`, for a list of like parts (the catalogue's cards): a page
    of twenty is two cache round trips when every part is current.

    Each part depends on CONTENT, on one training's seats and on a moment of its own. Its
    seat stamp is read before the database is, as `fragment` does, so a seat taken while a
    part is built leaves it stale, never wrongly fresh:

        parts = request.fragment_list("catalogue-card")
        found = parts.current({identity: key_parts, ...})    # {identity: value} still current
        parts.watch(training_keys)                              # then read what is missing
        parts.keep(identity, value, until, training_key)
        parts.save()

    A preview finds nothing and keeps nothing; a cache that cannot be read or written only
    costs the building."""

    def __init__(self, request, name):
        self.request = request
        self.name = name
        self.disabled = is_preview(request)
        self.keys = {}
        self.seat_stamps = {}
        self.kept = {}
        self.content = None

    def current(self, wanted):
        if self.disabled:
            return {}
        for identity, parts in wanted.items():
            digest = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
            self.keys[identity] = f"fragment:{self.name}:{digest}"
        now = timezone.now().timestamp()
        try:
            self.content = content_stamp(self.request)
            found = cache.get_many(list(self.keys.values()))
            trainings = {entry["training"] for entry in found.values()}
            self.seat_stamps = cache.get_many([PREFIX + seats_of(key) for key in trainings])
        except Exception:
            logger.warning("Fragment cache unreadable; building %s.", self.name, exc_info=True)
            self.disabled = True
            return {}
        current = {}
        for identity, key in self.keys.items():
            entry = found.get(key)
            if (
                entry is not None
                and entry["content"] == self.content
                and entry["seats"] == self.seat_stamps.get(PREFIX + seats_of(entry["training"]))
                and (entry["until"] is None or now < entry["until"])
            ):
                current[identity] = entry["value"]
        return current

    def watch(self, training_keys):
        """Read (or start) the seat stamps of these trainings: before their seats are read."""
        if self.disabled:
            return
        unread = {seats_of(key) for key in training_keys} - {
            key.removeprefix(PREFIX) for key in self.seat_stamps
        }
        if not unread:
            return
        try:
            for tag, stamp in stamps(*unread).items():
                self.seat_stamps[PREFIX + tag] = stamp
        except Exception:
            logger.warning("Fragment cache unreadable; %s not kept.", self.name, exc_info=True)
            self.disabled = True

    def keep(self, identity, value, until, training_key):
        stamp = self.seat_stamps.get(PREFIX + seats_of(training_key))
        if self.disabled or stamp is None or identity not in self.keys:
            return  # not watched: keeping it could hide a seat taken meanwhile
        self.kept[self.keys[identity]] = {
            "content": self.content,
            "seats": stamp,
            "training": training_key,
            "until": until.timestamp() if until is not None else None,
            "value": value,
        }

    def save(self):
        if self.disabled or not self.kept:
            return
        try:
            cache.set_many(self.kept, SHARED_TIMEOUT)
        except Exception:
            logger.warning("Fragment cache unwritable; %s not kept.", self.name, exc_info=True)
        self.kept = {}
