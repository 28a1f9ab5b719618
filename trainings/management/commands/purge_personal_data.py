"""Law 25: anonymise enrolments and delete e-mails once the retention period is over.

Run daily by cron. Safe to run again: what was anonymised stays so, nothing else changes.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from trainings.models import TrainingSession
from trainings.privacy import old_enrolments, purge_old_personal_data, retention_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise the enrolments of sessions that ended more than N years ago (the answers and "
        "the person are removed, the counts stay) and delete older outbox e-mails and sign-in "
        "logs. Accounts are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=(
                "Retention period in years (default: PERSONAL_DATA_RETENTION_YEARS, "
                f"{settings.PERSONAL_DATA_RETENTION_YEARS})."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be anonymised and deleted, and change nothing.",
        )

    def handle(self, *args, years=None, dry_run=False, **options):
        if years is not None and years < 1:
            raise CommandError("--years must be 1 or more.")
        now = timezone.now()
        cutoff = retention_cutoff(years, now)
        when = timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M")
        if dry_run:
            self.list_sessions(cutoff)
        result = purge_old_personal_data(years, now, dry_run=dry_run)
        verb = ("Would anonymise", "would delete") if dry_run else ("Anonymised", "deleted")
        self.stdout.write(
            f"{verb[0]} {result['enrolments_anonymised']} enrolment(s) of sessions that ended "
            f"before {when}; {verb[1]} {result['emails_deleted']} e-mail(s) and "
            f"{result['sign_in_logs_deleted']} sign-in log(s) older than that."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")

    def list_sessions(self, cutoff):
        """One line per session: no names, no answers."""
        counts = dict(
            old_enrolments(cutoff)
            .order_by()
            .values_list("session")
            .annotate(n=Count("pk"))
            .values_list("session", "n")
        )
        sessions = TrainingSession.objects.filter(pk__in=counts).select_related("page")
        for session in sessions.order_by("start"):
            self.stdout.write(f"  {session}: {counts[session.pk]} enrolment(s)")
