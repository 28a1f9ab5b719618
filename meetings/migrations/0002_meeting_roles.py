"""The training committee sees (and may correct or erase) the members' answers to meetings;
its page permissions on each meetings index come with the page (committee/signals.py).

A frozen list, as in committee/migrations/0001_roles (see there why); only adds."""

from importlib import import_module

from django.db import migrations

roles = import_module("committee.migrations.0001_roles")

PERMISSIONS = [f"meetings.{action}_meetingresponse" for action in ("change", "delete", "view")]


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_meetings"),
        ("committee", "0004_document_library_roles"),
    ]

    operations = [roles.grant_to_training_committee(PERMISSIONS)]
