"""Part 2: the catalogue at scale, in process (django.test.Client: no server, no network).

Each scenario is requested 3 times to warm up, then --repeat times; the table shows the median
and 95th percentile times, the SQL queries of one request, the size of the response (not
compressed) and its status. Pages are rendered with the anonymous page cache off
(PAGE_CACHE_SECONDS=0, as the query-budget tests do) and the catalogue's pages of results
built every time (CATALOGUE_SHARED_RESULTS off): this part measures building them. The result
cards are kept, as for any visitor after the first who saw them, except on the line
"cards not kept", which the target is judged on: everything comes from the database.
"""

import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .report import table

WARMUPS = 3
SEARCH_TERM = "exploitation"
NOTHING_KEPT = "catalogue searched + 2 filters, cards not kept"
SEARCHED_FILTERED_P95_MS = 50
DIRECTORY_P95_MS = 100
DIRECTORY_BYTES = 100_000
QUERY_BUDGETS = {"home": 10, "catalogue": 15, "training, 10 sessions": 12}
SCALE = 5000  # the number of trainings issue 11's targets are set at


@dataclass
class Scenario:
    """One thing to measure: `run(client)` makes one request and returns the response."""

    name: str
    target: str  # what is requested, for the report
    run: Callable
    warmups: int = WARMUPS
    most: int | None = None  # at most this many measured requests (a slow, known case)


@dataclass
class Result:
    scenario: Scenario
    times_ms: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    size: int = 0
    status: int = 0
    error: str = ""

    @property
    def median(self):
        return statistics.median(self.times_ms)

    @property
    def p95(self):
        ordered = sorted(self.times_ms)  # nearest rank
        return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]

    @property
    def query_label(self):
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"


def long_training():
    """The public synthetic training with 10 sessions (generate_catalogue gives them to
    synth-00001), the training page of both the HTTP runs and this table; None without."""
    from django.db.models import Count

    from trainings.models import TrainingPage, Visibility

    return (
        TrainingPage.objects.live()
        .filter(slug__startswith="synth-", visibility=Visibility.PUBLIC)
        .annotate(n=Count("sessions"))
        .filter(n=10)
        .order_by("path")
        .first()
    )


def get(url):
    return lambda client: client.get(url)


def nothing_kept(url):
    """Neither the page of results nor its cards kept: everything from the database."""

    def run(client):
        from django.test import override_settings

        with override_settings(CATALOGUE_SHARED_CARDS=False):
            return client.get(url)

    return run


def uncached(url):
    """The feed is cached for a few minutes: this measures building it."""

    def run(client):
        from django.core.cache import cache

        cache.clear()
        return client.get(url)

    return run


