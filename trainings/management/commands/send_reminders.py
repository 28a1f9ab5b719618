"""Queue a reminder for every confirmed enrolment of a session starting within N days. Meant for
cron, once a day; running it twice, or twice at once, sends each reminder once:

    0 8 * * *  cd /srv/cqctp && .venv/bin/python manage.py send_reminders

"Within N days" counts days on Montréal's calendar (trainings.dates): with N = 1, the run of the
day before reminds every session of the next day, at whatever hour the run or the session, and
even when a clock change makes that night 23 or 25 hours long.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from trainings import emails
from trainings.dates import end_of_local_day
from trainings.models import Enrolment, EnrolmentStatus, SessionStatus


def due_reminders(days, now):
    return Enrolment.objects.filter(
        status=EnrolmentStatus.CONFIRMED,
        user__isnull=False,
        reminder_sent_at__isnull=True,
        session__status=SessionStatus.SCHEDULED,
        session__start__gt=now,
        session__start__lt=end_of_local_day(now, days),
    )


def send_reminder(pk, days, now):
    """Lock the enrolment, check again that its reminder is due, mark it and queue it."""
    with transaction.atomic():
        enrolment = due_reminders(days, now).select_for_update(of=("self",)).filter(pk=pk).first()
        if enrolment is None:  # sent meanwhile by another run, cancelled, or moved
            return False
        enrolment.reminder_sent_at = timezone.now()
        enrolment.save(update_fields=["reminder_sent_at"])
        emails.queue(enrolment, "reminder")
    return True


class Command(BaseCommand):
    help = "Queue reminders for confirmed enrolments in sessions starting within N days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="How many days ahead (default: settings.REMINDER_DAYS_BEFORE).",
        )

    def handle(self, *args, days=None, **options):
        if days is None:
            days = settings.REMINDER_DAYS_BEFORE
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        now = timezone.now()
        pks = list(
            due_reminders(days, now).order_by("session__start", "pk").values_list("pk", flat=True)
        )
        queued = sum(1 for pk in pks if send_reminder(pk, days, now))
        self.stdout.write(f"reminders queued: {queued}")
