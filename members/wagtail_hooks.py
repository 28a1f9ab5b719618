"""The members' side of the Wagtail admin: organisations and memberships (snippets), the
committee's sign-up requests and the coordinators' invitations (members/admin_views.py), all
under one "Members" menu, and the audit-log actions of the committee's decisions."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import services
from .admin_views import InvitationViewSet, SignUpRequestViewSet
from .documents import LibraryDocumentAdminForm, document_allowed
from .membership_admin import MembershipApplicationViewSet, MembershipDuesViewSet
from .models import (
    VERIFY_EVERY_DAYS,
    Invitation,
    LibraryDocument,
    LibraryTag,
    Membership,
    Organisation,
    PeopleServed,
    Resource,
    Role,
    ServiceType,
    SignUpRequest,
)
from .resources import ResourceAdminForm

# One policy per model, before anything asks for one: "view" to see, "change" to decide.
register_permission_policy(SignUpRequest, ModelPermissionPolicy(SignUpRequest))
register_permission_policy(Invitation, ModelPermissionPolicy(Invitation))


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "sector", "region", BooleanColumn("active")]
    list_filter = ["sector", "region", "active"]
    search_fields = ["name"]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = [
        Column("email", label=_("E-mail"), accessor="user.email"),
        Column("name", label=_("Name"), accessor="user.get_full_name"),
        "organisation",
        "role",
        "language",
    ]
    list_filter = ["role", "organisation"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation__name"]

    def get_queryset(self, request):
        return Membership.objects.select_related("user", "organisation").order_by("user__email")


class ResourceFilterSet(WagtailFilterSet):
    verification = django_filters.ChoiceFilter(
        label=_("Verification"),
        choices=[("due", _("Not verified for a year"))],
        empty_label=_("All"),
        widget=forms.RadioSelect,
        method="filter_verification",
    )
    service_types = django_filters.ModelChoiceFilter(
        label=_("Type of service"), queryset=ServiceType.objects.all()
    )
    public = django_filters.BooleanFilter(label=_("Shown to the public"))

    class Meta:
        model = Resource
        fields = ["verification", "service_types", "public"]

    def filter_verification(self, queryset, name, value):
        if value == "due":
            return queryset.filter(last_verified__lt=verification_due_before())
        return queryset


def verification_due_before(today=None):
    """Entries last verified before this day are due (VERIFY_EVERY_DAYS)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=VERIFY_EVERY_DAYS)


class ResourceViewSet(SnippetViewSet):
    """The directory's entries. "Not verified for a year" lists what the committee should
    check with the services again (its own menu item leads there)."""

    model = Resource
    icon = "help"
    menu_label = _("Resource directory")
    list_display = [
        "name",
        "organisation",
        BooleanColumn("public", label=_("Public")),
        Column("last_verified", label=_("Last verified"), sort_key="last_verified"),
    ]
    filterset_class = ResourceFilterSet
    search_fields = ["name", "name_en", "organisation"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("organisation")],
                heading=_("Service"),
            ),
            MultiFieldPanel(
                [FieldPanel("description"), FieldPanel("description_en")],
                heading=_("Description"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("service_types", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("people_served", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("regions"),
                    FieldPanel("whole_province"),
                ],
                heading=_("For whom, where"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("in_french"),
                    FieldPanel("in_english"),
                    FieldPanel("other_languages"),
                    FieldPanel("other_languages_en"),
                ],
                heading=_("Languages"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("open_24_7"),
                    FieldPanel("hours"),
                    FieldPanel("hours_en"),
                    FieldPanel("phone"),
                    FieldPanel("email"),
                    FieldPanel("website"),
                    FieldPanel("address"),
                ],
                heading=_("Reaching the service"),
            ),
            MultiFieldPanel(
                [FieldPanel("how_to_refer"), FieldPanel("how_to_refer_en")],
                heading=_("How to refer someone"),
            ),
            MultiFieldPanel(
                [FieldPanel("public"), FieldPanel("last_verified")],
                heading=_("Publication and verification"),
            ),
        ],
        base_form_class=ResourceAdminForm,
    )

    def get_queryset(self, request):
        return Resource.objects.all()


