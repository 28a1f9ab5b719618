"""Library tags of their own, with an English name: the entries' taggit tags are copied over
(same names and slugs), then the link points to them."""

import django.db.models.deletion
import modelcluster.contrib.taggit
from django.db import migrations, models


def copy_tags(apps, schema_editor):
    LibraryTag = apps.get_model("members", "LibraryTag")
    LibraryDocumentTag = apps.get_model("members", "LibraryDocumentTag")
    for link in LibraryDocumentTag.objects.select_related("tag"):
        tag, _ = LibraryTag.objects.get_or_create(
            slug=link.tag.slug, defaults={"name": link.tag.name}
        )
        link.library_tag = tag
        link.save(update_fields=["library_tag"])


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0008_membership_applications_dues'),
    ]

    operations = [
        migrations.CreateModel(
            name='LibraryTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('slug', models.SlugField(allow_unicode=True, max_length=100, unique=True, verbose_name='slug')),
                ('name_en', models.CharField(blank=True, help_text='Shown on the English library. Leave empty if the same.', max_length=100, verbose_name='name (English)')),
            ],
            options={
                'verbose_name': 'library tag',
                'verbose_name_plural': 'library tags',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='librarydocumenttag',
            name='library_tag',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.librarytag'),
        ),
        # Not reversible: the old taggit link would come back empty.
        migrations.RunPython(copy_tags),
        migrations.RemoveField(model_name='librarydocumenttag', name='tag'),
        migrations.RenameField(model_name='librarydocumenttag', old_name='library_tag', new_name='tag'),
        migrations.AlterField(
            model_name='librarydocumenttag',
            name='tag',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_documents', to='members.librarytag', verbose_name='tag'),
        ),
        migrations.AlterField(
            model_name='librarydocument',
            name='tags',
            field=modelcluster.contrib.taggit.ClusterTaggableManager(blank=True, help_text='Words members may filter by, e.g. “labour trafficking”, “federal”.', through='members.LibraryDocumentTag', to='members.LibraryTag', verbose_name='tags'),
        ),
    ]
