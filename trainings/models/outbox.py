"""E-mails written with the change they report and delivered after the commit."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enrolments import Enrolment


class OutboxEmail(models.Model):
    """An e-mail written in the same transaction as the change it reports, sent after the
    commit and retried until the mail server takes it: a failing server loses nothing."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    calendar = models.TextField(_("calendar attachment (.ics)"), blank=True)
    kind = models.CharField(_("kind"), max_length=30)
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    # Extra headers of the message, e.g. the newsletter's List-Unsubscribe (RFC 8058).
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"
