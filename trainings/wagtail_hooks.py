from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Audience, Theme, TrainingPage


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, AudienceViewSet)
    menu_icon = "tag"
    menu_label = _("Taxonomy")
    menu_name = "taxonomy"
    menu_order = 210


register_snippet(TaxonomyViewSetGroup)


admin_urls = (
    [
        path("", admin_views.sessions, name="sessions"),
        path("sessions/<int:pk>/", admin_views.participants, name="participants"),
        path("sessions/<int:pk>/capacity/", admin_views.change_capacity, name="capacity"),
        path("sessions/<int:pk>/cancel/", admin_views.cancel_session, name="cancel_session"),
        path("sessions/<int:pk>/participants.csv", admin_views.export_csv, name="export_csv"),
        path("<int:pk>/cancel/", admin_views.cancel_enrolment, name="cancel_enrolment"),
    ],
    "enrolments_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("enrolments/", include(admin_urls))]


class EnrolmentsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_manage_enrolments(request.user)


@hooks.register("register_admin_menu_item")
def register_enrolments_menu_item():
    return EnrolmentsMenuItem(
        _("Enrolments"),
        reverse("enrolments_admin:sessions"),
        name="enrolments",
        icon_name="calendar",
        order=195,
    )


@hooks.register("register_page_header_buttons")
def participants_button(page, user, view_name, next_url=None):
    """From a training page in the admin, a link to the participants of its sessions."""
    if page.specific_class is TrainingPage and admin_views.can_manage_enrolments(user):
        yield Button(
            _("Participants"),
            reverse("enrolments_admin:sessions") + f"?training={page.pk}",
            icon_name="group",
            priority=40,
        )
