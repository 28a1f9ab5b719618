"""Defects found by a visitor review (phone and desktop, both languages): form fields, the error
summary, seat counts of past sessions, punctuation in English, the cancel page, the favicon."""

import datetime
import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import TestCase
from django.utils import translation

from members.models import Membership
from tests import factories as f
from trainings.calendar import session_event
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db


def member(organisation=None, role="member"):
    person = f.user()
    Membership.objects.create(user=person, organisation=organisation or f.organisation(), role=role)
    return person


@pytest.fixture
def session(db, frozen_now):
    page = f.training(title="Repérer la traite", sessions=[f.session(10, capacity=20)])
    return page.sessions.get()


def test_a_list_of_checkboxes_is_a_fieldset_not_a_checkbox_row(client, session):
    organisation = f.organisation()
    member(organisation)
    client.force_login(member(organisation, role="coordinator"))
    html = client.get(f"/espace-membres/inscription/{session.pk}/").content.decode()
    colleagues = re.search(r'<div class="([^"]*)">\s*<fieldset><legend>', html)
    assert colleagues, "the colleagues are a fieldset with a legend"
    assert "field--checkbox" not in colleagues.group(1)
    assert "field--choices" in colleagues.group(1)


def test_a_single_checkbox_keeps_box_and_label_together_and_help_below(client, session):
    client.force_login(member())
    response = client.post(
        f"/espace-membres/inscription/{session.pk}/", {"consent": "", "comment": "Merci"}
    )
    html = response.content.decode()
    consent = re.search(
        r'<div class="field field--error field--checkbox">\s*<div class="field__choice">\s*'
        r'<input[^>]*name="consent"[^>]*>\s*<label for="id_consent">.*?</label>\s*</div>',
        html,
        re.S,
    )
    assert consent, html[html.find('name="consent"') - 300 : html.find('name="consent"') + 600]


def test_the_error_summary_speaks_of_fields_only_when_a_field_is_wrong(client, session):
    failed = client.post(
        "/espace-membres/connexion/", {"username": "x@example.org", "password": "n"}
    )
    html = failed.content.decode()
    assert 'role="alert"' in html
    assert "Veuillez corriger les champs signalés." not in html
    client.force_login(member())
    no_consent = client.post(
        f"/espace-membres/inscription/{session.pk}/", {"consent": "", "comment": "Merci"}
    )
    assert "Veuillez corriger les champs signalés." in no_consent.content.decode()


@pytest.mark.parametrize("state", ["past", "cancelled"])
def test_past_and_cancelled_sessions_give_no_seat_count(session, state):
    if state == "past":
        session.start -= datetime.timedelta(days=30)
        session.end -= datetime.timedelta(days=30)
    else:
        session.status = "cancelled"
    session.save()
    html = render_to_string("trainings/includes/session_summary.html", {"session": session})
    assert "places restantes" not in html and "place restante" not in html
    session.refresh_from_db()
    upcoming = render_to_string(
        "trainings/includes/session_summary.html",
        {"session": f.training(sessions=[f.session(5, capacity=20)]).sessions.get()},
    )
    assert "20 places restantes" in upcoming


def session_email(client, session, language):
    person = member()
    Membership.objects.filter(user=person).update(language=language)
    client.force_login(person)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/espace-membres/inscription/{session.pk}/", {"consent": "on"})
    return mail.outbox[-1].body


def test_english_emails_use_english_punctuation(client, session):
    session.online_url = "https://visio.example.org/abc"
    session.format = "hybrid"
    session.venue = "Maison du Phare"
    session.save()
    english = session_email(client, session, "en")
    assert re.search(r"^Date: ", english, re.M), english
    assert re.search(r"^Format: ", english, re.M)
    assert re.search(r"^Venue: Maison du Phare", english, re.M)
    assert re.search(r"^Given by: ", english, re.M)
    assert "Online link (for you only): https://visio.example.org/abc" in english
    assert " : " not in english
    french = session_email(client, session, "fr-ca")
    assert re.search(r"^Date : ", french, re.M)
    assert re.search(r"^Lieu : Maison du Phare", french, re.M)


def test_the_calendar_link_label_follows_the_language(session):
    session.online_url = "https://visio.example.org/abc"
    session.format = "online"
    session.save()
    with translation.override("en"):
        english = str(session_event(session, online_link=True)["description"])
    assert "Online link (for you only): https://visio.example.org/abc" in english
    with translation.override("fr-ca"):
        french = str(session_event(session, online_link=True)["description"])
    assert "(pour vous seulement) : https://visio.example.org/abc" in french


def test_ignored_catalogue_values_use_the_punctuation_of_the_language(client, demo):
    french = client.get("/formations/?format=bogus").content.decode()
    assert "Format : « bogus »" in french
    english = client.get("/en/trainings/?format=bogus").content.decode()
    assert 'Format: "bogus"' in english
    assert "«" not in english


def test_cancel_page_of_a_cancelled_enrolment_does_not_ask(client, session):
    person = member()
    enrolment = Enrolment.objects.create(session=session, user=person, status="cancelled")
    client.force_login(person)
    html = client.get(f"/espace-membres/inscriptions/{enrolment.pk}/annuler/").content.decode()
    assert "Cette inscription est déjà annulée." in html
    assert "Annuler cette inscription ?" not in html


def test_every_page_names_a_favicon_that_exists(client, session):
    html = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon"[^>]*href="([^"]+)"', html)
    assert icon, "no <link rel=icon>"
    from django.contrib.staticfiles import finders

    assert finders.find(icon.group(1).removeprefix("/static/"))
