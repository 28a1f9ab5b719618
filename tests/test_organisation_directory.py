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


def test_directory_queries_do_not_grow(client, directory, django_assert_max_num_queries):
    for number in range(6):
        org = f.organisation(f"Organisme {number}")
        f.training(provider=org, sessions=[f.session(5)])
    client.get(directory.url)
    with django_assert_max_num_queries(20):
        client.get(directory.url)
