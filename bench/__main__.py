"""Response times and SQL query counts of the catalogue, on PostgreSQL, with a synthetic catalogue.

    DJANGO_SETTINGS_MODULE=cqctp.settings.bench python -m bench [--trainings 2000] [--sessions 3]
                                                               [--repeat 30]

or `make bench BENCH_ARGS="--trainings 200 --repeat 5"`. The database (DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/cqctp_bench) is created if missing, migrated, given the demo
content and filled with synthetic trainings (manage.py generate_catalogue) up to --trainings.
Each scenario is requested 3 times to warm up, then --repeat times through django.test.Client
(in process: no web server, no network); the table shows the median and 95th percentile times,
the SQL queries of one request, the size of the response and its status code.

This is a measuring tool, not a test: it asserts nothing and never fails on a slow page or an
error status (it reports them).
"""

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqctp.settings.bench")

import django  # noqa: E402

WARMUPS = 3


@dataclass
class Scenario:
    """One thing to measure: `run(client)` makes one request and returns the response."""

    name: str
    target: str  # what is requested, for the report
    run: Callable


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


# -- setup ---------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--trainings", type=int, default=2000, help="synthetic trainings (2000)")
    parser.add_argument("--sessions", type=int, default=3, help="sessions per training (3)")
    parser.add_argument("--repeat", type=int, default=30, help="measured requests per page (30)")
    parser.add_argument("--people", type=int, default=100, help="concurrent enrolments (100)")
    parser.add_argument("--capacity", type=int, default=20, help="seats of that session (20)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.trainings < 0 or args.sessions < 0:
        parser.error("--repeat must be at least 1; --trainings and --sessions not negative")
    return args


def ensure_database():
    """Create the PostgreSQL database if it does not exist (through the maintenance database)."""
    import psycopg
    from django.conf import settings
    from psycopg import sql

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        print(f"Database engine {db['ENGINE']}: not PostgreSQL, no database created.")
        return
    params = {
        "dbname": "postgres",
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"Created the database {db['NAME']}.")


def prepare_content(trainings, sessions):
    """Migrations, demo content, and synthetic trainings up to `trainings`."""
    from django.core.management import call_command

    from home.models import HomePage
    from trainings.models import TrainingPage

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"Migrations applied ({time.perf_counter() - started:.1f} s).")
    if not HomePage.objects.filter(depth=2, locale__language_code="fr-ca").exists():
        call_command("load_demo")
    existing = TrainingPage.objects.filter(slug__startswith="synth-").count()
    if existing < trainings:
        call_command(
            "generate_catalogue", trainings=trainings - existing, sessions=sessions, seed=1
        )
    elif existing > trainings:
        print(
            f"Note: {existing} synthetic trainings already exist (more than --trainings "
            f"{trainings}); measuring with all of them. `manage.py generate_catalogue --clear` "
            "(with DJANGO_SETTINGS_MODULE=cqctp.settings.bench) starts over."
        )
    analyze()


