import datetime
import os
import shutil
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

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


@pytest.fixture
def demo(db):
    """The demo content, as `make run` loads it."""
    call_command("load_demo", stdout=open("/dev/null", "w"))


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
