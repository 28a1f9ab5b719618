"""Short addresses of campaigns ("/grandprix", "/en/grandprix"): a Wagtail redirect to the
campaign, kept in step with the page's short name and publication.

A campaign's own short-address redirects are those to the page at the short path of a short name
the page has had (its current one, or one saved in any of its revisions): they are created,
moved and removed here; any other redirect an editor makes to the campaign ("/affiche-metro") is
left alone. Deleting the page deletes its redirects (cascade).

Cached anonymous pages (home/page_cache.py) and the CDN in front follow what they show: see
"Freshness" below."""

import copy
import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.signals import page_published, page_unpublished

from . import freshness

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


# -- Freshness of cached pages (home/page_cache.py) and of the CDN in front ----------------------
#
# What an anonymous page shows changed: its freshness stamps are bumped (home/freshness.py) once
# the transaction commits (before, another process could render the old rows and store them as
# fresh), once per transaction however many rows changed. Never inside the transaction, which
# may hold a session's lock (a cache write there would slow every enrolment), except with
# PAGE_CACHE_BUMP_BEFORE_COMMIT (tests: a test case never commits, yet reads pages again). The
# CDN, when there is one (WAGTAILFRONTENDCACHE), is purged after the commit too: purged earlier,
# it could fetch the old page again. Redirects are left out: they answer 404s only, never cached.

# Saving these page fields changes nothing a visitor sees (drafts, locks, comments).
PAGE_BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
        "numchild",
    }
)
# Saving these file fields (filled in lazily) changes nothing shown either.
FILE_BOOKKEEPING_FIELDS = frozenset({"file_size", "file_hash"})
# An enrolment holds or frees a seat through these fields only (not reminders, anonymisation).
ENROLMENT_SEAT_FIELDS = frozenset({"status", "session", "session_id"})
# Snippets and settings the public pages show (names, filters, footer), and those they never
# show; tests/test_page_cache.py checks that every registered one is in one list or the other.
SHOWN_SNIPPETS = (
    "members.Organisation",
    "trainings.Theme",
    "trainings.Audience",
    # The resource directory: its entries (public ones are shown to anonymous visitors), their
    # regions and the facets' terms.
    "members.Resource",
    "members.ResourceRegion",
    "members.ServiceType",
    "members.PeopleServed",
)
# Seen in the admin or by members only (never on a page kept for anonymous visitors).
PRIVATE_SNIPPETS = (
    "members.Membership",
    "members.LibraryDocument",
    "members.LibraryTag",
    "members.MembershipDues",
)


class AfterCommit:
    """Work for after the commit, recognisable by `ident`, so a transaction queues it once."""

    __slots__ = ("ident", "action")

    def __init__(self, ident, action):
        self.ident = ident
        self.action = action

    def __call__(self):
        self.action()


def queued(ident):
    """The AfterCommit of this ident already queued in this transaction, or None."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _, func, _ in connection.run_on_commit:
        if getattr(func, "ident", None) == ident:
            return func
    return None


def safely(action):
    try:
        action()
    except Exception:  # the cache is down: the change itself must still be saved
        logger.warning("Could not tell the page cache about a change.", exc_info=True)


def announce(ident, after_commit, now=None):
    """Queue `after_commit` once per transaction for this ident (outside a transaction it runs
    at once); with PAGE_CACHE_BUMP_BEFORE_COMMIT, run `now` (if given) at once as well."""
    if (
        now is not None
        and getattr(settings, "PAGE_CACHE_BUMP_BEFORE_COMMIT", False)
        and transaction.get_connection().in_atomic_block
    ):
        safely(now)
    if queued(ident) is None:
        transaction.on_commit(AfterCommit(ident, after_commit), robust=True)


def frontend_cache_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def content_changed(urls=()):
    """Any cached page may show it: bump CONTENT; purge `urls` (full URLs) from the CDN."""

    def bump():
        freshness.bump(freshness.CONTENT)

    announce(("content",), bump, now=bump)
    if urls and frontend_cache_configured():
        urls = tuple(sorted(set(urls)))
        announce(("purge", urls), lambda: purge_urls(urls))


def seats_changed(translation_key):
    """A seat count or a session of this training changed (its languages share them)."""
    if translation_key is None:  # the session is gone with its page: tell every page

        def bump():
            freshness.bump(freshness.CONTENT, freshness.SEATS)

        announce(("seats", None), bump, now=bump)
        return

    def bump():
        freshness.seats_changed(translation_key)

    announce(("seats", translation_key), bump, now=bump)
    if frontend_cache_configured():
        announce(("purge seats", translation_key), lambda: purge_seats(translation_key))


# -- The CDN's addresses ---------------------------------------------------------------------


def purge_urls(urls):
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(list(urls))


def page_urls(pages):
    """The full URLs of these pages (with their cached paths), for the CDN."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_pages(pages)
    return batch.urls


