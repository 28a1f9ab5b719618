"""Fill `TrainingPage.next_session_start` for the trainings that exist (0005 added it empty).

From then on the signals and the worker keep it current (trainings/next_session.py). Written
with the historical models: one grouped query over the sessions, then the pages in batches.
"""

from django.db import migrations
from django.db.models import Min
from django.utils import timezone


def fill(apps, schema_editor):
    TrainingPage = apps.get_model("trainings", "TrainingPage")
    TrainingSession = apps.get_model("trainings", "TrainingSession")
    upcoming = (
        TrainingSession.objects.filter(status="scheduled", end__gte=timezone.now())
        .values("page__translation_key")
        .annotate(first_start=Min("start"))
        .order_by()
    )
    first_start = {row["page__translation_key"]: row["first_start"] for row in upcoming}
    pages = []
    for page in TrainingPage.objects.only("pk", "translation_key", "next_session_start"):
        value = first_start.get(page.translation_key)
        if page.next_session_start != value:
            page.next_session_start = value
            pages.append(page)
    TrainingPage.objects.bulk_update(pages, ["next_session_start"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0005_trainingpage_next_session_start"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
