"""The committee's enrolment screens in the Wagtail admin, on Wagtail's generic views: the
sessions (with their counts), the participants of a session (filters, search, CSV and XLSX
export), attendance per day, the waiting list, cancellations, the capacity, e-mails to the
participants and the session's history.

One permission policy decides: `view_enrolment` (or `change_enrolment`) to see, `change_enrolment`
to act. Every action goes through trainings.services, which write Wagtail's audit log with the
person acting; the views only read, ask and report."""

import re
from collections import OrderedDict

import django_filters
from django import forms
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder, register_admin_url_finder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView, PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView, LogEntryUserColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.models import Locale, ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from members.models import Region

from . import services
from .dates import local_zone
from .models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    SessionFormat,
    SessionStatus,
    TrainingPage,
    TrainingSession,
)
from .services.committee import AUDIENCE_STATUSES
from .spreadsheets import FrenchExcelCSVMixin, spreadsheet_safe
from .templatetags.training_tags import clock

# -- One permission policy --------------------------------------------------------------------

POLICY = ModelPermissionPolicy(Enrolment)
register_permission_policy(Enrolment, POLICY)
SEE = ["view", "change"]  # any of them opens the screens
ACT = "change"  # every action


def can_see(user):
    return POLICY.user_has_any_permission(user, SEE)


def can_act(user):
    return POLICY.user_has_permission(user, ACT)


