"""Who may do what to the pages of the catalogue, in the Wagtail admin.

Wagtail's page permissions are granted to groups on a page and flow down the tree. Two rules
refine them for the catalogue (the catalogue index, the organisation directory and the
trainings, whose classes use `catalogue_permissions()` as their `permissions_for_user`):

1. **Permissions granted above the catalogue stop at it.** Only those granted on a catalogue
   page (or inside it) count there: a group that edits the whole site from the home page (the
   awareness committee, Wagtail's default "Editors") edits nothing in the catalogue.
2. **Without "change" there, a person acts for their own organisation only.** On the trainings
   their organisation gives (`provider`, as saved) they may edit, save drafts, submit them for
   approval and delete what was never published; other organisations' trainings, drafts
   included, are out of their reach. On the catalogue itself they may add trainings, provided
   they belong to an organisation. Publishing stays with "publish".

The same rules, as querysets, keep these pages out of the admin's listings, search and reports
(`CataloguePagePermissionPolicy`) and out of the page chooser (committee/roles_admin.py).
"""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page, PagePermissionTester, get_page_models
from wagtail.permission_policies.pages import PagePermissionPolicy

from members.access import membership_of

# What a page permission lets one do, as Wagtail names them ("add" for "add_page").
EXPLORE_ACTIONS = frozenset({"add", "change", "publish", "lock", "unlock", "bulk_delete"})


def catalogue_permissions(organisation_field=None):
    """The `permissions_for_user` of a catalogue page class. `organisation_field` names the
    foreign key to the organisation whose people may edit the page (a training's provider)."""

    def permissions_for_user(self, user):
        return CataloguePermissionTester(user, self, organisation_field)

    permissions_for_user.catalogue_roles = True
    return permissions_for_user


@functools.cache
def catalogue_models():
    return tuple(
        model
        for model in get_page_models()
        if getattr(model.permissions_for_user, "catalogue_roles", False)
    )


def catalogue_content_type_ids():
    """Cached by Django's ContentType manager: no query after the first."""
    return {ct.pk for ct in ContentType.objects.get_for_models(*catalogue_models()).values()}


def is_catalogue_page(page):
    return page.content_type_id in catalogue_content_type_ids()


def _action(permission):
    return permission.permission.codename.rsplit("_", maxsplit=1)[0]


def catalogue_grants(user, policy):
    """[(path of the catalogue page, action)] of the page permissions `user` holds through
    their groups on catalogue pages: the only ones that count in the catalogue (rule 1)."""
    anchors = catalogue_content_type_ids()
    return [
        (grant.page.path, _action(grant))
        for grant in policy.get_cached_permissions_for_user(user)
        if grant.page.content_type_id in anchors
    ]


def organisation_id_of(user):
    membership = membership_of(user)
    return membership.organisation_id if membership is not None else None


def saved_organisation_id(page, field):
    """The organisation of `page` as saved: a page rebuilt from a revision (the editor's
    form, a preview) is judged by its saved row, like the page itself, whatever its draft
    says. Read once per page object."""
    if page.pk is None:
        return getattr(page, f"{field}_id")
    if not hasattr(page, "_saved_organisation_id"):
        saved = type(page).objects.filter(pk=page.pk).values_list(f"{field}_id", flat=True)
        page._saved_organisation_id = saved.first()
    return page._saved_organisation_id


class CataloguePermissionTester(PagePermissionTester):
    """Wagtail's tester, with the catalogue's two rules applied to `self.permissions`."""

    def __init__(self, user, page, organisation_field=None):
        super().__init__(user, page)
        self.organisation_field = organisation_field
        self.organisation_id = None
        self.limited_to_organisation = False
        if not user.is_active or user.is_superuser:
            return
        actions = {
            action
            for path, action in catalogue_grants(user, self.permission_policy)
            if page.path.startswith(path)
        }
        self.limited_to_organisation = bool(actions) and "change" not in actions
        if self.limited_to_organisation:
            self.organisation_id = organisation_id_of(user)
            if self.organisation_id is None:
                actions = set()  # someone who belongs to no organisation writes for none
            elif organisation_field is not None:
                if saved_organisation_id(page, organisation_field) == self.organisation_id:
                    actions = (actions - {"add"}) | {"change"}
                else:
                    actions = set()
        self.permissions = actions

    def can_view_revisions(self):
        """History, revisions and comparisons: for those who may edit or publish the page."""
        return super().can_view_revisions() and (self.can_edit() or self.can_publish())

    def can_submit_for_moderation(self):
        return self.can_edit() and super().can_submit_for_moderation()


