"""E-mail the coordinators of the organisations whose dues for a year are pending, as the
committee's "Send reminders…" button does (members.membership.send_dues_reminders): safe to
run twice, an organisation reminded within DUES_REMINDER_INTERVAL_DAYS is not reminded again."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from members.membership import reminder_interval, send_dues_reminders


class Command(BaseCommand):
    help = "Remind the coordinators of organisations whose membership dues are pending."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="The membership year (default: this year, in Montréal).",
        )

    def handle(self, *args, year=None, **options):
        year = year or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError(f"{year} is not a membership year.")
        plan = send_dues_reminders(year)
        for dues, coordinators in plan.to_remind:
            addresses = ", ".join(membership.user.email for membership in coordinators)
            self.stdout.write(f"Reminded: {dues.organisation.name} ({addresses})")
        for dues in plan.recently_reminded:
            reminded = timezone.localtime(dues.reminded_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"Not again (reminded {reminded}, within {reminder_interval().days} days): "
                f"{dues.organisation.name}"
            )
        for dues in plan.no_one_to_remind:
            self.stdout.write(
                self.style.WARNING(f"No one to remind (no coordinator): {dues.organisation.name}")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{year}: {len(plan.to_remind)} organisation(s) reminded, "
                f"{len(plan.recently_reminded)} reminded lately, "
                f"{len(plan.no_one_to_remind)} with no one to remind."
            )
        )
