"""Issue 12 as a new user would try it, in a real browser: a member finds a shelter for minors
in Montréal in French and English and prints its sheet, downloads a brief from the library; an
anonymous visitor gets a 404 at that brief's address. Skipped (with the reason) where Chromium
or Playwright is missing."""

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


def sign_in(page, site):
    page.goto(f"{site}/espace-membres/connexion/")
    page.fill("input[name=username]", "membre@demo.cqctp.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(f"{site}/espace-membres/")


def test_a_member_finds_a_shelter_for_minors_prints_it_and_downloads_a_brief(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, site)

    # The directory, filtered as a worker would: shelter, minors, Montréal.
    page.goto(f"{site}/membres/ressources/")
    page.check("input[name=service][value=hebergement]")
    page.check("input[name=people][value=mineurs]")
    page.select_option("select[name=region]", "06")
    page.click("button:has-text('Afficher les ressources')")
    results = page.locator(".results__list")
    assert "Maison d’hébergement pour jeunes (démo)" in results.inner_text()
    page.click("text=Maison d’hébergement pour jeunes (démo)")
    assert page.locator("h1").inner_text() == "Maison d’hébergement pour jeunes (démo)"
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("text=Comment diriger une personne").first.is_visible()
    page.emulate_media(media="screen")

    # The same in English, through the language switcher (the filters kept).
    page.goto(f"{site}/membres/ressources/?service=hebergement&people=mineurs&region=06")
    page.click(".language-switcher a[hreflang=en]")
    assert "/en/members/resources/" in page.url and "region=06" in page.url
    assert "Youth shelter (demo)" in page.locator(".results__list").inner_text()

    # The library: download the brief.
    page.goto(f"{site}/membres/bibliotheque/")
    page.select_option("select[name=kind]", "brief")
    page.click("button:has-text('Afficher les documents')")
    link = page.locator(".library-document a.button").first
    assert "Télécharger" in link.inner_text()
    address = link.get_attribute("href")
    assert address.endswith(".pdf")
    brief = context.request.get(f"{site}{address}")  # what the link fetches, signed in
    assert brief.status == 200 and brief.body().startswith(b"%PDF-")
    context.close()

    # Someone not signed in, at the same address: a 404, not a sign-in page.
    anonymous = browser.new_context()
    response = anonymous.new_page().goto(f"{site}{address}")
    assert response.status == 404
    anonymous.close()


def delivered_to(address, count=1):
    """The messages the outbox delivered to `address` (the thread after the commit, or the
    worker's `send_outbox`), once there are `count` of them (10 seconds at most)."""
    import time

    for _ in range(100):
        call_command("send_outbox", verbosity=0)
        found = [message for message in mail.outbox if message.to == [address]]
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no e-mail delivered to {address}")


def test_a_visitor_subscribes_confirms_and_unsubscribes(site, browser, settings):
    import re

    settings.EMAIL_BACKEND = "trainings.outbox_backend.OutboxBackend"  # as in production
    from newsletter import services
    from newsletter.models import NewsletterIssuePage, Subscriber

    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{site}/")
    page.click("text=S’abonner à l’infolettre")
    page.fill("input[name=email]", "lectrice@example.org")
    page.check("input[name=consent]")
    page.click("button:has-text('S’abonner')")
    page.wait_for_url(re.compile(r".*/infolettre/verifiez-vos-courriels/"))
    person = Subscriber.objects.get(email="lectrice@example.org")
    assert person.status == "pending"

    # The link of the confirmation e-mail: a page with a button (nothing changes on opening).
    # The outbox delivers it after the commit (a sent row keeps no body: its links are secret).
    body = delivered_to("lectrice@example.org")[-1].body
    confirm = re.search(r"https?://\S+/infolettre/confirmer/\S+/", body).group(0)
    page.goto(f"{site}/{confirm.split('/', 3)[3]}")
    person.refresh_from_db()
    assert person.status == "pending"
    page.click("button[type=submit]:not(.site-search__button)")
    person.refresh_from_db()
    assert person.status == "confirmed"

    # An issue arrives, with its one-click unsubscribe link.
    issue = NewsletterIssuePage.objects.live().filter(locale__language_code="fr-ca").first()
    sending = services.start_sending(issue)
    services.send_issue(sending)
    copy = delivered_to("lectrice@example.org", count=2)[-1]
    assert "List-Unsubscribe-Post" in copy.extra_headers
    leave = re.search(r"https?://\S+/infolettre/desabonnement/\S+/", copy.body).group(0)
    page.goto(f"{site}/{leave.split('/', 3)[3]}")
    page.click("button[type=submit]:not(.site-search__button)")
    person.refresh_from_db()
    assert person.status == "unsubscribed"
    assert "désabonn" in page.locator("main").inner_text().lower()
