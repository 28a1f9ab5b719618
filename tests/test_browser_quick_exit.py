"""The quick exit in a real browser, as the government design systems set the pattern: the button
or Shift pressed three times blanks the page and leaves without a way Back; Escape does nothing
(it also stops the next page from loading); the button never hides the focused element.

Runs in Debian's Chromium driven by Playwright; skipped (with the reason) where either is missing.
"""

import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
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


def press_shift(page, times):
    for _ in range(times):
        page.keyboard.press("Shift")


def test_shift_three_times_leaves_and_back_does_not_return(browser, site_with_neutral_destination):
    base, neutral = site_with_neutral_destination
    page = browser.new_page()
    visit_home_then_about(page, base)
    press_shift(page, 3)
    page.wait_for_url(neutral)
    page.go_back()
    assert page.url == f"{base}/"  # the about page was replaced in the history


# What the page showed at the moment it was left, kept in sessionStorage (the neutral page of the
# tests is on the same origin, so it can be read there).
RECORD_ON_LEAVING = """
window.addEventListener("pagehide", () => {
    const shown = (selector) => {
        const el = document.querySelector(selector);
        return !!el && el.getClientRects().length > 0;
    };
    const overlay = document.querySelector(".quick-exit-overlay");
    sessionStorage.setItem("leaving", JSON.stringify({
        blanked: document.body.classList.contains("quick-exit-leaving"),
        main: shown("#main"), header: shown(".site-header"), button: shown("#quick-exit"),
        title: document.title, overlay: overlay ? overlay.textContent : null,
    }));
});
"""


def test_the_page_is_blanked_before_leaving(browser, site_with_neutral_destination):
    base, neutral = site_with_neutral_destination
    context = browser.new_context()
    context.add_init_script(RECORD_ON_LEAVING)
    page = context.new_page()
    visit_home_then_about(page, base)
    press_shift(page, 3)
    page.wait_for_url(neutral)
    left = page.evaluate("JSON.parse(sessionStorage.getItem('leaving'))")
    assert left == {
        "blanked": True, "main": False, "header": False, "button": False, "title": "",
        "overlay": "Chargement…",
    }
    context.close()


def test_two_shifts_show_the_count_and_do_nothing_else(browser, site_with_neutral_destination):
    base, _ = site_with_neutral_destination
    page = browser.new_page()
    visit_home_then_about(page, base)
    press_shift(page, 2)
    status = page.locator("[data-quick-exit-status]")
    assert status.get_attribute("role") == "status"
    assert "Maj 2/3" in status.inner_text()
    assert status.is_visible()
    page.wait_for_timeout(300)
    assert page.url == f"{base}/a-propos/"


def test_the_count_starts_again_after_five_seconds(browser, site_with_neutral_destination):
    base, _ = site_with_neutral_destination
    page = browser.new_page()
    page.clock.install()
    visit_home_then_about(page, base)
    press_shift(page, 2)
    page.clock.run_for(5100)
    assert page.locator("[data-quick-exit-status]").inner_text().strip() == ""
    press_shift(page, 1)
    page.wait_for_timeout(300)
    assert page.url == f"{base}/a-propos/"


def test_capitals_and_shift_tab_never_count(browser, site_with_neutral_destination):
    """Typing "ÉÉÉ" in the search box or going back three fields is not a request to leave."""
    base, _ = site_with_neutral_destination
    page = browser.new_page()
    page.goto(f"{base}/formations/")
    page.focus("input[name=q]")
    for _ in range(3):
        page.keyboard.press("Shift+KeyA")
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    page.wait_for_timeout(300)
    assert page.url == f"{base}/formations/"


def test_escape_no_longer_leaves(browser, site_with_neutral_destination):
    base, _ = site_with_neutral_destination
    page = browser.new_page()
    visit_home_then_about(page, base)
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_timeout(500)
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


def test_without_javascript_the_button_is_a_plain_link_and_no_hint(
    browser, site_with_neutral_destination
):
    base, neutral = site_with_neutral_destination
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/a-propos/")
    assert not page.locator("[data-quick-exit-hint]").is_visible()
    page.click("#quick-exit")
    page.wait_for_url(neutral)
    context.close()


