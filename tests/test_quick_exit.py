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
        assert_public_page_shell(client.get(page.get_url()).content.decode())


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


def test_script_replaces_history_and_listens_for_escape():
    script = Path(settings.BASE_DIR, "site/static/js/quick-exit.js").read_text()
    assert "location.replace(" in script
    assert '"Escape"' in script


def test_quick_exit_label_is_translated(client, demo):
    assert ">\n        Sortie rapide\n" in client.get("/").content.decode()
    assert "Quick exit" in client.get("/en/").content.decode()
