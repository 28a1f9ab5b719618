"""The permission matrix: every role of committee/roles.py against every action, allowed and
refused, through the admin's real addresses (the page permission checks, the explorer, the
admin's page search and the page chooser), plus the permissions the participants and reports
screens check. A superuser is the baseline: everything is allowed.

The world: two member organisations ("ours", the one the Rédaction account writes for, and
"theirs"), each with a live training and a never-published draft written by another person of
that organisation; a campaign, a standard page, the organisation directory, a theme."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
)

from catalogue.models import CatalogueIndexPage, OrganisationDirectoryPage
from committee import roles
from home.models import StandardPage
from tests import campaign_builders as cb
from tests import factories as f
from tests.roles_builders import (
    client_for,
    create_form_data,
    draft_training,
    edit_form_data,
    person,
)
from trainings.models import TrainingPage
from trainings.permissions import organisation_limit

pytestmark = pytest.mark.django_db

SUPERUSER = "superuser"
COMMITTEE = "Comité formation"
AWARENESS = "Comité sensibilisation"
EDITOR = "Rédaction (organisme A)"
EDITOR_WITHOUT_ORGANISATION = "Rédaction sans organisme"
MEMBER = "Membre"
ROLES = [SUPERUSER, COMMITTEE, AWARENESS, EDITOR, EDITOR_WITHOUT_ORGANISATION, MEMBER]

SECRET = "Brouillon confidentiel"
# The committee's screens, by the addresses their menu items lead to.
SIGN_UPS = "/admin/sign-up-requests/"
ENROLMENTS = "/admin/enrolments/"  # the title of the other organisation's draft


class World:
    def __init__(self):
        self.ours = f.organisation("Organisme A")
        self.theirs = f.organisation("Organisme B")
        self.catalogue = f.catalogue()
        self.our_live = f.training(provider=self.ours, title="Formation publiée A")
        self.their_live = f.training(provider=self.theirs, title="Formation publiée B")
        colleague = person("collegue@a.example.org", roles.ORGANISATION_EDITORS, self.ours)
        stranger = person("redaction@b.example.org", roles.ORGANISATION_EDITORS, self.theirs)
        self.our_draft = draft_training(
            provider=self.ours, owner=colleague, title="Brouillon interne A"
        )
        self.their_draft = draft_training(provider=self.theirs, owner=stranger, title=SECRET)
        home = f.home_page()
        self.standard = StandardPage(title="À propos", slug="a-propos")
        home.add_child(instance=self.standard)
        self.standard.save_revision().publish()
        self.directory = OrganisationDirectoryPage(title="Répertoire", slug="repertoire")
        self.standard.add_child(instance=self.directory)
        self.directory.save_revision().publish()
        self.campaign = cb.campaign(title="Campagne du printemps")
        self.theme = f.theme("Exploitation sexuelle")
        self.audience = f.audience("Intervenants")
        self.admin = client_for(f.user("admin@cqctp.org", is_superuser=True))
        self.users = {
            SUPERUSER: f.user("super@cqctp.org", is_superuser=True),
            COMMITTEE: person("formation@cqctp.org", roles.TRAINING_COMMITTEE),
            AWARENESS: person("sensibilisation@cqctp.org", roles.AWARENESS_COMMITTEE),
            EDITOR: person("redaction@a.example.org", roles.ORGANISATION_EDITORS, self.ours),
            EDITOR_WITHOUT_ORGANISATION: person(
                "redaction@sans.example.org", roles.ORGANISATION_EDITORS
            ),
            MEMBER: person("membre@a.example.org", None, self.ours),
        }

    def client(self, role):
        return client_for(self.users[role])


@pytest.fixture
def world(frozen_now):
    return World()


def opens(client, url):
    """The admin answers the page itself (a refusal is a redirection, to the admin's home
    with a message or to the sign-in form, a 403, or a 404 for a page the catalogue's rules
    hide: committee/middleware.py)."""
    response = client.get(url)
    assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
    return response.status_code == 200


def shows(client, url, text):
    """The answer at `url` shows `text` (the page chooser answers JSON holding its HTML)."""
    response = client.get(url)
    if response.status_code != 200:
        return False
    if response["Content-Type"].startswith("application/json"):
        return text in response.json()["html"]
    return text in response.content.decode()


def revision_url(page, view):
    return f"/admin/pages/{page.pk}/revisions/{page.latest_revision_id}/{view}/"


# -- What one may read: one world per role, every address ----------------------------------

READ = {
    "admin": lambda w, c: opens(c, "/admin/"),
    "our live training in the explorer": lambda w, c: shows(
        c, f"/admin/pages/{w.catalogue.pk}/", w.our_live.title
    ),
    "their live training in the explorer": lambda w, c: shows(
        c, f"/admin/pages/{w.catalogue.pk}/", w.their_live.title
    ),
    "our draft in the explorer": lambda w, c: shows(
        c, f"/admin/pages/{w.catalogue.pk}/", w.our_draft.title
    ),
    "their draft in the explorer": lambda w, c: shows(c, f"/admin/pages/{w.catalogue.pk}/", SECRET),
    "our draft in the page search": lambda w, c: shows(
        c, "/admin/pages/search/?q=Brouillon", w.our_draft.title
    ),
    "their draft in the page search": lambda w, c: shows(
        c, "/admin/pages/search/?q=Brouillon", SECRET
    ),
    "their draft in the page chooser": lambda w, c: shows(
        c, f"/admin/choose-page/{w.catalogue.pk}/", SECRET
    ),
    "their draft in the chooser's search": lambda w, c: shows(
        c, "/admin/choose-page/search/?q=Brouillon", SECRET
    ),
    "their live training in the page chooser": lambda w, c: shows(
        c, f"/admin/choose-page/{w.catalogue.pk}/", w.their_live.title
    ),
    "their draft in the site history": lambda w, c: shows(
        c, "/admin/reports/site-history/", SECRET
    ),
    "their draft in the page types report": lambda w, c: shows(
        c, "/admin/reports/page-types-usage/", SECRET
    ),
    "edit our live training": lambda w, c: opens(c, f"/admin/pages/{w.our_live.pk}/edit/"),
    "edit their live training": lambda w, c: opens(c, f"/admin/pages/{w.their_live.pk}/edit/"),
    "edit our draft": lambda w, c: opens(c, f"/admin/pages/{w.our_draft.pk}/edit/"),
    "edit their draft": lambda w, c: opens(c, f"/admin/pages/{w.their_draft.pk}/edit/"),
    "preview our draft": lambda w, c: opens(c, f"/admin/pages/{w.our_draft.pk}/view_draft/"),
    "preview their draft": lambda w, c: opens(c, f"/admin/pages/{w.their_draft.pk}/view_draft/"),
    "history of our draft": lambda w, c: opens(c, f"/admin/pages/{w.our_draft.pk}/history/"),
    "history of their draft": lambda w, c: opens(c, f"/admin/pages/{w.their_draft.pk}/history/"),
    "workflow history of their draft": lambda w, c: opens(
        c, f"/admin/pages/{w.their_draft.pk}/workflow_history/"
    ),
    "revision of their draft": lambda w, c: opens(c, revision_url(w.their_draft, "view")),
    "old revision of their draft in the editor": lambda w, c: opens(
        c, revision_url(w.their_draft, "revert")
    ),
    "comparison of their draft": lambda w, c: opens(
        c,
        f"/admin/pages/{w.their_draft.pk}/revisions/compare/"
        f"earliest...{w.their_draft.latest_revision_id}/",
    ),
    "new training form": lambda w, c: opens(
        c, f"/admin/pages/add/trainings/trainingpage/{w.catalogue.pk}/"
    ),
    "edit the catalogue page": lambda w, c: opens(c, f"/admin/pages/{w.catalogue.pk}/edit/"),
    "edit the directory page": lambda w, c: opens(c, f"/admin/pages/{w.directory.pk}/edit/"),
    "edit a campaign": lambda w, c: opens(c, f"/admin/pages/{w.campaign.pk}/edit/"),
    "edit a standard page": lambda w, c: opens(c, f"/admin/pages/{w.standard.pk}/edit/"),
    "edit an organisation": lambda w, c: opens(
        c, f"/admin/snippets/members/organisation/edit/{w.ours.pk}/"
    ),
    "list the organisations": lambda w, c: opens(c, "/admin/snippets/members/organisation/"),
    "edit a theme": lambda w, c: opens(c, f"/admin/snippets/trainings/theme/edit/{w.theme.pk}/"),
    "edit an audience": lambda w, c: opens(
        c, f"/admin/snippets/trainings/audience/edit/{w.audience.pk}/"
    ),
    "sign-up requests": lambda w, c: opens(c, SIGN_UPS),
    "invitations": lambda w, c: opens(c, "/admin/invitations/"),
    "participants screen": lambda w, c: opens(c, ENROLMENTS),
    "manage enrolments (permission)": lambda w, c: (
        c.user.has_perm(roles.ENROLMENTS_PERMISSION)
        and c.user.has_perm(roles.VIEW_ENROLMENTS_PERMISSION)
    ),
    "see enrolments (permission)": lambda w, c: c.user.has_perm(roles.VIEW_ENROLMENTS_PERMISSION),
    "reports (permission)": lambda w, c: c.user.has_perm(roles.REPORTS_PERMISSION),
    "image library": lambda w, c: opens(c, "/admin/images/"),
    "document library": lambda w, c: opens(c, "/admin/documents/"),
    "accounts": lambda w, c: opens(c, "/admin/users/"),
    "workflow settings": lambda w, c: opens(c, "/admin/workflows/list/"),
}

COMMITTEE_READS = {
    "admin",
    "our live training in the explorer",
    "their live training in the explorer",
    "our draft in the explorer",
    "their draft in the explorer",
    "our draft in the page search",
    "their draft in the page search",
    "their draft in the page chooser",
    "their draft in the chooser's search",
    "their live training in the page chooser",
    "their draft in the site history",
    "their draft in the page types report",
    "edit our live training",
    "edit their live training",
    "edit our draft",
    "edit their draft",
    "preview our draft",
    "preview their draft",
    "history of our draft",
    "history of their draft",
    "workflow history of their draft",
    "revision of their draft",
    "old revision of their draft in the editor",
    "comparison of their draft",
    "new training form",
    "edit the catalogue page",
    "edit the directory page",
    "edit an organisation",
    "list the organisations",
    "edit a theme",
    "edit an audience",
    "sign-up requests",
    "invitations",
    "participants screen",
    "manage enrolments (permission)",
    "see enrolments (permission)",
    "reports (permission)",
    "image library",
    # The files of the members' library, in the members' collection only (issue 12).
    "document library",
}
AWARENESS_READS = {
    "admin",
    "their live training in the page chooser",
    "edit a campaign",
    "edit a standard page",
    "image library",
    "document library",
}
EDITOR_READS = {
    "admin",
    "our live training in the explorer",
    "our draft in the explorer",
    "our draft in the page search",
    "their live training in the page chooser",
    "edit our live training",
    "edit our draft",
    "preview our draft",
    "history of our draft",
    "new training form",
}
ALLOWED_READS = {
    SUPERUSER: set(READ),
    COMMITTEE: COMMITTEE_READS,
    AWARENESS: AWARENESS_READS,
    EDITOR: EDITOR_READS,
    EDITOR_WITHOUT_ORGANISATION: {"admin", "their live training in the page chooser"},
    MEMBER: set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_may_read(world, role):
    client = world.client(role)
    client.user = world.users[role]
    allowed = {action for action, check in READ.items() if check(world, client)}
    expected = ALLOWED_READS[role]
    assert {
        "allowed but should be refused": sorted(allowed - expected),
        "refused but should be allowed": sorted(expected - allowed),
    } == {"allowed but should be refused": [], "refused but should be allowed": []}


# -- What one may change: each action from the same world, rolled back after it ------------


def latest_title(page):
    return TrainingPage.objects.get(pk=page.pk).get_latest_revision_as_object().title


def save_our_live_training_as_draft(w, client):
    data = edit_form_data(w.admin, w.our_live, title="Nouveau titre proposé")
    client.post(f"/admin/pages/{w.our_live.pk}/edit/", data)
    page = TrainingPage.objects.get(pk=w.our_live.pk)
    return latest_title(page) == "Nouveau titre proposé" and page.title == w.our_live.title


def publish(page_attribute):
    def action(w, client):
        page = getattr(w, page_attribute)
        data = edit_form_data(w.admin, page, title="Titre publié")
        data["action-publish"] = "action-publish"
        client.post(f"/admin/pages/{page.pk}/edit/", data)
        page = Page.objects.get(pk=page.pk)
        return page.live and page.title == "Titre publié"

    return action


def submit_our_draft(w, client):
    data = edit_form_data(w.admin, w.our_draft)
    data["action-submit"] = "action-submit"
    client.post(f"/admin/pages/{w.our_draft.pk}/edit/", data)
    return TrainingPage.objects.get(pk=w.our_draft.pk).workflow_in_progress


def create_for(organisation_attribute):
    def action(w, client):
        provider = getattr(w, organisation_attribute)
        data = create_form_data(
            w.admin, w.catalogue, title="Nouvelle formation", slug="nouvelle", provider=provider.pk
        )
        client.post(f"/admin/pages/add/trainings/trainingpage/{w.catalogue.pk}/", data)
        created = TrainingPage.objects.filter(slug="nouvelle").first()
        return created is not None and created.provider_id == provider.pk

    return action


def delete(page_attribute):
    def action(w, client):
        page = getattr(w, page_attribute)
        client.post(f"/admin/pages/{page.pk}/delete/")
        return not Page.objects.filter(pk=page.pk).exists()

    return action


def unpublish_our_live_training(w, client):
    client.post(f"/admin/pages/{w.our_live.pk}/unpublish/")
    return not Page.objects.get(pk=w.our_live.pk).live


def publish_the_campaign(w, client):
    data = edit_form_data(w.admin, w.campaign, title="Campagne renommée")
    data["action-publish"] = "action-publish"
    client.post(f"/admin/pages/{w.campaign.pk}/edit/", data)
    return Page.objects.get(pk=w.campaign.pk).title == "Campagne renommée"


def edit_an_organisation(w, client):
    client.post(
        f"/admin/snippets/members/organisation/edit/{w.theirs.pk}/",
        {"name": "Organisme B renommé", "sector": "health", "region": "03", "active": "on"},
    )
    w.theirs.refresh_from_db()
    return w.theirs.name == "Organisme B renommé"


def add_a_theme(w, client):
    client.post("/admin/snippets/trainings/theme/add/", {"name": "Travail forcé", "slug": ""})
    from trainings.models import Theme

    return Theme.objects.filter(name="Travail forcé").exists()


CHANGE = {
    "save our live training as a draft": save_our_live_training_as_draft,
    "publish our draft": publish("our_draft"),
    "publish their draft": publish("their_draft"),
    "publish our live training's changes": publish("our_live"),
    "submit our draft for approval": submit_our_draft,
    "create a training for our organisation": create_for("ours"),
    "create a training for their organisation": create_for("theirs"),
    "delete our draft": delete("our_draft"),
    "delete their draft": delete("their_draft"),
    "unpublish our live training": unpublish_our_live_training,
    "publish a campaign": publish_the_campaign,
    "edit an organisation": edit_an_organisation,
    "add a theme": add_a_theme,
}
ALLOWED_CHANGES = {
    SUPERUSER: set(CHANGE),
    COMMITTEE: set(CHANGE) - {"publish a campaign"},
    AWARENESS: {"publish a campaign"},
    EDITOR: {
        "save our live training as a draft",
        "submit our draft for approval",
        "create a training for our organisation",
        "delete our draft",
    },
    EDITOR_WITHOUT_ORGANISATION: set(),
    MEMBER: set(),
}


class Undo(Exception):
    """Raised to roll an action back: each one starts from the same world."""


def try_each(world, client, actions):
    allowed = set()
    for name, action in actions.items():
        try:
            with transaction.atomic():
                if action(world, client):
                    allowed.add(name)
                raise Undo
        except Undo:
            pass
    return allowed


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_may_change(world, role):
    allowed = try_each(world, world.client(role), CHANGE)
    expected = ALLOWED_CHANGES[role]
    assert {
        "allowed but should be refused": sorted(allowed - expected),
        "refused but should be allowed": sorted(expected - allowed),
    } == {"allowed but should be refused": [], "refused but should be allowed": []}


# -- The organisation rule, closer ----------------------------------------------------------


def test_a_writer_is_offered_their_own_organisation_only(world):
    editor = world.client(EDITOR)
    response = editor.get(f"/admin/pages/add/trainings/trainingpage/{world.catalogue.pk}/")
    field = response.context["form"].fields["provider"]
    assert list(field.queryset) == [world.ours]
    html = response.content.decode()
    assert "Organisme B" not in html


def test_another_organisation_sent_anyway_is_refused_with_a_message(world):
    editor = world.client(EDITOR)
    data = create_form_data(
        world.admin, world.catalogue, title="Tentative", slug="tentative", provider=world.theirs.pk
    )
    response = editor.post(f"/admin/pages/add/trainings/trainingpage/{world.catalogue.pk}/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors["provider"]
    assert errors == ["Vous ne pouvez proposer des formations que pour votre organisme."]
    assert not TrainingPage.objects.filter(slug="tentative").exists()


def test_the_provider_cannot_be_moved_to_another_organisation_by_its_writer(world):
    editor = world.client(EDITOR)
    data = edit_form_data(world.admin, world.our_draft, provider=world.theirs.pk)
    editor.post(f"/admin/pages/{world.our_draft.pk}/edit/", data)
    page = TrainingPage.objects.get(pk=world.our_draft.pk)
    assert page.get_latest_revision_as_object().provider_id == world.ours.pk


def test_the_committee_chooses_any_provider(world):
    committee = world.client(COMMITTEE)
    response = committee.get(f"/admin/pages/add/trainings/trainingpage/{world.catalogue.pk}/")
    assert set(response.context["form"].fields["provider"].queryset) >= {world.ours, world.theirs}


def test_a_writer_who_changes_organisation_loses_the_old_ones_drafts(world):
    editor = world.users[EDITOR]
    assert world.our_draft.permissions_for_user(editor).can_edit()
    editor.membership.organisation = world.theirs
    editor.membership.save()
    editor = type(editor).objects.get(pk=editor.pk)
    assert (
        not TrainingPage.objects.get(pk=world.our_draft.pk).permissions_for_user(editor).can_edit()
    )
    assert TrainingPage.objects.get(pk=world.their_draft.pk).permissions_for_user(editor).can_edit()


def test_a_draft_given_to_another_provider_stays_with_the_saved_one(world):
    """A committee member's draft moving a training to another organisation changes nothing
    for the writers until it is published: the training is judged by its saved provider."""
    draft = world.our_draft.get_latest_revision_as_object()
    draft.provider = world.theirs
    draft.save_revision()
    editor = world.users[EDITOR]
    preview = TrainingPage.objects.get(pk=world.our_draft.pk).get_latest_revision_as_object()
    assert preview.permissions_for_user(editor).can_edit()
    assert organisation_limit(editor, preview) == world.ours.pk


def test_the_editor_menu_offers_no_publishing_to_a_writer(world):
    html = world.client(EDITOR).get(f"/admin/pages/{world.our_draft.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html
    assert "Approbation du comité formation" in html


def test_the_awareness_committee_sees_no_enrolment_menu_nor_catalogue(world):
    html = world.client(AWARENESS).get("/admin/").content.decode()
    assert ENROLMENTS not in html
    assert SIGN_UPS not in html


def test_a_writer_sees_no_enrolment_menu(world):
    html = world.client(EDITOR).get("/admin/").content.decode()
    assert ENROLMENTS not in html
    assert SIGN_UPS not in html


def test_the_training_committee_has_the_enrolment_menu(world):
    html = world.client(COMMITTEE).get("/admin/").content.decode()
    assert ENROLMENTS in html
    assert SIGN_UPS in html


def test_a_catalogue_is_created_by_an_administrator_only(world):
    """The awareness committee may add pages under the home page and its pages, but not a
    catalogue or a directory, which carry the roles' permissions."""
    members = StandardPage(title="Membres", slug="membres")
    f.home_page().add_child(instance=members)
    url = f"/admin/pages/add/catalogue/organisationdirectorypage/{members.pk}/"
    assert world.client(AWARENESS).get(url).status_code == 302
    assert (
        world.client(AWARENESS).get(f"/admin/pages/add/home/standardpage/{members.pk}/").status_code
        == 200
    )
    assert world.admin.get(url).status_code == 200