def test_the_hint_shows_with_a_mouse_and_on_a_touch_screen_only_once_a_key_is_pressed(
    browser, site_with_neutral_destination
):
    base, _ = site_with_neutral_destination
    desktop = browser.new_page(viewport={"width": 1280, "height": 800})
    desktop.goto(f"{base}/a-propos/")
    assert desktop.locator("[data-quick-exit-hint]").is_visible()

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = phone.new_page()
    page.goto(f"{base}/a-propos/")
    hint = page.locator("[data-quick-exit-hint]")
    assert not hint.is_visible()
    page.keyboard.press("KeyA")  # a keyboard attached to the tablet or phone
    assert hint.get_attribute("hidden") is None
    phone.close()


def test_the_hotline_number_never_breaks_at_320_px(browser, site_with_neutral_destination):
    base, _ = site_with_neutral_destination
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for url in ("/", "/en/"):
        page.goto(f"{base}{url}")
        for link in page.locator(".emergency-notice a[href^='tel:']").all():
            assert link.evaluate("a => a.getClientRects().length") == 1, link.inner_text()


# WCAG 2.4.11 Focus Not Obscured: tab through the whole page, each way. Where the focused element
# and the quick exit overlap, the focused element must be the one on top (the skip link is).
FOCUS_PROBE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    if (el.dataset.probeSeen) return {again: true};
    el.dataset.probeSeen = "1";
    const bar = document.querySelector(".quick-exit");
    if (bar.contains(el)) return {again: false, covered: false};
    const a = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
    const left = Math.max(a.left, b.left), right = Math.min(a.right, b.right);
    const top = Math.max(a.top, b.top), bottom = Math.min(a.bottom, b.bottom);
    let covered = false;
    if (a.width > 0 && a.height > 0 && left < right && top < bottom) {
        const x = (f) => left + (right - left) * f, y = (f) => top + (bottom - top) * f;
        const points = [[x(0.5), y(0.5)], [x(0.2), y(0.2)], [x(0.8), y(0.2)], [x(0.2), y(0.8)],
                        [x(0.8), y(0.8)]];  // inside rounded corners
        covered = points.some(([x, y]) => !el.contains(document.elementFromPoint(x, y)));
    }
    return {again: false, covered: covered, what: el.outerHTML.slice(0, 100),
            rect: [a.top, a.bottom, a.left, a.right], bar: [b.top, b.bottom, b.left, b.right]};
}"""


def assert_focus_never_under_the_quick_exit(page, key):
    visited = 0
    for _ in range(400):
        page.keyboard.press(key)
        found = page.evaluate(FOCUS_PROBE)
        if found is None:
            continue
        if found["again"]:
            break
        visited += 1
        assert not found["covered"], found
    return visited


def signed_in_context(browser, base, viewport):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(email="membre@demo.cqctp.org"))
    context = browser.new_context(viewport=viewport)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )
    return context


@pytest.mark.parametrize(
    "viewport", [{"width": 320, "height": 640}, {"width": 1280, "height": 720}]
)
def test_the_quick_exit_never_covers_the_focused_element(
    browser, site_with_neutral_destination, viewport
):
    from trainings.models import TrainingSession

    base, _ = site_with_neutral_destination
    session = (
        TrainingSession.objects.upcoming()
        .filter(page__locale__language_code="fr-ca", page__visibility="public", capacity__gt=3)
        .exclude(enrolments__user__email="membre@demo.cqctp.org")
        .order_by("start")
        .first()
    )
    context = signed_in_context(browser, base, viewport)
    page = context.new_page()
    for url in (
        "/formations/",
        session.page.url,
        f"/espace-membres/inscription/{session.pk}/",
        "/en/trainings/",
    ):
        for key in ("Tab", "Shift+Tab"):
            page.goto(f"{base}{url}")
            assert page.locator("main form, main").first.is_visible()
            visited = assert_focus_never_under_the_quick_exit(page, key)
            assert visited > 10, (url, key, visited)
            assert page.url.startswith(f"{base}{url}")  # Shift+Tab never counted as Shift
    context.close()


def test_the_focused_skip_link_leaves_the_quick_exit_button_visible_at_320_px(
    browser, site_with_neutral_destination
):
    base, _ = site_with_neutral_destination
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for url in ("/", "/en/"):
        page.goto(f"{base}{url}")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('skip-link')")
        button = page.locator("#quick-exit")
        box = button.bounding_box()
        on_top = page.evaluate(
            """([x, y]) => document.elementFromPoint(x, y)?.closest('#quick-exit') !== null""",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert on_top, url
    page.close()
