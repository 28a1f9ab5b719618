"""Who did what to enrolments and sessions, in Wagtail's audit log (Reports › Site history, and
each session's history in the participants screen).

The services write the entries, so an action is logged the same way from the admin, a member's
page or a management command. Each module that adds actions registers them with `action()`;
trainings/wagtail_hooks.py hands them all to Wagtail."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import get_active_log_context, registry
from wagtail.models import ModelLogEntry

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
    """Write one entry about `instance` (an enrolment, a session, a certificate: not a page).
    `by` is the person acting, None for the system (a scheduled command); `data` holds numbers
    and states, never the answers a person gave (they stay in the enrolment, under its
    retention rules).

    The row Wagtail's `log()` writes (same fields, the active log context's user and uuid when
    `by` is None), saved without the `full_clean` of Wagtail's log entry `save`: it checks that
    the content type and the user exist, two queries for rows in hand, under the session lock
    that everyone enrolling at once waits for. The action is checked here instead."""
    assert name in ACTIONS, name
    if instance.pk is None:
        raise ValueError(f"Cannot log an action on an unsaved {type(instance).__name__}")
    model = registry.get_log_model_for_instance(instance)
    assert issubclass(model, ModelLogEntry), model  # a page's entries need their page field
    context = get_active_log_context()
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    entry = model(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        label=model.objects.get_instance_title(instance),
        action=name,
        data=data,
        timestamp=timezone.now(),
        user=user or context.user,
        uuid=context.uuid,
    )
    models.Model.save(entry)  # Django's save (its signals included), not Wagtail's
    return entry
