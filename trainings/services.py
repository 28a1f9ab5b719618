"""Enrolment rules, shared by the members' views, the admin and the management commands.

Every change of seats happens inside `transaction.atomic()` with the session row locked
(`select_for_update().get()`), so two people clicking at once are served one after the other:
the confirmed count never exceeds the capacity. On SQLite, where row locks do not exist, the
database settings open every transaction in IMMEDIATE mode, which serialises writers.
E-mails are written to the outbox in the same transaction and sent after it commits.
"""

from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import emails
from .models import Enrolment, EnrolmentStatus, SessionStatus, TrainingSession

ACTIVE = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITING)


class EnrolmentRefused(Exception):
    """A rule said no. `message` is meant for the person, in their language."""

    def __init__(self, code, message):
        super().__init__(code)
        self.code = code
        self.message = message


REFUSALS = {
    "cancelled": _("This session has been cancelled."),
    "past": _("This session has already taken place."),
    "not_open": _("Enrolment for this session is not open yet."),
    "closed": _("Enrolment for this session is closed."),
    "already": _("You are already enrolled in this session."),
    "full": _("This session is full and has no waiting list."),
    "consent": _("Please accept the use of your answers to enrol."),
    "deadline": _("The cancellation deadline has passed: please contact the organisation."),
    "capacity": _("The capacity cannot be lower than the number of confirmed enrolments."),
}


def refuse(code):
    raise EnrolmentRefused(code, REFUSALS[code])


def lock(session):
    """The session row, locked until the end of the transaction."""
    return (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("page")
        .get(pk=session.pk)
    )


def confirmed_count(session):
    return session.enrolments.filter(status=EnrolmentStatus.CONFIRMED).count()


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
    them, so no consent is recorded."""
    by_someone_else = enrolled_by is not None and enrolled_by != user
    if by_someone_else:
        accessibility_needs = interpretation_language = comment = ""
    answered = any(a.strip() for a in (accessibility_needs, interpretation_language, comment))
    if answered and not consent:
        refuse("consent")
    try:
        with transaction.atomic():
            session = lock(session)
            # Read the clock once the lock is held: arrival order is lock order.
            now = now or timezone.now()
            check_open(session, now)
            if session.enrolments.filter(user=user, status__in=ACTIVE).exists():
                refuse("already")
            if confirmed_count(session) < session.capacity:
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
                accessibility_needs=accessibility_needs.strip(),
                interpretation_language=interpretation_language.strip(),
                comment=comment.strip(),
                consent_at=now if answered else None,
                enrolled_by=enrolled_by if by_someone_else else None,
            )
            emails.queue(
                enrolment,
                "confirmed" if status == EnrolmentStatus.CONFIRMED else "waiting",
            )
    except IntegrityError:
        # The unique constraint caught a double submission that raced past the check.
        refuse("already")
    return enrolment


def cancel(enrolment, *, by_committee=False, now=None):
    """Cancel an enrolment; a freed seat goes at once to the first person waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock(enrolment.session)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == EnrolmentStatus.CANCELLED:
            return enrolment
        if not by_committee and now >= session.cancellation_deadline:
            refuse("deadline")
        freed_seat = enrolment.status == EnrolmentStatus.CONFIRMED
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = now
        enrolment.save(update_fields=["status", "cancelled_at"])
        emails.queue(enrolment, "cancelled")
        if freed_seat:
            _promote(session, now)
    return enrolment


def promote_waiting_list(session, *, now=None):
    """Fill free seats from the waiting list, first come first served. Returns the promoted."""
    with transaction.atomic():
        return _promote(lock(session), now or timezone.now())


def _promote(session, now):
    if session.status == SessionStatus.CANCELLED or session.start <= now:
        return []
    free = session.capacity - confirmed_count(session)
    if free <= 0:
        return []
    promoted = list(
        session.enrolments.filter(status=EnrolmentStatus.WAITING, user__isnull=False).order_by(
            "created", "pk"
        )[:free]
    )
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.CONFIRMED
        enrolment.promoted_at = now
        enrolment.save(update_fields=["status", "promoted_at"])
        emails.queue(enrolment, "promoted")
    return promoted


def set_capacity(session, capacity, *, now=None):
    """Change the capacity; raising it promotes people from the waiting list."""
    with transaction.atomic():
        session = lock(session)
        if capacity < confirmed_count(session):
            refuse("capacity")
        session.capacity = capacity
        session.save(update_fields=["capacity"])
        return _promote(session, now or timezone.now())


