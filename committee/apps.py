from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    """The committees' side of the admin: roles, the approval workflow, the dashboard and the
    reports. It may use catalogue, trainings and members; none of them uses it."""

    name = "committee"
    verbose_name = _("Committees")
