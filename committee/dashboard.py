"""The committee's dashboard: panels on the Wagtail admin home for what needs its attention.

- sessions in the next 60 days with their fill rate (confirmed / capacity);
- full sessions that have a waiting list;
- seats offered from a waiting list, with the deadline to accept;
- pages awaiting approval: the workflow tasks this person may review, oldest first;
- sign-up requests awaiting a decision.

Each panel is shown only to those whose permission opens the screen it leads to (the same
permission policies as those screens), always says how many there are, lists the first few
and links to the full screen. A panel's queries do not grow with the number of rows.
"""

from datetime import timedelta

from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import GroupApprovalTask, Page, TaskState, get_default_page_content_type
from wagtail.permissions import policy_registry

from members import services as accounts
from members.models import SignUpRequest
from trainings.models import (
    Enrolment,
    EnrolmentStatus,
    SessionStatus,
    TrainingPage,
    TrainingSession,
)

HORIZON_DAYS = 60
ROWS = 10  # per panel; the panel gives the total and links to the full screen

# The participants screen of a session (trainings/participants_admin.py), found by name when
# the page is drawn; without it, a session leads to its training's editor.
PARTICIPANTS_URL_NAME = "enrolments_admin:participants"
SESSIONS_URL_NAME = "enrolments_admin:sessions"


# -- Who sees what ----------------------------------------------------------------------------


def sees_enrolments(user):
    """The participants screens' permission (view or change enrolments)."""
    policy = policy_registry.get_by_type(Enrolment)
    return policy.user_has_any_permission(user, ["view", "change"])


def decides_sign_ups(user):
    return policy_registry.get_by_type(SignUpRequest).user_has_permission(user, "change")


def moderates_pages(user):
    """Reviewers of a workflow task (an approval group) and those who may publish pages."""
    if not user.is_active:
        return False
    if user.is_superuser or policy_registry.get_by_type(Page).user_has_permission(user, "publish"):
        return True
    return GroupApprovalTask.objects.filter(active=True, groups__user=user).exists()


# -- Links --------------------------------------------------------------------------------------


def url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def session_url(session):
    return url_or_none(PARTICIPANTS_URL_NAME, session.pk) or reverse(
        "wagtailadmin_pages:edit", args=[session.page_id]
    )


# -- Reading ------------------------------------------------------------------------------------


def sessions_with_counts():
    """Scheduled sessions not over yet, each with its confirmed, offered and waiting counts
    (one query, whatever the number of sessions)."""

    return (
        TrainingSession.objects.published()
        .filter(status=SessionStatus.SCHEDULED, end__gte=timezone.now())
        .with_counts()
        .order_by("start", "pk")
    )


def with_fill(sessions):
    for session in sessions:
        # Seats taken, offers included: the sessions list and the "full" panel count the same.
        session.taken = session.confirmed + session.offered
        session.fill_percent = round(session.fill_rate) if session.fill_rate is not None else None
        session.admin_url = session_url(session)
    return sessions


def first_rows(queryset):
    """(the first ROWS rows, how many there are): two queries."""
    return list(queryset[:ROWS]), queryset.count()


def person(enrolment):
    user = enrolment.user
    if user is None:
        return None
    return user.get_full_name() or user.email


# -- The panels ---------------------------------------------------------------------------------


class CommitteePanel(Component):
    """One panel: its rows (at most ROWS), how many there are, and the full screen's link."""

    order = 100

    def rows(self, request):
        raise NotImplementedError

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        rows, total = self.rows(request)
        return {
            "request": request,
            "rows": rows,
            "total": total,
            "more": total - len(rows),
            "panel_id": self.name.replace("_", "-"),
            **self.extra_context(request),
        }

    def extra_context(self, request):
        return {"sessions_url": url_or_none(SESSIONS_URL_NAME)}


class UpcomingSessionsPanel(CommitteePanel):
    name = "committee_upcoming_sessions"
    template_name = "committee/dashboard/upcoming_sessions.html"
    order = 101

    def rows(self, request):
        horizon = timezone.now() + timedelta(days=HORIZON_DAYS)
        rows, total = first_rows(sessions_with_counts().filter(start__lt=horizon))
        return with_fill(rows), total

    def extra_context(self, request):
        return {**super().extra_context(request), "days": HORIZON_DAYS}


class FullSessionsPanel(CommitteePanel):
    name = "committee_full_sessions"
    template_name = "committee/dashboard/full_sessions.html"
    order = 102

    def rows(self, request):
        full = (
            sessions_with_counts()
            .alias(holding=F("confirmed") + F("offered"))
            .filter(waiting__gt=0, holding__gte=F("capacity"))
        )
        rows, total = first_rows(full)
        return with_fill(rows), total


class PendingOffersPanel(CommitteePanel):
    name = "committee_pending_offers"
    template_name = "committee/dashboard/pending_offers.html"
    order = 103

    def rows(self, request):
        offers = (
            Enrolment.objects.filter(
                status=EnrolmentStatus.OFFERED,
                session__status=SessionStatus.SCHEDULED,
                session__end__gte=timezone.now(),
            )
            .select_related("user", "session__page")
            .order_by(F("offer_expires_at").asc(nulls_last=True), "pk")
        )
        rows, total = first_rows(offers)
        now = timezone.now()
        for offer in rows:
            offer.person = person(offer)
            offer.expired = offer.offer_expires_at is not None and offer.offer_expires_at <= now
            offer.admin_url = session_url(offer.session)
        return rows, total


class PagesAwaitingApprovalPanel(CommitteePanel):
    name = "committee_pages_awaiting_approval"
    template_name = "committee/dashboard/pages_awaiting_approval.html"
    order = 104

    def rows(self, request):
        states = (
            TaskState.objects.reviewable_by(request.user)
            .filter(workflow_state__base_content_type=get_default_page_content_type())
            .select_related("task", "workflow_state__requested_by")
            .order_by("started_at", "pk")
        )
        rows, total = first_rows(states)
        ids = [int(state.workflow_state.object_id) for state in rows]
        pages = Page.objects.in_bulk(ids)
        providers = dict(
            TrainingPage.objects.filter(pk__in=ids).values_list("pk", "provider__name")
        )
        for state in rows:
            page_id = int(state.workflow_state.object_id)
            state.page = pages.get(page_id)
            state.provider = providers.get(page_id)
            state.submitted_by = state.workflow_state.requested_by
        return [state for state in rows if state.page is not None], total

    def extra_context(self, request):
        reports = policy_registry.get_by_type(Page).user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )
        return {"tasks_url": reverse("wagtailadmin_reports:workflow_tasks") if reports else None}


class SignUpRequestsPanel(CommitteePanel):
    name = "committee_sign_up_requests"
    template_name = "committee/dashboard/sign_up_requests.html"
    order = 105

    def rows(self, request):
        return first_rows(accounts.pending_requests())

    def extra_context(self, request):
        return {}


@hooks.register("construct_homepage_panels")
def add_committee_panels(request, panels):
    user = request.user
    if sees_enrolments(user):
        panels += [UpcomingSessionsPanel(), FullSessionsPanel(), PendingOffersPanel()]
    if moderates_pages(user):
        panels.append(PagesAwaitingApprovalPanel())
    if decides_sign_ups(user):
        panels.append(SignUpRequestsPanel())
