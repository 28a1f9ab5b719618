"""Serving a page in fewer queries: its address found in one, its privacy checked in one.

Wagtail finds a page by walking its address from the home page, two queries per level (the
child by slug, then its specific row), and checks its privacy by reading its ancestors, then
their restrictions. Neither needs to: the address of a page is stored on it (`url_path`), and
the paths of its ancestors are prefixes of its own (members.access.OneQueryViewRestrictions).
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from wagtail.models import Page

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
