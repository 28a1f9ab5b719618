"""French first at /, English under /en/, and a switcher that leads to the translated page."""

import re

import pytest
from django.utils import translation

from home.models import StandardPage

pytestmark = pytest.mark.django_db


def switcher_links(html):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return dict(re.findall(r'href="([^"]+)" hreflang="([^"]+)"', nav))


def test_switcher_on_a_french_page_leads_to_its_english_translation(client, demo):
    links = switcher_links(client.get("/a-propos/").content.decode())
    assert links == {"/en/about/": "en"}


def test_switcher_on_an_english_page_leads_back_to_french(client, demo):
    links = switcher_links(client.get("/en/members/").content.decode())
    assert links == {"/membres/": "fr-ca"}


def test_switcher_falls_back_to_the_home_page_when_no_translation_exists(client, demo):
    about = StandardPage.objects.get(slug="a-propos")
    news = StandardPage(title="Nouvelles", slug="nouvelles")
    about.add_child(instance=news)
    links = switcher_links(client.get("/a-propos/nouvelles/").content.decode())
    assert links == {"/en/": "en"}


def test_an_unpublished_translation_is_not_offered(client, demo):
    english_about = StandardPage.objects.get(slug="about")
    english_about.unpublish()
    links = switcher_links(client.get("/a-propos/").content.decode())
    assert links == {"/en/": "en"}


def test_root_is_french_even_for_an_english_browser(client, demo):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="fr-ca">' in response.content.decode()


def test_french_catalogue_is_compiled():
    with translation.override("fr-ca"):
        assert translation.gettext("Quick exit") == "Sortie rapide"
        assert translation.gettext("Skip to main content") == "Aller au contenu principal"
    with translation.override("en"):
        assert translation.gettext("Quick exit") == "Quick exit"


def test_switcher_keeps_the_members_page(client, demo):
    """Non-page addresses (the members' area) lead to the same address in the other language."""
    html = client.get("/espace-membres/connexion/?next=/espace-membres/").content.decode()
    links = switcher_links(html)
    assert links == {"/en/espace-membres/connexion/?next=/en/espace-membres/": "en"}
    links = switcher_links(client.get("/en/espace-membres/demande-de-compte/").content.decode())
    assert links == {"/espace-membres/demande-de-compte/": "fr-ca"}


def test_switcher_keeps_my_trainings_for_a_signed_in_member(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email="membre@demo.cqctp.org"))
    links = switcher_links(client.get("/espace-membres/").content.decode())
    assert links == {"/en/espace-membres/": "en"}
    links = switcher_links(client.get("/en/espace-membres/").content.decode())
    assert links == {"/espace-membres/": "fr-ca"}


def test_switcher_keeps_the_catalogue_filters(client, demo):
    html = client.get("/formations/?q=traite&format=online&seats=on").content.decode()
    links = switcher_links(html)
    assert links == {"/en/trainings/?q=traite&amp;format=online&amp;seats=on": "en"}
    html = client.get("/en/trainings/?format=in_person&page=2").content.decode()
    assert switcher_links(html) == {"/formations/?format=in_person&amp;page=2": "fr-ca"}


def test_switcher_on_a_missing_page_leads_to_the_other_home_page(client, demo):
    response = client.get("/cette-page-n-existe-pas/?x=1")
    assert response.status_code == 404
    assert switcher_links(response.content.decode()) == {"/en/": "en"}


def test_switcher_translates_the_return_address(client, demo):
    """Changing language on the sign-in page must not send people back to the French page."""
    html = client.get(
        "/espace-membres/connexion/?next=/espace-membres/inscription/9/"
    ).content.decode()
    assert switcher_links(html) == {
        "/en/espace-membres/connexion/?next=/en/espace-membres/inscription/9/": "en"
    }
    html = client.get("/en/espace-membres/connexion/?next=/en/espace-membres/").content.decode()
    assert switcher_links(html) == {"/espace-membres/connexion/?next=/espace-membres/": "fr-ca"}


def test_switcher_translates_a_return_address_to_a_page(client, demo):
    html = client.get("/espace-membres/connexion/?next=/a-propos/").content.decode()
    assert switcher_links(html) == {"/en/espace-membres/connexion/?next=/en/about/": "en"}


def test_switcher_never_rewrites_a_return_address_elsewhere(client, demo):
    for hostile in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        html = client.get("/espace-membres/connexion/", {"next": hostile}).content.decode()
        (link,) = switcher_links(html)
        assert "evil.example" in link and "/en/" not in link.split("next=")[1], link
