"""Missing pages and server errors answer with translated pages, never Django's defaults."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_missing_french_page_gives_the_translated_404(client, demo):
    response = client.get("/page-inexistante/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Retour à l’accueil" in html
    assert '<html lang="fr-ca">' in html


def test_missing_english_page_gives_the_english_404(client, demo):
    response = client.get("/en/missing-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert '<html lang="en">' in html
    assert 'href="/en/">Back to the home page' in html


def test_404_without_any_content_still_renders(client, db):
    response = client.get("/rien/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize(
    "language,expected",
    [("fr-ca", "Une erreur s’est produite"), ("en", "Something went wrong")],
)
def test_server_error_page_is_translated(language, expected):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = server_error(request)
    assert response.status_code == 500
    assert expected in response.content.decode()
