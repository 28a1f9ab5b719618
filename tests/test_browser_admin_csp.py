"""With production's Content-Security-Policy on, the Wagtail editor still works (sign in, edit a
page, publish it) under the admin's own policy, and the public pages run under the strict one,
without a single violation reported by the browser.

Runs in Debian's Chromium driven by Playwright; skipped (with the reason) where either is missing.
"""

import importlib
import os

import pytest
from django.contrib.auth import get_user_model

from tests import factories as f
from trainings.models import TrainingPage

from .test_settings_production import PRODUCTION_ENV

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Un-mot-de-passe-solide-42"
# Every violation, in every frame (the editor previews pages in one), reaches the console.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
        + ` at ${event.sourceFile}:${event.lineNumber} (${event.disposition})`);
});
"""


@pytest.fixture
def production_policy(settings):
    """Production's policies (the middleware is always installed; only the policies are
    production's), without production's HTTPS redirect, which the live server cannot serve."""
    env = PRODUCTION_ENV

    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        module = importlib.reload(importlib.import_module("cqctp.settings.production"))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    for name in (
        "CONTENT_SECURITY_POLICY",
        "CONTENT_SECURITY_POLICY_ADMIN",
        "CSP_ADMIN_PATH_PREFIX",
        "CROSS_ORIGIN_RESOURCE_POLICY",
        "PERMISSIONS_POLICY",
    ):
        setattr(settings, name, getattr(module, name))
    return settings


@pytest.fixture
def editor_and_training(live_server, production_policy):
    editor = get_user_model().objects.create_superuser(
        "redaction", "redaction@example.org", PASSWORD
    )
    training = f.training(title="Repérer la traite", sessions=[f.session(10, capacity=20)])
    return editor, training


def watch(page, seen):
    page.on("console", lambda message: seen.append(message.text))
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))


def violations(seen):
    return [text for text in seen if "Content Security Policy" in text or "CSP violation" in text]


def test_editor_edits_and_publishes_a_page_under_the_admin_policy(
    browser, live_server, editor_and_training
):
    editor, training = editor_and_training
    context = browser.new_context()
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    seen = []
    watch(page, seen)

    response = page.goto(f"{live_server.url}/admin/login/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    page.fill("#id_username", "redaction")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/{training.pk}/edit/")
    page.fill("#id_title", "Repérer la traite des personnes")
    footer = page.locator("footer .w-dropdown-button")
    footer.locator("[data-w-dropdown-target='toggle']").click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{training.get_parent().pk}/")

    published = TrainingPage.objects.get(pk=training.pk)
    assert published.title == "Repérer la traite des personnes"
    assert published.live and not published.has_unpublished_changes

    # The page as the public sees it, with the strict policy and the editor's user bar.
    response = page.goto(f"{live_server.url}{published.url}")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations(seen) == []
    context.close()


def test_public_pages_run_under_the_strict_policy(browser, live_server, editor_and_training):
    _, training = editor_and_training
    context = browser.new_context()
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    seen = []
    watch(page, seen)
    for path in (
        "/",
        training.get_parent().url + "?q=traite",
        training.url,  # its JSON-LD is a data block: not a script the policy blocks
        "/espace-membres/connexion/",
        "/page-inexistante/",
        "/?q=%00",  # the 400 page
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert "default-src 'none'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    page.keyboard.press("Shift")  # the quick exit's script is loaded and listening
    assert violations(seen) == []
    context.close()
