"""Production settings for the tests that run the site in processes of its own (two gunicorn
servers on one database, the backup round trip): production.py as it is (DEBUG off, everything
from the environment, whitenoise, the cache and media it configures), but spoken to in plain
HTTP on 127.0.0.1 and without a deployment step. Never for a real server."""

import os

from .production import *  # noqa: F403

# No TLS proxy in front: the test talks HTTP to gunicorn directly.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_PROXY_SSL_HEADER = None

# Static files straight from the apps' folders: no collectstatic run before the test.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Hundreds of members sign in during a test: the test suite's fast hashing (test.py does the
# same); the accounts are created by the test process with it.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Delivered e-mails are files the test reads (OUTBOX_DELIVERY_BACKEND comes from the
# environment, as in production: django.core.mail.backends.filebased.EmailBackend).
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
