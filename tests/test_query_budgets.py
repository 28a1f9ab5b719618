"""Queries per page: budgets for the pages everyone reads, in French and in English, that stay
the same however much content the site holds; and the shared header caches behind them
(home/navigation.py), which must never show one visitor what belongs to another, nor a draft.

Counts are of the rendering itself: the anonymous page cache is off (PAGE_CACHE_SECONDS=0);
the shared header is warm, as it is on a running site (one request builds it).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction

from home.freshness import CONTENT, bump
from home.models import SiteSettings, StandardPage
from tests import factories as f
from trainings.models import Visibility

pytestmark = pytest.mark.django_db

HOME_BUDGET = 10
CATALOGUE_BUDGET = 15
TRAINING_PAGE_BUDGET = 12


@pytest.fixture(autouse=True)
def rendering_only(settings):
    """Measure rendering, not the anonymous page cache (helper A's, tested on its own)."""
    settings.PAGE_CACHE_SECONDS = 0


def queries(client, url, params=None):
    """(count, SQL) of one request once the shared caches are warm."""
    assert client.get(url, params or {}).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(captured), [query["sql"] for query in captured.captured_queries]


def within(client, url, budget, params=None):
    count, sql = queries(client, url, params)
    assert count <= budget, f"{url} {params or ''}: {count} queries\n" + "\n".join(sql)
    return count


def english(page, title=None):
    """The English translation of `page` (with its ancestors), published."""
    locale = Locale.objects.get_or_create(language_code="en")[0]
    translation = page.copy_for_translation(locale, copy_parents=True)
    if title:
        translation.title = title
    translation.save_revision().publish()
    for ancestor in translation.get_ancestors().filter(depth__gt=1, live=False):
        ancestor.specific.save_revision().publish()
    return type(page).objects.get(pk=translation.pk)


class Site:
    """A small site in two languages: a home page with a menu, a catalogue of trainings, the
    privacy and browse-safely pages chosen in the settings; `grow()` adds more of everything."""

    def __init__(self):
        self.home = f.home_page()
        self.catalogue = f.catalogue()
        self.themes = [f.theme(f"Thème {i}", name_en=f"Theme {i}") for i in range(3)]
        self.audiences = [f.audience(f"Public {i}", name_en=f"Audience {i}") for i in range(2)]
        self.menu = [self.standard_page("À propos"), self.standard_page("Membres")]
        privacy = self.standard_page("Confidentialité", show_in_menus=False)
        safety = self.standard_page("Naviguer en sécurité", show_in_menus=False)
        site_settings = SiteSettings.for_site(self.home.get_site())
        site_settings.privacy_page = privacy
        site_settings.safety_page = safety
        site_settings.save()
        # Translated as editors do (Wagtail would make missing parents aliases of the French).
        self.home_en = english(self.home, title="Home")
        self.catalogue_en = english(self.catalogue, title="Catalogue (en)")
        self.trainings = []
        self.add_trainings(3)
        for page in self.menu + [privacy, safety]:
            english(page, title=f"{page.title} (en)")

    def standard_page(self, title, show_in_menus=True):
        page = StandardPage(title=title, slug=f"page-{Page.objects.count()}")
        page.show_in_menus = show_in_menus
        self.home.add_child(instance=page)
        page.save_revision().publish()
        return page

    def add_trainings(self, number, sessions_each=2):
        for _ in range(number):
            index = len(self.trainings)
            training = f.training(
                self.catalogue,
                title=f"Formation sur la traite {index}",
                themes=self.themes[: 1 + index % 3],
                audiences=self.audiences[: 1 + index % 2],
                sessions=[
                    f.session(5 + index + 30 * k, capacity=4, format="online")
                    for k in range(sessions_each)
                ],
            )
            f.fill(training.sessions.first(), 1)
            self.trainings.append(training)
            english(training, title=f"Training on trafficking {index}")

    def grow(self):
        self.add_trainings(22, sessions_each=3)
        self.menu.append(self.standard_page("Campagnes"))
        english(self.menu[-1], title="Campaigns")

    def training_with_sessions(self, number):
        training = f.training(
            self.catalogue,
            title="Formation avec plusieurs séances",
            themes=self.themes,
            audiences=self.audiences,
            sessions=[f.session(3 + i) for i in range(number - 2)]
            + [f.session(-5), f.session(-15)],
        )
        for session in training.sessions.all()[:4]:
            f.fill(session, 2)
        return training, english(training, title="Training with many sessions")


@pytest.fixture
def site(db, frozen_now):
    return Site()


def searched(language, site):
    """A search and two filters (a theme and a format), in the catalogue's language."""
    word = "traite" if language == "fr" else "trafficking"
    return {"q": word, "theme": site.themes[0].slug, "format": "online"}


# -- Budgets, constant as content grows ---------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_page_budget(client, site, language):
    home = site.home if language == "fr" else site.home_en
    before = within(client, home.url, HOME_BUDGET)
    site.grow()
    assert within(client, home.url, HOME_BUDGET) == before


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogue_budget_plain_and_searched_with_two_filters(client, site, language):
    catalogue = site.catalogue if language == "fr" else site.catalogue_en
    plain = within(client, catalogue.url, CATALOGUE_BUDGET)
    search = within(client, catalogue.url, CATALOGUE_BUDGET, searched(language, site))
    site.grow()
    html = client.get(catalogue.url).content.decode()
    assert html.count('class="result"') == 20  # a full page of results
    assert within(client, catalogue.url, CATALOGUE_BUDGET) == plain
    html = client.get(catalogue.url, searched(language, site)).content.decode()
    assert html.count('class="result"') > 3  # the search finds the new trainings too
    assert within(client, catalogue.url, CATALOGUE_BUDGET, searched(language, site)) == search


@pytest.mark.parametrize("language", ["fr", "en"])
def test_training_page_budget_with_ten_sessions(client, site, language):
    french, translation = site.training_with_sessions(10)
    page = french if language == "fr" else translation
    html = client.get(page.url).content.decode()
    assert html.count('class="session-item') == 8  # every upcoming session is shown
    count = within(client, page.url, TRAINING_PAGE_BUDGET)
    one_session = (
        site.trainings[0]
        if language == "fr"
        else site.trainings[0].get_translation(site.home_en.locale)
    )
    assert within(client, one_session.url, TRAINING_PAGE_BUDGET) == count


def test_a_signed_in_members_pages_stay_constant_as_content_grows(client, site):
    """No budget for members (their own enrolments and menus are read), but no growth."""
    client.force_login(f.member())
    urls = [site.home.url, site.catalogue.url, site.trainings[0].url, site.catalogue_en.url]
    before = [queries(client, url)[0] for url in urls]
    site.grow()
    assert [queries(client, url)[0] for url in urls] == before


# -- The shared header: per language, never per visitor, never a draft --------------------------


def menu_titles(html):
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="[^"]+"(?: aria-current="page")?>([^<]+)</a>', nav)


