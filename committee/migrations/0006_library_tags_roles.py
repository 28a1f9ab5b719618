"""The training committee, which keeps the library, names its tags in English.

A frozen list, as in 0001_roles (see there why); only adds, never removes."""

from importlib import import_module

from django.db import migrations

roles = import_module("committee.migrations.0001_roles")

PERMISSIONS = [f"members.{action}_librarytag" for action in ("add", "change", "delete", "view")]


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0005_membership_roles"),
        ("members", "0009_library_tags_in_both_languages"),
    ]

    operations = [roles.grant_to_training_committee(PERMISSIONS)]
