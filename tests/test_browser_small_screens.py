"""Small screens in a real browser (Chromium through Playwright): no page scrolls sideways at
320 px, checkboxes sit on the line of their names, session boxes stack."""

import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from trainings.models import TrainingSession

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def base(live_server):
    call_command("load_demo", stdout=open(os.devnull, "w"))
    return live_server.url


def signed_in_page(browser, base, email, width=320):
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    context = browser.new_context(viewport={"width": width, "height": 640})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )
    return context.new_page()


def open_session():
    return (
        TrainingSession.objects.upcoming()
        .filter(page__locale__language_code="fr-ca", page__visibility="public", capacity__gt=3)
        .order_by("start")
        .first()
    )


def test_the_coordinators_enrolment_form_fits_320_px(browser, base):
    page = signed_in_page(browser, base, "coordination@demo.cqctp.org")
    page.goto(f"{base}/espace-membres/inscription/{open_session().pk}/")
    assert page.locator("fieldset legend").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Each colleague's box sits on the line of their name.
    for label in page.locator(".field--choices label").all()[:3]:
        box = label.locator("input").bounding_box()
        text_top = label.evaluate("l => l.getBoundingClientRect().top")
        assert box["y"] - text_top < 12
    # The consent: box and label on one row, help text under them, never beside.
    choice = page.locator(".field--checkbox .field__choice").first.bounding_box()
    help_text = page.locator(".field--checkbox .field__help").first.bounding_box()
    assert help_text["y"] >= choice["y"] + choice["height"] - 1
    assert help_text["x"] <= choice["x"] + 1


def test_an_unticked_consent_box_is_marked(browser, base):
    page = signed_in_page(browser, base, "membre@demo.cqctp.org", width=390)
    session = open_session()
    page.goto(f"{base}/espace-membres/inscription/{session.pk}/")
    page.fill("textarea[name=comment]", "Merci")
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()
    consent = page.locator("input[name=consent]")
    assert consent.evaluate("i => getComputedStyle(i).outlineStyle") != "none"
    error = page.locator(".field--checkbox .field__error").bounding_box()
    assert error["y"] > consent.bounding_box()["y"] + consent.bounding_box()["height"]


def test_the_session_box_stacks_at_320_px(browser, base):
    session = (
        TrainingSession.objects.upcoming()
        .filter(page__locale__language_code="fr-ca", page__visibility="public")
        .exclude(address="")
        .exclude(format="online")
        .order_by("start")
        .first()
    )
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{base}{session.page.url}")
    item = page.locator(".session-item").filter(has=page.locator(".session__address")).first
    address = item.locator(".session__address").bounding_box()
    language = item.locator(".session__language").bounding_box()
    assert address["y"] < language["y"]  # the address right under the place
    button = item.locator(".button")
    if button.count():
        last = max(
            b["y"] + b["height"]
            for b in (address, language, item.locator(".session__where").bounding_box())
        )
        assert button.bounding_box()["y"] >= last - 1  # on its own line, last
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
