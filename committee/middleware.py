"""The catalogue pages a person may not act on do not exist for them anywhere in the admin."""

import logging

from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.datastructures import MultiValueDictKeyError
from django.views.defaults import bad_request
from wagtail.models import Page

from trainings.permissions import hidden_catalogue_pages

logger = logging.getLogger("django.security.UnreadableInput")

# Admin views that name a page in their address without checking a permission on it first:
# the explorer and the chooser (they show the page's current title), the bulk actions'
# confirmation lists, a workflow's cancellation step.
PAGE_IN_THE_ADDRESS = ("parent_page_id", "page_id")
CHOOSER = {"wagtailadmin_choose_page_child"}
BULK = {"wagtail_bulk_action"}


class HiddenCataloguePagesMiddleware:
    """404 for an admin address naming another organisation's draft (or, in the chooser, a
    catalogue page with unpublished changes) to someone the catalogue's rules hide it from
    (trainings/permissions.py): its title must not leak through the explorer, the chooser or
    the bulk actions. The chooser still offers trainings as they are published."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.url_name in BULK and view_kwargs.get("model_name") == "page":
            # Wagtail reads the ids with int() and fails on anything else ("abc", "²"): the
            # site's 400 page ("nothing was changed") instead. "all" is Wagtail's own.
            values = request.GET.getlist("id")
            if any(v != "all" and not (v.isascii() and v.isdigit()) for v in values):
                raise BadRequest("A page id of a bulk action is not a number.")
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated or user.is_superuser:
            return None
        if not request.path.startswith("/admin/"):
            return None
        if not user.has_perm("wagtailadmin.access_admin"):
            return None  # Wagtail sends them away before any page is named
        ids = [view_kwargs[key] for key in PAGE_IN_THE_ADDRESS if key in view_kwargs]
        if match.url_name in BULK and view_kwargs.get("model_name") == "page":
            ids += [v for v in request.GET.getlist("id") if v.isascii() and v.isdigit()]
        if not ids:
            return None
        hidden = hidden_catalogue_pages(user)
        if hidden is None:
            return None
        if match.url_name in CHOOSER:
            hidden &= ~Q(live=True, has_unpublished_changes=False)
        if Page.objects.filter(pk__in=ids).filter(hidden).exists():
            raise Http404
        return None


class MalformedAdminFormMiddleware:
    """A hand-made POST to an admin form (a missing StreamField count, a parent page that is not
    a number) reaches Wagtail's views, which read it without checking and fail: the sender gets
    the site's 400 page ("nothing was changed") instead of a 500, and the log says what."""

    MALFORMED = (MultiValueDictKeyError, ValidationError, ValueError)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not request.path.startswith("/admin/"):
            return None
        if not isinstance(exception, self.MALFORMED):
            return None
        logger.warning("Malformed admin form at %s: %r", request.path, exception, exc_info=True)
        return bad_request(request, exception)
