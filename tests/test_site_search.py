"""Site search (/recherche/, /en/recherche/): campaigns, trainings, standard pages and member
organisations in the visitor's language, grouped by kind in a fixed order; members-only and
restricted pages never reach those they exclude; bad input answers 200 with a message."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from catalogue.models import OrganisationDirectoryPage
from home.models import CampaignIndexPage, CampaignPage, StandardPage
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/recherche/"
URL_EN = "/en/recherche/"


def campaign_index():
    index = CampaignIndexPage.objects.filter(locale__language_code="fr-ca").first()
    if index is None:
        index = CampaignIndexPage(title="Campagnes", slug="campagnes")
        f.home_page().add_child(instance=index)
    return index


def campaign(title, **fields):
    fields.setdefault("start_date", datetime.date(2026, 5, 1))
    fields.setdefault("end_date", datetime.date(2026, 7, 31))
    page = CampaignPage(title=title, slug=re.sub(r"\W+", "-", title.lower()), **fields)
    campaign_index().add_child(instance=page)
    return page


def standard(title, parent=None, **fields):
    page = StandardPage(title=title, slug=re.sub(r"\W+", "-", title.lower()), **fields)
    (parent or f.home_page()).add_child(instance=page)
    return page


def directory():
    page = OrganisationDirectoryPage.objects.filter(locale__language_code="fr-ca").first()
    if page is None:
        page = OrganisationDirectoryPage(title="Répertoire des membres", slug="repertoire")
        f.home_page().add_child(instance=page)
    return page


@pytest.fixture
def world(db, frozen_now):
    cat = f.catalogue()
    provider = f.organisation("Maison Le Phare", description="Hébergement et accompagnement.")
    return SimpleNamespace(
        catalogue=cat,
        directory=directory(),
        provider=provider,
        campaign=campaign(
            "Campagne Phare du Grand Prix",
            tagline="Ouvrir les yeux pendant le Grand Prix.",
        ),
        page=standard("Le phare de la coalition", introduction="Qui nous sommes."),
        training=f.training(
            cat,
            "Formation phare sur le recrutement",
            provider=f.organisation("Centre Aube"),
            summary="Reconnaître les signes du recrutement.",
        ),
    )


def search(client, query, url=URL):
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def group_headings(html):
    """The groups' headings as read: "Campagnes (1)"."""
    return [text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]


def kinds(html):
    return [heading.split(" (")[0] for heading in group_headings(html)]


def results(html):
    """The groups of results (the query also appears in the title, the form and the count)."""
    if "search-page__count" not in html:
        return ""
    return html.split('class="search-page__count"', 1)[1].split("</p>", 1)[1]


# -- Finding and grouping ---------------------------------------------------------------------


def test_one_term_finds_every_kind_grouped_in_a_fixed_order(client, world):
    html = search(client, "phare")
    for title in (
        "Campagne Phare du Grand Prix",
        "Formation phare sur le recrutement",
        "Le phare de la coalition",
        "Maison Le Phare",
    ):
        assert title in html
    assert group_headings(html) == [
        "Campagnes (1)",
        "Formations (1)",
        "Pages (1)",
        "Organismes membres (1)",
    ]
    # The total is said in words.
    assert "4 résultats pour « phare »" in html
    # Links go to the pages; the organisation to the directory; the campaign shows its period.
    assert f'href="{world.campaign.url}"' in html
    assert f'href="{world.training.url}"' in html
    assert f'href="{world.page.url}"' in html
    assert f'href="{world.directory.url}' in html
    assert "Ouvrir les yeux pendant le Grand Prix." in html
    assert "1 mai 2026" in html and "31 juillet 2026" in html
    assert "Hébergement et accompagnement." in html
    # The trainings group sends to the catalogue's own search for more.
    assert f'href="{world.catalogue.url}?q=phare&amp;period=all"' in html


def test_the_page_is_a_labelled_search_landmark_not_indexed_and_titled_with_the_query(
    client, world
):
    html = search(client, "phare")
    assert re.search(r"<title>[^<]*« phare »[^<]*</title>", html)
    assert '<meta name="robots" content="noindex">' in html
    assert re.search(r'<search>\s*<form[^>]*method="get"', html)
    label = re.search(r'<label for="([^"]+)"', html).group(1)
    assert re.search(rf'<input[^>]*id="{label}"[^>]*name="q"', html) or re.search(
        rf'<input[^>]*name="q"[^>]*id="{label}"', html
    )
    assert html.count("<h1") == 1
    # Only this page is kept out of search engines.
    assert "noindex" not in client.get(world.page.url).content.decode()


def test_a_kind_without_result_has_no_group(client, world):
    html = search(client, "recrutement")
    assert "Formation phare sur le recrutement" in html
    assert kinds(html) == ["Formations"]
    assert "1 résultat pour « recrutement »" in html


def test_no_result_says_so(client, world):
    html = search(client, "zzzyxw")
    assert "Aucun résultat pour « zzzyxw »" in html
    assert group_headings(html) == []


