"""The members' area: enrol, "Mes formations", cancel, calendars."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import is_member, membership_of

from . import services
from .forms import EnrolmentForm
from .models import Enrolment, EnrolmentStatus, SessionFormat, TrainingSession
from .views import calendar_response


def enrolments_visible_to(user):
    """A member sees their own enrolments; a coordinator also those of their organisation."""
    membership = membership_of(user)
    visible = Q(user=user)
    if membership is not None and membership.is_coordinator:
        visible |= Q(user__membership__organisation=membership.organisation)
    return Enrolment.objects.filter(visible)


def with_details(enrolments):
    return enrolments.select_related(
        "session", "session__page", "session__page__provider", "user"
    ).order_by("session__start")


def describe(enrolments, viewer, now):
    enrolments = list(enrolments)
    positions = services.waiting_positions(enrolments)
    rows = []
    for enrolment in enrolments:
        session = enrolment.session
        own_seat = enrolment.user_id == viewer.pk
        rows.append(
            {
                "enrolment": enrolment,
                "session": session,
                "training": session.page,
                "position": positions.get(enrolment.pk),
                # The meeting link is for the person who holds the seat, not their coordinator.
                "online_url": session.online_url
                if own_seat
                and enrolment.status == EnrolmentStatus.CONFIRMED
                and session.format != SessionFormat.IN_PERSON
                else "",
                "can_cancel": enrolment.status in services.ACTIVE
                and now < session.cancellation_deadline,
            }
        )
    return rows


@login_required
def my_trainings(request):
    now = timezone.now()
    membership = membership_of(request.user)
    mine = describe(with_details(Enrolment.objects.filter(user=request.user)), request.user, now)
    upcoming = [row for row in mine if row["session"].end >= now]
    past = [row for row in mine if row["session"].end < now]
    colleagues = []
    if membership is not None and membership.is_coordinator:
        others = enrolments_visible_to(request.user).exclude(user=request.user)
        colleagues = describe(
            with_details(others.filter(session__end__gte=now, status__in=services.ACTIVE)),
            request.user,
            now,
        )
    feed_url = ""
    if membership is not None:
        feed_url = request.build_absolute_uri(
            reverse("enrolments:private_calendar", args=[membership.calendar_token])
        )
    return render(
        request,
        "trainings/account/my_trainings.html",
        {
            "membership": membership,
            "upcoming": upcoming,
            "past": past,
            "colleagues": colleagues,
            "feed_url": feed_url,
        },
    )


@login_required
def enrol_in_session(request, session_id):
    session = get_object_or_404(
        TrainingSession.objects.select_related("page", "page__provider"),
        pk=session_id,
        page__live=True,
    )
    member = is_member(request.user)
    if session.page.is_members_only and not member:
        raise Http404
    membership = membership_of(request.user)
    if membership is None:
        return render(request, "trainings/account/members_only.html", status=403)
    coordinator = request.user if membership.is_coordinator else None
    form = EnrolmentForm(request.POST or None, coordinator=coordinator)
    if request.method == "POST" and form.is_valid():
        for person in form.people(request.user):
            name = person.get_full_name() or person.email
            # The answers and the consent are the coordinator's own: colleagues are enrolled
            # without answers, and add theirs themselves if they need to.
            answers = (
                {
                    "consent": form.cleaned_data["consent"],
                    "accessibility_needs": form.cleaned_data["accessibility_needs"],
                    "interpretation_language": form.cleaned_data["interpretation_language"],
                    "comment": form.cleaned_data["comment"],
                }
                if person == request.user
                else {"consent": False}
            )
            try:
                enrolment = services.enrol(person, session, enrolled_by=request.user, **answers)
            except services.EnrolmentRefused as refusal:
                messages.error(request, f"{name} : {refusal.message}")
                continue
            if enrolment.status == EnrolmentStatus.CONFIRMED:
                messages.success(request, _("%s: enrolment confirmed.") % name)
            else:
                messages.info(
                    request,
                    _("%(name)s: the session is full; on the waiting list, in position %(n)s.")
                    % {"name": name, "n": services.waiting_position(enrolment)},
                )
        return redirect("enrolments:my_trainings")
    session = (
        TrainingSession.objects.with_seats().select_related("page__provider").get(pk=session.pk)
    )
    return render(
        request,
        "trainings/account/enrol.html",
        {"form": form, "session": session, "training": session.page},
    )


@require_POST
@login_required
def cancel_enrolment(request, pk):
    enrolment = get_object_or_404(enrolments_visible_to(request.user), pk=pk)
    try:
        services.cancel(enrolment)
    except services.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The enrolment is cancelled."))
    return redirect("enrolments:my_trainings")


@login_required
def enrolment_calendar(request, pk):
    enrolment = get_object_or_404(
        enrolments_visible_to(request.user).select_related("session__page__provider"), pk=pk
    )
    session = enrolment.session
    return calendar_response([session], request, session.page.title, f"formation-{pk}.ics")


def private_calendar(request, token):
    """The member's own sessions, for a calendar program: the secret address is the key."""
    from members.models import Membership

    membership = Membership.objects.filter(calendar_token=token).select_related("user").first()
    if membership is None or not membership.user.is_active:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=30)
    sessions = [
        enrolment.session
        for enrolment in with_details(
            Enrolment.objects.filter(
                user=membership.user,
                status=EnrolmentStatus.CONFIRMED,
                session__end__gte=since,
            )
        )
    ]
    response = calendar_response(sessions, request, _("My CQCTP trainings"), "mes-formations.ics")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def renew_calendar(request):
    membership = membership_of(request.user)
    if membership is None:
        raise Http404
    membership.revoke_calendar_token()
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("enrolments:my_trainings")
