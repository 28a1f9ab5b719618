"""What a member sees matches what they asked for (issue 8, item 10).

The catalogue card's next session follows the filters; cancelling asks first; consent is asked
for answers only; the coordinator's form offers only who can still be enrolled; a session that
takes no enrolment says so instead of showing a form.
"""

import datetime
import html as entities
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from trainings import services
from trainings.models import Enrolment, TrainingSession

pytestmark = pytest.mark.django_db

MONTREAL = zoneinfo.ZoneInfo("America/Montreal")
NOW = datetime.datetime(2026, 11, 10, 12, 0, tzinfo=MONTREAL)


@pytest.fixture(autouse=True)
def frozen_now():
    """Every date below is relative to a fixed day: the tests never depend on today."""
    with time_machine.travel(NOW, tick=False):
        yield


def post(client, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def day(year, month, number, hour=9):
    return datetime.datetime(year, month, number, hour, tzinfo=MONTREAL)


def session_on(start, hours=3, **fields):
    """A session at an exact Montréal time (the factories count days from today)."""
    fields.setdefault("region", "06")
    fields.setdefault("city", "Montréal")
    return TrainingSession(start=start, end=start + datetime.timedelta(hours=hours), **fields)


def cards(client, url, **params):
    """(title, the card's next-session text) for each result, in order."""
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    found = []
    for card in re.findall(
        r'<li class="result">(.*?)</li>\s*(?=<li class="result">|</ol>)', html, re.S
    ):
        title = re.search(r'class="result__title"><a href="[^"]+">([^<]+)</a>', card).group(1)
        session = re.search(r'<p class="session[^"]*">(.*?)</p>', card, re.S).group(1)
        text = " ".join(re.sub(r"<[^>]+>", " ", session).split())
        found.append((entities.unescape(title), entities.unescape(text)))
    return found


# -- 1. The card's next session and the sort follow the filters -----------------------------


@pytest.fixture
def catalogue(db):
    cat = f.catalogue()
    gatineau = session_on(
        day(2026, 11, 15), format="in-person", region="07", city="Gatineau", capacity=1
    )
    online_en = session_on(
        day(2026, 12, 3), format="online", region="", city="", language="en", capacity=10
    )
    online_fr = session_on(day(2026, 11, 20), format="online", region="", city="")
    cancelled_en = session_on(
        day(2026, 11, 25), format="online", region="", city="", language="en", status="cancelled"
    )
    mixed = f.training(
        cat,
        "Formation mixte",
        offered_in_english=True,
        sessions=[gatineau, online_en, online_fr, cancelled_en],
    )
    f.fill(mixed.sessions.get(city="Gatineau"), 1)
    english = f.training(
        cat,
        "Formation anglaise",
        offered_in_english=True,
        sessions=[
            session_on(day(2026, 11, 12), format="in-person", language="fr"),
            session_on(day(2026, 11, 28), format="in-person", region="07", city="Gatineau"),
            session_on(day(2026, 11, 30), format="online", region="", city="", language="en"),
        ],
    )
    winter = f.training(
        cat,
        "Formation d'hiver",
        sessions=[session_on(day(2026, 12, 8)), session_on(day(2027, 2, 10))],
    )
    cat.mixed, cat.english, cat.winter = mixed, english, winter
    return cat


def test_card_shows_the_next_session_that_matches_format_language_and_seats(client, catalogue):
    found = dict(cards(client, catalogue.url, format="online", language="en", seats="on"))
    mixed = found["Formation mixte"]
    assert "Gatineau" not in mixed and "Complet" not in mixed
    assert "25 novembre" not in mixed  # the cancelled English session is never "next"
    assert "3 décembre 2026" in mixed and "En ligne" in mixed


def test_card_shows_the_next_session_within_the_dates_asked(client, catalogue):
    found = dict(cards(client, catalogue.url, date_from="2027-02-01"))
    assert list(found) == ["Formation d'hiver"]
    assert "10 février 2027" in found["Formation d'hiver"]
    assert "décembre" not in found["Formation d'hiver"]


def test_card_shows_the_next_session_in_the_region_asked(client, catalogue):
    found = cards(client, catalogue.url, region="07")
    assert [title for title, _ in found] == ["Formation mixte", "Formation anglaise"]
    assert "15 novembre 2026" in found[0][1] and "Gatineau" in found[0][1]
    assert "28 novembre 2026" in found[1][1] and "Gatineau" in found[1][1]


def test_next_session_sort_uses_the_matching_sessions(client, catalogue):
    # Matching English sessions: "anglaise" on 30 Nov, "mixte" on 3 Dec (its 25 Nov one is
    # cancelled); without the filter, "anglaise" (12 Nov) and "mixte" (15 Nov) come first.
    order = [title for title, _ in cards(client, catalogue.url, language="en")]
    assert order == ["Formation anglaise", "Formation mixte"]
    found = dict(cards(client, catalogue.url, language="en"))
    assert "30 novembre 2026" in found["Formation anglaise"]
    assert "3 décembre 2026" in found["Formation mixte"]
    order = [title for title, _ in cards(client, catalogue.url, format="online")]
    assert order == ["Formation mixte", "Formation anglaise"]  # 20 Nov before 30 Nov
    assert (
        "20 novembre 2026" in dict(cards(client, catalogue.url, format="online"))["Formation mixte"]
    )


def test_without_session_filters_the_card_shows_the_very_next_session(client, catalogue):
    found = dict(cards(client, catalogue.url))
    assert "12 novembre 2026" in found["Formation anglaise"]
    assert "15 novembre 2026" in found["Formation mixte"]


def count_queries(client, url, params):
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_filtered_cards_take_a_fixed_number_of_queries(client, catalogue):
    params = {"format": "online", "language": "en", "seats": "on", "date_from": "2026-11-01"}
    small = count_queries(client, catalogue.url, params)
    for number in range(12):
        f.training(
            catalogue,
            offered_in_english=True,
            sessions=[
                session_on(
                    day(2026, 11, 13 + number), format="online", region="", city="", language="en"
                ),
                session_on(day(2026, 12, 13 + number), format="in-person"),
            ],
        )
    assert len(cards(client, catalogue.url, **params)) == 14
    assert count_queries(client, catalogue.url, params) == small


# -- 2. Cancelling asks for confirmation ------------------------------------------------------


@pytest.fixture
def full_session(db):
    return f.training(
        title="Repérer la traite", sessions=[session_on(day(2026, 11, 20), capacity=1)]
    ).sessions.get()


def test_cancelling_asks_first_then_gives_the_seat_to_the_person_waiting(client, full_session):
    holder, waiting = f.member(), f.member()
    mine = services.enrol(holder, full_session, consent=True)
    services.enrol(waiting, full_session, consent=True)
    client.force_login(holder)
    url = f"/espace-membres/inscriptions/{mine.pk}/annuler/"

    my_trainings = client.get("/espace-membres/").content.decode()
    assert f'href="{url}"' in my_trainings  # a link to the question, not a one-click form
    assert f'action="{url}"' not in my_trainings

    question = client.get(url)
    assert question.status_code == 200
    html = question.content.decode()
    assert "Repérer la traite" in html
    assert "personne sur la liste d’attente" in html  # says who gets the seat
    assert f'<form method="post" action="{url}"' in html
    assert 'href="/espace-membres/"' in html  # a way to keep it
    assert Enrolment.objects.get(pk=mine.pk).status == "confirmed"

    response = post(client, url)
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=mine.pk).status == "cancelled"
    assert Enrolment.objects.get(user=waiting).status == "confirmed"


