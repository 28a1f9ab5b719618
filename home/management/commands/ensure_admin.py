"""Create the administrator account for local use, once, and print how to sign in."""

import os

from cqctp.links import absolute_url
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

DEV_PASSWORD = "changeme"  # noqa: S105  (local development only, refused when DEBUG is off)


class Command(BaseCommand):
    help = (
        "Create an admin account if none exists. Reads DJANGO_SUPERUSER_USERNAME, "
        "DJANGO_SUPERUSER_EMAIL and DJANGO_SUPERUSER_PASSWORD; in development the password "
        f"defaults to '{DEV_PASSWORD}'."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "admin@example.org")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not password:
            if not settings.DEBUG:
                raise CommandError(
                    "Set DJANGO_SUPERUSER_PASSWORD: no default password outside development."
                )
            password = DEV_PASSWORD
        admin = absolute_url(reverse("wagtailadmin_home"))
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin account '{username}' already exists (password unchanged). "
                f"Sign in at {admin}"
            )
            return
        User.objects.create_superuser(username=username, email=email, password=password)
        shown = password if "DJANGO_SUPERUSER_PASSWORD" not in os.environ else "(from environment)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin account created. Sign in at {admin} "
                f"with username '{username}' and password '{shown}'."
            )
        )
