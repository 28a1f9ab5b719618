"""Pages are routed from a home page each process remembers (home/routing.py): the site, the
locale and the home page are not read again on every request, yet a change to any of them is
followed at once, each hostname keeps its own site, each language its own home page, and
nothing a visitor may not see becomes visible."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction, Site

from home import routing
from home.models import HomePage, StandardPage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendering_only(settings):
    settings.PAGE_CACHE_SECONDS = 0
    routing.forget()


def standard_page(parent, title, slug):
    page = StandardPage(title=title, slug=slug)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def english_home(home, title="Home"):
    locale = Locale.objects.get_or_create(language_code="en")[0]
    translation = home.copy_for_translation(locale)
    translation.title = title
    translation.save_revision().publish()
    return HomePage.objects.get(pk=translation.pk)


def sql_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, " ".join(query["sql"] for query in captured.captured_queries)


def test_a_page_is_served_without_reading_the_site_and_the_home_page_again(client):
    home = f.home_page()
    standard_page(home, "À propos", "a-propos")
    assert client.get("/a-propos/").status_code == 200  # remembered
    response, sql = sql_of(client, "/a-propos/")
    assert response.status_code == 200 and "À propos" in response.text
    assert 'FROM "wagtailcore_site"' not in sql
    assert 'FROM "wagtailcore_locale"' not in sql


def test_a_new_home_page_title_shows_on_the_next_request(client):
    home = f.home_page()
    assert client.get("/").status_code == 200
    home.title = "Accueil renouvelé"
    home.save_revision().publish()
    assert "Accueil renouvelé" in client.get("/").text


def test_a_site_moved_to_another_home_page_is_followed(client):
    home = f.home_page()
    standard_page(home, "Ancienne", "ancienne")
    assert client.get("/ancienne/").status_code == 200
    other = HomePage(title="Autre accueil", slug="autre-accueil")
    Page.get_first_root_node().add_child(instance=other)
    other.save_revision().publish()
    standard_page(other, "Nouvelle", "nouvelle")
    site = Site.objects.get(is_default_site=True)
    site.root_page = other
    site.save()
    assert client.get("/ancienne/").status_code == 404
    assert client.get("/nouvelle/").status_code == 200


def test_each_hostname_keeps_its_own_site(client, settings):
    settings.ALLOWED_HOSTS = ["localhost", "autre.example", "testserver"]
    home = f.home_page()
    standard_page(home, "Principale", "principale")
    other = HomePage(title="Site partenaire", slug="partenaire")
    Page.get_first_root_node().add_child(instance=other)
    other.save_revision().publish()
    standard_page(other, "Partenaire", "partenaire-page")
    Site.objects.create(hostname="autre.example", port=80, root_page=other)
    for _ in range(2):  # the second time from memory
        assert client.get("/principale/", HTTP_HOST="localhost").status_code == 200
        assert client.get("/principale/", HTTP_HOST="autre.example").status_code == 404
        assert client.get("/partenaire-page/", HTTP_HOST="autre.example").status_code == 200
        assert client.get("/partenaire-page/", HTTP_HOST="localhost").status_code == 404


def test_each_language_is_routed_from_its_own_home_page(client):
    home = f.home_page()
    english_home(home, title="Welcome home")
    for _ in range(2):
        assert "<title>Accueil" in client.get("/").text
        assert "<title>Welcome home" in client.get("/en/").text


def test_a_privacy_restriction_added_later_still_applies(client):
    home = f.home_page()
    page = standard_page(home, "Réservée", "reservee")
    assert client.get("/reservee/").status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/reservee/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_memory_stays_bounded_whatever_hosts_visitors_send(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    f.home_page()
    for number in range(routing.MAX_REMEMBERED + 10):
        assert client.get("/", HTTP_HOST=f"h{number}.example").status_code == 200
    assert len(routing._remembered) <= routing.MAX_REMEMBERED


def test_each_request_gets_its_own_objects(client, rf):
    home = f.home_page()
    first = rf.get("/")
    second = rf.get("/")
    for request in (first, second):
        request.user = None
    _, root_one = routing.remembered_root(first)
    _, root_two = routing.remembered_root(second)
    assert root_one == root_two == home
    assert root_one is not root_two  # one request's changes never reach another's page
