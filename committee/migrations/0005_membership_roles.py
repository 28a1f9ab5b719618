"""The training committee reviews membership applications (to view and decide) and keeps the
membership dues (to record them and send the reminders).

A frozen list, as in 0001_roles (see there why); only adds, never removes."""

from django.db import migrations

PERMISSIONS = [
    "members.change_membershipapplication",
    "members.view_membershipapplication",
    *[f"members.{action}_membershipdues" for action in ("add", "change", "delete", "view")],
]


def add_permissions(apps, schema_editor):
    from importlib import import_module

    roles = import_module("committee.migrations.0001_roles")
    roles.create_missing_permissions(apps)
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Comité formation")
    group.permissions.add(*[roles.permission(apps, label) for label in PERMISSIONS])


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0004_document_library_roles"),
        ("members", "0008_membership_applications_dues"),
    ]

    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
