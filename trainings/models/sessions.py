"""A dated session of a training: an inline of the training page, shared by its translations."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from members.models import Region

from .choices import EnrolmentStatus, Language, SessionFormat, SessionStatus, WaitingListPolicy
from .enrolments import Enrolment


class TrainingSessionQuerySet(models.QuerySet):
    def published(self):
        """Sessions of trainings that have been published: a draft never published is its
        editor's business, not the committee's screens' or the reports'."""
        return self.filter(page__first_published_at__isnull=False)

    def with_counts(self):
        """Annotate `confirmed`, `offered`, `waiting` and `fill_rate` (seats held, in % of the
        capacity; None for no seat) for the committee's screens: one query for all rows."""

        def count(status):
            return Count("enrolments", filter=Q(enrolments__status=status))

        held = Cast(F("confirmed") + F("offered"), FloatField())
        return (
            self.select_related("page")
            .annotate(
                confirmed=count(EnrolmentStatus.CONFIRMED),
                offered=count(EnrolmentStatus.OFFERED),
                waiting=count(EnrolmentStatus.WAITING),
            )
            .annotate(fill_rate=held * 100 / NullIf(F("capacity"), 0))
        )

    def with_seats(self):
        """Annotate `seats_taken` (confirmed people and pending offers, the count the capacity
        is compared with) with one subquery: no per-row query."""
        taken = (
            Enrolment.objects.filter(session=OuterRef("pk"))
            .holding_a_seat()
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(seats_taken=Coalesce(Subquery(taken), Value(0)))

    def upcoming(self):
        return self.filter(status=SessionStatus.SCHEDULED, end__gte=timezone.now())

    def of_training(self, page):
        """Sessions belong to the training in all its languages (its translation key): the
        translations share them, so enrolments are never split by language."""
        return self.filter(page__translation_key=page.translation_key)

    def in_feeds(self):
        """Sessions that calendar feeds carry: not over yet, cancelled ones included."""
        return self.filter(end__gte=timezone.now())


class TrainingSession(Orderable, ClusterableModel):
    page = ParentalKey("trainings.TrainingPage", on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField(_("start"), help_text=_("Montréal time."))
    end = models.DateTimeField(_("end"))
    format = models.CharField(
        _("format"), max_length=10, choices=SessionFormat.choices, default=SessionFormat.IN_PERSON
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(
        _("region"),
        max_length=2,
        choices=Region.choices,
        blank=True,
        help_text=_("For in-person and hybrid sessions."),
    )
    online_url = models.URLField(
        _("online meeting link"),
        blank=True,
        help_text=_("Shown only to people whose enrolment is confirmed."),
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=20)
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the session is full, new enrolments join a waiting list."),
    )
    waiting_list_policy = models.CharField(
        _("waiting list policy"),
        max_length=10,
        choices=WaitingListPolicy.choices,
        default=WaitingListPolicy.INSTANT,
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept an offered seat"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("With the offer policy: after this, the seat passes to the next person."),
    )
    enrolment_opens = models.DateTimeField(
        _("enrolment opens"), null=True, blank=True, help_text=_("Empty: open now.")
    )
    enrolment_closes = models.DateTimeField(
        _("enrolment closes"), null=True, blank=True, help_text=_("Empty: at the start.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )

    objects = TrainingSessionQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("format"), FieldPanel("language"), FieldPanel("status")]),
        FieldPanel("venue"),
        FieldRowPanel([FieldPanel("address"), FieldPanel("city"), FieldPanel("region")]),
        FieldPanel("online_url"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("waiting_list")]),
        # The policies are explained by their labels: one per line, as radio buttons.
        FieldPanel("waiting_list_policy", widget=forms.RadioSelect),
        FieldPanel("offer_hours"),
        FieldRowPanel([FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["status", "start"])]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.page.title} — {local:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must come after the start.")})
        if (
            self.enrolment_opens
            and self.enrolment_closes
            and (self.enrolment_closes <= self.enrolment_opens)
        ):
            raise ValidationError({"enrolment_closes": _("Enrolment must close after it opens.")})
        if self.format in (SessionFormat.IN_PERSON, SessionFormat.HYBRID) and not self.region:
            raise ValidationError({"region": _("Give the region of an in-person session.")})
        if self.pk and self.capacity is not None:
            taken = Enrolment.objects.filter(session_id=self.pk).holding_a_seat().count()
            if self.capacity < taken:
                raise ValidationError(
                    {
                        "capacity": _(
                            "The capacity cannot be lower than the %(count)s seats taken "
                            "(confirmed, or offered and awaiting an answer)."
                        )
                        % {"count": taken}
                    }
                )

    @property
    def is_cancelled(self):
        return self.status == SessionStatus.CANCELLED

    @property
    def enrolment_state(self):
        """ "open", "not_open", "closed" or "cancelled", for display; services decide."""
        now = timezone.now()
        if self.is_cancelled:
            return "cancelled"
        if self.start <= now or (self.enrolment_closes and now >= self.enrolment_closes):
            return "closed"
        if self.enrolment_opens and now < self.enrolment_opens:
            return "not_open"
        return "open"

    @property
    def cancellation_deadline(self):
        """Members may cancel until enrolment closes (or, failing that, until the start)."""
        return self.enrolment_closes or self.start

    @property
    def is_online_only(self):
        return self.format == SessionFormat.ONLINE

    @property
    def seats_left(self):
        """Free seats: a seat on offer is not free (`with_seats` spares the query)."""
        taken = getattr(self, "seats_taken", None)
        if taken is None:
            taken = self.enrolments.holding_a_seat().count()
        return max(self.capacity - taken, 0)

    @property
    def is_full(self):
        return self.seats_left == 0

    @property
    def place_label(self):
        if self.format == SessionFormat.ONLINE:
            return str(SessionFormat.ONLINE.label)
        parts = [p for p in (self.venue, self.city) if p]
        return ", ".join(parts) or self.get_region_display()

    def as_public_dict(self):
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "format": self.format,
            "language": self.language,
            "venue": self.venue,
            "city": self.city,
            "region": self.region,
            "capacity": self.capacity,
            "seats_left": self.seats_left,
            "status": self.status,
        }
