"""E-mails about enrolments, in the member's language, through the outbox.

`queue()` writes the message inside the caller's transaction; once it commits, `deliver()`
tries to send it. A message the mail server refused stays in the outbox and the command
`send_outbox` (run by cron every few minutes) tries again, with a growing delay.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .calendar import sessions_calendar

logger = logging.getLogger(__name__)

WITH_CALENDAR = {"confirmed", "promoted", "reminder"}
KINDS = WITH_CALENDAR | {"waiting", "cancelled", "session_cancelled"}
MAX_DELAY = datetime.timedelta(hours=6)


def language_of(user):
    membership = getattr(user, "membership", None)
    return membership.language if membership else settings.LANGUAGE_CODE


def queue(enrolment, kind):
    """Write the e-mail of `kind` about `enrolment` to the outbox; send it after the commit."""
    from .models import OutboxEmail

    assert kind in KINDS, kind
    user = enrolment.user
    if user is None or not user.email:
        return None
    session = enrolment.session
    with translation.override(language_of(user)):
        training = session.page.localized.specific  # the person's language, when translated
        context = {
            "enrolment": enrolment,
            "session": session,
            "training": training,
            "person": user.get_full_name() or user.email,
            "position": None,
            "training_url": training.get_full_url(),
            "site_url": settings.WAGTAILADMIN_BASE_URL,
        }
        if kind == "waiting":
            from .services import waiting_position

            context["position"] = waiting_position(enrolment)
        subject = render_to_string(f"trainings/emails/{kind}_subject.txt", context)
        body = render_to_string(f"trainings/emails/{kind}.txt", context)
        calendar = ""
        if kind in WITH_CALENDAR:
            calendar = sessions_calendar([session], name=training.title).decode()
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


def deliver(pk):
    """Send one outbox e-mail now; on failure, schedule another attempt. Never raises."""
    from .models import OutboxEmail

    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=pk, sent_at=None).first()
        if email is None:
            return False
        message = EmailMessage(email.subject, email.body, to=[email.to])
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
        email.save(update_fields=["sent_at", "attempts"])
        return True


def deliver_due(now=None):
    """Send every outbox e-mail whose next attempt is due. Returns (sent, failed)."""
    from .models import OutboxEmail

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