def test_an_empty_query_shows_the_form_and_a_hint_without_results(client, world):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get(URL, params)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="q"' in html
        assert "Tapez un ou plusieurs mots" in html
        assert "résultat" not in html
        assert group_headings(html) == []


def test_each_group_is_capped_with_its_full_count(client, world):
    for number in range(12):
        standard(f"Page phare numéro {number}")
    html = search(client, "phare")
    assert "Pages (13)" in group_headings(html)
    pages = re.search(r'id="group-pages".*?</section>', html, re.S).group(0)
    assert pages.count('class="search-result"') == 10


def test_the_search_form_include_is_a_get_form_to_the_search_page(client, world):
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    request = RequestFactory().get("/")
    with translation.override("en"):
        html = render_to_string("includes/search_form.html", {"request": request})
    assert 'action="/en/recherche/"' in html and 'method="get"' in html
    assert re.search(r"<label[^>]*>\s*Search the site\s*</label>", html)
    with translation.override("fr-ca"):
        html = render_to_string("includes/search_form.html", {"request": request})
    assert 'action="/recherche/"' in html and "Rechercher dans le site" in html


# -- Language ----------------------------------------------------------------------------------


@pytest.fixture
def english(world):
    locale = Locale.objects.get_or_create(language_code="en")[0]
    home = f.home_page().copy_for_translation(locale)
    home.slug = "home-test"
    home.save_revision().publish()
    translation = world.page.copy_for_translation(locale, copy_parents=True)
    translation.title = "The coalition's lighthouse"
    translation.slug = "lighthouse"
    translation.introduction = "Who we are."
    translation.save_revision().publish()
    world.english_page = StandardPage.objects.get(pk=translation.pk)
    return world


def test_an_english_visitor_gets_english_pages_and_words_only(client, english):
    html = search(client, "lighthouse", URL_EN)
    assert "The coalition&#x27;s lighthouse" in html or "The coalition's lighthouse" in html
    assert "1 result for “lighthouse”" in html
    assert kinds(html) == ["Pages"]
    assert f'href="{english.english_page.url}"' in html and english.english_page.url.startswith(
        "/en/"
    )
    assert '<html lang="en">' in html
    # French pages never appear on the English search, French words do not either.
    html = search(client, "phare", URL_EN)
    assert "Le phare de la coalition" not in html
    assert "Campagne Phare" not in html
    assert "Formation phare" not in html
    assert "résultat" not in html
    # The language switcher leads to the same search in the other language.
    assert 'href="/recherche/?q=phare" hreflang="fr-ca"' in html
    # And the French search does not show the English page.
    assert "lighthouse" not in results(search(client, "lighthouse"))
    assert "The coalition" not in search(client, "coalition")


def test_organisations_speak_the_visitors_language(client, english):
    locale = Locale.objects.get(language_code="en")
    english_directory = directory().copy_for_translation(locale)
    english_directory.slug = "directory"
    english_directory.save_revision().publish()
    english.provider.description_en = "Shelter and support."
    english.provider.save()
    html = search(client, "phare", URL_EN)
    assert "Maison Le Phare" in html
    assert "Shelter and support." in html and "Hébergement" not in html
    assert 'href="/en/' in html


# -- Exclusions --------------------------------------------------------------------------------


def test_a_members_only_training_is_hidden_from_anonymous_and_shown_to_a_member(client, world):
    f.training(world.catalogue, "Atelier phare réservé", visibility="members")
    assert "Atelier phare réservé" not in search(client, "phare")
    client.force_login(f.member())
    assert "Atelier phare réservé" in search(client, "phare")


def test_a_training_of_an_inactive_organisation_is_hidden(client, world):
    gone = f.organisation("Ancien membre", active=False)
    f.training(world.catalogue, "Formation phare ancienne", provider=gone)
    html = search(client, "phare")
    assert "Formation phare ancienne" not in html
    assert "Ancien membre" not in search(client, "membre")


def test_restricted_pages_are_hidden_from_those_they_exclude(client, world):
    PageViewRestriction.objects.create(page=world.page, restriction_type="login")
    PageViewRestriction.objects.create(
        page=world.campaign, restriction_type="password", password="secret-du-comite"
    )
    html = search(client, "phare")
    assert "Le phare de la coalition" not in html
    assert "Campagne Phare du Grand Prix" not in html
    assert "Formation phare sur le recrutement" in html  # the rest is still found
    assert "2 résultats" in html  # the hidden ones are not counted either
    client.force_login(f.member())
    html = search(client, "phare")
    assert "Le phare de la coalition" in html
    assert "Campagne Phare du Grand Prix" not in html  # the password was never given


def test_a_restriction_on_an_ancestor_hides_the_page(client, world):
    child = standard("Sous-page phare", parent=world.page)
    PageViewRestriction.objects.create(page=world.page, restriction_type="login")
    assert "Sous-page phare" not in search(client, "phare")
    PageViewRestriction.objects.all().delete()
    assert "Sous-page phare" in search(client, "phare")
    PageViewRestriction.objects.create(page=campaign_index(), restriction_type="login")
    assert "Campagne Phare" not in search(client, "phare")
    assert child.live


