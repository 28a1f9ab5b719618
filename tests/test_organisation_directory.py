"""The directory lists active member organisations by sector, with the trainings they give."""

import pytest

from catalogue.models import OrganisationDirectoryPage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    page = OrganisationDirectoryPage(title="Répertoire", slug="repertoire")
    f.home_page().add_child(instance=page)
    return page


def test_directory_lists_organisations_by_sector_with_their_trainings(client, directory):
    phare = f.organisation("Maison Le Phare", sector="community", description="Hébergement.")
    police = f.organisation("Police (démo)", sector="justice")
    f.training(title="Repérer les victimes", provider=phare, sessions=[f.session(5)])
    f.training(title="Atelier des membres", provider=phare, visibility="members")
    f.organisation("Ancien membre", active=False)
    html = client.get(directory.url).content.decode()
    assert "Organismes communautaires" in html
    assert "Application de la loi et justice" in html
    assert html.index("Maison Le Phare") < html.index("Police (démo)")
    assert "Repérer les victimes" in html
    assert "Atelier des membres" not in html
    assert "Ancien membre" not in html
    assert police.name in html


def test_members_see_members_only_trainings_in_the_directory(client, directory):
    phare = f.organisation("Maison Le Phare")
    f.training(title="Atelier des membres", provider=phare, visibility="members")
    client.force_login(f.member())
    assert "Atelier des membres" in client.get(directory.url).content.decode()


def test_directory_queries_do_not_grow(client, directory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_organisations(count):
        for _ in range(count):
            org = f.organisation()
            f.training(provider=org, sessions=[f.session(5)])
            f.training(provider=org, visibility="members")

    def queries():
        client.get(directory.url)  # warm the caches (site, locales) first
        with CaptureQueriesContext(connection) as captured:
            response = client.get(directory.url)
        assert response.status_code == 200
        return len(captured), response.content.decode().count("Organisme ")

    add_organisations(2)
    small, shown = queries()
    assert shown >= 2
    add_organisations(8)
    large, shown = queries()
    assert shown >= 10
    assert large == small  # the same queries for 2 organisations and for 10
    assert small <= 20
