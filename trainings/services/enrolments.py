"""Enrolment rules, shared by the members' views, the admin and the management commands.

Every change of seats happens inside `transaction.atomic()` with the session row locked
(`select_for_update().get()`), so two people clicking at once are served one after the other:
the seats taken (confirmed people and pending offers) never exceed the capacity. On SQLite,
where row locks do not exist, the database settings open every transaction in IMMEDIATE mode,
which serialises writers.
E-mails are written to the outbox in the same transaction and sent after it commits; those of
a new enrolment, the busiest path, are also rendered after it (see emails.py).

A freed seat goes to the waiting list by the session's policy (instant or offer): see offers.py.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import audit, emails
from ..models import HOLDING_A_SEAT, Enrolment, EnrolmentStatus, SessionStatus
from .offers import give_free_seats
from .seats import (
    ACTIVE,
    REFUSALS,
    EnrolmentRefused,
    confirmed_count,
    lock,
    refuse,
    seats_taken,
    seats_taken_and_enrolled,
)

__all__ = [
    "ACTIVE",
    "REFUSALS",
    "EnrolmentRefused",
    "cancel",
    "cancel_session",
    "check_open",
    "closed_reason",
    "confirmed_count",
    "enrol",
    "lock",
    "promote",
    "promote_waiting_list",
    "refuse",
    "seats_taken",
    "set_capacity",
]


def closed_reason(session, now=None):
    """Why the session takes no enrolment now (a REFUSALS code), or None: the enrolment page
    says so before showing a form, with the same rules `enrol` applies."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        return "cancelled"
    if session.start <= now:
        return "past"
    if session.enrolment_opens and now < session.enrolment_opens:
        return "not_open"
    if session.enrolment_closes and now >= session.enrolment_closes:
        return "closed"
    return None


def check_open(session, now=None):
    reason = closed_reason(session, now)
    if reason:
        refuse(reason)


def enrol(
    user,
    session,
    *,
    consent,
    accessibility_needs="",
    interpretation_language="",
    comment="",
    enrolled_by=None,
    now=None,
):
    """Enrol `user`: confirmed while seats remain, else on the waiting list, else refused.

    Consent covers the optional answers: a person who gives some must consent to their use,
    one who gives none is not asked. A coordinator enrolling a colleague gives no answers for
    them, so no consent is recorded.

    Everyone enrolling in a session at once waits for its lock, one after the other: what does
    not depend on the seats is done before taking it, and under it only the checks (one query)
    and the writes: the enrolment, its e-mail unrendered, the audit entry. The e-mail is
    rendered after the commit (`emails.queue`)."""
    by_someone_else = enrolled_by is not None and enrolled_by != user
    if by_someone_else:
        accessibility_needs = interpretation_language = comment = ""
    answers = {
        "accessibility_needs": accessibility_needs.strip(),
        "interpretation_language": interpretation_language.strip(),
        "comment": comment.strip(),
    }
    answered = any(answers.values())
    if answered and not consent:
        refuse("consent")
    acting = enrolled_by or user
    try:
        with transaction.atomic():
            session = lock(session)
            # Read the clock once the lock is held: arrival order is lock order.
            now = now or timezone.now()
            check_open(session, now)
            # One query for both checks; the unique constraint still catches a double
            # submission that would slip past it (below).
            taken, enrolled = seats_taken_and_enrolled(session, user)
            if enrolled:
                refuse("already")
            if taken < session.capacity:
                status = EnrolmentStatus.CONFIRMED
            elif session.waiting_list:
                status = EnrolmentStatus.WAITING
            else:
                refuse("full")
            enrolment = Enrolment.objects.create(
                session=session,
                user=user,
                status=status,
                created=now,
                consent_at=now if answered else None,
                enrolled_by=enrolled_by if by_someone_else else None,
                **answers,
            )
            emails.queue(
                enrolment,
                "confirmed" if status == EnrolmentStatus.CONFIRMED else "waiting",
            )
            audit.record(enrolment, audit.ENROL, by=acting, status=status)
    except IntegrityError:
        # The unique constraint caught a double submission that raced past the check.
        refuse("already")
    return enrolment


def cancel(enrolment, *, by_committee=False, by=None, now=None):
    """Cancel an enrolment; a freed seat (a confirmed one, or one on offer) goes to the waiting
    list by the session's policy. `by` is who cancels, for the audit log (the person themself
    when None and not the committee)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock(enrolment.session)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == EnrolmentStatus.CANCELLED:
            return enrolment
        if not by_committee and now >= session.cancellation_deadline:
            refuse("deadline")
        freed_seat = enrolment.status in HOLDING_A_SEAT
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = now
        enrolment.save(update_fields=["status", "cancelled_at"])
        emails.queue(enrolment, "cancelled")
        if by is None and not by_committee:
            by = enrolment.user
        audit.record(
            enrolment, audit.CANCEL, by=by, by_committee=by_committee, freed_seat=freed_seat
        )
        if freed_seat:
            give_free_seats(session, now)
    return enrolment


def promote_waiting_list(session, *, now=None):
    """Give the free seats to the waiting list, first come first served, confirmed at once or
    offered (the session's policy). Returns the enrolments served."""
    with transaction.atomic():
        return give_free_seats(lock(session), now or timezone.now())


def promote(enrolment, *, by=None, now=None):
    """The committee moves one waiting person up, out of turn, into a free seat (a seat must be
    free: the committee raises the capacity first, which would serve the list in order)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock(enrolment.session)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.WAITING or enrolment.user_id is None:
            refuse("not_waiting")
        check_open(session, now)
        if seats_taken(session) >= session.capacity:
            refuse("no_seat")
        enrolment.status = EnrolmentStatus.CONFIRMED
        enrolment.promoted_at = now
        enrolment.save(update_fields=["status", "promoted_at"])
        emails.queue(enrolment, "promoted")
        audit.record(enrolment, audit.PROMOTE, by=by, first_in_line=False)
    return enrolment


def set_capacity(session, capacity, *, by=None, now=None):
    """Change the capacity; raising it gives the new seats to the waiting list (at once or as
    offers). It cannot go below the seats taken, offers included."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock(session)
        if session.status == SessionStatus.CANCELLED:
            refuse("cancelled")
        if session.start <= now:
            refuse("past")
        if capacity < seats_taken(session):
            refuse("capacity")
        before = session.capacity
        session.capacity = capacity
        session.save(update_fields=["capacity"])
        audit.record(session, audit.CAPACITY, by=by, before=before, after=capacity)
        return give_free_seats(session, now)


def cancel_session(session, *, by=None, now=None):
    """The committee cancels a session: every active enrolment (offers included) is cancelled
    and told. A session that has started is not cancelled: its people were there."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock(session)
        if session.start <= now:
            refuse("past")
        if session.status != SessionStatus.CANCELLED:
            session.status = SessionStatus.CANCELLED
            session.save(update_fields=["status"])
        told = []
        for enrolment in session.enrolments.filter(status__in=ACTIVE).select_for_update():
            enrolment.status = EnrolmentStatus.CANCELLED
            enrolment.cancelled_at = now
            enrolment.save(update_fields=["status", "cancelled_at"])
            emails.queue(enrolment, "session_cancelled")
            told.append(enrolment)
        audit.record(session, audit.CANCEL_SESSION, by=by, told=len(told))
        return told
