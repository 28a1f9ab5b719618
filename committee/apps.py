from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    """The committees' side of the admin: roles, the approval workflow, the dashboard and the
    reports. It may use catalogue, trainings and members; none of them uses it."""

    name = "committee"
    verbose_name = _("Committees")

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from trainings.permissions import CataloguePagePermissionPolicy

        from . import signals  # noqa: F401  (new catalogue pages get the roles)

        # The admin's listings, search and reports apply the catalogue's rules (before any
        # view asks for the policy of pages).
        register_permission_policy(Page, CataloguePagePermissionPolicy(Page))
