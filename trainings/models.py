"""A training (a page), its dated sessions (inlines of the page) and its taxonomy (snippets)."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from members.access import allowed_pages, is_member
from members.models import Organisation, Region, in_active_language

from .blocks import DescriptionBlock
from .forms import TrainingPageForm


class TaxonomyTerm(models.Model):
    """A theme or an audience: one record, named in French and English."""

    name = models.CharField(_("name (French)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Used in the catalogue's addresses (filters). Filled in from the name."),
    )

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)

    @property
    def label(self):
        return in_active_language(self.name, self.name_en)


class Theme(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Audience(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class SessionFormat(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class TrainingPageQuerySet(PageQuerySet):
    def listed(self, user=None, request=None):
        """THE definition of the trainings `user` may see (None: an anonymous visitor): live,
        from an active member organisation, members-only ones for members, and allowed by
        Wagtail's page privacy (password, signed-in users, groups) set on the page or any
        ancestor, or on its French version (which shares its sessions). A password counts only
        with the `request` whose session passed it: feeds, the API and e-mails, which have no
        session, never list a password-protected training (`members.access.allowed_pages`)."""
        trainings = self.live().filter(provider__active=True)
        if not is_member(user):
            trainings = trainings.filter(visibility=Visibility.PUBLIC)
        return allowed_pages(trainings, user, request)


class TrainingPage(Page):
    objects = PageManager.from_queryset(TrainingPageQuerySet)()

    # Translations and copies do not duplicate the sessions (see TrainingSession.of_training).
    exclude_fields_in_copy = ["sessions"]
    base_form_class = TrainingPageForm
    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("Two or three sentences shown in the catalogue: what participants will gain."),
    )
    description = StreamField(DescriptionBlock(), verbose_name=_("description"), blank=True)
    learning_objectives = RichTextField(
        _("learning objectives"),
        features=["ul", "ol", "bold", "italic"],
        blank=True,
        help_text=_("A list: by the end, participants will be able to…"),
    )
    prerequisites = models.TextField(
        _("prerequisites"), blank=True, help_text=_("Leave empty when there are none.")
    )
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider organisation"),
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    audiences = ParentalManyToManyField(Audience, verbose_name=_("audiences"), blank=True)
    duration_hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=5,
        decimal_places=1,
        help_text=_("Total length of one session, e.g. 3 or 6.5."),
    )
    price = models.DecimalField(
        _("price (CAD)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("0 for a free training."),
    )
    offered_in_french = models.BooleanField(_("offered in French"), default=True)
    offered_in_english = models.BooleanField(_("offered in English"), default=False)
    certificate = models.BooleanField(
        _("attendance certificate"),
        default=False,
        help_text=_("Participants receive an attendance certificate."),
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("For questions and requests when no session is scheduled."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_(
            "Members-only trainings are listed and shown only to signed-in members; others "
            "get a 'page not found'."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("provider"),
        FieldPanel("visibility"),
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Themes and audiences"),
        ),
        FieldPanel("description"),
        FieldPanel("learning_objectives"),
        FieldPanel("prerequisites"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("duration_hours"), FieldPanel("price")]),
                FieldRowPanel([FieldPanel("offered_in_french"), FieldPanel("offered_in_english")]),
                FieldPanel("certificate"),
            ],
            heading=_("Practical details"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contact"),
        ),
        InlinePanel(
            "sessions",
            label=_("session"),  # singular: "Add session", "Session 1"
            heading=_("Sessions"),
            help_text=_(
                "Sessions are shared by every language version of the training: add them on "
                "the French page; translations show the same sessions and seats."
            ),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("learning_objectives"),
        index.RelatedFields("provider", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name"), index.SearchField("name_en")]),
        index.FilterField("visibility"),
    ]

    api_fields = [
        APIField("summary"),
        APIField("provider_name"),
        APIField("theme_names"),
        APIField("audience_names"),
        APIField("duration_hours"),
        APIField("price"),
        APIField("certificate"),
        APIField("public_sessions"),
    ]

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    # -- Derived data, computed in Python over prefetched rows (no queries in templates) --

    @property
    def is_free(self):
        return not self.price

    @property
    def is_members_only(self):
        return self.visibility == Visibility.MEMBERS

    @cached_property
    def sessions_with_seats(self):
        """Every session, with `confirmed_count` annotated, oldest first."""
        sessions = TrainingSession.objects.of_training(self).with_seats().order_by("start")
        sessions = list(sessions)
        for session in sessions:
            session.page = self  # this language's page, already in memory: no query per session
        return sessions

    @property
    def upcoming_sessions(self):
        now = timezone.now()
        return [s for s in self.sessions_with_seats if s.end >= now]

    @property
    def past_sessions(self):
        now = timezone.now()
        return [s for s in self.sessions_with_seats if s.end < now]

    @property
    def languages(self):
        return [
            label
            for offered, label in (
                (self.offered_in_french, Language.FRENCH.label),
                (self.offered_in_english, Language.ENGLISH.label),
            )
            if offered
        ]

    # API fields
    @property
    def provider_name(self):
        return self.provider.name

    @property
    def theme_names(self):
        return [theme.label for theme in self.themes.all()]

    @property
    def audience_names(self):
        return [audience.label for audience in self.audiences.all()]

    @property
    def public_sessions(self):
        return [session.as_public_dict() for session in self.upcoming_sessions]

    def is_visible_to(self, user, request=None):
        """The per-object twin of `TrainingPage.objects.listed()`: the same rules, by the same
        query (so the two can never disagree). Pass the `request` to count a shared password
        its session has passed; the enrolment views do, feeds and e-mails cannot."""
        return TrainingPage.objects.listed(user, request).filter(pk=self.pk).exists()

    def refused_by_own_restriction(self, request):
        """Whether Wagtail's serve will answer this page's own privacy (password form,
        sign-in) for this request: it checks the page and its ancestors, not the French version."""
        return any(not r.accept_request(request) for r in self.get_view_restrictions())

    def route(self, request, path_components):
        # Members-only trainings do not exist for others: a 404, not a sign-in page that would
        # reveal their title.
        user = getattr(request, "user", None)
        if (self.is_members_only and not is_member(user)) or not self.provider.active:
            raise Http404
        # The rest of `is_visible_to`: Page.route serves live pages only, and Wagtail's serve
        # answers the page's own privacy (password form, sign-in). A translation also follows
        # its French version's privacy: a 404 when that is what refuses. (The provider and the
        # locale are read for the template anyway: French pages cost no extra query.)
        source = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        if (
            self.locale.language_code != source
            and not self.is_visible_to(user, request)
            and not self.refused_by_own_restriction(request)
        ):
            raise Http404
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .structured_data import course_json_ld

        context = super().get_context(request, *args, **kwargs)
        context["json_ld"] = course_json_ld(self, request)
        context["upcoming_sessions"] = self.upcoming_sessions
        context["past_sessions"] = self.past_sessions
        context["themes"] = self.theme_names
        context["audiences"] = self.audience_names
        context["calendar_url"] = reverse("training_calendar", args=[self.pk])
        return context

    def feed_sessions(self):
        """Sessions for this training's calendar feed (cancelled ones marked, not dropped)."""
        sessions = list(TrainingSession.objects.of_training(self).in_feeds().order_by("start"))
        for session in sessions:
            session.page = self
        return sessions

    # -- Publishing: sessions are written with the page, so under the enrolment rules --

    def save(self, *args, **kwargs):
        """Whatever writes the inline sessions (a publish, a draft of an unpublished page) does
        it under the session lock, refusing a capacity below the confirmed count."""
        from . import services

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "sessions" not in update_fields:
            return super().save(*args, **kwargs)
        with services.session_changes(self):
            return super().save(*args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        """All or nothing (see trainings/publishing.py); covers bulk, scheduled, old
        revisions and workflow approvals, which all go through `Revision.publish`."""
        from .publishing import publish_atomically

        return publish_atomically(super().publish, self, revision, *args, **kwargs)


class TrainingSessionQuerySet(models.QuerySet):
    def with_seats(self):
        """Annotate `confirmed_count` with one subquery (no per-row query)."""
        confirmed = (
            Enrolment.objects.filter(session=OuterRef("pk"), status=EnrolmentStatus.CONFIRMED)
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(confirmed_count=Coalesce(Subquery(confirmed), Value(0)))

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
    page = ParentalKey(TrainingPage, on_delete=models.CASCADE, related_name="sessions")
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
            confirmed = Enrolment.objects.filter(
                session_id=self.pk, status=EnrolmentStatus.CONFIRMED
            ).count()
            if self.capacity < confirmed:
                raise ValidationError(
                    {
                        "capacity": _(
                            "The capacity cannot be lower than the number of confirmed "
                            "enrolments (%(count)s)."
                        )
                        % {"count": confirmed}
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
        confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.enrolments.filter(status=EnrolmentStatus.CONFIRMED).count()
        return max(self.capacity - confirmed, 0)

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


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Enrolment(models.Model):
    """A person's place in a session. The enrolment rules (issue 5) live in services.py."""

    session = models.ForeignKey(
        TrainingSession,
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
    reminder_sent_at = models.DateTimeField(_("reminder sent on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)

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

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"
