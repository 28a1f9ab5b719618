"""The rules of enrolment, in service functions shared by the members' views, the admin and the
management commands (as pretix's services/orders.py): one module per concern.

- seats: the session lock, the seats taken (confirmed and offered) and the refusals;
- enrolments: enrol, cancel, the waiting list, capacity, cancelling a session (the seat rules,
  under the session's row lock);
- offers: the waiting-list policy (instant or offer): give freed seats, accept or decline an
  offer, leave the waiting list, expire the offers whose deadline has passed;
- editing: the page editor writing a training's sessions;
- committee: what the training committee does to a session's participants (attendance, e-mails).
"""

from .committee import *  # noqa: F403
from .editing import SessionChangeRefused, session_changes
from .enrolments import (
    cancel,
    cancel_session,
    check_open,
    closed_reason,
    enrol,
    promote,
    promote_waiting_list,
    set_capacity,
)
from .offers import (
    SHORTEST_OFFER,
    accept_offer,
    decline_offer,
    expire_offers,
    give_free_seats,
    leave_waiting_list,
    offer_deadline,
)
from .seats import (
    ACTIVE,
    REFUSALS,
    EnrolmentRefused,
    confirmed_count,
    lock,
    refuse,
    seats_taken,
)

__all__ = [
    "ACTIVE",
    "REFUSALS",
    "SHORTEST_OFFER",
    "EnrolmentRefused",
    "SessionChangeRefused",
    "accept_offer",
    "cancel",
    "cancel_session",
    "check_open",
    "closed_reason",
    "confirmed_count",
    "decline_offer",
    "enrol",
    "expire_offers",
    "give_free_seats",
    "leave_waiting_list",
    "lock",
    "offer_deadline",
    "promote",
    "promote_waiting_list",
    "refuse",
    "seats_taken",
    "session_changes",
    "set_capacity",
]
