"""A person's place in a session; the rules that change it live in trainings/services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import HOLDING_A_SEAT, EnrolmentStatus

# THE order of a waiting list: first come, first served (ties broken by the row's id).
WAITING_ORDER = ("created", "pk")


class EnrolmentQuerySet(models.QuerySet):
    def holding_a_seat(self):
        """Confirmed people and those who hold an offered seat until its deadline."""
        return self.filter(status__in=HOLDING_A_SEAT)

    def pending_offers(self):
        """Seats offered and not answered yet, the nearest deadline first (an offer past its
        deadline stays here until `send_outbox` expires it, a few minutes at most)."""
        return self.filter(status=EnrolmentStatus.OFFERED).order_by("offer_expires_at", "pk")

    def waiting_list(self):
        """The waiting people in the order they are served, the only place that order is
        written: the services promote from it, the e-mails and pages say positions from it."""
        return self.filter(status=EnrolmentStatus.WAITING).order_by(*WAITING_ORDER)

    def next_in_line(self):
        """Who a freed seat goes to: the waiting list without anonymised enrolments."""
        return self.waiting_list().filter(user__isnull=False)

    def waiting_positions(self):
        """{pk: place in its session's waiting list (1 = next)} for the waiting enrolments of
        the sessions in this queryset, in one query."""
        sessions = self.filter(status=EnrolmentStatus.WAITING).values("session_id")
        queue = (
            Enrolment.objects.filter(session_id__in=sessions)
            .waiting_list()
            .order_by("session_id", *WAITING_ORDER)
            .values_list("pk", "session_id")
        )
        positions, counters = {}, {}
        for pk, session_id in queue:
            counters[session_id] = counters.get(session_id, 0) + 1
            positions[pk] = counters[session_id]
        return positions

    def waiting_position(self, enrolment):
        """The place of one waiting enrolment (None when it is not waiting)."""
        if enrolment.status != EnrolmentStatus.WAITING:
            return None
        before = Q(created__lt=enrolment.created) | Q(
            created=enrolment.created, pk__lt=enrolment.pk
        )
        return (
            Enrolment.objects.filter(session_id=enrolment.session_id)
            .waiting_list()
            .filter(before)
            .count()
            + 1
        )


class Enrolment(models.Model):
    """A person's place in a session. The enrolment rules (issue 5) live in services.py."""

    session = models.ForeignKey(
        "trainings.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices)
    created = models.DateTimeField(_("enrolled on"), default=timezone.now)
    # The answers: only what the organisation needs to welcome the person (Law 25).
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True, max_length=1000)
    interpretation_language = models.CharField(
        _("interpretation needed (language)"), max_length=100, blank=True
    )
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    consent_at = models.DateTimeField(_("consent given on"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by (coordinator)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    promoted_at = models.DateTimeField(
        _("promoted from the waiting list on"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    offered_at = models.DateTimeField(_("seat offered on"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(
        _("offer expires on"),
        null=True,
        blank=True,
        help_text=_("An offered seat passes to the next person if not accepted by then."),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["session", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="one_active_enrolment_per_person_and_session",
            )
        ]

    def __str__(self):
        return f"{self.session} — {self.get_status_display()}"

    @property
    def offer_open(self):
        """A seat is offered to this person and may still be accepted now."""
        return (
            self.status == EnrolmentStatus.OFFERED
            and self.offer_expires_at is not None
            and timezone.now() < self.offer_expires_at
        )
