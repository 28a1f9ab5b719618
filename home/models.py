from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock, SocialLinkBlock


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


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the committee edits once for the whole site: contact, emergency notice, quick exit."""

    contact_email = models.EmailField(
        verbose_name=_("contact e-mail"),
        blank=True,
        default="info@cqctp.org",
        help_text=_("Public address shown in the footer."),
    )
    emergency_number = models.CharField(
        verbose_name=_("emergency number"),
        max_length=20,
        default="911",
        help_text=_("Shown in the emergency notice at the top of every page."),
    )
    hotline_number = models.CharField(
        verbose_name=_("trafficking hotline number"),
        max_length=30,
        default="1-833-900-1010",
        help_text=_("The Canadian Human Trafficking Hotline, free and confidential, 24/7."),
    )
    quick_exit_url = models.URLField(
        verbose_name=_("quick-exit destination"),
        default="https://www.meteomedia.com/",
        help_text=_(
            "A neutral site that the quick-exit button opens in place of this one "
            "(weather, news). It replaces the current page in the browser's history."
        ),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer of every page, in the visitor's language."),
    )
    safety_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("browse-safely page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The page that says what the quick exit does and does not do, linked next to the "
            "button on every page."
        ),
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())], verbose_name=_("social links"), blank=True
    )

    panels = [
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [FieldPanel("emergency_number"), FieldPanel("hotline_number")],
            heading=_("Emergency notice"),
        ),
        MultiFieldPanel(
            [FieldPanel("quick_exit_url"), FieldPanel("safety_page")],
            heading=_("Quick exit"),
        ),
        FieldPanel("privacy_page"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("site settings")