def calendar_url(catalogue_url):
    """The catalogue's iCal feed: the named URL when there is one, else a route of the page."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    try:
        with translation.override("fr-ca"):
            return reverse("catalogue_calendar")
    except NoReverseMatch:
        return f"{catalogue_url}calendrier.ics"


def most_used_theme():
    """The theme of most synthetic trainings, so that the filter finds some."""
    from django.db.models import Count

    from trainings.models import TrainingPage

    links = TrainingPage.themes.through
    most_used = (
        links.objects.filter(trainingpage__slug__startswith="synth-")
        .values("theme__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "theme__slug")
        .first()
    )
    return most_used["theme__slug"] if most_used else ""


def scenarios(training):
    """The home page, the catalogue (plain, searched, filtered, searched with two filters,
    page 5), one training page, the organisation directory, the iCal feed."""
    from catalogue.models import CatalogueIndexPage, OrganisationDirectoryPage
    from home.models import HomePage

    found = []
    home = HomePage.objects.live().filter(locale__language_code="fr-ca").first()
    if home is not None:
        found.append(Scenario("home", home.url, get(home.url)))
    index = CatalogueIndexPage.objects.live().filter(locale__language_code="fr-ca").first()
    if index is None:
        print("No live French catalogue page: catalogue scenarios skipped.")
        return found
    url = index.url
    theme = most_used_theme()
    filtered = f"{url}?theme={theme}&format=online&free=on"
    searched_filtered = f"{url}?q={SEARCH_TERM}&theme={theme}&format=online"
    found += [
        Scenario("catalogue", url, get(url)),
        Scenario("catalogue searched", f"{url}?q={SEARCH_TERM}", get(f"{url}?q={SEARCH_TERM}")),
        Scenario("catalogue filtered", filtered, get(filtered)),
        Scenario("catalogue searched + 2 filters", searched_filtered, get(searched_filtered)),
        Scenario(NOTHING_KEPT, searched_filtered, nothing_kept(searched_filtered)),
        Scenario("catalogue page 5", f"{url}?page=5", get(f"{url}?page=5")),
    ]
    if training is None:
        print(
            "No public synthetic training with 10 sessions (generate_catalogue gives one to "
            "synth-00001): training page skipped; `generate_catalogue --clear` starts over."
        )
    else:
        found.append(Scenario("training, 10 sessions", training.url, get(training.url)))
    directory = (
        OrganisationDirectoryPage.objects.live().filter(locale__language_code="fr-ca").first()
    )
    if directory is not None:
        found.append(Scenario("organisation directory", directory.url, get(directory.url)))
    ical = calendar_url(url)
    found.append(Scenario("catalogue iCal feed", ical, get(ical)))
    # Seconds per request at 5,000 trainings: a few are enough, and it warms nothing up.
    found.append(Scenario("iCal feed, uncached", ical, uncached(ical), warmups=0, most=3))
    return found


def measure(client, scenario, repeat):
    from django.core.signals import got_request_exception
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Result(scenario)
    errors = []

    def remember(sender, **kwargs):
        error = sys.exc_info()[1]
        if error is not None:
            errors.append(f"{type(error).__name__}: {str(error)[:120]}")

    got_request_exception.connect(remember, weak=False)
    try:
        for _ in range(scenario.warmups):
            scenario.run(client)
        for _ in range(min(repeat, scenario.most or repeat)):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = scenario.run(client)
                elapsed = time.perf_counter() - started
            result.times_ms.append(elapsed * 1000)
            result.queries.append(len(queries.captured_queries))
    finally:
        got_request_exception.disconnect(remember)
    if response.streaming:
        result.size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        result.size = len(response.content)
    result.status = response.status_code
    result.error = errors[0] if errors else ""
    return result


def print_results(results, repeat, trainings):
    print(
        f"Up to {repeat} measured requests per page (n) after {WARMUPS} warm-ups "
        f"(django.test.Client, page cache off), {trainings} trainings"
    )
    rows = [
        [
            r.scenario.name,
            len(r.times_ms),
            f"{r.median:.1f}",
            f"{r.p95:.1f}",
            r.query_label,
            r.size,
            r.status,
            target_of(r),
        ]
        for r in results
    ]
    headers = ["page", "n", "median ms", "p95 ms", "queries", "bytes", "status", "target"]
    for line in table(headers, rows):
        print(line)
    print()
    for r in results:
        print(f"  {r.scenario.name}: {r.scenario.target}")
        if r.error:
            print(f"    error: {r.error}")


def target_of(result):
    name = result.scenario.name
    if name == NOTHING_KEPT:
        return f"p95 < {SEARCHED_FILTERED_P95_MS} ms"
    if name == "organisation directory":
        return f"p95 < {DIRECTORY_P95_MS} ms, < {DIRECTORY_BYTES // 1000} KB"
    if name in QUERY_BUDGETS:
        return f"≤ {QUERY_BUDGETS[name]} queries"
    return ""


def at_scale(trainings, met):
    """A target set at 5,000 trainings is judged only there (None: n/a below it)."""
    return met if trainings >= SCALE else None


def run_catalogue(args, training, summary):
    """Part 2: the table, and the summary's catalogue and directory lines."""
    from django.test import Client, override_settings

    from trainings.models import TrainingPage

    trainings = TrainingPage.objects.count()
    print()
    print("== 2. The catalogue at scale, in process ==")
    client = Client(raise_request_exception=False)  # report error statuses, keep going
    # The catalogue's pages of results are built every time (they are kept for every visitor
    # of an audience otherwise); its cards are kept, but for the line NOTHING_KEPT.
    with override_settings(PAGE_CACHE_SECONDS=0, CATALOGUE_SHARED_RESULTS=False):
        results = [measure(client, s, args.repeat) for s in scenarios(training)]
    print_results(results, args.repeat, trainings)
    scale = "" if trainings >= SCALE else f" (at {trainings} trainings, not {SCALE})"
    by_name = {r.scenario.name: r for r in results}
    searched = by_name.get(NOTHING_KEPT)
    if searched is not None:
        summary.measured(
            "catalogue searched filtered",
            f"p95 {searched.p95:.1f} ms, status {searched.status}{scale}",
            at_scale(trainings, searched.p95 < SEARCHED_FILTERED_P95_MS and searched.status == 200),
        )
    directory = by_name.get("organisation directory")
    if directory is not None:
        summary.measured(
            "directory",
            f"p95 {directory.p95:.1f} ms, {directory.size / 1000:.0f} KB{scale}",
            at_scale(
                trainings,
                directory.p95 < DIRECTORY_P95_MS
                and directory.size < DIRECTORY_BYTES
                and directory.status == 200,
            ),
        )
    for name, budget in QUERY_BUDGETS.items():
        result = by_name.get(name)
        if result is not None:
            summary.measured(
                f"queries {name}",
                f"{result.query_label} queries",
                max(result.queries) <= budget and result.status == 200,
            )
    return results
