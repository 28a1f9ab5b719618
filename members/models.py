"""Member organisations of the coalition. Accounts and roles arrive with the enrolment issue."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from .access import OneQueryViewRestrictions, is_member


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


# -- The resource directory: services that help victims, for the members' referrals ----------


class ResourceTerm(models.Model):
    """A term of the directory's facets, named in both languages (one record serves both)."""

    name = models.CharField(_("name (French)"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Used in the directory's addresses (filters): lowercase, no spaces."),
    )

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return in_active_language(self.name, self.name_en)


class ServiceType(ResourceTerm):
    class Meta(ResourceTerm.Meta):
        verbose_name = _("service type")
        verbose_name_plural = _("service types")


class PeopleServed(ResourceTerm):
    class Meta(ResourceTerm.Meta):
        verbose_name = _("people served")
        verbose_name_plural = _("people served")


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """THE definition of the directory entries `user` may see (None: anonymous): every
        entry for members, the entries the committee made public for everyone else. Wagtail's
        page privacy on the directory page comes on top (the page is refused first)."""
        if is_member(user):
            return self
        return self.filter(public=True)


class Resource(ClusterableModel):
    """A service that helps victims of trafficking, as members refer people to it."""

    name = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(
        _("name (English)"), max_length=200, blank=True, help_text=_("Leave empty if the same.")
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        help_text=_("Who offers the service (a member organisation or not)."),
    )
    description = models.TextField(_("description (French)"), blank=True, max_length=1500)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=1500)
    service_types = ParentalManyToManyField(
        ServiceType, verbose_name=_("service types"), related_name="resources"
    )
    people_served = ParentalManyToManyField(
        PeopleServed,
        verbose_name=_("people served"),
        related_name="resources",
        blank=True,
        help_text=_("Leave empty if the service is open to everyone."),
    )
    whole_province = models.BooleanField(
        _("everywhere in Québec"),
        default=False,
        help_text=_("A service reached from anywhere (a hotline, online): no region needed."),
    )
    in_french = models.BooleanField(_("in French"), default=True)
    in_english = models.BooleanField(_("in English"), default=False)
    other_languages = models.CharField(
        _("other languages (French)"),
        max_length=200,
        blank=True,
        help_text=_("As a person would say them, e.g. “Spanish, Tagalog, with an interpreter”."),
    )
    other_languages_en = models.CharField(
        _("other languages (English)"), max_length=200, blank=True
    )
    open_24_7 = models.BooleanField(_("open 24/7"), default=False)
    hours = models.CharField(_("hours (French)"), max_length=200, blank=True)
    hours_en = models.CharField(_("hours (English)"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("Never the address of a shelter kept secret for its residents' safety."),
    )
    how_to_refer = models.TextField(_("how to refer (French)"), blank=True, max_length=1500)
    how_to_refer_en = models.TextField(_("how to refer (English)"), blank=True, max_length=1500)
    public = models.BooleanField(
        _("shown to the public"),
        default=False,
        help_text=_(
            "Members see every entry; the public sees only those the committee made public."
        ),
    )
    last_verified = models.DateField(
        _("last verified"),
        default=timezone.localdate,
        help_text=_("The day someone checked these details with the service itself."),
    )

    # What the directory's words are looked for in: names, organisation, descriptions and
    # languages, without accents, capitals or curly apostrophes (`searchable`), so that
    # "hebergement" and "d'hebergement" typed on a phone find "d’hébergement", on SQLite and
    # PostgreSQL alike. Written on every save.
    search_text = models.TextField(_("search text"), editable=False, default="")

    objects = ResourceQuerySet.as_manager()
    # Edited through members/wagtail_hooks.py (ResourceViewSet: its panels and the regions).

    class Meta:
        ordering = ["name"]
        verbose_name = _("directory resource")
        verbose_name_plural = _("directory resources")

    def __str__(self):
        return self.name

    @property
    def label(self):
        return in_active_language(self.name, self.name_en)

    @property
    def localized_description(self):
        return in_active_language(self.description, self.description_en)

    @property
    def localized_hours(self):
        return in_active_language(self.hours, self.hours_en)

    @property
    def localized_how_to_refer(self):
        return in_active_language(self.how_to_refer, self.how_to_refer_en)

    @property
    def localized_other_languages(self):
        return in_active_language(self.other_languages, self.other_languages_en)

    def save(self, *args, **kwargs):
        self.search_text = searchable(
            " ".join(
                [
                    self.name,
                    self.name_en,
                    self.organisation,
                    self.description,
                    self.description_en,
                    self.other_languages,
                    self.other_languages_en,
                ]
            )
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def needs_verification(self, today=None):
        today = today or timezone.localdate()
        return self.last_verified < today - datetime.timedelta(days=VERIFY_EVERY_DAYS)


VERIFY_EVERY_DAYS = 365
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})


