"""The public pages in a real browser: nothing leaves the site before a click (no font, script,
image or frame from another host), the video loads from its host only once asked, and the first
screen of a phone shows the home page's hero.

Runs in Debian's Chromium driven by Playwright; skipped (with the reason) where either is missing.
"""

import os
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from home.models import CampaignIndexPage, CampaignPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def base(live_server, frozen_now):
    call_command("load_demo", stdout=open(os.devnull, "w"))
    return live_server.url


def public_paths():
    paths = ["/", "/en/"]
    for index in CampaignIndexPage.objects.live().order_by("pk"):
        paths.append(index.url)
    for campaign in CampaignPage.objects.live().order_by("pk"):
        paths.append(campaign.url)
    return paths


def hosts_requested(browser, base, path, viewport):
    """Every host the page asks for while it loads and is scrolled to the bottom (lazy images),
    without a click. Requests to other hosts are recorded, then refused (no network here)."""
    own = urlsplit(base).netloc
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    others = []

    def watch(route):
        host = urlsplit(route.request.url).netloc
        if host == own or route.request.url.startswith("data:"):
            route.continue_()
        else:
            others.append(route.request.url)
            route.abort()

    page.route("**/*", watch)
    response = page.goto(f"{base}{path}", wait_until="networkidle")
    assert response.status == 200, (path, response.status)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    context.close()
    return others


def test_no_request_leaves_the_site_before_a_click(browser, base):
    paths = public_paths()
    assert len(paths) >= 6, paths  # two homes, two indexes, at least two campaigns
    for viewport in (PHONE, DESKTOP):
        for path in paths:
            assert hosts_requested(browser, base, path, viewport) == [], (path, viewport)


def test_the_video_loads_from_its_host_only_after_the_click(browser, base):
    campaign = next(
        page
        for page in CampaignPage.objects.live().filter(locale__language_code="fr-ca")
        if any(block.block_type == "video" for block in page.body)
    )
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    video_requests = []

    def watch(route):
        if urlsplit(route.request.url).netloc != urlsplit(base).netloc:
            video_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", watch)
    page.goto(f"{base}{campaign.url}", wait_until="networkidle")
    assert page.locator("iframe").count() == 0
    assert video_requests == []
    trigger = page.locator(".video__play").first
    assert "youtube" in trigger.inner_text().lower() or "vimeo" in trigger.inner_text().lower()
    trigger.click()
    page.wait_for_selector("iframe")
    frame = page.locator("iframe").first
    assert frame.get_attribute("title")
    source = frame.get_attribute("src")
    assert urlsplit(source).netloc in {"www.youtube-nocookie.com", "player.vimeo.com"}, source
    context.close()


def test_the_home_hero_is_on_a_phones_first_screen(browser, base):
    for path in ("/", "/en/"):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{base}{path}")
        heading = page.locator("main h1").first.bounding_box()
        assert heading["y"] + heading["height"] <= PHONE["height"] * 0.6, (path, heading)
        context.close()
