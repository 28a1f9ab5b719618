"""Production: everything comes from the environment, each value is checked, and nothing
insecure is assumed. A missing or malformed variable stops the start with ImproperlyConfigured
naming it. docs/deploy.md lists every variable, this file's and the others'."""

import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DATABASE_SCHEMES = ("postgres", "postgresql", "pgsql", "sqlite")


def refuse(name, expected, value=None):
    """Stop the start: `name` must be `expected`. The value is shown unless it is a secret."""
    shown = "" if value is None else f" (got {value!r})"
    raise ImproperlyConfigured(
        f"The environment variable {name} must be {expected}{shown}; see docs/deploy.md."
    )


def text(name, default=""):
    return os.environ.get(name, default).strip()


def required(name):
    value = text(name)
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set for production "
            "(see README.md, section Production, and docs/deploy.md)."
        )
    return value


def whole_number(name, default, *, minimum=0, maximum=None):
    """An integer from the environment, within bounds; `default` when unset or empty."""
    value = text(name)
    if not value:
        return default
    bounds = f"at least {minimum}" + (f" and at most {maximum}" if maximum is not None else "")
    try:
        number = int(value)
    except ValueError:
        refuse(name, f"a whole number, {bounds}", value)
    if number < minimum or (maximum is not None and number > maximum):
        refuse(name, f"a whole number, {bounds}", value)
    return number


def yes_no(name, default):
    """true/false (also 1/0, yes/no, on/off, any case); `default` when unset or empty."""
    value = text(name).lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    refuse(name, "true or false", value)


def comma_list(name):
    return [item.strip() for item in text(name).split(",") if item.strip()]


def absolute_folder(name):
    """An absolute path when given: systemd and cron do not start in the repository."""
    value = text(name)
    if value and not Path(value).is_absolute():
        refuse(name, "an absolute path, such as /srv/cqctp/media", value)
    return value


def address(name):
    """An e-mail address, alone or as "Name <address>"."""
    value = text(name)
    if value:
        try:
            validate_email(parseaddr(value)[1])
        except ValidationError:
            refuse(
                name, 'an e-mail address, such as "Formations CQCTP <formations@cqctp.org>"', value
            )
    return value


def database_url():
    value = text("DATABASE_URL")
    if not value:
        return  # SQLite in the repository (base.py): one machine only
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    expected = "postgres://user:password@host:5432/name (or sqlite:////absolute/path.sqlite3)"
    if scheme not in DATABASE_SCHEMES:
        refuse("DATABASE_URL", expected, urlsplit(value)._replace(netloc="…").geturl())
    try:
        parsed = dj_database_url.parse(value)
    except ValueError:
        refuse("DATABASE_URL", expected)  # the password is not repeated
    if not parsed.get("NAME"):
        refuse("DATABASE_URL", f"{expected}, with a database name")


# What base.py reads with int() and friends: checked here first, so that a bad value names its
# variable instead of failing inside base.py with a bare ValueError.
database_url()
whole_number("DB_CONN_MAX_AGE", 0)
whole_number("PROXY_COUNT", 0)
whole_number("PAGE_CACHE_SECONDS", 0)
whole_number("PERSONAL_DATA_RETENTION_YEARS", 3, minimum=1)
whole_number("REMINDER_DAYS_BEFORE", 3)
absolute_folder("STATIC_ROOT")
absolute_folder("MEDIA_ROOT")
address("DEFAULT_FROM_EMAIL")
address("SERVER_EMAIL")

from .base import *  # noqa: E402, F403
from .caches import caches_from_environment  # noqa: E402
from .storage import media_origins, storages_from_environment  # noqa: E402

DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = comma_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    required("ALLOWED_HOSTS")  # unset: "must be set"; set to commas alone: the line below
    refuse("ALLOWED_HOSTS", "host names separated by commas, such as formations.cqctp.org")
CSRF_TRUSTED_ORIGINS = comma_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("https://", "http://")):
        refuse(
            "CSRF_TRUSTED_ORIGINS", "origins with their scheme, such as https://cqctp.org", _origin
        )

