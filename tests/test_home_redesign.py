"""The redesigned home page: the hero the editors write, the campaign they feature (else the one
under way), the next five sessions the visitor may attend, the members' entrance, where to get
help, and the coalition's logo; in a fixed number of queries."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale, PageViewRestriction, Site

from home.models import CampaignIndexPage, CampaignPage, HomePage, SiteSettings, StandardPage

from . import factories as f

pytestmark = pytest.mark.django_db


# -- builders --------------------------------------------------------------------------------


@pytest.fixture
def home(frozen_now):
    home = f.home_page()
    f.catalogue()
    return HomePage.objects.get(pk=home.pk)


def campaign_index(home):
    existing = CampaignIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    index = CampaignIndexPage(title="Campagnes", slug=f"campagnes-{home.locale.language_code}")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def campaign(home, title, start_days=-5, end_days=5, **fields):
    from django.utils import timezone

    today = timezone.localdate()
    page = CampaignPage(
        title=title,
        slug=re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        start_date=today + datetime.timedelta(days=start_days),
        end_date=today + datetime.timedelta(days=end_days),
        tagline=fields.pop("tagline", f"Slogan de {title}"),
        **fields,
    )
    campaign_index(home).add_child(instance=page)
    page.save_revision().publish()
    return CampaignPage.objects.get(pk=page.pk)


def image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (75, 42, 123)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Réseau", file=ImageFile(buffer, name="reseau.png")
    )


def feature(home, page):
    home = HomePage.objects.get(pk=home.pk)
    home.featured_campaign = page
    home.save_revision().publish()


def section(html, element_id):
    """The HTML of the home page's section `element_id`."""
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    assert match, f"no section #{element_id}"
    return match.group(0)


def english(home):
    locale, _ = Locale.objects.get_or_create(language_code="en")
    translation = home.get_translation_or_none(locale)
    if translation is None:
        translation = home.copy_for_translation(locale)
        translation.title = "Home"
        translation.slug = "home-en"
        translation.save_revision().publish()
    return HomePage.objects.get(pk=translation.pk)


def translate(page, title, **fields):
    locale, _ = Locale.objects.get_or_create(language_code="en")
    translation = page.copy_for_translation(locale, copy_parents=True)
    translation.title = title
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    translation.save_revision().publish()
    return translation.specific_class.objects.get(pk=translation.pk)


# -- the hero --------------------------------------------------------------------------------


def test_the_hero_says_what_the_coalition_does_with_its_buttons(client, home):
    home.hero_heading = "Ensemble contre la traite"
    home.introduction = "Nous formons les intervenantes et les intervenants."
    home.save_revision().publish()
    html = client.get("/").content.decode()
    hero = section(html, "hero")
    assert "<h1" in hero and "Ensemble contre la traite" in hero
    assert "Nous formons les intervenantes et les intervenants." in hero
    assert 'href="/catalogue-test/"' in hero  # no button chosen: the catalogue
    assert 'href="#help"' in hero


def test_the_editor_chooses_the_hero_button(client, home):
    about = f.home_page().add_child(instance=StandardPage(title="À propos", slug="a-propos"))
    home.hero_button_label = "Qui sommes-nous"
    home.hero_button_page = about
    home.save_revision().publish()
    hero = section(client.get("/").content.decode(), "hero")
    assert 'href="/a-propos/"' in hero and "Qui sommes-nous" in hero


def test_a_hero_image_needs_its_alternative_text(home):
    home.hero_image = image()
    home.hero_image_alt = "   "
    with pytest.raises(ValidationError) as error:
        home.full_clean()
    assert "hero_image_alt" in error.value.message_dict
    home.hero_image_alt = "Des cercles reliés"
    home.full_clean()


def test_a_button_label_needs_its_page(home):
    home.hero_button_label = "Par ici"
    with pytest.raises(ValidationError) as error:
        home.full_clean()
    assert "hero_button_page" in error.value.message_dict


def test_the_hero_image_is_a_responsive_picture_loaded_first(client, home):
    home.hero_image = image()
    home.hero_image_alt = "Des cercles de couleur reliés"
    home.save_revision().publish()
    hero = section(client.get("/").content.decode(), "hero")
    assert "<picture" in hero and 'type="image/webp"' in hero
    assert 'alt="Des cercles de couleur reliés"' in hero
    assert 'fetchpriority="high"' in hero and 'loading="eager"' in hero
    assert re.search(r'<img[^>]* width="\d+"', hero) and re.search(r'<img[^>]* height="\d+"', hero)
    assert "srcset=" in hero and "sizes=" in hero


# -- the campaign ----------------------------------------------------------------------------