def searchable(text):
    """`text` without accents, capitals or curly apostrophes: how the directory compares
    words (the stored `search_text` and the words typed alike)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class ResourceRegion(models.Model):
    """A region a resource serves (a resource may serve several)."""

    resource = ParentalKey(Resource, on_delete=models.CASCADE, related_name="region_links")
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)

    class Meta:
        verbose_name = _("region served")
        verbose_name_plural = _("regions served")
        constraints = [
            models.UniqueConstraint(fields=["resource", "region"], name="one_link_per_region")
        ]

    def __str__(self):
        return self.get_region_display()


class ResourceDirectoryPage(RoutablePageMixin, OneQueryViewRestrictions, Page):
    """The directory of resources that help victims: members see every entry, the public the
    entries the committee made public. Facets in the address (shareable); each entry has its
    own page, made to be printed and handed out."""

    RESULTS_PER_PAGE = 20

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("resource directory")
        verbose_name_plural = _("resource directories")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from .resources import DirectoryFilterForm, directory_entries, with_labels

        context = super().get_context(request, *args, **kwargs)
        form = DirectoryFilterForm(request.GET or None, choices=self.facet_choices(request))
        values = form.criteria()
        entries = directory_entries(request.user, values)
        page_obj = Paginator(entries, self.RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        entries = with_labels(page_obj.object_list)
        url = self.get_url(request)
        for entry in entries:
            entry.link = url + self.reverse_subpage("entry", args=[entry.pk])
        context.update(
            form=form,
            options={name: form.options(name) for name in ("service", "people", "region")},
            language_options=form.options("language"),
            ignored=form.ignored(),
            active_filters=form.active,
            page_obj=page_obj,
            entries=entries,
            is_member=is_member(request.user),
            sign_in_url=sign_in_url(request),
            querystring_without_page=querystring_without_page(request.GET),
        )
        return context

    def facet_choices(self, request):
        """Kept while content is unchanged when the page was routed from a home page."""
        from .resources import facet_choices

        keep = getattr(request, "content_cache", None)
        if keep is None:
            return facet_choices()
        return keep("resource-facets", (get_language(),), facet_choices)

    @path("<int:pk>/")
    def entry(self, request, pk):
        """One entry, to print and hand out: a 404 for an entry this visitor may not see."""
        from django.http import Http404

        from .resources import with_labels

        found = Resource.objects.visible_to(request.user).filter(pk=pk)
        entries = with_labels(found)
        if not entries:
            raise Http404
        return self.render(
            request,
            context_overrides={"entry": entries[0], "is_member": is_member(request.user)},
            template="members/resource_entry_page.html",
        )


def sign_in_url(request):
    """The members' sign-in, coming back to this address."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return reverse("members:login") + "?" + urlencode({"next": request.get_full_path()})


def querystring_without_page(query_dict):
    from urllib.parse import urlencode

    pairs = [
        (key, value) for key, values in query_dict.lists() if key != "page" for value in values
    ]
    return urlencode(pairs)


# -- The members' document library: briefs, letters, recommendations, memo sheets --------------


