"""Cases found in review: each one failed before its fix."""

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from trainings import services
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db


def committed(function, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def test_lockout_counts_an_address_whatever_its_case(client):
    person = f.member(email="alex@example.org")
    person.set_password("Un-mot-de-passe-solide-42")
    person.save()
    for variant in (
        "alex@example.org",
        "Alex@example.org",
        "ALEX@example.org",
        "aLex@example.org",
        "alEx@example.org",
    ):
        client.post("/espace-membres/connexion/", {"username": variant, "password": "x"})
    response = client.post(
        "/espace-membres/connexion/",
        {"username": "ALEX@EXAMPLE.ORG", "password": "Un-mot-de-passe-solide-42"},
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_coordinator_does_not_see_a_colleagues_meeting_link(client):
    organisation = f.organisation()
    colleague = f.member(organisation)
    page = f.training(
        sessions=[
            f.session(
                5, format="online", region="", city="", online_url="https://meet.example.org/secret"
            )
        ]
    )
    committed(services.enrol, colleague, page.sessions.get(), consent=True)
    client.force_login(f.member(organisation, role="coordinator"))
    html = client.get("/espace-membres/").content.decode()
    assert colleague.email in html
    assert "meet.example.org/secret" not in html
    client.force_login(colleague)
    assert "meet.example.org/secret" in client.get("/espace-membres/").content.decode()


def test_coordinator_answers_are_not_copied_to_colleagues(client):
    organisation = f.organisation()
    colleague = f.member(organisation)
    coordinator = f.member(organisation, role="coordinator")
    session = f.training(sessions=[f.session(5)]).sessions.get()
    client.force_login(coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            f"/espace-membres/inscription/{session.pk}/",
            {
                "consent": "on",
                "include_me": "on",
                "colleagues": [colleague.pk],
                "accessibility_needs": "Fauteuil roulant",
                "interpretation_language": "LSQ",
                "comment": "Merci",
            },
        )
    mine = Enrolment.objects.get(user=coordinator)
    theirs = Enrolment.objects.get(user=colleague)
    assert mine.accessibility_needs == "Fauteuil roulant" and mine.consent_at
    assert (theirs.accessibility_needs, theirs.interpretation_language, theirs.comment) == (
        "",
        "",
        "",
    )
    assert theirs.consent_at is None and theirs.enrolled_by == coordinator


def test_deleting_an_account_gives_its_seat_to_the_next_person():
    session = f.training(sessions=[f.session(5, capacity=1)]).sessions.get()
    holder, waiting = f.member(), f.member()
    committed(services.enrol, holder, session, consent=True)
    committed(services.enrol, waiting, session, consent=True)
    committed(holder.delete)
    assert Enrolment.objects.get(user=waiting).status == "confirmed"
    assert Enrolment.objects.filter(user=None).get().status == "cancelled"


def test_a_deleted_session_tells_its_people_first():
    page = f.training(sessions=[f.session(5), f.session(9)])
    session = page.sessions.order_by("start").first()
    person = f.member(email="touchee@example.org")
    committed(services.enrol, person, session, consent=True)
    mail.outbox.clear()
    committed(session.delete)
    assert [m.to for m in mail.outbox] == [["touchee@example.org"]]
    assert "annulée" in mail.outbox[0].subject.lower()


@pytest.mark.parametrize(
    "url",
    [
        "/calendrier/formation-99999999999999999999999.ics",
        "/espace-membres/inscription/99999999999999999999/",
        "/espace-membres/inscriptions/99999999999999999999/calendrier.ics",
    ],
)
def test_huge_ids_are_not_found(client, url):
    client.force_login(f.member())
    assert client.get(url).status_code == 404


def test_my_trainings_queries_do_not_grow_with_waiting_enrolments(client):
    person = f.member()
    client.force_login(person)

    def queries():
        client.get("/espace-membres/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/espace-membres/").status_code == 200
        return len(captured)

    def wait_in_a_full_session():
        session = f.training(sessions=[f.session(5, capacity=1)]).sessions.get()
        committed(services.enrol, f.member(), session, consent=True)
        committed(services.enrol, person, session, consent=True)

    wait_in_a_full_session()
    few = queries()
    for _ in range(4):
        wait_in_a_full_session()
    assert queries() == few


def test_visibility_of_all_language_versions_follows_the_french_page(client):
    from wagtail.models import Locale

    from trainings.models import TrainingPage

    english = Locale.objects.get_or_create(language_code="en")[0]
    french_page = f.training(title="Atelier", sessions=[f.session(5)])
    english_page = french_page.copy_for_translation(english, copy_parents=True)
    english_page.save_revision().publish()
    french_page.visibility = "members"
    french_page.save_revision().publish()
    assert TrainingPage.objects.get(pk=english_page.pk).visibility == "members"
    # Publishing the English version with its old value does not reopen it.
    english_page = TrainingPage.objects.get(pk=english_page.pk)
    english_page.visibility = "public"
    english_page.save_revision().publish()
    assert TrainingPage.objects.get(pk=english_page.pk).visibility == "members"
    assert client.get(english_page.url).status_code == 404
