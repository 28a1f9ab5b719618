"""The members' area: enrol, "Mes formations", cancel, answer an offered seat, leave a waiting
list, calendars."""

import datetime

from cqctp.links import absolute_url
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.access import membership_of

from . import certificates, services
from .forms import EnrolmentForm
from .models import (
    HOLDING_A_SEAT,
    Enrolment,
    EnrolmentStatus,
    SessionFormat,
    TrainingPage,
    TrainingSession,
)
from .translations import in_language, sessions_in_language
from .views import calendar_response


def enrolments_visible_to(user):
    """A member sees their own enrolments; a coordinator also those of their organisation."""
    membership = membership_of(user)
    visible = Q(user=user)
    if membership is not None and membership.is_coordinator:
        visible |= Q(user__membership__organisation=membership.organisation)
    return Enrolment.objects.filter(visible)


def enrolment_or_404(request, pk, *, own_only=False, details=False):
    """THE lookup of every per-enrolment view (cancel, its calendar file), else a 404. One's own
    seat always: it may be cancelled even once the training is restricted (its title is known
    already). A colleague's seat only if the coordinator may see the training, as "Mes
    formations" decides: else its title, session and seat would leak. `own_only`: the seat
    holder's alone. `details` (the summary and meeting link of the calendar file): only while
    the holder may still see the training, as in the private feed (a password this browser gave
    counts here, as for the training's link in "Mes formations")."""
    if own_only:
        enrolments = Enrolment.objects.filter(user=request.user)
    else:
        enrolments = enrolments_visible_to(request.user)
    enrolment = get_object_or_404(enrolments.select_related("session__page__provider"), pk=pk)
    if details or enrolment.user_id != request.user.pk:
        page = enrolment.session.page
        if not in_language([page])[page.translation_key].is_visible_to(request.user, request):
            raise Http404
    return enrolment


def with_details(enrolments):
    return enrolments.select_related(
        "session", "session__page", "session__page__provider", "user"
    ).order_by("session__start")


def describe(enrolments, viewer, now, request=None):
    """One row per enrolment. `visible` is false (and `training_url`, `online_url` empty) when
    the viewer may no longer see the training (page privacy, members-only, provider gone;
    `TrainingPage.objects.listed`): the row still names it, so that one's own seat can be
    cancelled, but gives no link, meeting link or calendar file (as the private feed)."""
    enrolments = list(enrolments)
    positions = Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).waiting_positions()
    certificate_urls = certificates.download_urls(enrolments, viewer)
    rows = []
    for enrolment in enrolments:
        session = enrolment.session
        own_seat = enrolment.user_id == viewer.pk
        offer_open = (
            enrolment.status == EnrolmentStatus.OFFERED
            and enrolment.offer_expires_at is not None
            and now < enrolment.offer_expires_at
        )
        row = {
            "enrolment": enrolment,
            "own": own_seat,  # only one's own seat goes to one's calendar
            "session": session,
            "training": session.page,
            "position": positions.get(enrolment.pk),
            "certificate_url": certificate_urls.get(enrolment.pk, ""),
            # The meeting link is for the person who holds the seat, not their coordinator.
            "online_url": session.online_url
            if own_seat
            and enrolment.status == EnrolmentStatus.CONFIRMED
            and session.format != SessionFormat.IN_PERSON
            else "",
            "can_cancel": enrolment.status in services.ACTIVE
            and now < session.cancellation_deadline,
            # Only the holder answers an offer or leaves a waiting list (the views check
            # it again): a coordinator sees a colleague's offer but cannot take it for them.
            "can_answer": own_seat and offer_open,
            "offer_passed": enrolment.status == EnrolmentStatus.OFFERED and not offer_open,
            "can_leave": own_seat and enrolment.status == EnrolmentStatus.WAITING,
        }
        # One's own offer is declined, one's own waiting list left, with their own buttons.
        row["cancel_link"] = row["can_cancel"] and not (
            row["can_answer"] or row["offer_passed"] or row["can_leave"]
        )
        rows.append(row)
    # Each training in the viewer's language when translated (one query for all the rows).
    translated = in_language(row["training"] for row in rows)
    for row in rows:
        row["training"] = translated[row["training"].translation_key]
    pages = {row["training"].pk for row in rows}
    visible = set(
        TrainingPage.objects.listed(viewer, request)
        .filter(pk__in=pages)
        .values_list("pk", flat=True)
    )
    for row in rows:
        row["visible"] = row["training"].pk in visible
        row["training_url"] = row["training"].url if row["visible"] else ""
        if not row["visible"]:
            row["online_url"] = ""
    return rows