@hooks.register("register_permissions")
def enrolment_permissions():
    """Offered in the group editor (Settings › Groups), where roles are given."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="trainings", codename__in=["view_enrolment", "change_enrolment"]
    )


# -- Reading: sessions with their counts, participants with what the screen shows -------------


def sessions_with_counts():
    return TrainingSession.objects.published().with_counts()


def session_label(session):
    """“Training — Tuesday 16 June 2026, 9:00 a.m.”, as headings and breadcrumbs name a session."""
    start = timezone.localtime(session.start)
    return f"{session.page.title} — {formats.date_format(start, 'l j F Y')}, {clock(start)}"


STATUS_ORDER = Case(
    When(status=EnrolmentStatus.CONFIRMED, then=Value(0)),
    When(status=EnrolmentStatus.OFFERED, then=Value(1)),
    When(status=EnrolmentStatus.WAITING, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def describe(enrolments, session, days):
    """Give each enrolment of `session` what the screen and the export show: the person, their
    organisation, their place on the waiting list (from THE waiting order,
    `Enrolment.objects.waiting_positions`) and their attendance per day. One query for the
    positions; the rows come with their person, organisation and attendance already read."""
    enrolments = list(enrolments)
    positions = Enrolment.objects.filter(session=session).waiting_positions()
    for enrolment in enrolments:
        enrolment.session = session
        user = enrolment.user
        membership = getattr(user, "membership", None) if user else None
        enrolment.person_name = (user.get_full_name() if user else "") or ""
        enrolment.person_email = user.email if user else ""
        enrolment.organisation_name = membership.organisation.name if membership else ""
        enrolment.position = positions.get(enrolment.pk)
        marks = {mark.day: mark.present for mark in enrolment.attendance.all()}
        enrolment.marks = [(day, marks.get(day)) for day in days]
    return enrolments


# -- Addresses ---------------------------------------------------------------------------------

NAMESPACE = "enrolments_admin"


def url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


class EnrolmentURLFinder(ModelAdminURLFinder):
    """Site history links an enrolment, or a session, to the participants of its session."""

    def construct_edit_url(self, instance):
        session_id = instance.session_id if isinstance(instance, Enrolment) else instance.pk
        return url("participants", session_id)

    def get_edit_url(self, instance):
        if self.user and not can_see(self.user):
            return None
        return self.construct_edit_url(instance)


register_admin_url_finder(Enrolment, EnrolmentURLFinder)
register_admin_url_finder(TrainingSession, EnrolmentURLFinder)


# -- The sessions ------------------------------------------------------------------------------


def trainings_with_sessions(request):
    """The trainings that own sessions: their source versions (the translations share them)."""
    owners = TrainingSession.objects.values("page_id")
    return TrainingPage.objects.filter(pk__in=owners).order_by("title")


def in_period(sessions, period):
    """The sessions of a period: "past", "all", or (empty) upcoming or under way."""
    if period == "all":
        return sessions
    if period == "past":
        return sessions.filter(end__lt=timezone.now())
    return sessions.filter(end__gte=timezone.now())


class SessionFilterSet(WagtailFilterSet):
    period = django_filters.ChoiceFilter(
        label=gettext_lazy("When"),
        choices=[("past", gettext_lazy("Past")), ("all", pgettext_lazy("sessions", "All"))],
        empty_label=gettext_lazy("Upcoming or under way"),
        widget=forms.RadioSelect,
        method="filter_period",
    )
    training = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Training"),
        queryset=trainings_with_sessions,
        method="filter_training",
    )
    format = django_filters.ChoiceFilter(
        label=gettext_lazy("Format"),
        choices=SessionFormat.choices,
        empty_label=pgettext_lazy("sessions", "All"),
        widget=forms.RadioSelect,
    )
    region = django_filters.ChoiceFilter(
        label=gettext_lazy("Region"),
        choices=Region.choices,
        empty_label=pgettext_lazy("sessions", "All"),
    )
    seats = django_filters.ChoiceFilter(
        label=gettext_lazy("Seats"),
        choices=[
            ("full", gettext_lazy("Full")),
            ("waiting", gettext_lazy("With people waiting")),
            ("free", gettext_lazy("With seats left")),
        ],
        empty_label=pgettext_lazy("sessions", "All"),
        widget=forms.RadioSelect,
        method="filter_seats",
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=SessionStatus.choices,
        empty_label=pgettext_lazy("sessions", "All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = TrainingSession
        fields = ["period", "training", "format", "region", "seats", "status"]

    def filter_queryset(self, queryset):
        return in_period(super().filter_queryset(queryset), self.form.cleaned_data.get("period"))

    def filter_period(self, queryset, name, value):
        return queryset  # in filter_queryset: the empty choice filters too

    def filter_training(self, queryset, name, value):
        return queryset.filter(page__translation_key=value.translation_key)

    def filter_seats(self, queryset, name, value):
        held = F("confirmed") + F("offered")
        if value == "full":
            return queryset.filter(capacity__lte=held)
        if value == "waiting":
            return queryset.filter(waiting__gt=0)
        return queryset.filter(capacity__gt=held)


class FillRateColumn(Column):
    def get_value(self, instance):
        if instance.fill_rate is None:
            return ""
        return _("%(rate)s%%") % {"rate": round(instance.fill_rate)}


class SessionIndexView(IndexView):
    """The sessions, upcoming first, with their counts: the way into each one's participants."""

    model = TrainingSession
    permission_policy = POLICY
    any_permission_required = SEE
    page_title = gettext_lazy("Enrolments")
    header_icon = "calendar"
    filterset_class = SessionFilterSet
    search_fields = ["page__title", "city", "venue"]
    default_ordering = "start"
    paginate_by = 50
    verbose_name = gettext_lazy("session")
    verbose_name_plural = gettext_lazy("sessions")

    def get_base_queryset(self):
        return sessions_with_counts()

    def filter_queryset(self, queryset):
        # With a wrong value in the address, Wagtail applies no filter: the period still holds.
        if self.filters and not self.filters.is_valid():
            return in_period(queryset, self.filters.form.cleaned_data.get("period"))
        return super().filter_queryset(queryset)

    def get_ordering(self):
        # Past sessions: the latest first, unless the committee sorts otherwise.
        if "ordering" not in self.request.GET and self.request.GET.get("period") == "past":
            return "-start"
        return super().get_ordering()

    def order_queryset(self, queryset):
        ordering = self.ordering if isinstance(self.ordering, str) else "start"
        return queryset.order_by(ordering, "pk")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "training",
                label=_("Training"),
                accessor="page.title",
                get_url=lambda session: url("participants", session.pk),
                sort_key="page__title",
                width="28%",
            ),
            Column(
                "start",
                label=_("Start"),
                accessor=lambda s: (
                    f"{formats.date_format(timezone.localtime(s.start), 'D j F Y')}"
                    f", {clock(s.start)}"
                ),
                sort_key="start",
            ),
            Column(
                "where",
                label=_("Where"),
                accessor=lambda s: " — ".join(
                    part for part in (s.get_format_display(), s.get_region_display()) if part
                ),
                sort_key="region",
            ),
            Column(
                "confirmed",
                label=_("Confirmed / seats"),
                accessor=lambda s: f"{s.confirmed} / {s.capacity}",
                sort_key="confirmed",
            ),
            Column("offered", label=_("Seats offered"), sort_key="offered"),
            Column("waiting", label=_("Waiting"), sort_key="waiting"),
            FillRateColumn("fill_rate", label=_("Fill rate"), sort_key="fill_rate"),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        ]


# -- The participants of a session -------------------------------------------------------------

ATTENDANCE_CHOICES = [
    ("present", gettext_lazy("Marked present (a day at least)")),
    ("absent", gettext_lazy("Marked absent (a day at least)")),
    ("unmarked", gettext_lazy("Confirmed, not marked every day")),
]


class ParticipantFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Status"),
        choices=EnrolmentStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    attendance = django_filters.ChoiceFilter(
        label=gettext_lazy("Attendance"),
        choices=ATTENDANCE_CHOICES,
        empty_label=pgettext_lazy("enrolments", "All"),
        widget=forms.RadioSelect,
        method="filter_attendance",
    )

    class Meta:
        model = Enrolment
        fields = ["status", "attendance"]

    def __init__(self, *args, days=1, **kwargs):
        self.days = days
        super().__init__(*args, **kwargs)

    def filter_attendance(self, queryset, name, value):
        marks = Attendance.objects.filter(enrolment=OuterRef("pk"))
        if value in ("present", "absent"):
            return queryset.filter(Exists(marks.filter(present=value == "present")))
        marked_days = marks.order_by().values("enrolment").annotate(n=Count("pk")).values("n")
        return (
            queryset.filter(status=EnrolmentStatus.CONFIRMED)
            .alias(marked_days=Coalesce(Subquery(marked_days[:1]), Value(0)))
            .filter(marked_days__lt=self.days)
        )


class SessionMixin:
    """Views about one session, the `pk` of their address; the one permission policy."""

    permission_policy = POLICY
    header_icon = "group"

    @cached_property
    def session(self):
        return get_object_or_404(sessions_with_counts(), pk=self.kwargs["pk"])

    @cached_property
    def days(self):
        return services.session_days(self.session)

    @cached_property
    def participants_url(self):
        return url("participants", self.session.pk)

    def session_breadcrumbs(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": url("sessions"), "label": _("Enrolments")},
            {"url": self.participants_url, "label": session_label(self.session)},
        ]

    def back(self):
        """To where the action was asked from (the participants, with their filters)."""
        return redirect(get_valid_next_url_from_request(self.request) or self.participants_url)

    def refuse(self, message):
        messages.error(self.request, message)
        return self.back()


class StatusColumn(Column):
    cell_template_name = "trainings/admin/cells/status.html"


class AnswersColumn(Column):
    cell_template_name = "trainings/admin/cells/answers.html"


class AttendanceColumn(Column):
    cell_template_name = "trainings/admin/cells/attendance.html"


class EmailColumn(Column):
    cell_template_name = "trainings/admin/cells/email.html"


class ActionsColumn(Column):
    cell_template_name = "trainings/admin/cells/actions.html"

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        # Back to the participants as they were shown (filters, page), also when the table
        # came from the results-only address that Wagtail's filters refresh.
        request = parent_context["request"]
        query = request.GET.copy()
        query.pop("_w_filter_fragment", None)
        back = url("participants", self.session.pk)
        context.update(
            enrolment=instance,
            next=f"{back}?{query.urlencode()}" if query else back,
            cancel_url=url("cancel_enrolment", self.session.pk),
            promote_url=url("promote", self.session.pk),
            csrf_token=get_token(request),
        )
        return context


TYPED = ["name", "email", "organisation", "accessibility", "interpretation", "comment"]


