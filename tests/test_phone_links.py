"""Phone numbers are linked as RFC 3966 `tel:` URIs (no spaces: the HTML validator rejects them),
and shown as typed, kept on one line."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from home.templatetags.phone_tags import tel_href

TEL_HREF = re.compile(r'href="(tel:[^"]*)"')
VALID = re.compile(r"^tel:(\+[0-9]{11}(;ext=[0-9]+)?|[0-9]{3})$")


@pytest.mark.parametrize(
    ("typed", "href"),
    [
        ("1-833-900-1010", "tel:+18339001010"),
        ("514 555-0142", "tel:+15145550142"),
        ("(819) 555-0121", "tel:+18195550121"),
        ("+1 418 555 0110", "tel:+14185550110"),
        ("514 555-0142 poste 204", "tel:+15145550142;ext=204"),
        ("514-555-0142, ext. 12", "tel:+15145550142;ext=12"),
        ("911", "tel:911"),
        ("211", "tel:211"),
        ("pas de numéro", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_tel_href(typed, href):
    assert tel_href(typed) == href


def assert_phone_links_are_valid(html):
    hrefs = TEL_HREF.findall(html)
    assert hrefs
    for href in hrefs:
        assert VALID.match(href), href
    return hrefs


@pytest.mark.django_db
def test_directory_training_and_notice_links_have_no_spaces(client, demo):
    from trainings.models import TrainingPage

    directory = assert_phone_links_are_valid(client.get("/membres/repertoire/").content.decode())
    assert "tel:+15145550142" in directory
    training = TrainingPage.objects.live().exclude(contact_phone="").first()
    assert_phone_links_are_valid(client.get(training.url).content.decode())
    for url in ("/", "/en/", "/naviguer-en-securite/"):
        hrefs = assert_phone_links_are_valid(client.get(url).content.decode())
        assert "tel:+18339001010" in hrefs and "tel:911" in hrefs


def test_server_error_page_links_are_valid():
    with translation.override("fr-ca"):
        hrefs = assert_phone_links_are_valid(render_to_string("500.html"))
    assert hrefs == ["tel:911", "tel:+18339001010"]
