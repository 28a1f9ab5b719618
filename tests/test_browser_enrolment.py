"""As a new user would, in a real browser: sign in as the demo member, enrol, find it in
"Mes formations" with its calendar file, cancel a seat and see the first person waiting promoted.
Skipped (with the reason) where Chromium or Playwright is missing."""

import os

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "Un-mot-de-passe-de-test-42"


@pytest.fixture
def site(live_server):
    from django.contrib.auth import get_user_model

    call_command("load_demo", stdout=open(os.devnull, "w"))
    member = get_user_model().objects.get(email="membre@demo.cqctp.org")
    member.set_password(PASSWORD)  # demo passwords are set only with DEBUG on
    member.save()
    return live_server.url


@pytest.fixture
def page(browser):
    return browser.new_page()


def test_member_enrols_sees_it_cancels_and_the_waiting_person_is_promoted(site, page):
    from trainings.models import Enrolment, TrainingSession

    page.goto(f"{site}/")
    page.click("text=Espace membres")
    page.fill("input[name=username]", "membre@demo.cqctp.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(f"{site}/espace-membres/")
    assert page.locator("h1").inner_text() == "Mes formations"

    # Enrol in an open session of a public training, from its page.
    session = (
        TrainingSession.objects.upcoming()
        .filter(page__visibility="public", page__locale__language_code="fr-ca", capacity__gt=3)
        .exclude(enrolments__user__email="membre@demo.cqctp.org")
        .order_by("start")
        .first()
    )
    page.goto(f"{site}{session.page.url}")
    page.click(f"a[href='/espace-membres/inscription/{session.pk}/']")
    page.check("input[name=consent]")
    mail.outbox.clear()
    page.click("button:has-text('Confirmer mon inscription')")
    page.wait_for_url(f"{site}/espace-membres/")
    assert "inscription confirmée" in page.locator(".messages").inner_text()
    assert session.page.title in page.locator("#main").inner_text()
    (confirmation,) = [m for m in mail.outbox if m.to == ["membre@demo.cqctp.org"]]
    assert confirmation.attachments[0][2] == "text/calendar"

    # Cancel the seat in the full session: the first person waiting gets it at once.
    full = Enrolment.objects.get(user__email="membre@demo.cqctp.org", session__capacity=3)
    waiting = Enrolment.objects.get(session=full.session, status="waiting")
    page.click(f"a[href='/espace-membres/inscriptions/{full.pk}/annuler/']")
    page.wait_for_url(f"{site}/espace-membres/inscriptions/{full.pk}/annuler/")  # asks first
    page.click("button:has-text('Oui, annuler cette inscription')")
    page.wait_for_url(f"{site}/espace-membres/")
    assert "L’inscription est annulée." in page.locator(".messages").inner_text()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert any(m.to == [waiting.user.email] for m in mail.outbox)
