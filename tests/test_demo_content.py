"""load_demo builds one tree, whatever the number of runs, and respects editors' changes."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from demo import campaigns
from home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def run_load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_load_demo_twice_leaves_one_tree(demo):
    before = list(Page.objects.order_by("path").values_list("path", "slug", "locale_id"))
    run_load_demo()
    after = list(Page.objects.order_by("path").values_list("path", "slug", "locale_id"))
    assert before == after
    assert HomePage.objects.count() == 2  # French and English
    assert StandardPage.objects.count() == 10  # about, members, criteria, privacy, safety
    # The network image of the pages, and the campaigns' illustrations.
    assert get_image_model().objects.count() == 1 + len(campaigns.IMAGES)
    assert Site.objects.count() == 1


def test_the_default_site_serves_the_french_home(demo):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific.__class__ is HomePage
    assert site.root_page.locale.language_code == "fr-ca"
    # Wagtail's "Welcome" page is gone.
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()


def test_every_page_has_an_english_translation(demo):
    english = Locale.objects.get(language_code="en")
    for page in Page.objects.filter(depth__gte=2, locale__language_code="fr-ca"):
        translation = page.get_translation_or_none(english)
        assert translation is not None and translation.live, page.title


def test_a_second_run_keeps_the_editors_changes(demo):
    about = StandardPage.objects.get(slug="a-propos")
    about.title = "Qui sommes-nous"
    about.save_revision().publish()
    run_load_demo()
    about.refresh_from_db()
    assert about.title == "Qui sommes-nous"
    assert StandardPage.objects.filter(locale__language_code="fr-ca").count() == 5


def test_pages_render_their_live_content_after_load(client, demo):
    from meetings.models import MeetingPage
    from trainings.models import TrainingPage

    members_only = set(
        TrainingPage.objects.filter(visibility="members").values_list("pk", flat=True)
    )
    meetings = set(MeetingPage.objects.values_list("pk", flat=True))  # sign in first
    assert members_only and meetings
    for page in Page.objects.live().filter(depth__gte=2):
        response = client.get(page.get_url())
        expected = 404 if page.pk in members_only else 302 if page.pk in meetings else 200
        assert response.status_code == expected, page.get_url()
    members_only |= meetings
    from members.models import Membership, Organisation

    person = get_user_model().objects.create_user("membre", "m@example.org", "pw")
    Membership.objects.create(user=person, organisation=Organisation.objects.first())
    client.force_login(person)
    for page in Page.objects.live().filter(pk__in=members_only):
        assert client.get(page.get_url()).status_code == 200, page.get_url()
