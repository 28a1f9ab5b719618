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
