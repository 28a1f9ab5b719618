"""Settings shared by every environment; dev, test and production refine them."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .caches import caches_from_environment, frontend_cache_from_environment

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent  # the repository: manage.py, templates/, locale/

INSTALLED_APPS = [
    "home",
    "committee",
    "catalogue",
    "trainings",
    "members",
    "meetings",
    "newsletter",
    "demo",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Headers on every response, static files included (production puts whitenoise next);
    # the policies themselves are set in production.py.
    "cqctp.middleware.ContentSecurityPolicyMiddleware",
    "cqctp.middleware.SecurityHeadersMiddleware",
    # Anonymous pages from the cache, before anything reads the session or the database (a
    # cached page costs a cache read); after the header middlewares, which it still gets.
    "home.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Input no page can mean (NUL, numbers beyond 64 bits) answers 400 in the visitor's language,
    # before anything reads the session, the parameters or the database.
    "cqctp.middleware.RejectUnreadableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Another organisation's draft is a 404 for those the catalogue's rules hide it from.
    "committee.middleware.HiddenCataloguePagesMiddleware",
    # A hand-made admin POST Wagtail cannot read answers 400, not 500.
    "committee.middleware.MalformedAdminFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Sees the 404 that Wagtail's redirects could not answer: "/GrandPrix" finds "/grandprix".
    "cqctp.middleware.ShortAddressAnyCaseMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cqctp.urls"
WSGI_APPLICATION = "cqctp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite in a file by default; DATABASE_URL (postgres://user@host:port/name) switches database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: IMMEDIATE transactions take the write lock at BEGIN, which
    # serialises enrolments (see trainings/services.py); writers wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it added 45–60 ms to catalogue queries whose estimated cost crossed
    # its threshold (about 8,500 trainings) while their real work took a few milliseconds.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every process that serves pages (settings/caches.py): Redis with REDIS_URL, a
# file cache with CACHE_DIR, memory otherwise (production.py asks for the file cache then).
CACHES = caches_from_environment(os.environ)
# Anonymous pages are kept this many seconds at most (home/page_cache.py; a CDN too, as
# s-maxage), and dropped as soon as what they show changes. 0: no page cache.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Parts of the catalogue the same for many visitors, kept in the same cache whatever the page
# cache does (members never get cached pages): each page of results per audience, and each
# result card. Off only to measure building them (the bench's in-process part).
CATALOGUE_SHARED_RESULTS = True
CATALOGUE_SHARED_CARDS = True
# The query parameters pages read (the catalogue's filters, search, paging): an address with
# any other is answered fresh and not stored, so made-up addresses cannot fill the cache.
PAGE_CACHE_QUERY_PARAMETERS = frozenset(
    {
        *("q", "page", "next"),
        *("theme", "audience", "format", "language", "region", "provider", "free", "seats"),
        *("date_from", "date_to", "period", "sort"),
    }
)
# Changes are announced to the page cache after their commit only (home/signals.py).
PAGE_CACHE_BUMP_BEFORE_COMMIT = False
# A CDN in front, purged when pages are published and seats change (FRONTEND_CACHE_BACKEND…).
WAGTAILFRONTENDCACHE = frontend_cache_from_environment(os.environ)
# Purge the addresses as given: French has no language prefix, every translation is purged.
WAGTAILFRONTENDCACHE_LANGUAGES = []

# Members sign in with their e-mail address (staff with their username too); django-axes counts
# failures first. One password backend only: each would hash the password again.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "members.backends.EmailBackend",
]
LOGIN_URL = "members:login"
LOGIN_REDIRECT_URL = "enrolments:my_trainings"
LOGOUT_REDIRECT_URL = "/"
# Five failures for the same address from the same client lock that pair for 15 minutes: an
# attacker locks themself out, never the member, who still signs in from elsewhere. The message
# does not say whether the address has an account. A try while locked is answered at once and
# does not restart the 15 minutes. No delay on failures: a sleeping request holds a worker, and
# five tries per client and address already bound the guessing.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
# Sign-in ignores case, so must the counting: "Alex@…" and "alex@…" are one address.
AXES_USERNAME_CALLABLE = "members.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "members/locked_out.html"
AXES_VERBOSE = False


def client_address(proxy_count):
    """How django-axes (through django-ipware) finds the client's address: (headers, count).
    Behind `proxy_count` reverse proxies that each append the address they saw to
    X-Forwarded-For, the client is the proxy_count-th address from the right, and whatever the
    client wrote before it is ignored. Without a proxy (development, tests): REMOTE_ADDR."""
    if not proxy_count:
        return ["REMOTE_ADDR"], None
    # ipware counts the proxies listed in the header; the last proxy is REMOTE_ADDR.
    return ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"], proxy_count - 1


# The number of proxies in front of Django (production.py defaults it to 1).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = client_address(PROXY_COUNT)
# Not strict: a longer chain than expected (the client sent its own X-Forwarded-For) still
# yields the address the first proxy saw, instead of no address (then all share one lockout).
IPWARE_STRICT = False

# Personal data of enrolments older than this many years are removed (purge_personal_data).
PERSONAL_DATA_RETENTION_YEARS = int(os.environ.get("PERSONAL_DATA_RETENTION_YEARS", "3"))
# Reminders leave this many days before a session (send_reminders, run daily by cron).
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "3"))
# An organisation's unpaid dues are reminded at most once in this many days (remind_dues).
DUES_REMINDER_INTERVAL_DAYS = int(os.environ.get("DUES_REMINDER_INTERVAL_DAYS", "14"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French (Canada) first, English second. French pages live at /, English at /en/.
LANGUAGE_CODE = "fr-ca"
LANGUAGES = [
    ("fr-ca", "Français"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Montreal"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Formations CQCTP <formations@cqctp.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Every e-mail goes through the outbox (written in the caller's transaction, retried by
# `send_outbox`); the outbox hands it to OUTBOX_DELIVERY_BACKEND, the real mail server.
EMAIL_BACKEND = "trainings.outbox_backend.OutboxBackend"
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# Wagtail
WAGTAIL_SITE_NAME = _("Formations CQCTP")
# The admin calls no third party: no Gravatar (it would send a hash of each editor's address),
# no release check (the admin's Content-Security-Policy allows this site only).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The public address of the site: every absolute link (e-mails, calendars, JSON-LD, API) and
# the Wagtail Site record come from it (cqctp.links). Development: what `make run` serves.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL)
# The admin speaks the site's two languages only: in another, Wagtail's screens would change
# language and ours would not.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILADMIN_USER_LOGIN_FORM = "members.forms.AdminLoginForm"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # French stemming: "exploitée" finds "exploitation".
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
# Documents are always streamed through Django after Wagtail's collection privacy check,
# never redirected to a storage address (S3 would otherwise hand out a bucket link).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
