"""The members' side of the Wagtail admin: organisations and memberships (snippets), the
committee's sign-up requests and the coordinators' invitations (members/admin_views.py), all
under one "Members" menu, and the audit-log actions of the committee's decisions."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import services
from .admin_views import InvitationViewSet, SignUpRequestViewSet
from .models import Invitation, Membership, Organisation, Role, SignUpRequest

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


class MembersViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, MembershipViewSet, SignUpRequestViewSet, InvitationViewSet)
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


@hooks.register("register_log_actions")
def register_sign_up_actions(actions):
    actions.register_action(services.APPROVED)(ApprovedFormatter)
    actions.register_action(services.REJECTED)(RejectedFormatter)
