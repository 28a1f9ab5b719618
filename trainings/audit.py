"""Who did what to enrolments and sessions, in Wagtail's audit log (Reports › Site history, and
each session's history in the participants screen).

The services write the entries, so an action is logged the same way from the admin, a member's
page or a management command. Each module that adds actions registers them with `action()`;
trainings/wagtail_hooks.py hands them all to Wagtail."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

ACTIONS = {}


def action(name, label):
    """Declare a log action (its label is shown in the admin's history and filters)."""
    ACTIONS[name] = label
    return name


ENROL = action("cqctp.enrol", _("Enrol"))
CANCEL = action("cqctp.enrolment_cancel", _("Cancel an enrolment"))
PROMOTE = action("cqctp.promote", _("Move up from the waiting list"))
CAPACITY = action("cqctp.capacity", _("Change the capacity"))
CANCEL_SESSION = action("cqctp.session_cancel", _("Cancel a session"))


def record(instance, name, *, by=None, **data):
    """Write one entry about `instance` (an enrolment or a session). `by` is the person acting,
    None for the system (a scheduled command); `data` holds numbers and states, never the
    answers a person gave (they stay in the enrolment, under its retention rules)."""
    assert name in ACTIONS, name
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    return log(instance, name, user=user, data=data or None)
