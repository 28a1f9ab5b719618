from django.conf import settings
from django.http import Http404
from django.utils import translation
from wagtail import hooks
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from members.access import allowed_pages

from .page_cache import page_tags


@hooks.register("before_serve_page")
def follow_the_french_versions_privacy(page, request, serve_args, serve_kwargs):
    """A translation follows the page privacy of its French version (`allowed_pages`): where
    that refuses the visitor, the translation does not exist for them (404), as the listings
    and the search already say. The page's own privacy stays Wagtail's to answer (sign-in,
    password form), by its hook that runs after this one. French pages cost no query."""
    source = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    if get_supported_content_language_variant(translation.get_language()) == source:
        return None
    user = getattr(request, "user", None)
    if allowed_pages(Page.objects.filter(pk=page.pk), user, request).exists():
        return None
    if any(not restriction.accept_request(request) for restriction in page.get_view_restrictions()):
        return None  # its own restriction: Wagtail answers with the sign-in or password page
    raise Http404


@hooks.register("before_serve_page")
def declare_what_the_page_shows(page, request, serve_args, serve_kwargs):
    """The freshness tags the anonymous page cache watches for this page (home/page_cache.py):
    a training its own seats, the catalogue and the home page every seat, others content only."""
    request.page_cache_tags = page_tags(page)