class DocumentKind(models.TextChoices):
    BRIEF = "brief", _("Brief")
    LETTER = "letter", _("Letter")
    RECOMMENDATIONS = "recommendations", _("Recommendations")
    MEMO = "memo", _("Memo sheet")
    REPORT = "report", _("Report")
    MINUTES = "minutes", _("Minutes")


class DocumentLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    BOTH = "both", _("French and English")


class LibraryDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """THE definition of the library entries `user` may see (None: anonymous): members
        only, and among them only the files whose Wagtail collection lets them in
        (`members.documents.visible_documents`, the rule that also serves the files)."""
        from .documents import visible_documents

        if not is_member(user):
            return self.none()
        return self.filter(document__in=visible_documents(user))


class LibraryTag(TagBase):
    """A word of the library, in both languages: `name` is French (what editors type in an
    entry's tags field); the English page shows `name_en`. Filters use the slug, the same in
    both languages."""

    name_en = models.CharField(
        _("name (English)"),
        max_length=100,
        blank=True,
        help_text=_("Shown on the English library. Leave empty if the same."),
    )

    free_tagging = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("library tag")
        verbose_name_plural = _("library tags")

    @property
    def label(self):
        return in_active_language(self.name, self.name_en)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.refresh_entries(LibraryDocument.objects.filter(tagged_items__tag=self))

    @staticmethod
    def refresh_entries(entries):
        """The entries' search text holds their tags' names in both languages: written again
        when a tag is renamed or deleted (members/signals.py)."""
        for entry in entries.distinct():
            entry.save(update_fields=["search_text"])


class LibraryDocumentTag(ItemBase):
    tag = models.ForeignKey(
        LibraryTag,
        verbose_name=_("tag"),
        on_delete=models.CASCADE,
        related_name="tagged_documents",
    )
    content_object = ParentalKey(
        "members.LibraryDocument", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("document tag")
        verbose_name_plural = _("document tags")


class LibraryDocument(ClusterableModel):
    """An entry of the members' library: a file (a Wagtail document kept in the members'
    private collection) with what members look for it by. Its titles exist in both languages;
    the file itself is in the language it was written in."""

    title = models.CharField(_("title (French)"), max_length=255)
    title_en = models.CharField(
        _("title (English)"), max_length=255, blank=True, help_text=_("Leave empty if the same.")
    )
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the document was written or sent."),
    )
    summary = models.TextField(_("summary (French)"), blank=True, max_length=1000)
    summary_en = models.TextField(_("summary (English)"), blank=True, max_length=1000)
    language = models.CharField(
        _("language of the document"),
        max_length=4,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.FRENCH,
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("file"),
        on_delete=models.CASCADE,
        related_name="library_entries",
        help_text=_(
            "A document of the members' collection (private): the file is never served to "
            "someone who is not a signed-in member."
        ),
    )
    tags = ClusterTaggableManager(
        through=LibraryDocumentTag,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Words members may filter by, e.g. “labour trafficking”, “federal”."),
    )
    added = models.DateTimeField(_("added"), auto_now_add=True)
    # Titles, summaries and tags without accents, capitals or curly apostrophes (`searchable`),
    # as in the resource directory: the same matches on SQLite and PostgreSQL.
    search_text = models.TextField(_("search text"), editable=False, default="")

    objects = LibraryDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")

    def __str__(self):
        return self.title

    @property
    def label(self):
        return in_active_language(self.title, self.title_en)

    @property
    def localized_summary(self):
        return in_active_language(self.summary, self.summary_en)

    def save(self, *args, **kwargs):
        words = [self.title, self.title_en, self.summary, self.summary_en]
        # The form's tags, before they are saved: in both languages.
        words += [name for tag in self.tags.all() for name in (tag.name, tag.name_en)]
        self.search_text = searchable(" ".join(words))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class DocumentLibraryPage(OneQueryViewRestrictions, Page):
    """The members' library: members find a document by type, year, tag or words and download
    it; everyone else is told to sign in (the files are refused to them by address too)."""

    RESULTS_PER_PAGE = 20

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("document library")
        verbose_name_plural = _("document libraries")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from .documents import LibraryFilterForm, library_entries, with_tags

        context = super().get_context(request, *args, **kwargs)
        member = is_member(request.user)
        form = LibraryFilterForm(request.GET or None, user=request.user)
        entries = library_entries(request.user, form.criteria())
        page_obj = Paginator(entries, self.RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            form=form,
            options={name: form.options(name) for name in ("kind", "year", "tag")},
            ignored=form.ignored(),
            active_filters=form.active,
            page_obj=page_obj,
            entries=with_tags(page_obj.object_list),
            is_member=member,
            sign_in_url=sign_in_url(request),
            querystring_without_page=querystring_without_page(request.GET),
        )
        return context


