"""The catalogue at scale: the next session kept on the training (trainings/next_session.py),
ids only when ranking a search, one COUNT per page, a full-text index the search uses, and an
organisation directory whose size does not grow with the trainings."""

import datetime
import json
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.listing import CatalogueQuery, FilterForm
from catalogue.models import CatalogueIndexPage, OrganisationDirectoryPage
from tests import factories as f
from trainings import next_session
from trainings.models import SessionStatus, TrainingPage, TrainingSession

pytestmark = pytest.mark.django_db

SEARCH_INDEX = "catalogue_search_title_body_gin"


@pytest.fixture(autouse=True)
def uncached_pages(settings):
    """What is measured here is the page being built: neither the anonymous page cache nor
    the kept pages of results (tests/test_catalogue_results_kept.py) are used."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.CATALOGUE_SHARED_RESULTS = False


def next_start(page):
    return TrainingPage.objects.values_list("next_session_start", flat=True).get(pk=page.pk)


def titles(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.findall(r'<h3 class="result__title"><a href="[^"]+">([^<]+)</a>', html)
    return [title.replace("&#x27;", "'") for title in found]


def translate(page, title):
    """The English version of `page` (and of its ancestors), published."""
    return f.translation(page, title)


# -- the next session kept on the training -------------------------------------------------


def test_the_column_follows_sessions_added_moved_cancelled_and_deleted(frozen_now):
    page = f.training(sessions=[f.session(30), f.session(-5)])
    thirty = page.sessions.get(start__gt=frozen_now)
    assert next_start(page) == thirty.start

    sooner = TrainingSession.objects.create(page=page, start=f.at(10), end=f.at(10, 12))
    assert next_start(page) == sooner.start
    sooner.start, sooner.end = f.at(40), f.at(40, 12)
    sooner.save()
    assert next_start(page) == thirty.start
    thirty.status = SessionStatus.CANCELLED
    thirty.save(update_fields=["status"])
    assert next_start(page) == sooner.start
    sooner.delete()
    assert next_start(page) is None  # only a past session and a cancelled one are left


def test_a_capacity_change_leaves_the_column_alone(frozen_now):
    page = f.training(sessions=[f.session(30)])
    session = page.sessions.get()
    with CaptureQueriesContext(connection) as captured:
        session.capacity = 50
        session.save(update_fields=["capacity"])
    assert len(captured) == 1  # the UPDATE of the session, no refresh


def test_both_language_versions_share_the_next_session(frozen_now):
    page = f.training(title="Repérer", sessions=[f.session(20)])
    english = translate(page, "Identifying")
    assert next_start(english) == next_start(page) == page.sessions.get().start
    # Sessions hang on the French page; a new one moves the English version's column too.
    TrainingSession.objects.create(page=page, start=f.at(3), end=f.at(3, 12))
    assert next_start(english) == next_start(page) == f.at(3)


def test_publishing_an_old_revision_does_not_bring_back_an_old_value(frozen_now):
    page = f.training(sessions=[f.session(30)])
    old_revision = page.latest_revision
    TrainingSession.objects.create(page=page, start=f.at(5), end=f.at(5, 12))
    assert next_start(page) == f.at(5)
    # The old revision carries the column as it was (30 days) and its own list of sessions.
    old_revision.publish()
    page.refresh_from_db()
    expected = min(s.start for s in page.sessions.all() if s.end >= timezone.now())
    assert next_start(page) == expected


def test_a_copy_starts_without_a_next_session(frozen_now):
    page = f.training(sessions=[f.session(30)])
    copy = page.copy(update_attrs={"slug": "copie", "title": "Copie"})
    assert next_start(page) is not None
    assert next_start(copy) is None  # copies do not take the sessions (exclude_fields_in_copy)


def test_refresh_all_catches_up_with_time_and_writes_only_what_changed(frozen_now):
    soon = f.training(sessions=[f.session(2), f.session(20)])
    later = f.training(sessions=[f.session(50)])
    on_request = f.training(sessions=[f.session(-10)])
    assert next_session.refresh_all() == 0  # the signals kept everything current
    in_a_week = frozen_now + datetime.timedelta(days=7)
    assert next_session.refresh_all(now=in_a_week) == 1  # only `soon` changed
    assert next_start(soon) == f.at(20)
    assert next_start(later) == f.at(50)
    assert next_start(on_request) is None
    assert next_session.refresh([], now=in_a_week) == 0


def test_generate_catalogue_fills_the_column(db, frozen_now):
    f.home_page()
    with open("/dev/null", "w") as quiet:
        call_command("generate_catalogue", trainings=12, sessions=3, seed=3, stdout=quiet)
    synthetic = TrainingPage.objects.filter(slug__startswith="synth-")
    assert synthetic.count() == 12
    for page in synthetic:
        upcoming = [
            s.start for s in page.sessions.all() if s.status == "scheduled" and s.end >= frozen_now
        ]
        assert next_start(page) == (min(upcoming) if upcoming else None)
    assert synthetic.filter(next_session_start__isnull=False).exists()


def test_the_catalogue_stays_exact_between_two_refreshes(client, frozen_now):
    """The worker may be minutes late: a session under way still counts as upcoming, one
    that ended no longer does, whatever the column still says."""
    cat = f.catalogue()
    today_only = f.training(cat, "Atelier d'un jour", sessions=[f.session(1, hours=3)])
    two_dates = f.training(cat, "Deux dates", sessions=[f.session(1, hours=1), f.session(9)])
    f.training(cat, "Au milieu", sessions=[f.session(5)])
    assert titles(client, cat.url) == ["Atelier d'un jour", "Deux dates", "Au milieu"]
    tomorrow = f.at(1)
    # Two hours into tomorrow's sessions: the one-hour session ended, the three-hour one not.
    with time_machine.travel(tomorrow + datetime.timedelta(hours=2), tick=False):
        assert next_start(two_dates) == tomorrow  # stale: no refresh ran
        assert titles(client, cat.url) == ["Atelier d'un jour", "Au milieu", "Deux dates"]
    with time_machine.travel(tomorrow + datetime.timedelta(hours=4), tick=False):
        html = client.get(cat.url).content.decode()
        assert titles(client, cat.url) == ["Au milieu", "Deux dates"]
        assert "1 autre formation est offerte sur demande." in html
        assert next_start(today_only) == tomorrow  # still stale, and never shown as upcoming


# -- how the catalogue queries -------------------------------------------------------------


def catalogue_queries(client, url, **params):
    client.get(url, params)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [query["sql"] for query in captured]


@pytest.fixture
def catalogue(frozen_now):
    cat = f.catalogue()
    theme = f.theme("Repérage", "Identification", "reperage")
    for number in range(6):
        f.training(
            cat,
            f"Exploitation et repérage {number}",
            themes=[theme],
            sessions=[f.session(5 + number, format="online", region="", city="")],
        )
    f.training(cat, "Sur demande", sessions=[f.session(-20)])
    return cat


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2"},
        {"theme": "reperage", "format": "online"},
        {"q": "exploitation", "sort": "date"},
        {"q": "exploitation", "theme": "reperage", "format": "online"},
        {"period": "all", "sort": "title"},
    ],
)
def test_one_count_per_page(client, catalogue, params):
    """The results and the trainings on request are counted together (with a search, the
    ranked list is counted in Python and the trainings on request alone)."""
    queries = catalogue_queries(client, catalogue.url, **params)
    counts = [sql for sql in queries if sql.startswith("SELECT COUNT(")]
    assert len(counts) == 1


def test_the_counts_are_right(client, catalogue):
    html = client.get(catalogue.url, {"theme": "reperage", "format": "online"}).content.decode()
    assert "6 formations" in html
    assert "1 autre formation est offerte sur demande." in html
    html = client.get(catalogue.url, {"q": "exploitation"}).content.decode()
    assert "6 formations" in html
    assert "1 autre formation est offerte sur demande." in html
    html = client.get(catalogue.url, {"period": "all"}).content.decode()
    assert "7 formations" in html and "offerte sur demande" not in html


def test_the_ranking_reads_ids_not_pages(rf, catalogue):
    request = rf.get(catalogue.url)
    form = FilterForm(request.GET)
    query = CatalogueQuery(catalogue, form, request=request)
    visible = query.visible_trainings()  # (asks whether any page privacy refuses the visitor)
    with CaptureQueriesContext(connection) as captured:
        ranking = query.search_ranking("exploitation", visible)
    assert len(ranking) == 6 and all(isinstance(pk, int) for pk in ranking)
    (sql,) = [q["sql"] for q in captured]
    selected = sql.split(" FROM ", 1)[0]
    assert "page_ptr_id" in selected
    for column in ("title", "summary", "description", "path"):
        assert f'."{column}"' not in selected


def test_a_search_ranks_only_the_trainings_that_pass_the_filters(client, catalogue, monkeypatch):
    """More hits than the ranking keeps, most of them filtered out: the ranking is made among
    the trainings that pass the filters, so none of those is lost to the others."""
    from catalogue import listing

    other = f.theme("Autre", "Other", "autre")
    for number in range(4):
        f.training(
            catalogue, f"Exploitation ailleurs {number}", themes=[other], sessions=[f.session(3)]
        )
    monkeypatch.setattr(listing, "MAX_SEARCH_HITS", 5)
    found = titles(client, catalogue.url, q="exploitation", theme="reperage")
    assert len(found) == 5 and all(title.startswith("Exploitation et") for title in found)


def explain_json(queryset):
    plan = queryset.explain(format="json", analyze=True)
    return json.loads(plan) if isinstance(plan, str) else plan


def plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


@pytest.mark.postgres
def test_default_view_and_sort_read_the_column(catalogue, postgres_only, rf):
    """EXPLAIN ANALYZE of the default list: the sessions are never read once per training (the
    per-row subqueries of before); with every next session still to come, not at all."""
    request = rf.get(catalogue.url)
    query = CatalogueQuery(catalogue, FilterForm(request.GET), request=request)
    for queryset in (query.results(), query.visible_trainings().filter(*query.conditions())):
        assert "next_session_start" in str(queryset.query)
        (root,) = explain_json(queryset)
        session_scans = [
            node
            for node in plan_nodes(root["Plan"])
            if node.get("Relation Name") == TrainingSession._meta.db_table
        ]
        assert session_scans, "the exact fallback is in the plan"
        assert all(node["Actual Loops"] == 0 for node in session_scans)


@pytest.mark.postgres
def test_the_search_uses_the_full_text_index(postgres_only, rf, frozen_now):
    """The catalogue's own search query, through EXPLAIN, on a catalogue of a few hundred
    trainings (with fresh statistics, as autovacuum keeps them): a rare word is found through
    the GIN index of migration catalogue 0003, which matches its `title || body` condition."""
    f.home_page()
    with open("/dev/null", "w") as quiet:
        call_command("generate_catalogue", trainings=400, sessions=1, seed=5, stdout=quiet)
    cat = CatalogueIndexPage.objects.get(slug="formations")
    f.training(cat, "Atelier sur la cybertraite", sessions=[f.session(12)])
    with connection.cursor() as cursor:
        # What autovacuum does in production: fresh statistics, and the entries just added
        # moved from the GIN index's pending list into the index proper.
        cursor.execute("ANALYZE")
        cursor.execute(f"SELECT gin_clean_pending_list('{SEARCH_INDEX}'::regclass)")
    request = rf.get(cat.url)
    query = CatalogueQuery(cat, FilterForm(request.GET), request=request)
    searched = query.search_queryset("cybertraite", query.filtered)
    plan = searched.explain()
    assert SEARCH_INDEX in plan, plan
    assert list(searched) == [TrainingPage.objects.get(title="Atelier sur la cybertraite").pk]


# -- the organisation directory ------------------------------------------------------------


@pytest.fixture
def directory(db):
    page = OrganisationDirectoryPage(title="Répertoire", slug="repertoire")
    f.home_page().add_child(instance=page)
    return page


def test_the_directory_does_not_grow_with_the_trainings(client, directory, frozen_now):
    cat = f.catalogue()
    busy = f.organisation("Maison Affairée")
    quiet = f.organisation("Maison Tranquille")
    f.training(cat, "Formation tranquille", provider=quiet)
    limit = OrganisationDirectoryPage.TRAININGS_PER_ORGANISATION

    def directory_page():
        client.get(directory.url)  # warm the caches (site, locales) first
        with CaptureQueriesContext(connection) as captured:
            response = client.get(directory.url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    for number in range(limit + 1):
        f.training(cat, f"Formation affairée {number:02}", provider=busy)
    queries_small, small = directory_page()
    for number in range(limit + 1, 3 * limit):
        f.training(cat, f"Formation affairée {number:02}", provider=busy)
    queries_large, large = directory_page()

    assert queries_large == queries_small <= 20
    assert large.count("Formation affairée") == small.count("Formation affairée") == limit
    assert abs(len(large) - len(small)) < 20  # only the count in the link changes
    assert "Formation affairée 00" in large  # the first ones by title
    assert f"Voir ses {3 * limit} formations dans le catalogue" in large
    link = f"{cat.url}?provider={busy.pk}&amp;period=all"
    assert link in large
    assert "Formation tranquille" in large
    assert f"?provider={quiet.pk}" not in large  # all of its trainings are already listed
    # The link leads to all of that organisation's trainings.
    response = client.get(link.replace("&amp;", "&"))
    assert f"{3 * limit} formations" in response.content.decode()
