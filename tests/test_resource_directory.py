"""The resource directory (issue 12, item 1): members find a service by need, person, region
and language, in French and English, and print its sheet; the public sees only the entries the
committee made public; the committee edits entries and sees those not verified for a year."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from home import routing
from members.models import (
    PeopleServed,
    Resource,
    ResourceDirectoryPage,
    ResourceRegion,
    ServiceType,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendering_only(settings):
    settings.PAGE_CACHE_SECONDS = 0
    routing.forget()


def resource(name, services=(), people=(), regions=(), **fields):
    fields.setdefault("organisation", "Organisme (test)")
    entry = Resource(name=name, **fields)
    entry.service_types = list(ServiceType.objects.filter(slug__in=services))
    entry.people_served = list(PeopleServed.objects.filter(slug__in=people))
    entry.region_links = [ResourceRegion(region=code) for code in regions]
    entry.save()
    return entry


@pytest.fixture
def directory(db):
    page = ResourceDirectoryPage(title="Ressources", slug="ressources")
    f.home_page().add_child(instance=page)
    return page


@pytest.fixture
def entries(directory):
    return {
        "shelter": resource(
            "Maison pour jeunes",
            name_en="Youth shelter",
            services=["hebergement"],
            people=["mineurs"],
            regions=["06"],
            in_english=True,
            open_24_7=True,
            phone="514 555-0199",
        ),
        "adult shelter": resource(
            "Maison pour femmes", services=["hebergement"], people=["femmes"], regions=["06"]
        ),
        "quebec shelter": resource(
            "Maison de Québec", services=["hebergement"], people=["mineurs"], regions=["03"]
        ),
        "hotline": resource(
            "Ligne d’écoute",
            name_en="Helpline",
            services=["ligne-ecoute"],
            whole_province=True,
            in_english=True,
            public=True,
        ),
        "clinic": resource(
            "Clinique juridique",
            services=["aide-juridique"],
            regions=["06"],
            public=True,
            description="Consultations sur le statut d’immigration.",
        ),
    }


def names(client, directory, **query):
    html = client.get(directory.url, query).content.decode()
    return [entry.name for entry in Resource.objects.all() if f">{entry.name}</a>" in html]


def test_the_terms_of_the_facets_come_with_the_migrations():
    assert set(ServiceType.objects.values_list("slug", flat=True)) >= {
        "hebergement",
        "aide-juridique",
        "sante",
        "psychosocial",
        "interpretation",
        "immigration",
        "emploi",
        "accompagnement-judiciaire",
    }
    assert set(PeopleServed.objects.values_list("slug", flat=True)) >= {
        "femmes",
        "mineurs",
        "personnes-migrantes",
        "autochtones",
        "hommes",
        "lgbtq",
    }


def test_a_member_finds_a_shelter_for_minors_in_montreal(client, directory, entries):
    client.force_login(f.member())
    found = names(client, directory, service="hebergement", people="mineurs", region="06")
    assert found == ["Maison pour jeunes"]


def test_a_region_also_finds_the_services_reached_from_everywhere(client, directory, entries):
    client.force_login(f.member())
    found = names(client, directory, region="06")
    assert set(found) == {
        "Maison pour jeunes",
        "Maison pour femmes",
        "Ligne d’écoute",
        "Clinique juridique",
    }


def test_language_24_7_and_words(client, directory, entries):
    client.force_login(f.member())
    assert set(names(client, directory, language="en")) == {"Maison pour jeunes", "Ligne d’écoute"}
    assert names(client, directory, open_24_7="on") == ["Maison pour jeunes"]
    assert names(client, directory, q="immigration") == ["Clinique juridique"]
    assert names(client, directory, q="MAISON jeunes") == ["Maison pour jeunes"]


def test_the_public_sees_only_the_public_entries(client, directory, entries):
    assert set(names(client, directory)) == {"Ligne d’écoute", "Clinique juridique"}
    assert names(client, directory, service="hebergement") == []
    client.force_login(f.user())  # signed in, but of no member organisation
    assert set(names(client, directory)) == {"Ligne d’écoute", "Clinique juridique"}
    client.force_login(f.member())
    assert len(names(client, directory)) == 5


def test_an_entry_page_is_a_404_for_whoever_may_not_see_it(client, directory, entries):
    shelter = entries["shelter"]
    url = directory.url + directory.reverse_subpage("entry", args=[shelter.pk])
    assert client.get(url).status_code == 404
    public = directory.url + directory.reverse_subpage("entry", args=[entries["hotline"].pk])
    assert client.get(public).status_code == 200
    client.force_login(f.member())
    html = client.get(url).content.decode()
    assert "<h1" in html and "Maison pour jeunes" in html and 'href="tel:' in html
    assert "Imprimer" in html or "print" in html.lower()
    assert client.get(directory.url + "999999/").status_code == 404


def test_the_english_page_shows_english(client, directory, entries):
    locale = Locale.objects.get_or_create(language_code="en")[0]
    english = directory.copy_for_translation(locale, copy_parents=True)
    english.slug = "resources"
    english.save_revision().publish()
    for ancestor in english.get_ancestors().filter(depth__gt=1, live=False):
        ancestor.specific.save_revision().publish()
    english = ResourceDirectoryPage.objects.get(pk=english.pk)
    client.force_login(f.member())
    html = client.get(english.url, {"service": "hebergement", "region": "06"}).content.decode()
    assert "Youth shelter" in html and "Shelter" in html and "Minors" in html
    assert "Type of service" in html and "Montréal" in html
    french = client.get(directory.url).content.decode()
    assert "Type de service" in french and "Hébergement" in french


def test_bad_input_gets_a_notice_and_changes_nothing(client, directory, entries):
    client.force_login(f.member())
    for query in (
        {"service": "inconnu"},
        {"people": ["mineurs", "<script>"]},
        {"region": "99"},
        {"language": "xx"},
        {"page": "abc"},
        {"page": "²"},
        {"q": "x" * 5000},
    ):
        response = client.get(directory.url, query)
        assert response.status_code == 200, query
    html = client.get(directory.url, {"service": "inconnu", "region": "99"}).content.decode()
    assert "ignorées" in html or "ignored" in html
    assert "&lt;script&gt;" not in html or "<script>" not in html.split("<main")[1]


def test_page_privacy_on_the_directory_is_honoured(client, directory, entries):
    PageViewRestriction.objects.create(page=directory, restriction_type="login")
    response = client.get(directory.url)
    assert response.status_code == 302 and "Ligne" not in response.content.decode()
    entry = directory.url + directory.reverse_subpage("entry", args=[entries["hotline"].pk])
    assert client.get(entry).status_code == 302


def test_queries_do_not_grow_with_the_entries(client, directory, entries):
    client.force_login(f.member())
    client.get(directory.url)

    def queries():
        client.get(directory.url)  # the header and facets, kept again after new content
        with CaptureQueriesContext(connection) as captured:
            assert client.get(directory.url).status_code == 200
        return len(captured)

    few = queries()
    for number in range(15):
        resource(f"Service {number}", services=["sante"], people=["femmes"], regions=["06"])
    assert queries() == few <= 15


def test_a_change_shows_to_the_next_anonymous_visitor(client, settings, directory, entries):
    settings.PAGE_CACHE_SECONDS = 300
    assert "Clinique juridique" in client.get(directory.url).content.decode()
    clinic = entries["clinic"]
    clinic.name = "Clinique d’aide juridique"
    clinic.save()
    html = client.get(directory.url).content.decode()
    assert "Clinique d’aide juridique" in html
    clinic.public = False
    clinic.save()
    assert "Clinique d’aide juridique" not in client.get(directory.url).content.decode()


# -- The committee's side --------------------------------------------------------------------


def test_the_committee_edits_an_entry_with_its_regions(client, entries):
    client.force_login(f.user(is_superuser=True, is_staff=True))
    shelter = entries["shelter"]
    url = f"/admin/snippets/members/resource/edit/{shelter.pk}/"
    form = client.get(url).context["form"]
    assert form.initial["regions"] == ["06"]
    data = {
        "name": shelter.name,
        "organisation": shelter.organisation,
        "service_types": [ServiceType.objects.get(slug="hebergement").pk],
        "regions": ["06", "13"],
        "in_french": "on",
        "last_verified": "2026-01-15",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert sorted(shelter.region_links.values_list("region", flat=True)) == ["06", "13"]
    data["regions"] = []
    response = client.post(url, data)
    assert response.status_code == 200
    assert "partout au Québec" in str(response.context["form"].errors["regions"])
    assert sorted(shelter.region_links.values_list("region", flat=True)) == ["06", "13"]


def test_the_committee_lists_the_entries_not_verified_for_a_year(client, entries):
    today = timezone.localdate()
    Resource.objects.filter(pk=entries["clinic"].pk).update(
        last_verified=today - datetime.timedelta(days=400)
    )
    client.force_login(f.user(is_superuser=True, is_staff=True))
    html = client.get("/admin/snippets/members/resource/?verification=due").content.decode()
    assert "Clinique juridique" in html and "Maison pour jeunes" not in html
    menu = client.get("/admin/").content.decode()
    assert "verification=due" in menu


def test_the_training_committee_keeps_the_directory(client, entries):
    from django.contrib.auth.models import Group

    from committee import roles

    person = f.user(is_staff=False)
    person.groups.add(Group.objects.get(name=roles.TRAINING_COMMITTEE))
    client.force_login(person)
    assert "verification=due" in client.get("/admin/").content.decode()
    assert client.get("/admin/snippets/members/resource/").status_code == 200
    assert client.get("/admin/snippets/members/servicetype/add/").status_code == 200
    editor = f.user()
    editor.groups.add(Group.objects.get(name=roles.ORGANISATION_EDITORS))
    client.force_login(editor)
    assert "verification=due" not in client.get("/admin/").content.decode()
    assert client.get("/admin/snippets/members/resource/").status_code in (302, 403)


def test_words_are_found_without_accents_capitals_or_curly_apostrophes(client, directory):
    resource(
        "Maison d’hébergement Interprètes",
        services=["hebergement"],
        regions=["06"],
        public=True,
    )
    for words in (
        "maison d'hébergement",
        "maison d’hébergement",
        "hebergement",
        "HÉBERGEMENT",
        "interpretes",
        "MAISON D'HEBERGEMENT",
    ):
        assert names(client, directory, q=words) == ["Maison d’hébergement Interprètes"], words
    assert names(client, directory, q="hebergement absent") == []


def test_other_languages_are_written_in_the_page_language(client, directory, entries):
    hotline = entries["hotline"]
    hotline.other_languages = "plus de 200 langues"
    hotline.other_languages_en = "more than 200 languages"
    hotline.save()
    locale = Locale.objects.get_or_create(language_code="en")[0]
    english = directory.copy_for_translation(locale, copy_parents=True)
    english.slug = "resources"
    english.save_revision().publish()
    for ancestor in english.get_ancestors().filter(depth__gt=1, live=False):
        ancestor.specific.save_revision().publish()
    english = ResourceDirectoryPage.objects.get(pk=english.pk)
    html = client.get(english.url).content.decode()
    assert "more than 200 languages" in html and "plus de 200 langues" not in html
    assert "plus de 200 langues" in client.get(directory.url).content.decode()


def test_a_printed_sheet_does_not_repeat_its_addresses():
    from pathlib import Path

    css = (Path(__file__).parent.parent / "site/static/css/print.css").read_text()
    assert ".resource__facts a::after" in css.split("content: none")[-2]


def test_committee_accounts_without_staff_status_see_what_they_keep(client, directory, entries):
    """Wagtail's user form gives admin access by a group, never `is_staff`: such an account
    sees the members-only entries (and trainings) it edits."""
    from django.contrib.auth.models import Group

    from committee import roles

    person = f.user(is_staff=False)
    person.groups.add(Group.objects.get(name=roles.TRAINING_COMMITTEE))
    client.force_login(person)
    assert "Maison pour jeunes" in names(client, directory)
    sheet = directory.url + directory.reverse_subpage("entry", args=[entries["shelter"].pk])
    assert client.get(sheet).status_code == 200