def cancel_session(session, *, now=None):
    """The committee cancels a session: every active enrolment is cancelled and told."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock(session)
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
        return told


def waiting_position(enrolment):
    """1 for the first person waiting; derived from the order of arrival, never stored."""
    if enrolment.status != EnrolmentStatus.WAITING:
        return None
    before = Q(created__lt=enrolment.created) | Q(created=enrolment.created, pk__lt=enrolment.pk)
    waiting = enrolment.session.enrolments.filter(status=EnrolmentStatus.WAITING)
    return waiting.filter(before).count() + 1


def waiting_positions(enrolments):
    """Positions of the waiting enrolments among them, in one query for all their sessions."""
    waiting = [e for e in enrolments if e.status == EnrolmentStatus.WAITING]
    if not waiting:
        return {}
    queue = (
        Enrolment.objects.filter(
            session_id__in={e.session_id for e in waiting}, status=EnrolmentStatus.WAITING
        )
        .order_by("session_id", "created", "pk")
        .values_list("pk", "session_id")
    )
    positions, counters = {}, {}
    for pk, session_id in queue:
        counters[session_id] = counters.get(session_id, 0) + 1
        positions[pk] = counters[session_id]
    return positions


# -- Sessions written by the page editor -------------------------------------------------------


class SessionChangeRefused(EnrolmentRefused):
    """Publishing (or saving) a training page would break a rule of its sessions; the whole
    publish is rolled back. The message names the session, for the editor."""

    MESSAGES = {
        "capacity": _(
            "“%(session)s”: the capacity (%(capacity)s) cannot be lower than the "
            "%(confirmed)s confirmed enrolments at this moment. Nothing was changed."
        ),
        "delete": _(
            "“%(session)s” has enrolments and cannot be deleted: set its status to "
            "“Cancelled” instead, so that people are told. Nothing was changed."
        ),
    }

    def __init__(self, code, session, **numbers):
        Exception.__init__(self, code)
        self.code = code
        self.session_pk = session.pk
        self.params = {"session": str(session), **numbers}

    @property
    def message(self):
        """Formatted when read, in the language active then (the editor's)."""
        return self.MESSAGES[self.code] % self.params


def _pending_sessions(page):
    """The sessions `page` is about to write, or None when it writes none: modelcluster
    commits a child relation only when it is held in memory (a form, a revision)."""
    if page.pk is None or "sessions" not in getattr(page, "_cluster_related_objects", {}):
        return None
    return list(page.sessions.all())


@contextmanager
def session_changes(page, *, now=None):
    """Wrap the save of a training page that writes its inline sessions.

    Every path that publishes a training (edit view, bulk action, scheduled publishing, an old
    revision, a workflow approval) ends in `TrainingPage.save`, which runs inside this block:
    the page's session rows are locked (by pk, so two publishers cannot deadlock) for the rest
    of the transaction, the new capacities are compared with the confirmed counts *now*, and a
    refusal raises `SessionChangeRefused`, which rolls the whole save back. After the rows are
    written, still under the lock, a cancelled session cancels its enrolments (people told) and
    a session with free seats promotes its waiting list."""
    incoming = _pending_sessions(page)
    if incoming is None:
        yield
        return
    with transaction.atomic():
        locked = {
            session.pk: session
            for session in TrainingSession.objects.select_for_update()
            .filter(page_id=page.pk)
            .select_related("page")
            .order_by("pk")
        }
        counts = dict(
            Enrolment.objects.filter(session_id__in=locked, status=EnrolmentStatus.CONFIRMED)
            .order_by()
            .values("session_id")
            .annotate(n=Count("pk"))
            .values_list("session_id", "n")
        )
        active = set(
            Enrolment.objects.filter(session_id__in=locked, status__in=ACTIVE).values_list(
                "session_id", flat=True
            )
        )
        kept = {session.pk for session in incoming}
        for pk, current in locked.items():
            if pk not in kept and pk in active:
                raise SessionChangeRefused("delete", current)
        for session in incoming:
            confirmed = counts.get(session.pk, 0)
            if (
                session.pk in locked
                and session.status != SessionStatus.CANCELLED
                and session.capacity < confirmed
            ):
                raise SessionChangeRefused(
                    "capacity", locked[session.pk], capacity=session.capacity, confirmed=confirmed
                )
        yield
        now = now or timezone.now()
        for session in TrainingSession.objects.filter(page_id=page.pk, pk__in=active).order_by(
            "pk"
        ):
            if session.status == SessionStatus.CANCELLED:
                cancel_session(session, now=now)
            else:
                promote_waiting_list(session, now=now)
