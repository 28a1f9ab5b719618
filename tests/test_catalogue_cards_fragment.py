"""The catalogue's result cards are the same for every visitor who may see their training, so
each is kept in the shared cache (CatalogueQuery.cards, home/fragments.FragmentList). Kept,
a card must never be wrong: a seat taken, a session cancelled or ending, a title or theme
changed all show on the very next request, in each language and for each set of session
filters; and a card kept for a member never reaches a visitor who may not see it."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from home import routing
from tests import factories as f
from trainings import services
from trainings.models import Theme, TrainingPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendering_only(settings):
    """The anonymous page cache off: what is measured is the page's own rendering."""
    settings.PAGE_CACHE_SECONDS = 0
    routing.forget()


@pytest.fixture
def catalogue(frozen_now):
    return f.catalogue()


@pytest.fixture
def training(catalogue):
    theme = f.theme("Repérage", "Identification", "reperage")
    return f.training(
        catalogue,
        "Repérer la traite",
        themes=[theme],
        sessions=[f.session(10, capacity=2), f.session(20, format="online", capacity=5)],
    )


def when(session):
    """How a card dates a session."""
    return f'datetime="{timezone.localtime(session.start).isoformat()}"'


def card(html, title):
    """The HTML of the card whose title is `title` (AssertionError: no such card)."""
    at = html.index(f">{title}</a>")
    start = html.rindex('<li class="result">', 0, at)
    return html[start : html.index("</li>\n", at)]


