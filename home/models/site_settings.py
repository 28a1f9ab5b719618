"""Settings the committee edits once for the whole site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Site

from ..blocks import SocialLinkBlock
from ..navigation import shared


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
    membership_criteria_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("membership criteria page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Who may become a member: linked from the membership application form, in the "
            "visitor's language."
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
        FieldPanel("membership_criteria_page"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def for_request(cls, request):
        """The site's settings, read from the shared cache while CONTENT is unchanged (every
        settings change bumps it): the emergency notice, the quick exit and the footer of every
        page cost no query. Kept on the request like Wagtail's own `for_request`."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        site_settings = shared(request, "site-settings", (site.pk,), lambda: cls.for_site(site))
        site_settings._request = request  # as Wagtail does: page links without a site lookup
        setattr(request, attr_name, site_settings)
        return site_settings
