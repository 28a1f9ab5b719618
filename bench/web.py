"""Part 1: requests per second under gunicorn, pages against a static file, cached and not.

Two servers run side by side with the same settings, database and cache, started by the bench:
the first with the anonymous page cache as configured (PAGE_CACHE_SECONDS), the second with
PAGE_CACHE_SECONDS=0, so that it renders every page as a cache miss would (its header and
fragment caches stay warm: that is what a miss costs in production). Runs go one at a time, in
this order: the static file on the first server, then each page cached then uncached, then the
static file on the second server; pages are compared with the mean of the two static runs, so
that a load change on the machine during the run weighs on both sides of the ratio. A third
server keeps nothing of the catalogue either (CATALOGUE_SHARED=0: its pages of results and
cards built every time, as for the first visitor of an address): its catalogue run is shown
after the uncached one, for information, judged on nothing.
"""

import os
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import server as servers
from .load import Load
from .report import table, verdict

CONNECTIONS = 8
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "fr-CA,fr;q=0.9"}  # a browser's, no cookie
CACHED_RATIO, CACHED_P99_MS = 0.8, 10.0
UNCACHED_RATIOS = {"training": 0.055, "catalogue": 0.03}
NOTHING_KEPT = "nothing-kept"


@dataclass
class Target:
    """A path to load and what it is in the report; `key` names it in the summary."""

    key: str
    label: str
    path: str


@dataclass
class Run:
    """One load run on one server."""

    target: Target
    server: str  # "cached" or "uncached"
    load: Load | None = None
    status: int = 0
    size: int = 0
    x_cache: str = ""
    error: str = ""
    ratio: float | None = None
    met: bool | None = None
    goal: str = ""


def path_of(url):
    return urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")


def targets(training):
    """The static file, the home page, a campaign (else a standard page), the catalogue and the
    training page of the in-process table (French, as most visitors)."""
    from django.templatetags.static import static

    from catalogue.models import CatalogueIndexPage
    from home.models import CampaignPage, HomePage, StandardPage

    found = [Target("static", "static", static("css/site.css"))]

    def first_live(model, key, label):
        page = model.objects.live().public().filter(locale__language_code="fr-ca").first()
        if page is not None:
            found.append(Target(key, label, path_of(page.get_url())))
        return page

    first_live(HomePage, "home", "home")
    if first_live(CampaignPage, "content", "campaign") is None:
        first_live(StandardPage, "content", "standard page")
    first_live(CatalogueIndexPage, "catalogue", "catalogue")
    if training is not None:
        found.append(Target("training", "training", path_of(training.get_url())))
    return found


def start_servers(args, workdir, ready_path):
    """The cached server and the uncached one, started together, ready for requests."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PAGE_CACHE_SECONDS", "DJANGO_SETTINGS_MODULE")
    }
    env["DJANGO_SETTINGS_MODULE"] = "cqctp.settings.bench"
    if args.page_cache_seconds is not None:
        env["PAGE_CACHE_SECONDS"] = str(args.page_cache_seconds)
    first_port = args.port or servers.free_port()
    second_port = args.port + 1 if args.port else servers.free_port()
    started = [
        servers.Server("cached", first_port, env, workdir / "gunicorn-cached.log"),
        servers.Server(
            "uncached",
            second_port,
            {**env, "PAGE_CACHE_SECONDS": "0"},
            workdir / "gunicorn-uncached.log",
        ),
        # The catalogue with nothing kept either (its pages of results and cards, kept for
        # every visitor of an audience otherwise): shown beside the others, judged on nothing.
        servers.Server(
            NOTHING_KEPT,
            args.port + 2 if args.port else servers.free_port(),
            {**env, "PAGE_CACHE_SECONDS": "0", "CATALOGUE_SHARED": "0"},
            workdir / "gunicorn-nothing-kept.log",
        ),
    ]
    try:
        for server in started:
            server.start()
        for server in started:
            server.wait_ready(ready_path, HEADERS)
    except BaseException:
        for server in started:
            server.stop()
        raise
    return started


def measure(generator, server, target, kind, *, duration, warmup):
    """Check the answer, warm up, load for `duration` seconds, check the cache again."""
    run = Run(target, kind)
    url = f"http://127.0.0.1:{server.port}{target.path}"
    # Cached: the first request fills the page cache, the second should read it.
    for _ in range(2 if kind == "cached" else 1):
        answer = servers.fetch(server.port, target.path, HEADERS)
    run.status, run.size, run.error = answer.status, answer.size, answer.error
    run.x_cache = answer.x_cache or "none"
    if answer.error:
        return run
    try:
        if warmup > 0:
            generator.run(url, connections=CONNECTIONS, duration=warmup, headers=HEADERS)
        run.load = generator.run(url, connections=CONNECTIONS, duration=duration, headers=HEADERS)
    except (RuntimeError, ValueError, OSError) as error:
        run.error = f"{type(error).__name__}: {str(error)[:300]}"
    if kind == "cached":  # still read from the cache after the load?
        run.x_cache = servers.fetch(server.port, target.path, HEADERS).x_cache or "none"
    return run


def judge(runs):
    """Ratios to the mean static rate, and the targets of issue 11."""
    static = [r.load.rate for r in runs if r.target.key == "static" and r.load]
    static_rate = sum(static) / len(static) if static else 0.0
    for run in runs:
        if run.load is None or not static_rate:
            continue
        run.ratio = run.load.rate / static_rate
        if run.target.key == "static":
            continue
        if run.server == "cached":
            run.goal = f"≥ {CACHED_RATIO} × static, p99 < {CACHED_P99_MS:g} ms"
            run.met = (
                run.ratio >= CACHED_RATIO
                and run.load.p99_ms < CACHED_P99_MS
                and run.load.errors == 0
            )
        elif run.server == "uncached" and run.target.key in UNCACHED_RATIOS:
            goal = UNCACHED_RATIOS[run.target.key]
            run.goal = f"≥ {goal} × static"
            run.met = run.ratio >= goal and run.load.errors == 0
    return static_rate


def run_http(args, generator, workdir, training, summary):
    """Part 1, from starting the servers to the table; fills the summary's HTTP lines."""
    found = targets(training)
    print()
    print("== 1. HTTP under gunicorn ==")
    booting = time.perf_counter()
    started = start_servers(args, workdir, found[0].path)
    print(f"Servers ready in {time.perf_counter() - booting:.1f} s.")
    cached_server, uncached_server, cold_server = started
    runs = []
    try:
        for server in started:
            workers = server.worker_class()
            print(
                f"{server.name} server: 127.0.0.1:{server.port}, {servers.WORKERS} workers "
                f"({workers}), {' '.join(server.command[1:])}"
            )
        static, pages = found[0], found[1:]
        plan = [(cached_server, static, "cached")]
        for page in pages:
            plan += [(cached_server, page, "cached"), (uncached_server, page, "uncached")]
            if page.key == "catalogue":
                plan.append((cold_server, page, NOTHING_KEPT))
        plan.append((uncached_server, static, "uncached"))
        for server, target, kind in plan:
            runs.append(
                measure(
                    generator,
                    server,
                    target,
                    kind,
                    duration=args.duration,
                    warmup=args.warmup,
                )
            )
    finally:
        for server in started:
            server.stop()
    static_rate = judge(runs)
    print_runs(runs, args, generator, static_rate, started)
    fill_summary(runs, summary)
    return runs