def switcher_links(html):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return dict(re.findall(r'href="([^"]+)" hreflang="([^"]+)"', nav))


def test_each_language_keeps_its_own_header(client, site):
    for _ in range(2):  # built, then read from the shared cache
        french = client.get(site.catalogue.url).content.decode()
        english_html = client.get(site.catalogue_en.url).content.decode()
        assert menu_titles(french) == ["À propos", "Membres"]
        assert menu_titles(english_html) == ["À propos (en)", "Membres (en)"]
        assert "Confidentialité" in french and "Confidentialité (en)" not in french
        assert "Confidentialité (en)" in english_html
        assert switcher_links(french) == {site.catalogue_en.url: "en"}
        assert switcher_links(english_html) == {site.catalogue.url: "fr-ca"}


def test_a_french_return_address_leaves_the_english_header_english(client, site):
    """The switcher routes a return address in its own language (members.i18n): that must not
    make the English header French, for this visitor or for the next ones."""
    html = client.get("/en/espace-membres/connexion/", {"next": site.menu[0].url}).content.decode()
    assert menu_titles(html) == ["À propos (en)", "Membres (en)"]
    html = client.get(site.home_en.url).content.decode()
    assert menu_titles(html) == ["À propos (en)", "Membres (en)"]


def test_the_switcher_leads_each_page_to_its_own_translation(client, site):
    first, second = site.trainings[:2]
    locale = site.home_en.locale
    for page, other in (
        (first, first.get_translation(locale)),
        (second, second.get_translation(locale)),
    ):
        links = switcher_links(client.get(page.url).content.decode())
        assert links == {other.url: "en"}


