"""Publishing a training page applies the enrolment rules to what the editor changed."""

from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import EnrolmentStatus, SessionStatus, TrainingPage, TrainingSession


@receiver(page_published, sender=TrainingPage, dispatch_uid="trainings_apply_session_changes")
def apply_session_changes(sender, instance, **kwargs):
    """A session set to "cancelled" cancels its enrolments and tells everyone; a raised
    capacity promotes people from the waiting list at once."""
    sessions = TrainingSession.objects.filter(page_id=instance.pk).order_by("start", "pk")
    for session in sessions:
        if session.status == SessionStatus.CANCELLED:
            if session.enrolments.filter(status__in=services.ACTIVE).exists():
                services.cancel_session(session)
        elif session.enrolments.filter(status=EnrolmentStatus.WAITING).exists():
            services.promote_waiting_list(session)
