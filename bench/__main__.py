"""`make bench`: how fast the site is, measured side by side in one run (issue 11).

    make bench                                   # everything, at 5,000 trainings
    make bench BENCH_ARGS="--quick"              # a smoke run: small numbers, 1 s per HTTP run
    make bench BENCH_ARGS="--skip-http --trainings 2000"
    DATABASE_URL=postgres://… .venv/bin/python -m bench [options]  # settings: cqctp.settings.bench

Three parts, each printing its figures with the issue's targets beside them, then a summary
of every Done-when figure, its target and its verdict (met, NOT met, n/a):

1. HTTP under gunicorn (bench/web.py): two servers of 2 workers each, started by the bench on
   free ports (--port N: N and N+1) with the bench settings (site/settings/bench.py: the
   production settings, whitenoise, DEBUG off) and site/gunicorn.conf.py when it exists; static
   files collected into a temporary STATIC_ROOT, the cache in a temporary CACHE_DIR (a file
   cache, production's default on one machine; REDIS_URL is ignored: the bench clears its
   cache). The first server has the anonymous page cache (warmed before measuring), the second
   PAGE_CACHE_SECONDS=0 and renders every page (what a signed-in member always gets: the
   parts shared by every visitor, the header, a training page's sessions, the catalogue's
   pages of results per audience and its cards, still come from the cache, as they do for
   members; home/fragments.py). A third server keeps nothing of the catalogue either
   (CATALOGUE_SHARED=0): its catalogue line shows what the first visitor of an address
   costs. 8 keep-alive connections for --duration seconds per run: requests/s, p50, p99 and
   errors of a static CSS file and of the home page, a campaign (else a standard) page, the
   catalogue and a training page, cached and uncached, each as a ratio to the static file's
   rate. Load from wrk when installed (apt-get install wrk), else from the Python generator of
   bench/load.py (--load-generator chooses).
2. The catalogue at --trainings trainings, in process (bench/catalogue.py): median, p95,
   queries, bytes and status of the catalogue (plain, searched, filtered, searched + 2 filters,
   page 5), the home page, a training page with 10 sessions, the organisation directory and
   the iCal feed, the page cache off and the catalogue's pages of results built every time.
3. The enrolment burst (bench/enrolment.py): --people at once into one session of --capacity
   seats through trainings.services.enrol, drained by a pool of --pool threads, each with its
   own connection: enrolments per second, and whether the outcome is exact.

The database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/cqctp_bench) is created
if missing, migrated, given the demo content and synthetic trainings up to --trainings; they
stay between runs (`manage.py generate_catalogue --clear` with these settings starts over).

A measuring tool, not a test: it asserts nothing and never fails on a slow page or an error; it
reports them. Every figure depends on the machine and what else runs on it (the load average is
printed): compare the ratios of one run, not absolute figures between machines.
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqctp.settings.bench")

import django  # noqa: E402

from .report import INFORMATION, Summary  # noqa: E402

REPOSITORY = Path(__file__).resolve().parent.parent
QUICK = {"repeat": 3, "duration": 1, "warmup": 0, "people": 40, "capacity": 8, "pool": 10}
FULL = {"repeat": 30, "duration": 10, "warmup": 2, "people": 200, "capacity": 20, "pool": 40}


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.split("\n")[0],
        epilog="Defaults in brackets are for a full run; --quick: "
        + ", ".join(f"--{k} {v:g}" for k, v in QUICK.items()),
    )
    parser.add_argument("--trainings", type=int, default=5000, help="synthetic trainings [5000]")
    parser.add_argument("--sessions", type=int, default=3, help="sessions per training [3]")
    parser.add_argument("--quick", action="store_true", help="small numbers, for a smoke run")
    parser.add_argument("--duration", type=int, help="seconds per HTTP run [10]")
    parser.add_argument("--warmup", type=int, help="seconds of load before each HTTP run [2]")
    parser.add_argument("--repeat", type=int, help="measured requests per in-process page [30]")
    parser.add_argument("--people", type=int, help="people enrolling at once [200]")
    parser.add_argument("--capacity", type=int, help="seats of that session [20]")
    parser.add_argument("--pool", type=int, help="threads (connections) enrolling them [40]")
    parser.add_argument("--skip-http", action="store_true", help="no part 1 (gunicorn)")
    parser.add_argument("--skip-catalogue", action="store_true", help="no part 2 (in process)")
    parser.add_argument("--skip-enrolment", action="store_true", help="no part 3 (the burst)")
    parser.add_argument(
        "--load-generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="auto: wrk when installed, else bench/load.py [auto]",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="the cached server's port, +1 the other's [free]"
    )
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        help="PAGE_CACHE_SECONDS of the cached server [the settings' value]",
    )
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.repeat < 1 or args.trainings < 0 or args.sessions < 0:
        parser.error("--repeat must be at least 1; --trainings and --sessions not negative")
    if args.duration < 1:
        parser.error("--duration: at least 1 (whole seconds, as wrk takes them)")
    if args.people < 1 or args.capacity < 0 or args.pool < 1 or args.warmup < 0:
        parser.error("--people and --pool at least 1; --capacity and --warmup not negative")
    return args


# -- setup ---------------------------------------------------------------------------------------


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


def collect_static():
    """Static files into the run's STATIC_ROOT, hashed and compressed, as a deployment does."""
    from django.conf import settings
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(
        f"Static files collected into {settings.STATIC_ROOT} "
        f"({time.perf_counter() - started:.1f} s)."
    )