# -- The roles in the database: exactly what committee/roles.py says ------------------------


def permission_labels(queryset):
    return {f"{p.content_type.app_label}.{p.codename}" for p in queryset}


@pytest.mark.parametrize("name", list(roles.ROLES))
def test_the_migration_created_the_roles_of_roles_py(name):
    """A change to committee/roles.py needs a migration: this fails until there is one."""
    role = roles.ROLES[name]
    group = Group.objects.get(name=name)
    assert permission_labels(group.permissions.select_related("content_type")) == set(
        role["permissions"]
    )
    collection = GroupCollectionPermission.objects.filter(group=group, collection__depth=1)
    assert permission_labels(
        Permission.objects.filter(pk__in=collection.values("permission"))
    ) == set(role["collections"])
    root_actions = set(
        GroupPagePermission.objects.filter(group=group, page__depth=1).values_list(
            "permission__codename", flat=True
        )
    )
    assert root_actions == {f"{action}_page" for action in role["pages"].get(roles.SITE, ())}


def test_every_permission_named_exists():
    for role in roles.ROLES.values():
        for label in [*role["permissions"], *role["collections"]]:
            app_label, codename = label.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), label


def test_the_migrations_set_up_existing_catalogues_and_can_run_again():
    """A site whose catalogue existed before the roles: the migrations give it its page
    permissions and its workflow; run again, they add nothing."""
    from importlib import import_module

    from django.apps import apps

    catalogue = f.catalogue()
    GroupPagePermission.objects.filter(page=catalogue).delete()
    WorkflowPage.objects.filter(page=catalogue).delete()

    def migrate():
        import_module("committee.migrations.0001_roles").create_roles(apps, None)
        import_module("committee.migrations.0002_approval_workflow").create_workflow(apps, None)
        return {
            "groups": Group.objects.count(),
            "pages": GroupPagePermission.objects.count(),
            "collections": GroupCollectionPermission.objects.count(),
            "workflows": Workflow.objects.count(),
            "tasks": GroupApprovalTask.objects.count(),
        }

    assert migrate() == migrate()
    granted = set(
        GroupPagePermission.objects.filter(page=catalogue).values_list(
            "group__name", "permission__codename"
        )
    )
    assert granted == {
        (name, f"{action}_page")
        for name, role in roles.ROLES.items()
        for action in role["pages"].get(roles.CATALOGUE, ())
    }
    assert catalogue.get_workflow().name == roles.WORKFLOW
    assert Workflow.objects.filter(name=roles.WORKFLOW).count() == 1
    assert GroupApprovalTask.objects.filter(name=roles.TASK).count() == 1


