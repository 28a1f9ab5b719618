"""The admin's roles: three groups named in French with their permissions.

A frozen copy of committee/roles.py as it was written (a migration must do tomorrow what it did
today: importing roles.py would apply tomorrow's definitions, which may name permissions of
models that do not exist yet at this point of the history). tests/test_roles_permissions.py
checks that the database matches roles.py; a later change to the roles comes with a migration.

Idempotent: groups are found by name and permissions only added, never removed, so what
administrators changed since stays. Catalogue and directory pages that exist get their page
permissions now; later ones get them when they are created (committee/signals.py). Undoing the
migration keeps the groups: removing them would silently take people's roles away.
"""

from django.db import migrations

PUBLISHER = ("add", "change", "publish", "lock", "unlock")


def _crud(app, model, actions=("add", "change", "delete", "view")):
    return tuple(f"{app}.{action}_{model}" for action in actions)


ROLES = {
    "Comité formation": {
        "permissions": (
            "wagtailadmin.access_admin",
            "simple_translation.submit_translation",
            *_crud("members", "organisation", ("add", "change", "view")),
            *_crud("members", "membership", ("change", "view")),
            *_crud("members", "signuprequest", ("change", "view")),
            "members.view_invitation",
            *_crud("trainings", "theme"),
            *_crud("trainings", "audience"),
            *_crud("trainings", "enrolment", ("change", "view")),
            # Sessions' entries in Reports › Site history (capacity, cancellation, e-mails).
            "trainings.view_trainingsession",
            *_crud("trainings", "attendance", ("add", "change", "view")),
            *_crud("trainings", "certificate", ("change", "view")),
            "trainings.view_reports",
        ),
        "collections": ("wagtailimages.add_image", "wagtailimages.choose_image"),
        "pages": {"catalogue": PUBLISHER, "directory": PUBLISHER},
    },
    "Comité sensibilisation": {
        "permissions": ("wagtailadmin.access_admin", "simple_translation.submit_translation"),
        "collections": (
            *_crud("wagtailimages", "image", ("add", "change", "delete", "choose")),
            *_crud("wagtaildocs", "document", ("add", "change", "delete", "choose")),
        ),
        "pages": {"site": PUBLISHER},
    },
    "Rédaction – organisme membre": {
        "permissions": ("wagtailadmin.access_admin",),
        "collections": (),
        "pages": {"catalogue": ("add",)},
    },
}


def create_missing_permissions(apps):
    """Django creates content types and permissions after the last migration; the roles need
    those of the models migrated just before (the usual recipe, with the historical models)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)  # none in a migration
        app_config.models_module = models_module or True
        try:
            create_contenttypes(app_config, apps=apps, verbosity=0)
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module


def permission(apps, label):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_to_training_committee(labels):
    """The operation later migrations use to give the training committee more permissions
    (their own frozen list of labels): only adds, never removes."""

    def add_permissions(apps, schema_editor):
        create_missing_permissions(apps)
        Group = apps.get_model("auth", "Group")
        group, _ = Group.objects.get_or_create(name="Comité formation")
        group.permissions.add(*[permission(apps, label) for label in labels])

    return migrations.RunPython(add_permissions, migrations.RunPython.noop)


def pages_of_kind(apps, kind):
    Page = apps.get_model("wagtailcore", "Page")
    if kind == "site":
        return list(Page.objects.filter(depth=1).values_list("pk", flat=True))
    model = {"catalogue": "CatalogueIndexPage", "directory": "OrganisationDirectoryPage"}[kind]
    return list(apps.get_model("catalogue", model).objects.values_list("pk", flat=True))


def create_roles(apps, schema_editor):
    create_missing_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root_collection = Collection.objects.filter(depth=1).first()
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[permission(apps, label) for label in role["permissions"]])
        for label in role["collections"]:
            if root_collection is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(apps, label)
                )
        for kind, actions in role["pages"].items():
            for page_id in pages_of_kind(apps, kind):
                for action in actions:
                    GroupPagePermission.objects.get_or_create(
                        group=group,
                        page_id=page_id,
                        permission=permission(apps, f"wagtailcore.{action}_page"),
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("simple_translation", "0001_initial"),
        ("home", "0005_issue9"),
        ("catalogue", "0002_organisationdirectorypage"),
        ("members", "0002_invitation_membership_signuprequest"),
        ("trainings", "0004_trainingpage_view_reports"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
