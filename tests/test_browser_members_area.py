"""Issue 12 as a new user would try it, in a real browser: a member finds a shelter for minors
in Montréal in French and English and prints its sheet, downloads a brief from the library; an
anonymous visitor gets a 404 at that brief's address. Skipped (with the reason) where Chromium
or Playwright is missing."""

import os

import pytest
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
    assert page.locator("text=Comment orienter une personne").first.is_visible()
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
    address = link.get_attribute("href")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    context.close()

    # Someone not signed in, at the same address: a 404, not a sign-in page.
    anonymous = browser.new_context()
    response = anonymous.new_page().goto(f"{site}{address}")
    assert response.status == 404
    anonymous.close()


def test_a_visitor_subscribes_confirms_and_unsubscribes(site, browser):
    import re

    from newsletter import services
    from newsletter.models import NewsletterIssuePage, Subscriber
    from trainings.models import OutboxEmail

    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{site}/")
    page.click("text=S’abonner à l’infolettre")
    page.fill("input[name=email]", "lectrice@example.org")
    page.check("input[name=consent]")
    page.click("button:has-text('S’abonner')")
    page.wait_for_url(re.compile(r".*/infolettre/verifiez-vos-courriels/$"))
    person = Subscriber.objects.get(email="lectrice@example.org")
    assert person.status == "pending"

    # The link of the confirmation e-mail: a page with a button (nothing changes on opening).
    body = OutboxEmail.objects.get(to="lectrice@example.org").body
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
    copy = OutboxEmail.objects.filter(to="lectrice@example.org").order_by("-pk").first()
    leave = re.search(r"https?://\S+/infolettre/desabonnement/\S+/", copy.body).group(0)
    page.goto(f"{site}/{leave.split('/', 3)[3]}")
    page.click("button[type=submit]:not(.site-search__button)")
    person.refresh_from_db()
    assert person.status == "unsubscribed"
    assert "désabonn" in page.locator("main").inner_text().lower()