def test_the_second_visit_reads_neither_pages_nor_sessions_for_the_cards(
    client, catalogue, training
):
    first = client.get(catalogue.url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        second = client.get(catalogue.url).content.decode()
    assert second == first and "Repérer la traite" in second
    sql = [query["sql"] for query in captured]
    # (the results and counts may look at sessions; the cards read none, nor any page)
    assert not any(query.startswith('SELECT "trainings_trainingsession"') for query in sql)
    assert not any('"trainings_trainingpage"."summary"' in query for query in sql)
    assert not any("trainings_trainingpage_themes" in query for query in sql)


def test_a_seat_taken_shows_at_once_on_the_card(client, catalogue, training):
    session = training.sessions.order_by("start").first()
    people = [f.member(), f.member()]  # (new member organisations are new content)
    assert "2 places restantes" in card(client.get(catalogue.url).content.decode(), training.title)
    services.enrol(people[0], session, consent=True)
    shown = card(client.get(catalogue.url).content.decode(), training.title)
    assert "1 place restante" in shown
    services.enrol(people[1], session, consent=True)
    shown = card(client.get(catalogue.url).content.decode(), training.title)
    assert "Complet – liste d’attente" in shown


def test_a_cancelled_session_leaves_the_card_at_once(client, catalogue, training):
    first, second = training.sessions.order_by("start")
    shown = card(client.get(catalogue.url).content.decode(), training.title)
    assert when(first) in shown
    services.cancel_session(first)
    shown = card(client.get(catalogue.url).content.decode(), training.title)
    assert when(first) not in shown
    assert when(second) in shown and "En ligne" in shown


def test_the_next_session_follows_when_the_first_one_ends(client, catalogue, frozen_now):
    """Within the hour, long before the kept card would expire by its age."""
    soon = f.session(0, hours=1, hour=11)  # today 11:00 to 12:00; it is 10:00
    later = f.session(7)
    training = f.training(catalogue, "Bientôt", sessions=[soon, later])
    assert when(soon) in card(client.get(catalogue.url).content.decode(), training.title)
    with time_machine.travel(soon.end + datetime.timedelta(minutes=1)):
        shown = card(client.get(catalogue.url).content.decode(), training.title)
    assert when(later) in shown and when(soon) not in shown


def test_a_title_or_a_theme_changed_by_the_editors_shows_at_once(client, catalogue, training):
    client.get(catalogue.url)  # kept
    page = TrainingPage.objects.get(pk=training.pk)
    page.title = "Reconnaître la traite"
    page.save_revision().publish()
    html = client.get(catalogue.url).content.decode()
    assert "Repérer la traite" not in html and "Reconnaître la traite" in html
    Theme.objects.filter(slug="reperage").update(name="Dépistage")
    theme = Theme.objects.get(slug="reperage")
    theme.save()  # as the snippet editor does
    assert "<li>Dépistage</li>" in card(client.get(catalogue.url).content.decode(), page.title)


def test_each_set_of_session_filters_keeps_its_own_card(client, catalogue, training):
    first, second = training.sessions.order_by("start")
    for _ in range(2):
        everything = card(client.get(catalogue.url).content.decode(), training.title)
        online = card(
            client.get(catalogue.url, {"format": "online"}).content.decode(), training.title
        )
        assert when(first) in everything
        assert when(second) in online
        assert when(first) not in online


def test_each_language_keeps_its_own_cards(client, catalogue, training):
    locale = Locale.objects.get_or_create(language_code="en")[0]
    english = training.copy_for_translation(locale, copy_parents=True)
    english.title = "Recognising trafficking"
    english.save_revision().publish()
    for ancestor in english.get_ancestors().filter(depth__gt=1, live=False):
        ancestor.specific.save_revision().publish()
    english_catalogue = catalogue.get_translation(locale)
    for _ in range(2):
        french = card(client.get(catalogue.url).content.decode(), training.title)
        other = card(client.get(english_catalogue.url).content.decode(), "Recognising trafficking")
        assert "Prochaine séance" in french and "places restantes" in french
        assert "Repérage" in french
        assert "Next session" in other and "seats left" in other and "Identification" in other


def test_a_card_kept_for_a_member_never_reaches_a_visitor(client, catalogue, training):
    hidden = f.training(
        catalogue, "Réservée aux membres", visibility="members", sessions=[f.session(12)]
    )
    client.force_login(f.member())
    html = client.get(catalogue.url).content.decode()
    assert "Réservée aux membres" in card(html, hidden.title)
    client.logout()
    for query in ({}, {"q": "membres"}, {"period": "all"}):
        html = client.get(catalogue.url, query).content.decode()
        assert "Réservée aux membres" not in html


def test_a_training_deleted_since_the_results_were_read_is_left_out(rf, catalogue, training):
    """A page of results read just before a training was deleted: its card is left out, the
    page still answers."""
    from catalogue.listing import CatalogueQuery, FilterForm

    request = rf.get(catalogue.url)
    query = CatalogueQuery(catalogue, FilterForm(request.GET), request=request)
    shown = {**query.shown_sessions([training.pk]), training.pk + 1000: None}
    cards = query.cards(shown, request)
    assert len(cards) == 1 and "Repérer la traite" in cards[0]


def test_filters_showing_the_same_session_share_its_card(client, catalogue, training):
    """Cards are kept per session shown, not per filters: the filters' endless combinations
    (dates, regions…) cannot multiply them."""
    client.get(catalogue.url, {"format": "online"})
    with CaptureQueriesContext(connection) as captured:
        html = client.get(
            catalogue.url, {"format": "online", "region": "06", "date_from": "2026-01-01"}
        ).content.decode()
    assert "Repérer la traite" in html
    sql = [query["sql"] for query in captured]
    assert not any('"trainings_trainingpage"."summary"' in query for query in sql)


def test_the_port_in_the_host_header_does_not_multiply_cards(client, catalogue, training):
    """Cards depend on the site, not on the Host header, whose port anyone can vary."""
    client.get(catalogue.url)
    with CaptureQueriesContext(connection) as captured:
        for port in (1, 2, 3):
            html = client.get(catalogue.url, HTTP_HOST=f"testserver:{port}").content.decode()
            assert "Repérer la traite" in html
    sql = [query["sql"] for query in captured]
    assert not any('"trainings_trainingpage"."summary"' in query for query in sql)
