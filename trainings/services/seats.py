"""What the enrolment rules and the offers both stand on: the session lock, the count of seats
taken and the refusals. A module of its own so that `enrolments` may use `offers` (a freed seat
is offered) without `offers` importing `enrolments` back."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ..models import HOLDING_A_SEAT, EnrolmentStatus, TrainingSession

# An enrolment still in play: it holds a seat (confirmed, or offered until the deadline) or
# waits for one. A person has at most one active enrolment per session.
ACTIVE = (*HOLDING_A_SEAT, EnrolmentStatus.WAITING)


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
    "capacity": _(
        "The capacity cannot be lower than the number of seats taken (confirmed, or offered "
        "and awaiting an answer)."
    ),
    "not_waiting": _("This person is no longer on the waiting list."),
    "no_seat": _(
        "No seat is free: raise the capacity or cancel an enrolment first. Nothing was changed."
    ),
    "not_offered": _(
        "This seat is no longer offered to you: the offer was already answered, or it expired "
        "and the seat went to the next person."
    ),
    "offer_expired": _(
        "The time to accept this seat has passed: it goes to the next person on the waiting list."
    ),
    "no_longer_waiting": _("You are no longer on the waiting list of this session."),
}


def refuse(code):
    raise EnrolmentRefused(code, REFUSALS[code])


def lock(session):
    """The session row (a session or its id), locked until the end of the transaction. Every
    change of seats takes this lock first (then the enrolment's row), so the changes of one
    session run one after the other and two of them never deadlock."""
    return (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("page")
        .get(pk=getattr(session, "pk", session))
    )


def seats_taken(session):
    """Confirmed people and pending offers: what the capacity is compared with."""
    return session.enrolments.holding_a_seat().count()


def seats_taken_and_enrolled(session, user):
    """The seats taken, and whether `user` already has an active enrolment, in one query: what
    `enrol` checks under the lock, where every other enrolment of the session waits for it."""
    counts = session.enrolments.filter(status__in=ACTIVE).aggregate(
        taken=Count("pk", filter=Q(status__in=HOLDING_A_SEAT)),
        enrolled=Count("pk", filter=Q(user=user)),
    )
    return counts["taken"], counts["enrolled"] > 0


def confirmed_count(session):
    """Confirmed people only (for display; the rules count `seats_taken`)."""
    return session.enrolments.filter(status=EnrolmentStatus.CONFIRMED).count()
