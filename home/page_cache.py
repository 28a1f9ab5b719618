"""Anonymous pages served from the cache, and dropped as soon as what they show changes.

Who gets a cached page: a GET or HEAD without a session cookie, a messages cookie or an
Authorization header (a `csrftoken` cookie alone is fine: a page that uses it is never stored),
outside the admin, the members' area, documents, certificates and the API (it answers JSON or
HTML depending on Accept). Members, editors and anyone with a session always get a fresh page,
marked `private, no-cache`.

What is stored: a 200 to such a GET, not streamed, without a cookie, without `Cache-Control:
private/no-store/no-cache`, whose render used no CSRF token and no signed-in user, varying on
nothing but the cookie and the language or encoding headers. With the page: the freshness
stamps (home/freshness.py) of the tags it declared (`request.page_cache_tags`, set for Wagtail
pages by home/wagtail_hooks.py; default [CONTENT, SEATS]). A stored page is served while those
stamps are unchanged; home/signals.py bumps them when content or seats change. Every tag's
bump also bumps CONTENT or SEATS (freshness.seats_changed does), which are read before the
render: a change during a render leaves that render unstored.

Key: scheme, host, language (from the address: French has none, English is /en/), the full
address with its query string (tracking parameters such as utm_source removed: they never
reach the page either), and whether the client takes gzip when GZipMiddleware sits after this
one; hashed. Longer addresses are not cached.

Each process also keeps its own copy of the pages it served last (MEMORY_BYTES at most): a hit
then reads only the page's stamps from the shared cache (one small round trip), never more
than PAGE_CACHE_SECONDS after the page was rendered.

Cache-Control of a cacheable page: `public, max-age=BROWSER_SECONDS, s-maxage=…` for a CDN,
PAGE_CACHE_SECONDS for an address without a query (purged on changes, home/signals.py), the
short time with one (no purge reaches the countless catalogue searches). `X-Cache` says hit,
miss or bypass.
"""

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language_from_path

from . import freshness

logger = logging.getLogger(__name__)

DEFAULT_TAGS = (freshness.CONTENT, freshness.SEATS)
# Read with the page in one round trip: most pages depend on nothing else.
COMMON_STAMP_KEYS = tuple(freshness.PREFIX + tag for tag in DEFAULT_TAGS)
KEY_PREFIX = "page:"
# Pages made for a person, or that hold what must not be shared, or that are not pages.
EXCLUDED_PATHS = (
    "/admin/",
    "/django-admin/",
    "/espace-membres/",
    "/en/espace-membres/",
    "/certificats/",
    "/en/certificats/",
    "/documents/",
    "/api/",
    "/static/",
    "/media/",
)
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
MAX_ADDRESS_LENGTH = 2000
MAX_CONTENT_BYTES = 4 * 1024 * 1024
# Copies a process keeps of the pages it serves (per gunicorn worker).
MEMORY_BYTES = 32 * 1024 * 1024
# Browsers keep a page this long without asking again: "Complet" is never wrong for longer.
BROWSER_SECONDS = 5
# Headers a stored page may vary on: the key covers them, or (the cookie) only visitors
# without one are served. Anything else (Accept…) would need a key of its own.
VARY_ALLOWED = frozenset({"cookie", "accept-language", "accept-encoding"})
REFUSED_CACHE_CONTROL = ("private", "no-store", "no-cache")
GZIP_MIDDLEWARE = "django.middleware.gzip.GZipMiddleware"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # GZipMiddleware's own test
# Added by ad platforms and newsletters to shared links; no page reads them.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "twclid",
        "igshid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
    }
)


def is_tracking(parameter):
    name = parameter.split("=", 1)[0].lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def without_tracking(query_string):
    """The query string without tracking parameters, the others as they came."""
    parts = query_string.split("&")
    kept = [part for part in parts if part and not is_tracking(part)]
    return query_string if len(kept) == len(parts) else "&".join(kept)


