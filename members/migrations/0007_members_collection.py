"""The members' collection: where the library's files are uploaded, with a view restriction
(login) so that Wagtail's admin shows it as private and its files are never served to the
public (members/documents.py turns "signed in" into "a member", and a refusal into a 404).

An existing collection of that name is reused, and given the restriction if it has none."""

from django.db import migrations

NAME = "Documents des membres"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, for Wagtail's collections
STEPLEN = 4


def next_step(last):
    number = 0 if last is None else int(last, 36) + 1
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
        if number == 0:
            break
    return digits.rjust(STEPLEN, "0")


def create_collection(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Restriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    collection = Collection.objects.filter(depth=2, name=NAME).first()
    if collection is None:
        children = Collection.objects.filter(depth=2, path__startswith=root.path)
        last = children.order_by("-path").values_list("path", flat=True).first()
        path = root.path + next_step(last[-STEPLEN:] if last else None)
        collection = Collection.objects.create(name=NAME, path=path, depth=2, numchild=0)
        root.numchild = children.count()
        root.save(update_fields=["numchild"])
    if not Restriction.objects.filter(collection=collection).exists():
        Restriction.objects.create(collection=collection, restriction_type="login", password="")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_document_library"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_collection, migrations.RunPython.noop)]