def test_cancel_question_for_an_enrolment_past_its_deadline_offers_no_button(client):
    session = f.training(sessions=[session_on(day(2026, 11, 20))]).sessions.get()
    person = f.member()
    enrolment = services.enrol(person, session, consent=True)
    client.force_login(person)
    url = f"/espace-membres/inscriptions/{enrolment.pk}/annuler/"
    with time_machine.travel(day(2026, 11, 20, 10), tick=False):
        html = client.get(url).content.decode()
    assert '<form method="post" action' not in html.split('id="main"')[-1].split("</main>")[0]
    assert "Le délai d’annulation est passé" in html


def test_cancel_question_of_someone_elses_enrolment_is_404(client, full_session):
    enrolment = services.enrol(f.member(), full_session, consent=True)
    client.force_login(f.member())
    assert client.get(f"/espace-membres/inscriptions/{enrolment.pk}/annuler/").status_code == 404


# -- 3. Consent only for the answers given ----------------------------------------------------


def test_no_answer_needs_no_consent(client, full_session):
    person = f.member()
    client.force_login(person)
    response = post(client, f"/espace-membres/inscription/{full_session.pk}/", {})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=person)
    assert enrolment.status == "confirmed" and enrolment.consent_at is None


def test_an_answer_needs_consent(client, full_session):
    client.force_login(f.member())
    response = post(client, f"/espace-membres/inscription/{full_session.pk}/", {"comment": "Merci"})
    assert response.status_code == 200
    assert "acceptez l’utilisation de vos réponses" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_service_asks_consent_only_for_answers(full_session):
    blank = services.enrol(f.member(), full_session, consent=False, comment="  ")
    assert blank.consent_at is None
    with pytest.raises(services.EnrolmentRefused) as refused:
        services.enrol(f.member(), full_session, consent=False, accessibility_needs="Rampe")
    assert refused.value.code == "consent"
    given = services.enrol(f.member(), full_session, consent=True, interpretation_language="LSQ")
    assert given.consent_at == NOW


