"""The committee edits every page type and the site settings in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_every_page_opens_in_the_editor(admin_client):
    for page in Page.objects.filter(depth__gte=2):
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page.title


def test_site_settings_open_in_the_admin(admin_client):
    site = Site.objects.get(is_default_site=True)
    response = admin_client.get(f"/admin/settings/home/sitesettings/{site.pk}/")
    assert response.status_code == 200
    assert "quick_exit_url" in response.content.decode()


def test_pages_can_be_translated_with_simple_translation(admin_client):
    from home.models import StandardPage

    home = Page.objects.get(depth=2, locale__language_code="fr-ca")
    page = StandardPage(title="Page à traduire", slug="page-a-traduire")
    home.add_child(instance=page)
    response = admin_client.get(f"/admin/translation/submit/page/{page.pk}/")
    assert response.status_code == 200


def test_ensure_admin_creates_the_account_once(db, capsys, monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_admin")
    assert "username 'admin' and password 'changeme'" in capsys.readouterr().out
    call_command("ensure_admin")
    assert "already exists" in capsys.readouterr().out
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("changeme")


def test_ensure_admin_needs_a_password_outside_development(db, monkeypatch, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    with pytest.raises(CommandError):
        call_command("ensure_admin")
    assert not get_user_model().objects.exists()