def test_the_featured_campaign_chosen_by_the_editors_is_shown(client, home):
    campaign(home, "Campagne en cours", start_days=-2, end_days=2)
    chosen = campaign(home, "Campagne choisie", start_days=-30, end_days=30)
    feature(home, chosen)
    block = section(client.get("/").content.decode(), "campaign")
    assert "Campagne choisie" in block and "Campagne en cours" not in block
    assert f'href="{chosen.url}"' in block


def test_without_a_choice_the_current_campaign_is_shown(client, home):
    campaign(home, "Campagne passée", start_days=-40, end_days=-1)
    campaign(home, "Campagne à venir", start_days=1, end_days=40)
    campaign(home, "Campagne actuelle", start_days=0, end_days=0, tagline="Ouvrez les yeux")
    block = section(client.get("/").content.decode(), "campaign")
    assert "Campagne actuelle" in block and "Ouvrez les yeux" in block
    assert "passée" not in block and "à venir" not in block


def test_today_is_counted_in_montreal(client, home, time_machine):
    campaign(home, "Campagne de juin", start_days=1, end_days=3)  # 16 to 18 June
    # 15 June, 23:30 in Montréal is already 16 June in UTC: not yet the campaign.
    time_machine.move_to(datetime.datetime(2026, 6, 16, 3, 30, tzinfo=datetime.UTC))
    assert 'id="campaign"' not in client.get("/").content.decode()


def test_no_campaign_no_campaign_section(client, home):
    campaign(home, "Campagne passée", start_days=-40, end_days=-1)
    html = client.get("/").content.decode()
    assert 'id="campaign"' not in html
    assert "Campagne passée" not in html


def test_an_unpublished_featured_campaign_falls_back_to_the_current_one(client, home):
    chosen = campaign(home, "Campagne retirée", start_days=-30, end_days=30)
    campaign(home, "Campagne actuelle")
    feature(home, chosen)
    chosen.unpublish()
    block = section(client.get("/").content.decode(), "campaign")
    assert "Campagne actuelle" in block and "retirée" not in block


def test_the_english_home_shows_the_campaign_in_english(client, home):
    chosen = campaign(home, "Campagne choisie")
    home_en = english(home)
    translate(chosen, "Chosen campaign", tagline="Open your eyes")
    feature(home_en, chosen)  # the French page chosen on the English home: its translation
    html = client.get(home_en.url).content.decode()
    block = section(html, "campaign")
    assert "Chosen campaign" in block and "Campagne choisie" not in block


# -- the next sessions -----------------------------------------------------------------------


def test_the_next_five_sessions_soonest_first_with_the_catalogue_link(client, home):
    for days in (9, 3, 30, 5, 1, 20, 12):
        f.training(title=f"Formation à J+{days}", sessions=[f.session(days=days)])
    block = section(client.get("/").content.decode(), "sessions")
    titles = re.findall(r"Formation à J\+(\d+)", block)
    assert titles == ["1", "3", "5", "9", "12"]
    assert 'href="/catalogue-test/"' in block
    assert "<time" in block and "juin 2026" in block  # 16 June, in French


def test_past_cancelled_and_hidden_sessions_are_left_out(client, home):
    f.training(title="Passée", sessions=[f.session(days=-2)])
    f.training(title="Annulée", sessions=[f.session(days=2, status="cancelled")])
    f.training(title="Réservée aux membres", visibility="members", sessions=[f.session(days=3)])
    restricted = f.training(title="Protégée", sessions=[f.session(days=4)])
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    f.training(title="Inactive", provider=f.organisation(active=False), sessions=[f.session(4)])
    f.training(title="Ouverte à tous", sessions=[f.session(days=6)])
    block = section(client.get("/").content.decode(), "sessions")
    assert "Ouverte à tous" in block
    for hidden in ("Passée", "Annulée", "Réservée aux membres", "Protégée", "Inactive"):
        assert hidden not in block


def test_members_see_members_only_sessions(client, home):
    f.training(title="Réservée aux membres", visibility="members", sessions=[f.session(days=3)])
    client.force_login(f.member())
    block = section(client.get("/").content.decode(), "sessions")
    assert "Réservée aux membres" in block


def test_a_full_session_says_so(client, home):
    training = f.training(title="Petite salle", sessions=[f.session(days=3, capacity=1)])
    f.fill(training.sessions.get(), 1)
    block = section(client.get("/").content.decode(), "sessions")
    assert "Complet" in block


def test_english_visitors_get_the_english_trainings(client, home):
    training = f.training(title="Formation traduite", sessions=[f.session(days=2)])
    f.training(title="Seulement en français", sessions=[f.session(days=3)])
    home_en = english(home)
    english_training = translate(training, "Translated training")
    html = client.get(home_en.url).content.decode()
    block = section(html, "sessions")
    assert "Translated training" in block and f'href="{english_training.url}"' in block
    assert "Formation traduite" not in block and "Seulement en français" not in block
    assert "June 2026" in block


