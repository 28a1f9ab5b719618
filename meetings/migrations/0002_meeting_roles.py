"""The training committee sees (and may correct or erase) the members' answers to meetings;
its page permissions on each meetings index come with the page (committee/signals.py).

A frozen list, as in committee/migrations/0001_roles (see there why); only adds."""

from django.db import migrations

PERMISSIONS = [f"meetings.{action}_meetingresponse" for action in ("change", "delete", "view")]


def add_permissions(apps, schema_editor):
    from importlib import import_module

    roles = import_module("committee.migrations.0001_roles")
    roles.create_missing_permissions(apps)
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Comité formation")
    group.permissions.add(*[roles.permission(apps, label) for label in PERMISSIONS])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_meetings"),
        ("committee", "0004_document_library_roles"),
    ]

    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
