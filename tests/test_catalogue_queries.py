"""The number of SQL queries does not grow with the number of trainings or sessions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

pytestmark = pytest.mark.django_db

# Bounds written down (issue 11; tests/test_query_budgets.py holds them in both languages): the
# page of 20 results, filters, cards; the header comes from the shared cache.
CATALOGUE_QUERIES = 15
TRAINING_PAGE_QUERIES = 12
FEED_QUERIES = 8


@pytest.fixture(autouse=True)
def rendering_only(settings):
    """Count the rendering's queries, not the anonymous page cache's (it would answer)."""
    settings.PAGE_CACHE_SECONDS = 0


def count_queries(client, url, **params):
    client.get(url, params)  # warm the per-process caches (site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def add_trainings(cat, number, sessions_each=2):
    themes = [f.theme(f"Thème {i}") for i in range(3)] if not hasattr(cat, "themes") else cat.themes
    cat.themes = themes
    for i in range(number):
        page = f.training(
            cat,
            themes=themes[: 1 + i % 3],
            sessions=[f.session(5 + i + k * 30, capacity=3) for k in range(sessions_each)],
        )
        f.fill(page.sessions.first(), 1)


def test_catalogue_page_queries_do_not_grow(client, django_assert_max_num_queries):
    cat = f.catalogue()
    add_trainings(cat, 3)
    small = count_queries(client, cat.url)
    add_trainings(cat, 22)
    client.get(cat.url)  # the first request after a publish builds the shared header again
    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        response = client.get(cat.url)
    assert response.content.decode().count('class="result"') == 20
    assert count_queries(client, cat.url) == small
    searched = {"q": "formation", "theme": cat.themes[0].slug, "seats": "on", "sort": "title"}
    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        client.get(cat.url, searched)


def test_training_page_queries_do_not_grow_with_sessions(client, django_assert_max_num_queries):
    cat = f.catalogue()
    one = f.training(cat, sessions=[f.session(5)], themes=[f.theme("A"), f.theme("B")])
    ten = f.training(
        cat, sessions=[f.session(5 + i) for i in range(8)] + [f.session(-5), f.session(-15)]
    )
    for session in ten.sessions.all()[:5]:
        f.fill(session, 2)
    client.get(ten.url)
    with django_assert_max_num_queries(TRAINING_PAGE_QUERIES):
        client.get(ten.url)
    assert count_queries(client, one.url) == count_queries(client, ten.url)


def test_feed_queries_do_not_grow(client, django_assert_max_num_queries):
    cat = f.catalogue()
    add_trainings(cat, 2)
    small = count_queries(client, "/calendrier/formations.ics")
    add_trainings(cat, 10, sessions_each=3)
    with django_assert_max_num_queries(FEED_QUERIES):
        client.get("/calendrier/formations.ics")
    assert count_queries(client, "/calendrier/formations.ics") == small
