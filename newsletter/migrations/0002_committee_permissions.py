"""The training committee keeps the newsletter's subscribers (sees, exports and erases them)
and sends the issues (sees the sendings, starts one).

A frozen list, as in committee/migrations/0001_roles (see there why); only adds, never
removes. committee/roles.py lists the same permissions for a fresh setup."""

from django.db import migrations

PERMISSIONS = [
    "newsletter.view_subscriber",
    "newsletter.delete_subscriber",
    "newsletter.view_newslettersending",
    "newsletter.add_newslettersending",
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
        ("newsletter", "0001_initial"),
        ("committee", "0003_resource_directory_roles"),
    ]

    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
