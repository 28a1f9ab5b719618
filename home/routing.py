"""Wagtail's serve view, started from a home page each process remembers.

Before it routes an address, Wagtail reads the same three rows on every request: the site (by
hostname and port), the active locale, and the home page in that language. They change only
when content does (a site, a locale or a page saved bumps CONTENT: home/signals.py), so each
process keeps them, as pickled copies (every request gets its own objects), for as long as the
CONTENT stamp is unchanged. Routing itself (`route`, each page's own rules, privacy, hooks) is
Wagtail's, untouched.
"""

import pickle

from django.http import Http404
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Site

from .navigation import content_language, content_stamp

# Hostnames come from the request: a bounded memory whatever visitors send.
MAX_REMEMBERED = 64
_remembered = {}


def _key(request):
    # What Wagtail's own lookup reads (Site._find_for_request), and the language.
    hostname = split_domain_port(request._get_raw_host())[0]
    return (hostname, request.get_port(), content_language())


def remembered_root(request):
    """The request's site and its home page in the active language (the specific page), from
    memory while CONTENT is unchanged; (None, None) without a site. Sets the request's site as
    Wagtail's own lookup would."""
    stamp = content_stamp(request)
    key = _key(request)
    entry = _remembered.get(key)
    if entry is not None and entry[0] == stamp:
        site, root = pickle.loads(entry[1])
    else:
        site = Site.find_for_request(request)
        root = site.root_page.localized.specific if site is not None else None
        if len(_remembered) >= MAX_REMEMBERED:
            _remembered.clear()
        _remembered[key] = (stamp, pickle.dumps((site, root), pickle.HIGHEST_PROTOCOL))
    request._wagtail_site = site
    return site, root


def serve(request, path):
    """wagtail.views.serve, with the route found from the remembered home page (the same
    result as Page.route_for_request, which then reads it from the request)."""
    if not hasattr(request, "_wagtail_route_for_request"):
        site, root = remembered_root(request)
        if root is None:
            request._wagtail_route_for_request = None
        else:
            components = [component for component in path.split("/") if component]
            try:
                request._wagtail_route_for_request = root.route(request, components)
            except Http404:
                request._wagtail_route_for_request = None
    return wagtail_views.serve(request, path)


def forget():
    """Tests: start from an empty memory."""
    _remembered.clear()
