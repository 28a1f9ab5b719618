"""The waiting-list policy per session (issue 10, item 4): with the *offer* policy a freed seat
is offered to the next person waiting, held for them until a deadline, accepted or declined
from "My trainings", and passed on when it expires (`send_outbox`), exactly once.

The first part runs on both databases with "now" frozen; the last part runs real threads with
their own connections on PostgreSQL (skipped elsewhere): two expiry runs at once, an acceptance
racing an expiry, enrolments racing an offered seat.
"""

import datetime
import io
import threading

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from members.models import Membership
from tests import factories as f
from trainings import audit, emails, services
from trainings.models import Enrolment, OutboxEmail, TrainingSession
from trainings.services import EnrolmentRefused, offers

HOURS = 48


def committed(function, *args, **kwargs):
    """Run the after-commit callbacks (e-mail delivery) as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def refused(code, function, *args, **kwargs):
    with pytest.raises(EnrolmentRefused) as caught:
        function(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def offer_session(capacity=2, days=10, **fields):
    fields.setdefault("waiting_list_policy", "offer")
    fields.setdefault("offer_hours", HOURS)
    page = f.training(sessions=[f.session(days, capacity=capacity, **fields)])
    return page.sessions.get()


def enrol(session, person=None):
    return services.enrol(person or f.user(), session, consent=True)


def url(name, *args):
    """A members' address in French (the language a previous request left active does not
    count)."""
    with translation.override("fr-ca"):
        return reverse(f"enrolments:{name}", args=args)


def fresh(enrolment):
    enrolment.refresh_from_db()
    return enrolment


def statuses(session):
    return list(session.enrolments.order_by("created", "pk").values_list("status", flat=True))


def entries(action, enrolment=None):
    found = ModelLogEntry.objects.filter(action=action)
    if enrolment is not None:
        found = found.filter(object_id=str(enrolment.pk))
    return list(found)


def emails_of(kind, enrolment):
    return list(OutboxEmail.objects.filter(kind=kind, enrolment=enrolment))


@pytest.fixture
def full(db, frozen_now):
    """An offer session of 2 seats, both confirmed, and two people waiting."""
    session = offer_session()
    confirmed = [enrol(session), enrol(session)]
    waiting = [enrol(session, f.user("premiere@example.org")), enrol(session)]
    return session, confirmed, waiting


@pytest.fixture
def offered(full):
    """The first confirmed person cancels: the seat is offered to the first person waiting."""
    session, confirmed, waiting = full
    services.cancel(confirmed[0])
    return session, fresh(waiting[0]), waiting[1]


# -- Offering a freed seat --------------------------------------------------------------------


def test_a_cancellation_offers_the_seat_to_the_first_person_waiting(full, frozen_now):
    session, confirmed, waiting = full
    services.cancel(confirmed[0])
    first, second = fresh(waiting[0]), fresh(waiting[1])
    assert first.status == "offered"
    assert first.offered_at is not None
    assert first.offer_expires_at == first.offered_at + datetime.timedelta(hours=HOURS)
    assert first.promoted_at is None
    # The second person is now first in line, still waiting.
    assert second.status == "waiting" and Enrolment.objects.waiting_position(second) == 1
    (entry,) = entries(offers.OFFER, first)
    assert entry.user is None and entry.data["expires_at"] == first.offer_expires_at.isoformat()
    (email,) = emails_of("offered", first)
    assert email.to == "premiere@example.org"
    assert not email.calendar  # the calendar file comes with the confirmation


def test_the_offer_email_gives_the_deadline_in_montreal_time_and_the_link(offered):
    _session, first, _second = offered
    (email,) = emails_of("offered", first)
    # 48 hours after Monday 15 June 2026, 10:00 in Montréal (the frozen "now").
    assert "mercredi 17 juin 2026, 10\u00a0h\u00a000 (heure de Montréal)" in email.body
    assert email.subject.startswith("Une place vous est offerte")
    link = url("offer", first.pk)
    assert f"{link}\n" in email.body


def test_the_offer_email_is_in_the_persons_language(full):
    session, confirmed, waiting = full
    Membership.objects.create(user=waiting[0].user, organisation=f.organisation(), language="en")
    services.cancel(confirmed[0])
    (email,) = emails_of("offered", waiting[0])
    assert email.subject.startswith("A seat is offered to you")
    assert "Wednesday 17 June 2026, 10:00 a.m. (Montréal time)" in email.body
    assert "/en/" in email.body


def test_an_offered_seat_is_held_against_new_enrolments(offered):
    session, first, _second = offered
    newcomer = enrol(session)
    assert newcomer.status == "waiting"
    seats = TrainingSession.objects.with_seats().get(pk=session.pk)
    assert seats.seats_taken == 2 and seats.seats_left == 0 and seats.is_full
    assert session.seats_left == 0  # without the annotation, the same count
    assert seats.as_public_dict()["seats_left"] == 0  # the API
    assert services.seats_taken(session) == 2 and services.confirmed_count(session) == 1


def test_the_instant_policy_still_confirms_at_once(db, frozen_now):
    session = offer_session(waiting_list_policy="instant")
    first = enrol(session)
    enrol(session)
    waiting = enrol(session)
    services.cancel(first)
    assert fresh(waiting).status == "confirmed" and fresh(waiting).offered_at is None
    assert emails_of("promoted", waiting)


def test_the_deadline_is_capped_when_enrolment_closes(db, frozen_now):
    closes = timezone.now() + datetime.timedelta(hours=10)
    session = offer_session(enrolment_closes=closes)
    first = enrol(session)
    enrol(session)
    waiting = enrol(session)
    services.cancel(first, by_committee=True)
    assert fresh(waiting).status == "offered"
    assert fresh(waiting).offer_expires_at == closes


def test_too_close_to_the_start_the_seat_is_confirmed_at_once(db, frozen_now):
    """Less than SHORTEST_OFFER left before enrolment closes: nobody could answer in time."""
    closes = timezone.now() + offers.SHORTEST_OFFER - datetime.timedelta(minutes=1)
    session = offer_session(enrolment_closes=closes)
    first = enrol(session)
    enrol(session)
    waiting = enrol(session)
    services.cancel(first, by_committee=True)
    waiting = fresh(waiting)
    assert waiting.status == "confirmed" and waiting.offered_at is None
    assert emails_of("promoted", waiting)[0].calendar
    # After enrolment has closed too: confirmed at once (the instant rule).
    later = offers.offer_deadline(session, closes + datetime.timedelta(minutes=5))
    assert later is None


def test_a_short_offer_window_chosen_by_the_committee_is_kept(db, frozen_now):
    session = offer_session(offer_hours=1)
    now = timezone.now()
    assert offers.offer_deadline(session, now) == now + datetime.timedelta(hours=1)


def test_raising_the_capacity_offers_the_new_seats_in_order(full):
    session, _confirmed, waiting = full
    served = services.set_capacity(session, 4)
    assert [e.pk for e in served] == [w.pk for w in waiting]
    assert [fresh(w).status for w in waiting] == ["offered", "offered"]


# -- Capacity counts the offers ---------------------------------------------------------------


def test_the_capacity_cannot_go_below_the_seats_taken_offers_included(offered):
    session, _first, _second = offered
    refused("capacity", services.set_capacity, session, 1)
    session.refresh_from_db()
    session.capacity = 1
    with pytest.raises(ValidationError) as caught, translation.override("fr-ca"):
        session.clean()
    assert "2 places prises" in str(caught.value)


def test_the_editor_cannot_publish_a_capacity_below_the_seats_taken(offered):
    session, _first, _second = offered
    page = session.page.specific.get_latest_revision_as_object()
    sessions = list(page.sessions.all())
    sessions[0].capacity = 1
    page.sessions = sessions
    with pytest.raises(services.SessionChangeRefused) as caught:
        page.save_revision().publish()
    assert caught.value.params["confirmed"] == 2
    assert TrainingSession.objects.get(pk=session.pk).capacity == 2


def test_a_committee_promotion_needs_a_seat_not_on_offer(offered):
    session, _first, second = offered
    refused("no_seat", services.promote, second)


def test_cancelling_the_session_cancels_the_offer_too(offered):
    session, first, second = offered
    told = services.cancel_session(session)
    assert first.pk in {e.pk for e in told}
    assert set(statuses(session)) == {"cancelled"}


def test_the_catalogue_filter_with_seats_left_leaves_out_a_session_on_offer(client, offered):
    session, _first, _second = offered
    page = session.page
    url = page.get_parent().url
    response = client.get(url, {"seats": "on"})
    assert page.title not in response.content.decode()
    assert TrainingSession.objects.with_seats().filter(seats_taken__lt=F("capacity")).count() == 0


# -- Accepting, declining, leaving ------------------------------------------------------------


def test_accepting_confirms_with_the_calendar_file(offered):
    session, first, _second = offered
    accepted = committed(services.accept_offer, first, by=first.user)
    assert accepted.status == "confirmed" and accepted.promoted_at is not None
    (entry,) = entries(offers.ACCEPT, first)
    assert entry.user == first.user
    (message,) = [m for m in mail.outbox if m.to == ["premiere@example.org"] and m.attachments]
    assert "Vous avez accepté la place offerte" in message.body
    assert message.attachments[0][2] == "text/calendar"
    assert statuses(session).count("confirmed") == 2


def test_accepting_twice_or_after_declining_is_refused(offered):
    _session, first, _second = offered
    services.accept_offer(first)
    error = refused("not_offered", services.accept_offer, first)
    with translation.override("fr-ca"):
        assert "ne vous est plus offerte" in str(error.message)
    assert len(entries(offers.ACCEPT, first)) == 1


def test_accepting_after_the_deadline_is_refused_and_changes_nothing(offered):
    _session, first, _second = offered
    late = first.offer_expires_at
    error = refused("offer_expired", services.accept_offer, first, now=late)
    with translation.override("en"):
        assert str(error.message).startswith("The time to accept this seat has passed")
    assert fresh(first).status == "offered"
    assert not entries(offers.ACCEPT)


def test_declining_passes_the_seat_to_the_next_person(offered):
    session, first, second = offered
    served = services.decline_offer(first, by=first.user)
    assert fresh(first).status == "cancelled" and fresh(first).cancelled_at is not None
    assert [e.pk for e in served] == [second.pk]
    assert fresh(second).status == "offered"
    (entry,) = entries(offers.DECLINE, first)
    assert entry.user == first.user
    refused("not_offered", services.decline_offer, first)


def test_declining_with_nobody_waiting_leaves_the_seat_free(offered):
    session, first, second = offered
    services.leave_waiting_list(second)
    assert services.decline_offer(first) == []
    assert TrainingSession.objects.get(pk=session.pk).seats_left == 1


def test_a_person_leaves_the_waiting_list_and_the_others_move_up(full):
    session, _confirmed, waiting = full
    third = enrol(session)
    services.leave_waiting_list(waiting[0], by=waiting[0].user)
    assert fresh(waiting[0]).status == "cancelled"
    assert Enrolment.objects.waiting_position(fresh(waiting[1])) == 1
    assert Enrolment.objects.waiting_position(fresh(third)) == 2
    (entry,) = entries(offers.LEAVE, waiting[0])
    assert entry.data["position"] == 1 and entry.user == waiting[0].user
    assert emails_of("cancelled", waiting[0])
    refused("no_longer_waiting", services.leave_waiting_list, waiting[0])
    assert statuses(session).count("confirmed") == 2  # no seat changed hands


def test_a_confirmed_person_cannot_leave_a_waiting_list(full):
    _session, confirmed, _waiting = full
    refused("no_longer_waiting", services.leave_waiting_list, confirmed[0])
    assert fresh(confirmed[0]).status == "confirmed"


# -- Expiry (the scheduled command) -----------------------------------------------------------


def test_an_offer_expires_once_and_passes_to_the_next_person(offered):
    session, first, second = offered
    deadline = first.offer_expires_at
    assert services.expire_offers(deadline - datetime.timedelta(seconds=1)) == []
    expired = services.expire_offers(deadline)
    assert [e.pk for e in expired] == [first.pk]
    assert fresh(first).status == "cancelled"
    second = fresh(second)
    assert second.status == "offered"
    assert second.offer_expires_at == deadline + datetime.timedelta(hours=HOURS)
    assert emails_of("offer_expired", first) and emails_of("offered", second)
    # A second run (or a late one) does nothing more.
    assert services.expire_offers(deadline + datetime.timedelta(minutes=5)) == []
    assert len(entries(offers.EXPIRE, first)) == 1
    assert len(entries(offers.OFFER, second)) == 1
    assert len(emails_of("offer_expired", first)) == 1


def test_an_expired_offer_with_nobody_waiting_frees_the_seat(offered):
    session, first, second = offered
    services.leave_waiting_list(second)
    services.expire_offers(first.offer_expires_at)
    assert fresh(first).status == "cancelled"
    assert TrainingSession.objects.get(pk=session.pk).seats_left == 1


def test_the_expiry_email_says_the_seat_went_on(offered):
    _session, first, _second = offered
    services.expire_offers(first.offer_expires_at)
    (email,) = emails_of("offer_expired", first)
    assert email.subject.startswith("Place offerte expirée")
    assert "n’a pas été acceptée à temps" in email.body


def test_send_outbox_expires_the_offers_past_their_deadline(offered):
    _session, first, second = offered
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    assert "offers expired" not in out.getvalue()
    with time_machine.travel(first.offer_expires_at + datetime.timedelta(minutes=1)):
        call_command("send_outbox", stdout=out)
        assert "offers expired: 1" in out.getvalue()
    assert fresh(first).status == "cancelled" and fresh(second).status == "offered"


# -- Members' pages ---------------------------------------------------------------------------


@pytest.fixture
def member_offer(offered, client):
    _session, first, second = offered
    client.force_login(first.user)
    return client, first, second


def test_my_trainings_shows_the_offer_its_deadline_and_the_buttons(member_offer):
    client, first, _second = member_offer
    html = client.get(url("my_trainings")).content.decode()
    assert "Place offerte" in html
    assert "mercredi 17 juin 2026, 10\u00a0h\u00a000" in html and "heure de Montréal" in html
    accept = url("offer", first.pk)
    assert f'<form method="post" action="{accept}">' in html
    assert "csrfmiddlewaretoken" in html
    assert "Accepter la place" in html
    assert url("decline_offer", first.pk) in html
    assert url("cancel", first.pk) not in html  # decline replaces it


def test_accepting_from_my_trainings(member_offer):
    client, first, _second = member_offer
    address = url("offer", first.pk)
    page = client.get(address).content.decode()
    assert "Une place vous est offerte" in page and "Accepter la place" in page
    response = client.post(address, follow=True)
    assert fresh(first).status == "confirmed"
    assert "La place est à vous" in response.content.decode()
    # Once accepted, the link of the e-mail says so rather than offering it again.
    page = client.get(address).content.decode()
    assert "Cette offre n’est plus valable" in page and "Vous avez accepté" in page
    response = client.post(address, follow=True)
    assert "ne vous est plus offerte" in response.content.decode()


def test_accepting_too_late_from_the_page_says_so(member_offer):
    client, first, _second = member_offer
    with time_machine.travel(first.offer_expires_at + datetime.timedelta(seconds=1)):
        page = client.get(url("offer", first.pk)).content.decode()
        assert "Le délai pour accepter cette place est passé" in page
        response = client.post(url("offer", first.pk), follow=True)
    assert "Le délai pour accepter cette place est passé" in response.content.decode()
    assert fresh(first).status == "offered"  # left to the scheduled command


def test_declining_asks_first_then_passes_the_seat_on(member_offer):
    client, first, second = member_offer
    address = url("decline_offer", first.pk)
    page = client.get(address).content.decode()
    assert "Refuser la place offerte ?" in page and "Oui, refuser la place" in page
    assert fresh(first).status == "offered"  # a GET changes nothing
    response = client.post(address, follow=True)
    assert "Vous avez refusé la place" in response.content.decode()
    assert fresh(first).status == "cancelled" and fresh(second).status == "offered"


def test_leaving_the_waiting_list_asks_first(offered, client):
    _session, _first, second = offered
    client.force_login(second.user)
    html = client.get(url("my_trainings")).content.decode()
    address = url("leave_waiting_list", second.pk)
    assert address in html and "Quitter la liste d’attente" in html
    assert "réservée pour vous pendant 48 heures" in html
    page = client.get(address).content.decode()
    assert "Quitter la liste d’attente ?" in page and "(position 1)" in page
    assert fresh(second).status == "waiting"
    response = client.post(address, follow=True)
    assert "Vous avez quitté la liste d’attente" in response.content.decode()
    assert fresh(second).status == "cancelled"
    page = client.get(address).content.decode()
    assert "Vous n’êtes plus sur la liste d’attente" in page


def test_only_the_holder_may_answer_or_leave(offered, client):
    session, first, second = offered
    organisation = f.organisation()
    Membership.objects.create(user=first.user, organisation=organisation)
    coordinator = f.member(organisation, role="coordinator")
    for intruder in (f.user(), coordinator, second.user):
        client.force_login(intruder)
        for name in ("offer", "decline_offer"):
            address = url(name, first.pk)
            assert client.get(address).status_code == 404
            assert client.post(address).status_code == 404
        if intruder != second.user:
            address = url("leave_waiting_list", second.pk)
            assert client.post(url).status_code == 404
    assert fresh(first).status == "offered" and fresh(second).status == "waiting"
    # The coordinator sees the colleague's offer and its deadline, without the buttons.
    client.force_login(coordinator)
    html = client.get(url("my_trainings")).content.decode()
    assert "Seule cette personne peut l’accepter" in html
    assert "Accepter la place" not in html


def test_signed_out_visitors_are_sent_to_sign_in(offered, client):
    _session, first, _second = offered
    response = client.post(url("offer", first.pk))
    assert response.status_code == 302 and "connexion" in response["Location"]
    assert fresh(first).status == "offered"


def test_the_pages_in_english(member_offer):
    client, first, _second = member_offer
    with translation.override("en"):
        my_trainings = reverse("enrolments:my_trainings")
        decline = reverse("enrolments:decline_offer", args=[first.pk])
    html = client.get(my_trainings).content.decode()
    assert "Seat offered" in html and "Accept the seat" in html
    assert "Wednesday 17 June 2026" in html and "(Montréal time)" in html
    assert "Decline the seat offered?" in client.get(decline).content.decode()


def test_the_enrolment_page_of_a_full_offer_session_explains_the_offer(offered, client):
    session, _first, _second = offered
    client.force_login(f.member())
    html = client.get(url("enrol", session.pk)).content.decode()
    assert "elle est offerte par courriel à la première personne qui attend" in html
    assert "48 heures pour l’accepter" in html


def test_the_waiting_email_of_an_offer_session_tells_the_rule(full):
    _session, _confirmed, waiting = full
    (email,) = emails_of("waiting", waiting[0])
    emails.render(email)
    assert "nous vous l’offrons par courriel : vous avez alors 48 heures" in email.body


def test_every_offer_action_has_a_label_in_the_admin_history():
    for name in (offers.OFFER, offers.ACCEPT, offers.DECLINE, offers.EXPIRE, offers.LEAVE):
        assert name in audit.ACTIONS
    with translation.override("fr-ca"):
        assert str(audit.ACTIONS[offers.EXPIRE]) == "Expiration d’une place offerte"


# -- The demo -----------------------------------------------------------------------------------


def test_the_demo_has_a_pending_offer_for_the_demo_member(frozen_now, demo):
    from demo import offers as demo_offers

    offer = Enrolment.objects.get(user__email="membre@demo.cqctp.org", status="offered")
    session = offer.session
    assert session.waiting_list_policy == "offer" and session.is_full
    assert session.enrolments.waiting_list().count() == 3
    assert offer.offer_expires_at > timezone.now()
    assert entries(offers.OFFER, offer)
    session.full_clean()
    # Loading again changes nothing.
    assert demo_offers.load() == {"sessions": 0, "enrolments": 0, "offers": 0}
    assert Enrolment.objects.filter(session=session).count() == 7


# -- Concurrency, on PostgreSQL ---------------------------------------------------------------

concurrent = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")


def run_together(*jobs):
    """Start every job at the same moment, each in its own thread and database connection.
    Returns each job's result (or the EnrolmentRefused it raised) and any other error."""
    barrier = threading.Barrier(len(jobs))
    errors, results = [], [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except EnrolmentRefused as refusal:
            results[index] = refusal
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def session_with_an_offer(waiting=2, capacity=2):
    """A full offer session whose first waiting person has just been offered a seat."""
    session = offer_session(capacity=capacity)
    confirmed = [enrol(session) for _ in range(capacity)]
    queue = [enrol(session) for _ in range(waiting)]
    services.cancel(confirmed[0])
    return session, fresh(queue[0]), queue[1:]


@concurrent
def test_two_expiry_runs_at_once_handle_each_offer_once(frozen_now):
    needs_postgresql()
    offered = [session_with_an_offer()[1] for _ in range(6)]
    after = max(e.offer_expires_at for e in offered) + datetime.timedelta(minutes=1)
    results, errors = run_together(*[lambda: services.expire_offers(after)] * 4)
    assert errors == []
    handled = sorted(e.pk for result in results for e in result)
    assert handled == sorted(e.pk for e in offered)  # each once, whichever run took it
    for enrolment in offered:
        assert fresh(enrolment).status == "cancelled"
        assert len(entries(offers.EXPIRE, enrolment)) == 1
        assert len(emails_of("offer_expired", enrolment)) == 1
        session = enrolment.session
        assert statuses(session).count("offered") == 1  # the next person, offered once
        assert services.seats_taken(session) == session.capacity
    assert len(entries(offers.OFFER)) == 12  # 6 first offers, 6 passed on


@concurrent
def test_an_acceptance_racing_the_expiry_ends_in_one_outcome(frozen_now):
    needs_postgresql()
    outcomes = set()
    for _trial in range(6):
        session, offer, (second,) = session_with_an_offer()
        deadline = offer.offer_expires_at
        results, errors = run_together(
            lambda offer=offer, deadline=deadline: services.accept_offer(
                offer, now=deadline - datetime.timedelta(seconds=1)
            ),
            lambda deadline=deadline: services.expire_offers(deadline),
        )
        assert errors == []
        accepted, expired = results
        offer, second = fresh(offer), fresh(second)
        if offer.status == "confirmed":
            assert isinstance(accepted, Enrolment) and expired == []
            assert second.status == "waiting"
            assert not entries(offers.EXPIRE, offer)
            outcomes.add("accepted")
        else:
            assert offer.status == "cancelled"
            assert isinstance(accepted, EnrolmentRefused) and accepted.code == "not_offered"
            assert [e.pk for e in expired] == [offer.pk]
            assert second.status == "offered"
            assert not entries(offers.ACCEPT, offer)
            outcomes.add("expired")
        assert services.seats_taken(session) == session.capacity
    assert outcomes  # one outcome per trial; which one depends on the lock's order


@concurrent
def test_enrolments_racing_an_offered_seat_never_exceed_the_capacity(frozen_now):
    needs_postgresql()
    session, offer, queue = session_with_an_offer(waiting=3, capacity=5)
    people = [f.user() for _ in range(20)]
    confirmed = list(session.enrolments.filter(status="confirmed"))
    jobs = [lambda person=person: enrol(session, person) for person in people]
    jobs.append(lambda: services.decline_offer(offer))
    jobs.append(lambda: services.cancel(confirmed[0]))
    jobs.append(lambda: services.expire_offers(offer.offer_expires_at))
    results, errors = run_together(*jobs)
    assert errors == []
    assert services.seats_taken(session) == session.capacity
    # Every newcomer waits: the freed seats went to the people already waiting, in order.
    newcomers = Enrolment.objects.filter(session=session, user__in=people)
    assert set(newcomers.values_list("status", flat=True)) == {"waiting"}
    holders = set(session.enrolments.holding_a_seat().values_list("pk", flat=True))
    assert {e.pk for e in queue} <= holders
