"""A session with the *offer* waiting-list policy (issue 10): full, people waiting, and a seat
offered to the demo member (membre@demo.cqctp.org), so that the offer and its deadline show in
"My trainings" (with the buttons to accept or decline it) and in the committee's participants
screen.

Runs last in load_demo. The session is added to one demo training, `DAYS` after the day of
loading (Montréal's calendar and clock, as in demo/trainings.py), written to a new revision
of the page as an editor's publish would, so that a later edit keeps it. The offer is made at
loading time with the deadline the service computes (`offer_deadline`: the session's
`offer_hours` later) and written to the audit log as the service does; once it has passed,
`manage.py send_outbox` expires it and offers the seat to the next person.

Idempotent: once the training has its offer session (found by its place in the editor's list),
nothing is touched, whatever became of the offer; a training with unpublished changes (an
editor's draft) is left alone.
"""

import datetime

from django.utils import timezone

from trainings import audit
from trainings.dates import local_zone
from trainings.models import (
    Enrolment,
    EnrolmentStatus,
    TrainingPage,
    TrainingSession,
    WaitingListPolicy,
)
from trainings.services.offers import OFFER, offer_deadline

from . import history
from . import trainings as content
from .loader import demo_accounts, demo_session

TRAINING = "accompagner-personnes-survivantes"
# After the catalogue's own sessions (0, 1, …) and before demo/history.py's (100 and more).
POSITION = 50
DAYS = 21
OFFER_HOURS = 48
CONFIRMED = [
    "participant1@demo.cqctp.org",
    "participant2@demo.cqctp.org",
    "coordination@demo.cqctp.org",
]
OFFERED = "membre@demo.cqctp.org"
WAITING = ["participant3@demo.cqctp.org"]
WAITING_FROM_HISTORY = 2  # two of demo/history.py's people wait after them


def load(stdout=None):
    """Create the offer session if missing; return how many records were created."""
    created = dict.fromkeys(("sessions", "enrolments", "offers"), 0)
    page = TrainingPage.objects.filter(slug=TRAINING, locale__language_code="fr-ca").first()
    if page is not None and not page.has_unpublished_changes:
        existing = TrainingSession.objects.filter(
            page=page, sort_order=POSITION, waiting_list_policy=WaitingListPolicy.OFFER
        )
        if not existing.exists():
            _create(page, created)
    if stdout is not None:
        stdout.write(
            "Demo waiting-list offer: "
            + ", ".join(f"{count} {name}" for name, count in created.items())
            + " created."
        )
    return created


def _create(page, created):
    now = timezone.now()
    today = timezone.localdate(timezone=local_zone())
    data = content.session(DAYS, 9, 3, format="in-person", place="montreal", capacity=4)
    session = demo_session(data, today, POSITION)  # the catalogue's rules (demo/loader.py)
    session.page = page
    session.waiting_list_policy = WaitingListPolicy.OFFER
    session.offer_hours = OFFER_HOURS
    session.save()
    created["sessions"] += 1
    # A new revision that holds the session, as an editor's publish would write.
    page.save_revision().publish()

    accounts = demo_accounts()
    waiting = [accounts[email] for email in WAITING]
    waiting += history.history_accounts()[:WAITING_FROM_HISTORY]
    plan = [(accounts[email], EnrolmentStatus.CONFIRMED) for email in CONFIRMED]
    # The member was first on the waiting list when a seat became free.
    plan.append((accounts[OFFERED], EnrolmentStatus.WAITING))
    plan += [(person, EnrolmentStatus.WAITING) for person in waiting]
    enrolled_on = now - datetime.timedelta(days=6)
    enrolments = []
    for position, (person, status) in enumerate(plan):
        moment = enrolled_on + datetime.timedelta(hours=position)
        enrolments.append(
            Enrolment.objects.create(
                session=session, user=person, status=status, created=moment, consent_at=moment
            )
        )
        created["enrolments"] += 1

    # The seat the member is offered: what services.give_free_seats writes, without the
    # e-mail (the demo addresses receive nothing).
    offered = enrolments[len(CONFIRMED)]
    offered.status = EnrolmentStatus.OFFERED
    offered.offered_at = now
    offered.offer_expires_at = offer_deadline(session, now)
    offered.save(update_fields=["status", "offered_at", "offer_expires_at"])
    audit.record(offered, OFFER, expires_at=offered.offer_expires_at.isoformat())
    created["offers"] += 1
