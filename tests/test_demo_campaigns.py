"""load_demo builds the awareness campaigns (demo/campaigns.py) and the home pages' hero."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils.html import escape
from PIL import Image as PillowImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision

from demo import campaigns
from demo.draw import DOCUMENTS_DIR, IMAGES_DIR
from home.blocks import CampaignBodyBlock
from home.models import CampaignIndexPage, CampaignPage, HomePage
from trainings.models import TrainingPage

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr-ca", "en")


def run_load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def loaded(frozen_now, demo):
    """The demo, loaded on the tests' frozen day (15 June 2026, Montréal)."""
    return frozen_now


def campaign(short_name, language):
    return CampaignPage.objects.get(short_name=short_name, locale__language_code=language)


def blocks_of(page, *types):
    return [block for block in page.body if not types or block.block_type in types]


# -- The files shipped in the repository ------------------------------------------------------


@pytest.mark.parametrize("filename", sorted(campaigns.IMAGES))
def test_demo_images_are_small_and_sized_for_their_use(filename):
    path = IMAGES_DIR / filename
    assert path.stat().st_size <= 150 * 1024
    with PillowImage.open(path) as picture:
        heroes = {data["hero_image"] for _key, data in campaigns.CAMPAIGNS}
        assert picture.size == ((1600, 900) if filename in heroes else (1200, 800))
    for language in LANGUAGES:
        assert len(campaigns.IMAGES[filename]["alt"][language]) > 30


@pytest.mark.parametrize("filename", sorted(campaigns.DOCUMENTS))
def test_demo_documents_are_real_pdfs(filename):
    data = (DOCUMENTS_DIR / filename).read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"1-833-900-1010" in data


# -- What load_demo builds -------------------------------------------------------------------


def test_both_campaigns_exist_live_in_french_and_english(loaded):
    english = Locale.objects.get(language_code="en")
    assert CampaignPage.objects.count() == 4
    for index in CampaignIndexPage.objects.all():
        assert index.live and index.get_parent().specific.__class__ is HomePage
    assert CampaignIndexPage.objects.count() == 2
    for short_name in ("grandprix", "agriculture"):
        french = campaign(short_name, "fr-ca")
        translation = french.get_translation(english).specific
        assert french.live and translation.live
        assert translation.short_name == short_name
        assert translation.title != french.title
        assert translation.get_parent().specific == CampaignIndexPage.objects.get(locale=english)
        assert (translation.start_date, translation.end_date) == (
            french.start_date,
            french.end_date,
        )


def test_on_the_frozen_day_the_grand_prix_is_current_and_agriculture_past(loaded):
    today = loaded.date()
    grand_prix, agriculture = campaign("grandprix", "fr-ca"), campaign("agriculture", "fr-ca")
    assert (grand_prix.start_date, grand_prix.end_date) == (
        datetime.date(2026, 6, 1),
        datetime.date(2026, 6, 30),
    )
    assert (agriculture.start_date, agriculture.end_date) == (
        datetime.date(2025, 8, 1),
        datetime.date(2025, 10, 31),
    )
    assert grand_prix.is_current(today) and not agriculture.is_current(today)
    timeline = blocks_of(agriculture, "timeline")[0].value
    assert [milestone["year"] for milestone in timeline["milestones"]] == [2025, 2025, 2025]


def test_dates_follow_the_day_the_demo_is_loaded(db):
    """With the real clock (`make run`), there is always a campaign under way."""
    moment = datetime.datetime(2027, 1, 20, 9, 0, tzinfo=ZoneInfo("America/Montreal"))
    with time_machine.travel(moment, tick=True):
        run_load_demo()
    grand_prix, agriculture = campaign("grandprix", "en"), campaign("agriculture", "en")
    assert grand_prix.is_current(moment.date())
    assert agriculture.end_date < moment.date()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_campaign_block_type_is_used_in_each_language(loaded, language):
    used = {
        block.block_type
        for page in CampaignPage.objects.filter(locale__language_code=language)
        for block in page.body
    }
    assert set(CampaignBodyBlock().child_blocks) <= used


def test_every_call_to_action_kind_is_used(loaded):
    kinds = set()
    for page in CampaignPage.objects.filter(locale__language_code="fr-ca"):
        for block in blocks_of(page, "call_to_action"):
            value = block.value
            for kind in ("link_page", "link_document", "link_url", "link_phone", "link_email"):
                if value.get(kind):
                    kinds.add(kind)
    assert kinds == {"link_page", "link_document", "link_url", "link_phone", "link_email"}


