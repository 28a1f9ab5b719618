"""WSGI entry point (gunicorn cqctp.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqctp.settings.production")
application = get_wsgi_application()
