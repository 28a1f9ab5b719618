"""The training committee keeps the members' document library: its entries, and the files of
the members' private collection (not the public documents: those are the awareness
committee's).

A frozen list, as in 0001_roles (see there why); only adds, never removes."""

from django.db import migrations

PERMISSIONS = [
    f"members.{action}_librarydocument" for action in ("add", "change", "delete", "view")
]
COLLECTION_PERMISSIONS = [
    f"wagtaildocs.{action}_document" for action in ("add", "change", "delete", "choose")
]
MEMBERS_COLLECTION = "Documents des membres"


def add_permissions(apps, schema_editor):
    from importlib import import_module

    roles = import_module("committee.migrations.0001_roles")
    roles.create_missing_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    group, _ = Group.objects.get_or_create(name="Comité formation")
    group.permissions.add(*[roles.permission(apps, label) for label in PERMISSIONS])
    collection = Collection.objects.filter(depth=2, name=MEMBERS_COLLECTION).first()
    if collection is not None:
        for label in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=roles.permission(apps, label)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0003_resource_directory_roles"),
        ("members", "0007_members_collection"),
    ]

    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