def with_ancestors(page):
    """The page and the pages above it up to its home page: the indexes that list it."""
    return [*page.get_ancestors().filter(depth__gt=1), page]


def hub_pages():
    """The home pages and the live pages right under them (menu pages, the catalogue, the
    directory): where snippets and settings show most. Deeper pages wait for s-maxage."""
    from wagtail.models import Page

    return Page.objects.live().filter(depth__in=(2, 3))


def site_root_url(page):
    """Where the CDN holds this page's site (the Site record's address, as Wagtail purges)."""
    site = page.get_site()
    return site.root_url if site else ""


def feed_urls(pages):
    """The calendar feeds that may list these pages' sessions: the catalogue's and each
    training's own, in every language."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    pages = list(pages)
    root = site_root_url(pages[0]) if pages else ""
    urls = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            urls.append(root + reverse("catalogue_calendar"))
            urls += [
                root + reverse("training_calendar", args=[page.pk])
                for page in pages
                if page.specific_class.__name__ == "TrainingPage"
            ]
    return urls


def everywhere_it_shows(pages):
    """These pages in every language (live or not: a translation hidden with its French page
    must be forgotten too), the home pages and the pages right under them (the catalogues list
    trainings) and the calendar feeds: what a CDN may hold about them."""
    from wagtail.models import Page

    pages = list(pages)
    keys = {page.translation_key for page in pages}
    translations = list(Page.objects.filter(translation_key__in=keys))
    return {*page_urls(pages), *page_urls(translations), *page_urls(hub_pages())} | set(
        feed_urls([*pages, *translations])
    )


def purge_seats(translation_key):
    """The training in every language, the catalogues and the home pages (next sessions), and
    the calendar feeds."""
    from wagtail.models import Page

    pages = Page.objects.filter(translation_key=translation_key)
    purge_urls(tuple(sorted(everywhere_it_shows(pages))))


# -- Receivers -------------------------------------------------------------------------------


def page_changed(sender, instance, **kwargs):
    """Published or unpublished (members-only too: the English version follows the French one):
    the page in every language, the indexes above it, the catalogues, the feeds."""
    if frontend_cache_configured():
        content_changed(everywhere_it_shows(with_ancestors(instance)))
    else:
        content_changed()


def page_moved(sender, instance, url_path_before=None, parent_page_before=None, **kwargs):
    urls = set()
    if frontend_cache_configured():
        before = copy.copy(instance)
        before.url_path = url_path_before
        urls = {*page_urls(with_ancestors(instance)), *page_urls([before])}
        if parent_page_before is not None:
            urls |= page_urls(with_ancestors(parent_page_before))
    content_changed(urls)


def page_deleted(sender, instance, **kwargs):
    """Its row is gone: its address comes from the fields still in memory."""
    url = instance.get_full_url() if frontend_cache_configured() else None
    content_changed([url] if url else ())


def model_saved(sender, instance, update_fields=None, **kwargs):
    """A live page saved outside a publish (code, scripts) shows at once; a shown snippet,
    setting, image… too. One receiver for every model: a check of the class, nothing more."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        if instance.live and not (
            update_fields is not None and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS
        ):
            content_changed()
    elif sender in shown_models():
        shown_model_changed(sender, instance, update_fields=update_fields, **kwargs)


