"""Demo attendance certificates (issue 10), loaded after last year's sessions (demo/history.py).

So that, after `make run`, the demo member (membre@demo.cqctp.org) finds "Download my
attendance certificate" in "My trainings": a past session of a training that gives one, where
they were confirmed and marked present on every day. A session of last year's history is used
when there is one; otherwise one is added to the training (through a page revision, as an
editor would, so that later publishing keeps it). Two colleagues of the same session hold a
certificate already, one of them revoked, so that the committee's list and the public
verification page have something to show.

Idempotent: what exists is used, only what is missing is created or marked.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from trainings import certificates, services
from trainings.dates import at_local, local_zone
from trainings.models import (
    Certificate,
    Enrolment,
    EnrolmentStatus,
    Language,
    SessionFormat,
    SessionStatus,
    TrainingPage,
    TrainingSession,
)

MEMBER = "membre@demo.cqctp.org"
# Colleagues in the same session: one valid certificate, one revoked (for the admin and the
# public page).
ISSUED_TO = "participant1@demo.cqctp.org"
REVOKED_FOR = "participant2@demo.cqctp.org"
REVOKED_REASON = "Présence inscrite par erreur (démonstration)"
TRAINING_SLUG = "reconnaitre-les-signes-de-la-traite"  # gives a certificate (demo/trainings.py)
DAYS_AGO = 40


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def load(stdout=None):
    """Make the demo member's certificate downloadable; returns the enrolments marked."""
    User = get_user_model()
    member = User.objects.filter(username=MEMBER).first()
    if member is None:
        return []
    now = timezone.now()
    enrolment = _eligible_enrolment(member, now) or _enrolment_to_mark(member, now)
    if enrolment is None:
        session = _past_session(now) or _add_past_session(now, stdout)
        if session is None:
            _say(stdout, "Demo certificates: no training with a certificate to use; skipped.")
            return []
        enrolment = _confirmed(member, session)
    marked = [enrolment] if _mark_present(enrolment, now) else []
    _say(stdout, f"Demo certificate: {MEMBER} can download one from “Mes formations”.")

    # The colleagues: an issued certificate, and a revoked one.
    for email in (ISSUED_TO, REVOKED_FOR):
        colleague = User.objects.filter(username=email).first()
        if colleague is None:
            continue
        other = _confirmed(colleague, enrolment.session)
        if _mark_present(other, now):
            marked.append(other)
        try:
            certificate = certificates.issue(other, now=now)
        except certificates.NotEligible:  # marked absent in last year's history
            continue
        if email == REVOKED_FOR and not certificate.is_revoked:
            certificate = certificates.revoke(certificate, REVOKED_REASON, now=now)
        state = "revoked" if certificate.is_revoked else "valid"
        _say(stdout, f"Demo certificate ({state}): {certificates.verification_url(certificate)}")
    return marked


def _gives_certificates():
    return Enrolment.objects.filter(
        status=EnrolmentStatus.CONFIRMED,
        session__page__certificate=True,
        session__status=SessionStatus.SCHEDULED,
    ).select_related("session__page")


def _eligible_enrolment(member, now):
    """One of the member's enrolments that already gives a certificate (not a revoked one)."""
    candidates = list(_gives_certificates().filter(user=member, session__end__lte=now))
    days = certificates.present_days(candidates)
    revoked = set(
        Certificate.objects.filter(enrolment__in=candidates, revoked_at__isnull=False).values_list(
            "enrolment_id", flat=True
        )
    )
    for enrolment in candidates:
        if enrolment.pk not in revoked and certificates.is_eligible(
            enrolment, days.get(enrolment.pk, ()), now
        ):
            return enrolment
    return None


def _enrolment_to_mark(member, now):
    """A confirmed seat of the member in a past session of such a training, not marked yet
    (absent on no day: the demo does not rewrite an absence history marked)."""
    for enrolment in _gives_certificates().filter(user=member, session__end__lte=now):
        if not enrolment.attendance.filter(present=False).exists():
            if not Certificate.objects.filter(enrolment=enrolment).exists():
                return enrolment
    return None


def _past_session(now):
    """A past session of the demo training (from last year's history, or added by an earlier
    run), with a seat for the member."""
    return (
        TrainingSession.objects.filter(
            page__slug=TRAINING_SLUG,
            page__locale__language_code="fr-ca",
            status=SessionStatus.SCHEDULED,
            end__lte=now,
        )
        .exclude(enrolments__user__username=MEMBER)
        .order_by("-start")
        .first()
    )


def _add_past_session(now, stdout):
    """A session `DAYS_AGO` days ago added to the demo training through a new revision, as
    the editor does, only when the page has no draft waiting (it would be published too)."""
    page = TrainingPage.objects.filter(
        slug=TRAINING_SLUG, locale__language_code="fr-ca", certificate=True, live=True
    ).first()
    if page is None or page.has_unpublished_changes:
        return None
    page = page.get_latest_revision_as_object()
    model = page.sessions.order_by("sort_order").first()
    day = timezone.localdate(now, timezone=local_zone()) - datetime.timedelta(days=DAYS_AGO)
    start = at_local(day, datetime.time(9, 0))
    hours = min(float(page.duration_hours or 3), 8.0)
    session = TrainingSession(
        start=start,
        end=start + datetime.timedelta(hours=hours),
        format=model.format if model else SessionFormat.IN_PERSON,
        language=model.language if model else Language.FRENCH,
        venue=model.venue if model else "",
        address=model.address if model else "",
        city=model.city if model else "Montréal",
        region=model.region if model else "06",
        capacity=model.capacity if model else 20,
        enrolment_closes=start - datetime.timedelta(days=1),
        sort_order=len(page.sessions.all()),
    )
    page.sessions.add(session)
    page.save_revision().publish()
    _say(stdout, f"Demo certificates: a past session of “{page.title}” added.")
    return TrainingSession.objects.filter(page=page, start=start).order_by("-pk").first()


def _confirmed(person, session):
    """The person's confirmed seat in the past session (created if missing: enrolment closed
    long ago, so not through services.enrol, which refuses past sessions)."""
    enrolment = (
        Enrolment.objects.filter(session=session, user=person)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .first()
    )
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            session=session,
            user=person,
            status=EnrolmentStatus.CONFIRMED,
            created=session.start - datetime.timedelta(days=21),
            consent_at=session.start - datetime.timedelta(days=21),
        )
    return enrolment


def _mark_present(enrolment, now):
    """Mark every day of the session present through the service (audit-logged); days
    already marked are left as they are. Whether anything was marked."""
    marked = set(enrolment.attendance.values_list("day", flat=True))
    days = [day for day in services.session_days(enrolment.session) if day not in marked]
    for day in days:
        services.mark_attendance(enrolment, day, True, now=now)
    return bool(days)
