"""The worker (`manage.py run_worker`, issue 11 item 5): one round does every background job;
daily jobs run once a day from their time; two workers at once on PostgreSQL send each e-mail
exactly once and lose none, a refused one is sent later; SIGTERM stops it cleanly."""

import datetime
import io
import os
import signal
import smtplib
import sqlite3
import subprocess
import sys
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, connections
from django.test import TestCase, override_settings
from django.utils import timezone

from tests import factories as f
from trainings import emails, outbox, services
from trainings.management.commands import run_worker
from trainings.management.commands.run_worker import ScheduledJob, daily_at, run_round
from trainings.models import Enrolment, OutboxEmail

MONTREAL = ZoneInfo("America/Montreal")
# A Monday in June, Montréal time: 10:00 is after the reminders (08:00) and the purge (03:00).
MONDAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=MONTREAL)


def at(day_offset, hour, minute=0):
    return (MONDAY + datetime.timedelta(days=day_offset)).replace(hour=hour, minute=minute)


def worker_once(*options):
    """One round as `manage.py run_worker --once` runs it; after-commit callbacks run too."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("run_worker", "--once", *options, stdout=out)
    return out.getvalue().splitlines()


def message_row(to, **fields):
    """An outbox row as Django's mail functions write it (a password reset, an invitation)."""
    fields.setdefault("subject", f"Message pour {to}")
    fields.setdefault("body", "Bonjour.\n")
    return OutboxEmail.objects.create(to=to, kind=outbox.MESSAGE, **fields)


def past_enrolment(days_ago):
    """A confirmed enrolment, with answers, in a session that ended `days_ago` days ago."""
    session = f.training(sessions=[f.session(-days_ago)]).sessions.get()
    return Enrolment.objects.create(
        session=session,
        user=f.user(),
        status="confirmed",
        comment="Merci",
        consent_at=session.start,
    )


def reminder_due(days=2):
    """A confirmed enrolment in a session `days` days ahead: due for its reminder."""
    session = f.training(sessions=[f.session(days)]).sessions.get()
    return Enrolment.objects.create(session=session, user=f.user(), status="confirmed")


