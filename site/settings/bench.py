"""Benchmarks (`make bench`): production-like (DEBUG off) on PostgreSQL, never for a real site."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-secret-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Every e-mail goes through the outbox (base.py); the outbox delivers in memory here.
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

DATABASES = {
    "default": dj_database_url.config(
        default="postgres://postgres@127.0.0.1:5432/cqctp_bench",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}

# base.py chose the search configuration from the database it saw at import time (SQLite
# without DATABASE_URL); the bench runs on PostgreSQL, so say it here: French stemming.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "french",
    },
}
