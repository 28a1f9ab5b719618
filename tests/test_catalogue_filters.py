"""The catalogue: each filter, their combination, sort, pagination, bad input, visibility."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db, frozen_now):
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
            sessions=[f.session(40, format="in-person", region="03", city="Québec", language="en")],
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
    # Both match by their provider only: sorted by date, the next session comes first...
    assert result_titles(client, catalogue, q="Phare", sort="date") == [
        "Repérer les victimes d'exploitation sexuelle",  # in 10 days
        "Accompagner les victimes",  # in 20 days
    ]
    # ...and by relevance (the default with a search) both are there, once each.
    assert sorted(result_titles(client, catalogue, q="Phare")) == [
        "Accompagner les victimes",
        "Repérer les victimes d'exploitation sexuelle",
    ]


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
    from wagtail.models import Locale

    from catalogue.models import CatalogueIndexPage

    # The French page stays French at its French address, whatever the browser prefers.
    french = client.get(catalogue.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Prochaine séance" in french and "Next session" not in french
    # The English catalogue shows the English translation, with English labels and themes.
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = catalogue.trainings["quebec"].copy_for_translation(english, copy_parents=True)
    translation.title = "Forced labour in Quebec"
    translation.save_revision().publish()
    for page in translation.get_ancestors().filter(depth__gt=1, live=False):
        page.specific.save_revision().publish()
    catalogue_en = CatalogueIndexPage.objects.get(locale=english)
    assert catalogue_en.url.startswith("/en/")
    response = client.get(catalogue_en.url)
    assert response.status_code == 200
    html = response.content.decode()
    (card,) = re.findall(r'<li class="result">.*?</li>\s*(?=<li class="result">|</ol>)', html, re.S)
    assert "Forced labour in Quebec" in card
    assert "Next session:" in card
    assert "seats left" in card
    assert "<li>Forced labour</li>" in card  # the theme's English name
    for french_word in ("Prochaine séance", "places restantes", "Travail forcé", "travail forcé"):
        assert french_word not in card


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
        {"q": '"unbalanced quote'},
        {"q": "100% exploitation"},
        {"q": "'; DROP TABLE wagtailcore_page; --"},
        {"q": "traite 🚫 forcé"},
        {"q": "a" * 5000},
        {"q": "   "},
        {"q": "& | ! :* <->"},
    ],
)
def test_bad_input_never_breaks_the_page(client, catalogue, params):
    response = client.get(catalogue.url, params)
    assert response.status_code == 200
    html = response.content.decode()
    ((name, value),) = params.items()
    everything = result_titles(client, catalogue)
    if name == "q":  # any words may be searched: kept in the search field, never an error
        assert f'name="q" id="id_q" value="{escape(value)}"' in html
        assert set(result_titles(client, catalogue, **params)) <= set(everything)
    elif name == "page":  # an absurd page number shows a real page of the same results
        assert result_titles(client, catalogue, **params) == everything
    else:  # a value no filter can use is reported to the visitor, then ignored
        assert "n’ont pas été comprises et ont été ignorées" in html
        assert f"« {escape(value)} »" in html
        assert result_titles(client, catalogue, **params) == everything


@pytest.mark.parametrize("params", [{"page": "9" * 20}, {"q": "\x00null"}, {"date_to": "2026\x00"}])
def test_unreadable_input_is_refused_at_the_edge(client, catalogue, params):
    """Numbers beyond 64 bits and control characters never reach a view (site/middleware.py):
    a clear 400 in the visitor's language, never a database error."""
    response = client.get(catalogue.url, params)
    assert response.status_code == 400
    assert "des nombres que le site ne peut pas lire" in response.content.decode()


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
    """The suite runs on the database DATABASE_URL names (SQLite without it): a run meant for
    PostgreSQL that silently fell back to SQLite would skip every PostgreSQL-only test."""
    import os

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    if expected == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


# -- The filters' choices, written by the catalogue's own templates ------------------------------

OPTION = re.compile(
    r'<(?:input type="(?:checkbox|radio)" name="(?P<name>[a-z_]+)" value="(?P<value>[^"]*)" '
    r'(?:aria-invalid="true" )?id="(?P<id>[^"]*)"(?: aria-invalid="true")?(?P<checked> checked)?'
    r'|option value="(?P<option>[^"]*)"(?P<selected> selected)?)'
)


def choices_as_written(html, name=None):
    """(value, id or None, chosen) of each option, as the HTML has them."""
    found = []
    for match in OPTION.finditer(html):
        if match["name"] is not None:
            if name is None or match["name"] == name:
                found.append((match["value"], match["id"], bool(match["checked"])))
        else:
            found.append((match["option"], None, bool(match["selected"])))
    return found


@pytest.mark.parametrize(
    "query",
    [
        "",
        "theme=identifier&theme=travail-force&theme=inconnu",
        "format=online&format=online&region=03&region=zz",
        "language=en&provider=999999&sort=title&period=all",
        "provider=abc&language=xx&sort=&period=",
        "q=traite&theme=&format=",
        "period=bogus&sort=bogus",
    ],
)
def test_the_filters_are_written_as_djangos_widgets_would(catalogue, query):
    from django.http import QueryDict
    from django.template.loader import get_template

    from catalogue.listing import FilterForm, filter_choices

    template = get_template("catalogue/includes/checkboxes.html")

    choices = filter_choices()
    data = QueryDict(query) if query else None
    ours = FilterForm(data, choices=choices)
    django = FilterForm(data, choices=choices)
    ours.is_valid()
    django.is_valid()
    for name, options in ours.all_options().items():
        written = [(str(o["value"]), o["id"], o["chosen"]) for o in options]
        rendered = choices_as_written(str(django[name]), name)
        if name in ("language", "provider", "sort"):
            written = [(value, None, chosen) for value, _, chosen in written]
        assert written == rendered, (name, query)
    page = "".join(
        template.render({"field": ours[name], "options": options, "type": "radio"})
        for name, options in [("period", ours.options("period"))]
    )
    assert ('aria-invalid="true"' in page) == ("period" in django.errors)


def test_a_label_with_markup_is_written_as_text(client, catalogue):
    f.theme('Traite <script>alert("x")</script> & "exploitation"', "Markup", "markup")
    f.organisation("Organisme <b>gras</b>")
    html = client.get(catalogue.url).content.decode()
    assert "<script>alert" not in html and "<b>gras</b>" not in html
    assert escape('Traite <script>alert("x")</script> & "exploitation"') in html
    assert escape("Organisme <b>gras</b>") in html


def test_the_chosen_filters_stay_chosen_on_the_page(client, catalogue):
    html = client.get(
        catalogue.url, {"theme": "identifier", "sort": "title", "period": "all"}
    ).content.decode()
    assert ("identifier", "id_theme_0", True) in choices_as_written(html, "theme")
    assert ("all", "id_period_1", True) in choices_as_written(html, "period")
    assert ("title", None, True) in choices_as_written(html)
    assert 'for="id_theme_0"' in html  # each box has its label
