"""load_demo builds the training catalogue: once, whatever the number of runs, and current."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.models import Locale

from catalogue.models import CatalogueIndexPage
from demo import trainings as content
from home.models import HomePage
from members.models import Organisation, Sector
from trainings.models import (
    Audience,
    Enrolment,
    SessionFormat,
    SessionStatus,
    Theme,
    TrainingPage,
    TrainingSession,
    Visibility,
)

pytestmark = pytest.mark.django_db

MONTREAL = ZoneInfo("America/Montreal")


@pytest.fixture(autouse=True)
def _fixed_today(frozen_now):
    """The demo's dates are relative to the day it is loaded: load it on a known day."""
    return frozen_now


def run_load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def counts():
    return {
        "organisations": Organisation.objects.count(),
        "themes": Theme.objects.count(),
        "audiences": Audience.objects.count(),
        "catalogues": CatalogueIndexPage.objects.count(),
        "trainings": TrainingPage.objects.count(),
        "sessions": TrainingSession.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "users": get_user_model().objects.count(),
    }


def french_trainings():
    return TrainingPage.objects.live().filter(locale__language_code="fr-ca")


def test_load_demo_twice_creates_nothing_more(demo):
    before = counts()
    run_load_demo()
    assert counts() == before
    assert before["catalogues"] == 2  # French and English


def test_organisations_cover_every_sector(demo):
    assert Organisation.objects.count() >= 7
    assert set(Organisation.objects.values_list("sector", flat=True)) == set(Sector.values)
    for organisation in Organisation.objects.all():
        assert organisation.website.startswith("https://example.org/")
        assert organisation.contact_email.endswith("@example.org")
        assert organisation.description and organisation.description_en


def test_trainings_live_in_the_french_catalogue(demo):
    catalogue = CatalogueIndexPage.objects.get(locale__language_code="fr-ca")
    trainings = french_trainings()
    assert trainings.count() >= 12
    assert trainings.child_of(catalogue).count() == trainings.count()
    for training in trainings:
        assert training.themes.exists() and training.audiences.exists(), training.title


def test_english_translations(demo):
    english = Locale.objects.get(language_code="en")
    catalogue_en = CatalogueIndexPage.objects.get(locale=english)
    translations = []
    for training in french_trainings():
        translation = training.get_translation_or_none(english)
        if translation is not None:
            translations.append((training, translation.specific))
    assert len(translations) >= 4
    for french, translation in translations:
        assert translation.live
        assert translation.get_parent().pk == catalogue_en.pk
        assert translation.title != french.title
        assert translation.summary != french.summary


def test_exploitation_appears_in_several_summaries(demo):
    summaries = list(french_trainings().values_list("summary", flat=True))
    assert sum("exploitation sexuelle" in summary for summary in summaries) >= 3
    assert sum("exploitation" in summary for summary in summaries) >= 5


def test_a_full_session_is_upcoming(demo):
    full = [
        session
        for session in TrainingSession.objects.upcoming().with_seats()
        if session.seats_left == 0
    ]
    assert full
    session = full[0]
    assert session.capacity == 3
    assert session.enrolments.filter(status="confirmed").count() == 3
    assert session.page.locale.language_code == "fr-ca"


def test_a_session_is_cancelled(demo):
    assert TrainingSession.objects.filter(status=SessionStatus.CANCELLED).exists()


def test_sessions_mix_past_and_upcoming_formats_and_places(demo):
    sessions = TrainingSession.objects.filter(page__locale__language_code="fr-ca")
    now = timezone.now()
    assert sessions.filter(end__lt=now).exists()
    upcoming = sessions.filter(start__gte=now)
    assert upcoming.filter(start__lte=now + datetime.timedelta(days=31)).exists()
    assert upcoming.filter(start__gte=now + datetime.timedelta(days=120)).exists()
    assert set(sessions.values_list("format", flat=True)) == set(SessionFormat.values)
    assert set(sessions.values_list("language", flat=True)) == {"fr", "en"}
    assert sessions.exclude(region="").values("region").distinct().count() >= 5
    for session in sessions:
        session.full_clean()  # e.g. in-person sessions have a region
        # "The day before" on Montréal's wall clock: same hour, previous date (23 or 25 hours
        # earlier when the clocks change in between).
        closes = timezone.localtime(session.enrolment_closes, MONTREAL)
        start = timezone.localtime(session.start, MONTREAL)
        assert closes.date() == start.date() - datetime.timedelta(days=1)
        assert closes.time() == start.time()


