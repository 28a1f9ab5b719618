from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Membership, Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "sector", "region", "active"]
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
    items = (OrganisationViewSet, MembershipViewSet)
    menu_icon = "group"
    menu_label = _("Members")
    menu_name = "members"
    menu_order = 200


register_snippet(MembersViewSetGroup)


admin_urls = (
    [
        path("", admin_views.sign_up_requests, name="sign_up_requests"),
        path("<int:pk>/approve/", admin_views.approve, name="approve"),
        path("<int:pk>/reject/", admin_views.reject, name="reject"),
    ],
    "members_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("sign-up-requests/", include(admin_urls))]


class SignUpRequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_review_sign_ups(request.user)


@hooks.register("register_admin_menu_item")
def register_sign_up_requests_menu_item():
    return SignUpRequestsMenuItem(
        _("Sign-up requests"),
        reverse("members_admin:sign_up_requests"),
        name="sign-up-requests",
        icon_name="user",
        order=190,
    )
