"""French reads as French: one word for e-mail ("courriel"), and no English or "un(e)" left in
the editor's buttons and headings."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Workflow

pytestmark = pytest.mark.django_db

FRENCH_WORKFLOW = "Approbation du comité"


@pytest.fixture
def admin_client(client, demo):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_default_workflow_has_a_french_name(db):
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    workflow = Workflow.objects.get(name=FRENCH_WORKFLOW)
    assert [task.name for task in workflow.tasks] == [FRENCH_WORKFLOW]


def test_the_training_editor_speaks_of_one_session_in_french(admin_client):
    from trainings.models import TrainingPage

    training = TrainingPage.objects.live().filter(locale__language_code="fr-ca").first()
    html = admin_client.get(f"/admin/pages/{training.pk}/edit/").content.decode()
    text = visible_text(html)
    assert "un(e)" not in text
    assert "Séances 1" not in html
    assert "Ajouter : séance" in text
    assert "Séance" in html
    assert "Moderators approval" not in html
    # Trainings go through the committee's workflow (committee/roles.py), not the default one.
    assert "Soumettre à « Approbation du comité formation »" in html


def test_french_pages_say_courriel_never_e_mail(client, demo):
    from trainings.models import TrainingSession

    member = get_user_model().objects.get(email="membre@demo.cqctp.org")
    session = TrainingSession.objects.upcoming().filter(page__visibility="public").first()
    anonymous = [
        "/",
        "/confidentialite/",
        "/naviguer-en-securite/",
        "/formations/",
        "/membres/repertoire/",
        session.page.url,
        "/espace-membres/connexion/",
        "/espace-membres/mot-de-passe/",
        "/espace-membres/demande-de-compte/",
    ]
    for url in anonymous:
        text = visible_text(client.get(url).content.decode())
        assert not re.search(r"e-?mail|électronique", text, re.I), url
    assert "Courriel" in visible_text(client.get("/espace-membres/mot-de-passe/").content.decode())
    client.force_login(member)
    for url in ("/espace-membres/", f"/espace-membres/inscription/{session.pk}/"):
        text = visible_text(client.get(url).content.decode())
        assert not re.search(r"e-?mail|électronique", text, re.I), url