def test_no_session_says_where_to_look(client, home):
    block = section(client.get("/").content.decode(), "sessions")
    assert 'href="/catalogue-test/"' in block
    assert "<ol" not in block


# -- members' area and help ------------------------------------------------------------------


def test_the_members_entrance_links_to_their_trainings(client, home):
    block = section(client.get("/").content.decode(), "members")
    assert f'href="{reverse("enrolments:my_trainings")}"' in block
    assert "<h2" in block


def test_the_help_notice_uses_the_site_settings(client, home):
    safety = f.home_page().add_child(
        instance=StandardPage(title="Naviguer en sécurité", slug="securite")
    )
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.emergency_number = "112"
    site_settings.hotline_number = "1-800-555-0199"
    site_settings.safety_page = safety
    site_settings.save()
    block = section(client.get("/").content.decode(), "help")
    assert 'href="tel:112"' in block
    assert 'href="tel:+18005550199">1-800-555-0199</a>' in block
    assert 'href="/securite/"' in block


# -- identity --------------------------------------------------------------------------------


def test_the_logo_has_an_accessible_name_and_leads_home(client, home):
    logo = (Path(settings.BASE_DIR) / "site/static/img/logo.svg").read_text()
    assert 'role="img"' in logo and re.search(r"<title[^>]*>[^<]*CQCTP[^<]*</title>", logo)
    html = client.get("/catalogue-test/").content.decode()
    brand = re.search(r'<a class="site-brand".*?</a>', html, re.S).group(0)
    assert 'href="/"' in brand and "logo.svg" in brand
    text = re.sub(r"<[^>]+>", " ", brand)
    assert "CQCTP" in text  # the link's name is its visible text


def test_no_font_or_file_comes_from_another_host(client, home):
    html = client.get("/").content.decode()
    for address in re.findall(r'(?:src|href|srcset)="([^"]+)"', html):
        assert (
            not address.startswith(("http://", "https://", "//"))
            or "tel:" in address
            or (address == SiteSettings.for_site(Site.objects.get()).quick_exit_url)
        ), address


# -- queries ---------------------------------------------------------------------------------


def count_queries(client, path):
    client.get(path)  # caches warmed (site root paths, renditions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_queries_are_few_and_do_not_grow_with_the_content(client, home):
    home.hero_image = image()
    home.hero_image_alt = "Des cercles reliés"
    home.save_revision().publish()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.safety_page = home.add_child(instance=StandardPage(title="Sécurité", slug="s"))
    site_settings.privacy_page = home.add_child(instance=StandardPage(title="Vie privée", slug="v"))
    site_settings.save()

    picture = image()

    def add(count, start):
        for n in range(start, start + count):
            f.training(title=f"Formation {n}", sessions=[f.session(days=n + 1)])
            campaign(home, f"Campagne {n}", hero_image=picture, hero_image_alt="Une affiche")

    add(2, 0)
    feature(home, CampaignPage.objects.order_by("pk").first())  # the editors' choice: one query
    small = count_queries(client, "/")
    add(10, 2)
    large = count_queries(client, "/")
    assert small == large, (small, large)
    assert large <= 15, large


# -- the first screen of a phone -------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_a_phone_the_notice_and_header_leave_the_hero_on_the_first_screen(
    browser, live_server, frozen_now
):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in ("/", "/en/"):
        page.goto(f"{live_server.url}{path}")
        header_bottom = page.locator(".site-header").bounding_box()
        assert header_bottom["y"] + header_bottom["height"] <= 220, path  # was ~460 px
        notice = page.locator(".emergency-notice").bounding_box()
        assert notice["height"] <= 45, path  # one line
        lead = page.locator(".home-hero__lead").bounding_box()
        assert lead["y"] + 60 <= 844, path  # the heading and the first lines of the sentence
        # Every menu link can be reached: the menu scrolls sideways, the page does not.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        last = page.locator(".main-nav a").last
        last.focus()
        box = last.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, path
    context.close()


def test_a_button_page_chosen_in_french_leads_english_visitors_to_its_translation(client, home):
    about = f.home_page().add_child(instance=StandardPage(title="À propos", slug="a-propos"))
    home_en = english(home)
    about_en = translate(about, "About us")
    home_en.hero_button_label = "Who we are"
    home_en.hero_button_page = about  # copied from the French home page
    home_en.save_revision().publish()
    hero = section(client.get(home_en.url).content.decode(), "hero")
    assert f'href="{about_en.url}"' in hero and "Who we are" in hero
