"""Expire the offered seats whose deadline has passed (passing each seat to the next person
waiting), then send the outbox e-mails that are due: every e-mail of the site (enrolments,
offers, password resets, invitations, account approvals) that the mail server refused, retried
with a growing delay. For cron, every 5 minutes, where `run_worker` (which does this and the
daily jobs, in one service) is not used:

    */5 * * * *  cd /srv/cqctp && .venv/bin/python manage.py send_outbox

An offer thus expires at most 5 minutes after its deadline (it can no longer be accepted from
the deadline on). Two runs at once, or a run beside workers, handle each offer once
(`services.expire_offers` locks the session and checks the offer again before acting) and send
each e-mail once (`outbox.deliver_due` claims the rows with SKIP LOCKED).
"""

from django.core.management.base import BaseCommand

from trainings import emails, services


class Command(BaseCommand):
    help = "Expire the offered seats past their deadline, then send the outbox e-mails due."

    def handle(self, *args, **options):
        expired = services.expire_offers()
        if expired:
            self.stdout.write(f"offers expired: {len(expired)}")
        sent, failed = emails.deliver_due()
        self.stdout.write(f"sent: {sent}, failed: {failed}")
