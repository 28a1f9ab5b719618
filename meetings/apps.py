from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Member meetings")

    def ready(self):
        # trainings may not import meetings: the answers join the member's export and account
        # closing through trainings.privacy's registry.
        from members.documents import members_only_files

        from . import privacy

        privacy.register()
        # The minutes' file stays members-only even if someone moves it to a public collection.
        members_only_files("meetings.MeetingPage", "minutes_document")
