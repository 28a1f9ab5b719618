"""E-mails about enrolments, in the member's language, through the outbox.

`queue()` writes the message inside the caller's transaction; once it commits, `deliver()`
tries to send it. The e-mails of a new enrolment are written unrendered, under the session
lock, and rendered after the commit (RENDERED_AFTER_COMMIT; `render` for the outbox). A message
the mail server refused stays in the outbox and the command `send_outbox` (run by cron every
few minutes) tries again, with a growing delay.

The messages sent the Django way (`queue_message`: password reset, invitation, approval,
Wagtail's notifications) are delivered after the commit in a short-lived thread, never on the
request's path: a reset or an invitation for an address with an account would otherwise wait
for the mail server, and the delay would tell who has one. A thread rather than the next
`send_outbox` run, because a reset link is wanted within seconds; if the thread cannot send
it (server down, process stopped), the row is still there and `send_outbox` sends it, once
(`deliver()` claims the row under its lock and skips a sent one). Enrolment e-mails (`queue()`)
concern accounts known to exist, tell nothing about who has one, and are still sent inline.
"""

import logging
import threading

from cqctp.links import absolute_url, page_url
from django.conf import settings
from django.db import connections, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .calendar import sessions_calendar
from .dates import local_zone
from .models import Enrolment, OutboxEmail
from .outbox import MAX_DELAY, MESSAGE, deliver, deliver_due, deliver_each  # noqa: F401  (delivery: outbox.py)

logger = logging.getLogger(__name__)

WITH_CALENDAR = {"confirmed", "promoted", "reminder"}
KINDS = WITH_CALENDAR | {"waiting", "cancelled", "session_cancelled", "offered", "offer_expired"}


def language_of(user):
    membership = getattr(user, "membership", None)
    return membership.language if membership else settings.LANGUAGE_CODE


# The e-mails of a new enrolment are written unrendered and rendered after the commit: many
# people enrolling in one session at once wait for its lock one after the other, and rendering
# (the page, the person's language, the calendar file) took most of the time it was held.
# The others tell of changes made at a human pace and are rendered at once, inside the
# transaction: some are written just before what they tell of disappears with it (a session
# deleted with its page, an account deleted in the admin), taking what they are made of along.
RENDERED_AFTER_COMMIT = {"confirmed", "waiting"}


def queue(enrolment, kind):
    """Write the e-mail of `kind` about `enrolment` to the outbox; once the transaction commits,
    render it (when not rendered yet) and send it."""
    assert kind in KINDS, kind
    user = enrolment.user
    if user is None or not user.email:
        return None
    email = OutboxEmail(to=user.email, kind=kind, enrolment=enrolment)
    if kind not in RENDERED_AFTER_COMMIT:
        email.subject, email.body, email.calendar = compose(enrolment, kind)
    email.save(force_insert=True)
    transaction.on_commit(lambda: render_and_deliver(email, enrolment))
    return email


def render_and_deliver(email, enrolment):
    """Right after the commit: render an unrendered row from the objects still in memory (no
    re-read, no row lock: the text is written only while the row is still unrendered and
    unsent, so a worker that got to it first keeps its own), then send it. If rendering fails
    here, `deliver` renders it (`render`), now or on its next attempt."""
    if not email.body:
        try:
            subject, body, calendar = compose(enrolment, email.kind)
        except Exception:  # a template or database error: `deliver` tries again, and records it
            logger.exception("Outbox e-mail %s not rendered after the commit", email.pk)
        else:
            OutboxEmail.objects.filter(pk=email.pk, body="", sent_at=None).update(
                subject=subject, body=body, calendar=calendar
            )
    return deliver(email.pk)


def compose(enrolment, kind):
    """(subject, body, calendar) of the e-mail of `kind` about `enrolment`, as things stand now:
    in the person's language, dates and hours on Montréal's clock, whoever sends it."""
    user = enrolment.user
    session = enrolment.session
    language = language_of(user)
    # Where the person stands on the waiting list as the e-mail is written (None once they no
    # longer wait), by the one order of a waiting list.
    position = Enrolment.objects.waiting_position(enrolment) if kind == "waiting" else None
    with translation.override(language), timezone.override(local_zone()):
        training = session.page.localized.specific  # the person's language, when translated
        context = {
            "enrolment": enrolment,
            "session": session,
            "training": training,
            "person": user.get_full_name() or user.email,
            "position": position,
            # No link to a training the person may no longer see (privacy set after the
            # enrolment; an e-mail has no browser session, so never to a password-protected one).
            "training_url": page_url(training) if training.is_visible_to(user) else "",
            "site_url": absolute_url(reverse("enrolments:my_trainings")),
        }
        if kind == "offered":
            context["offer_url"] = absolute_url(reverse("enrolments:offer", args=[enrolment.pk]))
        subject = render_to_string(f"trainings/emails/{kind}_subject.txt", context)
        body = render_to_string(f"trainings/emails/{kind}.txt", context)
        calendar = ""
        if kind in WITH_CALENDAR:
            calendar = sessions_calendar(
                [session],
                name=training.title,
                language=language,
                online_links=enrolment.status == "confirmed",  # the meeting link: seat holders
            ).decode()
    return " ".join(subject.split())[:250], body.strip() + "\n", calendar