def expired_offer():
    """A seat offered to the person waiting, whose deadline has just passed."""
    page = f.training(
        sessions=[f.session(10, capacity=1, waiting_list_policy="offer", offer_hours=48)]
    )
    session = page.sessions.get()
    holder = services.enrol(f.user(), session, consent=True)
    waiting = services.enrol(f.user("attente@example.org"), session, consent=True)
    services.cancel(holder)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    Enrolment.objects.filter(pk=waiting.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    OutboxEmail.objects.all().delete()  # what these steps wrote; this test is about the worker
    return waiting


# -- One round does every job -----------------------------------------------------------------


@pytest.mark.django_db
def test_one_round_does_every_job():
    with time_machine.travel(at(-2, 10), tick=False):
        # Its first session ends on Sunday: on Monday the catalogue's next session is the other.
        training = f.training(sessions=[f.session(1), f.session(5)])
    assert training.next_session_start == at(-1, 9)
    with time_machine.travel(MONDAY, tick=False):
        scheduled = f.training(title="Titre d'avant")
        scheduled.title = "Titre à publier à 9 h"
        scheduled.save_revision(approved_go_live_at=at(0, 9))
        offer = expired_offer()
        reminder = reminder_due()
        old = past_enrolment(4 * 365)
        refused_earlier = message_row("retry@example.org", attempts=1, last_error="SMTPException")
        mail.outbox.clear()

        lines = worker_once()

    assert lines[0] == "offers expired: 1"
    assert "reminders queued: 1" in lines
    assert any(line.startswith("personal data purged: 1 enrolment(s) anonymised") for line in lines)
    offer.refresh_from_db()
    assert offer.status == "cancelled"
    reminder.refresh_from_db()
    assert reminder.reminder_sent_at is not None
    old.refresh_from_db()
    assert old.user is None and old.comment == ""
    refused_earlier.refresh_from_db()
    assert refused_earlier.sent_at is not None
    sent_to = sorted(message.to[0] for message in mail.outbox)
    assert sent_to == sorted(["attente@example.org", reminder.user.email, "retry@example.org"])
    assert OutboxEmail.objects.filter(sent_at=None).count() == 0
    assert "next sessions refreshed: 1 training(s) changed" in lines
    assert "scheduled publishing: 1 revision(s) due" in lines
    scheduled.refresh_from_db()
    assert scheduled.title == "Titre à publier à 9 h" and scheduled.live
    training.refresh_from_db()
    assert training.next_session_start == at(3, 9)


@pytest.mark.django_db
def test_an_email_written_unrendered_is_rendered_then_sent_by_the_worker():
    """queue() writes a new enrolment's e-mail without its text under the session lock; when
    nothing sent it after the commit (the process stopped), the worker writes and sends it."""
    with time_machine.travel(MONDAY, tick=False):
        session = f.training(title="Premiers soins", sessions=[f.session(10)]).sessions.get()
        enrolment = Enrolment.objects.create(
            session=session, user=f.user("nouvelle@example.org"), status="confirmed"
        )
        email = emails.queue(enrolment, "confirmed")  # its after-commit callback never runs
        assert OutboxEmail.objects.get(pk=email.pk).body == ""
        mail.outbox.clear()

        lines = worker_once()

    assert lines[-1] == "e-mails sent: 1, failed: 0"
    (message,) = mail.outbox
    assert message.to == ["nouvelle@example.org"] and "Premiers soins" in message.subject
    assert message.attachments  # the calendar file
    email.refresh_from_db()
    assert email.sent_at is not None and "Premiers soins" in email.body


# -- Daily jobs: once a day, from their time --------------------------------------------------


@pytest.mark.django_db
def test_reminders_wait_for_their_time_and_run_once_a_day():
    with time_machine.travel(at(0, 7), tick=False):
        first = reminder_due(days=2)
        assert "reminders: not due yet (daily 08:00)" in worker_once()
        assert Enrolment.objects.get(pk=first.pk).reminder_sent_at is None

    with time_machine.travel(at(0, 8, 1), tick=False):
        assert "reminders queued: 1" in worker_once()
        second = reminder_due(days=2)  # enrols after the day's run

    with time_machine.travel(at(0, 16), tick=False):
        assert "reminders: done for this period (daily 08:00)" in worker_once()
    assert Enrolment.objects.get(pk=second.pk).reminder_sent_at is None  # tomorrow's run

    with time_machine.travel(at(1, 8), tick=False):
        assert "reminders queued: 1" in worker_once()
    assert Enrolment.objects.get(pk=second.pk).reminder_sent_at is not None
    assert OutboxEmail.objects.filter(kind="reminder").count() == 2


@pytest.mark.django_db
def test_the_purge_runs_once_a_day_from_its_time():
    with time_machine.travel(at(0, 2, 59), tick=False):
        first = past_enrolment(4 * 365)
        assert "purge: not due yet (daily 03:00)" in worker_once()
    with time_machine.travel(at(0, 3), tick=False):
        worker_once()
        second = past_enrolment(4 * 365)
        assert "purge: done for this period (daily 03:00)" in worker_once()
    assert Enrolment.objects.get(pk=first.pk).user is None
    assert Enrolment.objects.get(pk=second.pk).user is not None
    with time_machine.travel(at(1, 3, 30), tick=False):
        worker_once("--purge-at", "03:30")
    assert Enrolment.objects.get(pk=second.pk).user is None


class FlakyJob:
    """A job of this test's: fails on its first run, stops halfway on its second (the worker
    was asked to stop), completes on its third."""

    def __init__(self):
        self.runs = 0
        self.stop_now = False

    def __call__(self, now, should_stop):
        self.runs += 1
        if self.runs == 1:
            raise RuntimeError("the database went away")
        if self.runs == 2:
            self.stop_now = True
        return f"flaky run {self.runs}", True


@pytest.mark.django_db
def test_a_daily_run_that_fails_or_stops_halfway_is_run_again_until_done():
    job = FlakyJob()
    flaky = ScheduledJob("flaky", job, daily_at(datetime.time(0)), "daily 00:00")
    with time_machine.travel(MONDAY, tick=False):
        lines, failed = run_round([flaky])
        assert failed == ["flaky"] and job.runs == 1

        lines, failed = run_round([flaky], should_stop=lambda: job.stop_now)
        assert ("flaky run 2", True) in lines and failed == []
        job.stop_now = False

        lines, failed = run_round([flaky])
        assert ("flaky run 3", True) in lines

        lines, failed = run_round([flaky])
        assert ("flaky: done for this period (daily 00:00)", False) in lines
    assert job.runs == 3


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_job_running_on_another_worker_is_skipped_not_waited_for():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")
    job = FlakyJob()
    job.runs = 2  # succeeds when it runs
    nightly = ScheduledJob("nightly", job, daily_at(datetime.time(0)), "daily 00:00")
    holding, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with run_worker.job_lock("nightly") as ours:
                assert ours
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        lines, failed = run_round([nightly])
        assert ("nightly: running on another worker", False) in lines and job.runs == 2
    finally:
        release.set()
        thread.join(timeout=30)
    lines, failed = run_round([nightly])  # the other worker let go: the next round runs it
    assert ("flaky run 3", True) in lines


@pytest.mark.django_db
def test_once_with_verbosity_0_prints_nothing_for_cron():
    message_row("cron@example.org")
    out = io.StringIO()
    call_command("run_worker", "--once", "-v", "0", stdout=out)
    assert out.getvalue() == ""
    assert OutboxEmail.objects.get().sent_at is not None


def test_times_and_intervals_are_checked():
    with pytest.raises(Exception, match="not a time of day"):
        call_command("run_worker", "--once", "--reminders-at", "8h")
    with pytest.raises(Exception, match="more than 0"):
        call_command("run_worker", "--once", "--interval", "0")


# -- The mail server is down ------------------------------------------------------------------


class RefusingServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.mark.django_db
@override_settings(OUTBOX_DELIVERY_BACKEND="tests.test_worker.RefusingServer")
def test_a_mail_server_that_is_down_pauses_the_round_and_loses_nothing():
    rows = [message_row(f"destinataire{n}@example.org") for n in range(12)]
    sent, failed = outbox.deliver_due()
    assert (sent, failed) == (0, outbox.REFUSALS_BEFORE_PAUSE)
    attempts = sorted(OutboxEmail.objects.values_list("attempts", flat=True))
    assert attempts == [0] * 7 + [1] * 5  # the rest waits for the next round, untried
    assert OutboxEmail.objects.filter(sent_at=None).count() == len(rows)


@pytest.mark.django_db
@override_settings(OUTBOX_DELIVERY_BACKEND="tests.test_worker.RefusingServer")
def test_a_message_refused_for_weeks_waits_six_hours_and_blocks_no_other():
    with time_machine.travel(MONDAY, tick=False):
        stubborn = message_row("bounces@example.org", attempts=60)
        assert outbox.deliver_due() == (0, 1)
    stubborn.refresh_from_db()
    assert stubborn.attempts == 61
    assert stubborn.next_attempt_at == MONDAY + outbox.MAX_DELAY


# -- Two workers at once, PostgreSQL, real connections ----------------------------------------


class FlakyServer(BaseEmailBackend):
    """A mail server shared by the threads of a test: it notes each message it takes, and
    refuses the first attempt for the addresses in `refuse_once`. Slow enough (5 ms a message)
    that two workers really overlap."""

    lock = threading.Lock()
    taken = []
    refuse_once = set()

    def send_messages(self, email_messages):
        for message in email_messages:
            (to,) = message.to
            with self.lock:
                if to in self.refuse_once:
                    self.refuse_once.discard(to)
                    raise smtplib.SMTPDataError(451, "Try again later")
            time.sleep(0.005)
            with self.lock:
                self.taken.append(to)
        return len(email_messages)


def two_workers_at_once():
    """Run `run_worker --once` in two threads, each with its own database connection, started
    together. Returns their outputs."""
    barrier = threading.Barrier(2)
    outputs, errors = [None, None], []

    def worker(index):
        try:
            out = io.StringIO()
            barrier.wait(timeout=30)
            call_command("run_worker", "--once", stdout=out)
            outputs[index] = out.getvalue().splitlines()
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return outputs


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(OUTBOX_DELIVERY_BACKEND="tests.test_worker.FlakyServer")
def test_two_workers_at_once_send_each_email_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")
    FlakyServer.taken.clear()
    addresses = [f"destinataire{n}@example.org" for n in range(60)]
    refused = set(addresses[5:60:10])  # 6 of them, refused at their first attempt
    FlakyServer.refuse_once.clear()
    FlakyServer.refuse_once.update(refused)
    with time_machine.travel(MONDAY, tick=True):
        for address in addresses:
            message_row(address)
        reminded = [reminder_due() for _ in range(3)]
        outputs = two_workers_at_once()

    # The day's reminders: one worker ran them, the other found them done (or in hand).
    reminder_lines = sorted(line for out in outputs for line in out if "reminder" in line)
    assert reminder_lines[0] == "reminders queued: 3"
    assert reminder_lines[1] in (
        "reminders: done for this period (daily 08:00)",
        "reminders: running on another worker",
    )
    everyone = set(addresses) | {enrolment.user.email for enrolment in reminded}
    assert sorted(FlakyServer.taken) == sorted(everyone - refused)  # each once, refused not yet
    assert {row.to for row in OutboxEmail.objects.filter(sent_at=None)} == refused  # nothing lost
    assert set(OutboxEmail.objects.filter(sent_at=None).values_list("attempts", flat=True)) == {1}

    # Their next attempt is due in 2 minutes: both workers run again then.
    with time_machine.travel(MONDAY + datetime.timedelta(minutes=3), tick=True):
        two_workers_at_once()
    assert sorted(FlakyServer.taken) == sorted(everyone)  # each exactly once, in the end
    assert not OutboxEmail.objects.filter(sent_at=None).exists()
    assert set(OutboxEmail.objects.filter(to__in=refused).values_list("attempts", flat=True)) == {2}


# -- SIGTERM: a subprocess, as systemd runs it ------------------------------------------------


class SlowServer(BaseEmailBackend):
    """The worker's mail server in the subprocess test: 50 ms a message, and a line per message
    taken in the file WORKER_TEST_DELIVERIES names, so the test sees what went out."""

    def send_messages(self, email_messages):
        for message in email_messages:
            time.sleep(0.05)
            with open(os.environ["WORKER_TEST_DELIVERIES"], "a") as deliveries:
                deliveries.write(f"{message.to[0]}\n")
        return len(email_messages)


def database_url_for_a_subprocess(tmp_path):
    """The test database as another process can reach it (SQLite's, in memory, copied)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{user}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    copy = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


def outbox_rows(tmp_path):
    """(to, sent, attempts) of each outbox row, as the worker left them in its database."""
    if connection.vendor == "postgresql":
        rows = OutboxEmail.objects.values_list("to", "sent_at", "attempts")
    else:
        with sqlite3.connect(tmp_path / "worker.sqlite3") as copy:
            rows = copy.execute('SELECT "to", sent_at, attempts FROM trainings_outboxemail')
            rows = rows.fetchall()
    return [(to, sent_at is not None, attempts) for to, sent_at, attempts in rows]


def start_worker(tmp_path, deliveries):
    """`manage.py run_worker` in a process of its own, production settings, its log in a file."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cqctp.settings.production",
        SECRET_KEY="worker-test-" + "k" * 50,
        ALLOWED_HOSTS="formations.test",
        PUBLIC_BASE_URL="https://formations.test",
        DATABASE_URL=database_url_for_a_subprocess(tmp_path),
        CACHE_DIR=str(tmp_path / "cache"),
        OUTBOX_DELIVERY_BACKEND="tests.test_worker.SlowServer",
        WORKER_TEST_DELIVERIES=str(deliveries),
        PYTHONUNBUFFERED="1",
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "3600"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / "worker.log", "w"),  # closed with the process
        text=True,
    )


