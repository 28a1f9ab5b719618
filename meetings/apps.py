from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Member meetings")

    def ready(self):
        # trainings may not import meetings: the answers join the member's export and account
        # closing through trainings.privacy's registry.
        from . import privacy

        privacy.register()
