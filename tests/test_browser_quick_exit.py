"""The quick exit in a real browser: the button and Escape ×3 leave without a way Back.

Runs in Debian's Chromium driven by Playwright; skipped (with the reason) where either is missing.
"""

import os

import pytest
from django.core.management import call_command
from wagtail.models import Site

from home.models import SiteSettings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site_with_neutral_destination(live_server):
    call_command("load_demo", stdout=open(os.devnull, "w"))
    neutral = f"{live_server.url}/en/?neutral=1"
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.quick_exit_url = neutral
    site_settings.save()
    return live_server.url, neutral


def visit_home_then_about(page, base):
    page.goto(f"{base}/")
    page.goto(f"{base}/a-propos/")
    assert page.locator("h1").inner_text() == "À propos"


def test_escape_three_times_leaves_and_back_does_not_return(browser, site_with_neutral_destination):
    base, neutral = site_with_neutral_destination
    page = browser.new_page()
    visit_home_then_about(page, base)
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(neutral)
    page.go_back()
    assert page.url == f"{base}/"  # the about page was replaced in the history


def test_two_escapes_do_nothing(browser, site_with_neutral_destination):
    base, _ = site_with_neutral_destination
    page = browser.new_page()
    visit_home_then_about(page, base)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url == f"{base}/a-propos/"


def test_button_is_reachable_by_keyboard_and_leaves(browser, site_with_neutral_destination):
    base, neutral = site_with_neutral_destination
    page = browser.new_page()
    visit_home_then_about(page, base)
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    page.keyboard.press("Enter")
    page.wait_for_url(neutral)
    page.go_back()
    assert page.url == f"{base}/"


def test_without_javascript_the_button_is_a_plain_link(browser, site_with_neutral_destination):
    base, neutral = site_with_neutral_destination
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/a-propos/")
    page.click("#quick-exit")
    page.wait_for_url(neutral)