# -- 4. The coordinator's form -----------------------------------------------------------------


def test_coordinator_form_offers_only_colleagues_not_yet_enrolled(client):
    session = f.training(sessions=[session_on(day(2026, 11, 20))]).sessions.get()
    other = f.training(sessions=[session_on(day(2026, 11, 21))]).sessions.get()
    organisation = f.organisation()
    enrolled = f.member(organisation, email="deja@example.org")
    waiting = f.member(organisation, email="attente@example.org")
    cancelled = f.member(organisation, email="annule@example.org")
    elsewhere = f.member(organisation, email="ailleurs@example.org")
    coordinator = f.member(organisation, role="coordinator")
    services.enrol(enrolled, session, consent=True)
    Enrolment.objects.create(session=session, user=waiting, status="waiting")
    services.cancel(services.enrol(cancelled, session, consent=True))
    services.enrol(elsewhere, other, consent=True)
    client.force_login(coordinator)
    html = client.get(f"/espace-membres/inscription/{session.pk}/").content.decode()
    assert "deja@example.org" not in html and "attente@example.org" not in html
    assert "annule@example.org" in html and "ailleurs@example.org" in html
    # The submit button speaks for whoever is chosen, not only "my" enrolment.
    assert "Confirmer mon inscription" not in html
    assert "Confirmer l’inscription" in html
    # Posting an enrolled colleague anyway changes nothing.
    post(client, f"/espace-membres/inscription/{session.pk}/", {"colleagues": [enrolled.pk]})
    assert Enrolment.objects.filter(user=enrolled).count() == 1
    assert not Enrolment.objects.filter(user=coordinator).exists()


def test_a_member_keeps_the_personal_label(client, full_session):
    client.force_login(f.member())
    html = client.get(f"/espace-membres/inscription/{full_session.pk}/").content.decode()
    assert "Confirmer mon inscription" in html


def test_only_ones_own_enrolment_offers_add_to_my_calendar(client, full_session):
    organisation = f.organisation()
    colleague = f.member(organisation)
    coordinator = f.member(organisation, role="coordinator")
    other = f.training(sessions=[session_on(day(2026, 11, 22))]).sessions.get()
    theirs = services.enrol(colleague, full_session, consent=False, enrolled_by=coordinator)
    mine = services.enrol(coordinator, other, consent=True)
    client.force_login(coordinator)
    html = client.get("/espace-membres/").content.decode()
    assert f"/espace-membres/inscriptions/{mine.pk}/calendrier.ics" in html
    assert f"/espace-membres/inscriptions/{theirs.pk}/calendrier.ics" not in html
    calendar = client.get(f"/espace-membres/inscriptions/{theirs.pk}/calendrier.ics")
    assert calendar.status_code == 404


# -- 5. A session that takes no enrolment says so before the form -------------------------------


@pytest.mark.parametrize(
    "fields, filled, message",
    [
        ({"status": "cancelled"}, 0, "Cette séance a été annulée."),
        ({"start": day(2026, 11, 1)}, 0, "Cette séance a déjà eu lieu."),
        (
            {"enrolment_opens": day(2026, 11, 15)},
            0,
            "Les inscriptions à cette séance ne sont pas encore ouvertes.",
        ),
        (
            {"enrolment_closes": day(2026, 11, 9)},
            0,
            "Les inscriptions à cette séance sont fermées.",
        ),
        (
            {"capacity": 1, "waiting_list": False},
            1,
            "Cette séance est complète et n’a pas de liste d’attente.",
        ),
    ],
)
def test_no_form_for_a_session_that_takes_no_enrolment(client, fields, filled, message):
    start = fields.pop("start", day(2026, 11, 20))
    session = f.training(sessions=[session_on(start, **fields)]).sessions.get()
    f.fill(session, filled)
    person = f.member()
    client.force_login(person)
    url = f"/espace-membres/inscription/{session.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'name="consent"' not in html and 'type="submit"' not in html.split("<main")[-1]
    response = post(client, url, {"consent": "on"})
    assert message in client.get(response["Location"]).content.decode()
    assert not Enrolment.objects.filter(user=person).exists()


def test_a_full_session_with_a_waiting_list_still_shows_the_form(client, full_session):
    f.fill(full_session, 1)
    client.force_login(f.member())
    html = client.get(f"/espace-membres/inscription/{full_session.pk}/").content.decode()
    assert "Rejoindre la liste d’attente" in html


def test_a_member_already_enrolled_is_told_before_the_form(client, full_session):
    person = f.member()
    services.enrol(person, full_session, consent=True)
    client.force_login(person)
    html = client.get(f"/espace-membres/inscription/{full_session.pk}/").content.decode()
    assert "Vous êtes déjà inscrit·e à cette séance." in html
    assert 'name="consent"' not in html
