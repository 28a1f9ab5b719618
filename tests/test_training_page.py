"""A training page: its facts, sessions, on-request state and schema.org JSON-LD."""

import json
import re

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(db, frozen_now):
    return f.training(
        title="Repérer l'exploitation sexuelle",
        price=75,
        certificate=True,
        provider=f.organisation("Maison Le Phare", website="https://example.org/phare"),
        themes=[f.theme("Exploitation sexuelle", "Sexual exploitation")],
        sessions=[
            f.session(
                10,
                format="in-person",
                venue="Centre Saint-Pierre",
                address="1212 rue Panet",
                city="Montréal",
            ),
            f.session(
                20, format="online", region="", city="", online_url="https://meet.example.org/x"
            ),
            f.session(30, format="hybrid", status="cancelled"),
            f.session(-60),
        ],
    )


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_page_shows_the_facts_and_upcoming_sessions(client, training):
    html = client.get(training.url).content.decode()
    assert "Maison Le Phare" in html
    assert "75 $ CA" in html
    assert "Attestation de participation" in html and "Oui" in html
    assert "Centre Saint-Pierre" in html
    assert html.count('class="session-item') == 3
    assert "Annulée" in html
    assert "1 séance passée" in html


def test_online_link_is_not_shown_publicly(client, training):
    for visitor in (None, f.member()):  # anonymous, then a member who has not enrolled
        if visitor is not None:
            client.force_login(visitor)
        response = client.get(training.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "En ligne" in html  # the online session is listed...
        assert "meet.example.org" not in html  # ...without its meeting link


def test_json_ld_is_a_schema_org_course_with_instances(client, training):
    data = json_ld(client.get(training.url).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Course"
    assert data["name"] == "Repérer l'exploitation sexuelle"
    assert data["provider"] == {
        "@type": "Organization",
        "name": "Maison Le Phare",
        "url": "https://example.org/phare",
    }
    instances = data["hasCourseInstance"]
    assert [i["courseMode"] for i in instances] == ["onsite", "online", "blended"]
    first = instances[0]
    assert first["@type"] == "CourseInstance"
    assert first["startDate"].endswith(("-05:00", "-04:00"))  # Montréal time
    assert first["location"]["address"]["addressLocality"] == "Montréal"
    assert first["offers"] == {
        "@type": "Offer",
        "price": "75.00",
        "priceCurrency": "CAD",
        "url": first["offers"]["url"],
        "availability": "https://schema.org/InStock",
    }
    assert instances[1]["location"]["@type"] == "VirtualLocation"
    assert instances[2]["eventStatus"] == "https://schema.org/EventCancelled"


def test_json_ld_cannot_close_the_script_element(client):
    page = f.training(title="</script><script>alert(1)</script>", sessions=[f.session(5)])
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_full_session_offers_the_waiting_list(client):
    page = f.training(sessions=[f.session(5, capacity=1)])
    f.fill(page.sessions.get(), 1)
    html = client.get(page.url).content.decode()
    assert "Complet – liste d’attente" in html
    assert json_ld(html)["hasCourseInstance"][0]["offers"]["availability"] == (
        "https://schema.org/SoldOut"
    )


def test_training_without_upcoming_session_is_on_request_with_its_contact(client):
    page = f.training(sessions=[f.session(-10)], contact_email="formation@example.org")
    html = client.get(page.url).content.decode()
    assert "Sur demande." in html
    assert "mailto:formation@example.org" in html
    assert json_ld(html)["hasCourseInstance"] == []


def test_members_only_page_answers_404_without_its_title(client):
    page = f.training(title="Atelier confidentiel", visibility="members", sessions=[f.session(5)])
    response = client.get(page.url)
    assert response.status_code == 404
    assert b"Atelier confidentiel" not in response.content
    assert client.get(f"/calendrier/formation-{page.pk}.ics").status_code == 404
    client.force_login(f.user())  # an account that belongs to no member organisation
    assert client.get(page.url).status_code == 404
    client.force_login(f.member())
    assert client.get(page.url).status_code == 200


def test_session_validation():
    from django.core.exceptions import ValidationError

    bad = f.session(5, hours=-1, format="in-person")
    with pytest.raises(ValidationError):
        bad.clean()
    missing_region = f.session(5, format="in-person", region="")
    with pytest.raises(ValidationError):
        missing_region.clean()


def test_json_ld_course_has_offers_and_an_image(client, training):
    data = json_ld(client.get(training.url).content.decode())
    assert data["offers"] == {
        "@type": "Offer",
        "category": "Paid",
        "price": "75.00",
        "priceCurrency": "CAD",
        "url": data["url"],
        "availability": "https://schema.org/InStock",
    }
    assert data["image"].startswith("https://formations.test/static/")


def test_json_ld_of_a_free_full_or_on_request_training(client):
    full = f.training(sessions=[f.session(5, capacity=1, waiting_list=False)])
    f.fill(full.sessions.get(), 1)
    offers = json_ld(client.get(full.url).content.decode())["offers"]
    assert (offers["category"], offers["price"]) == ("Free", "0.00")
    assert offers["availability"] == "https://schema.org/SoldOut"
    on_request = f.training(sessions=[f.session(-5)])
    offers = json_ld(client.get(on_request.url).content.decode())["offers"]
    assert offers["availability"] == "https://schema.org/MadeToOrder"


def test_json_ld_image_is_the_providers_logo(client):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from demo.draw import IMAGES_DIR

    with open(IMAGES_DIR / "network.png", "rb") as handle:
        logo = get_image_model().objects.create(
            title="Logo", file=ImageFile(handle, name="logo.png")
        )
    page = f.training(provider=f.organisation(logo=logo), sessions=[f.session(5)])
    image = json_ld(client.get(page.url).content.decode())["image"]
    assert image.startswith("https://formations.test/media/images/logo")
