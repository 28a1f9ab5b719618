"""English members read English: the enrolment form, "My trainings", their calendars and their
e-mails name and link the English version of a training when it exists, and mark with `lang`
the French title of a training that has no English version."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from members.models import Membership
from tests import factories as f
from trainings import services

pytestmark = pytest.mark.django_db

BASE = "https://formations.test"
FRENCH_TITLE = "Repérer la traite"
ENGLISH_TITLE = "Spotting human trafficking"
FRENCH_ONLY = "Atelier offert en français seulement"


def committed(function, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def translate(page, title, slug):
    return f.translation(page, title, slug)


@pytest.fixture
def trainings(db):
    french = f.training(title=FRENCH_TITLE, sessions=[f.session(10, capacity=5)])
    english = translate(french, ENGLISH_TITLE, "spotting-human-trafficking")
    only_french = f.training(title=FRENCH_ONLY, sessions=[f.session(12, capacity=5)])
    assert english.url.startswith("/en/") and english.url != french.url
    return {"french": french, "english": english, "only_french": only_french}


def member(language="en", role="member", organisation=None):
    person = f.user()
    Membership.objects.create(
        user=person, organisation=organisation or f.organisation(), language=language, role=role
    )
    return person


def session_of(page):
    return page.sessions.get()


def ics(content):
    return Calendar.from_ical(content).walk("VEVENT")


# -- Pages --------------------------------------------------------------------------------------


def test_enrolment_form_on_the_english_site_names_and_links_the_english_training(
    client, trainings
):
    client.force_login(member())
    session = session_of(trainings["french"])
    html = client.get(f"/en/espace-membres/inscription/{session.pk}/").content.decode()
    assert f"<h1>{ENGLISH_TITLE}</h1>" in html
    assert f'href="{trainings["english"].url}"' in html
    assert FRENCH_TITLE not in html


def test_a_french_only_title_on_the_english_site_is_marked_french(client, trainings):
    client.force_login(member())
    session = session_of(trainings["only_french"])
    html = client.get(f"/en/espace-membres/inscription/{session.pk}/").content.decode()
    assert re.search(rf'<h1 lang="fr[-a-zA-Z]*">{FRENCH_ONLY}</h1>', html)
    # On the French site, French needs no mark.
    html = client.get(f"/espace-membres/inscription/{session.pk}/").content.decode()
    assert f"<h1>{FRENCH_ONLY}</h1>" in html


def test_my_trainings_in_english(client, trainings):
    person = member()
    for key in ("french", "only_french"):
        committed(services.enrol, person, session_of(trainings[key]), consent=True)
    client.force_login(person)
    html = client.get("/en/espace-membres/").content.decode()
    assert f'<a href="{trainings["english"].url}">{ENGLISH_TITLE}</a>' in html
    assert FRENCH_TITLE not in html
    assert re.search(
        rf'<a href="{re.escape(trainings["only_french"].url)}" hreflang="fr[-a-zA-Z]*" '
        rf'lang="fr[-a-zA-Z]*">{FRENCH_ONLY}</a>',
        html,
    )
    # The French site keeps the French title, unmarked.
    html = client.get("/espace-membres/").content.decode()
    assert f'<a href="{trainings["french"].url}">{FRENCH_TITLE}</a>' in html


def test_my_trainings_finds_the_translations_in_bulk(client, trainings):
    """One query for all the translations, not one per enrolment."""
    person = member(role="coordinator")
    client.force_login(person)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/espace-membres/").status_code == 200
        return len(captured)

    def enrol_with_a_colleague(page):
        committed(services.enrol, person, session_of(page), consent=True)
        colleague = member(organisation=person.membership.organisation)
        committed(services.enrol, colleague, session_of(page), consent=True)

    enrol_with_a_colleague(trainings["french"])
    enrol_with_a_colleague(trainings["only_french"])
    queries()  # the first visit creates the site settings
    few = queries()
    for number in range(3):
        page = f.training(title=f"Formation {number}", sessions=[f.session(5 + number)])
        translate(page, f"Training {number}", f"training-{number}")
        enrol_with_a_colleague(page)
        enrol_with_a_colleague(f.training(sessions=[f.session(6 + number)]))  # French only
    queries()  # the new pages bumped CONTENT: the shared header is rebuilt once
    assert queries() == few


# -- Calendars ----------------------------------------------------------------------------------


def test_the_enrolment_calendar_on_the_english_site_is_in_english(client, trainings):
    person = member()
    enrolment = committed(services.enrol, person, session_of(trainings["french"]), consent=True)
    client.force_login(person)
    response = client.get(f"/en/espace-membres/inscriptions/{enrolment.pk}/calendrier.ics")
    (event,) = ics(response.content)
    assert str(event["SUMMARY"]) == ENGLISH_TITLE
    assert str(event["URL"]) == BASE + trainings["english"].url


def test_the_private_feed_is_in_the_members_language(client, trainings):
    person = member("en")
    for key in ("french", "only_french"):
        committed(services.enrol, person, session_of(trainings[key]), consent=True)
    token = person.membership.calendar_token
    for prefix in ("", "/en"):
        address = f"{prefix}/espace-membres/calendrier/{token}.ics"
        events = ics(client.get(address).content)
        assert [str(e["SUMMARY"]) for e in events] == [ENGLISH_TITLE, FRENCH_ONLY]
        assert str(events[0]["URL"]) == BASE + trainings["english"].url
        assert events[1]["SUMMARY"].params.get("LANGUAGE", "").startswith("fr")


# -- E-mails ------------------------------------------------------------------------------------


def test_an_english_members_emails_name_and_link_the_english_training(trainings):
    person = member("en")
    committed(services.enrol, person, session_of(trainings["french"]), consent=True)
    (message,) = mail.outbox
    assert ENGLISH_TITLE in message.subject
    assert ENGLISH_TITLE in message.body and FRENCH_TITLE not in message.body
    assert BASE + trainings["english"].url in message.body
    (event,) = ics(message.attachments[0][1])
    assert str(event["SUMMARY"]) == ENGLISH_TITLE
    assert str(event["URL"]) == BASE + trainings["english"].url


def test_a_french_members_emails_stay_french(trainings):
    person = member("fr-ca")
    committed(services.enrol, person, session_of(trainings["french"]), consent=True)
    (message,) = mail.outbox
    assert FRENCH_TITLE in message.subject
    assert BASE + trainings["french"].url in message.body
    (event,) = ics(message.attachments[0][1])
    assert str(event["SUMMARY"]) == FRENCH_TITLE


def test_the_committees_cancellation_reaches_english_members_in_english(client, trainings):
    person = member("en")
    session = session_of(trainings["french"])
    committed(services.enrol, person, session, consent=True)
    mail.outbox.clear()
    client.force_login(get_user_model().objects.create_superuser("comite", "c@example.org", "pw"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("enrolments_admin:cancel_session", args=[session.pk]))
    (message,) = mail.outbox
    assert ENGLISH_TITLE in message.subject and ENGLISH_TITLE in message.body
    assert BASE + trainings["english"].url in message.body


# -- The member chooses the language of their e-mails ------------------------------------------


def test_a_member_chooses_english_and_the_next_confirmation_is_english(client, trainings):
    person = member("fr-ca")
    client.force_login(person)
    address = reverse("members:language")
    assert address in client.get(reverse("enrolments:my_trainings")).content.decode()
    form = client.get(address).content.decode()
    assert "csrfmiddlewaretoken" in form and 'value="en"' in form
    response = client.post(address, {"language": "en"}, follow=True)
    assert response.status_code == 200
    assert "courriels" in response.content.decode() and "English" in response.content.decode()
    assert Membership.objects.get(user=person).language == "en"
    person = get_user_model().objects.get(pk=person.pk)  # as the next request loads it
    committed(services.enrol, person, session_of(trainings["french"]), consent=True)
    (message,) = mail.outbox
    assert ENGLISH_TITLE in message.subject and FRENCH_TITLE not in message.body


def test_the_language_choice_refuses_what_it_does_not_offer(client):
    from django.test import Client

    person = member("fr-ca")
    client.force_login(person)
    response = client.post(reverse("members:language"), {"language": "de"})
    assert response.status_code == 200
    assert Membership.objects.get(user=person).language == "fr-ca"
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(person)
    assert guarded.post(reverse("members:language"), {"language": "en"}).status_code == 403
    assert Membership.objects.get(user=person).language == "fr-ca"
    staff = get_user_model().objects.create_user("sans", "sans@example.org", "pw")
    client.force_login(staff)
    assert client.get(reverse("members:language")).status_code == 404
    client.logout()
    assert client.get(reverse("members:language")).status_code == 302