class ParticipantsView(FrenchExcelCSVMixin, SessionMixin, IndexView):
    """Everyone who enrolled in one session: confirmed, offered a seat (with the deadline),
    waiting (with their position), cancelled; their organisation and answers; attendance."""

    model = Enrolment
    any_permission_required = SEE
    page_title = gettext_lazy("Participants")
    template_name = "trainings/admin/participants.html"
    filterset_class = ParticipantFilterSet
    search_fields = ["full_name", "user__email", "user__membership__organisation__name"]
    default_ordering = "status_order"
    paginate_by = 50
    verbose_name = gettext_lazy("participant")
    verbose_name_plural = gettext_lazy("participants")
    list_export = [
        "status",
        "position",
        "name",
        "email",
        "organisation",
        "accessibility",
        "interpretation",
        "comment",
        "created",
        "answer_by",
    ]
    export_headings = {
        "status": gettext_lazy("Status"),
        "position": gettext_lazy("Waiting list position"),
        "name": gettext_lazy("Name"),
        "email": gettext_lazy("E-mail"),
        "organisation": gettext_lazy("Organisation"),
        "accessibility": gettext_lazy("Accessibility needs"),
        "interpretation": gettext_lazy("Interpretation"),
        "comment": gettext_lazy("Comment"),
        "created": gettext_lazy("Enrolled on"),
        "answer_by": gettext_lazy("Offer to answer by"),
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Text a person typed never runs as a formula in the CSV (XLSX cells are always text).
        self.custom_field_preprocess = {
            **{field: {self.FORMAT_CSV: spreadsheet_safe} for field in TYPED},
            "created": {self.FORMAT_CSV: lambda value: f"{value:%Y-%m-%d %H:%M}"},
            "answer_by": {
                self.FORMAT_CSV: lambda value: f"{value:%Y-%m-%d %H:%M}" if value else ""
            },
        }

    def get_page_subtitle(self):
        return session_label(self.session)

    def get_breadcrumbs_items(self):
        return self.session_breadcrumbs()[:2] + [
            {"url": "", "label": _("Participants"), "sublabel": self.get_page_subtitle()}
        ]

    def get_index_url(self):
        return url("participants", self.session.pk)

    def get_index_results_url(self):
        return url("participants_results", self.session.pk)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "days": len(self.days)}

    def get_base_queryset(self):
        return (
            Enrolment.objects.filter(session=self.session)
            .select_related("user__membership__organisation")
            .prefetch_related("attendance")
            .annotate(status_order=STATUS_ORDER)
            .alias(full_name=Concat("user__first_name", Value(" "), "user__last_name"))
        )

    def order_queryset(self, queryset):
        ordering = self.ordering if isinstance(self.ordering, str) else "status_order"
        # Within a status (or a name), THE waiting order: arrival, then the row's id.
        return queryset.order_by(ordering, "created", "pk")

    @cached_property
    def columns(self):
        columns = [
            Column(
                "name",
                label=_("Name"),
                accessor="person_name",
                sort_key="user__last_name",
            ),
            EmailColumn("email", label=_("E-mail"), accessor="person_email"),
            Column(
                "organisation",
                label=_("Organisation"),
                accessor="organisation_name",
                sort_key="user__membership__organisation__name",
            ),
            StatusColumn("status", label=_("Status"), sort_key="status_order"),
            AnswersColumn("answers", label=_("Answers")),
            AttendanceColumn("attendance", label=_("Attendance"), accessor="marks"),
            DateColumn("created", label=_("Enrolled on"), sort_key="created"),
        ]
        if can_act(self.request.user):
            columns.append(ActionsColumn("actions", label=_("Actions"), session=self.session))
        return columns

    def get_table(self, object_list):
        if not self.is_export:
            object_list = describe(object_list, self.session, self.days)
        return super().get_table(object_list)

    # The export: the same rows, every page of them, the days as columns.

    @cached_property
    def day_fields(self):
        return {f"day_{day.isoformat()}": day for day in self.days}

    def get_filename(self):
        start = timezone.localtime(self.session.start)
        return f"participants-{slugify(self.session.page.title)[:60]}-{start:%Y-%m-%d}"

    def get_heading(self, queryset, field):
        if field in self.day_fields:
            day = self.day_fields[field]
            return _("Present on %(day)s") % {"day": formats.date_format(day, "j F Y")}
        return super().get_heading(queryset, field)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        self.list_export = [*self.list_export, *self.day_fields]
        return super().as_spreadsheet(
            describe(queryset, self.session, self.days), spreadsheet_format
        )

    def to_row_dict(self, item):
        answer = {True: _("Present"), False: _("Absent"), None: ""}

        def local(moment):  # Montréal time, whatever zone the admin user chose
            return timezone.localtime(moment, local_zone())

        values = {
            "status": item.get_status_display(),
            "position": item.position or "",
            "name": item.person_name,
            "email": item.person_email,
            "organisation": item.organisation_name,
            "accessibility": item.accessibility_needs,
            "interpretation": item.interpretation_language,
            "comment": item.comment,
            # Montréal time, without a zone: what a spreadsheet shows as it is.
            "created": local(item.created).replace(tzinfo=None),
            "answer_by": item.offer_expires_at
            and local(item.offer_expires_at).replace(tzinfo=None),
            **{f"day_{day.isoformat()}": answer[present] for day, present in item.marks},
        }
        return OrderedDict((field, values[field]) for field in self.list_export)

    # The header: the session's actions, for those who may act.

    @cached_property
    def header_buttons(self):
        if not can_act(self.request.user):
            return []
        pk = self.session.pk
        buttons = [
            HeaderButton(_("Mark attendance"), url("attendance", pk), icon_name="tasks"),
            HeaderButton(_("E-mail the participants"), url("email", pk), icon_name="mail"),
        ]
        return buttons

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        pk = self.session.pk
        if can_act(self.request.user) and not self.session.is_cancelled:
            if self.session.start > timezone.now():  # a past session's seats no longer matter
                buttons.append(
                    Button(_("Change the capacity"), url("capacity", pk), icon_name="sliders")
                )
            buttons.append(
                Button(
                    _("Cancel the session"),
                    url("cancel_session", pk),
                    icon_name="warning",
                    priority=80,
                )
            )
        buttons.append(Button(_("History"), url("history", pk), icon_name="history"))
        if self.session.page.permissions_for_user(self.request.user).can_edit():
            buttons.append(
                Button(
                    _("Edit the training page"),
                    reverse("wagtailadmin_pages:edit", args=[self.session.page_id]),
                    icon_name="edit",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            session=self.session,
            session_label=session_label(self.session),
            days=self.days,
            history_url=url("history", self.session.pk),
        )
        return context


# -- Actions on one enrolment: move up from the waiting list, cancel ---------------------------


class ActionPermissionMixin(SessionMixin, PermissionCheckedMixin):
    permission_required = ACT


class EnrolmentActionView(ActionPermissionMixin, View):
    """A POST from a button of the participants screen, naming an enrolment of the session."""

    def get(self, request, *args, **kwargs):
        get_object_or_404(TrainingSession, pk=kwargs["pk"])
        return self.refuse(_("Use the buttons of the participants screen. Nothing was changed."))

    def post(self, request, *args, **kwargs):
        value = request.POST.get("enrolment", "")
        enrolment = None
        if value.isascii() and value.isdigit() and len(value) < 19:
            enrolment = Enrolment.objects.select_related("user").filter(pk=int(value)).first()
        if enrolment is None:
            return self.refuse(_("This enrolment does not exist. Nothing was changed."))
        if enrolment.session_id != self.session.pk:
            return self.refuse(_("This enrolment belongs to another session. Nothing was changed."))
        enrolment.session = self.session
        confirmation = self.confirmation(enrolment)
        if confirmation is not None:
            return confirmation
        try:
            message = self.act(enrolment)
        except services.EnrolmentRefused as refusal:
            return self.refuse(refusal.message)
        messages.success(request, message)
        return self.back()

    def confirmation(self, enrolment):
        """A step before acting (a response), or None to act at once."""
        return None

    def person(self, enrolment):
        user = enrolment.user
        return (user.get_full_name() or user.email) if user else _("an anonymised person")


class CancelEnrolmentView(EnrolmentActionView):
    """Cancelling someone's seat tells them and cannot be undone: a confirmation step first."""

    def confirmation(self, enrolment):
        if self.request.POST.get("confirm") == "yes" or enrolment.status == "cancelled":
            return None
        step = CancelEnrolmentConfirmation()
        step.setup(self.request, *self.args, **self.kwargs)
        step.enrolment, step.person_name = enrolment, self.person(enrolment)
        return step.get(self.request)

    def act(self, enrolment):
        if enrolment.status == EnrolmentStatus.CANCELLED:
            raise services.EnrolmentRefused(
                "cancelled", _("This enrolment was already cancelled. Nothing was changed.")
            )
        services.cancel(enrolment, by_committee=True, by=self.request.user)
        return _("The enrolment of %(person)s was cancelled and the person told.") % {
            "person": self.person(enrolment)
        }


class PromoteView(EnrolmentActionView):
    def act(self, enrolment):
        services.promote(enrolment, by=self.request.user)
        return _("%(person)s has a seat now, and was told by e-mail.") % {
            "person": self.person(enrolment)
        }


# -- Actions on the session: capacity, cancellation, attendance, e-mail ------------------------


class SessionActionView(ActionPermissionMixin, WagtailAdminTemplateMixin):
    template_name = "trainings/admin/session_form.html"
    submit_label = ""

    def get_page_subtitle(self):
        return session_label(self.session)

    def get_breadcrumbs_items(self):
        return self.session_breadcrumbs() + [
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()}
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            session=self.session,
            session_label=session_label(self.session),
            participants_url=self.participants_url,
            submit_label=self.submit_label,
        )
        return context


