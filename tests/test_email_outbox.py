"""E-mails go through the outbox: a failing mail server loses nothing, `send_outbox` retries
them, and `send_reminders` queues each reminder once."""

import datetime
import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, connections
from django.test import TestCase, override_settings
from django.utils import timezone

from members.models import Membership
from tests import factories as f
from trainings import emails, services
from trainings.management.commands.send_reminders import send_reminder
from trainings.models import Enrolment, OutboxEmail

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("Connection unexpectedly closed")


FAILING = "tests.test_email_outbox.FailingBackend"


def committed(function, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def run(command, *args):
    """Run a management command as cron would: its after-commit callbacks run too."""
    from io import StringIO

    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def session(db):
    page = f.training(sessions=[f.session(10, capacity=2)])
    return page.sessions.get()


def test_a_failing_mail_server_does_not_lose_the_enrolment_nor_the_email(session):
    before = timezone.now()
    with override_settings(OUTBOX_DELIVERY_BACKEND=FAILING):
        enrolment = committed(services.enrol, f.user("ana@example.org"), session, consent=True)
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"
    email = OutboxEmail.objects.get()
    assert email.kind == "confirmed" and email.to == "ana@example.org"
    assert email.sent_at is None and email.attempts == 1
    assert "SMTPException" in email.last_error
    assert email.next_attempt_at > before + datetime.timedelta(minutes=1)
    assert mail.outbox == []

    # The server is back, but the next attempt is not due yet.
    assert run("send_outbox") == "sent: 0, failed: 0\n"
    assert mail.outbox == []

    OutboxEmail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert run("send_outbox") == "sent: 1, failed: 0\n"
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.attachments  # the .ics
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2

    assert run("send_outbox") == "sent: 0, failed: 0\n"  # never twice
    assert len(mail.outbox) == 1


def test_send_outbox_takes_a_time_and_backs_off_while_the_server_fails(session):
    with override_settings(OUTBOX_DELIVERY_BACKEND=FAILING):
        committed(services.enrol, f.user(), session, consent=True)
        email = OutboxEmail.objects.get()
        later = email.next_attempt_at + datetime.timedelta(seconds=1)
        assert emails.deliver_due(now=later) == (0, 1)
    email.refresh_from_db()
    assert email.attempts == 2 and email.sent_at is None
    assert email.next_attempt_at - timezone.now() > datetime.timedelta(minutes=3)  # 4 min
    later = email.next_attempt_at + datetime.timedelta(seconds=1)
    assert emails.deliver_due(now=later) == (1, 0)
    assert len(mail.outbox) == 1


# -- Reminders -------------------------------------------------------------------------------


@pytest.fixture
def reminders(db, frozen_now):
    """One confirmed enrolment due for a reminder, and the cases that must not get one."""
    soon = f.training(title="Bientôt", sessions=[f.session(2, capacity=1)]).sessions.get()
    later = f.training(title="Plus tard", sessions=[f.session(10)]).sessions.get()
    dropped = f.training(title="Annulée", sessions=[f.session(2)]).sessions.get()
    past = f.training(title="Passée", sessions=[f.session(-1)]).sessions.get()

    def enrol(email, session):
        return committed(services.enrol, f.user(email), session, consent=True)

    due = enrol("due@example.org", soon)
    cases = {
        "due": due,
        "waiting": enrol("waiting@example.org", soon),
        "later": enrol("later@example.org", later),
        "session_cancelled": enrol("dropped@example.org", dropped),
    }
    cancelled = enrol("cancelled@example.org", later)
    committed(services.cancel, cancelled)
    cancelled.session = soon
    Enrolment.objects.filter(pk=cancelled.pk).update(session=soon)  # a cancelled one, soon
    committed(services.cancel_session, dropped)
    Enrolment.objects.create(session=past, user=f.user("past@example.org"), status="confirmed")
    Enrolment.objects.create(session=soon, user=None, status="waiting")  # anonymised
    mail.outbox.clear()
    return cases


def test_reminders_are_sent_once_to_confirmed_people_only(reminders, settings):
    settings.REMINDER_DAYS_BEFORE = 3
    assert run("send_reminders") == "reminders queued: 1\n"
    (message,) = mail.outbox
    assert message.to == ["due@example.org"]
    assert message.subject == "Rappel : Bientôt"
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar" and "BEGIN:VEVENT" in str(content)
    due = Enrolment.objects.get(pk=reminders["due"].pk)
    assert due.reminder_sent_at is not None
    email = OutboxEmail.objects.get(kind="reminder")
    assert email.enrolment_id == due.pk and email.sent_at is not None

    assert run("send_reminders") == "reminders queued: 0\n"  # the second run sends nothing
    assert len(mail.outbox) == 1
    for name in ("waiting", "later", "session_cancelled"):
        assert Enrolment.objects.get(pk=reminders[name].pk).reminder_sent_at is None


def test_days_option_reaches_further(reminders):
    assert run("send_reminders", "--days", "11") == "reminders queued: 2\n"
    assert sorted(message.to[0] for message in mail.outbox) == [
        "due@example.org",
        "later@example.org",
    ]


def test_reminders_are_in_the_members_language(reminders):
    Membership.objects.create(
        user=reminders["due"].user, organisation=f.organisation(), language="en"
    )
    run("send_reminders", "--days", "3")
    (message,) = mail.outbox
    assert message.subject.startswith("Reminder")


def test_a_reminder_that_fails_is_retried_by_send_outbox_not_queued_again(reminders):
    with override_settings(OUTBOX_DELIVERY_BACKEND=FAILING):
        assert run("send_reminders", "--days", "3") == "reminders queued: 1\n"
        assert run("send_reminders", "--days", "3") == "reminders queued: 0\n"
    assert OutboxEmail.objects.filter(kind="reminder", sent_at=None).count() == 1
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert run("send_outbox") == "sent: 1, failed: 0\n"
    assert [message.to[0] for message in mail.outbox] == ["due@example.org"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_reminder_runs_send_each_reminder_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")
    session = f.training(sessions=[f.session(2)]).sessions.get()
    enrolment = Enrolment.objects.create(session=session, user=f.user(), status="confirmed")
    now = timezone.now()
    runs = 8
    barrier = threading.Barrier(runs)
    results, errors = [], []

    def attempt():
        try:
            barrier.wait()
            results.append(send_reminder(enrolment.pk, 3, now))
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == [False] * (runs - 1) + [True]
    assert OutboxEmail.objects.filter(kind="reminder", enrolment=enrolment).count() == 1