def test_the_header_follows_a_change_of_content(client, site):
    """Kept while CONTENT is unchanged, rebuilt once it is bumped (every publish does)."""
    assert "Membres" in menu_titles(client.get(site.home.url).content.decode())
    Page.objects.filter(pk=site.menu[1].pk).update(title="Nos membres")  # no signal at all
    assert "Membres" in menu_titles(client.get(site.home.url).content.decode())
    bump(CONTENT)
    assert "Nos membres" in menu_titles(client.get(site.home.url).content.decode())


def test_a_settings_change_shows_once_content_changed(client, site):
    client.get(site.home.url)
    SiteSettings.objects.update(emergency_number="811")
    bump(CONTENT)
    assert 'href="tel:811"' in client.get(site.home.url).content.decode()


def test_a_members_header_is_never_shown_to_anonymous_visitors(client, site):
    client.force_login(f.member())
    assert "Mes formations" in client.get(site.home.url).content.decode()
    client.logout()
    html = client.get(site.home.url).content.decode()
    assert "Mes formations" not in html
    assert "Espace membres" in html


def test_a_preview_never_reaches_the_public(client, site):
    draft = site.home.specific
    draft.title = "Accueil en brouillon"
    draft.hero_heading = "Titre en brouillon"
    preview = draft.make_preview_request().content.decode()
    assert "Titre en brouillon" in preview
    html = client.get(site.home.url).content.decode()
    assert "brouillon" not in html


# -- Routing from the address remembered, checked every time -------------------------------------


def test_a_renamed_training_is_found_at_its_new_address_only(client, site):
    training = site.trainings[0]
    old_url = training.url
    assert client.get(old_url).status_code == 200
    training.slug = "nouvelle-adresse"
    training.save_revision().publish()
    training.refresh_from_db()
    assert training.url != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(training.url).status_code == 200


def test_a_members_only_training_stays_hidden_after_a_member_opened_it(client, site):
    training = f.training(site.catalogue, visibility=Visibility.MEMBERS)
    client.force_login(f.member())
    assert client.get(training.url).status_code == 200
    client.logout()
    assert client.get(training.url).status_code == 404


def test_a_restriction_on_an_ancestor_still_guards_its_pages(client, site):
    """Page privacy is read in one query (home/models/serving.py): the page's own
    restriction, its ancestors' and, through an alias among them, its source's: as Wagtail."""
    about = site.menu[0]
    child = StandardPage(title="Réservé", slug="reserve")
    about.add_child(instance=child)
    child.save_revision().publish()
    detail = StandardPage(title="Détail", slug="detail")
    child.add_child(instance=detail)
    detail.save_revision().publish()
    detail_en = english(detail)  # its English parent is made an alias of "Réservé"
    assert detail_en.get_parent().alias_of_id == child.pk
    assert client.get(child.url).status_code == 200
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=child, restriction_type=PageViewRestriction.LOGIN)
    for page in (about, child, detail, detail_en, site.home, site.home_en):
        ours = sorted(r.pk for r in page.specific.get_view_restrictions())
        assert ours == sorted(r.pk for r in Page.get_view_restrictions(page)), page
    assert len(detail_en.get_view_restrictions()) == 1  # "Réservé"'s, through the alias
    response = client.get(child.url)
    assert response.status_code == 302 and f"next={child.url}" in response["Location"]
