"""Page privacy through aliases (members.access.OneQueryViewRestrictions): a page below an
alias follows the privacy of the page the alias copies, to the end of a chain of aliases, as
Wagtail's own rule does, for every page type that checks it in one query."""

import pytest
from wagtail.models import Page, PageViewRestriction

from catalogue.models import CatalogueIndexPage
from home import routing
from home.models import StandardPage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendering_only(settings):
    settings.PAGE_CACHE_SECONDS = 0
    routing.forget()


def chain_of_aliases(length):
    """A section, then `length` aliases, each of the one before, beside it."""
    home = f.home_page()
    section = StandardPage(title="Réservé", slug="reserve")
    home.add_child(instance=section)
    section.save_revision().publish()
    aliases = []
    source = section
    for number in range(length):
        source = source.create_alias(parent=home, update_slug=f"alias-{number}")
        aliases.append(source)
    return section, aliases


def below(parent, kind):
    if kind == "training":
        return f.training(parent=parent, title="Formation privée")
    if kind == "catalogue":
        page = CatalogueIndexPage(title="Catalogue caché", slug="catalogue-cache")
    else:
        page = StandardPage(title="Page cachée", slug="page-cachee")
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


@pytest.mark.parametrize("length", [1, 2, 3])
@pytest.mark.parametrize("kind", ["training", "catalogue", "standard"])
def test_a_restriction_on_the_original_guards_the_pages_below_its_aliases(client, kind, length):
    section, aliases = chain_of_aliases(length)
    page = below(aliases[-1], kind)
    assert client.get(page.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    assert list(page.get_view_restrictions()) == list(Page.get_view_restrictions(page))
    assert list(page.get_view_restrictions()) == [restriction]
    response = client.get(page.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_restriction_left_on_an_alias_counts_for_nothing_as_in_wagtail(client):
    section, aliases = chain_of_aliases(2)
    page = below(aliases[-1], "standard")
    PageViewRestriction.objects.create(page=aliases[0], restriction_type=PageViewRestriction.LOGIN)
    assert list(page.get_view_restrictions()) == list(Page.get_view_restrictions(page)) == []
    assert client.get(page.url).status_code == 200


def test_restrictions_on_the_page_and_its_ancestors_still_count(client):
    section, _ = chain_of_aliases(0)
    page = below(section, "training")
    on_section = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    on_page = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert set(page.get_view_restrictions()) == {on_section, on_page}
    assert set(Page.get_view_restrictions(page)) == {on_section, on_page}
