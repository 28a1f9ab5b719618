"""Serving a page in fewer queries: its address found in one, its privacy checked in one.

Wagtail finds a page by walking its address from the home page, two queries per level (the
child by slug, then its specific row), and checks its privacy by reading its ancestors, then
their restrictions. Neither needs to: the address of a page is stored on it (`url_path`), and
the paths of its ancestors are prefixes of its own.
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

ROUTE_TIMEOUT = 60 * 60 * 24


def route_key(url_path):
    digest = hashlib.md5(url_path.encode(), usedforsecurity=False).hexdigest()
    return f"route:{digest}"


def route_below(root, request, path_components, walk):
    """Route `path_components` below `root` (a home page) as Wagtail's walk does, in one query
    when the address was routed before.

    The shared cache remembers which page an address led to ({url_path: (id, model)}, the same
    for every visitor). It is only a hint: the page is fetched with its address in the same
    query, so a page since moved, renamed or deleted is simply not found there and the walk
    (`walk()`, Wagtail's route) answers, as it does for any address not seen yet. The page's
    own `route` always runs, so every per-visitor rule (members-only trainings, live) holds.
    A page class may name the relations its serving reads (`route_select_related`)."""
    if not path_components:
        return walk()
    url_path = root.url_path + "/".join(path_components) + "/"
    key = route_key(url_path)
    hint = cache.get(key)
    if hint is not None:
        page_id, label = hint
        page = fetch_routed(label, page_id, url_path, root)
        if page is not None:
            return page.route(request, [])
    result = walk()
    page, args, kwargs = result
    if not args and not kwargs and page.url_path == url_path:
        cache.set(key, (page.pk, page._meta.label_lower), ROUTE_TIMEOUT)
    return result


def fetch_routed(label, page_id, url_path, root):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if not issubclass(model, Page):
        return None
    related = getattr(model, "route_select_related", ())
    return (
        model._default_manager.select_related(*related)
        .filter(pk=page_id, url_path=url_path, path__startswith=root.path)
        .first()
    )


class OneQueryViewRestrictions:
    """Wagtail reads a page's ancestors, then their privacy restrictions, on every page it
    serves: the ancestors' paths are prefixes of the page's own, so one query does both. The
    same restrictions as Wagtail's: those of the page and of each ancestor, or of the page an
    alias copies."""

    def get_view_restrictions(self):
        if self.alias_of_id:
            return super().get_view_restrictions()
        steplen = self.steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        lineage = Page.objects.filter(path__in=paths)
        return PageViewRestriction.objects.filter(
            Q(page__in=lineage.filter(alias_of__isnull=True).values("pk"))
            | Q(page__in=lineage.filter(alias_of__isnull=False).values("alias_of"))
        )
