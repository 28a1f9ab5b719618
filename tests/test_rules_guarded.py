"""Rules that no test guarded: removing any of them left the suite green (issue 8, item 14).

Each test here was checked to fail with its rule's code removed. Each also shows the allowed
case first, so that it cannot pass for another reason (a broken form, a wrong address).
"""

import datetime
import sqlite3
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, connections
from django.test import TestCase
from icalendar import Calendar

from members.models import Invitation
from tests import factories as f
from tests.test_admin_enrolments import form_data
from trainings import services
from trainings.models import Enrolment, TrainingSession

pytestmark = pytest.mark.django_db

LINK = "https://visio.example.org/salle-secrete"
PASSWORD = "Un-mot-de-passe-solide-42"


def committed(function, *args, **kwargs):
    """Run with the after-commit callbacks (the e-mails leave the outbox)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def enrol(person, session):
    return committed(services.enrol, person, session, consent=True)


def unfolded(content):
    """Text as read, with iCalendar's folded lines joined (a long link is cut at 75 octets)."""
    if isinstance(content, bytes):
        content = content.decode()
    return content.replace("\r\n ", "").replace("\n ", "")


def summaries(response):
    assert response.status_code == 200
    return sorted(
        str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")
    )


# -- Invitations expire after 14 days (members.models.Invitation.is_usable) --------------------


def accept_data():
    return {"first_name": "Nour", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD}


@pytest.fixture
def invitation(frozen_now):
    organisation = f.organisation("Maison Le Phare")
    coordinator = f.member(organisation, role="coordinator")
    return Invitation.objects.create(
        organisation=organisation, email="nouvelle@example.org", invited_by=coordinator
    )


def test_an_invitation_can_be_accepted_for_14_days(client, invitation, frozen_now):
    url = f"/espace-membres/invitation/{invitation.token}/"
    with time_machine.travel(frozen_now + datetime.timedelta(days=13, hours=23), tick=False):
        assert client.get(url).status_code == 200
        assert client.post(url, accept_data()).status_code == 302
    assert get_user_model().objects.filter(email="nouvelle@example.org").exists()


