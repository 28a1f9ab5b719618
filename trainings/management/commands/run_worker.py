"""Everything the site does in the background, in one long-running command (docs/deploy.md):

    DJANGO_SETTINGS_MODULE=cqctp.settings.production .venv/bin/python manage.py run_worker

Each round (every --interval seconds):
1. expires the waiting-list offers past their deadline (the seat goes to the next person);
2. every minute, publishes the pages approved with a go-live date and unpublishes the expired
   ones (Wagtail's publish_scheduled);
3. once a day from --reminders-at (Montréal time), queues the reminders (as send_reminders);
4. once a day from --purge-at, removes old personal data (as purge_personal_data);
5. every --refresh-every minutes, refreshes the next session of each training (sessions that
   ended are no longer "next": the catalogue's sort reads it);
6. sends the outbox e-mails that are due: those the steps above wrote, and those the mail
   server refused before (retried with a growing delay).

Several workers may run at once, on one server or several, against one database:
- an offer is expired under its session's lock and checked again once locked;
- an e-mail is claimed with SELECT … FOR UPDATE SKIP LOCKED (trainings/outbox.py) and marked
  sent in the same transaction: sent once, never lost;
- a scheduled job runs on one worker at a time: PostgreSQL, under the job's advisory lock,
  which the others do not wait for; SQLite, one machine, under the write lock. Its run for a
  period (a day's reminders, a day's purge, a minute's publishing) is recorded in the cache
  every process shares (Redis across servers, see settings/caches.py), so the other workers
  skip it until the next period; a run that fails, or is stopped halfway, is not recorded and
  the next round runs it again. Should the record be lost (the cache emptied), a job runs twice
  that day and still does nothing twice: each reminder is marked on its enrolment under the row
  lock, the purge and the refresh leave done work as it is, a page published stays published.

`--once` runs one round and exits: tests, or cron every minute instead of a service (the daily
jobs still run once a day). SIGTERM or SIGINT: the round in hand stops after the job, reminder
or batch of e-mails in hand, and the command exits 0.

`send_outbox` (offers and e-mails) and the other commands still work alone for cron.
"""

import argparse
import contextlib
import dataclasses
import datetime
import importlib.util
import io
import logging
import signal
import threading
import time
import uuid
import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from wagtail.models import Revision

from trainings import outbox, services
from trainings.dates import local_zone
from trainings.management.commands.send_reminders import due_reminders, send_reminder
from trainings.privacy import purge_old_personal_data

logger = logging.getLogger("trainings.worker")

# The catalogue's next-session column (trainings/next_session.py), refreshed when it exists.
next_session = None
if importlib.util.find_spec("trainings.next_session"):
    from trainings import next_session

# SQLite (no advisory locks): a run claimed by a worker that died (killed, machine lost) is
# taken over after this long. PostgreSQL knows at once (the dead worker's lock is gone).
STALE_CLAIM = datetime.timedelta(hours=1)
CLAIM_RECORD_SECONDS = 3 * 24 * 60 * 60


@dataclasses.dataclass(frozen=True)
class ScheduledJob:
    name: str
    run: Callable  # (now, should_stop) -> (a line saying what it did, worth logging)
    slot: Callable  # now -> the period this run belongs to (a day...), None: not due yet
    when: str  # for people: "daily at 08:00"


def daily_at(at):
    """The slot of a job run once a day from `at`, Montréal time: the day's date."""

    def slot(now):
        local = timezone.localtime(now, local_zone())
        return local.date().isoformat() if local.time() >= at else None

    return slot