def forget_tracking(request):
    """Take tracking parameters out of the request, so that the page rendered for a shared link
    is the page of the plain address (and is cached as such). request.environ keeps them (the
    server's access log)."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return
    cleaned = without_tracking(query)
    if cleaned != query:
        request.META = {**request.META, "QUERY_STRING": cleaned}
        request.GET = QueryDict(cleaned, encoding=request.encoding)


def has_identity(request):
    """A session, a message waiting to be shown or credentials: the page is this person's."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or MESSAGES_COOKIE in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def page_tags(page):
    """What a Wagtail page shows, as freshness tags (see CONTRACTS: the page cache)."""
    from catalogue.models import CatalogueIndexPage, OrganisationDirectoryPage
    from trainings.models import TrainingPage

    from .models import CampaignIndexPage, CampaignPage, HomePage, StandardPage

    if isinstance(page, TrainingPage):
        # Its sessions hang off the translation key: both languages change together.
        return [freshness.CONTENT, freshness.seats_of(page.translation_key)]
    if isinstance(page, CatalogueIndexPage | HomePage):
        return [freshness.CONTENT, freshness.SEATS]  # cards and next sessions show seats
    if isinstance(
        page, StandardPage | CampaignPage | CampaignIndexPage | OrganisationDirectoryPage
    ):
        # Their related-trainings blocks and the directory show titles, never seats.
        return [freshness.CONTENT]
    return list(DEFAULT_TAGS)


def etag_of(content):
    return f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


class ProcessCopies:
    """The pages this process served last, least recently used dropped first past `limit`
    bytes. A copy is served only before the page's expiry and after the shared cache confirmed
    its stamps: it spares reading and unpickling the page, never a check."""

    def __init__(self, limit=MEMORY_BYTES):
        self.limit = limit
        self.size = 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()  # threaded servers (runserver, gthread workers)

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        size = len(entry["content"])
        if size > self.limit:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old["content"])
            self.entries[key] = entry
            self.size += size
            while self.size > self.limit:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped["content"])

    def drop(self, key):
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old["content"])


