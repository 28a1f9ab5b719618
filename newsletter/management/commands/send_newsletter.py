"""Send an issue of the newsletter to the confirmed subscribers, or finish its interrupted
sending (the admin's "Send to subscribers" does the same):

    manage.py send_newsletter <page id>

The copies are written to the outbox in batches; the worker (`send_outbox`) delivers them."""

from django.core.management.base import BaseCommand, CommandError

from newsletter import services
from newsletter.models import NewsletterIssuePage


class Command(BaseCommand):
    help = (
        "Send a newsletter issue (its page id, any language) to the confirmed subscribers, "
        "or resume its unfinished sending."
    )

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int, help="The id of the issue's page.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=services.BATCH_SIZE,
            help="Subscribers written to per transaction (default %(default)s).",
        )

    def handle(self, *args, page_id, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        page = NewsletterIssuePage.objects.filter(pk=page_id).first()
        if page is None:
            raise CommandError(f"No newsletter issue has the page id {page_id}.")
        try:
            sending = services.start_sending(page)
        except services.CannotSend as problem:
            raise CommandError(str(problem)) from None
        resumed = sending.deliveries.exists()
        written = services.send_issue(sending, batch_size=batch_size)
        total = sending.deliveries.count()
        self.stdout.write(
            f"{'Resumed' if resumed else 'Sent'} “{sending.issue.title}”: {written} copies "
            f"written now, {total} in all; the outbox delivers them."
        )
