"""The pytest suite: fast hashing, mail kept in memory, static files without a manifest."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test runner sets EMAIL_BACKEND to locmem (direct); tests of the outbox set it back to
# the outbox (tests/test_account_mail.py). What the outbox delivers lands in mail.outbox too.
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405

# A fixed public address, whatever the environment: links in tests never depend on it.
PUBLIC_BASE_URL = WAGTAILADMIN_BASE_URL = "https://formations.test"

# Memory, whatever the environment says: the suite empties the cache between tests, which must
# never flush a Redis others use. The page cache stays on, as in production (tests/conftest.py
# empties it); the Redis tests build their own caches (tests/test_page_cache.py).
CACHES = caches_from_environment({})  # noqa: F405
PAGE_CACHE_SECONDS = 300
# A test case runs in a transaction that never commits, yet reads pages again after a change:
# announce changes at once too (tests/test_page_cache.py checks the after-commit path alone).
PAGE_CACHE_BUMP_BEFORE_COMMIT = True
WAGTAILFRONTENDCACHE = {}

# The suite's own PostgreSQL database holds nothing worth a flush to disk on every commit: the
# tests that commit (live servers, `transactional_db`) wait for the disk no more.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
