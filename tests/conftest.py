import datetime
import os
import shutil
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

# "Now" for every test whose content is relative to today (the demo, the factories' `f.at`):
# a Monday morning in Montréal, so that no run depends on the date, the hour or the season.
FROZEN_NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("America/Montreal"))


@pytest.fixture
def frozen_now():
    """Start the clock at FROZEN_NOW; it keeps ticking, so creation order still holds."""
    with time_machine.travel(FROZEN_NOW, tick=True):
        yield FROZEN_NOW


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files (demo images) go to a folder that disappears after each test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages (the anonymous page cache, on in tests as in production; calendar feeds)
    and freshness stamps must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once per test module in a transaction that is rolled back after the
    module's last test; each test runs in a savepoint inside it, so its changes are undone too.
    Loading it per test cost some 5 s, a quarter of the suite. Loaded on the frozen day (a
    moment before FROZEN_NOW), its uploads in a folder of the module's."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=media),
            time_machine.travel(FROZEN_NOW - datetime.timedelta(minutes=5), tick=True),
        ):
            call_command("load_demo", stdout=open(os.devnull, "w"))
        yield media
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(request, _demo_of_the_module, db, settings):
    """The demo content, as `make run` loads it, on the frozen day: "now" is FROZEN_NOW (the
    clock ticks) for the whole test. Not for tests that commit (a live server, `transactional_db`):
    they load the demo themselves."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        pytest.fail("the demo fixture runs in a transaction: load the demo in the test instead")
    settings.MEDIA_ROOT = _demo_of_the_module
    with time_machine.travel(FROZEN_NOW, tick=True):
        yield


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium driven by Playwright; the test is skipped (with the reason) without."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django must still allow the ORM.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Within each module's run of tests, those on the demo go last: the demo stays loaded from
    the module's first demo test to its end, and the tests before it must see an empty site."""

    def group(item):
        marker = item.get_closest_marker("django_db")
        commits = bool(marker and marker.kwargs.get("transaction")) or bool(
            {"transactional_db", "live_server"} & set(item.fixturenames)
        )
        return getattr(item, "module", None), commits

    runs, ordered = [], []
    for item in items:
        if runs and runs[-1][0] == group(item):
            runs[-1][1].append(item)
        else:
            runs.append((group(item), [item]))
    for _group, run in runs:
        ordered += [item for item in run if "demo" not in item.fixturenames]
        ordered += [item for item in run if "demo" in item.fixturenames]
    items[:] = ordered
