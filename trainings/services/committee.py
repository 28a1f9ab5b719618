"""What the training committee does to a session's participants, beyond seats: attendance
(per day of the session) and e-mails to the participants."""

import datetime
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry, Revision

from .. import audit, emails
from ..dates import local_zone
from ..models import Attendance, Certificate, EnrolmentStatus, TrainingSession
from .enrolments import EnrolmentRefused, lock

ATTENDANCE = audit.action("cqctp.attendance", _("Mark attendance"))
EMAIL_PARTICIPANTS = audit.action("cqctp.email_participants", _("E-mail the participants"))

# The same message to the same group again within this delay is taken for a double submit.
RESEND_GUARD = datetime.timedelta(minutes=10)

# Who an e-mail to a session's participants goes to. People offered a seat have not taken it
# yet: they are written to with the waiting list.
AUDIENCES = {
    "all": _("Everyone enrolled (confirmed, offered a seat, waiting)"),
    "confirmed": _("Confirmed participants"),
    "waiting": _("The waiting list (and people offered a seat)"),
    "present": _("People marked present"),
}
AUDIENCE_STATUSES = {
    "all": (EnrolmentStatus.CONFIRMED, EnrolmentStatus.OFFERED, EnrolmentStatus.WAITING),
    "confirmed": (EnrolmentStatus.CONFIRMED,),
    "waiting": (EnrolmentStatus.WAITING, EnrolmentStatus.OFFERED),
    "present": (EnrolmentStatus.CONFIRMED,),
}

__all__ = [
    "ATTENDANCE",
    "AUDIENCES",
    "EMAIL_PARTICIPANTS",
    "email_participants",
    "mark_attendance",
    "recipients",
    "remember_in_revisions",
    "session_days",
]


def session_days(session):
    """The days of a session on Montréal's calendar (one for a session within a day)."""
    first = timezone.localtime(session.start, local_zone()).date()
    last = timezone.localtime(session.end, local_zone()).date()
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
        if not present:
            _revoke_certificate(enrolment, by, now)
    return mark


# Shown on the public verification page, to anyone holding the code: in both languages.
ATTENDANCE_CORRECTED = "Présence corrigée par le comité / Attendance corrected by the committee"


def _revoke_certificate(enrolment, by, now):
    """A certificate says the person was there on every day: marked absent on one, it no longer
    holds (revoked, so that its code says so rather than "unknown")."""
    from ..certificates import revoke  # the certificates use session_days from here

    certificate = Certificate.objects.filter(enrolment=enrolment, revoked_at__isnull=True).first()
    if certificate is not None:
        revoke(certificate, ATTENDANCE_CORRECTED, by=by, now=now)


def recipients(session, audience):
    """The enrolments of `session` an e-mail to `audience` (a key of AUDIENCES) reaches: people
    with an address (an anonymised enrolment has none), in arrival order."""
    if audience not in AUDIENCES:
        raise EnrolmentRefused("audience", _("Choose who the e-mail is for."))
    enrolments = (
        session.enrolments.filter(status__in=AUDIENCE_STATUSES[audience], user__isnull=False)
        .exclude(user__email="")
        .select_related("user__membership")
        .order_by("created", "pk")
    )
    if audience == "present":
        present = Attendance.objects.filter(enrolment=OuterRef("pk"), present=True)
        enrolments = enrolments.filter(Exists(present))
    return enrolments


def email_participants(session, audience, subject, body, *, by=None):
    """The committee writes to the participants of `session` (`audience`: a key of AUDIENCES):
    each person gets their own e-mail through the outbox, sent after the commit. One entry in
    the audit log says who wrote to whom (the group and the count) and the subject."""
    subject = " ".join(str(subject).split())
    body = str(body).strip()
    if not subject or not body:
        raise EnrolmentRefused("message", _("Write a subject and a message."))
    digest = hashlib.sha256(f"{audience}\n{subject}\n{body}".encode()).hexdigest()[:32]
    with transaction.atomic():
        # The session's lock serialises two sends of one form (a double click, two tabs): the
        # second finds the first in the audit log and sends nothing.
        session = lock(session)
        if ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(TrainingSession),
            object_id=str(session.pk),
            action=EMAIL_PARTICIPANTS,
            timestamp__gte=timezone.now() - RESEND_GUARD,
            data__digest=digest,
        ).exists():
            raise EnrolmentRefused(
                "already_sent",
                _(
                    "This message was just sent to this group. Nothing was sent again; change "
                    "the message or wait a few minutes to send it once more."
                ),
            )
        people = list(recipients(session, audience))
        if not people:
            raise EnrolmentRefused("nobody", _("Nobody in this group can be written to."))
        for enrolment in people:
            enrolment.session = session  # one page and one session for every message
        rows = emails.queue_committee_messages(people, subject, body)
        audit.record(
            session,
            EMAIL_PARTICIPANTS,
            by=by,
            audience=audience,
            recipients=len(rows),
            subject=subject[:200],
            digest=digest,
        )
    return rows


def remember_in_revisions(session, **fields):
    """Write a change made to a session outside the page editor (capacity, status) into the
    page's latest and live revisions too: the editor opens the latest revision, and publishing
    it must not bring back the old value. Call it in the transaction of the change."""
    page = session.page
    revision_ids = {page.latest_revision_id, page.live_revision_id} - {None}
    for revision in Revision.objects.filter(pk__in=revision_ids):
        changed = False
        for item in revision.content.get("sessions", []):
            if item.get("pk") == session.pk:
                item.update(fields)
                changed = True
        if changed:
            revision.save(update_fields=["content"])
