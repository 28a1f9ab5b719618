"""Delivering the outbox: one row at a time, claimed under its row lock, retried with a growing
delay when the mail server refuses it. `emails.py` writes the rows; this sends them."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from .models import OutboxEmail

logger = logging.getLogger(__name__)

MAX_DELAY = datetime.timedelta(hours=6)
MESSAGE = "message"  # the kind of e-mails written through EMAIL_BACKEND (outbox_backend.py)


def deliver_each(pks):
    for pk in pks:
        deliver(pk)


def delivery_connection():
    """The real mail server (OUTBOX_DELIVERY_BACKEND); EMAIL_BACKEND is the outbox itself."""
    backend = settings.OUTBOX_DELIVERY_BACKEND
    if backend.startswith("trainings.outbox_backend."):
        raise ImproperlyConfigured("OUTBOX_DELIVERY_BACKEND must be a real mail backend.")
    return get_connection(backend)


def deliver(pk):
    """Send one outbox e-mail now; on failure, schedule another attempt. Never raises."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=pk, sent_at=None).first()
        if email is None:
            return False
        message = EmailMessage(
            email.subject, email.body, to=[email.to], connection=delivery_connection()
        )
        if email.calendar:
            message.attach("formation.ics", email.calendar, "text/calendar")
        try:
            message.send(fail_silently=False)
        except Exception as error:  # any mail server failure: keep it for the next try
            email.attempts += 1
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            delay = min(datetime.timedelta(minutes=2**email.attempts), MAX_DELAY)
            email.next_attempt_at = timezone.now() + delay
            email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.warning("E-mail %s not sent (attempt %s): %s", pk, email.attempts, error)
            return False
        email.sent_at = timezone.now()
        email.attempts += 1
        fields = ["sent_at", "attempts"]
        if email.kind == MESSAGE:  # it may hold a sign-in link: not kept once delivered
            email.body = ""
            fields.append("body")
        email.save(update_fields=fields)
        return True


def deliver_due(now=None):
    """Send every outbox e-mail whose next attempt is due. Returns (sent, failed)."""
    now = now or timezone.now()
    due = OutboxEmail.objects.filter(sent_at=None, next_attempt_at__lte=now).values_list(
        "pk", flat=True
    )
    sent = failed = 0
    for pk in list(due):
        if deliver(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
