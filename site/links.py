"""Absolute links to the public site, all built from one setting: PUBLIC_BASE_URL.

E-mails, calendar files, JSON-LD and the API are read away from the request that made them (a
cron job, a calendar program, a search engine), so the address of a request or of Wagtail's
Site record cannot be trusted there. The Site record is kept in step with the setting instead
(`sync_site`, run after every `migrate` and by `load_demo`).
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


def base_url():
    """The public address without a trailing slash, e.g. "https://formations.cqctp.org"."""
    return settings.PUBLIC_BASE_URL.rstrip("/")


def absolute_url(path):
    """`path` ("/en/trainings/x/", as reverse() and Page.url give it) on the public site.

    A full address of this site (Wagtail gives those when there are several Site records) keeps
    only its path, query and fragment."""
    if not path:
        return ""
    parts = urlsplit(str(path))
    relative = parts._replace(scheme="", netloc="").geturl()
    if not relative.startswith("/"):
        relative = "/" + relative
    return base_url() + relative


def page_url(page):
    """The public address of a Wagtail page in its own language, or "" if it is not routable."""
    parts = page.get_url_parts()
    if parts is None or parts[2] is None:
        return ""
    return absolute_url(parts[2])


def site_address(url=None):
    """(hostname, port) of the public address, as Wagtail's Site record stores them."""
    parts = urlsplit(url or base_url())
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def sync_site(using="default", **kwargs):
    """Point the default Site record at the public address (a post_migrate receiver too), so
    that what Wagtail builds from it (admin "View live", Page.full_url) agrees."""
    from wagtail.models import Site

    sites = Site.objects.using(using)
    site = sites.filter(is_default_site=True).first()
    if site is None:
        return None
    hostname, port = site_address()
    if (site.hostname, site.port) == (hostname, port):
        return site
    if sites.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        logger.warning("Another Site record already answers at %s:%s; left as is.", hostname, port)
        return site
    site.hostname, site.port = hostname, port
    site.save(using=using, update_fields=["hostname", "port"])
    return site
