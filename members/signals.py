"""A deleted library tag leaves its entries' search text: find the entries before the delete
(the links go with the tag), refresh them after."""

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from .models import LibraryDocument, LibraryTag


@receiver(pre_delete, sender=LibraryTag, dispatch_uid="members_tag_entries_before_delete")
def remember_entries(sender, instance, **kwargs):
    instance.entry_ids = list(
        LibraryDocument.objects.filter(tagged_items__tag=instance).values_list("pk", flat=True)
    )


@receiver(post_delete, sender=LibraryTag, dispatch_uid="members_tag_entries_after_delete")
def refresh_entries(sender, instance, **kwargs):
    entry_ids = getattr(instance, "entry_ids", [])
    LibraryTag.refresh_entries(LibraryDocument.objects.filter(pk__in=entry_ids))
