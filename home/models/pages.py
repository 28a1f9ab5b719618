"""The home page and the standard page."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock


class HomePage(Page):
    """The coalition's front page: one per language, the root of the site's tree."""

    introduction = models.TextField(
        verbose_name=_("introduction"),
        blank=True,
        help_text=_("One or two sentences under the title: who the coalition is, in plain words."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "home.CampaignIndexPage",
        "catalogue.CatalogueIndexPage",
        "catalogue.OrganisationDirectoryPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class StandardPage(Page):
    """A page of text and blocks: about, members, privacy…"""

    introduction = models.TextField(
        verbose_name=_("introduction"),
        blank=True,
        help_text=_("A short lead paragraph, shown in larger type and in lists of pages."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    subpage_types = ["home.StandardPage", "catalogue.OrganisationDirectoryPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