def test_an_invitation_expires_after_14_days(client, invitation, frozen_now):
    url = f"/espace-membres/invitation/{invitation.token}/"
    with time_machine.travel(frozen_now + datetime.timedelta(days=14, minutes=1), tick=False):
        assert client.get(url).status_code == 404
        assert client.post(url, accept_data()).status_code == 404
    assert not get_user_model().objects.filter(email="nouvelle@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# -- An unpublished training takes no enrolment -------------------------------------------------


def test_an_unpublished_training_takes_no_enrolment(client, frozen_now):
    page = f.training(title="Atelier retiré", sessions=[f.session(10)])
    session = page.sessions.get()
    client.force_login(f.member())
    url = f"/espace-membres/inscription/{session.pk}/"
    assert client.get(url).status_code == 200  # published: the form opens
    page.unpublish()
    assert client.get(url).status_code == 404
    data = {"consent": "on", "accessibility_needs": "", "interpretation_language": ""}
    response = committed(client.post, url, {**data, "comment": ""})
    assert response.status_code == 404
    assert not Enrolment.objects.exists()
    assert mail.outbox == []


# -- People on the waiting list do not see the meeting link ---------------------------------------


def test_people_waiting_do_not_see_the_meeting_link(client, frozen_now):
    page = f.training(
        title="Atelier en ligne",
        sessions=[f.session(10, format="online", region="", city="", capacity=1, online_url=LINK)],
    )
    session = page.sessions.get()
    holder, waiting = f.member(), f.member()
    seat = enrol(holder, session)
    mail.outbox.clear()
    place = enrol(waiting, session)
    assert (seat.status, place.status) == ("confirmed", "waiting")

    (message,) = mail.outbox  # "you are on the waiting list"
    assert LINK not in message.body
    for _name, content, _mimetype in message.attachments:
        assert LINK not in unfolded(content)
    client.force_login(waiting)
    pages = [
        "/espace-membres/",
        f"/espace-membres/inscriptions/{place.pk}/annuler/",
        f"/espace-membres/inscriptions/{place.pk}/calendrier.ics",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert LINK not in unfolded(response.content), url

    # The seat holder sees it; and the person waiting does, once given the seat.
    client.force_login(holder)
    assert LINK in client.get("/espace-membres/").content.decode()
    committed(services.cancel, seat)
    client.force_login(waiting)
    assert LINK in client.get("/espace-membres/").content.decode()


# -- The private calendar feed: confirmed sessions only, and it stops with the account -----------


def test_the_private_feed_lists_confirmed_sessions_only(client, frozen_now):
    confirmed = f.training(title="Confirmée", sessions=[f.session(10)]).sessions.get()
    full = f.training(title="Liste d'attente", sessions=[f.session(12, capacity=1)])
    cancelled = f.training(title="Annulée par moi", sessions=[f.session(14)]).sessions.get()
    dropped = f.training(title="Séance annulée", sessions=[f.session(16)]).sessions.get()
    person = f.member()
    enrol(person, confirmed)
    full = full.sessions.get()
    enrol(f.member(), full)
    assert enrol(person, full).status == "waiting"
    committed(services.cancel, enrol(person, cancelled))
    enrol(person, dropped)
    committed(services.cancel_session, dropped)
    url = f"/espace-membres/calendrier/{person.membership.calendar_token}.ics"
    assert summaries(client.get(url)) == ["Confirmée"]


def test_a_deactivated_accounts_private_feed_stops(client, frozen_now):
    session = f.training(title="Repérer la traite", sessions=[f.session(10)]).sessions.get()
    person = f.member()
    enrol(person, session)
    url = f"/espace-membres/calendrier/{person.membership.calendar_token}.ics"
    assert summaries(client.get(url)) == ["Repérer la traite"]
    person.is_active = False
    person.save()
    assert client.get(url).status_code == 404


# -- The page editor refuses to delete a session that has enrolments (TrainingPageForm) ---------


def test_the_page_editor_refuses_to_delete_a_session_with_enrolments(client, frozen_now):
    editor = get_user_model().objects.create_superuser("comite", "comite@example.org", "pw")
    client.force_login(editor)
    page = f.training(title="Atelier", sessions=[f.session(10), f.session(20)])
    taken, free = page.sessions.order_by("start")
    enrolment = enrol(f.member(), taken)
    edit_url = f"/admin/pages/{page.pk}/edit/"

    def delete(session):
        data = form_data(client.get(edit_url).context["form"])
        (prefix,) = [
            key[: -len("id")]
            for key, value in data.items()
            if key.startswith("sessions-") and key.endswith("-id") and value == str(session.pk)
        ]
        data[f"{prefix}DELETE"] = "on"
        return committed(client.post, edit_url, {**data, "action-publish": "publish"})

    response = delete(taken)
    assert response.status_code == 200  # the form again, with the reason
    html = response.content.decode()
    assert "Une séance qui a des inscriptions ne peut pas être supprimée" in html
    assert TrainingSession.objects.filter(pk=taken.pk).exists()
    assert Enrolment.objects.get(pk=enrolment.pk).status == "confirmed"

    response = delete(free)  # the same form deletes a session nobody enrolled in
    assert response.status_code == 302
    assert not TrainingSession.objects.filter(pk=free.pk).exists()
    assert TrainingSession.objects.filter(pk=taken.pk).exists()


# -- SQLite serialises enrolments too (PostgreSQL's row lock: test_enrolment_concurrency) -------

PEOPLE = 16
SEATS = 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_serialises_enrolments_into_the_last_seats(tmp_path):
    """SQLite has no row lock: IMMEDIATE transactions (settings) take the write lock at BEGIN,
    so people enrolling at once are served one after the other, none gets an error."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: on PostgreSQL, test_enrolment_concurrency covers the row lock")
    session = f.training(sessions=[f.session(10, capacity=SEATS, waiting_list=False)])
    session = session.sessions.get()
    people = [f.user() for _ in range(PEOPLE)]
    # The test database lives in memory; workers share a file: copy it, then point every new
    # connection (one per thread, as one per worker process) at the file.
    path = tmp_path / "enrolments.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    barrier = threading.Barrier(PEOPLE)
    outcomes, errors = [], []

    def attempt(person):
        try:
            barrier.wait()
            outcomes.append(services.enrol(person, session, consent=True).status)
        except services.EnrolmentRefused as refusal:
            outcomes.append(refusal.code)
        except Exception as error:  # e.g. "database is locked": collected, asserted below
            errors.append(error)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        settings_dict["NAME"] = original
    assert errors == []
    assert sorted(outcomes) == ["confirmed"] * SEATS + ["full"] * (PEOPLE - SEATS)
    with sqlite3.connect(path) as database:
        (count,) = database.execute(
            "SELECT COUNT(*) FROM trainings_enrolment WHERE session_id = ? AND status = ?",
            (session.pk, "confirmed"),
        ).fetchone()
    assert count == SEATS
