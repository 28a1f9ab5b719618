"""Every public page offers the quick exit and the emergency notice, with or without JavaScript."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Page

pytestmark = pytest.mark.django_db

QUICK_EXIT = re.compile(
    r'<a class="quick-exit__button"[^>]*href="(https://[^"]+)"[^>]*data-quick-exit'
)


def assert_public_page_shell(html):
    match = QUICK_EXIT.search(html)
    assert match, "quick-exit button missing"
    assert match.group(1).startswith("https://")
    assert 'class="emergency-notice"' in html
    assert 'href="tel:911"' in html
    assert "js/quick-exit.js" in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html


def test_every_live_page_has_the_quick_exit(client, demo):
    pages = Page.objects.live().filter(depth__gte=2)
    assert pages.count() >= 6
    for page in pages:
        # Members-only pages answer with the sign-in page (a meeting) or a 404: those too.
        assert_public_page_shell(client.get(page.get_url(), follow=True).content.decode())


def test_every_page_type_template_extends_the_base_with_the_quick_exit():
    """A page type added later cannot forget the shell: its template must extend base.html."""
    from wagtail.models import get_page_models

    for model in get_page_models():
        if model is Page:
            continue
        source = Path(settings.BASE_DIR, "templates", model.template).read_text()
        assert '{% extends "base.html" %}' in source, model


def test_not_found_page_has_the_quick_exit(client, demo):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert_public_page_shell(response.content.decode())


def test_server_error_page_has_the_quick_exit():
    with translation.override("fr-ca"):
        html = render_to_string("500.html")
    assert QUICK_EXIT.search(html)
    assert 'class="emergency-notice"' in html


def test_quick_exit_uses_the_destination_from_site_settings(client, demo):
    from wagtail.models import Site

    from home.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.quick_exit_url = "https://www.google.ca/"
    site_settings.save()
    html = client.get("/en/").content.decode()
    assert QUICK_EXIT.search(html).group(1) == "https://www.google.ca/"


def test_script_replaces_history_and_listens_for_shift_not_escape():
    """Escape also stops the next page from loading: the government pattern is Shift ×3."""
    script = Path(settings.BASE_DIR, "site/static/js/quick-exit.js").read_text()
    assert "location.replace(" in script
    assert '"Shift"' in script
    assert '"Escape"' not in script and "'Escape'" not in script


def test_keyboard_hint_is_rendered_hidden_for_the_script_to_reveal(client, demo):
    """Without JavaScript (or without a keyboard) a Shift hint would promise what cannot happen."""
    html = client.get("/").content.decode()
    hint = re.search(r'<span class="quick-exit__hint"[^>]*>', html).group(0)
    assert " hidden" in hint and "data-quick-exit-hint" in hint
    assert "ou appuyez 3 fois sur Maj" in html
    assert "or press Shift 3 times" in client.get("/en/").content.decode()


def test_the_count_is_announced_politely(client, demo):
    html = client.get("/").content.decode()
    status = re.search(r'<span [^>]*data-quick-exit-status[^>]*>', html).group(0)
    assert 'role="status"' in status
    assert 'data-count="Maj {count}/3"' in html


@pytest.mark.parametrize(
    ("home", "href", "title"),
    [("/", "/naviguer-en-securite/", "Naviguer en sécurité"),
     ("/en/", "/en/browse-safely/", "Browse safely")],
)
def test_safety_page_is_linked_next_to_the_button_on_every_page(client, demo, home, href, title):
    language_code = "en" if home == "/en/" else "fr-ca"
    pages = Page.objects.live().filter(depth__gte=2, locale__language_code=language_code)
    urls = [page.get_url() for page in pages] + [f"{home}espace-membres/connexion/"]
    for url in urls:
        html = client.get(url, follow=True).content.decode()  # a meeting: the sign-in page
        region = re.search(r'<div class="quick-exit".*?</div>', html, re.S).group(0)
        assert f'<a class="quick-exit__safety" href="{href}">{title}</a>' in region, url


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (
            "/naviguer-en-securite/",
            ["historique", "navigation privée", "effacer", "appareil", "911", "1-833-900-1010",
             "Maj"],
        ),
        (
            "/en/browse-safely/",
            ["history", "private browsing", "clear", "device", "911", "1-833-900-1010", "Shift"],
        ),
    ],
)
def test_safety_page_says_what_the_button_does_and_does_not_do(client, demo, url, words):
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    main = text[text.index('<main id="main"'):text.index("</main>")].lower()
    for word in words:
        assert word.lower() in main, word


def test_quick_exit_label_is_translated(client, demo):
    assert ">\n        Sortie rapide\n" in client.get("/").content.decode()
    assert "Quick exit" in client.get("/en/").content.decode()
