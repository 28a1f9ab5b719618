"""Wagtail page privacy (the CMS "Privacy" control: a password, signed-in users or groups, on a
training or on an ancestor such as the catalogue) is honoured wherever a training is shown or
acted on: catalogue, search, directory, feeds, API, enrolment, "Mes formations" and e-mails.

Each probe answers "does this person see (or act on) the restricted training here?"; a
baseline test without any restriction proves every probe can see it, so none passes vacuously.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale, PageViewRestriction

from catalogue.models import OrganisationDirectoryPage
from tests import factories as f
from trainings import emails
from trainings.models import Enrolment, TrainingPage

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-du-comite"
TITLE = "Atelier confidentiel"
SUMMARY = "Contenu réservé du programme."


@pytest.fixture
def world(db):
    cat = f.catalogue()
    provider = f.organisation("Maison Le Phare")
    opened = f.training(cat, "Formation ouverte", provider=provider, sessions=[f.session(9)])
    hidden = f.training(
        cat,
        TITLE,
        provider=provider,
        summary=SUMMARY,
        sessions=[f.session(10), f.session(20)],
    )
    directory = OrganisationDirectoryPage(title="Répertoire", slug="repertoire")
    f.home_page().add_child(instance=directory)
    group = Group.objects.create(name="Enquêteurs")
    insider, outsider = f.member(), f.member()
    insider.groups.add(group)
    first, second = hidden.sessions.order_by("start")
    for person in (insider, outsider):  # enrolled before the committee restricted the page
        Enrolment.objects.create(session=first, user=person, status="confirmed")
    return SimpleNamespace(
        catalogue=cat,
        opened=opened,
        hidden=hidden,
        directory=directory,
        group=group,
        insider=insider,
        outsider=outsider,
        first=first,
        second=second,
    )


def restrict(page, kind, group=None):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password=PASSWORD if kind == "password" else ""
    )
    if kind == "groups":
        restriction.groups.set([group])
    return restriction


def give_password(client, restriction):
    """Wagtail's own password form, as a visitor fills it in."""
    args = [restriction.pk, restriction.page_id]
    url = reverse("wagtailcore_authenticate_with_password", args=args)
    response = client.post(url, {"password": PASSWORD, "return_url": "/"})
    assert response.status_code == 302


def enrol_form():
    answers = {"accessibility_needs": "", "interpretation_language": "", "comment": ""}
    return {"consent": "on", **answers}


def sees_everywhere(client, w, person):
    """Whether the restricted training shows (or can be acted on) at each place."""
    hidden = w.hidden
    listing = client.get(w.catalogue.url).content.decode()
    search = client.get(w.catalogue.url, {"q": "confidentiel"}).content.decode()
    directory = client.get(w.directory.url).content.decode()
    feed = client.get("/calendrier/formations.ics").content.decode()
    api_list = client.get("/api/v2/trainings/").json()
    page = client.get(hidden.url)
    enrol_url = f"/espace-membres/inscription/{w.second.pk}/"
    enrol_get = client.get(enrol_url)
    with TestCase.captureOnCommitCallbacks(execute=True):
        enrol_post = client.post(enrol_url, enrol_form())
    mine = client.get("/espace-membres/")
    token = person.membership.calendar_token
    private = client.get(f"/espace-membres/calendrier/{token}.ics").content.decode()
    enrolment = Enrolment.objects.get(session=w.first, user=person)
    email = emails.queue(enrolment, "reminder")
    return {
        "listing": TITLE in listing,
        "search": TITLE in search,
        "directory": TITLE in directory,
        "catalogue feed": TITLE in feed,
        "training feed": client.get(f"/calendrier/formation-{hidden.pk}.ics").status_code == 200,
        "private feed": TITLE in private,
        "api list": TITLE in [item["title"] for item in api_list["items"]],
        "api detail": client.get(f"/api/v2/trainings/{hidden.pk}/").status_code == 200,
        "page": page.status_code == 200 and SUMMARY in page.content.decode(),
        "enrol form": enrol_get.status_code == 200 and TITLE in enrol_get.content.decode(),
        "enrol": enrol_post.status_code in (200, 302)
        and Enrolment.objects.filter(session=w.second, user=person).exists(),
        "my trainings link": mine.status_code == 200
        and f'href="{hidden.url}"' in mine.content.decode(),
        "e-mail link": hidden.url in email.body,  # the page's path, in its absolute address
    }


