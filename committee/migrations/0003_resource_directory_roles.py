"""The training committee keeps the resource directory: its entries and the facets' terms.

A frozen list, as in 0001_roles (see there why); only adds, never removes."""

from importlib import import_module

from django.db import migrations

roles = import_module("committee.migrations.0001_roles")


PERMISSIONS = [
    f"members.{action}_{model}"
    for model in ("resource", "servicetype", "peopleserved")
    for action in ("add", "change", "delete", "view")
]


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0002_approval_workflow"),
        ("members", "0004_resource_terms"),
    ]

    operations = [roles.grant_to_training_committee(PERMISSIONS)]
