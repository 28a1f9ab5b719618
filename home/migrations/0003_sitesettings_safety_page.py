import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0002_sitesettings_privacy_page'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='sitesettings',
            name='safety_page',
            field=models.ForeignKey(blank=True, help_text='The page that says what the quick exit does and does not do, linked next to the button on every page.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='browse-safely page'),
        ),
    ]