EVERYWHERE = {
    "listing",
    "search",
    "directory",
    "catalogue feed",
    "training feed",
    "private feed",
    "api list",
    "api detail",
    "page",
    "enrol form",
    "enrol",
    "my trainings link",
    "e-mail link",
}
# Shared, cached or cookie-less outputs are the anonymous public's view.
PUBLIC_ONLY = {"catalogue feed", "api list", "api detail"}
# Feeds and e-mails are read without the browser's session, so a shared password never opens them.
WITHOUT_SESSION = {"training feed", "private feed", "e-mail link"}
# The private feed and the e-mails are the signed-in member's own, even read while signed out.
ACCOUNT_BOUND = {"private feed", "e-mail link"}


def expected(kind, allowed):
    if allowed:
        seen = EVERYWHERE - PUBLIC_ONLY
        return seen - WITHOUT_SESSION if kind == "password" else seen
    # An anonymous visitor excluded by "signed-in users only" still owns no account-bound place;
    # the member's own feed and e-mails follow the member, who is signed in.
    return ACCOUNT_BOUND if kind == "login" else set()


def visitor(client, w, kind, allowed, restriction):
    """The person the restriction lets in (allowed) or keeps out, signed in as they would be."""
    if kind == "password":
        client.force_login(w.outsider)
        if allowed:
            give_password(client, restriction)
        return w.outsider
    if kind == "login":
        if allowed:
            client.force_login(w.outsider)
        return w.outsider
    person = w.insider if allowed else w.outsider
    client.force_login(person)
    return person


def test_without_restriction_every_place_shows_the_training(client, world):
    """The probes can see: the baseline every restricted case is compared with."""
    client.force_login(world.outsider)
    seen = sees_everywhere(client, world, world.outsider)
    assert {place for place, shown in seen.items() if shown} == EVERYWHERE


@pytest.mark.parametrize("allowed", [False, True], ids=["excluded", "allowed"])
@pytest.mark.parametrize("where", ["page", "ancestor"])
@pytest.mark.parametrize("kind", ["password", "login", "groups"])
def test_restriction_is_honoured_everywhere(client, world, kind, where, allowed):
    target = world.hidden if where == "page" else world.catalogue
    restriction = restrict(target, kind, world.group)
    person = visitor(client, world, kind, allowed, restriction)
    seen = sees_everywhere(client, world, person)
    assert {place for place, shown in seen.items() if shown} == expected(kind, allowed)


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
def test_open_trainings_stay_listed_beside_a_restricted_one(client, world, kind):
    restrict(world.hidden, kind, world.group)
    listing = client.get(world.catalogue.url).content.decode()
    assert "Formation ouverte" in listing and TITLE not in listing
    feed = client.get("/calendrier/formations.ics").content.decode()
    assert "Formation ouverte" in feed and TITLE not in feed


def test_a_provider_that_left_takes_its_trainings_along(client, world):
    """The rules `listed()` had before privacy still hold, in the per-object twin too."""
    world.hidden.provider.active = False
    world.hidden.provider.save()
    client.force_login(world.outsider)
    assert not world.hidden.is_visible_to(world.outsider)
    assert client.get(world.hidden.url).status_code == 404
    assert client.get(f"/espace-membres/inscription/{world.second.pk}/").status_code == 404
    assert TITLE not in client.get(world.catalogue.url).content.decode()