class AnonymousPageCacheMiddleware:
    """See the module's docstring. Placed after the security header middlewares (cached pages
    get their headers too) and before SessionMiddleware: a hit reads the cache only."""

    def __init__(self, get_response):
        self.get_response = get_response
        middleware = list(settings.MIDDLEWARE)
        me = f"{__name__}.{type(self).__name__}"
        # Compressed after this one: a compressed page is kept for those who take gzip only.
        self.by_encoding = (
            GZIP_MIDDLEWARE in middleware
            and me in middleware
            and middleware.index(GZIP_MIDDLEWARE) > middleware.index(me)
        )
        self.copies = ProcessCopies()

    def __call__(self, request):
        if has_identity(request):
            response = self.get_response(request)
            # Members and editors always see fresh pages, never a shared copy.
            patch_cache_control(response, private=True, no_cache=True)
            response["X-Cache"] = "bypass"
            return response
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path_info.startswith(EXCLUDED_PATHS):
            response = self.get_response(request)
            response["X-Cache"] = "bypass"
            return response
        forget_tracking(request)
        key = self.key(request)
        if key is None:
            response = self.get_response(request)
            response["X-Cache"] = "bypass"
            return response

        kept = self.copies.get(key)
        if kept is not None:
            if self.copy_is_current(kept):
                return self.serve(request, kept)
            self.copies.drop(key)
        found = self.read(key)
        entry = found.get(key)
        if entry is not None and self.is_fresh(entry, found):
            self.copies.put(key, entry)
            return self.serve(request, entry)

        before = {tag: found.get(freshness.PREFIX + tag) for tag in DEFAULT_TAGS}
        if None in before.values():
            before = self.stamps(*DEFAULT_TAGS)  # never bumped, or forgotten: start them now
        response = self.get_response(request)
        if request.method == "GET" and before and not self.refusal(request, response):
            self.store(request, response, key, before, seconds)
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        response["X-Cache"] = "miss"
        return response

    # -- The key ------------------------------------------------------------------------------

    def key(self, request):
        """The cache key of this request's page, or None when it is not to be cached."""
        address = request.get_full_path()
        if len(address) > MAX_ADDRESS_LENGTH:
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # CommonMiddleware answers it (400)
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        encoding = ""
        if self.by_encoding and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            encoding = "gzip"
        raw = "\n".join((request.scheme, host, language, encoding, address))
        return KEY_PREFIX + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()

    # -- Reading ------------------------------------------------------------------------------

    def read(self, key):
        """The stored page (if any) and the common stamps, in one round trip."""
        try:
            return cache.get_many([key, *COMMON_STAMP_KEYS])
        except Exception:  # the cache is down: serve pages without it
            logger.warning("Page cache unreadable; serving uncached.", exc_info=True)
            return {}

    def stamps(self, *tags):
        try:
            return freshness.stamps(*tags)
        except Exception:
            logger.warning("Freshness stamps unreadable; not caching.", exc_info=True)
            return {}

    def copy_is_current(self, kept):
        """Not expired, and the stamps it was built from unchanged (one round trip)."""
        if time.time() >= kept.get("expires", 0):
            return False
        stamp_keys = {freshness.PREFIX + tag: stamp for tag, stamp in kept["stamps"].items()}
        try:
            found = cache.get_many(list(stamp_keys))
        except Exception:
            logger.warning("Page cache unreadable; serving uncached.", exc_info=True)
            return False
        return all(found.get(stamp_key) == stamp for stamp_key, stamp in stamp_keys.items())

    def is_fresh(self, entry, found):
        stored = entry["stamps"]
        current = {}
        for tag in stored:
            key = freshness.PREFIX + tag
            if key in found:
                current[tag] = found[key]
        others = [tag for tag in stored if tag not in current]
        if others:
            try:
                more = cache.get_many([freshness.PREFIX + tag for tag in others])
            except Exception:
                logger.warning("Page cache unreadable; serving uncached.", exc_info=True)
                return False
            current.update({tag: more.get(freshness.PREFIX + tag) for tag in others})
        return current == stored

    def serve(self, request, entry):
        response = HttpResponse(entry["content"], headers=entry["headers"])
        response["X-Cache"] = "hit"
        if "HTTP_IF_NONE_MATCH" in request.META:
            response = get_conditional_response(
                request, etag=entry["headers"].get("ETag"), response=response
            )
        return response

    # -- Storing ------------------------------------------------------------------------------

    def refusal(self, request, response):
        """Why this response must not be stored ("" when it may)."""
        if response.status_code != 200:
            return "status"
        if set(request.GET) - settings.PAGE_CACHE_QUERY_PARAMETERS:
            return "unknown parameter"
        if response.streaming:
            return "streamed"
        if response.cookies:
            return "sets a cookie"
        if "CSRF_COOKIE_NEEDS_UPDATE" in request.META or request.META.get("CSRF_COOKIE_USED"):
            return "uses a CSRF token"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return "signed in"
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in REFUSED_CACHE_CONTROL):
            return "private"
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if vary - VARY_ALLOWED:
            return "varies"
        if response.has_header("Content-Encoding") and not self.by_encoding:
            return "encoded"
        if len(response.content) > MAX_CONTENT_BYTES:
            return "too large"
        return ""

    def store(self, request, response, key, before, seconds):
        tags = list(dict.fromkeys(getattr(request, "page_cache_tags", None) or DEFAULT_TAGS))
        after = self.stamps(*dict.fromkeys([*DEFAULT_TAGS, *tags]))
        if not after or any(after.get(tag) != stamp for tag, stamp in before.items()):
            # Something changed while the page was rendered: it may show either state.
            patch_cache_control(response, private=True, no_cache=True)
            return
        if not response.has_header("Cache-Control"):
            shared = seconds if not request.META.get("QUERY_STRING") else BROWSER_SECONDS
            patch_cache_control(
                response, public=True, max_age=min(BROWSER_SECONDS, seconds), s_maxage=shared
            )
        patch_vary_headers(response, ["Cookie"])
        # The language comes from the address alone (French has no prefix: LocaleMiddleware
        # then takes the default, whatever Accept-Language says): a CDN need not split on it.
        vary = [v.strip() for v in response["Vary"].split(",")]
        response["Vary"] = ", ".join(v for v in vary if v.lower() != "accept-language")
        if not response.has_header("ETag"):
            response["ETag"] = etag_of(response.content)
        entry = {
            "expires": time.time() + seconds,
            "content": response.content,
            "headers": dict(response.items()),
            "stamps": {tag: after[tag] for tag in tags},
        }
        try:
            cache.set(key, entry, seconds)
        except Exception:
            logger.warning("Page cache unwritable; page not cached.", exc_info=True)
            return
        self.copies.put(key, entry)