def every(minutes):
    """The slot of a job run once every `minutes`: the number of the period since 1970."""

    def slot(now):
        return int(now.timestamp() // (minutes * 60))

    return slot


# -- Claims: one worker runs a job's slot ------------------------------------------------------


def claim_key(name):
    return f"run_worker:{name}"


@contextlib.contextmanager
def job_lock(name):
    """PostgreSQL: the job's own advisory lock, tried without waiting, held (on this worker's
    connection) while the job runs: True when this worker got it. A worker that dies loses it
    with its connection. SQLite: always True (one machine; claims take the write lock)."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = zlib.crc32(f"cqctp.run_worker.{name}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        (acquired,) = cursor.fetchone()
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except DatabaseError:  # the connection broke: the lock went with it
                logger.warning("Worker: could not release the lock of %s", name, exc_info=True)


@transaction.atomic  # SQLite: the IMMEDIATE transaction's write lock; PostgreSQL: job_lock
def claim(name, slot, now):
    """Claim the run of job `name` for `slot` (its caller holds the job's lock): a token for
    the worker that must run it, None when the slot's run is done (or, on SQLite, in hand)."""
    record = cache.get(claim_key(name))
    if record and record["slot"] == slot:
        if record["done"]:
            return None
        if connection.vendor != "postgresql" and now - record["started"] < STALE_CLAIM:
            return None
        # Started and not finished, and nobody holds the job's lock: its worker is gone.
    token = uuid.uuid4().hex
    record = {"slot": slot, "started": now, "done": False, "token": token}
    cache.set(claim_key(name), record, CLAIM_RECORD_SECONDS)
    return token


@transaction.atomic
def finish(name, token, done):
    """Record the claimed run as done, or release it (failed, stopped) for the next round."""
    record = cache.get(claim_key(name))
    if not record or record["token"] != token:
        return  # SQLite: taken over meanwhile (this run was too slow): the other's record
    if done:
        cache.set(claim_key(name), {**record, "done": True}, CLAIM_RECORD_SECONDS)
    else:
        cache.delete(claim_key(name))


# -- The jobs ---------------------------------------------------------------------------------


def expire_offers(now):
    expired = len(services.expire_offers(now))
    return f"offers expired: {expired}", expired > 0


def queue_reminders(now, should_stop):
    days = settings.REMINDER_DAYS_BEFORE
    due = due_reminders(days, now).order_by("session__start", "pk").values_list("pk", flat=True)
    queued = 0
    for pk in list(due):
        if should_stop():
            break
        queued += send_reminder(pk, days, now)  # locks, checks again and marks each one
    return f"reminders queued: {queued}", True


def purge(now, should_stop):
    result = purge_old_personal_data(None, now)
    line = (
        f"personal data purged: {result['enrolments_anonymised']} enrolment(s) anonymised, "
        f"{result['emails_deleted']} e-mail(s) and {result['sign_in_logs_deleted']} sign-in "
        "log(s) deleted"
    )
    return line, True


def refresh_next_sessions(now, should_stop):
    changed = next_session.refresh_all(now=now)
    return f"next sessions refreshed: {changed} training(s) changed", changed > 0


def publish_scheduled(now, should_stop):
    """Wagtail's `publish_scheduled`: pages (and snippets) approved with a go-live date, and
    those past their expiry date. Not safe twice at once: only one worker runs it at a time."""
    due = Revision.objects.filter(approved_go_live_at__lt=now).count()
    call_command("publish_scheduled", stdout=io.StringIO())
    return f"scheduled publishing: {due} revision(s) due", due > 0


def send_due_emails(now, should_stop):
    # Due as of now, not the round's start: what this round's jobs wrote is due too.
    sent, failed = outbox.deliver_due(should_stop=should_stop)
    return f"e-mails sent: {sent}, failed: {failed}", sent + failed > 0


def scheduled_jobs(reminders_at, purge_at, refresh_minutes):
    jobs = [
        ScheduledJob("publish_scheduled", publish_scheduled, every(1), "every minute"),
        ScheduledJob(
            "reminders", queue_reminders, daily_at(reminders_at), f"daily {reminders_at:%H:%M}"
        ),
        ScheduledJob("purge", purge, daily_at(purge_at), f"daily {purge_at:%H:%M}"),
    ]
    if next_session is not None:
        jobs.append(
            ScheduledJob(
                "next_sessions",
                refresh_next_sessions,
                every(refresh_minutes),
                f"every {refresh_minutes} min",
            )
        )
    return jobs


def run_round(jobs, now=None, should_stop=lambda: False):
    """One round of the worker. Returns ([(a line saying what a job did, worth logging)], names
    of the jobs that failed); a failing job is logged and does not stop the others."""
    now = now or timezone.now()
    lines, failed = [], []

    def attempt(name, function):
        try:
            lines.append(function())
        except Exception:
            logger.exception("Worker: %s failed", name)
            failed.append(name)

    attempt("offers", lambda: expire_offers(now))
    for job in jobs:
        if should_stop():
            break
        attempt(job.name, lambda job=job: run_scheduled(job, now, should_stop))
    if not should_stop():
        attempt("outbox", lambda: send_due_emails(now, should_stop))
    return lines, failed


def run_scheduled(job, now, should_stop):
    slot = job.slot(now)
    if slot is None:
        return f"{job.name}: not due yet ({job.when})", False
    with job_lock(job.name) as ours:
        if not ours:
            return f"{job.name}: running on another worker", False
        token = claim(job.name, slot, now)
        if token is None:
            return f"{job.name}: done for this period ({job.when})", False
        try:
            outcome = job.run(now, should_stop)
        except BaseException:
            finish(job.name, token, done=False)
            raise
        finish(job.name, token, done=not should_stop())
        return outcome


# -- The command ------------------------------------------------------------------------------


def clock_time(value):
    try:
        return datetime.time.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a time of day such as 08:00.") from None


class Command(BaseCommand):
    help = (
        "Run the background jobs in a loop: expire offers, publish scheduled pages, send "
        "reminders (daily), purge old personal data (daily), refresh the next sessions, send the "
        "outbox e-mails. Safe to run on several servers at once. -v 0: no output (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one round, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=60.0,
            help="Seconds between the start of two rounds (default 60).",
        )
        parser.add_argument(
            "--reminders-at",
            type=clock_time,
            default="08:00",
            help="Montréal time from which the day's reminders are sent (default 08:00).",
        )
        parser.add_argument(
            "--purge-at",
            type=clock_time,
            default="03:00",
            help="Montréal time from which the day's purge of old personal data runs (03:00).",
        )
        parser.add_argument(
            "--refresh-every",
            type=int,
            default=5,
            help="Minutes between two refreshes of the trainings' next sessions (default 5).",
        )

    def handle(self, *args, once, interval, reminders_at, purge_at, refresh_every, **options):
        if interval <= 0 or refresh_every < 1:
            raise CommandError("--interval and --refresh-every must be more than 0.")
        jobs = scheduled_jobs(reminders_at, purge_at, refresh_every)
        self.stop_asked = False
        previous = self.catch_stop_signals()
        try:
            if once:
                outcomes, failed = run_round(jobs, should_stop=self.should_stop)
                if options["verbosity"]:
                    self.stdout.write("\n".join(line for line, _ in outcomes))
                if failed:
                    raise CommandError(f"Failed: {', '.join(failed)} (see the log above).")
                return
            self.loop(jobs, interval)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def loop(self, jobs, interval):
        logger.info(
            "Worker started: a round every %s s; %s.",
            f"{interval:g}",
            ", ".join(f"{job.name} {job.when}" for job in jobs),
        )
        while not self.stop_asked:
            started = time.monotonic()
            self.tidy_connections()
            outcomes, _ = run_round(jobs, should_stop=self.should_stop)  # failures are logged
            for line, worth_logging in outcomes:
                if worth_logging:
                    logger.info("Worker: %s", line)
            self.tidy_connections()
            self.pause(interval - (time.monotonic() - started))
        logger.info("Worker stopped.")
        self.stdout.write("Worker stopped.")

    def should_stop(self):
        return self.stop_asked

    def pause(self, seconds):
        """Sleep until the next round, in short naps so that a stop is seen within a quarter
        of a second. (The signal handler only sets a flag: waking an Event from it could
        deadlock on the Event's own lock.)"""
        deadline = time.monotonic() + seconds
        while not self.stop_asked and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.25))

    def catch_stop_signals(self):
        """SIGTERM (systemd, docker) and SIGINT (Ctrl-C) ask for a stop after the step in hand.
        Only the main thread can set handlers (tests run the command in threads too)."""
        if threading.current_thread() is not threading.main_thread():
            return {}
        previous = {}
        for number in (signal.SIGTERM, signal.SIGINT):
            previous[number] = signal.signal(number, self.ask_to_stop)
        return previous

    def ask_to_stop(self, number, frame):
        self.stop_asked = True

    @staticmethod
    def tidy_connections():
        """What Django does around each request: drop a connection that broke or outlived
        CONN_MAX_AGE (never inside a transaction the caller holds)."""
        if not connection.in_atomic_block:
            close_old_connections()
