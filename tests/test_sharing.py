"""Sharing without trackers: every page describes itself to link previews (Open Graph, Twitter
card) with absolute addresses and a 1200×630 image; campaign pages offer plain share links and
a copyable address, with no third-party script, image, counter or tracking parameter; the
print stylesheet is linked for paper only."""

import html as htmllib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from PIL import Image as PILImage

from home.models import StandardPage
from tests import campaign_builders as cb
from tests import factories as f

pytestmark = pytest.mark.django_db

BASE = "https://formations.test"


def meta(html):
    """{property or name: [content, …]} of the <meta> tags in <head>."""
    head = html.split("</head>", 1)[0]
    found = {}
    for tag in re.findall(r"<meta [^>]*>", head):
        key = re.search(r'(?:property|name)="([^"]+)"', tag)
        value = re.search(r'content="([^"]*)"', tag)
        if key and value:
            found.setdefault(key.group(1), []).append(htmllib.unescape(value.group(1)))
    return found


def one(tags, key):
    assert len(tags.get(key, [])) == 1, key
    return tags[key][0]


def media_file(url):
    """The uploaded file behind an absolute media address."""
    path = urlsplit(url).path
    assert path.startswith(settings.MEDIA_URL)
    return Path(settings.MEDIA_ROOT) / path[len(settings.MEDIA_URL) :]


def test_a_campaign_describes_itself_with_its_hero_image(client, frozen_now):
    page = cb.campaign(
        title="Grand Prix sans exploitation",
        introduction="La traite ne prend pas de vacances pendant le Grand Prix.",
        hero_image=cb.image(size=(2000, 1500)),
        hero_image_alt="Une piste de course la nuit",
        slug="grand-prix",
    )
    tags = meta(client.get(page.url).content.decode())
    assert one(tags, "og:title") == "Grand Prix sans exploitation"
    assert (
        one(tags, "og:description") == "La traite ne prend pas de vacances pendant le Grand Prix."
    )
    assert one(tags, "og:url") == f"{BASE}/campagnes/grand-prix/"
    assert one(tags, "og:type") == "article"
    assert one(tags, "og:locale") == "fr_CA"
    assert tags["og:locale:alternate"] == ["en_CA"]
    assert one(tags, "og:site_name") == "Formations CQCTP"
    image = one(tags, "og:image")
    assert image.startswith(f"{BASE}/media/") and image.endswith(".jpg")
    assert (one(tags, "og:image:width"), one(tags, "og:image:height")) == ("1200", "630")
    with PILImage.open(media_file(image)) as picture:
        assert picture.size == (1200, 630)
        assert picture.format == "JPEG"
    assert one(tags, "og:image:alt") == "Une piste de course la nuit"
    assert one(tags, "twitter:card") == "summary_large_image"
    assert one(tags, "twitter:image") == image
    assert one(tags, "twitter:title") == "Grand Prix sans exploitation"


def test_the_search_description_comes_first_then_the_tagline(client, frozen_now):
    page = cb.campaign(search_description="Pour les moteurs.", introduction="")
    assert one(meta(client.get(page.url).content.decode()), "og:description") == "Pour les moteurs."
    page = cb.campaign(tagline="Une accroche.", introduction="")
    assert one(meta(client.get(page.url).content.decode()), "og:description") == "Une accroche."


def test_an_english_campaign_is_shared_in_english(client, frozen_now):
    page = cb.english(cb.campaign(slug="grand-prix", hero_image=cb.image()))
    tags = meta(client.get(page.url).content.decode())
    assert one(tags, "og:locale") == "en_CA"
    assert tags["og:locale:alternate"] == ["fr_CA"]
    assert one(tags, "og:url") == f"{BASE}/en/campagnes/grand-prix/"
    assert one(tags, "og:image").startswith(f"{BASE}/media/")