def analyze():
    """Fresh planner statistics, as autovacuum keeps them in production: after bulk inserts,
    stale ones make PostgreSQL choose plans tens of times slower, and the bench would measure
    that instead of the pages."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# -- scenarios -----------------------------------------------------------------------------------


def get(url):
    return lambda client: client.get(url)


def catalogue_scenarios():
    """The catalogue list (plain, searched, filtered, page 5), one training page, the iCal feed."""
    from django.db.models import Count

    from catalogue.models import CatalogueIndexPage
    from trainings.models import TrainingPage, Visibility

    index = CatalogueIndexPage.objects.live().filter(locale__language_code="fr-ca").first()
    if index is None:
        print("No live French catalogue page: catalogue scenarios skipped.")
        return []
    url = index.get_url()
    ThemeLink = TrainingPage.themes.through
    most_used = (  # the theme of most synthetic trainings, so that the filter finds some
        ThemeLink.objects.filter(trainingpage__slug__startswith="synth-")
        .values("theme__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "theme__slug")
        .first()
    )
    theme = most_used["theme__slug"] if most_used else ""
    filtered = f"{url}?theme={theme}&format=online&free=on"
    scenarios = [
        Scenario("catalogue", url, get(url)),
        Scenario("catalogue searched", f"{url}?q=exploitation", get(f"{url}?q=exploitation")),
        Scenario("catalogue filtered", filtered, get(filtered)),
        Scenario("catalogue page 5", f"{url}?page=5", get(f"{url}?page=5")),
    ]
    training = (
        TrainingPage.objects.live()
        .filter(slug__startswith="synth-", visibility=Visibility.PUBLIC)
        .annotate(n=Count("sessions"))
        .filter(n=10)
        .order_by("path")
        .first()
    )
    if training is None:
        print(
            "No public synthetic training with 10 sessions (generate_catalogue gives one to "
            "synth-00001): training page skipped; `generate_catalogue --clear` starts over."
        )
    else:
        training_url = training.get_url()
        scenarios.append(Scenario("training, 10 sessions", training_url, get(training_url)))
    ical = calendar_url(url)
    scenarios.append(Scenario("catalogue iCal feed", ical, get(ical)))
    scenarios.append(Scenario("iCal feed, uncached", ical, uncached(ical)))
    return scenarios


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


SCENARIO_BUILDERS = [catalogue_scenarios]


# -- measuring -----------------------------------------------------------------------------------


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
        for _ in range(WARMUPS):
            scenario.run(client)
        for _ in range(repeat):
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


# -- report --------------------------------------------------------------------------------------


def print_environment():
    from django.db import connection
    from django.utils import timezone

    from trainings.models import TrainingPage, TrainingSession

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            version = connection.vendor
    trainings = TrainingPage.objects.count()
    synthetic = TrainingPage.objects.filter(slug__startswith="synth-").count()
    sessions = TrainingSession.objects.count()
    upcoming = TrainingSession.objects.filter(end__gte=timezone.now()).count()
    print()
    print(f"Database: {connection.vendor} ({version}), name {connection.settings_dict['NAME']}")
    print(
        f"Trainings: {trainings} ({synthetic} synthetic); "
        f"sessions: {sessions} ({upcoming} upcoming)"
    )


def print_table(results, repeat):
    headers = ["page", "median ms", "p95 ms", "queries", "bytes", "status"]
    rows = [
        [
            r.scenario.name,
            f"{r.median:.1f}",
            f"{r.p95:.1f}",
            r.query_label,
            str(r.size),
            str(r.status),
        ]
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]

    def line(cells):
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    print()
    print(f"{repeat} measured requests per page after {WARMUPS} warm-ups (django.test.Client)")
    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))
    print()
    for r in results:
        print(f"  {r.scenario.name}: {r.scenario.target}")
        if r.error:
            print(f"    error: {r.error}")


# -- enrolment under concurrency ---------------------------------------------------------------


def enrolment_run(people, capacity):
    """`people` threads enrol at once in one new session of `capacity` seats, through the same
    service as the site (trainings.services.enrol). Prints the time and checks the capacity."""
    import datetime
    import threading

    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.utils import timezone

    from trainings import services
    from trainings.models import Enrolment, TrainingPage, TrainingSession

    page = TrainingPage.objects.filter(slug__startswith="synth-").order_by("path").first()
    if page is None:
        print("No synthetic training: enrolment run skipped.")
        return
    start = timezone.now() + datetime.timedelta(days=30)
    session = TrainingSession.objects.create(
        page=page,
        start=start,
        end=start + datetime.timedelta(hours=3),
        capacity=capacity,
        region="06",
        city="Montréal",
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"bench-{session.pk}-{n}", email=f"bench-{session.pk}-{n}@example.org")
            for n in range(people)
        ]
    )
    barrier = threading.Barrier(people)
    latencies, errors = [], []

    def attempt(user):
        try:
            barrier.wait()
            began = time.perf_counter()
            services.enrol(user, session, consent=True)
            latencies.append((time.perf_counter() - began) * 1000)
        except Exception as error:  # counted and reported
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    # Each thread opens its own connection: the main thread's goes back first, so that 100
    # people fit in PostgreSQL's default max_connections (100).
    connections.close_all()
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began

    statuses = list(
        Enrolment.objects.filter(session=session)
        .order_by("created", "pk")
        .values_list("status", flat=True)
    )
    confirmed = statuses.count("confirmed")
    in_order = statuses == ["confirmed"] * confirmed + ["waiting"] * (len(statuses) - confirmed)
    held = confirmed == capacity and len(statuses) == people and not errors and in_order
    latencies.sort()
    print()
    print(f"Enrolment: {people} people at once, one session of {capacity} seats")
    print(
        f"  total {elapsed * 1000:.0f} ms; per enrolment median "
        f"{statistics.median(latencies):.1f} ms, p95 "
        f"{latencies[max(0, int(len(latencies) * 0.95) - 1)]:.1f} ms"
    )
    print(
        f"  confirmed {confirmed}, waiting {statuses.count('waiting')}, errors {len(errors)}; "
        f"capacity held: {'yes' if held else 'NO'}"
    )
    for error in errors[:3]:
        print(f"    {error}")
    Enrolment.objects.filter(session=session).delete()
    from trainings.models import OutboxEmail

    OutboxEmail.objects.filter(to__startswith=f"bench-{session.pk}-").delete()
    session.delete()
    User.objects.filter(pk__in=[u.pk for u in users]).delete()
    if not held:
        raise SystemExit("The capacity did not hold under concurrency.")


def main(argv=None):
    args = parse_args(argv)
    django.setup()
    ensure_database()
    prepare_content(args.trainings, args.sessions)

    from django.test import Client

    client = Client(raise_request_exception=False)  # report error statuses, keep going
    scenarios = [scenario for build in SCENARIO_BUILDERS for scenario in build()]
    results = [measure(client, scenario, args.repeat) for scenario in scenarios]
    print_environment()
    print_table(results, args.repeat)
    enrolment_run(args.people, args.capacity)


if __name__ == "__main__":
    main()