def log_of(tmp_path):
    path = tmp_path / "worker.log"
    return path.read_text() if path.exists() else ""


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sigterm_stops_the_worker_in_the_middle_of_the_emails_losing_none(tmp_path):
    addresses = [f"destinataire{n}@example.org" for n in range(25)]
    for address in addresses:
        message_row(address)
    deliveries = tmp_path / "deliveries.txt"
    worker = start_worker(tmp_path, deliveries)
    try:
        assert wait_for(deliveries.exists), "the worker sent nothing"
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=30)
    finally:
        worker.kill()
    err = log_of(tmp_path)
    assert worker.returncode == 0, err
    assert "Worker stopped." in out and "Traceback" not in err
    delivered = deliveries.read_text().splitlines()
    rows = outbox_rows(tmp_path)
    sent = [to for to, is_sent, _ in rows if is_sent]
    assert sorted(delivered) == sorted(sent)  # what went out is marked sent, once each
    assert 1 <= len(sent) < len(addresses)  # it stopped before the end of the round
    assert {attempts for _, is_sent, attempts in rows if not is_sent} == {0}  # left as they were
    assert len(rows) == len(addresses)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sigterm_wakes_a_sleeping_worker_at_once(tmp_path):
    worker = start_worker(tmp_path, tmp_path / "deliveries.txt")
    try:
        assert wait_for(lambda: "Worker started" in log_of(tmp_path), seconds=60)
        time.sleep(1)  # its first round (nothing to do) is over: it sleeps for an hour
        stopped_at = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=30)
        took = time.monotonic() - stopped_at
    finally:
        worker.kill()
    err = log_of(tmp_path)
    assert worker.returncode == 0, err
    assert "Worker started: a round every 3600 s" in err
    assert "Worker stopped." in out
    assert took < 5  # not the hour it meant to sleep
