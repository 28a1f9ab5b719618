"""Member organisations of the coalition. Accounts and roles arrive with the enrolment issue."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Sector(models.TextChoices):
    COMMUNITY = "community", _("Community organisations")
    HEALTH = "health", _("Health and social services")
    VICTIM_SUPPORT = "victim-support", _("Victim support and legal aid")
    YOUTH_PROTECTION = "youth-protection", _("Youth protection")
    LAW_ENFORCEMENT = "justice", _("Law enforcement and justice")
    GOVERNMENT = "government", _("Government agencies")


class Region(models.TextChoices):
    """Québec's 17 administrative regions, by their official number."""

    BAS_SAINT_LAURENT = "01", "Bas-Saint-Laurent"
    SAGUENAY = "02", "Saguenay–Lac-Saint-Jean"
    CAPITALE_NATIONALE = "03", "Capitale-Nationale"
    MAURICIE = "04", "Mauricie"
    ESTRIE = "05", "Estrie"
    MONTREAL = "06", "Montréal"
    OUTAOUAIS = "07", "Outaouais"
    ABITIBI = "08", "Abitibi-Témiscamingue"
    COTE_NORD = "09", "Côte-Nord"
    NORD_DU_QUEBEC = "10", "Nord-du-Québec"
    GASPESIE = "11", "Gaspésie–Îles-de-la-Madeleine"
    CHAUDIERE_APPALACHES = "12", "Chaudière-Appalaches"
    LAVAL = "13", "Laval"
    LANAUDIERE = "14", "Lanaudière"
    LAURENTIDES = "15", "Laurentides"
    MONTEREGIE = "16", "Montérégie"
    CENTRE_DU_QUEBEC = "17", "Centre-du-Québec"


def in_active_language(french, english):
    """Bilingual fields: the English text when English is active and it exists, else French."""
    if english and (get_language() or "").startswith("en"):
        return english
    return french


class Organisation(index.Indexed, models.Model):
    """A member organisation. Its name is a proper noun; its description exists in both
    languages, so one record serves the French and English pages alike."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    region = models.CharField(
        _("region"),
        max_length=2,
        choices=Region.choices,
        help_text=_("Where the organisation has its main office."),
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_email = models.EmailField(
        _("public contact e-mail"),
        blank=True,
        help_text=_("Shown on the site: use a generic address, not a person's."),
    )
    contact_phone = models.CharField(_("public contact phone"), max_length=40, blank=True)
    description = models.TextField(_("short description (French)"), blank=True, max_length=800)
    description_en = models.TextField(_("short description (English)"), blank=True, max_length=800)
    member_since = models.PositiveSmallIntegerField(_("member since (year)"), null=True, blank=True)
    active = models.BooleanField(
        _("active member"),
        default=True,
        help_text=_("Inactive organisations and their trainings leave the public catalogue."),
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("sector"),
                FieldPanel("region"),
                FieldPanel("member_since"),
                FieldPanel("active"),
            ],
            heading=_("Membership"),
        ),
        MultiFieldPanel(
            [FieldPanel("description"), FieldPanel("description_en"), FieldPanel("logo")],
            heading=_("Presentation"),
        ),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Public contact"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("active"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")

    def __str__(self):
        return self.name

    @property
    def localized_description(self):
        return in_active_language(self.description, self.description_en)
