"""Side effects of admin actions on trainings and accounts.

What publishing a training page does to its sessions (a cancelled session cancels its
enrolments, a raised capacity promotes the waiting list, a capacity below the confirmed count
is refused) is not a signal: it runs inside the page's save, under the session lock
(`services.session_changes`), so that it cannot race with enrolments."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published

from . import next_session, services
from .models import TrainingPage, TrainingSession

# What a session's "next session" depends on (trainings/next_session.py).
NEXT_SESSION_FIELDS = {"start", "end", "status", "page", "page_id"}


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


def _keys_of_page(page_id):
    """The translation key of a page, as a subquery (no query of its own)."""
    return Page.objects.filter(pk=page_id).values("translation_key")


@receiver(post_save, sender=TrainingSession, dispatch_uid="trainings_next_session_saved")
def next_session_follows_a_saved_session(sender, instance, raw=False, update_fields=None, **kw):
    """A session added, moved, cancelled or rescheduled changes its training's next session
    (in every language). A capacity change does not (`update_fields` says so)."""
    if raw or (update_fields is not None and not NEXT_SESSION_FIELDS & set(update_fields)):
        return
    next_session.refresh(_keys_of_page(instance.page_id))


@receiver(post_delete, sender=TrainingSession, dispatch_uid="trainings_next_session_deleted")
def next_session_follows_a_deleted_session(sender, instance, **kwargs):
    next_session.refresh(_keys_of_page(instance.page_id))


@receiver(post_save, sender=TrainingPage, dispatch_uid="trainings_next_session_page_saved")
def next_session_follows_a_saved_page(sender, instance, raw=False, update_fields=None, **kw):
    """A publish writes the page as its revision had it (an old value of the column), a copy
    starts without sessions, a translation shares its source's: recompute after any full save
    of a training page (its sessions, saved after it, refresh it again if they changed)."""
    if raw or (update_fields is not None and "next_session_start" not in update_fields):
        return
    next_session.refresh([instance.translation_key])