def test_restricted_content_does_not_leak_through_the_organisation(client, world):
    """The organisation's name is indexed with its trainings: a search for it must not
    show the training it gives to members only, nor a page restricted by privacy."""
    hidden = f.training(
        world.catalogue,
        "Atelier confidentiel",
        provider=world.provider,
        visibility="members",
    )
    restricted = f.training(world.catalogue, "Atelier sous mot de passe", provider=world.provider)
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    html = search(client, "Maison Le Phare")
    assert "Maison Le Phare" in html
    assert hidden.title not in html and restricted.title not in html
    # A directory the visitor may not see takes the organisations out of the results.
    PageViewRestriction.objects.create(page=world.directory, restriction_type="login")
    html = results(search(client, "Maison Le Phare"))
    assert "Maison Le Phare" not in html and "Organismes membres" not in html


def test_an_unpublished_page_is_never_found(client, world):
    draft = standard("Brouillon phare")
    draft.unpublish()
    inactive = f.organisation("Phare fermé", active=False)
    html = search(client, "phare")
    assert "Brouillon phare" not in html and inactive.name not in html
    client.force_login(f.user(is_staff=True, is_superuser=True))
    assert "Brouillon phare" not in search(client, "phare")


# -- Stemming (PostgreSQL) ---------------------------------------------------------------------


def test_french_stemming_on_postgresql(client, world, postgres_only):
    standard("Comprendre", introduction="Les formes d'exploitation et leurs signes.")
    campaign("Campagne d'hiver", tagline="Contre l'exploitation sexuelle.")
    html = search(client, "exploitée")
    assert "Comprendre" in html and "Campagne d&#x27;hiver" in html


# -- Hostile input -----------------------------------------------------------------------------


def test_a_very_long_query_is_shortened_with_a_message(client, world):
    html = search(client, "phare " * 2000)
    assert "Votre recherche a été raccourcie à 200 caractères." in html
    assert len(re.search(r'name="q"[^>]*value="([^"]*)"', html).group(1)) <= 200


@pytest.mark.parametrize(
    "query",
    ['"phare', "phare)", "| phare", "phare & | !", "« phare »", "phare*", "phare!", "(phare"],
)
def test_search_syntax_is_read_as_plain_words(client, world, query):
    html = search(client, query)
    assert "4 résultats pour" in html
    assert "Campagne Phare du Grand Prix" in results(html)


@pytest.mark.parametrize(
    "query", ['"', "(", "&", "|", "!", "!!", "'", ":*", "\\", "*", "^", "-", "« »", "AND OR NOT"]
)
def test_odd_syntax_never_breaks_the_page(client, world, query):
    html = search(client, query)
    assert "<h1" in html
    assert "Aucun résultat pour" in html
    assert group_headings(html) == []


def test_markup_in_the_query_is_escaped(client, world):
    html = search(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


# -- Bounded queries ---------------------------------------------------------------------------


def count_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        search(client, query)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_content(client, world):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from home.search import SiteSearch

    client.force_login(f.member())
    search(client, "phare")  # warm caches (site root paths)
    few = count_queries(client, "phare")
    for number in range(15):
        standard(f"Autre page phare {number}")
        campaign(f"Campagne phare {number}")
        f.training(world.catalogue, f"Formation phare {number}")
        f.organisation(f"Phare régional {number}")
    assert "Pages (16)" in group_headings(search(client, "phare"))
    assert count_queries(client, "phare") == few

    request = RequestFactory().get(URL, {"q": "phare"})
    request.user, request.session = AnonymousUser(), {}
    with CaptureQueriesContext(connection) as queries:
        found = SiteSearch(request, "phare").run()
    assert found.total == 4 * 16
    # Savepoints (one per search, so that a query the backend refuses leaves the transaction
    # usable) are not reads.
    reads = [q for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(reads) <= 15, [q["sql"][:80] for q in reads]


# -- Accessibility (browser) -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_search_page_passes_axe_in_both_languages(browser, live_server, frozen_now):
    """No serious or critical axe-core violation on the results, the empty form and a query
    without results, in French and in English; the form works without JavaScript."""
    from tests.test_accessibility_axe import AXE, RUN_AXE

    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    context = browser.new_context(java_script_enabled=True)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    failing = {}
    for path in (
        "/recherche/?q=exploitation",
        "/recherche/",
        "/recherche/?q=zzqxw",
        "/en/recherche/?q=exploitation",
        "/en/recherche/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        violations = page.evaluate(RUN_AXE)
        serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
        if serious:
            failing[path] = serious
    context.close()
    assert failing == {}

    # Without JavaScript: typing and pressing Enter submits the GET form.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/recherche/")
    page.get_by_label("Words to search for").fill("exploitation")
    page.get_by_label("Words to search for").press("Enter")
    page.wait_for_load_state()
    assert "/en/recherche/?q=exploitation" in page.url
    assert page.get_by_role("heading", name=re.compile(r"^Trainings")).is_visible()
    context.close()