class CancelEnrolmentConfirmation(SessionActionView, TemplateView):
    """The confirmation step of CancelEnrolmentView (shown by it, never routed on its own)."""

    template_name = "trainings/admin/cancel_enrolment.html"
    page_title = gettext_lazy("Cancel an enrolment")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            enrolment=self.enrolment,
            person_name=self.person_name,
            cancel_url=url("cancel_enrolment", self.session.pk),
            next=self.request.POST.get("next", ""),
        )
        return context


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity"),
        min_value=0,
        max_value=100000,
        help_text=gettext_lazy(
            "Raising it gives the new seats to the waiting list, in order. It cannot be lower "
            "than the number of confirmed people."
        ),
    )


class CapacityView(SessionActionView, FormView):
    form_class = CapacityForm
    page_title = gettext_lazy("Change the capacity")
    header_icon = "sliders"
    submit_label = gettext_lazy("Change the capacity")

    def get_initial(self):
        return {"capacity": self.session.capacity}

    def form_invalid(self, form):
        for error in form.errors.get("capacity", []):
            messages.error(self.request, error)
        return super().form_invalid(form)

    def form_valid(self, form):
        capacity = form.cleaned_data["capacity"]
        try:
            with transaction.atomic():
                promoted = services.set_capacity(self.session, capacity, by=self.request.user)
                services.remember_in_revisions(self.session, capacity=capacity)
        except services.EnrolmentRefused as refusal:
            form.add_error("capacity", refusal.message)
            messages.error(self.request, refusal.message)
            return self.render_to_response(self.get_context_data(form=form))
        if promoted:
            messages.success(
                self.request,
                _("Capacity changed to %(capacity)s; %(count)s person(s) promoted and told.")
                % {"capacity": capacity, "count": len(promoted)},
            )
        else:
            messages.success(
                self.request, _("Capacity changed to %(capacity)s.") % {"capacity": capacity}
            )
        return redirect(self.participants_url)


