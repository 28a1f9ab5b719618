"""The training committee, which keeps the library, names its tags in English.

A frozen list, as in 0001_roles (see there why); only adds, never removes."""

from django.db import migrations

PERMISSIONS = [f"members.{action}_librarytag" for action in ("add", "change", "delete", "view")]


def add_permissions(apps, schema_editor):
    from importlib import import_module

    roles = import_module("committee.migrations.0001_roles")
    roles.create_missing_permissions(apps)
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Comité formation")
    group.permissions.add(*[roles.permission(apps, label) for label in PERMISSIONS])


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0005_membership_roles"),
        ("members", "0009_library_tags_in_both_languages"),
    ]

    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