def privacy_changed(sender, instance, action=None, **kwargs):
    """A view restriction came, went or changed its groups: the page and the pages under it."""
    from wagtail.models import Page

    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: wait for the change itself
    urls = ()
    if frontend_cache_configured():
        page = Page.objects.filter(pk=instance.page_id).first()
        if page is not None:
            # Each page under it in every language (translations follow the French page's
            # privacy), and the catalogues and home pages that listed them.
            urls = everywhere_it_shows(Page.objects.descendant_of(page, inclusive=True))
    content_changed(urls)


def shown_model_changed(sender, instance, update_fields=None, created=False, **kwargs):
    """A snippet, a setting, an image, a document, a locale or a site changed."""
    from wagtail.contrib.settings.registry import registry

    if update_fields is not None and set(update_fields) <= FILE_BOOKKEEPING_FIELDS:
        return
    if created and sender in registry:
        return  # made with its defaults by the first page that read it: what pages showed
    content_changed(page_urls(hub_pages()) if frontend_cache_configured() else ())


def session_changed(sender, instance, **kwargs):
    from wagtail.models import Page

    from trainings.models import TrainingSession

    if TrainingSession.page.is_cached(instance):
        key = instance.page.translation_key
    else:
        pages = Page.objects.filter(pk=instance.page_id)
        key = pages.values_list("translation_key", flat=True).first()
    seats_changed(key)


def training_of_session(session_id):
    """The translation key of the session's training (None: the session is gone)."""
    from trainings.models import TrainingSession

    sessions = TrainingSession.objects.filter(pk=session_id)
    return sessions.values_list("page__translation_key", flat=True).first()


def enrolment_changed(sender, instance, update_fields=None, **kwargs):
    from trainings.models import Enrolment, TrainingSession

    if update_fields is not None and not set(update_fields) & ENROLMENT_SEAT_FIELDS:
        return
    if Enrolment.session.is_cached(instance) and TrainingSession.page.is_cached(instance.session):
        seats_changed(instance.session.page.translation_key)  # the services lock it with its page
    elif getattr(settings, "PAGE_CACHE_BUMP_BEFORE_COMMIT", False):
        seats_changed(training_of_session(instance.session_id))
    else:
        # Looked up after the commit, not under the session's lock the services hold.
        session_id = instance.session_id
        announce(
            ("seats of session", session_id),
            lambda: seats_changed(training_of_session(session_id)),
        )


_shown_models = None


def shown_models():
    """Models whose rows anonymous pages show, besides pages and seats."""
    global _shown_models
    if _shown_models is None:
        from django.apps import apps
        from wagtail.contrib.settings.registry import registry
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Locale, Site

        snippets = [apps.get_model(label) for label in SHOWN_SNIPPETS]
        models = [*snippets, *registry, get_image_model(), get_document_model(), Locale, Site]
        _shown_models = frozenset(models)
    return _shown_models


def connect_freshness():
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import post_page_move

    from trainings.models import Enrolment, TrainingSession

    page_published.connect(page_changed, dispatch_uid="home.fresh_published")
    page_unpublished.connect(page_changed, dispatch_uid="home.fresh_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="home.fresh_moved")
    # Saves: one receiver for all models. Deletes: one per model, since any receiver on a model
    # makes Django load the rows it deletes (no fast delete): the base Page, not its subclasses.
    post_save.connect(model_saved, dispatch_uid="home.fresh_saved")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid="home.fresh_page_deleted")
    for model in shown_models():
        post_delete.connect(
            shown_model_changed, sender=model, dispatch_uid=f"home.fresh_{model._meta.label}"
        )
    for signal in (post_save, post_delete):
        signal.connect(privacy_changed, sender=PageViewRestriction, dispatch_uid="home.fresh_pvr")
        signal.connect(session_changed, sender=TrainingSession, dispatch_uid="home.fresh_session")
        signal.connect(enrolment_changed, sender=Enrolment, dispatch_uid="home.fresh_enrolment")
    m2m_changed.connect(
        privacy_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="home.fresh_pvr_groups",
    )
