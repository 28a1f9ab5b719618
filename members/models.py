"""Member organisations of the coalition. Accounts and roles arrive with the enrolment issue."""

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    COORDINATOR = "coordinator", _("Coordinator")


def new_token():
    import secrets

    return secrets.token_urlsafe(32)


class Membership(models.Model):
    """A person's account belongs to one member organisation, with a role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(
        _("language for e-mails"), max_length=7, choices=settings.LANGUAGES, default="fr-ca"
    )
    calendar_token = models.CharField(
        _("private calendar key"), max_length=64, unique=True, default=new_token, editable=False
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    panels = [
        FieldPanel("user"),
        FieldPanel("organisation"),
        FieldPanel("role"),
        FieldPanel("language"),
    ]

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} ({self.organisation})"

    @property
    def is_coordinator(self):
        return self.role == Role.COORDINATOR

    def revoke_calendar_token(self):
        self.calendar_token = new_token()
        self.save(update_fields=["calendar_token"])


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SignUpRequest(models.Model):
    """Someone asks for an account; the committee approves it in the admin."""

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="sign_up_requests",
    )
    role = models.CharField(
        _("role requested"), max_length=12, choices=Role.choices, default=Role.MEMBER
    )
    language = models.CharField(
        _("language"), max_length=7, choices=settings.LANGUAGES, default="fr-ca"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created = models.DateTimeField(_("received on"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up request")
        verbose_name_plural = _("sign-up requests")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}>"


class Invitation(models.Model):
    """A coordinator invites a colleague of their organisation with a single-use link."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created = models.DateTimeField(_("sent on"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted on"), null=True, blank=True)

    VALID_DAYS = 14

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.email

    @property
    def is_usable(self):
        age = timezone.now() - self.created
        return self.accepted_at is None and age.days < self.VALID_DAYS