@login_required
def my_trainings(request):
    now = timezone.now()
    membership = membership_of(request.user)
    mine = describe(
        with_details(Enrolment.objects.filter(user=request.user)), request.user, now, request
    )
    upcoming = [row for row in mine if row["session"].end >= now]
    past = [row for row in mine if row["session"].end < now]
    colleagues = []
    if membership is not None and membership.is_coordinator:
        others = enrolments_visible_to(request.user).exclude(user=request.user)
        colleagues = describe(
            with_details(others.filter(session__end__gte=now, status__in=services.ACTIVE)),
            request.user,
            now,
            request,
        )
        # A colleague's seat in a training the coordinator may not see stays theirs alone.
        colleagues = [row for row in colleagues if row["visible"]]
    feed_url = ""
    if membership is not None:
        feed_url = absolute_url(
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
    # Page privacy, members-only and provider rules: one definition. A shared password counts
    # only if this browser session has given it on the page.
    if not session.page.is_visible_to(request.user, request):
        raise Http404
    membership = membership_of(request.user)
    if membership is None:
        return render(request, "trainings/account/members_only.html", status=403)
    session = (
        TrainingSession.objects.with_seats().select_related("page__provider").get(pk=session.pk)
    )
    already = session.enrolments.filter(user=request.user, status__in=services.ACTIVE).exists()
    coordinator = request.user if membership.is_coordinator else None
    form = EnrolmentForm(
        request.POST if request.method == "POST" else None,  # an empty POST is still a submit
        coordinator=coordinator,
        session=session,
        coordinator_enrolled=already,
    )
    closed = why_no_enrolment(session, form, already)
    if closed and request.method == "POST":  # e.g. a double click, or cancelled meanwhile
        messages.error(request, closed)
        return redirect("enrolments:my_trainings")
    if closed:
        # Said before any form: nobody fills in answers for a session that cannot take them.
        return render(
            request,
            "trainings/account/enrol.html",
            {"closed": closed, "session": session, "training": in_language_of(session)},
        )
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
            if person != request.user and not session.page.is_visible_to(person, request):
                # Privacy holds for colleagues too (a password the coordinator gave counts).
                messages.error(request, _("%s: this training is not open to this person.") % name)
                continue
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
                    % {"name": name, "n": Enrolment.objects.waiting_position(enrolment)},
                )
        return redirect("enrolments:my_trainings")
    return render(
        request,
        "trainings/account/enrol.html",
        {"form": form, "session": session, "training": in_language_of(session)},
    )


def in_language_of(session):
    """The session's training in the visitor's language, when translated."""
    return in_language([session.page])[session.page.translation_key]


def why_no_enrolment(session, form, already):
    """The message that replaces the form when nobody can be enrolled, or ""."""
    reason = services.closed_reason(session)
    if reason is None and session.is_full and not session.waiting_list:
        reason = "full"
    if reason is None and already:
        # A coordinator already enrolled may still enrol colleagues not yet enrolled.
        colleagues = form.fields.get("colleagues")
        if colleagues is None or not colleagues.queryset.exists():
            reason = "already"
    return services.REFUSALS[reason] if reason else ""


@require_http_methods(["GET", "POST"])
@login_required
def cancel_enrolment(request, pk):
    """GET asks (a stray click must not give a seat away), POST cancels."""
    enrolment = enrolment_or_404(request, pk)
    if request.method == "GET":
        return confirm_cancel(request, enrolment)
    try:
        services.cancel(enrolment)
    except services.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The enrolment is cancelled."))
    return redirect("enrolments:my_trainings")


def confirm_cancel(request, enrolment):
    item = one_row(request, enrolment)
    enrolment = item["enrolment"]
    reason = ""
    if enrolment.status not in services.ACTIVE:
        reason = _("This enrolment is already cancelled.")
    elif not item["can_cancel"]:
        reason = services.REFUSALS["deadline"]
    someone_waiting = (
        enrolment.status in HOLDING_A_SEAT and enrolment.session.enrolments.next_in_line().exists()
    )
    return render(
        request,
        "trainings/account/cancel_enrolment.html",
        {"item": item, "reason": reason, "someone_waiting": someone_waiting},
    )


