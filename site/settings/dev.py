"""Local development: debug pages, console e-mail, SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"  # through the outbox