def render(email):
    """Fill the subject, body and calendar of an enrolment e-mail `queue()` wrote unrendered, and
    save them; the caller holds the row (`outbox.deliver` calls it for a row without a body,
    when rendering right after the commit did not happen or failed). A row that has a body, or
    is not about an enrolment, is left alone. Returns whether the row may be sent: False when
    there is nothing true left to tell, and the row is deleted rather than sent:
    - its enrolment, or the person's account, is gone (deleted since it was written);
    - the enrolment moved on (a "waiting" e-mail for someone who got a seat or left, a
      "confirmed" one for someone who cancelled): the e-mail of that change tells what is true,
      and "you are on the waiting list" or a calendar invitation would no longer be.

    The waiting-list position is the one at rendering time, not at arrival: a moment later in
    the normal case (the same number: those who arrived before are already counted, those after
    come behind), and when someone ahead left or got a seat meanwhile, the smaller number is
    the true one when the person reads it."""
    if email.body or email.kind not in KINDS:
        return True
    enrolment = (
        Enrolment.objects.select_related("session__page", "user__membership")
        .filter(pk=email.enrolment_id)
        .first()
    )
    gone = enrolment is None or enrolment.user is None
    # These kinds are named after the status they announce.
    moved_on = email.kind in RENDERED_AFTER_COMMIT and enrolment and enrolment.status != email.kind
    if gone or moved_on:
        email.delete()
        return False
    email.subject, email.body, email.calendar = compose(enrolment, email.kind)
    email.save(update_fields=["subject", "body", "calendar"])
    return True


def queue_message(message, *, deliver_after_commit=True):
    """Write a Django EmailMessage to the outbox, one row per recipient (to, cc and bcc), with
    its extra headers, and send it after the commit (`deliver_after_commit=False`: leave it to
    `send_outbox`). What a row cannot hold (an attachment other than one .ics, an HTML
    version) is refused loudly rather than dropped. Returns the rows."""
    calendars = [
        attachment
        for attachment in message.attachments
        if isinstance(attachment, tuple) and (attachment[2] or "").startswith("text/calendar")
    ]
    if len(calendars) != len(message.attachments) or len(calendars) > 1:
        raise ValueError("The outbox keeps a text e-mail with at most one .ics attachment.")
    if getattr(message, "alternatives", None):
        raise ValueError("The outbox keeps text e-mails only: no HTML version.")
    calendar = calendars[0][1] if calendars else ""
    if isinstance(calendar, bytes):
        calendar = calendar.decode()
    headers = {str(name): str(value) for name, value in (message.extra_headers or {}).items()}
    rows = [
        OutboxEmail.objects.create(
            to=address,
            subject=" ".join(str(message.subject).split())[:250],
            body=str(message.body),
            calendar=calendar,
            kind=MESSAGE,
            headers=headers,
        )
        for address in dict.fromkeys(message.recipients())
    ]
    if deliver_after_commit:
        pks = [row.pk for row in rows]
        transaction.on_commit(lambda: run_after_commit(lambda: deliver_each(pks)))
    return rows


def in_background(function):
    """Run `function` in a thread of its own, with its own database connection, closed after:
    the request that queued the e-mail answers without waiting for the mail server. Not a
    daemon thread: a process that stops waits for the message in flight."""

    def run():
        try:
            function()
        except Exception:  # a database error: the row stays for `send_outbox`
            logger.exception("Outbox delivery after the response failed")
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=run, name="outbox-delivery")
    thread.start()
    return thread


# How queue_message's e-mails are delivered once the transaction commits. Tests replace it
# with an inline runner (or one that keeps the work for later) to run it deterministically.
run_after_commit = in_background


# -- What the training committee writes to a session's participants (issue 10) -------------

COMMITTEE_MESSAGE = "committee_message"


def queue_committee_messages(enrolments, subject, body):
    """Write the committee's message to each person of `enrolments` (one session's), each in
    their own outbox row, framed by a greeting, the session and the footer in their language.
    Sent after the commit in the background, as `queue_message` does: a message to a whole
    session does not hold the committee's request while the mail server answers (`send_outbox`
    sends what the thread could not). Returns the rows."""
    subject = " ".join(str(subject).split())[:250]
    body = str(body).strip()
    trainings, rows = {}, []
    for enrolment in enrolments:
        user = enrolment.user
        if user is None or not user.email:
            continue
        session = enrolment.session
        language = language_of(user)
        # The person's language, Montréal's clock (an admin may have chosen another zone).
        with translation.override(language), timezone.override(local_zone()):
            key = (session.pk, language)
            if key not in trainings:
                trainings[key] = session.page.localized.specific
            training = trainings[key]
            context = {
                "enrolment": enrolment,
                "session": session,
                "training": training,
                "person": user.get_full_name() or user.email,
                "message": body,
                "training_url": page_url(training) if training.is_visible_to(user) else "",
                "site_url": absolute_url(reverse("enrolments:my_trainings")),
            }
            text = render_to_string("trainings/admin/emails/committee_message.txt", context)
        rows.append(
            OutboxEmail.objects.create(
                to=user.email,
                subject=subject,
                body=text.strip() + "\n",
                kind=COMMITTEE_MESSAGE,
                enrolment=enrolment,
            )
        )
    pks = [row.pk for row in rows]
    if pks:
        transaction.on_commit(lambda: run_after_commit(lambda: deliver_each(pks)))
    return rows