def one_row(request, enrolment):
    """The enrolment as "Mes formations" describes it (fresh from the database)."""
    enrolments = with_details(Enrolment.objects.filter(pk=enrolment.pk))
    [item] = describe(enrolments, request.user, timezone.now(), request)
    return item


@require_http_methods(["GET", "POST"])
@login_required
def offer(request, pk):
    """A seat offered from the waiting list (the offer e-mail links here): GET shows it with
    its deadline, POST accepts it, without asking again (accepting gives nothing away). The
    holder's alone: anyone else gets a 404, a coordinator included."""
    enrolment = enrolment_or_404(request, pk, own_only=True)
    if request.method == "POST":
        try:
            services.accept_offer(enrolment, by=request.user)
        except services.EnrolmentRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "The seat is yours: your enrolment is confirmed. An e-mail with the "
                    "calendar file is on its way."
                ),
            )
        return redirect("enrolments:my_trainings")
    item = one_row(request, enrolment)
    return render(
        request, "trainings/account/offer.html", {"item": item, "reason": offer_closed(item)}
    )


def offer_closed(item):
    """Why the offer of `item` can no longer be answered, or ""."""
    if item["can_answer"]:
        return ""
    if item["offer_passed"]:
        return services.REFUSALS["offer_expired"]
    if item["enrolment"].status == EnrolmentStatus.CONFIRMED:
        return _("You have accepted this seat: your enrolment is confirmed.")
    return services.REFUSALS["not_offered"]


@require_http_methods(["GET", "POST"])
@login_required
def decline_offer(request, pk):
    """GET asks (declining gives the seat to the next person), POST declines. The holder's
    alone."""
    enrolment = enrolment_or_404(request, pk, own_only=True)
    if request.method == "GET":
        item = one_row(request, enrolment)
        return render(
            request,
            "trainings/account/give_up.html",
            {"item": item, "decline": True, "reason": offer_closed(item)},
        )
    try:
        services.decline_offer(enrolment, by=request.user)
    except services.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("You declined the seat: it goes to the next person."))
    return redirect("enrolments:my_trainings")


@require_http_methods(["GET", "POST"])
@login_required
def leave_waiting_list(request, pk):
    """GET asks (the place in the queue cannot be had back), POST leaves. The holder's
    alone."""
    enrolment = enrolment_or_404(request, pk, own_only=True)
    if request.method == "GET":
        item = one_row(request, enrolment)
        reason = "" if item["can_leave"] else services.REFUSALS["no_longer_waiting"]
        return render(
            request,
            "trainings/account/give_up.html",
            {"item": item, "decline": False, "reason": reason},
        )
    try:
        services.leave_waiting_list(enrolment, by=request.user)
    except services.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("You have left the waiting list."))
    return redirect("enrolments:my_trainings")


@login_required
def enrolment_calendar(request, pk):
    """One's own enrolment only (a coordinator's colleagues add theirs to their own calendars),
    and only while one may see the training: after a restriction that leaves one out, a 404, as
    the private feed drops it (the seat can still be cancelled from "Mes formations")."""
    enrolment = enrolment_or_404(request, pk, own_only=True, details=True)
    [session] = sessions_in_language([enrolment.session])  # the language of the address
    return calendar_response(
        [session],
        request,
        session.page.title,
        f"formation-{pk}.ics",
        online_links=enrolment.status == EnrolmentStatus.CONFIRMED,  # the seat holder's own
    )


def private_calendar(request, token):
    """The member's own sessions, for a calendar program: the secret address is the key. Only
    trainings `listed()` for the member: a calendar program has no session, so a shared password
    never opens one, and a training restricted after the enrolment leaves the feed."""
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
                session__page__in=TrainingPage.objects.listed(membership.user),
            )
        )
    ]
    # In the member's language, whatever the address: a calendar program sends none.
    with translation.override(membership.language):
        sessions = sessions_in_language(sessions)
        response = calendar_response(
            sessions, request, _("My CQCTP trainings"), "mes-formations.ics", online_links=True
        )
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
