"""Benchmarks (`make bench`): the production settings, on PostgreSQL, with the few values a
measuring run on one machine needs. Never for a real site.

What differs from production, and why:
- SECRET_KEY, ALLOWED_HOSTS and PUBLIC_BASE_URL have bench values (production requires them
  from the environment); no HTTPS redirect (the bench talks plain HTTP to gunicorn).
- No proxy in front: the client's address is REMOTE_ADDR.
- The database defaults to postgres://postgres@127.0.0.1:5432/cqctp_bench (DATABASE_URL wins).
- E-mails are delivered in memory (the outbox still writes, renders and "sends" each one).
- PAGE_CACHE_SECONDS from the environment when given: the bench starts one server with the
  anonymous page cache and one with PAGE_CACHE_SECONDS=0 to measure rendering (and a third
  with CATALOGUE_SHARED=0 too, for the catalogue built with nothing kept).
Everything else (middleware, whitenoise, caches, connection reuse) is production's, so the
figures measure what production runs. bench/__main__.py sets STATIC_ROOT and CACHE_DIR to
temporary folders for each run.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-use-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("PUBLIC_BASE_URL", "https://bench.invalid")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("PROXY_COUNT", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cqctp_bench")

from .production import *  # noqa: E402, F403

# Every e-mail goes through the outbox (base.py); the outbox delivers in memory here.
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# base.py chose the search configuration from the database it saw; say it here too: the bench
# runs on PostgreSQL, French stemming.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "french",
    },
}

if os.environ.get("PAGE_CACHE_SECONDS", "").strip():
    PAGE_CACHE_SECONDS = int(os.environ["PAGE_CACHE_SECONDS"])
# CATALOGUE_SHARED=0: the catalogue's pages of results and cards built on every request (the
# bench's third server, which shows what a page costs when nothing of it was kept).
if os.environ.get("CATALOGUE_SHARED", "").strip() == "0":
    CATALOGUE_SHARED_RESULTS = CATALOGUE_SHARED_CARDS = False
