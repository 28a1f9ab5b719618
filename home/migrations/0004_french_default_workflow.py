"""Wagtail's default workflow and its task are data named in English ("Moderators approval"), shown
to French editors as "Soumettre à Moderators approval": give them the committee's French name.
A name an editor already changed is left as it is."""

from django.db import migrations

ENGLISH = "Moderators approval"
FRENCH = "Approbation du comité"


def rename(apps, old, new):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=old).update(name=new)
    apps.get_model("wagtailcore", "Task").objects.filter(name=old).update(name=new)


def to_french(apps, schema_editor):
    rename(apps, ENGLISH, FRENCH)


def to_english(apps, schema_editor):
    rename(apps, FRENCH, ENGLISH)


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0003_sitesettings_safety_page'),
        ('wagtailcore', '0048_add_default_workflows'),
    ]

    operations = [migrations.RunPython(to_french, to_english)]