def test_every_catalogue_gets_the_roles_and_the_workflow_when_created():
    french = f.catalogue()
    english = french.copy_for_translation(
        Locale.objects.get_or_create(language_code="en")[0], copy_parents=True
    )
    for catalogue in (french, english):
        granted = {
            (group, codename)
            for group, codename in GroupPagePermission.objects.filter(page=catalogue).values_list(
                "group__name", "permission__codename"
            )
        }
        assert granted == {
            (name, f"{action}_page")
            for name, role in roles.ROLES.items()
            for action in role["pages"].get(roles.CATALOGUE, ())
        }
        assert WorkflowPage.objects.get(page=catalogue).workflow.name == roles.WORKFLOW
    training = f.training(parent=french)
    assert training.get_workflow().name == roles.WORKFLOW


def test_a_new_directory_gets_the_committees_permissions():
    home = f.home_page()
    directory = OrganisationDirectoryPage(title="Répertoire", slug="repertoire-2")
    home.add_child(instance=directory)
    granted = set(
        GroupPagePermission.objects.filter(page=directory).values_list(
            "group__name", "permission__codename"
        )
    )
    assert granted == {(roles.TRAINING_COMMITTEE, f"{a}_page") for a in roles.PUBLISHER}
    assert not WorkflowPage.objects.filter(page=directory).exists()
    assert CatalogueIndexPage.objects.count() == 0


