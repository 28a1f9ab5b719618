"""The e-mail backend of every environment (EMAIL_BACKEND): Django's and the site's messages
(password reset, invitation, sign-up approval, Wagtail's notifications) are written to the
outbox in the caller's transaction, sent after the commit, off the request's path (a short-lived
thread, see emails.py), through OUTBOX_DELIVERY_BACKEND (SMTP in production, the console in
development, memory in tests) and retried by `send_outbox`: a mail server that is down delays
them, never loses them. Code outside trainings/ just sends mail the Django way and needs no
import from here."""

from django.core.mail.backends.base import BaseEmailBackend

from . import emails


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        written = 0
        for message in email_messages:
            try:
                if emails.queue_message(message):
                    written += 1
            except Exception:
                if not self.fail_silently:
                    raise
        return written