# -- report --------------------------------------------------------------------------------------


def source_version():
    """The commit measured, and whether the working tree differs from it (read-only git)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"{commit}" + (f" with {len(changed)} changed files" if changed else "")


def load_average():
    try:
        return " / ".join(f"{n:.2f}" for n in os.getloadavg())
    except OSError:
        return "unknown"


def print_environment():
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from trainings.models import TrainingPage, TrainingSession

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SHOW max_connections")
            version += f", max_connections {cursor.fetchone()[0]}"
        else:
            version = connection.vendor
    trainings = TrainingPage.objects.count()
    synthetic = TrainingPage.objects.filter(slug__startswith="synth-").count()
    sessions = TrainingSession.objects.count()
    upcoming = TrainingSession.objects.filter(end__gte=timezone.now()).count()
    cache = settings.CACHES["default"]
    print()
    print(f"Source: {source_version()}; settings {os.environ['DJANGO_SETTINGS_MODULE']}")
    print(
        f"Machine: {os.cpu_count()} CPUs, load average {load_average()} (1/5/15 min) at the "
        f"start; Python {platform.python_version()}. Other work on the machine lowers every "
        "figure: compare the ratios of one run."
    )
    print(f"Database: {version}, name {connection.settings_dict['NAME']}")
    print(
        f"Trainings: {trainings} ({synthetic} synthetic); "
        f"sessions: {sessions} ({upcoming} upcoming)"
    )
    print(
        f"Cache: {cache['BACKEND'].rsplit('.', 1)[-1]} {cache.get('LOCATION', '')}; "
        f"PAGE_CACHE_SECONDS {getattr(settings, 'PAGE_CACHE_SECONDS', 'unset')}; "
        f"CONN_MAX_AGE {settings.DATABASES['default'].get('CONN_MAX_AGE')}"
    )
    return trainings


def expect_figures(summary, people, capacity):
    """Every Done-when figure of issue 11, in its order, before anything is measured."""
    cached = "≥ 0.8 × static, p99 < 10 ms"
    summary.expect("http cached home", "home page, cached (HTTP)", cached)
    summary.expect("http cached content", "campaign/standard page, cached (HTTP)", cached)
    summary.expect("http cached catalogue", "catalogue, cached (HTTP)", cached)
    summary.expect("http cached training", "training page, cached (HTTP)", cached)
    summary.expect("http uncached training", "training page, uncached (HTTP)", "≥ 0.055 × static")
    summary.expect("http uncached catalogue", "catalogue, uncached (HTTP)", "≥ 0.03 × static")
    summary.expect("http nothing-kept catalogue", "catalogue, nothing kept (HTTP)", INFORMATION)
    summary.expect(
        "catalogue searched filtered",
        "catalogue searched + 2 filters at 5,000 (in process)",
        "p95 < 50 ms",
    )
    summary.expect(
        "directory", "organisation directory at 5,000 (in process)", "p95 < 100 ms, < 100 KB"
    )
    summary.expect(
        "enrolment",
        f"{people} enrolments at once, {capacity} seats",
        "≥ 100/s at 200; 20 confirmed, 180 waiting in order, 0 errors",
    )
    summary.expect("queries home", "queries, home page uncached (item 2)", "≤ 10")
    summary.expect("queries catalogue", "queries, catalogue uncached (item 2)", "≤ 15")
    summary.expect(
        "queries training, 10 sessions", "queries, training page uncached (item 2)", "≤ 12"
    )


def main(argv=None):
    args = parse_args(argv)
    began = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="cqctp-bench-"))
    # Read by the settings at import: the run's own static files and cache, shared by this
    # process and the servers it starts, deleted at the end.
    os.environ["STATIC_ROOT"] = str(workdir / "static")
    os.environ["CACHE_DIR"] = str(workdir / "cache")
    os.environ.pop("REDIS_URL", None)
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nBench finished in {time.perf_counter() - began:.0f} s.")


def run(args, workdir):
    from . import catalogue, enrolment, load, web

    django.setup()
    started = time.perf_counter()
    ensure_database()
    prepare_content(args.trainings, args.sessions)
    if not (args.skip_http and args.skip_catalogue):
        collect_static()
    print(f"Setup took {time.perf_counter() - started:.0f} s.")
    generator = None if args.skip_http else load.choose(args.load_generator)
    trainings = print_environment()
    summary = Summary()
    expect_figures(summary, args.people, args.capacity)
    training = catalogue.long_training()
    if not args.skip_http:
        started = time.perf_counter()
        try:
            web.run_http(args, generator, workdir, training, summary)
        except RuntimeError as error:  # a server that would not start: reported, run goes on
            print(f"HTTP part stopped: {error}")
        print(f"(part 1 took {time.perf_counter() - started:.0f} s)")
    if not args.skip_catalogue:
        started = time.perf_counter()
        catalogue.run_catalogue(args, training, summary)
        print(f"(part 2 took {time.perf_counter() - started:.0f} s)")
    if not args.skip_enrolment:
        started = time.perf_counter()
        enrolment.run_enrolment(args, summary)
        print(f"(part 3 took {time.perf_counter() - started:.0f} s)")
    print()
    print(f"== Summary: issue 11's Done-when figures ({trainings} trainings) ==")
    for line in summary.lines():
        print(line)
    print(
        f"Load average at the end: {load_average()}. n/a: not measured in this run (skipped), "
        "or not at the scale the target is set at (5,000 trainings, 200 people)."
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
