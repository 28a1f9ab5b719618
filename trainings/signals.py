"""Side effects of admin actions on trainings and accounts.

What publishing a training page does to its sessions (a cancelled session cancels its
enrolments, a raised capacity promotes the waiting list, a capacity below the confirmed count
is refused) is not a signal: it runs inside the page's save, under the session lock
(`services.session_changes`), so that it cannot race with enrolments."""

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import TrainingPage, TrainingSession


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="trainings_free_seats")
def free_the_seats_of_a_deleted_account(sender, instance, **kwargs):
    """An account deleted in the admin gives its seats back (and the next person gets them)."""
    from .models import Enrolment

    for enrolment in Enrolment.objects.filter(user=instance, status__in=services.ACTIVE):
        services.cancel(enrolment, by_committee=True)


@receiver(pre_delete, sender=TrainingSession, dispatch_uid="trainings_tell_before_delete")
def tell_people_before_a_session_disappears(sender, instance, **kwargs):
    """The editor and every publish refuse to delete a session with enrolments; if one still
    goes (its page deleted), the people enrolled are told first."""
    from django.utils import timezone

    upcoming = instance.start > timezone.now()  # one that took place has nobody to tell
    if instance.pk and upcoming and instance.enrolments.filter(status__in=services.ACTIVE).exists():
        services.cancel_session(instance)


@receiver(page_published, sender=TrainingPage, dispatch_uid="trainings_visibility_follows")
def visibility_follows_the_source_language(sender, instance, **kwargs):
    """Sessions are shared by the language versions, so is who may see them: the French page's
    visibility wins, whichever version was published."""
    from wagtail.models import Locale

    default = Locale.get_default()
    if instance.locale_id == default.pk:
        TrainingPage.objects.filter(translation_key=instance.translation_key).exclude(
            pk=instance.pk
        ).update(visibility=instance.visibility)
        return
    source = (
        TrainingPage.objects.filter(translation_key=instance.translation_key, locale=default)
        .values_list("visibility", flat=True)
        .first()
    )
    if source is not None and source != instance.visibility:
        TrainingPage.objects.filter(pk=instance.pk).update(visibility=source)
