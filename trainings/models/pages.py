"""A training: a page of the catalogue, and THE rule of who may see it (`listed`)."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from members.access import OneQueryViewRestrictions, allowed_pages, is_member, page_allowed
from members.models import Organisation

from ..blocks import DescriptionBlock
from ..forms import TrainingPageForm
from ..permissions import catalogue_permissions
from .choices import Language, Visibility
from .sessions import TrainingSession
from .taxonomy import Audience, Theme


class TrainingPageQuerySet(PageQuerySet):
    def listed(self, user=None, request=None):
        """THE definition of the trainings `user` may see (None: an anonymous visitor): live,
        from an active member organisation, members-only ones for members, and allowed by
        Wagtail's page privacy (password, signed-in users, groups) set on the page or any
        ancestor, or on its French version (which shares its sessions). A password counts only
        with the `request` whose session passed it: feeds, the API and e-mails, which have no
        session, never list a password-protected training (`members.access.allowed_pages`)."""
        return allowed_pages(self.published_to(user), user, request)

    def published_to(self, user=None):
        """`listed()` before page privacy: live, from an active member organisation,
        members-only ones for members (`is_visible_to` adds the privacy its own way)."""
        trainings = self.live().filter(provider__active=True)
        if not is_member(user):
            trainings = trainings.filter(visibility=Visibility.PUBLIC)
        return trainings


class TrainingPage(OneQueryViewRestrictions, Page):
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
    # Kept up to date by trainings.next_session (sessions saved or deleted, and the worker as
    # time passes): the catalogue sorts and filters on it with no subquery per training.
    next_session_start = models.DateTimeField(
        _("next session"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Start of the next scheduled session; kept up to date automatically."),
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
        # The committee's reports (committee/reports_admin.py) are opened with this one.
        permissions = [("view_reports", _("Can view the training reports"))]

    # Catalogue rules (trainings/permissions.py): only permissions granted on the catalogue
    # count here, and without "change" one edits only one's own organisation's trainings.
    permissions_for_user = catalogue_permissions(organisation_field="provider")
    # Read by `route` and the template: fetched with the page when the home page routes an
    # address it has seen before (home/models/serving.py), instead of one query each.
    route_select_related = ("provider", "locale")

    # -- Derived data, computed in Python over prefetched rows (no queries in templates) --

    @property
    def is_free(self):
        return not self.price

    @property
    def is_members_only(self):
        return self.visibility == Visibility.MEMBERS

    @cached_property
    def sessions_with_seats(self):
        """Every session, with `seats_taken` annotated (confirmed and offered), oldest first."""
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
        querysets (so the two can never disagree); the page privacy part by `page_allowed`,
        which skips `allowed_pages`' costly subqueries when no view restriction sits over the
        page (every enrolment e-mail checks its link). Pass the `request` to count a shared
        password its session has passed; the enrolment views do, feeds and e-mails cannot."""
        trainings = TrainingPage.objects.published_to(user)
        return page_allowed(self, user, request, pages=trainings)

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
        context = super().get_context(request, *args, **kwargs)
        context["calendar_url"] = reverse("training_calendar", args=[self.pk])
        context.update(self.session_parts(request, context["calendar_url"]))
        labels = self.taxonomy_labels(request)
        context["themes"] = labels["themes"]
        context["audiences"] = labels["audiences"]
        return context

    def session_parts(self, request, calendar_url):
        """The sessions as the page shows them (upcoming, past, their JSON-LD): the same for
        every visitor, so kept in the shared cache (`request.shared_fragment`, given by the home
        page that routed the page) until the training's content or seats change, or until the
        next moment one of them changes by itself (a session starts or ends, enrolment opens
        or closes). A preview builds them every time."""
        from ..structured_data import course_json_ld

        def build():
            context = {
                "page": self,
                "upcoming_sessions": self.upcoming_sessions,
                "past_sessions": self.past_sessions,
                "calendar_url": calendar_url,
            }
            parts = {
                "json_ld": course_json_ld(self, request),
                "sessions_html": render_to_string("trainings/includes/sessions.html", context),
                "past_sessions_html": render_to_string(
                    "trainings/includes/past_sessions.html", context
                ),
            }
            return parts, self.sessions_change_at(timezone.now())

        keep = getattr(request, "shared_fragment", None)
        if keep is None:
            return build()[0]
        parts = (self.pk, translation.get_language())  # (the calendar address follows both)
        return keep("training-sessions", parts, build, seats_of_training=self.translation_key)

    def sessions_change_at(self, now):
        """The next moment after `now` when the sessions shown would change by themselves."""
        moments = [
            moment
            for session in self.sessions_with_seats
            for moment in (
                session.start,
                session.end,
                session.enrolment_opens,
                session.enrolment_closes,
            )
            if moment is not None and moment > now
        ]
        return min(moments, default=None)

    def taxonomy_labels(self, request):
        """{themes, audiences}: the labels shown, in the active language. The same for every
        visitor: kept while content is unchanged (publishing the training or editing a theme
        changes it) when the page was routed from a home page (`request.content_cache`)."""

        def build():
            return {"themes": self.theme_names, "audiences": self.audience_names}

        keep = getattr(request, "content_cache", None)
        if keep is None:
            return build()
        return keep("training-labels", (self.pk, translation.get_language()), build)

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
        from .. import services

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "sessions" not in update_fields:
            return super().save(*args, **kwargs)
        with services.session_changes(self):
            return super().save(*args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        """All or nothing (see trainings/publishing.py); covers bulk, scheduled, old
        revisions and workflow approvals, which all go through `Revision.publish`."""
        from ..publishing import publish_atomically

        return publish_atomically(super().publish, self, revision, *args, **kwargs)
