"""What cached pages and fragments depend on, as version stamps kept in the shared cache.

A cached thing remembers the stamps of the tags it was built from; it is fresh while those
stamps are unchanged. Changing a tag's stamp (`bump`) makes everything built from it stale at
once, on every server sharing the cache (Redis in production), without finding the entries.

Tags:
- CONTENT: anything an anonymous page may show was published, unpublished, moved or changed
  (a page, a snippet, a setting, the menu): every cached page and header is stale.
- SEATS: a seat count changed somewhere (listings that show "Complet" depend on it).
- seats_of(translation_key): a seat count of that training changed (its own pages depend on
  it, in both languages: sessions hang off the translation key).
"""

import secrets
import time

from django.core.cache import cache

CONTENT = "content"
SEATS = "seats"
PREFIX = "freshness:"
# Longer than any cached entry: a stamp that vanished would make entries look fresh again only
# if the new stamp equalled the old, which a random part never repeats.
STAMP_TIMEOUT = 60 * 60 * 24 * 30


def new_stamp():
    """Unique even under a frozen clock (tests) or two servers bumping in the same nanosecond."""
    return f"{time.time_ns()}-{secrets.token_hex(4)}"


def seats_of(translation_key):
    return f"{SEATS}:{translation_key}"


def stamps(*tags):
    """The current stamp of each tag ({tag: stamp}), one round trip to the cache; a tag never
    bumped gets a stamp now (so an entry built before a cache flush is never taken as fresh)."""
    keys = {PREFIX + tag: tag for tag in tags}
    found = cache.get_many(list(keys))
    result = {keys[key]: value for key, value in found.items()}
    for key, tag in keys.items():
        if tag not in result:
            stamp = new_stamp()
            cache.add(key, stamp, STAMP_TIMEOUT)
            result[tag] = cache.get(key, stamp)
    return result


def bump(*tags):
    """Make everything built from these tags stale, everywhere the cache is shared."""
    stamp = new_stamp()
    cache.set_many({PREFIX + tag: stamp for tag in tags}, STAMP_TIMEOUT)


def seats_changed(translation_key):
    bump(SEATS, seats_of(translation_key))