# Persistent database connections: a request reuses its worker's connection instead of opening
# one (+65% on the home page, issue 11), checked before reuse so a restarted database is no
# error. Every gunicorn worker and worker command holds one: see docs/deploy.md for the sum.
DATABASES = {
    **DATABASES,  # noqa: F405
    "default": {
        **DATABASES["default"],  # noqa: F405
        "CONN_MAX_AGE": whole_number("DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    },
}

# One cache for every process (settings/caches.py): Redis with REDIS_URL, else a file cache on
# this machine (CACHE_DIR or the default folder), never a per-process memory cache.
CACHES = caches_from_environment(os.environ, production=True)

# Behind the proxy, the visitor's address is in X-Forwarded-For (the lockout and the sign-up
# limits count by it). PROXY_COUNT: the proxies that append to it (1: nginx alone).
PROXY_COUNT = whole_number("PROXY_COUNT", 1)
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = client_address(PROXY_COUNT)  # noqa: F405

# HTTPS everywhere: the proxy in front terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = yes_no("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = whole_number("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Images on S3-compatible storage are shown from the bucket's (or its CDN's) origin.
MEDIA_ORIGINS = media_origins(os.environ)

# Content-Security-Policy (django-csp through cqctp.middleware): the public site runs only its
# own script files, loads only its own styles, images and fonts, and nobody may frame it. No
# inline script or style exists in the public templates (JSON-LD is a data block, not run).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Videos (home.blocks.VideoBlock): the privacy-enhanced players only, loaded after a
        # click; posters are the site's own images, so img-src stays "self" (and the media's).
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# The Wagtail admin still writes inline scripts and styles and previews pages in a frame:
# its own policy, for paths under /admin/ only, where every user is a signed-in editor.
CSP_ADMIN_PATH_PREFIX = "/admin/"
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Resources are for this site's pages only; no page uses the sensors, camera or payment.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
}
# The click-to-load video (home.blocks.VideoBlock) starts playing at the click that framed it.
PERMISSIONS_POLICY["autoplay"] = [
    "self",
    '"https://www.youtube-nocookie.com"',
    '"https://player.vimeo.com"',
]

# Static files served by whitenoise from STATIC_ROOT (`manage.py collectstatic`), with hashed
# names (cached for a year by browsers and CDNs) and gzip copies made once at collectstatic.
# After the security headers (static files get them too), before everything else.
# HTML is compressed by the proxy, not here (no GZipMiddleware): see docs/deploy.md,
# "Compression": gzip in C outside the Python workers, and the proxy leaves the signed-in
# areas uncompressed (BREACH).
_static_at = MIDDLEWARE.index("cqctp.middleware.SecurityHeadersMiddleware") + 1  # noqa: F405
MIDDLEWARE = [
    *MIDDLEWARE[:_static_at],  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_static_at:],  # noqa: F405
]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media on S3-compatible storage when its settings are given (settings/storage.py).
STORAGES = storages_from_environment(os.environ, STORAGES)

# EMAIL_BACKEND stays the outbox (base.py); this is the server the outbox delivers to.
OUTBOX_DELIVERY_BACKEND = text(
    "OUTBOX_DELIVERY_BACKEND",
    text("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend",
)
if OUTBOX_DELIVERY_BACKEND.startswith("trainings.outbox_backend"):
    refuse(
        "OUTBOX_DELIVERY_BACKEND",
        "a real mail backend (the outbox cannot deliver to itself)",
        OUTBOX_DELIVERY_BACKEND,
    )
EMAIL_HOST = text("EMAIL_HOST", "localhost")
EMAIL_PORT = whole_number("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = text("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = yes_no("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = yes_no("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    refuse("EMAIL_USE_TLS", "false when EMAIL_USE_SSL is true (one or the other: STARTTLS or TLS)")
# Seconds the mail server may take to answer: the worker holds the e-mails it sends locked
# meanwhile, and a server that hangs must not hold them (or the worker) for ever.
EMAIL_TIMEOUT = whole_number("EMAIL_TIMEOUT", 10, minimum=1)

# The public address (links in e-mails and calendars, the Wagtail Site record): https, a host
# name, nothing after it, e.g. https://formations.cqctp.org.
PUBLIC_BASE_URL = required("PUBLIC_BASE_URL").rstrip("/")
_public = urlsplit(PUBLIC_BASE_URL)
if _public.scheme != "https" or not _public.hostname or _public.path or _public.query:
    raise ImproperlyConfigured(
        f"PUBLIC_BASE_URL must be an https address with nothing after the host name, such as "
        f"https://formations.cqctp.org (got {PUBLIC_BASE_URL!r})."
    )
WAGTAILADMIN_BASE_URL = text("WAGTAILADMIN_BASE_URL").rstrip("/") or PUBLIC_BASE_URL
_admin = urlsplit(WAGTAILADMIN_BASE_URL)
if _admin.scheme != "https" or not _admin.hostname or _admin.path or _admin.query:
    refuse(
        "WAGTAILADMIN_BASE_URL",
        "an https address with nothing after the host name",
        WAGTAILADMIN_BASE_URL,
    )

LOG_LEVEL = text("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in LOG_LEVELS:
    refuse("LOG_LEVEL", " or ".join(LOG_LEVELS), LOG_LEVEL)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
