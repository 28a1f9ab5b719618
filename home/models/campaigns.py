"""Awareness campaigns: an index of campaigns and one page per campaign."""

import itertools
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index

from members.access import OneQueryViewRestrictions, allowed_pages

from ..blocks import CampaignBodyBlock
from .hero import HeroImage


class CampaignIndexPage(OneQueryViewRestrictions, Page):
    """The list of campaigns: current ones first, then past ones by year."""

    introduction = models.TextField(
        verbose_name=_("introduction"),
        blank=True,
        help_text=_("A short lead paragraph: why the coalition runs awareness campaigns."),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("campaign index")
        verbose_name_plural = _("campaign indexes")

    def campaigns(self, request=None):
        """The campaigns under this index that the visitor may see, their hero images and every
        rendition of them fetched up front: a constant number of queries."""
        user = getattr(request, "user", None)
        pages = CampaignPage.objects.child_of(self).listed(user, request)
        return pages.select_related("hero_image").prefetch_related("hero_image__renditions")

    def route(self, request, path_components):
        """A campaign is found with its hero image and locale in one query (Wagtail's route
        takes two, then one more for each)."""
        if path_components:
            campaign = (
                CampaignPage.objects.child_of(self)
                .select_related("hero_image", "locale")
                .filter(slug=path_components[0])
                .first()
            )
            if campaign is not None:
                campaign._cached_parent_obj = self
                return campaign.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(group_campaigns(self.campaigns(request), timezone.localdate()))
        return context


class CampaignPageQuerySet(PageQuerySet):
    def listed(self, user=None, request=None):
        """THE campaigns `user` may see (None: anonymous): live and allowed by Wagtail's page
        privacy (`members.access.allowed_pages`). The index, the home page and the search
        use it."""
        return allowed_pages(self.live(), user, request)

    def current(self, today=None):
        """Those whose period contains `today` (Montréal's calendar by default)."""
        today = today or timezone.localdate()
        return self.filter(start_date__lte=today, end_date__gte=today)


class CampaignPage(OneQueryViewRestrictions, HeroImage, Page):
    """One awareness campaign, read by the public on any phone."""

    start_date = models.DateField(
        verbose_name=_("start date"), help_text=_("First day of the campaign.")
    )
    end_date = models.DateField(
        verbose_name=_("end date"),
        help_text=_("Last day of the campaign; after it, the campaign is listed as past."),
    )
    tagline = models.CharField(
        verbose_name=_("tagline"),
        max_length=200,
        blank=True,
        help_text=_("One short sentence shown under the title in the hero."),
    )
    introduction = models.TextField(
        verbose_name=_("introduction"),
        blank=True,
        help_text=_("Two or three sentences in plain words: what the campaign is about."),
    )
    body = StreamField(CampaignBodyBlock(), verbose_name=_("body"), blank=True)
    short_name = models.SlugField(
        verbose_name=_("short address"),
        max_length=40,
        blank=True,
        allow_unicode=False,
        help_text=_(
            'A short address for posters and social media, e.g. "grandprix" gives '
            "/grandprix. Letters, digits and hyphens."
        ),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("tagline"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
            ],
            heading=_("Hero"),
        ),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Period")),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("short_name")]
    search_fields = Page.search_fields + [
        index.SearchField("tagline"),
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("start_date"),
        index.FilterField("end_date"),
    ]
    parent_page_types = ["home.CampaignIndexPage"]
    subpage_types = []
    # Read when it is served (the hero, the language): fetched with it (home/models/serving.py).
    route_select_related = ("hero_image", "locale")

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot come before the start date.")
        errors.update(self.hero_image_errors())
        self.short_name = (self.short_name or "").strip().lower()
        if self.short_name:
            problem = self.short_name_problem()
            if problem:
                errors["short_name"] = problem
        if errors:
            raise ValidationError(errors)

    objects = PageManager.from_queryset(CampaignPageQuerySet)()

    def is_current(self, today=None):
        today = today or timezone.localdate()
        return self.start_date <= today <= self.end_date

    def is_past(self, today=None):
        return self.end_date < (today or timezone.localdate())

    def _language_code(self):
        locale = self.locale if self.locale_id else None
        return locale.language_code if locale else settings.LANGUAGE_CODE

    def short_path(self, short_name=None):
        """ "/grandprix" for a French campaign, "/en/grandprix" for an English one (the site's
        URLs: French has no prefix, every other language has its code)."""
        short_name = self.short_name if short_name is None else short_name
        if not short_name:
            return ""
        language = self._language_code()
        if language.lower() == settings.LANGUAGE_CODE.lower():
            return f"/{short_name}"
        return f"/{language}/{short_name}"

    def short_url(self):
        from cqctp.links import absolute_url

        return absolute_url(self.short_path()) if self.short_name else ""

    def short_name_problem(self):
        """Why this short name cannot be used, or None."""
        from wagtail.contrib.redirects.models import Redirect

        name = self.short_name
        if not SHORT_NAME.fullmatch(name):
            return _("Use only lowercase letters without accents, digits and hyphens.")
        if name in RESERVED_SHORT_NAMES or name in {
            code.lower() for code, _n in settings.LANGUAGES
        }:
            return _(
                "“%(name)s” is an address the site already uses; choose another short address."
            ) % {"name": name}
        others = CampaignPage.objects.filter(short_name=name)
        if self.locale_id:
            others = others.filter(locale_id=self.locale_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        other = others.first()
        if other is not None:
            return _("The campaign “%(title)s” already uses the short address “%(name)s”.") % {
                "title": other.title,
                "name": name,
            }
        top_level = Page.objects.filter(slug=name, depth=self._top_level_depth())
        if self.locale_id:
            top_level = top_level.filter(locale_id=self.locale_id)
        page = top_level.exclude(pk=self.pk).first() if self.pk else top_level.first()
        if page is not None:
            return _(
                "The page “%(title)s” already has the address /%(name)s/; choose another short "
                "address."
            ) % {"title": page.title, "name": name}
        redirects = Redirect.objects.filter(old_path=Redirect.normalise_path(self.short_path()))
        if self.pk:
            redirects = redirects.exclude(redirect_page_id=self.pk)
        if redirects.exists():
            return _("A redirect already answers at %(path)s; choose another short address.") % {
                "path": self.short_path()
            }
        return None

    @staticmethod
    def _top_level_depth():
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        return (site.root_page.depth if site else 2) + 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["is_current"] = self.is_current()
        context["is_past"] = self.is_past()
        context["short_url"] = self.short_url()
        return context


SHORT_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

# First segments of the site's own addresses: a short address may not hide them.
RESERVED_SHORT_NAMES = frozenset(
    {
        "admin",
        "documents",
        "api",
        "espace-membres",
        "calendrier",
        "en",
        "fr",
        "fr-ca",
        "recherche",
        "search",
        "static",
        "media",
    }
)


def group_campaigns(campaigns, today):
    """Current campaigns first (latest start first), then upcoming ones (soonest first), then
    past ones grouped by the year they ended (most recent year and campaign first)."""
    campaigns = list(campaigns)
    current = sorted(
        (c for c in campaigns if c.is_current(today)),
        key=lambda c: (c.start_date, c.end_date),
        reverse=True,
    )
    upcoming = sorted((c for c in campaigns if c.start_date > today), key=lambda c: c.start_date)
    past = sorted(
        (c for c in campaigns if c.is_past(today)),
        key=lambda c: (c.end_date, c.start_date),
        reverse=True,
    )
    past_by_year = [
        {"year": year, "campaigns": list(group)}
        for year, group in itertools.groupby(past, key=lambda c: c.end_date.year)
    ]
    return {
        "current_campaigns": current,
        "upcoming_campaigns": upcoming,
        "past_campaigns_by_year": past_by_year,
        "has_campaigns": bool(campaigns),
    }
