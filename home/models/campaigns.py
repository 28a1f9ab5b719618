"""Awareness campaigns: an index of campaigns and one page per campaign."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import CampaignBodyBlock


class CampaignIndexPage(Page):
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


class CampaignPage(Page):
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
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A wide image at the top of the campaign; also used when the page is shared."),
    )
    hero_image_alt = models.CharField(
        verbose_name=_("hero image alternative text"),
        max_length=250,
        blank=True,
        help_text=_(
            "Describe what the image shows for people who cannot see it. Required with an image."
        ),
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

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot come before the start date.")
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = _("Describe the hero image for people who cannot see it.")
        if errors:
            raise ValidationError(errors)
