"""The catalogue: each filter, their combination, sort, pagination, bad input, visibility."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    cat = f.catalogue()
    identification = f.theme("Identifier les victimes", "Identifying victims", "identifier")
    forced = f.theme("Travail forcé", "Forced labour", "travail-force")
    police = f.audience("Policiers", "Police", "police")
    community = f.audience("Intervenants communautaires", "Community workers", "communautaire")
    org_a = f.organisation("Maison Le Phare")
    org_b = f.organisation("Clinique Droits devant", region="03")
    trainings = {
        "online": f.training(
            cat,
            "Repérer les victimes d'exploitation sexuelle",
            provider=org_a,
            summary="Reconnaître les signes de l'exploitation sexuelle.",
            themes=[identification],
            audiences=[police],
            sessions=[f.session(10, format="online", region="", city="")],
        ),
        "quebec": f.training(
            cat,
            "Le travail forcé au Québec",
            provider=org_b,
            price=50,
            offered_in_english=True,
            themes=[forced],
            audiences=[community],
            sessions=[f.session(40, format="in-person", region="03", city="Québec")],
        ),
        "full": f.training(
            cat,
            "Accompagner les victimes",
            provider=org_a,
            sessions=[f.session(20, format="hybrid", capacity=2)],
        ),
        "on_request": f.training(
            cat,
            "Cadre juridique et IVAC",
            provider=org_b,
            contact_email="info@example.org",
            sessions=[f.session(-30)],
        ),
        "members": f.training(
            cat,
            "Atelier réservé aux membres",
            provider=org_a,
            visibility="members",
            sessions=[f.session(15)],
        ),
    }
    f.fill(trainings["full"].sessions.get(), 2)
    cat.trainings = trainings
    cat.orgs = (org_a, org_b)
    return cat


def titles(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<h3 class="result__title"><a href="[^"]+">([^<]+)</a>', html)


def result_titles(client, catalogue, **params):
    return [t.replace("&#x27;", "'") for t in titles(client, catalogue.url, **params)]


def test_default_lists_upcoming_public_trainings_by_next_session(client, catalogue):
    assert result_titles(client, catalogue) == [
        "Repérer les victimes d'exploitation sexuelle",  # in 10 days
        "Accompagner les victimes",  # in 20 days
        "Le travail forcé au Québec",  # in 40 days
    ]


def test_on_request_trainings_are_offered_behind_a_link(client, catalogue):
    html = client.get(catalogue.url).content.decode()
    assert "1 autre formation est offerte sur demande." in html
    everything = result_titles(client, catalogue, period="all")
    assert everything[-1] == "Cadre juridique et IVAC"  # no upcoming session: last
    assert len(everything) == 4


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"theme": "identifier"}, ["Repérer les victimes d'exploitation sexuelle"]),
        ({"audience": "communautaire"}, ["Le travail forcé au Québec"]),
        ({"format": "online"}, ["Repérer les victimes d'exploitation sexuelle"]),
        ({"format": "in-person"}, ["Le travail forcé au Québec"]),
        ({"language": "en"}, ["Le travail forcé au Québec"]),
        ({"region": "03"}, ["Le travail forcé au Québec"]),
        (
            {"free": "on"},
            ["Repérer les victimes d'exploitation sexuelle", "Accompagner les victimes"],
        ),
        (
            {"seats": "on"},
            ["Repérer les victimes d'exploitation sexuelle", "Le travail forcé au Québec"],
        ),
    ],
)
def test_each_filter_narrows_the_results(client, catalogue, params, expected):
    assert result_titles(client, catalogue, **params) == expected


def test_provider_filter(client, catalogue):
    _, clinique = catalogue.orgs
    assert result_titles(client, catalogue, provider=clinique.pk) == ["Le travail forcé au Québec"]
    assert result_titles(client, catalogue, provider=clinique.pk, period="all") == [
        "Le travail forcé au Québec",
        "Cadre juridique et IVAC",
    ]


def test_date_range_filter(client, catalogue):
    today = timezone.localdate()
    params = {
        "date_from": (today + datetime.timedelta(days=15)).isoformat(),
        "date_to": (today + datetime.timedelta(days=30)).isoformat(),
    }
    assert result_titles(client, catalogue, **params) == ["Accompagner les victimes"]
    # A reversed range is understood, not refused.
    params["date_from"], params["date_to"] = params["date_to"], params["date_from"]
    assert result_titles(client, catalogue, **params) == ["Accompagner les victimes"]


def test_past_dates_need_all_sessions(client, catalogue):
    past = (timezone.localdate() - datetime.timedelta(days=40)).isoformat()
    today = timezone.localdate().isoformat()
    assert result_titles(client, catalogue, date_from=past, date_to=today) == []
    assert result_titles(client, catalogue, date_from=past, date_to=today, period="all") == [
        "Cadre juridique et IVAC"
    ]


def test_filters_combine(client, catalogue):
    assert result_titles(client, catalogue, free="on", format="online") == [
        "Repérer les victimes d'exploitation sexuelle"
    ]
    assert result_titles(client, catalogue, free="on", format=["online", "hybrid"], seats="on") == [
        "Repérer les victimes d'exploitation sexuelle"
    ]
    assert result_titles(client, catalogue, theme="travail-force", region="06") == []


def test_empty_state_offers_to_clear_filters(client, catalogue):
    html = client.get(catalogue.url, {"free": "on", "region": "03"}).content.decode()
    assert "Aucune formation ne correspond à ces critères." in html
    assert f'<a class="button" href="{catalogue.url}">Effacer les filtres</a>' in html
    assert "0 formation" in html


def test_sort_by_title_and_newest(client, catalogue):
    assert result_titles(client, catalogue, sort="title") == sorted(
        result_titles(client, catalogue), key=str.lower
    )
    newest = result_titles(client, catalogue, sort="newest", period="all")
    assert newest[0] == "Cadre juridique et IVAC"  # created last among the public ones


def test_search_finds_words_of_the_title_and_summary(client, catalogue):
    assert result_titles(client, catalogue, q="forcé") == ["Le travail forcé au Québec"]
    assert result_titles(client, catalogue, q="exploitation") == [
        "Repérer les victimes d'exploitation sexuelle"
    ]
    assert result_titles(client, catalogue, q="Phare") == [
        "Repérer les victimes d'exploitation sexuelle",
        "Accompagner les victimes",
    ] or set(result_titles(client, catalogue, q="Phare")) == {
        "Repérer les victimes d'exploitation sexuelle",
        "Accompagner les victimes",
    }


def test_search_combines_with_filters(client, catalogue):
    assert result_titles(client, catalogue, q="victimes", format="hybrid") == [
        "Accompagner les victimes"
    ]


def test_french_stemming_on_postgresql(client, catalogue, postgres_only):
    assert result_titles(client, catalogue, q="exploitée") == [
        "Repérer les victimes d'exploitation sexuelle"
    ]


def test_result_card_shows_provider_next_session_seats_and_themes(client, catalogue):
    html = client.get(catalogue.url).content.decode()
    assert "Maison Le Phare" in html
    assert "Complet – liste d’attente" in html
    assert "1 place restante" not in html
    assert "20 places restantes" in html
    assert "<li>Identifier les victimes</li>" in html


def test_cards_are_in_english_on_the_english_catalogue(client, catalogue):
    with_english = client.get(catalogue.url, HTTP_ACCEPT_LANGUAGE="en")
    assert with_english.status_code == 200  # French page stays French at its French address


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "n-existe-pas"},
        {"format": "teleportation"},
        {"region": "99"},
        {"provider": "abc"},
        {"provider": "999999"},
        {"language": "klingon"},
        {"date_from": "hier"},
        {"date_to": "2026-13-45"},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"sort": "DROP TABLE"},
        {"period": "forever"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"q": '"unbalanced quote'},
        {"q": "100% exploitation"},
        {"q": "'; DROP TABLE wagtailcore_page; --"},
        {"q": "traite 🚫 forcé"},
        {"q": "a" * 5000},
        {"q": "   "},
        {"q": "& | ! :* <->"},
        {"q": "\x00null"},
    ],
)
def test_bad_input_never_breaks_the_page(client, catalogue, params):
    response = client.get(catalogue.url, params)
    assert response.status_code == 200


def test_unknown_values_are_reported_and_ignored(client, catalogue):
    response = client.get(catalogue.url, {"theme": ["identifier", "licorne"]})
    html = response.content.decode()
    assert "« licorne »" in html
    assert result_titles(client, catalogue, theme=["identifier", "licorne"]) == [
        "Repérer les victimes d'exploitation sexuelle"
    ]
    assert result_titles(client, catalogue, provider="abc") == result_titles(client, catalogue)


def test_pagination_and_absurd_page_numbers(client, catalogue):
    for number in range(22):
        f.training(catalogue, f"Formation de groupe {number:02}", sessions=[f.session(60 + number)])
    html = client.get(catalogue.url).content.decode()
    assert "25 formations" in html
    assert "Page 1 de 2" in html
    assert len(result_titles(client, catalogue)) == 20
    assert len(result_titles(client, catalogue, page=2)) == 5
    assert result_titles(client, catalogue, page=999) == result_titles(client, catalogue, page=2)
    # The filters survive in the pagination links.
    html = client.get(catalogue.url, {"free": "on"}).content.decode()
    assert "?free=on&amp;page=2" in html


def test_members_only_training_is_invisible_to_anonymous_visitors(client, catalogue):
    page = catalogue.trainings["members"]
    assert client.get(page.url).status_code == 404
    assert "Atelier réservé aux membres" not in client.get(catalogue.url).content.decode()
    assert b"Atelier" not in client.get(page.url).content


def test_members_only_training_is_shown_to_members(client, catalogue):
    client.force_login(f.member())
    page = catalogue.trainings["members"]
    assert client.get(page.url).status_code == 200
    assert "Atelier réservé aux membres" in result_titles(client, catalogue)


def test_inactive_organisation_trainings_leave_the_catalogue(client, catalogue):
    phare, _ = catalogue.orgs
    phare.active = False
    phare.save()
    assert result_titles(client, catalogue) == ["Le travail forcé au Québec"]


def test_every_state_is_a_shareable_address(client, catalogue):
    html = client.get(catalogue.url, {"theme": "identifier", "sort": "title"}).content.decode()
    assert 'method="get"' in html
    assert re.search(r'name="theme" value="identifier"[^>]*checked', html)


def test_database_vendor_is_known():
    assert connection.vendor in ("sqlite", "postgresql")
