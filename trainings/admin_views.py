"""The committee's side of enrolments, in the Wagtail admin: sessions, their participants, and
the actions the rules allow (cancel an enrolment, change the capacity, cancel a session).

Every change goes through trainings/services.py, which locks the session and tells people."""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Revision

from . import services
from .models import Enrolment, EnrolmentStatus, TrainingPage, TrainingSession

PERMISSION = "trainings.change_enrolment"


def can_manage_enrolments(user):
    return user.is_active and (user.is_superuser or user.has_perm(PERMISSION))


class CommitteeOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_manage_enrolments(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def committee_only(view):
    def wrapped(request, *args, **kwargs):
        if not can_manage_enrolments(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def sessions_with_counts():
    """Sessions with their confirmed and waiting counts: two annotations, one query."""
    return TrainingSession.objects.select_related("page").annotate(
        confirmed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.CONFIRMED)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
    )


class SessionListView(CommitteeOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "trainings/admin/sessions.html"
    page_title = gettext_lazy("Enrolments")
    header_icon = "calendar"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        past = self.request.GET.get("past") == "1"
        now = timezone.now()
        sessions = sessions_with_counts()
        if past:
            sessions = sessions.filter(end__lt=now).order_by("-start")
        else:
            sessions = sessions.filter(end__gte=now).order_by("start")
        training = None
        training_id = self.request.GET.get("training", "")
        if training_id.isascii() and training_id.isdigit() and len(training_id) < 19:
            training = TrainingPage.objects.filter(pk=training_id).first()
            if training:
                sessions = sessions.filter(page__translation_key=training.translation_key)
        context.update(past=past, training=training, sessions=sessions)
        return context


sessions = SessionListView.as_view()


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=gettext_lazy("Capacity"), min_value=0, max_value=100000)


def participants_of(session):
    """Confirmed, then waiting (with their position), then cancelled, each in arrival order."""
    enrolments = list(
        session.enrolments.select_related("user__membership__organisation").order_by(
            "created", "pk"
        )
    )
    order = {EnrolmentStatus.CONFIRMED: 0, EnrolmentStatus.WAITING: 1, EnrolmentStatus.CANCELLED: 2}
    enrolments.sort(key=lambda enrolment: order.get(enrolment.status, 3))
    position = 0
    for enrolment in enrolments:
        enrolment.position = None
        if enrolment.status == EnrolmentStatus.WAITING:
            position += 1
            enrolment.position = position
        user = enrolment.user
        membership = getattr(user, "membership", None) if user else None
        enrolment.person_name = (user.get_full_name() if user else "") or ""
        enrolment.person_email = user.email if user else ""
        enrolment.organisation_name = membership.organisation.name if membership else ""
    return enrolments


class ParticipantsView(CommitteeOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "trainings/admin/participants.html"
    page_title = gettext_lazy("Participants")
    header_icon = "group"

    def get_session(self):
        return get_object_or_404(sessions_with_counts(), pk=self.kwargs["pk"])

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("enrolments_admin:sessions"), "label": _("Enrolments")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.get_session()
        context.update(
            session=session,
            enrolments=participants_of(session),
            capacity_form=kwargs.get("capacity_form")
            or CapacityForm(initial={"capacity": session.capacity}),
            is_past=session.start <= timezone.now(),
        )
        return context


participants = ParticipantsView.as_view()


def remember_in_revisions(session, **fields):
    """Write a change made here into the page's latest and live revisions too: the page editor
    opens the latest revision, and publishing it must not bring back the old capacity or status."""
    page = session.page
    revision_ids = {page.latest_revision_id, page.live_revision_id} - {None}
    for revision in Revision.objects.filter(pk__in=revision_ids):
        changed = False
        for item in revision.content.get("sessions", []):
            if item.get("pk") == session.pk:
                item.update(fields)
                changed = True
        if changed:
            revision.save(update_fields=["content"])


def back_to(session):
    return redirect("enrolments_admin:participants", pk=session.pk)


@require_POST
@committee_only
def cancel_enrolment(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related("session"), pk=pk)
    try:
        services.cancel(enrolment, by_committee=True)
    except services.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The enrolment was cancelled and the person told."))
    return back_to(enrolment.session)


@require_POST
@committee_only
def change_capacity(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("page"), pk=pk)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("capacity", []):
            messages.error(request, error)
        return back_to(session)
    capacity = form.cleaned_data["capacity"]
    try:
        promoted = services.set_capacity(session, capacity)
    except services.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
        return back_to(session)
    remember_in_revisions(session, capacity=capacity)
    if promoted:
        messages.success(
            request,
            _("Capacity changed to %(capacity)s; %(count)s person(s) promoted and told.")
            % {"capacity": capacity, "count": len(promoted)},
        )
    else:
        messages.success(request, _("Capacity changed to %(capacity)s.") % {"capacity": capacity})
    return back_to(session)


class CancelSessionView(ParticipantsView):
    """GET: the confirmation step; POST: cancel the session and tell everyone."""

    template_name = "trainings/admin/cancel_session.html"
    page_title = gettext_lazy("Cancel the session")
    header_icon = "warning"

    def post(self, request, *args, **kwargs):
        session = get_object_or_404(TrainingSession.objects.select_related("page"), pk=kwargs["pk"])
        told = services.cancel_session(session)
        remember_in_revisions(session, status="cancelled")
        messages.success(
            request,
            _("The session was cancelled; %(count)s person(s) told by e-mail.")
            % {"count": len(told)},
        )
        return back_to(session)


cancel_session = CancelSessionView.as_view()

CSV_COLUMNS = [
    ("status", gettext_lazy("Status")),
    ("position", gettext_lazy("Waiting list position")),
    ("name", gettext_lazy("Name")),
    ("email", gettext_lazy("E-mail")),
    ("organisation", gettext_lazy("Organisation")),
    ("accessibility", gettext_lazy("Accessibility needs")),
    ("interpretation", gettext_lazy("Interpretation")),
    ("comment", gettext_lazy("Comment")),
    ("created", gettext_lazy("Enrolled on")),
]
# Excel set to French (Canada) splits columns on semicolons, not commas.
CSV_DELIMITER = ";"


def spreadsheet_safe(value):
    """Text a person typed must not run as a formula when the file opens in a spreadsheet."""
    value = str(value or "")
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@committee_only
def export_csv(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("page"), pk=pk)
    start = timezone.localtime(session.start)
    filename = f"participants-{slugify(session.page.title)[:60]}-{start:%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM: Excel then reads the accents as UTF-8
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([str(label) for _key, label in CSV_COLUMNS])
    for enrolment in participants_of(session):
        writer.writerow(
            [
                enrolment.get_status_display(),
                enrolment.position or "",
                spreadsheet_safe(enrolment.person_name),
                spreadsheet_safe(enrolment.person_email),
                spreadsheet_safe(enrolment.organisation_name),
                spreadsheet_safe(enrolment.accessibility_needs),
                spreadsheet_safe(enrolment.interpretation_language),
                spreadsheet_safe(enrolment.comment),
                f"{timezone.localtime(enrolment.created):%Y-%m-%d %H:%M}",
            ]
        )
    return response
