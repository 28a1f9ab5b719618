"""Short addresses of campaigns ("/grandprix", "/en/grandprix"): a Wagtail redirect to the
campaign, kept in step with the page's short name and publication.

A campaign's own short-address redirects are those to the page at the short path of a short name
the page has had (its current one, or one saved in any of its revisions): they are created,
moved and removed here; any other redirect an editor makes to the campaign ("/affiche-metro") is
left alone. Deleting the page deletes its redirects (cascade)."""

import logging

from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.signals import page_published, page_unpublished

logger = logging.getLogger(__name__)


def own_short_redirects(page):
    names = set(page.revisions.values_list("content__short_name", flat=True))
    names.add(page.short_name)
    paths = {Redirect.normalise_path(page.short_path(name)) for name in names if name}
    return list(Redirect.objects.filter(redirect_page_id=page.pk, old_path__in=paths))


def sync_short_redirect(page):
    """One temporary redirect from the page's short path to the page while it is live with a
    short name; none otherwise."""
    wanted = Redirect.normalise_path(page.short_path()) if page.live and page.short_name else ""
    site = page.get_site()
    with transaction.atomic():
        kept = None
        for redirect in own_short_redirects(page):
            if redirect.old_path == wanted and kept is None:
                kept = redirect
            else:
                redirect.delete()
        if not wanted:
            return None
        if kept is None:
            if Redirect.objects.filter(old_path=wanted, site=site).exists():
                # Someone else's redirect answers there (the page editor refuses such a short
                # name; a publish from code must not steal it).
                logger.warning("%s already redirects elsewhere; left as is.", wanted)
                return None
            kept = Redirect(old_path=wanted, redirect_page=page)
        kept.site = site
        kept.is_permanent = False
        kept.redirect_link = ""
        kept.save()
        return kept


def campaign_published(sender, instance, **kwargs):
    sync_short_redirect(instance)


def campaign_unpublished(sender, instance, **kwargs):
    for redirect in own_short_redirects(instance):
        redirect.delete()


def connect():
    from home.models import CampaignPage

    page_published.connect(
        campaign_published, sender=CampaignPage, dispatch_uid="home.campaign_short_url"
    )
    page_unpublished.connect(
        campaign_unpublished, sender=CampaignPage, dispatch_uid="home.campaign_short_url_off"
    )
