"""Send the outbox e-mails that are due: every e-mail of the site (enrolments, password resets,
invitations, account approvals) that the mail server refused, retried with a growing delay.
Meant for cron, every 5 minutes:

    */5 * * * *  cd /srv/cqctp && .venv/bin/python manage.py send_outbox
"""

from django.core.management.base import BaseCommand

from trainings import emails


class Command(BaseCommand):
    help = "Send the outbox e-mails whose next attempt is due."

    def handle(self, *args, **options):
        sent, failed = emails.deliver_due()
        self.stdout.write(f"sent: {sent}, failed: {failed}")
