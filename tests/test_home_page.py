"""The home, about and members pages show the coalition's facts in French and in English."""

import pytest

pytestmark = pytest.mark.django_db


def test_french_home_is_served_at_the_root_with_mission_and_principles(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr-ca">' in html
    assert "Notre mission" in html
    assert "prévenir la traite, protéger les victimes" in html
    assert "Nos quatre principes directeurs" in html
    for principle in (
        "La traite est un crime",
        "La personne victime au cœur de tout",
        "Une approche globale et concertée",
        "Prévenir, protéger, soutenir",
    ):
        assert principle in html
    assert html.count('class="card"') >= 12  # principles, objectives and action axes
    assert "Nos quatre axes d&#x27;action" in html or "Nos quatre axes d'action" in html


def test_english_home_is_served_under_en(client, demo):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Our four guiding principles" in html
    assert "Trafficking is a crime" in html
    assert "Quick exit" in html


def test_home_image_has_its_alternative_text(client, demo):
    html = client.get("/").content.decode()
    assert 'alt="Illustration : des cercles de couleur reliés' in html


def test_about_page_shows_the_history_timeline_from_2011_to_2021(client, demo):
    html = client.get("/a-propos/").content.decode()
    assert 'class="timeline__list"' in html
    for year in range(2011, 2022):
        if year in (2015, 2016, 2017, 2019):
            continue  # inside the periods 2014–2017 and 2018–2019
        assert f'<time datetime="{year}">{year}</time>' in html
    assert '<time datetime="2017">2017</time>' in html  # end of the 2014–2017 period
    assert "11 avril" in html
    assert "quatorze représentantes et représentants" in html
    assert "12 janvier : émission des lettres patentes" in html
    assert "28 septembre : assemblée de fondation" in html
    assert "Grand Prix de Formule 1" in html


def test_members_page_lists_the_six_sectors(client, demo):
    html = client.get("/membres/").content.decode()
    for sector in (
        "Organismes communautaires",
        "Services sociaux et de santé",
        "Aide aux victimes et aide juridique",
        "Protection de la jeunesse",
        "Application de la loi et justice",
        "Agences gouvernementales",
    ):
        assert sector in html


def test_main_navigation_comes_from_the_page_tree(client, demo):
    from home.models import StandardPage

    html = client.get("/").content.decode()
    assert 'href="/a-propos/">À propos</a>' in html
    assert 'href="/membres/">Membres</a>' in html

    members = StandardPage.objects.get(slug="membres")
    members.show_in_menus = False
    members.save_revision().publish()
    html = client.get("/").content.decode()
    assert 'href="/membres/">Membres</a>' not in html


def test_current_section_is_marked_in_the_menu(client, demo):
    html = client.get("/a-propos/").content.decode()
    assert 'href="/a-propos/" aria-current="page"' in html


def test_emergency_notice_uses_the_site_settings(client, demo):
    from wagtail.models import Site

    from home.models import SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.hotline_number = "1-800-000-0000"
    settings.save()
    html = client.get("/").content.decode()
    assert 'href="tel:+18000000000">1-800-000-0000</a>' in html
    assert "Ligne d’urgence canadienne contre la traite des personnes" in html