class CancelSessionView(SessionActionView, TemplateView):
    """GET: the confirmation step; POST: cancel the session and tell everyone."""

    template_name = "trainings/admin/cancel_session.html"
    page_title = gettext_lazy("Cancel the session")
    header_icon = "warning"

    def post(self, request, *args, **kwargs):
        if self.session.is_cancelled:
            return self.refuse(_("This session was already cancelled. Nothing was changed."))
        try:
            with transaction.atomic():
                told = services.cancel_session(self.session, by=request.user)
                services.remember_in_revisions(self.session, status=SessionStatus.CANCELLED)
        except services.EnrolmentRefused as refusal:
            return self.refuse(refusal.message)
        messages.success(
            request,
            _("The session was cancelled; %(count)s person(s) told by e-mail.")
            % {"count": len(told)},
        )
        return redirect(self.participants_url)


FIELD = re.compile(r"^attendance-(?P<pk>\d{1,18})-(?P<day>[0-9-]{10})$")


class AttendanceView(SessionActionView, TemplateView):
    """Attendance for the whole session in one form: a row per confirmed person, present or
    absent for each day; saved in one POST, all or nothing."""

    template_name = "trainings/admin/attendance.html"
    page_title = gettext_lazy("Attendance")
    header_icon = "tasks"

    def people(self):
        return describe(
            self.session.enrolments.filter(status=EnrolmentStatus.CONFIRMED)
            .select_related("user__membership__organisation")
            .prefetch_related("attendance")
            .order_by("user__last_name", "user__first_name", "created", "pk"),
            self.session,
            self.days,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = self.people()
        context.update(
            people=people,
            days=self.days,
            started=self.session.start <= timezone.now(),
            action=url("attendance", self.session.pk),
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.session.is_cancelled:
            return self.refuse(_("This session is cancelled. Nothing was changed."))
        people = {enrolment.pk: enrolment for enrolment in self.people()}
        wanted, problems = {}, []
        for key, value in request.POST.items():
            match = FIELD.match(key)
            if not match:
                continue
            enrolment = people.get(int(match["pk"]))
            day = parse_date_safely(match["day"])
            if enrolment is None:
                problems.append(_("A row is not a confirmed person of this session."))
            elif day not in self.days:
                problems.append(_("This day is not a day of the session."))
            elif value not in ("present", "absent"):
                problems.append(_("Choose present or absent."))
            else:
                wanted[(enrolment.pk, day)] = value == "present"
        everyone = parse_date_safely(request.POST.get("everyone_present", ""))
        if request.POST.get("everyone_present") and everyone not in self.days:
            problems.append(_("This day is not a day of the session."))
        if problems:
            return self.refuse(" ".join(dict.fromkeys(problems)) + " " + _("Nothing was changed."))
        if everyone:
            for enrolment in people.values():
                if dict(enrolment.marks).get(everyone) is None:
                    wanted.setdefault((enrolment.pk, everyone), True)
        changes = [
            (people[pk], day, present)
            for (pk, day), present in wanted.items()
            if dict(people[pk].marks).get(day) != present
        ]
        try:
            with transaction.atomic():
                for enrolment, day, present in changes:
                    services.mark_attendance(enrolment, day, present, by=request.user)
        except services.EnrolmentRefused as refusal:
            return self.refuse(refusal.message + " " + _("Nothing was changed."))
        if changes:
            messages.success(
                request,
                _("Attendance saved: %(count)s mark(s) changed.") % {"count": len(changes)},
            )
        else:
            messages.info(request, _("Attendance is as it was: nothing to change."))
        return redirect(url("attendance", self.session.pk))


def parse_date_safely(text):
    try:
        return parse_date(text or "")
    except ValueError:
        return None


class EmailForm(forms.Form):
    audience = forms.ChoiceField(label=gettext_lazy("Recipients"), widget=forms.RadioSelect)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Each person receives their own e-mail, greeted by name, with the session's details "
            "and the link to their enrolments after your message."
        ),
    )

    def __init__(self, *args, counts, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = counts
        self.fields["audience"].choices = [
            (
                key,
                _("%(audience)s: %(count)s person(s)") % {"audience": label, "count": counts[key]},
            )
            for key, label in services.AUDIENCES.items()
        ]


class EmailView(SessionActionView, FormView):
    """Write to the participants: the form, a preview (who and how many, the text as sent),
    then the sending, through the outbox."""

    form_class = EmailForm
    template_name = "trainings/admin/email.html"
    page_title = gettext_lazy("E-mail the participants")
    header_icon = "mail"

    @cached_property
    def counts(self):
        """How many people each group reaches, in one query."""
        present = Attendance.objects.filter(enrolment=OuterRef("pk"), present=True)
        reachable = self.session.enrolments.filter(user__isnull=False).exclude(user__email="")
        numbers = reachable.annotate(was_present=Exists(present)).aggregate(
            **{
                key: Count(
                    "pk",
                    filter=Q(status__in=AUDIENCE_STATUSES[key])
                    & (Q(was_present=True) if key == "present" else Q()),
                )
                for key in services.AUDIENCES
            }
        )
        return numbers

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "counts": self.counts}

    def get_initial(self):
        return {"audience": "confirmed"}

    def form_valid(self, form):
        data = form.cleaned_data
        if "edit" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        if "send" not in self.request.POST:
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    preview=True,
                    recipients=self.counts[data["audience"]],
                    audience_label=services.AUDIENCES[data["audience"]],
                )
            )
        try:
            rows = services.email_participants(
                self.session, data["audience"], data["subject"], data["body"], by=self.request.user
            )
        except services.EnrolmentRefused as refusal:
            messages.error(self.request, refusal.message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            self.request,
            _("Your e-mail is on its way to %(count)s person(s).") % {"count": len(rows)},
        )
        return redirect(self.participants_url)


