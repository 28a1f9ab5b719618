"""The rules of enrolment, in service functions shared by the members' views, the admin and the
management commands (as pretix's services/orders.py): one module per concern.

- enrolments: enrol, cancel, the waiting list, capacity, cancelling a session (the seat rules,
  under the session's row lock);
- editing: the page editor writing a training's sessions;
- committee: what the training committee does to a session's participants (attendance, e-mails).
"""

from .committee import *  # noqa: F403
from .editing import SessionChangeRefused, session_changes
from .enrolments import (
    ACTIVE,
    REFUSALS,
    EnrolmentRefused,
    cancel,
    cancel_session,
    check_open,
    closed_reason,
    confirmed_count,
    enrol,
    lock,
    promote,
    promote_waiting_list,
    refuse,
    set_capacity,
)

__all__ = [
    "ACTIVE",
    "REFUSALS",
    "EnrolmentRefused",
    "SessionChangeRefused",
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
    "session_changes",
    "set_capacity",
]
