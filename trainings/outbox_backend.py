"""The e-mail backend of every environment (EMAIL_BACKEND): Django's and the site's messages
(password reset, invitation, sign-up approval, Wagtail's notifications) are written to the
outbox in the caller's transaction, sent after the commit, off the request's path (a short-lived
thread, see emails.py), through OUTBOX_DELIVERY_BACKEND (SMTP in production, the console in
development, memory in tests) and retried by `send_outbox`: a mail server that is down delays
them, never loses them. Code outside trainings/ just sends mail the Django way and needs no
import from here.

`get_connection(bulk=True)` writes the messages without the delivery after the commit: the
worker's `send_outbox` sends them in batches over one connection (a newsletter's thousands of
copies), instead of one thread per message. Other backends ignore the argument."""

from django.core.mail.backends.base import BaseEmailBackend

from . import emails


class OutboxBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, bulk=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.bulk = bulk

    def send_messages(self, email_messages):
        written = 0
        for message in email_messages:
            try:
                if emails.queue_message(message, deliver_after_commit=not self.bulk):
                    written += 1
            except Exception:
                if not self.fail_silently:
                    raise
        return written
