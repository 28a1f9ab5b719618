"""The roles in the admin's page listings: what the page permission checks refuse
(trainings/permissions.py) is not listed either, so a person writing for a member organisation
never sees another organisation's drafts, not even their titles.

- The explorer and the admin's page search list only the catalogue pages one may act on (the
  page permission policy registered in committee/apps.py does it for every listing, report and
  search; the explorer hook below says it again where Wagtail offers a hook).
- The page chooser (links, "related trainings" blocks) also offers the catalogue pages as the
  public sees them: live, without pending changes (whose draft title would tell of a draft).
- Wagtail's "Page types usage" report names the last edited page of each type whoever reads
  it (it checks no page permission): a catalogue page the reader may not act on is not named.
- A new catalogue or directory page is created by an administrator: its page permissions and
  workflow are what the roles rely on.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail import hooks
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page

from trainings.permissions import catalogue_models, hidden_catalogue_pages


def without(pages, condition):
    """`pages` without those matching `condition`, as a filter on ids: these querysets may
    be searched next, and search backends filter on indexed fields only."""
    return pages.filter(pk__in=Page.objects.exclude(condition).values("pk"))


@hooks.register("construct_explorer_page_queryset")
def catalogue_pages_in_the_explorer(parent_page, pages, request):
    hidden = hidden_catalogue_pages(request.user)
    return pages if hidden is None else without(pages, hidden)


@hooks.register("construct_page_chooser_queryset")
def catalogue_pages_in_the_chooser(pages, request):
    hidden = hidden_catalogue_pages(request.user)
    if hidden is None:
        return pages
    as_published = Q(live=True, has_unpublished_changes=False)
    return without(pages, hidden & ~as_published)


@hooks.register("before_create_page")
def catalogue_pages_created_by_administrators(request, parent_page, page_class):
    """Trainings are created inside a catalogue (its permissions decide); a catalogue or a
    directory anywhere else only by an administrator."""
    user = request.user
    if (
        page_class in catalogue_models()
        and parent_page.specific_class not in catalogue_models()
        and not user.is_superuser
    ):
        raise PermissionDenied


def _without_hidden_last_edited_pages(decorate):
    @functools.wraps(decorate)
    def decorate_paginated_queryset(self, page_types):
        page_types = decorate(self, page_types)
        hidden = hidden_catalogue_pages(self.request.user)
        named = [item.last_edited_page.pk for item in page_types if item.last_edited_page]
        if hidden is None or not named:
            return page_types
        refused = set(Page.objects.filter(hidden, pk__in=named).values_list("pk", flat=True))
        for item in page_types:
            if item.last_edited_page is not None and item.last_edited_page.pk in refused:
                item.last_edited_page = None
        return page_types

    return decorate_paginated_queryset


# Wagtail offers no hook for this report's rows: its one method that names pages is wrapped.
PageTypesUsageReportView.decorate_paginated_queryset = _without_hidden_last_edited_pages(
    PageTypesUsageReportView.decorate_paginated_queryset
)
