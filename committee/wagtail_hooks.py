"""The committees' admin: each concern registers its own hooks in its module."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from . import dashboard, reports_admin, roles_admin  # noqa: F401 (their hooks register on import)


@hooks.register("insert_global_admin_css")
def committee_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("committee/admin.css"))
