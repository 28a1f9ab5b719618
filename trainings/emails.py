"""E-mails about enrolments, in the member's language, through the outbox.

`queue()` writes the message inside the caller's transaction; once it commits, `deliver()`
tries to send it. A message the mail server refused stays in the outbox and the command
`send_outbox` (run by cron every few minutes) tries again, with a growing delay.

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


def queue(enrolment, kind):
    """Write the e-mail of `kind` about `enrolment` to the outbox; send it after the commit."""
    assert kind in KINDS, kind
    user = enrolment.user
    if user is None or not user.email:
        return None
    session = enrolment.session
    # Dates and hours in the person's language, on Montréal's clock, whoever sends it.
    with translation.override(language_of(user)), timezone.override(local_zone()):
        training = session.page.localized.specific  # the person's language, when translated
        context = {
            "enrolment": enrolment,
            "session": session,
            "training": training,
            "person": user.get_full_name() or user.email,
            "position": None,
            # No link to a training the person may no longer see (privacy set after the
            # enrolment; an e-mail has no browser session, so never to a password-protected one).
            "training_url": page_url(training) if training.is_visible_to(user) else "",
            "site_url": absolute_url(reverse("enrolments:my_trainings")),
        }
        if kind == "waiting":
            context["position"] = Enrolment.objects.waiting_position(enrolment)
        if kind == "offered":
            context["offer_url"] = absolute_url(reverse("enrolments:offer", args=[enrolment.pk]))
        subject = render_to_string(f"trainings/emails/{kind}_subject.txt", context)
        body = render_to_string(f"trainings/emails/{kind}.txt", context)
        calendar = ""
        if kind in WITH_CALENDAR:
            calendar = sessions_calendar(
                [session],
                name=training.title,
                language=language_of(user),
                online_links=enrolment.status == "confirmed",  # the meeting link: seat holders
            ).decode()
    email = OutboxEmail.objects.create(
        to=user.email,
        subject=" ".join(subject.split())[:250],
        body=body.strip() + "\n",
        calendar=calendar,
        kind=kind,
        enrolment=enrolment,
    )
    transaction.on_commit(lambda: deliver(email.pk))
    return email


def queue_message(message):
    """Write a Django EmailMessage to the outbox, one row per recipient (to, cc and bcc), and
    send it after the commit. What a row cannot hold (an attachment other than one .ics, an
    HTML version) is refused loudly rather than dropped. Returns the rows."""
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
    rows = [
        OutboxEmail.objects.create(
            to=address,
            subject=" ".join(str(message.subject).split())[:250],
            body=str(message.body),
            calendar=calendar,
            kind=MESSAGE,
        )
        for address in dict.fromkeys(message.recipients())
    ]
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
