"""The waiting-list policy of a session: who gets a freed seat, and how.

- *Instant* (the default): the first person waiting is confirmed at once and told by e-mail.
- *Offer*: the seat is offered to the first person waiting (`Enrolment.objects.next_in_line()`,
  the one order of a waiting list). It is held for them (status OFFERED counts in the seats
  taken, `EnrolmentQuerySet.holding_a_seat`) until `offer_hours` later; they accept it or
  decline it from "My trainings". An offer not accepted in time expires: `expire_offers`, run
  by `manage.py send_outbox` every few minutes, cancels it and passes the seat to the next
  person, or leaves it free when nobody waits.

The deadline never falls after enrolment closes (or after the start, when enrolment has no
closing time): it is capped there. When less than SHORTEST_OFFER (or less than `offer_hours`,
when shorter) would remain to answer, nobody could reasonably accept in time and the seat would
stay empty: the seat is then confirmed at once, as with the instant policy.

Every change runs under the session's row lock, the enrolment's row re-read after locking, so an
acceptance and an expiry (or two expiry runs) cannot both act on one offer. Each one is written
to the audit log and told by e-mail through the outbox.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import audit, emails
from ..models import Enrolment, EnrolmentStatus, SessionStatus, WaitingListPolicy
from .seats import lock, refuse, seats_taken

OFFER = audit.action("cqctp.offer", _("Offer a seat from the waiting list"))
ACCEPT = audit.action("cqctp.offer_accept", _("Accept an offered seat"))
DECLINE = audit.action("cqctp.offer_decline", _("Decline an offered seat"))
EXPIRE = audit.action("cqctp.offer_expire", _("An offered seat expires"))
LEAVE = audit.action("cqctp.waiting_list_leave", _("Leave the waiting list"))

# Under this, an offer could not reasonably be answered: the seat is confirmed at once.
SHORTEST_OFFER = datetime.timedelta(hours=2)

__all__ = [
    "ACCEPT",
    "DECLINE",
    "EXPIRE",
    "LEAVE",
    "OFFER",
    "SHORTEST_OFFER",
    "accept_offer",
    "decline_offer",
    "expire_offers",
    "give_free_seats",
    "leave_waiting_list",
    "offer_deadline",
]


def offer_deadline(session, now):
    """Until when a seat offered `now` is held: `offer_hours` later, capped at the moment
    enrolment closes (or the start). None when too little time would be left to answer."""
    window = datetime.timedelta(hours=session.offer_hours)
    limit = min(moment for moment in (session.start, session.enrolment_closes) if moment)
    deadline = min(now + window, limit)
    if deadline - now < min(window, SHORTEST_OFFER):
        return None
    return deadline


def give_free_seats(session, now):
    """Give the free seats of the locked `session` to its waiting list, in its order: at once
    (instant policy, or too close to the start for an offer) or as offers (offer policy).
    Returns the enrolments served."""
    if session.status == SessionStatus.CANCELLED or session.start <= now:
        return []
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return []
    served = list(session.enrolments.next_in_line()[:free])
    deadline = None
    if session.waiting_list_policy == WaitingListPolicy.OFFER:
        deadline = offer_deadline(session, now)
    for enrolment in served:
        if deadline is None:
            enrolment.status = EnrolmentStatus.CONFIRMED
            enrolment.promoted_at = now
            enrolment.save(update_fields=["status", "promoted_at"])
            emails.queue(enrolment, "promoted")
            audit.record(enrolment, audit.PROMOTE, first_in_line=True)
        else:
            enrolment.status = EnrolmentStatus.OFFERED
            enrolment.offered_at = now
            enrolment.offer_expires_at = deadline
            enrolment.save(update_fields=["status", "offered_at", "offer_expires_at"])
            emails.queue(enrolment, "offered")
            audit.record(enrolment, OFFER, expires_at=deadline.isoformat())
    return served


def _locked(enrolment):
    """The session and the enrolment, locked in that order, both re-read."""
    session = lock(enrolment.session_id)
    return session, Enrolment.objects.select_for_update().get(pk=enrolment.pk)


def _drop(enrolment, now, kind):
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.cancelled_at = now
    enrolment.save(update_fields=["status", "cancelled_at"])
    emails.queue(enrolment, kind)


def accept_offer(enrolment, *, by=None, now=None):
    """The person takes the seat offered to them: their enrolment is confirmed (e-mail with
    the calendar file). Refused once the offer is no longer open or its deadline has passed."""
    with transaction.atomic():
        session, enrolment = _locked(enrolment)
        now = now or timezone.now()  # read once the lock is held: the expiry runs by this clock
        if enrolment.status != EnrolmentStatus.OFFERED:
            refuse("not_offered")
        if session.status == SessionStatus.CANCELLED:
            refuse("cancelled")
        if session.start <= now:  # the session's dates moved after the offer was made
            refuse("past")
        if enrolment.offer_expires_at is None or now >= enrolment.offer_expires_at:
            refuse("offer_expired")
        enrolment.status = EnrolmentStatus.CONFIRMED
        enrolment.promoted_at = now
        enrolment.save(update_fields=["status", "promoted_at"])
        emails.queue(enrolment, "promoted")
        audit.record(enrolment, ACCEPT, by=by or enrolment.user)
    return enrolment


def decline_offer(enrolment, *, by=None, now=None):
    """The person does not want the seat offered to them: their enrolment is cancelled and the
    seat passes to the next person waiting (or stays free). Returns the enrolments served."""
    with transaction.atomic():
        session, enrolment = _locked(enrolment)
        now = now or timezone.now()
        if enrolment.status != EnrolmentStatus.OFFERED:
            refuse("not_offered")
        _drop(enrolment, now, "cancelled")
        audit.record(enrolment, DECLINE, by=by or enrolment.user)
        return give_free_seats(session, now)


def leave_waiting_list(enrolment, *, by=None, now=None):
    """The person leaves the waiting list themself, at any time: no seat changes hands."""
    with transaction.atomic():
        _session, enrolment = _locked(enrolment)
        now = now or timezone.now()
        if enrolment.status != EnrolmentStatus.WAITING:
            refuse("no_longer_waiting")
        position = Enrolment.objects.waiting_position(enrolment)
        _drop(enrolment, now, "cancelled")
        audit.record(enrolment, LEAVE, by=by or enrolment.user, position=position)
    return enrolment


def expire_offers(now=None):
    """Expire every offer whose deadline has passed, each in its own transaction under the
    session lock, and pass its seat on. The row is checked again once locked, so two runs at
    once (or an acceptance just before) never handle an offer twice. Returns the expired."""
    now = now or timezone.now()
    # An offer without a deadline (written by hand) cannot be accepted: it expires too.
    expired_by = Q(offer_expires_at__lte=now) | Q(offer_expires_at__isnull=True)
    due = (
        Enrolment.objects.filter(expired_by, status=EnrolmentStatus.OFFERED)
        .order_by("offer_expires_at", "pk")
        .values_list("pk", "session_id")
    )
    expired = []
    for pk, session_id in list(due):
        with transaction.atomic():
            session = lock(session_id)
            enrolment = (
                Enrolment.objects.select_for_update()
                .filter(expired_by, pk=pk, status=EnrolmentStatus.OFFERED)
                .first()
            )
            if enrolment is None:  # accepted, declined or expired meanwhile
                continue
            _drop(enrolment, now, "offer_expired")
            deadline = enrolment.offer_expires_at
            audit.record(enrolment, EXPIRE, deadline=deadline.isoformat() if deadline else None)
            give_free_seats(session, now)
            expired.append(enrolment)
    return expired
