"""The training committee keeps the newsletter's subscribers (sees, exports and erases them)
and sends the issues (sees the sendings, starts one).

A frozen list, as in committee/migrations/0001_roles (see there why); only adds, never
removes. committee/roles.py lists the same permissions for a fresh setup."""

from importlib import import_module

from django.db import migrations

roles = import_module("committee.migrations.0001_roles")

PERMISSIONS = [
    "newsletter.view_subscriber",
    "newsletter.delete_subscriber",
    "newsletter.view_newslettersending",
    "newsletter.add_newslettersending",
]


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("committee", "0003_resource_directory_roles"),
    ]

    operations = [roles.grant_to_training_committee(PERMISSIONS)]
