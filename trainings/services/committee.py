"""What the training committee does to a session's participants, beyond seats: attendance
(per day of the session) and e-mails to the participants."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import audit
from ..models import Attendance, EnrolmentStatus
from .enrolments import EnrolmentRefused

ATTENDANCE = audit.action("cqctp.attendance", _("Mark attendance"))

__all__ = ["ATTENDANCE", "mark_attendance", "session_days"]


def session_days(session):
    """The days of a session on Montréal's calendar (one for a session within a day)."""
    first = timezone.localtime(session.start).date()
    last = timezone.localtime(session.end).date()
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def mark_attendance(enrolment, day, present, *, by=None, now=None):
    """Record whether a confirmed person was there on `day` (a day of the session), replacing
    an earlier mark. Only a confirmed enrolment of a session that has started can be marked."""
    session = enrolment.session
    now = now or timezone.now()
    if day not in session_days(session):
        raise EnrolmentRefused("attendance_day", _("This day is not a day of the session."))
    if session.start > now:
        raise EnrolmentRefused(
            "attendance_early", _("Attendance can be marked once the session has started.")
        )
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        raise EnrolmentRefused(
            "attendance_status", _("Only confirmed participants can be marked present or absent.")
        )
    with transaction.atomic():
        mark, created = Attendance.objects.select_for_update().get_or_create(
            enrolment=enrolment,
            day=day,
            defaults={"present": present, "marked_by": by, "marked_at": now},
        )
        if not created and mark.present == present:
            return mark
        if not created:
            mark.present, mark.marked_by, mark.marked_at = present, by, now
            mark.save(update_fields=["present", "marked_by", "marked_at"])
        audit.record(enrolment, ATTENDANCE, by=by, day=day.isoformat(), present=present)
    return mark