def test_superusers_pass_group_restrictions_as_in_wagtail(client, world):
    restrict(world.hidden, "groups", world.group)
    admin = f.user(is_superuser=True, is_staff=True)
    assert world.hidden.is_visible_to(admin)
    assert TrainingPage.objects.listed(admin).filter(pk=world.hidden.pk).exists()
    client.force_login(admin)
    assert TITLE in client.get(world.catalogue.url).content.decode()


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
def test_per_object_check_agrees_with_wagtail_and_with_the_queryset(rf, world, kind):
    """`is_visible_to` says what Wagtail's own `accept_request` says for the page, and
    `listed()` never disagrees with it (except that it never counts a password)."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    restriction = restrict(world.catalogue, kind, world.group)
    for user in (AnonymousUser(), world.outsider, world.insider):
        for passed in ([], [restriction.pk]):
            request = rf.get("/")
            request.user = user
            request.session = SessionStore()
            request.session[PageViewRestriction.passed_view_restrictions_session_key] = passed
            wagtail = all(r.accept_request(request) for r in world.hidden.get_view_restrictions())
            assert world.hidden.is_visible_to(user, request) == wagtail, (user, passed)
            listed = TrainingPage.objects.listed(user).filter(pk=world.hidden.pk).exists()
            assert listed == (wagtail and kind != "password"), (user, passed)


def test_catalogue_queries_do_not_grow_with_restrictions(client, world):
    """Privacy is one subquery of the listing's query: no query per restriction or per row."""

    def count():
        client.get(world.catalogue.url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(world.catalogue.url, {"q": "formation"})
        assert response.status_code == 200
        return len(captured)

    client.force_login(world.insider)
    before = count()
    for number in range(4):
        page = f.training(world.catalogue, f"Formation privée {number}", sessions=[f.session(8)])
        restrict(page, ["password", "login", "groups", "groups"][number], world.group)
    assert count() == before


# -- Translations: the French page's privacy covers every language version -------------------


@pytest.fixture
def translated(world):
    english = Locale.objects.get_or_create(language_code="en")[0]
    catalogue = world.catalogue.copy_for_translation(english, copy_parents=True)
    catalogue.slug = "catalogue-en"
    catalogue.save_revision().publish()  # a real translation, as the demo makes, not an alias
    page = world.hidden.copy_for_translation(english)
    page.save_revision().publish()
    world.english = TrainingPage.objects.get(pk=page.pk)
    world.english_catalogue = world.english.get_parent().specific
    return world


def english_catalogue_titles(client, w):
    return client.get(w.english_catalogue.url, {"period": "all"}).content.decode()


def test_a_restriction_on_the_french_page_hides_its_english_version(client, translated):
    w = translated
    assert TITLE in english_catalogue_titles(client, w)
    assert client.get(w.english.url).status_code == 200
    restrict(w.hidden, "login")
    assert TITLE not in english_catalogue_titles(client, w)
    assert client.get(w.english.url).status_code == 404
    assert not w.english.is_visible_to(None)
    client.force_login(w.outsider)
    assert TITLE in english_catalogue_titles(client, w)
    assert client.get(w.english.url).status_code == 200


def test_a_restriction_on_the_english_side_hides_the_english_page_only(client, translated):
    w = translated
    restrict(w.english_catalogue, "groups", w.group)
    client.force_login(w.outsider)
    assert not w.english.is_visible_to(w.outsider)
    assert w.hidden.is_visible_to(w.outsider)
    assert TITLE in client.get(w.catalogue.url).content.decode()
    assert not TrainingPage.objects.listed(w.outsider).filter(pk=w.english.pk).exists()
    client.force_login(w.insider)
    assert w.english.is_visible_to(w.insider)


def test_a_coordinator_cannot_enrol_a_colleague_the_restriction_excludes(client, world):
    """A coordinator in the group may enrol themselves, not a colleague outside it; a colleague's
    seat in a training the coordinator may not see stays out of the coordinator's list."""
    restrict(world.hidden, "groups", world.group)
    organisation = f.organisation("Police (démo)")
    coordinator = f.member(organisation, role="coordinator")
    coordinator.groups.add(world.group)
    outside, inside = f.member(organisation), f.member(organisation)
    inside.groups.add(world.group)
    client.force_login(coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            f"/espace-membres/inscription/{world.second.pk}/",
            {**enrol_form(), "include_me": "on", "colleagues": [outside.pk, inside.pk]},
        )
    enrolled = set(Enrolment.objects.filter(session=world.second).values_list("user", flat=True))
    assert enrolled == {coordinator.pk, inside.pk}
    # A coordinator outside the group does not see their colleague's seat in it.
    other = f.member(organisation, role="coordinator")
    client.force_login(other)
    assert TITLE not in client.get("/espace-membres/").content.decode()
    client.force_login(coordinator)
    assert TITLE in client.get("/espace-membres/").content.decode()


# -- Acting on an enrolment: one's own seat always, a colleague's only in a visible training -------


def cancel_page(client, enrolment):
    return client.get(reverse("enrolments:cancel", args=[enrolment.pk]))


def test_a_coordinator_outside_the_restriction_cannot_see_or_cancel_a_colleague_seat(client, world):
    """The colleague is in the group, the coordinator is not: the seat's training does not exist
    for the coordinator (404), as in "Mes formations"; one in the group may act on it."""
    restrict(world.hidden, "groups", world.group)
    organisation = world.insider.membership.organisation
    seat = Enrolment.objects.get(session=world.first, user=world.insider)
    url = reverse("enrolments:cancel", args=[seat.pk])
    allowed = f.member(organisation, role="coordinator")
    allowed.groups.add(world.group)
    client.force_login(allowed)
    page = cancel_page(client, seat)
    assert page.status_code == 200 and TITLE in page.content.decode()  # the probe can see
    excluded = f.member(organisation, role="coordinator")
    client.force_login(excluded)
    assert cancel_page(client, seat).status_code == 404
    assert client.post(url).status_code == 404
    seat.refresh_from_db()
    assert seat.status == "confirmed"


def test_a_member_may_still_cancel_their_own_seat_in_a_training_now_restricted(client, world):
    restrict(world.hidden, "groups", world.group)
    seat = Enrolment.objects.get(session=world.first, user=world.outsider)
    client.force_login(world.outsider)
    page = cancel_page(client, seat)
    body = page.content.decode()
    assert page.status_code == 200 and TITLE in body
    assert f'href="{world.hidden.url}"' not in body and SUMMARY not in body
    client.post(reverse("enrolments:cancel", args=[seat.pk]))
    seat.refresh_from_db()
    assert seat.status == "cancelled"


ROOM = "https://meet.example/salle-secrete"


def online(world):
    world.first.format = "online"
    world.first.online_url = ROOM
    world.first.save()


def seat_holder_sees(client, world, person):
    """What the seat holder gets of their training: the meeting link in "Mes formations",
    the title, the per-enrolment calendar file (and whether it has the link), the private feed."""
    seat = Enrolment.objects.get(session=world.first, user=person)
    client.force_login(person)
    mine = client.get(reverse("enrolments:my_trainings")).content.decode()
    ics = client.get(reverse("enrolments:enrolment_calendar", args=[seat.pk]))
    token = person.membership.calendar_token
    private = client.get(reverse("enrolments:private_calendar", args=[token])).content.decode()
    calendar_link = reverse("enrolments:enrolment_calendar", args=[seat.pk])
    return {
        "title": TITLE in mine,
        "cancel link": reverse("enrolments:cancel", args=[seat.pk]) in mine,
        "meeting link": ROOM in mine,
        "calendar link": f'href="{calendar_link}"' in mine,
        "calendar file": ics.status_code == 200 and ROOM in ics.content.decode(),
        "private feed": ROOM in private,
    }


def test_a_member_whose_access_was_withdrawn_keeps_the_title_not_the_meeting(client, world):
    """Agrees with the private feed: a training the member may no longer see gives no meeting
    link and no calendar file; its title stays, so that the seat can be cancelled."""
    online(world)
    everything = {
        "title": True,
        "cancel link": True,
        "meeting link": True,
        "calendar link": True,
        "calendar file": True,
        "private feed": True,
    }
    assert seat_holder_sees(client, world, world.outsider) == everything  # the probes can see
    restrict(world.hidden, "groups", world.group)
    assert seat_holder_sees(client, world, world.insider) == everything
    withdrawn = seat_holder_sees(client, world, world.outsider)
    assert withdrawn == {**dict.fromkeys(everything, False), "title": True, "cancel link": True}
    seat = Enrolment.objects.get(session=world.first, user=world.outsider)
    ics = client.get(reverse("enrolments:enrolment_calendar", args=[seat.pk]))
    assert ics.status_code == 404
