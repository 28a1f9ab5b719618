"""A catalogue or directory page created after the migrations (by the demo, by translating the
catalogue into another language, by an administrator) gets the roles' page permissions and,
for a catalogue, the approval workflow: the same rules in every language."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from catalogue.models import CatalogueIndexPage, OrganisationDirectoryPage
from meetings.models import MeetingIndexPage

from . import roles


@receiver(post_save, sender=CatalogueIndexPage, dispatch_uid="committee_catalogue_roles")
@receiver(post_save, sender=OrganisationDirectoryPage, dispatch_uid="committee_directory_roles")
@receiver(post_save, sender=MeetingIndexPage, dispatch_uid="committee_meetings_roles")
def new_catalogue_page_gets_the_roles(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        roles.set_up_page(instance)
