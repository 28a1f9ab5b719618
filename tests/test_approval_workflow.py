"""The catalogue's approval workflow « Approbation du comité formation »: a member
organisation's writer submits a draft, the training committee is told by e-mail (through the
outbox), approves (the training goes live, or at its scheduled time) or asks for changes (the
writer gets the comment). Every step through the admin's real addresses, in French."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import WorkflowState

from committee import roles
from tests import factories as f
from tests.roles_builders import client_for, create_form_data, edit_form_data, person
from trainings.models import OutboxEmail, TrainingPage

pytestmark = pytest.mark.django_db

OUTBOX = "trainings.outbox_backend.OutboxBackend"


@pytest.fixture
def team(frozen_now, settings):
    """A writer of organisation A, two committee members, the awareness committee, an
    administrator; e-mail through the outbox, as in production."""
    settings.EMAIL_BACKEND = OUTBOX

    class Team:
        organisation = f.organisation("Maison Le Phare (test)")
        catalogue = f.catalogue()
        writer = person(
            "redaction@lephare.example.org",
            roles.ORGANISATION_EDITORS,
            organisation,
            first_name="Sacha",
        )
        committee = [
            person("claude@cqctp.example.org", roles.TRAINING_COMMITTEE, first_name="Claude"),
            person("dominique@cqctp.example.org", roles.TRAINING_COMMITTEE),
        ]
        awareness = person("maxime@cqctp.example.org", roles.AWARENESS_COMMITTEE)
        admin = client_for(f.user("admin@cqctp.example.org", is_superuser=True))

    return Team


def submit_new_training(team, **fields):
    """The writer fills in a new training and clicks « Soumettre à … »."""
    data = create_form_data(
        team.admin,
        team.catalogue,
        title="Repérer les signes de la traite",
        slug="reperer-les-signes",
        provider=team.organisation.pk,
        **fields,
    )
    data["action-submit"] = "action-submit"
    writer = client_for(team.writer)
    response = writer.post(f"/admin/pages/add/trainings/trainingpage/{team.catalogue.pk}/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return TrainingPage.objects.get(slug="reperer-les-signes")


def act(client, page, action, comment=""):
    state = TrainingPage.objects.get(pk=page.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk])
    return client.post(url, {"comment": comment})


def mails_to(address):
    return list(OutboxEmail.objects.filter(to=address))


def test_a_submitted_draft_is_sent_to_the_training_committee(team):
    page = submit_new_training(team)
    assert not page.live
    state = page.current_workflow_state
    assert state.workflow.name == "Approbation du comité formation"
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.current_workflow_task.name == "Validation par le comité formation"
    assert state.requested_by == team.writer

    for member in team.committee:
        [mail] = [m for m in mails_to(member.email) if "Validation par le comité" in m.subject]
        assert "Repérer les signes de la traite" in mail.subject
        assert mail.subject.startswith("À valider : ")  # French: no other language chosen
        assert mail.body.startswith(f"Bonjour {member.first_name or member.email},")
        assert f"/admin/pages/{page.pk}/edit/" in mail.body
    assert not mails_to(team.writer.email)  # not told about their own submission
    assert not mails_to(team.awareness.email)


def test_the_committee_approves_and_the_training_is_published(team):
    page = submit_new_training(team)
    committee = client_for(team.committee[0])
    response = act(committee, page, "approve", "Parfait, merci.")
    assert response.status_code == 302
    page = TrainingPage.objects.get(pk=page.pk)
    assert page.live and not page.has_unpublished_changes
    assert page.current_workflow_state is None
    assert page.provider == team.organisation
    [approved] = mails_to(team.writer.email)
    assert "Repérer les signes de la traite" in approved.subject
    assert "a été approuvée (« Approbation du comité formation »)" in approved.subject


def test_asking_for_changes_sends_the_comment_back_to_the_writer(team):
    page = submit_new_training(team)
    committee = client_for(team.committee[0])
    act(committee, page, "reject", "Précisez les objectifs d’apprentissage, s’il vous plaît.")
    page = TrainingPage.objects.get(pk=page.pk)
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    [rejected] = mails_to(team.writer.email)
    assert rejected.subject == (
        "Modifications demandées : la page « Repérer les signes de la traite » "
        "(« Approbation du comité formation »)"
    )
    assert "Claude demande des modifications" in rejected.body
    assert "Commentaire : « Précisez les objectifs d’apprentissage, s’il vous plaît. »" in (
        rejected.body
    )
    assert f"/admin/pages/{page.pk}/edit/" in rejected.body

    # The writer corrects the draft and submits it again; the committee is told again.
    before = OutboxEmail.objects.filter(to=team.committee[0].email).count()
    writer = client_for(team.writer)
    data = edit_form_data(team.admin, page, prerequisites="Aucun préalable.")
    data["action-submit"] = "action-submit"
    writer.post(f"/admin/pages/{page.pk}/edit/", data)
    page = TrainingPage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert OutboxEmail.objects.filter(to=team.committee[0].email).count() > before


def test_only_the_committee_may_approve(team):
    page = submit_new_training(team)
    for outsider in (team.writer, team.awareness):
        act(client_for(outsider), page, "approve")
        page = TrainingPage.objects.get(pk=page.pk)
        assert not page.live and page.workflow_in_progress


def test_the_writer_cannot_edit_while_the_committee_reviews(team):
    page = submit_new_training(team)
    writer = client_for(team.writer)
    data = edit_form_data(team.admin, page, title="Changé pendant la revue")
    writer.post(f"/admin/pages/{page.pk}/edit/", data)
    draft = TrainingPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.title == "Repérer les signes de la traite"


def test_an_approved_training_with_a_go_live_date_waits_for_it(team):
    go_live = datetime.datetime(2026, 7, 1, 9, 0)
    page = submit_new_training(team, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    act(client_for(team.committee[0]), page, "approve")
    page = TrainingPage.objects.get(pk=page.pk)
    assert not page.live
    assert page.scheduled_revision is not None
    call_command("publish_scheduled")
    assert not TrainingPage.objects.get(pk=page.pk).live  # not yet: 15 June
    with time_machine.travel(datetime.datetime(2026, 7, 1, 13, 5, tzinfo=datetime.UTC)):
        call_command("publish_scheduled")
    page = TrainingPage.objects.get(pk=page.pk)
    assert page.live and page.title == "Repérer les signes de la traite"


def test_the_editor_speaks_french_about_the_workflow(team):
    page = submit_new_training(team)
    html = client_for(team.committee[0]).get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Validation par le comité formation" in html
    assert "Approuver" in html
    html = (
        client_for(team.writer)
        .get(f"/admin/pages/add/trainings/trainingpage/{team.catalogue.pk}/")
        .content.decode()
    )
    assert "Soumettre à « Approbation du comité formation »" in html


def test_a_submitted_draft_stays_hidden_from_other_organisations(team):
    page = submit_new_training(team)
    task = page.current_workflow_task
    other = person("redaction@autre.example.org", roles.ORGANISATION_EDITORS, f.organisation())
    urls = [
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/{page.pk}/view_draft/",
        f"/admin/pages/workflow/preview/{page.pk}/{task.pk}/",
        f"/admin/pages/{page.pk}/workflow_history/",
    ]
    for url in urls:
        # Refused: Wagtail's redirection, or a 404 for a page named in the address
        # (committee/middleware.py).
        assert client_for(other).get(url).status_code in (302, 404), url
        assert client_for(team.committee[1]).get(url).status_code == 200, url
    html = client_for(other).get("/admin/reports/workflow/").content.decode()
    assert "Repérer les signes" not in html
    html = client_for(team.committee[1]).get("/admin/reports/workflow/").content.decode()
    assert "Repérer les signes" in html