# -- The session's history: who did what, when -------------------------------------------------


class SessionHistoryView(SessionMixin, HistoryView):
    """The audit log of the session and of every enrolment in it, newest first."""

    model = TrainingSession
    any_permission_required = SEE
    header_icon = "history"
    history_url_name = f"{NAMESPACE}:history"
    history_results_url_name = f"{NAMESPACE}:history_results"
    verbose_name_plural = gettext_lazy("history entries")

    def get_object(self):
        return self.session

    def get_page_subtitle(self):
        return session_label(self.session)

    def get_breadcrumbs_items(self):
        return self.session_breadcrumbs() + [
            {"url": "", "label": _("History"), "sublabel": self.get_page_subtitle()}
        ]

    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("Participants"), self.participants_url, icon_name="group")]

    def get_base_queryset(self):
        enrolments = Enrolment.objects.filter(session_id=self.session.pk).annotate(
            key=Cast("pk", CharField())
        )
        queryset = ModelLogEntry.objects.filter(
            Q(content_type__app_label="trainings", content_type__model="trainingsession")
            & Q(object_id=str(self.session.pk))
            | Q(content_type__app_label="trainings", content_type__model="enrolment")
            & Q(object_id__in=enrolments.values("key"))
        ).order_by("-timestamp", "-pk")
        return self._annotate_queryset(queryset)

    @cached_property
    def columns(self):
        return [
            Column("message", label=_("Action")),
            Column("concerning", label=_("Concerning")),
            LogEntryUserColumn("user", label=_("By"), width="20%"),
            DateColumn("timestamp", label=_("Date"), width="15%"),
        ]

    def get_table(self, object_list):
        entries = list(object_list)
        ids = {e.object_id for e in entries if e.content_type.model == "enrolment"}
        people = {
            str(enrolment.pk): enrolment
            for enrolment in Enrolment.objects.filter(
                pk__in=[int(i) for i in ids if i.isascii() and i.isdigit()]
            ).select_related("user")
        }
        for entry in entries:
            if entry.content_type.model != "enrolment":
                entry.concerning = _("The session")
                continue
            enrolment = people.get(entry.object_id)
            user = enrolment.user if enrolment else None
            entry.concerning = (
                (user.get_full_name() or user.email) if user else _("an anonymised person")
            )
        return super().get_table(entries)


