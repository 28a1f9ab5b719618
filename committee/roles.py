"""The roles of the admin, defined once: Django groups named in French, with their permissions
(models, images and documents, pages), and the catalogue's approval workflow.

Migration 0001_roles creates the groups and 0002_approval_workflow the workflow from a frozen
copy of these definitions (a migration must keep doing what it did when it was written, so it
does not import this module); tests/test_roles_permissions.py checks that the database holds
exactly what is written here, so a change here needs its migration. New catalogue pages
(another language's catalogue, a directory) get their page permissions and the workflow from
here, when they are created (committee/signals.py).

How the page rules apply inside the catalogue (only permissions granted on a catalogue page
count there; without "change", one edits only one's own organisation's trainings) is in
trainings/permissions.py.
"""

from django.db import transaction

# Group names: data, shown as written in the admin (Settings → Groups, a person's roles).
TRAINING_COMMITTEE = "Comité formation"
AWARENESS_COMMITTEE = "Comité sensibilisation"
ORGANISATION_EDITORS = "Rédaction – organisme membre"

WORKFLOW = "Approbation du comité formation"
TASK = "Validation par le comité formation"

# What the participants and reports screens check (helpers B and F use these names).
ENROLMENTS_PERMISSION = "trainings.change_enrolment"
VIEW_ENROLMENTS_PERMISSION = "trainings.view_enrolment"
REPORTS_PERMISSION = "trainings.view_reports"
SIGN_UPS_PERMISSION = "members.change_signuprequest"
ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"

# Where page permissions are granted: the root of the page tree (the whole site, every
# language), every catalogue index, every organisation directory.
SITE = "site"
CATALOGUE = "catalogue"
DIRECTORY = "directory"
MEETINGS = "meetings"  # every member meetings index (meetings app)

PUBLISHER = ("add", "change", "publish", "lock", "unlock")


def _crud(app, model, actions=("add", "change", "delete", "view")):
    return tuple(f"{app}.{action}_{model}" for action in actions)


ROLES = {
    TRAINING_COMMITTEE: {
        "permissions": (
            ADMIN_ACCESS_PERMISSION,
            "simple_translation.submit_translation",
            *_crud("members", "organisation", ("add", "change", "view")),
            *_crud("members", "membership", ("change", "view")),
            *_crud("members", "signuprequest", ("change", "view")),
            "members.view_invitation",
            *_crud("trainings", "theme"),
            *_crud("trainings", "audience"),
            *_crud("trainings", "enrolment", ("change", "view")),
            # Sessions' entries in Reports › Site history (capacity, cancellation, e-mails).
            "trainings.view_trainingsession",
            *_crud("trainings", "attendance", ("add", "change", "view")),
            *_crud("trainings", "certificate", ("change", "view")),
            REPORTS_PERMISSION,
            # The newsletter (newsletter/migrations/0002): subscribers seen, exported and
            # erased; issues sent.
            *_crud("newsletter", "subscriber", ("delete", "view")),
            *_crud("newsletter", "newslettersending", ("add", "view")),
            # The resource directory (migration 0003): its entries and the facets' terms.
            *_crud("members", "resource"),
            *_crud("members", "servicetype"),
            *_crud("members", "peopleserved"),
            # The members' document library (migration 0004), its tags' English names (0006).
            *_crud("members", "librarydocument"),
            *_crud("members", "librarytag"),
            # Who comes to the member meetings (meetings/migrations/0002).
            *_crud("meetings", "meetingresponse", ("change", "delete", "view")),
            # Membership applications (to decide) and dues (reminders) (migration 0005).
            *_crud("members", "membershipapplication", ("change", "view")),
            *_crud("members", "membershipdues"),
        ),
        # Organisations' logos.
        "collections": ("wagtailimages.add_image", "wagtailimages.choose_image"),
        # The library's files, in the members' private collection only (migration 0004).
        "members_collection": _crud(
            "wagtaildocs", "document", ("add", "change", "delete", "choose")
        ),
        "pages": {CATALOGUE: PUBLISHER, DIRECTORY: PUBLISHER, MEETINGS: PUBLISHER},
    },
    AWARENESS_COMMITTEE: {
        "permissions": (ADMIN_ACCESS_PERMISSION, "simple_translation.submit_translation"),
        "collections": (
            *_crud("wagtailimages", "image", ("add", "change", "delete", "choose")),
            *_crud("wagtaildocs", "document", ("add", "change", "delete", "choose")),
        ),
        # The whole site; the catalogue ignores permissions granted above it.
        "pages": {SITE: PUBLISHER},
    },
    ORGANISATION_EDITORS: {
        "permissions": (ADMIN_ACCESS_PERMISSION,),
        "collections": (),
        # "add" only: drafts of their organisation's trainings, never published by them.
        "pages": {CATALOGUE: ("add",)},
    },
}


def page_kind(page):
    """SITE, CATALOGUE, DIRECTORY or MEETINGS for the pages that receive permissions, else
    None."""
    from catalogue.models import CatalogueIndexPage, OrganisationDirectoryPage
    from meetings.models import MeetingIndexPage

    if page.depth == 1:
        return SITE
    return {
        CatalogueIndexPage: CATALOGUE,
        OrganisationDirectoryPage: DIRECTORY,
        MeetingIndexPage: MEETINGS,
    }.get(page.specific_class)


def grant_page_permissions(page):
    """Give the roles their permissions on `page` (a new catalogue or directory). Only adds:
    what administrators added or removed elsewhere stays as it is. A role whose group was
    deleted is skipped."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    kind = page_kind(page)
    if kind is None:
        return
    for name, role in ROLES.items():
        actions = role["pages"].get(kind, ())
        group = Group.objects.filter(name=name).first()
        if group is None or not actions:
            continue
        codenames = [f"{action}_page" for action in actions]
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=page.pk, permission=permission
            )


def approval_workflow():
    """The catalogue's workflow: the one its other catalogues follow (an administrator may
    have chosen another), else the committee's by name; None when neither exists."""
    from wagtail.models import Workflow, WorkflowPage

    from catalogue.models import CatalogueIndexPage

    catalogues = CatalogueIndexPage.objects.values("pk")
    attached = WorkflowPage.objects.filter(page__in=catalogues, workflow__active=True).first()
    if attached is not None:
        return attached.workflow
    return Workflow.objects.filter(name=WORKFLOW, active=True).first()


def attach_workflow(page):
    """Put a catalogue under the approval workflow, unless it already has one."""
    from wagtail.models import WorkflowPage

    if WorkflowPage.objects.filter(page_id=page.pk).exists():
        return
    workflow = approval_workflow()
    if workflow is not None:
        WorkflowPage.objects.create(page_id=page.pk, workflow=workflow)


@transaction.atomic
def set_up_page(page):
    """A new catalogue or directory page gets the roles' permissions (and, for a catalogue,
    the approval workflow)."""
    kind = page_kind(page)
    if kind in (CATALOGUE, DIRECTORY, MEETINGS):
        grant_page_permissions(page)
    if kind == CATALOGUE:
        attach_workflow(page)


def role_names(user):
    """The roles of `user` among ours, in the order of ROLES."""
    names = set(user.groups.values_list("name", flat=True))
    return [name for name in ROLES if name in names]
