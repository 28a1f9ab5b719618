"""Local development: debug pages, console e-mail, SQLite unless DATABASE_URL says otherwise."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"  # through the outbox
# Template and code edits show at once; PAGE_CACHE_SECONDS=300 tries the anonymous page cache.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