class ServiceTypeViewSet(SnippetViewSet):
    model = ServiceType
    icon = "tag"
    menu_label = _("Service types")
    list_display = ["name", "name_en", "slug"]


class PeopleServedViewSet(SnippetViewSet):
    model = PeopleServed
    icon = "tag"
    menu_label = _("People served")
    list_display = ["name", "name_en", "slug"]


class LibraryDocumentViewSet(SnippetViewSet):
    """The members' library: each entry points to a file of the members' private
    collection (its form refuses a file anyone could download)."""

    model = LibraryDocument
    icon = "doc-full"
    menu_label = _("Document library")
    list_display = ["title", "kind", "year", Column("document", label=_("File"))]
    list_filter = ["kind", "year", "language"]
    search_fields = ["title", "title_en", "summary"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("title"), FieldPanel("title_en"), FieldPanel("document")],
                heading=_("Document"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldPanel("year"),
                    FieldPanel("language"),
                    FieldPanel("tags"),
                ],
                heading=_("What members find it by"),
            ),
            MultiFieldPanel(
                [FieldPanel("summary"), FieldPanel("summary_en")], heading=_("Summary")
            ),
        ],
        base_form_class=LibraryDocumentAdminForm,
    )

    def get_queryset(self, request):
        return LibraryDocument.objects.select_related("document")


class LibraryTagViewSet(SnippetViewSet):
    """Tags are made by typing them in an entry (in French); here they get their English name."""

    model = LibraryTag
    icon = "tag"
    menu_label = _("Library tags")
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    # No slug field: made from the French name when the tag is created, then kept, so that the
    # addresses members saved (`?tag=…`) keep working.
    panels = [FieldPanel("name", heading=_("name (French)")), FieldPanel("name_en")]


class MembersViewSetGroup(SnippetViewSetGroup):
    items = (
        OrganisationViewSet,
        MembershipViewSet,
        SignUpRequestViewSet,
        InvitationViewSet,
        ResourceViewSet,
        ServiceTypeViewSet,
        PeopleServedViewSet,
        LibraryDocumentViewSet,
        LibraryTagViewSet,
        MembershipApplicationViewSet,
        MembershipDuesViewSet,
    )
    menu_icon = "group"
    menu_label = _("Members")
    menu_name = "members"
    menu_order = 200


register_snippet(MembersViewSetGroup)


class ApprovedFormatter(LogFormatter):
    label = services.LOG_ACTIONS[services.APPROVED]

    def format_message(self, log_entry):
        role = (log_entry.data or {}).get("role")
        if role in Role.values:
            return _("Approved, with the role “%(role)s”") % {"role": Role(role).label}
        return _("Approved")


class RejectedFormatter(LogFormatter):
    label = services.LOG_ACTIONS[services.REJECTED]
    message = _("Rejected")


class ResourcesToVerifyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("members.change_resource")


@hooks.register("register_admin_menu_item")
def register_resources_to_verify():
    """A shortcut for the committee: the entries not verified for a year."""
    from django.urls import reverse

    url = reverse(ResourceViewSet().get_url_name("list")) + "?verification=due"
    return ResourcesToVerifyMenuItem(
        _("Resources to verify"),
        url,
        icon_name="warning",
        order=210,
        name="resources-to-verify",
    )


@hooks.register("register_log_actions")
def register_sign_up_actions(actions):
    actions.register_action(services.APPROVED)(ApprovedFormatter)
    actions.register_action(services.REJECTED)(RejectedFormatter)


@hooks.register("before_serve_document", order=-100)
def serve_documents_to_those_allowed(document, request):
    """A file of a members-only collection is a 404 for anyone else, whatever its address:
    before Wagtail's own check, which would send them to a sign-in page and so tell them the
    file exists (`members.documents`)."""
    from django.http import Http404

    if not document_allowed(document, request.user):
        raise Http404
