"""Where the cache lives, and which CDN (if any) sits in front and is purged.

The cache holds the anonymous pages (home/page_cache.py), the freshness stamps that invalidate
them (home/freshness.py), the shared header fragments and the calendar feeds. An invalidation
is a write to the cache: every process that serves pages must read the same cache, or one
worker keeps serving a page another worker's publish made stale. Hence:

  REDIS_URL          redis://host:6379/0 (rediss:// with TLS): one cache for every process of
                     every server. Required as soon as there is more than one app server.
  CACHE_DIR          a folder: a file cache shared by the processes of ONE machine (the gunicorn
                     workers and the worker command must all see the same folder).
  (neither)          production: the file cache in DEFAULT_CACHE_DIR; development and tests:
                     memory, one per process (fine for one process only).
  CACHE_KEY_PREFIX   optional (default "cqctp"): several sites sharing one Redis.

A CDN or caching proxy in front (optional), purged through Wagtail's frontend cache when pages
are published and when seats change (home/signals.py):

  FRONTEND_CACHE_BACKEND     http, cloudflare or cloudfront; empty: no CDN.
  http:        FRONTEND_CACHE_LOCATION, the proxy's address the PURGE requests go to
               (Varnish, nginx with a purge module: http://127.0.0.1:6081).
  cloudflare:  CLOUDFLARE_ZONE_ID, and CLOUDFLARE_API_TOKEN (a token allowed to purge the zone)
               or both CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY.
  cloudfront:  CLOUDFRONT_DISTRIBUTION_ID (credentials from boto3's usual chain: AWS_* variables
               or the machine's role).
  FRONTEND_CACHE_HOSTNAMES   optional, comma-separated: the host names the CDN serves (default:
                             all).
"""

import time
from pathlib import Path

from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Next to the default media folder; CACHE_DIR moves it (a read-only checkout, a faster disk).
DEFAULT_CACHE_DIR = BASE_DIR / "cache"
DEFAULT_KEY_PREFIX = "cqctp"
# A file or memory cache past this many entries drops a third of them at random: enough for
# every page of the site in both languages and the catalogue's common searches. (A dropped
# freshness stamp only makes entries built from it stale, never a stale entry fresh.)
MAX_ENTRIES = 20_000
MEMORY_MAX_ENTRIES = 2_000  # a copy per process: kept small
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")

# How often a process may list the cache folder to drop entries past MAX_ENTRIES.
CULL_INTERVAL_SECONDS = 60

FRONTEND_BACKENDS = {
    "http": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
    "cloudflare": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
    "cloudfront": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
}


class SharedFileCache(FileBasedCache):
    """Django's file cache, listing its folder to cull at most once a minute per process
    instead of at every write: a write (a stored page, a freshness stamp bumped by an
    enrolment) then costs one small file, not a listing of thousands (10 ms at 2,000 entries,
    35 ms at 8,000, measured). The folder may exceed MAX_ENTRIES by a minute's writes."""

    _last_cull = float("-inf")

    def _cull(self):
        now = time.monotonic()
        if now - self._last_cull < CULL_INTERVAL_SECONDS:
            return
        self._last_cull = now
        super()._cull()


def _value(environ, name):
    return (environ.get(name) or "").strip()


def _refuse(message):
    raise ImproperlyConfigured(f"Cache: {message} (see docs/deploy.md).")


def caches_from_environment(environ, production=False):
    """Django's CACHES: Redis with REDIS_URL; else a file cache in CACHE_DIR (in production,
    DEFAULT_CACHE_DIR when CACHE_DIR is not given); else local memory."""
    prefix = _value(environ, "CACHE_KEY_PREFIX") or DEFAULT_KEY_PREFIX
    redis_url = _value(environ, "REDIS_URL")
    if redis_url:
        if not redis_url.startswith(REDIS_SCHEMES):
            _refuse(f"REDIS_URL must start with redis://, rediss:// or unix:// (got {redis_url!r})")
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": prefix,
            }
        }
    folder = _value(environ, "CACHE_DIR")
    if folder or production:
        path = Path(folder) if folder else DEFAULT_CACHE_DIR
        if not path.is_absolute():
            _refuse(f"CACHE_DIR must be an absolute path (got {folder!r})")
        return {
            "default": {
                "BACKEND": "cqctp.settings.caches.SharedFileCache",
                "LOCATION": str(path),
                "KEY_PREFIX": prefix,
                "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES},
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"MAX_ENTRIES": MEMORY_MAX_ENTRIES},
        }
    }


def frontend_cache_from_environment(environ):
    """Wagtail's WAGTAILFRONTENDCACHE for the CDN named by FRONTEND_CACHE_BACKEND ({}: none)."""
    kind = _value(environ, "FRONTEND_CACHE_BACKEND").lower()
    if not kind:
        return {}
    if kind not in FRONTEND_BACKENDS:
        _refuse(
            f"FRONTEND_CACHE_BACKEND must be one of {', '.join(FRONTEND_BACKENDS)} (got {kind!r})"
        )
    config = {"BACKEND": FRONTEND_BACKENDS[kind]}
    if kind == "http":
        location = _value(environ, "FRONTEND_CACHE_LOCATION")
        if not location.startswith(("http://", "https://")):
            _refuse("FRONTEND_CACHE_LOCATION must be the proxy's http:// or https:// address")
        config["LOCATION"] = location
    elif kind == "cloudflare":
        zone = _value(environ, "CLOUDFLARE_ZONE_ID")
        token = _value(environ, "CLOUDFLARE_API_TOKEN")
        email = _value(environ, "CLOUDFLARE_EMAIL")
        key = _value(environ, "CLOUDFLARE_API_KEY")
        if not zone:
            _refuse("CLOUDFLARE_ZONE_ID is required with FRONTEND_CACHE_BACKEND=cloudflare")
        if token:
            config["BEARER_TOKEN"] = token
        elif email and key:
            config.update(EMAIL=email, API_KEY=key)
        else:
            _refuse(
                "Cloudflare needs CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY"
            )
        config["ZONEID"] = zone
    else:
        distribution = _value(environ, "CLOUDFRONT_DISTRIBUTION_ID")
        if not distribution:
            _refuse("CLOUDFRONT_DISTRIBUTION_ID is required with FRONTEND_CACHE_BACKEND=cloudfront")
        config["DISTRIBUTION_ID"] = distribution
    hostnames = [h.strip() for h in _value(environ, "FRONTEND_CACHE_HOSTNAMES").split(",")]
    if any(hostnames):
        config["HOSTNAMES"] = [h for h in hostnames if h]
    return {"default": config}