def test_the_task_belongs_to_the_training_committee():
    task = GroupApprovalTask.objects.get(name=roles.TASK)
    assert [group.name for group in task.groups.all()] == [roles.TRAINING_COMMITTEE]
    workflow = Workflow.objects.get(name=roles.WORKFLOW)
    assert [t.specific for t in workflow.tasks] == [task]


# -- The demo accounts -----------------------------------------------------------------------


def test_the_demo_has_one_account_per_role(demo):
    from django.contrib.auth import get_user_model

    from demo import roles as demo_roles
    from demo.trainings import DEMO_ORGANISATION, DEMO_PASSWORD

    logins = demo_roles.load()
    assert [(email, password) for email, password, _, _ in logins] == [
        ("comite.formation@demo.cqctp.org", DEMO_PASSWORD),
        ("comite.sensibilisation@demo.cqctp.org", DEMO_PASSWORD),
        ("redaction@demo.cqctp.org", DEMO_PASSWORD),
    ]
    assert [label for _, _, label, _ in logins] == [
        f"« {name} »" for name in roles.ROLES
    ]
    users = get_user_model().objects.filter(email__in=[email for email, _, _, _ in logins])
    assert {user.email: roles.role_names(user) for user in users} == {
        "comite.formation@demo.cqctp.org": [roles.TRAINING_COMMITTEE],
        "comite.sensibilisation@demo.cqctp.org": [roles.AWARENESS_COMMITTEE],
        "redaction@demo.cqctp.org": [roles.ORGANISATION_EDITORS],
    }
    writer = users.get(email="redaction@demo.cqctp.org")
    assert writer.membership.organisation.name == DEMO_ORGANISATION
    assert TrainingPage.objects.filter(provider=writer.membership.organisation).exists()
    # Tests run with DEBUG off: like on a real server, these accounts cannot sign in.
    assert not any(user.has_usable_password() for user in users)
    for catalogue in CatalogueIndexPage.objects.all():
        assert catalogue.get_workflow().name == roles.WORKFLOW
    assert demo_roles.load() == logins  # a second run changes nothing
    assert users.count() == 3
    assert all(user.groups.count() == 1 for user in users)


def test_demo_role_accounts_sign_in_in_development_only(settings):
    from demo import roles as demo_roles
    from demo.trainings import DEMO_ORGANISATION, DEMO_PASSWORD

    f.organisation(DEMO_ORGANISATION)
    settings.DEBUG = True
    demo_roles.load()
    writer = type(f.user()).objects.get(email="redaction@demo.cqctp.org")
    assert writer.check_password(DEMO_PASSWORD)
    response = client_for(writer).get(f"/admin/pages/{f.catalogue().pk}/")
    assert response.status_code == 200
