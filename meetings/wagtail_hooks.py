"""The committee's view of the answers: who comes to which meeting, exported for the sign-in
sheet."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from .models import MeetingResponse


class MeetingResponseViewSet(ModelViewSet):
    model = MeetingResponse
    icon = "calendar-check"
    menu_label = _("Meeting answers")
    add_to_admin_menu = True
    menu_order = 250
    inspect_view_enabled = True
    list_display = [
        "meeting",
        Column("member", label=_("Member"), accessor="user.get_full_name"),
        Column("email", label=_("E-mail"), accessor="user.email"),
        "answer",
        "updated",
    ]
    list_filter = ["meeting", "answer"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_export = ["meeting", "user.first_name", "user.last_name", "user.email", "answer"]
    export_headings = {
        "user.first_name": _("First name"),
        "user.last_name": _("Last name"),
        "user.email": _("E-mail"),
    }
    export_filename = "reponses-rencontres"
    form_fields = ["answer"]

    def get_queryset(self, request):
        return MeetingResponse.objects.select_related("meeting", "user").order_by(
            "-meeting__start", "user__last_name"
        )


@hooks.register("register_admin_viewset")
def register_meeting_responses():
    return MeetingResponseViewSet("meeting_responses")
