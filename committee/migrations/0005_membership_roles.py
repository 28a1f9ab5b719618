"""The training committee reviews membership applications (to view and decide) and keeps the
membership dues (to record them and send the reminders).

A frozen list, as in 0001_roles (see there why); only adds, never removes."""

from importlib import import_module

from django.db import migrations

roles = import_module("committee.migrations.0001_roles")

PERMISSIONS = [
    "members.change_membershipapplication",
    "members.view_membershipapplication",
    *[f"members.{action}_membershipdues" for action in ("add", "change", "delete", "view")],
]


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0004_document_library_roles"),
        ("members", "0008_membership_applications_dues"),
    ]

    operations = [roles.grant_to_training_committee(PERMISSIONS)]
