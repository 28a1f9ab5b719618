"""Who was there: attendance marked by the committee, per day of a session."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attendance(models.Model):
    """Present or absent on one day of the session (a session over three days has three rows
    per person). Written only by trainings.services.mark_attendance, which logs it."""

    enrolment = models.ForeignKey(
        "trainings.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    day = models.DateField(_("day"), help_text=_("A day of the session, on Montréal's calendar."))
    present = models.BooleanField(_("present"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked on"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["enrolment", "day"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "day"], name="one_attendance_per_day")
        ]

    def __str__(self):
        return f"{self.enrolment} — {self.day}: {'✓' if self.present else '✗'}"