def print_runs(runs, args, generator, static_rate, started):
    print(
        f"{CONNECTIONS} keep-alive connections, {args.duration:g} s per run after 1 or 2 single "
        f"requests and {args.warmup:g} s of warm-up load; load generator: "
        f"{generator.describe()}"
    )
    print(
        "Headers: "
        + "; ".join(f"{k}: {v}" for k, v in HEADERS.items())
        + " (no cookie: an anonymous visitor)"
    )
    rows = []
    for run in runs:
        page_cache = (
            "—"
            if run.target.key == "static"
            else {"cached": "on", "uncached": "off", NOTHING_KEPT: "off"}[run.server]
        )
        if run.load is None:
            rows.append(
                [
                    run.target.label,
                    run.server,
                    page_cache,
                    "—",
                    "—",
                    "—",
                    "—",
                    "—",
                    run.x_cache or "—",
                    run.size,
                    run.status,
                    "error",
                ]
            )
            continue
        rows.append(
            [
                run.target.label,
                run.server,
                page_cache,
                f"{run.load.rate:.1f}",
                f"{run.load.p50_ms:.2f}",
                f"{run.load.p99_ms:.2f}",
                run.load.errors,
                f"{run.ratio:.3f}" if run.ratio is not None else "—",
                "—" if run.target.key == "static" else run.x_cache,
                run.size,
                run.status,
                f"{run.goal}: {verdict(run.met)}" if run.goal else "",
            ]
        )
    headers = [
        "page",
        "server",
        "page cache",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "× static",
        "X-Cache",
        "bytes",
        "status",
        "target",
    ]
    print()
    for line in table(headers, rows, left=3):
        print(line)
    print()
    print(f"Static rate: {static_rate:.1f} req/s (mean of the two static runs).")
    seen = set()
    for run in runs:
        if run.target.label not in seen:
            seen.add(run.target.label)
            print(f"  {run.target.label}: {run.target.path}")
        if run.error:
            print(f"    {run.server}: {run.error}")
    if any(server.worker_class() == "sync" for server in started):
        print(
            "  Note: gunicorn's sync workers close each connection after its answer (no "
            "keep-alive): the generator opens a new one for each request, as without a proxy."
        )
    cached = [r for r in runs if r.server == "cached" and r.target.key != "static"]
    if cached and all(r.x_cache.lower() != "hit" for r in cached):
        print(
            "  Note: no cached run answered X-Cache: hit: the anonymous page cache is absent or "
            "off (PAGE_CACHE_SECONDS), so the 'cached' rows measure rendering too."
        )


def fill_summary(runs, summary):
    for run in runs:
        if run.target.key == "static" or run.load is None:
            continue
        key = f"http {run.server} {run.target.key}"
        if key not in summary.figures:
            continue
        summary.measured(
            key,
            f"{run.ratio:.3f} × static, p99 {run.load.p99_ms:.1f} ms, {run.load.errors} errors",
            run.met,
        )
