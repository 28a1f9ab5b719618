"""Campaign pages and their index: current campaigns first, then upcoming ones, then past ones
by year (days counted in Montréal), only what the visitor may see, responsive images, a short
address per campaign, and a constant number of queries."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, streamfield

from home.models import CampaignPage, StandardPage
from home.models.campaigns import group_campaigns
from tests import campaign_builders as cb
from tests import factories as f

pytestmark = pytest.mark.django_db

MONTREAL = ZoneInfo("America/Montreal")


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def positions(html, *titles):
    return [html.index(title) for title in titles]


def test_index_lists_current_then_upcoming_then_past_by_year(client, frozen_now):
    # Today is Monday 15 June 2026 in Montréal.
    cb.campaign(title="Passée 2024", start="2024-03-01", end="2024-03-31")
    cb.campaign(title="Passée 2025 printemps", start="2025-04-01", end="2025-04-30")
    cb.campaign(title="Passée 2025 automne", start="2025-10-01", end="2025-10-31")
    cb.campaign(title="Finie hier", start="2026-05-01", end="2026-06-14")
    cb.campaign(title="Finit aujourd’hui", start="2026-06-01", end="2026-06-15")
    cb.campaign(title="Commence aujourd’hui", start="2026-06-15", end="2026-07-15")
    cb.campaign(title="Commence demain", start="2026-06-16", end="2026-07-16")
    cb.campaign(title="Commence en août", start="2026-08-01", end="2026-08-31")
    html = html_of(client, "/campagnes/")
    order = positions(
        html,
        "Campagnes en cours",
        "Commence aujourd’hui",
        "Finit aujourd’hui",
        "Campagnes à venir",
        "Commence demain",
        "Commence en août",
        "Campagnes passées",
        ">2026</h3>",
        "Finie hier",
        ">2025</h3>",
        "Passée 2025 automne",
        "Passée 2025 printemps",
        ">2024</h3>",
        "Passée 2024",
    )
    assert order == sorted(order)


def test_a_campaign_ending_today_is_current_until_midnight_in_montreal(client, db):
    # 23:30 on 15 June in Montréal is already 16 June in UTC.
    late = datetime.datetime(2026, 6, 15, 23, 30, tzinfo=MONTREAL)
    with time_machine.travel(late, tick=False):
        cb.campaign(title="Dernier jour", start="2026-06-01", end="2026-06-15")
        cb.campaign(title="Dès demain", start="2026-06-16", end="2026-06-30")
        html = html_of(client, "/campagnes/")
    current, upcoming = html.index("Campagnes en cours"), html.index("Campagnes à venir")
    assert current < html.index("Dernier jour") < upcoming < html.index("Dès demain")
    assert "Campagnes passées" not in html


def test_grouping_counts_the_days_it_is_given():
    one = CampaignPage(title="Une", start_date=cb.day("2025-12-20"), end_date=cb.day("2026-01-10"))
    two = CampaignPage(title="Deux", start_date=cb.day("2026-02-01"), end_date=cb.day("2026-02-02"))
    grouped = group_campaigns([one, two], cb.day("2026-01-10"))
    assert grouped["current_campaigns"] == [one]
    assert grouped["upcoming_campaigns"] == [two]
    grouped = group_campaigns([one, two], cb.day("2026-03-01"))
    assert grouped["current_campaigns"] == grouped["upcoming_campaigns"] == []
    assert [group["year"] for group in grouped["past_campaigns_by_year"]] == [2026]
    assert grouped["past_campaigns_by_year"][0]["campaigns"] == [two, one]


def test_dates_follow_the_language(client, frozen_now):
    page = cb.campaign(title="Grand Prix", start="2026-06-01", end="2026-06-30")
    html = html_of(client, "/campagnes/")
    assert 'Du <time datetime="2026-06-01">1 juin 2026</time> au' in html
    assert '<time datetime="2026-06-30">30 juin 2026</time>' in html
    cb.english(page)
    html = html_of(client, "/en/campagnes/")
    assert '<html lang="en">' in html
    assert 'From <time datetime="2026-06-01">1 June 2026</time> to' in html
    assert "Current campaigns" in html


def test_unpublished_and_restricted_campaigns_are_hidden_from_anonymous(client, frozen_now):
    cb.campaign(title="Campagne publique")
    cb.campaign(title="Brouillon secret", publish=False)
    members_only = cb.campaign(title="Réservée aux membres")
    PageViewRestriction.objects.create(page=members_only, restriction_type="login")
    by_password = cb.campaign(title="Protégée par mot de passe")
    PageViewRestriction.objects.create(page=by_password, restriction_type="password", password="x")
    html = html_of(client, "/campagnes/")
    assert "Campagne publique" in html
    for hidden in ("Brouillon secret", "Réservée aux membres", "Protégée par mot de passe"):
        assert hidden not in html
    client.force_login(f.member())
    html = html_of(client, "/campagnes/")
    assert "Réservée aux membres" in html
    assert "Brouillon secret" not in html
    assert "Protégée par mot de passe" not in html


def test_index_cards_have_responsive_images(client, frozen_now):
    cb.campaign(title="Avec image", hero_image=cb.image(), hero_image_alt="Deux mains ouvertes")
    cb.campaign(
        title="Passée avec image", start="2025-01-01", end="2025-01-31", hero_image=cb.image()
    )
    html = html_of(client, "/campagnes/")
    assert html.count("<picture>") == 2
    assert 'type="image/avif"' in html and 'type="image/webp"' in html
    assert 'alt="Deux mains ouvertes"' in html
    assert re.search(r'srcset="[^"]*\.avif 400w, [^"]*\.avif 800w', html)
    assert 'sizes="(min-width: 64em)' in html
    imgs = re.findall(r"<img [^>]*>", html.split('<main id="main"', 1)[1])
    assert len(imgs) == 2
    assert all('width="' in img and 'height="' in img for img in imgs)
    assert 'loading="eager"' in imgs[0] and 'loading="lazy"' in imgs[1]


def test_campaign_page_shows_hero_period_body_and_short_address(client, frozen_now):
    page = cb.campaign(
        title="Grand Prix sans exploitation",
        tagline="La traite ne prend pas de vacances.",
        hero_image=cb.image(),
        hero_image_alt="Une piste de course la nuit",
        short_name="grandprix",
        body=[("paragraph", "<p>Apprenez à repérer les signes.</p>")],
    )
    html = html_of(client, page.url)
    assert '<h1 class="campaign-hero__title">Grand Prix sans exploitation</h1>' in html
    assert "La traite ne prend pas de vacances." in html
    assert "Apprenez à repérer les signes." in html
    hero = re.search(r"<img [^>]*>", html.split('<main id="main"', 1)[1]).group(0)
    assert 'alt="Une piste de course la nuit"' in hero
    assert 'fetchpriority="high"' in hero and 'loading="eager"' in hero
    assert "Campagne en cours" in html
    assert 'Adresse courte : <a href="https://formations.test/grandprix">' in html


def restrict_queries(client, url):
    client.get(url)  # renditions and caches are made on the first visit
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_index_queries_stay_few_and_constant(client, frozen_now):
    for number in range(2):
        cb.campaign(
            start=f"202{number + 3}-01-01", end=f"202{number + 3}-01-31", hero_image=cb.image()
        )
    few = restrict_queries(client, "/campagnes/")
    for number in range(10):
        cb.campaign(
            start=f"20{number + 10}-01-01", end=f"20{number + 10}-12-31", hero_image=cb.image()
        )
    cb.campaign(start="2026-06-01", end="2026-06-30", hero_image=cb.image())
    many = restrict_queries(client, "/campagnes/")
    assert few <= 15
    assert many == few


@pytest.mark.parametrize("with_body", [False, True])
def test_campaign_page_queries_stay_few_and_constant(client, frozen_now, with_body):
    body = []
    if with_body:
        body = [
            ("heading", {"text": "Repérer les signes", "level": "h2"}),
            ("paragraph", "<p>Un texte.</p>"),
            ("image", {"image": cb.image(), "alt_text": "Une affiche", "caption": ""}),
        ]
    page = cb.campaign(hero_image=cb.image(), short_name="essai", body=body)
    few = restrict_queries(client, page.url)
    for _number in range(5):
        cb.campaign(hero_image=cb.image())
        f.training(sessions=[f.session(5)])
    many = restrict_queries(client, page.url)
    assert few <= 15
    assert many == few


# Short addresses ---------------------------------------------------------------------------


def test_a_published_short_name_redirects_to_the_campaign(client, frozen_now):
    page = cb.campaign(slug="grand-prix-2026", short_name="grandprix")
    response = client.get("/grandprix")
    assert response.status_code == 302
    assert response["Location"].endswith("/campagnes/grand-prix-2026/")
    assert client.get("/grandprix/").status_code == 302
    redirect = Redirect.objects.get(old_path="/grandprix")
    assert redirect.redirect_page_id == page.pk
    assert redirect.is_permanent is False
    assert redirect.site.root_page_id == f.home_page().pk


def test_changing_the_short_name_moves_the_redirect(client, frozen_now):
    page = cb.campaign(short_name="grandprix")
    page.short_name = "f1"
    page.save_revision().publish()
    assert client.get("/grandprix", follow=True).status_code == 404
    assert client.get("/f1").status_code == 302
    page = CampaignPage.objects.get(pk=page.pk)
    page.short_name = ""
    page.save_revision().publish()
    assert client.get("/f1", follow=True).status_code == 404
    assert not Redirect.objects.filter(redirect_page=page).exists()


def test_unpublishing_or_deleting_removes_the_short_address(client, frozen_now):
    page = cb.campaign(short_name="grandprix")
    manual = Redirect.objects.create(old_path="/ancienne-campagne/grand-prix", redirect_page=page)
    page.unpublish()
    assert client.get("/grandprix", follow=True).status_code == 404
    assert Redirect.objects.filter(pk=manual.pk).exists()  # an editor's own redirect stays
    page.save_revision().publish()
    assert client.get("/grandprix").status_code == 302
    page.delete()
    assert client.get("/grandprix", follow=True).status_code == 404
    assert not Redirect.objects.filter(old_path="/grandprix").exists()


def test_an_english_campaign_has_its_short_address_under_en(client, frozen_now):
    page = cb.campaign(slug="grand-prix", short_name="grandprix")
    translation_ = cb.english(page)
    response = client.get("/en/grandprix")
    assert response.status_code == 302
    assert response["Location"].endswith("/en/campagnes/grand-prix/")
    assert client.get("/grandprix")["Location"].endswith("/campagnes/grand-prix/")
    assert Redirect.objects.get(old_path="/en/grandprix").redirect_page_id == translation_.pk
    html = html_of(client, translation_.url)
    assert 'Short address: <a href="https://formations.test/en/grandprix">' in html


def short_name_error(page, name, language="fr-ca"):
    page.short_name = name
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        return " ".join(error.value.message_dict["short_name"])


def test_short_names_taken_or_reserved_are_refused_with_a_clear_message(frozen_now):
    cb.campaign(title="Grand Prix", short_name="grandprix")
    about = StandardPage(title="À propos", slug="a-propos")
    f.home_page().add_child(instance=about)
    Redirect.objects.create(old_path="/don", redirect_link="https://example.org/")
    page = cb.campaign(title="Autre campagne")
    message = short_name_error(page, "grandprix")
    assert "La campagne « Grand Prix » utilise déjà l’adresse courte « grandprix »." in message
    message = short_name_error(page, "grandprix", "en")
    assert "The campaign “Grand Prix” already uses the short address “grandprix”." in message
    assert "« À propos » a déjà l’adresse /a-propos/" in short_name_error(page, "a-propos")
    for reserved in ("admin", "espace-membres", "calendrier", "en", "recherche", "api", "media"):
        assert "adresse que le site utilise déjà" in short_name_error(page, reserved)
    assert "Une redirection répond déjà à /don" in short_name_error(page, "don")
    page.short_name = "GrandPrix2"
    page.full_clean()
    assert page.short_name == "grandprix2"


def test_the_same_short_name_is_allowed_in_the_other_language(frozen_now):
    page = cb.campaign(short_name="grandprix")
    translation_ = cb.english(page)
    translation_.full_clean()  # the English copy keeps the French short name
    assert translation_.short_path() == "/en/grandprix"


def test_dates_in_the_wrong_order_are_refused(frozen_now):
    page = cb.campaign()
    page.end_date = page.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "end_date" in error.value.message_dict


def test_the_editor_sees_the_refusal_and_a_valid_short_name_publishes_its_address(
    client, frozen_now
):
    cb.campaign(title="Grand Prix", short_name="grandprix")
    parent = cb.index()
    client.force_login(f.user("admin@cqctp.org", is_staff=True, is_superuser=True))
    url = reverse("wagtailadmin_pages:add", args=("home", "campaignpage", parent.pk))

    def form(short_name):
        return nested_form_data(
            {
                "title": "Agriculture",
                "slug": "agriculture",
                "start_date": "2026-06-01",
                "end_date": "2026-06-30",
                "tagline": "",
                "hero_image_alt": "",
                "introduction": "",
                "body": streamfield([]),
                "short_name": short_name,
                "action-publish": "publish",
            }
        )

    response = client.post(url, form("grandprix"))
    assert response.status_code == 200
    assert "utilise déjà l’adresse courte « grandprix »" in " ".join(
        response.context["form"].errors["short_name"]
    )
    assert not CampaignPage.objects.filter(slug="agriculture").exists()
    response = client.post(url, form("Agriculture"))
    assert response.status_code == 302
    page = CampaignPage.objects.get(slug="agriculture")
    assert page.live and page.short_name == "agriculture"
    assert client.get("/agriculture")["Location"] == "/campagnes/agriculture/"
