"""Production: everything comes from the environment and nothing insecure is assumed."""

import os
from urllib.parse import urlsplit

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .storage import storages_from_environment


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set for production "
            "(see README.md, section Production)."
        )
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

# Behind the proxy, the visitor's address is in X-Forwarded-For (the lockout and the sign-up
# limits count by it). PROXY_COUNT: the proxies that append to it (1: nginx alone).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = client_address(PROXY_COUNT)  # noqa: F405

# HTTPS everywhere: the proxy in front terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp through cqctp.middleware): the public site runs only its
# own script files, loads only its own styles, images and fonts, and nobody may frame it. No
# inline script or style exists in the public templates (JSON-LD is a data block, not run).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Videos (home.blocks.VideoBlock): the privacy-enhanced players only, loaded after a
        # click; posters are the site's own images, so img-src stays "self".
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
        "img-src": [SELF, "data:", "blob:"],
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

# Static files served by whitenoise, compressed and with hashed names.
# After the security headers (static files get them too), before everything else.
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
OUTBOX_DELIVERY_BACKEND = os.environ.get(
    "OUTBOX_DELIVERY_BACKEND",
    os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "false").lower() == "true"

# The public address (links in e-mails and calendars, the Wagtail Site record): https, a host
# name, nothing after it, e.g. https://formations.cqctp.org.
PUBLIC_BASE_URL = required("PUBLIC_BASE_URL").rstrip("/")
_public = urlsplit(PUBLIC_BASE_URL)
if _public.scheme != "https" or not _public.hostname or _public.path or _public.query:
    raise ImproperlyConfigured(
        f"PUBLIC_BASE_URL must be an https address with nothing after the host name, such as "
        f"https://formations.cqctp.org (got {PUBLIC_BASE_URL!r})."
    )
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "").strip() or PUBLIC_BASE_URL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