def test_the_campaign_bodies_are_valid_as_an_editor_would_save_them(loaded):
    for page in CampaignPage.objects.all():
        page.full_clean()
        page.body.stream_block.clean(page.body)  # raises on any invalid block


def test_chosen_things_exist_in_the_page_language(loaded):
    for page in CampaignPage.objects.all():
        language = page.locale.language_code
        for block in blocks_of(page, "related_trainings"):
            trainings = list(block.value["trainings"])
            assert trainings
            for training in trainings:
                assert isinstance(training.specific, TrainingPage)
                assert training.locale.language_code == language
        for block in blocks_of(page, "partners"):
            assert len(block.value["organisations"]) == 3
        for block in blocks_of(page, "resources"):
            for item in block.value["resources"]:
                assert item["document"].file.name.endswith(".pdf")
        for block in blocks_of(page, "call_to_action"):
            link_page = block.value.get("link_page")
            if link_page:
                assert link_page.locale.language_code == language


def test_images_have_alternative_texts(loaded):
    for page in CampaignPage.objects.all():
        assert page.hero_image is not None and len(page.hero_image_alt) > 30
        for block in blocks_of(page, "image"):
            assert block.value["alt_text"].strip()
        for block in blocks_of(page, "gallery"):
            for item in block.value["images"]:
                assert item["alt_text"].strip() and item["caption"].strip()
    for home in HomePage.objects.all():
        assert home.hero_image is not None and home.hero_image_alt.strip()


def test_testimonies_are_consented_anonymous_and_say_they_are_fictional(loaded):
    testimonies = [
        block.value for page in CampaignPage.objects.all() for block in blocks_of(page, "testimony")
    ]
    assert len(testimonies) == 4
    for value in testimonies:
        assert value["consent"] and value["name_withheld"]
        assert "fictif" in value["role"] or "fictional" in value["role"]


def test_both_home_pages_feature_the_grand_prix_in_their_language(loaded):
    for language in LANGUAGES:
        home = HomePage.objects.get(locale__language_code=language)
        assert home.hero_heading
        assert home.featured_campaign.specific == campaign("grandprix", language)
        assert home.live and not home.has_unpublished_changes


def test_a_second_run_changes_nothing(loaded):
    def snapshot():
        return {
            "pages": list(Page.objects.order_by("path").values_list("path", "slug", "locale")),
            "revisions": Revision.objects.count(),
            "images": get_image_model().objects.count(),
            "documents": get_document_model().objects.count(),
            "redirects": Redirect.objects.count(),
            "homes": list(
                HomePage.objects.order_by("pk").values_list(
                    "hero_heading", "hero_image", "featured_campaign", "latest_revision"
                )
            ),
        }

    before = snapshot()
    run_load_demo()
    assert snapshot() == before
    from demo import library

    # The campaigns' documents and the members' library files, each uploaded once.
    assert get_document_model().objects.count() == len(campaigns.DOCUMENTS) + len(library.ENTRIES)


def test_a_second_run_keeps_the_editors_hero(loaded):
    home = HomePage.objects.get(locale__language_code="fr-ca")
    home.hero_heading = "Notre propre accroche"
    home.featured_campaign = campaign("agriculture", "fr-ca")
    home.save_revision().publish()
    run_load_demo()
    home.refresh_from_db()
    assert home.hero_heading == "Notre propre accroche"
    assert home.featured_campaign.short_name == "agriculture"


# -- What visitors see -------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_campaign_pages_the_index_and_the_home_render(client, loaded, language):
    home = HomePage.objects.get(locale__language_code=language)
    response = client.get(home.get_url())
    assert response.status_code == 200
    assert escape(campaign("grandprix", language).title) in response.content.decode()

    index = CampaignIndexPage.objects.get(locale__language_code=language)
    response = client.get(index.get_url())
    assert response.status_code == 200
    html = response.content.decode()
    for short_name in ("grandprix", "agriculture"):
        assert escape(campaign(short_name, language).title) in html

    for short_name in ("grandprix", "agriculture"):
        page = campaign(short_name, language)
        response = client.get(page.get_url())
        assert response.status_code == 200, page.get_url()
        html = response.content.decode()
        assert escape(page.hero_image_alt) in html
        assert "1-833-900-1010" in html


@pytest.mark.parametrize(
    ("path", "language"),
    [("/grandprix", "fr-ca"), ("/en/grandprix", "en"), ("/agriculture", "fr-ca")],
)
def test_the_short_addresses_lead_to_the_campaigns(client, loaded, path, language):
    short_name = path.rsplit("/", 1)[1]
    response = client.get(path)
    assert response.status_code in (301, 302)
    assert response["Location"].endswith(campaign(short_name, language).url)