def test_sessions_are_at_montreal_hours_around_today(demo):
    today = timezone.localdate(timezone=MONTREAL)
    training = TrainingPage.objects.get(slug="reconnaitre-les-signes-de-la-traite")
    starts = [timezone.localtime(s.start, MONTREAL) for s in training.sessions.order_by("start")]
    assert [start.date() - today for start in starts] == [
        datetime.timedelta(days=days) for days in (-45, 12, 48, 85)
    ]
    assert [start.hour for start in starts] == [9, 13, 9, 18]


def test_some_trainings_are_on_request(demo):
    upcoming = TrainingSession.objects.upcoming().filter(page=OuterRef("pk"))
    assert french_trainings().exclude(Exists(upcoming)).count() >= 2


def test_some_trainings_are_for_members_only(demo):
    assert french_trainings().filter(visibility=Visibility.MEMBERS).count() >= 2
    assert french_trainings().filter(visibility=Visibility.PUBLIC).count() >= 10


def loader_accounts():
    """The catalogue's demo accounts (demo/history.py and demo/roles.py add others)."""
    emails = [account["email"] for account in content.DEMO_ACCOUNTS]
    return get_user_model().objects.filter(username__in=emails)


def test_demo_accounts_are_members_and_sign_in_only_in_development(demo, settings):
    accounts = loader_accounts()
    assert accounts.count() == 5
    assert all(account.membership.organisation.name.startswith("Maison") for account in accounts)
    roles = {account.email: account.membership.role for account in accounts}
    assert roles["coordination@demo.cqctp.org"] == "coordinator"
    # The tests run with DEBUG off: no demo account can sign in, as on a real server.
    assert not any(account.has_usable_password() for account in accounts)


def test_demo_full_session_has_someone_waiting(demo):
    session = TrainingSession.objects.with_seats().get(capacity=3)
    statuses = list(session.enrolments.order_by("created").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]
    assert session.enrolments.filter(user__email="membre@demo.cqctp.org", status="confirmed")


def menu_titles(home):
    return list(home.get_children().live().in_menu().values_list("title", flat=True))


def test_the_catalogue_comes_first_in_the_menu(demo):
    home_fr = HomePage.objects.get(locale__language_code="fr-ca")
    home_en = HomePage.objects.get(locale__language_code="en")
    assert menu_titles(home_fr) == ["Formations", "Campagnes", "À propos", "Membres"]
    assert menu_titles(home_en) == ["Trainings", "Campaigns", "About", "Members"]


def test_a_tree_made_before_the_catalogue_gets_it_first_in_the_menu(demo):
    """A site loaded before the catalogue existed: a new run adds it in front of the others."""
    for catalogue in CatalogueIndexPage.objects.all():
        catalogue.delete()
    assert not TrainingPage.objects.exists()
    run_load_demo()
    home_fr = HomePage.objects.get(locale__language_code="fr-ca")
    home_en = HomePage.objects.get(locale__language_code="en")
    assert menu_titles(home_fr) == ["Formations", "Campagnes", "À propos", "Membres"]
    assert menu_titles(home_en) == ["Trainings", "Campaigns", "About", "Members"]
    assert french_trainings().count() >= 12
    # The full session was filled again with the same demo participants.
    assert loader_accounts().count() == 5
    assert Enrolment.objects.filter(session__capacity=3).count() == 4


def test_french_search_finds_exploitation_from_a_conjugated_form(demo, postgres_only):
    """No training says "exploitée": French stemming finds "exploitation" from it."""
    catalogue = CatalogueIndexPage.objects.get(locale__language_code="fr-ca")
    trainings = TrainingPage.objects.live().child_of(catalogue)
    assert not trainings.filter(summary__icontains="exploitée").exists()
    hits = list(trainings.search("exploitée", operator="and"))
    assert len(hits) >= 5
