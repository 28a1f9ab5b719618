"""Attendance certificates: what was issued, kept as issued, so that a code verifies the same
text years later even if the training page or the person's name changes."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    enrolment = models.OneToOneField(
        "trainings.Enrolment",
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate",
    )
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    language = models.CharField(_("language"), max_length=2)
    holder_name = models.CharField(_("name of the holder"), max_length=300)
    training_title = models.CharField(_("training"), max_length=300)
    provider_name = models.CharField(_("provider"), max_length=300)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    issued_at = models.DateTimeField(_("issued on"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance certificate")
        verbose_name_plural = _("attendance certificates")
        ordering = ["-issued_at", "pk"]

    def __str__(self):
        return f"{self.code} — {self.holder_name}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None
