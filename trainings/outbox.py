"""Delivering the outbox: rows claimed under their row lock, sent, and marked sent in the same
transaction; retried with a growing delay when the mail server refuses them. `emails.py` writes
the rows; this sends them.

Two workers on two servers (or a worker and the thread that sends right after a commit) never
send one message twice: a row is claimed with SELECT … FOR UPDATE SKIP LOCKED, so whoever
claims it sends it and the others pass over it, and a sent row (sent_at set) is never claimed
again. None is lost: a row stays unsent until the server has taken it. The only repeat left is
the one no database can prevent: the server took the message and the process died before its
commit; the row is then sent again (at most one batch of rows per crash).

SQLite has no row locks: its transactions (IMMEDIATE, see settings) hold the write lock, so one
writer claims at a time; there a batch is one row, so the write lock is held for one send."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from .models import OutboxEmail

logger = logging.getLogger(__name__)

MAX_DELAY = datetime.timedelta(hours=6)
MESSAGE = "message"  # the kind of e-mails written through EMAIL_BACKEND (outbox_backend.py)
# Rows claimed (and held locked) per transaction by deliver_due on PostgreSQL: one SMTP
# connection for them, and at most this many sent again if the process dies mid-batch.
BATCH_SIZE = 10
# Refusals in a row after which deliver_due stops: the server is down, the rest waits for the
# next round instead of each row waiting for the server's timeout now.
REFUSALS_BEFORE_PAUSE = 5


def deliver_each(pks):
    for pk in pks:
        deliver(pk)


def delivery_connection():
    """The real mail server (OUTBOX_DELIVERY_BACKEND); EMAIL_BACKEND is the outbox itself."""
    backend = settings.OUTBOX_DELIVERY_BACKEND
    if backend.startswith("trainings.outbox_backend."):
        raise ImproperlyConfigured("OUTBOX_DELIVERY_BACKEND must be a real mail backend.")
    return get_connection(backend)


def claimable():
    """Unsent rows, locked for the caller's transaction; rows another process holds (it is
    sending them) are passed over instead of waited for."""
    return OutboxEmail.objects.select_for_update(skip_locked=True).filter(sent_at=None)


def deliver(pk):
    """Send one outbox e-mail now, unless it was sent already or another process is sending it;
    on failure, schedule another attempt. Never raises for a mail server's error."""
    with transaction.atomic():
        email = claimable().filter(pk=pk).first()
        if email is None:
            return False
        return bool(send_claimed(email, delivery_connection()))


def deliver_due(now=None, *, batch_size=None, should_stop=None):
    """Send every outbox e-mail whose next attempt is due, claimed in small batches that other
    workers skip. A row that fails is not tried again in this call; after a few refusals in a
    row (the server is down) the call stops and leaves the rest for the next one. `should_stop`
    (a callable) is asked between batches. Returns (sent, failed)."""
    now = now or timezone.now()
    if batch_size is None:
        batch_size = BATCH_SIZE if connection.features.has_select_for_update_skip_locked else 1
    sent = failed = refused_in_a_row = 0
    tried = set()
    mail_server = delivery_connection()
    while not (should_stop and should_stop()):
        with transaction.atomic():
            batch = list(
                claimable()
                .filter(next_attempt_at__lte=now)
                .exclude(pk__in=tried)
                .order_by("next_attempt_at", "pk")[:batch_size]
            )
            if not batch:
                break
            try:
                for email in batch:
                    if refused_in_a_row >= REFUSALS_BEFORE_PAUSE:
                        break  # the rest of the batch is left as it was, unlocked at commit
                    tried.add(email.pk)
                    outcome = send_claimed(email, mail_server, keep_open=True)
                    if outcome:
                        sent += 1
                        refused_in_a_row = 0
                    elif outcome is not None:
                        failed += 1
                        refused_in_a_row += 1
            finally:
                mail_server.close()
        if refused_in_a_row >= REFUSALS_BEFORE_PAUSE:
            logger.warning("Outbox: %s e-mails refused in a row, next try later.", refused_in_a_row)
            break
    return sent, failed


def send_claimed(email, mail_server, keep_open=False):
    """Write the row if it is not written yet, send it and record the result, inside the
    caller's transaction (which holds the row). Returns True once the server took it, False
    when it refused (the row waits for its next attempt), None when there was nothing left to
    send (an enrolment e-mail whose enrolment was deleted before it was written)."""
    try:
        if not email.body and email.kind != MESSAGE:  # queued under a lock, not written yet
            from . import emails  # emails imports this module

            with transaction.atomic():  # a failure here leaves the caller's transaction usable
                if not emails.render(email):
                    return None  # its enrolment or account is gone: the row was deleted
            if not email.body:
                raise ValueError("the e-mail could not be written")
        if keep_open:
            mail_server.open()  # one connection for the batch; a no-op once open
        message = EmailMessage(
            email.subject,
            email.body,
            to=[email.to],
            connection=mail_server,
            headers=email.headers or None,
        )
        if email.calendar:
            message.attach("formation.ics", email.calendar, "text/calendar")
        message.send(fail_silently=False)
    except Exception as error:  # any mail server failure: keep it for the next try
        mail_server.close()  # a connection that failed is not reused
        email.attempts += 1
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        # 2, 4, 8… minutes, at most MAX_DELAY (the exponent bounded: a row refused for weeks
        # would otherwise overflow timedelta and stop every delivery behind it).
        delay = min(datetime.timedelta(minutes=2 ** min(email.attempts, 20)), MAX_DELAY)
        email.next_attempt_at = timezone.now() + delay
        email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        logger.warning("E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, error)
        return False
    email.sent_at = timezone.now()
    email.attempts += 1
    fields = ["sent_at", "attempts"]
    if email.kind == MESSAGE:  # it may hold a sign-in link: not kept once delivered
        email.body = ""
        fields.append("body")
    email.save(update_fields=fields)
    return True