# -- Membership: organisations apply to join, the committee decides, dues by year --------------


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", pgettext_lazy("application", "Accepted")
    REJECTED = "rejected", pgettext_lazy("application", "Rejected")


class MembershipApplication(models.Model):
    """An organisation asks to join the coalition through the public form; the committee
    accepts it (the organisation and its coordinator's invitation are created) or rejects it
    in the admin (members/membership.py holds the rules)."""

    organisation_name = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    region = models.CharField(
        _("region"),
        max_length=2,
        choices=Region.choices,
        help_text=_("Where the organisation has its main office."),
    )
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(
        _("mailing address"),
        max_length=300,
        blank=True,
        help_text=_("Optional: never the address of a shelter kept secret."),
    )
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(
        _("contact e-mail"),
        help_text=_(
            "The person who receives the answer and, if accepted, the coordinator's invitation."
        ),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    motivation = models.TextField(
        _("why join"),
        max_length=2000,
        help_text=_("Why the organisation wants to join and how it acts against trafficking."),
    )
    language = models.CharField(
        _("language"),
        max_length=7,
        choices=settings.LANGUAGES,
        default="fr-ca",
        help_text=_("The language of the form, and of the e-mails sent to the contact."),
    )
    agreed_at = models.DateTimeField(
        _("criteria accepted on"),
        help_text=_("When the applicant ticked “we agree with the membership criteria”."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    created = models.DateTimeField(_("received on"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    committee_note = models.TextField(
        _("committee note"),
        max_length=2000,
        blank=True,
        help_text=_("For the committee only: never sent to the applicant."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_applications",
        help_text=_("The member organisation created when the application was accepted."),
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("coordinator's invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_application",
        help_text=_(
            "Sent to the contact on acceptance: the account it creates is the organisation's "
            "coordinator."
        ),
    )

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created"]

    def __str__(self):
        return self.organisation_name


class DuesStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("dues", "Pending")
    PAID = "paid", _("Paid")
    EXEMPT = "exempt", _("Exempt")


class MembershipDues(models.Model):
    """What one organisation owes for one year's membership, and whether it paid; pending dues
    can be reminded to the organisation's coordinators (members/membership.py)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,  # a payment history does not vanish with a deleted record
        related_name="dues",
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The membership year the dues are for."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DuesStatus.choices, default=DuesStatus.PENDING
    )
    amount = models.DecimalField(
        _("amount ($)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty if not set yet."),
    )
    paid_on = models.DateField(
        _("paid on"), null=True, blank=True, help_text=_("Only for paid dues.")
    )
    note = models.TextField(
        _("note"),
        max_length=1000,
        blank=True,
        help_text=_("For the committee: the reason for an exemption, a cheque number…"),
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True, editable=False)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("year"),
        FieldPanel("status"),
        FieldPanel("amount"),
        FieldPanel("paid_on"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("membership dues")
        verbose_name_plural = _("membership dues")
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_dues_per_year")
        ]

    def __str__(self):
        return f"{self.organisation} – {self.year}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.paid_on and self.status != DuesStatus.PAID:
            raise ValidationError({"paid_on": _("A payment date is only for paid dues.")})