def test_a_page_without_image_uses_the_default_card(client, db):
    about = StandardPage(title="À propos", slug="a-propos", introduction="Qui nous sommes.")
    f.home_page().add_child(instance=about)
    tags = meta(client.get("/a-propos/").content.decode())
    assert one(tags, "og:title") == "À propos"
    assert one(tags, "og:description") == "Qui nous sommes."
    assert one(tags, "og:url") == f"{BASE}/a-propos/"
    image = one(tags, "og:image")
    assert image == f"{BASE}/static/img/share-default.png"
    assert (one(tags, "og:image:width"), one(tags, "og:image:height")) == ("1200", "630")
    default = Path(settings.BASE_DIR) / "site/static/img/share-default.png"
    with PILImage.open(default) as picture:
        assert picture.size == (1200, 630)
    assert "Formations CQCTP" in one(tags, "og:image:alt")
    assert one(tags, "twitter:card") == "summary_large_image"


def test_a_view_that_is_not_a_page_still_has_previews(client, db):
    f.home_page()
    response = client.get("/espace-membres/connexion/")
    assert response.status_code == 200
    tags = meta(response.content.decode())
    assert one(tags, "og:url") == f"{BASE}/espace-membres/connexion/"
    assert one(tags, "og:image") == f"{BASE}/static/img/share-default.png"


def share_section(html):
    return re.search(r'<section class="share".*?</section>', html, re.S).group(0)


def test_share_links_are_plain_links_without_trackers(client, frozen_now):
    page = cb.campaign(title="Grand Prix & Cie", slug="grand-prix")
    html = client.get(page.url).content.decode()
    section = share_section(html)
    address = f"{BASE}/campagnes/grand-prix/"
    links = [htmllib.unescape(href) for href in re.findall(r'href="([^"]+)"', section)]
    hosts = {urlsplit(link).netloc for link in links if link.startswith("https://")}
    assert hosts == {
        "www.facebook.com",
        "www.linkedin.com",
        "x.com",
        "bsky.app",
        "wa.me",
    }
    mail = next(link for link in links if link.startswith("mailto:"))
    query = parse_qs(urlsplit(mail).query)
    assert query["subject"] == ["Grand Prix & Cie"]
    assert query["body"] == [f"Grand Prix & Cie {address}"]
    facebook = next(link for link in links if "facebook" in link)
    assert parse_qs(urlsplit(facebook).query) == {"u": [address]}
    for link in links:
        assert "utm_" not in link and "fbclid" not in link
    # Nothing is loaded from another host: no script, image, frame or style in the page.
    assert "<script" not in section and "<img" not in section and "<iframe" not in section
    for source in re.findall(
        r'<(?:script|img|iframe|link|source)[^>]*(?:src|srcset|href)="([^"]+)"', html
    ):
        assert not source.startswith(("http://", "https://", "//")) or source.startswith(BASE)
    # A new page opens: said to everyone, and the service learns nothing of this site.
    external = re.findall(r'<a class="share__link" href="https://[^>]*>.*?</a>', section)
    assert len(external) == 5
    for link in external:
        assert 'target="_blank"' in link and 'rel="noopener noreferrer"' in link
        assert '<span class="visually-hidden"> (ouvre une nouvelle page)</span>' in link
    assert "aucun compteur, aucun traceur" in section


def test_the_address_can_be_copied_without_javascript(client, frozen_now):
    page = cb.campaign(slug="grand-prix")
    html = client.get(page.url).content.decode()
    section = share_section(html)
    assert '<label for="share-url">Adresse de cette page</label>' in section
    assert re.search(
        r'<input id="share-url"[^>]*value="https://formations.test/campagnes/grand-prix/"[^>]*readonly',
        section,
    )
    assert re.search(r"<button [^>]*hidden[^>]*>Copier le lien</button>", section)
    assert '<script src="/static/js/share.js" defer></script>' in html
    assert "<script>" not in html  # no inline script: the strict CSP holds


def test_the_print_stylesheet_is_for_paper_and_hides_what_paper_cannot_use(client, frozen_now):
    page = cb.campaign()
    html = client.get(page.url).content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    css = (Path(settings.BASE_DIR) / "site/static/css/print.css").read_text()
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none", css).group(1)
    for selector in (".site-header", ".quick-exit", ".share", ".skip-link"):
        assert selector in hidden, selector
    assert ".emergency-notice" not in hidden  # the help numbers are useful on paper
    assert 'a[href^="http"]::after' in css and "attr(href)" in css
    assert "break-inside: avoid" in css
