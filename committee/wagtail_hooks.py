"""The committees' admin: each concern registers its own hooks in its module."""

from . import dashboard, reports_admin, roles_admin  # noqa: F401 (their hooks register on import)
