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