# -- Log messages: what each entry says in the history -----------------------------------------


def log_message(action, data, label):
    """The sentence a history line shows for an audit entry of trainings (its data: numbers and
    states only)."""
    data = data or {}
    if action == "cqctp.capacity" and "after" in data:
        return _("Capacity changed from %(before)s to %(after)s") % data
    if action == "cqctp.session_cancel":
        return _("Session cancelled; %(count)s person(s) told") % {"count": data.get("told", 0)}
    if action == "cqctp.attendance" and "day" in data:
        day = parse_date_safely(data["day"])
        shown = formats.date_format(day, "D j F Y") if day else data["day"]
        if data.get("present"):
            return _("Marked present on %(day)s") % {"day": shown}
        return _("Marked absent on %(day)s") % {"day": shown}
    if action == "cqctp.offer" and data.get("expires_at"):
        deadline = parse_datetime(data["expires_at"])
        if deadline:
            shown = f"{formats.date_format(timezone.localtime(deadline), 'j F')}, {clock(deadline)}"
            return _("Seat offered — answer by %(deadline)s") % {"deadline": shown}
    if action == "cqctp.promote":
        if data.get("first_in_line"):
            return _("Moved up from the waiting list (next in line)")
        return _("Moved up from the waiting list by the committee")
    if action == "cqctp.enrolment_cancel":
        if data.get("by_committee"):
            return _("Enrolment cancelled by the committee")
        return _("Enrolment cancelled by the person")
    if action == "cqctp.enrol":
        if data.get("status") == EnrolmentStatus.WAITING:
            return _("Enrolled on the waiting list")
        return _("Enrolled (confirmed)")
    if action == services.EMAIL_PARTICIPANTS and "recipients" in data:
        audience = services.AUDIENCES.get(data.get("audience"), "")
        return _("E-mail “%(subject)s” sent to %(count)s person(s): %(audience)s") % {
            "subject": data.get("subject", ""),
            "count": data["recipients"],
            "audience": str(audience).lower(),
        }
    return str(label)


# -- The viewset: addresses, the menu item, the link from a training page ----------------------


class EnrolmentsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see(request.user)


class EnrolmentsViewSet(ViewSet):
    """« Inscriptions » in the admin menu: the sessions, then each session's participants."""

    name = NAMESPACE
    url_prefix = "enrolments"
    icon = "calendar"
    menu_label = gettext_lazy("Enrolments")
    menu_name = "enrolments"
    menu_order = 195
    add_to_admin_menu = True
    menu_item_class = EnrolmentsMenuItem

    def get_urlpatterns(self):
        sessions = dict(
            index_url_name=f"{NAMESPACE}:sessions",
            index_results_url_name=f"{NAMESPACE}:sessions_results",
        )
        session = "sessions/<int:pk>/"
        return [
            path("", SessionIndexView.as_view(**sessions), name="sessions"),
            path(
                "results/",
                SessionIndexView.as_view(**sessions, results_only=True),
                name="sessions_results",
            ),
            path(session, ParticipantsView.as_view(), name="participants"),
            path(
                session + "results/",
                ParticipantsView.as_view(results_only=True),
                name="participants_results",
            ),
            path(session + "attendance/", AttendanceView.as_view(), name="attendance"),
            path(session + "capacity/", CapacityView.as_view(), name="capacity"),
            path(session + "cancel/", CancelSessionView.as_view(), name="cancel_session"),
            path(session + "email/", EmailView.as_view(), name="email"),
            path(session + "promote/", PromoteView.as_view(), name="promote"),
            path(
                session + "cancel-enrolment/",
                CancelEnrolmentView.as_view(),
                name="cancel_enrolment",
            ),
            path(session + "history/", SessionHistoryView.as_view(), name="history"),
            path(
                session + "history/results/",
                SessionHistoryView.as_view(results_only=True),
                name="history_results",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_enrolments_viewset():
    return EnrolmentsViewSet()


@hooks.register("register_page_header_buttons")
def participants_button(page, user, view_name, next_url=None):
    """From a training page in the editor, its sessions and their participants."""
    if page.specific_class is not TrainingPage or not can_see(user):
        return
    source = page
    default = Locale.get_default()
    if page.locale_id != default.pk:
        source = page.get_translation_or_none(default) or page
    yield Button(
        _("Participants"),
        url("sessions") + f"?training={source.pk}&period=all",
        icon_name="group",
        priority=40,
    )
