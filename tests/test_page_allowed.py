"""`members.access.page_allowed`, page privacy for one page, answers what `allowed_pages` answers
for that page, in every case: a restriction of each kind on the page, an ancestor, the French
version, the English side or elsewhere, for each kind of person, with and without a passed
password. And it takes its shortcut (no privacy subquery) only when no restriction sits over
the page."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction

from members.access import allowed_pages, page_allowed, restrictions_over
from tests import factories as f
from trainings.models import TrainingPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    catalogue = f.catalogue()
    french = f.training(catalogue, "Atelier confidentiel", sessions=[f.session(10)])
    sibling = f.training(catalogue, "Atelier voisin", sessions=[f.session(12)])
    english_locale = Locale.objects.get_or_create(language_code="en")[0]
    english_catalogue = catalogue.copy_for_translation(english_locale, copy_parents=True)
    english_catalogue.slug = "catalogue-en"
    english_catalogue.save_revision().publish()
    english = french.copy_for_translation(english_locale)
    english.save_revision().publish()
    group = Group.objects.create(name="Enquêteurs")
    insider = f.member()
    insider.groups.add(group)
    return SimpleNamespace(
        catalogue=catalogue,
        french=french,
        sibling=sibling,
        english_catalogue=english_catalogue.specific,
        english=TrainingPage.objects.get(pk=english.pk),
        group=group,
        people=[
            AnonymousUser(),
            f.user(),  # signed in, no membership
            f.member(),
            insider,
            f.user(is_superuser=True, is_staff=True),
        ],
    )


def restrict(page, kind, group):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="secret" if kind == "password" else ""
    )
    if kind == "groups":
        restriction.groups.set([group])
    return restriction


def request_for(rf, user, passed):
    request = rf.get("/")
    request.user = user
    request.session = SessionStore()
    request.session[PageViewRestriction.passed_view_restrictions_session_key] = passed
    return request


PLACES = ["french", "catalogue", "english", "english_catalogue", "sibling"]


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
@pytest.mark.parametrize("place", PLACES)
def test_one_page_gets_the_answer_of_the_listing(rf, site, place, kind):
    restriction = restrict(getattr(site, place), kind, site.group)
    answers = set()
    for page in (site.french, site.english):
        for user in site.people:
            for passed in ([], [restriction.pk]):
                request = request_for(rf, user, passed)
                listing = allowed_pages(Page.objects.all(), user, request)
                expected = listing.filter(pk=page.pk).exists()
                assert page_allowed(page, user, request) == expected, (page, user, passed)
                answers.add(expected)
            without_request = allowed_pages(Page.objects.all(), user).filter(pk=page.pk)
            assert page_allowed(page, user) == without_request.exists(), (page, user)
    assert answers == ({True} if place == "sibling" else {True, False})  # no vacuous pass


def test_a_page_outside_the_given_pages_is_not_allowed(site):
    site.french.unpublish()
    assert page_allowed(site.french, None)
    assert not page_allowed(site.french, None, pages=Page.objects.live())
    restrict(site.catalogue, "login", site.group)
    assert not page_allowed(site.french, site.people[2], pages=Page.objects.live())


def test_the_shortcut_is_taken_only_without_a_restriction_over_the_page(site):
    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            page_allowed(page, site.people[3])
        return [query["sql"] for query in captured]

    restrict(site.sibling, "groups", site.group)  # elsewhere: changes nothing here
    shortcut = queries(site.english)
    assert len(shortcut) == 2  # the governing pages' paths, then the page
    assert not any("pageviewrestriction_groups" in sql for sql in shortcut)
    restrict(site.catalogue, "groups", site.group)  # over the French version
    assert len(queries(site.english)) == 3


def test_restrictions_over_an_english_page_include_those_over_its_french_version(site):
    on_french_side = restrict(site.catalogue, "login", site.group)
    on_english_side = restrict(site.english_catalogue, "password", site.group)
    restrict(site.sibling, "login", site.group)
    assert set(restrictions_over(site.english)) == {on_french_side, on_english_side}
    assert set(restrictions_over(site.french)) == {on_french_side}


def test_without_a_refusing_restriction_listings_skip_the_privacy_subquery(rf, site):
    request = request_for(rf, site.people[2], [])
    with CaptureQueriesContext(connection) as captured:
        ids = set(allowed_pages(Page.objects.all(), site.people[2], request).values_list("pk"))
        again = set(allowed_pages(Page.objects.all(), site.people[2], request).values_list("pk"))
    assert ids == again == set(Page.objects.values_list("pk"))
    sql = [query["sql"] for query in captured]
    assert len(sql) == 3  # the question (once for the request), then each listing
    assert all("pageviewrestriction" not in query for query in sql[1:])


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
def test_a_restriction_elsewhere_still_hides_its_own_pages(rf, site, kind):
    restrict(site.sibling, kind, site.group)
    for user in site.people:
        request = request_for(rf, user, [])
        listing = set(allowed_pages(TrainingPage.objects.all(), user, request))
        assert site.french in listing
        refused = kind == "password" or (kind == "login" and not user.is_authenticated)
        refused = refused or (kind == "groups" and user not in site.people[3:])
        assert (site.sibling not in listing) == refused, (kind, user)


def test_the_answer_follows_who_asks_within_one_request(rf, site):
    restrict(site.sibling, "login", site.group)
    request = request_for(rf, AnonymousUser(), [])
    assert site.sibling not in set(allowed_pages(TrainingPage.objects.all(), None, request))
    member = site.people[2]
    request.user = member  # signed in during the request
    assert site.sibling in set(allowed_pages(TrainingPage.objects.all(), member, request))
