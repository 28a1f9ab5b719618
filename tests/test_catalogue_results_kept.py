"""A page of the catalogue's results (its ids and counts) is the same for every visitor of the
same audience, so it is kept in the shared cache (CatalogueIndexPage.results). Kept, it must
never be wrong: a training published, a seat taken, a session cancelled or ending show on
the very next request, and what one audience may see never reaches another (members-only
trainings, Wagtail's group and password restrictions)."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from home import routing
from tests import factories as f
from trainings import services

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-du-comite"


@pytest.fixture(autouse=True)
def rendering_only(settings):
    """The anonymous page cache off: members never get it, and this is what they get."""
    settings.PAGE_CACHE_SECONDS = 0
    routing.forget()


@pytest.fixture
def catalogue(frozen_now):
    catalogue = f.catalogue()
    f.training(catalogue, "Repérer la traite", sessions=[f.session(10, capacity=1)])
    f.training(catalogue, "Accueillir une victime", sessions=[f.session(20)])
    return catalogue


def shown(client, catalogue, **query):
    return client.get(catalogue.url, query).content.decode()


def test_the_second_visit_reads_no_training(client, catalogue):
    first = shown(client, catalogue)
    with CaptureQueriesContext(connection) as captured:
        second = shown(client, catalogue)
    assert second == first and "Repérer la traite" in second and "2 formations" in second
    assert not any("trainings_trainingpage" in query["sql"] for query in captured)


def test_a_training_published_shows_at_once(client, catalogue):
    assert "2 formations" in shown(client, catalogue)
    f.training(catalogue, "Soutenir les survivantes", sessions=[f.session(15)])
    html = shown(client, catalogue)
    assert "3 formations" in html and "Soutenir les survivantes" in html


def test_a_seat_taken_shows_at_once_in_the_seats_filter(client, catalogue):
    assert "Repérer la traite" in shown(client, catalogue, seats="on")
    session = catalogue.get_children().get(title="Repérer la traite").specific.sessions.get()
    services.enrol(f.member(), session, consent=True)
    html = shown(client, catalogue, seats="on")
    assert "Repérer la traite" not in html and "1 formation" in html


def test_a_cancelled_session_shows_at_once(client, catalogue):
    assert "2 formations" in shown(client, catalogue)
    session = catalogue.get_children().get(title="Repérer la traite").specific.sessions.get()
    services.cancel_session(session)
    html = shown(client, catalogue)
    assert "1 formation" in html and "1 autre formation est offerte sur demande." in html


def test_a_session_ending_shows_when_it_ends(client, frozen_now):
    """Within the hour, long before the kept results would expire by their age."""
    catalogue = f.catalogue()
    f.training(catalogue, "Bientôt", sessions=[f.session(0, hours=1, hour=11)])  # 11:00–12:00
    f.training(catalogue, "Plus tard", sessions=[f.session(20)])
    assert "2 formations" in shown(client, catalogue)
    with time_machine.travel(frozen_now + datetime.timedelta(hours=2, minutes=5)):
        html = shown(client, catalogue)
    assert "1 formation" in html and "1 autre formation est offerte sur demande." in html


def test_each_page_of_results_is_kept_apart(client, catalogue):
    for number in range(25):
        f.training(catalogue, f"Atelier {number:02}", sessions=[f.session(30)])
    for _ in range(2):
        first = shown(client, catalogue, sort="title")
        second = shown(client, catalogue, sort="title", page="2")
        assert "Accueillir une victime" in first and "Atelier 00" in first
        assert "Atelier 19" in second and "Repérer la traite" in second
        assert "Atelier 19" not in first and "Atelier 00" not in second
        assert "Page 2 de 2" in second


def test_members_only_trainings_stay_with_members(client, catalogue):
    f.training(catalogue, "Réservée aux membres", visibility="members", sessions=[f.session(12)])
    member = f.member()
    for _ in range(2):
        client.force_login(member)
        assert "Réservée aux membres" in shown(client, catalogue)
        client.logout()
        assert "Réservée aux membres" not in shown(client, catalogue)
        client.force_login(f.user())  # signed in, but of no member organisation
        assert "Réservée aux membres" not in shown(client, catalogue)
        client.logout()


def test_a_group_restriction_keeps_each_group_apart(client, catalogue):
    hidden = f.training(catalogue, "Atelier des enquêteurs", sessions=[f.session(12)])
    group = Group.objects.create(name="Enquêteurs")
    restriction = PageViewRestriction.objects.create(page=hidden, restriction_type="groups")
    restriction.groups.set([group])
    insider, outsider = f.member(), f.member()
    insider.groups.add(group)
    for _ in range(2):
        client.force_login(insider)
        assert "Atelier des enquêteurs" in shown(client, catalogue)
        client.force_login(outsider)
        assert "Atelier des enquêteurs" not in shown(client, catalogue)
        client.logout()
        assert "Atelier des enquêteurs" not in shown(client, catalogue)


def test_a_password_passed_counts_for_that_visitor_only(client, catalogue):
    from django.test import Client

    hidden = f.training(catalogue, "Atelier protégé", sessions=[f.session(12)])
    restriction = PageViewRestriction.objects.create(
        page=hidden, restriction_type="password", password=PASSWORD
    )
    stranger = Client()
    assert "Atelier protégé" not in shown(client, catalogue)
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, hidden.pk])
    response = client.post(url, {"password": PASSWORD, "return_url": "/"})
    assert response.status_code == 302
    for _ in range(2):
        assert "Atelier protégé" in shown(client, catalogue)
        assert "Atelier protégé" not in shown(stranger, catalogue)


def reads_trainings(client, catalogue, **query):
    """Whether a second request of this address reads trainings from the database."""
    client.get(catalogue.url, query)
    with CaptureQueriesContext(connection) as captured:
        client.get(catalogue.url, query)
    return any("trainings_trainingpage" in q["sql"] for q in captured)


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-07-01"},
        {"date_to": "2027-01-31"},
        {"page": "01"},
        {"page": "0"},
        {"page": "51"},
        {"page": "abc"},
        {"page": "²"},
        {"page": "١"},
        {"page": "11111"},
    ],
)
def test_addresses_visitors_can_vary_without_end_are_not_kept(client, catalogue, query):
    """Dates and oddly written or far page numbers are built every time: made-up addresses
    cannot fill the shared cache."""
    assert reads_trainings(client, catalogue, **query)


@pytest.mark.parametrize("query", [{}, {"page": "1"}, {"page": "2"}, {"q": "traite"}])
def test_ordinary_addresses_are_kept(client, catalogue, query):
    assert not reads_trainings(client, catalogue, **query)


def test_a_search_the_database_could_not_run_is_not_kept(client, catalogue, monkeypatch):
    from catalogue.listing import CatalogueQuery

    def failing(query, trainings):
        raise ValueError("the database could not parse it")

    monkeypatch.setattr(CatalogueQuery, "search_queryset", staticmethod(failing))
    html = shown(client, catalogue, q="traite")
    assert "Votre recherche n’a pas pu être comprise" in html
    monkeypatch.undo()
    html = shown(client, catalogue, q="traite")
    assert "Repérer la traite" in html and "pas pu être comprise" not in html


def test_what_an_earlier_version_kept_is_never_read(client, catalogue):
    """A page of results kept by an earlier version of the code, under the key it used, is
    not read by this one (the name changes with what is kept: no KeyError after a deploy)."""
    from django.core.cache import cache

    shown(client, catalogue)
    kept = [key for key in cache._cache if "fragment:catalogue-" in key]  # locmem's keys
    assert kept and all("catalogue-page-of-results" in k or "catalogue-card" in k for k in kept)