def organisation_limit(user, page):
    """The organisation `user` is limited to when editing `page` (or creating a training under
    it), or None when they are not limited (a committee, a superuser)."""
    tester = page.permissions_for_user(user)
    if getattr(tester, "limited_to_organisation", False):
        return tester.organisation_id
    return None


def _under(paths):
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def allowed_catalogue_pages(user, policy):
    """The catalogue pages on which `user` holds some permission, as a condition on pages
    (the queryset twin of CataloguePermissionTester)."""
    from .models import TrainingPage

    grants = catalogue_grants(user, policy)
    allowed = _under(path for path, action in grants if action == "change")
    organisation_id = organisation_id_of(user)
    if organisation_id is not None:
        under_any = _under(path for path, action in grants if action in EXPLORE_ACTIONS)
        training = ContentType.objects.get_for_model(TrainingPage)
        ours = ~Q(content_type=training) | Q(trainingpage__provider_id=organisation_id)
        allowed |= under_any & ours
    return allowed


def hidden_catalogue_pages(user, policy=None):
    """A condition matching the catalogue pages `user` holds no permission on, or None when
    none is hidden from them (superusers)."""
    if user.is_active and user.is_superuser:
        return None
    from wagtail.permissions import policy_registry

    policy = policy or policy_registry.get_by_type(Page)
    return Q(content_type_id__in=catalogue_content_type_ids()) & ~allowed_catalogue_pages(
        user, policy
    )


class CataloguePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy with the catalogue's rules: the explorer, the admin's
    page search, its listings and reports show no catalogue page a person may not act on."""

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        hidden = hidden_catalogue_pages(user, self)
        return pages if hidden is None else pages.exclude(hidden)

    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        hidden = hidden_catalogue_pages(user, self)
        if hidden is None:
            return pages
        pages = pages.exclude(hidden)
        if "change" in actions:
            # Their organisation's trainings, owned by them or not (rule 2).
            pages |= self.model._default_manager.filter(
                allowed_catalogue_pages(user, self)
                & Q(content_type_id__in=catalogue_content_type_ids())
                & ~Q(path__in=[path for path, _ in catalogue_grants(user, self)])
            )
        return pages

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if isinstance(instance, Page) and is_catalogue_page(instance):
            if not user.is_active:
                return False
            if user.is_superuser:
                return True
            return bool(set(actions) & instance.permissions_for_user(user).permissions)
        return super().user_has_any_permission_for_instance(user, actions, instance)


class CatalogueAncestorPermissionTester(PagePermissionTester):
    """For a page above a catalogue page (a home page, "Members" above the directory):
    permissions granted there do not reach the catalogue (rule 1), so whoever holds none on the
    catalogue may not act on it through its ancestor either: no privacy set, move, unpublish
    or deletion that would carry the catalogue pages along."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.holds_the_catalogue = True
        if user.is_active and not user.is_superuser and self.permissions:
            below = Page.objects.descendant_of(page).filter(
                content_type_id__in=catalogue_content_type_ids()
            )
            if below.exists():
                grants = catalogue_grants(user, self.permission_policy)
                self.holds_the_catalogue = any(
                    action in ("change", "publish") for _path, action in grants
                )

    def can_set_view_restrictions(self):
        return self.holds_the_catalogue and super().can_set_view_restrictions()

    def can_move(self):
        return self.holds_the_catalogue and super().can_move()

    def can_unpublish(self):
        return self.holds_the_catalogue and super().can_unpublish()

    def can_delete(self, ignore_bulk=False):
        return self.holds_the_catalogue and super().can_delete(ignore_bulk=ignore_bulk)


class CatalogueAncestorPermissions:
    """Mixin for the page types that may hold a catalogue page below them."""

    def permissions_for_user(self, user):
        return CatalogueAncestorPermissionTester(user, self)
