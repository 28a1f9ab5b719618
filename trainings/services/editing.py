"""The page editor writes a training's sessions: the enrolment rules still hold (capacity never
below the seats taken, offers included; no deletion of a session people hold seats in)."""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Enrolment, SessionStatus, TrainingSession
from .enrolments import cancel_session, promote_waiting_list
from .seats import ACTIVE, EnrolmentRefused


class SessionChangeRefused(EnrolmentRefused):
    """Publishing (or saving) a training page would break a rule of its sessions; the whole
    publish is rolled back. The message names the session, for the editor."""

    MESSAGES = {
        "capacity": _(
            "“%(session)s”: the capacity (%(capacity)s) cannot be lower than the "
            "%(confirmed)s seats taken at this moment (confirmed, or offered and awaiting an "
            "answer). Nothing was changed."
        ),
        "delete": _(
            "“%(session)s” has enrolments and cannot be deleted: set its status to "
            "“Cancelled” instead, so that people are told. Nothing was changed."
        ),
        "draft": _(
            "“%(session)s” has enrolments: its changes take effect when the training is "
            "published (cancel it from the participants screen if it must be cancelled now). "
            "Nothing was changed."
        ),
    }

    # What a draft may not change in a session people enrolled in (everything but its place
    # in the list).
    FIELDS = (
        "start",
        "end",
        "format",
        "language",
        "venue",
        "address",
        "city",
        "region",
        "online_url",
        "capacity",
        "waiting_list",
        "waiting_list_policy",
        "offer_hours",
        "enrolment_opens",
        "enrolment_closes",
        "status",
    )

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
    of the transaction, the new capacities are compared with the seats taken *now* (confirmed
    people and pending offers), and a refusal raises `SessionChangeRefused`, which rolls the
    whole save back. After the rows are written, still under the lock, a cancelled session
    cancels its enrolments (people told) and a session with free seats gives them to its
    waiting list (at once, or as offers)."""
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
            Enrolment.objects.filter(session_id__in=locked)
            .holding_a_seat()
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
        if not page.live:
            # Saving the draft of a page that is not live writes its sessions at once (Wagtail
            # commits the form): sessions people enrolled in change only through a publish,
            # which the approval workflow guards, or through the committee's actions.
            enrolled = set(
                Enrolment.objects.filter(session_id__in=locked).values_list("session_id", flat=True)
            )
            for session in incoming:
                current = locked.get(session.pk)
                if (
                    current is not None
                    and session.pk in enrolled
                    and any(
                        getattr(session, field) != getattr(current, field)
                        for field in SessionChangeRefused.FIELDS
                    )
                ):
                    raise SessionChangeRefused("draft", current)
            for pk in enrolled - kept:
                raise SessionChangeRefused("delete", locked[pk])
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
                if session.start > now:  # one that has taken place keeps its people
                    cancel_session(session, now=now)
            else:
                promote_waiting_list(session, now=now)
