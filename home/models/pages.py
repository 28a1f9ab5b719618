"""The home page and the standard page."""

import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from members.access import OneQueryViewRestrictions
from trainings.permissions import CatalogueAncestorPermissions

from ..blocks import BodyBlock
from ..fragments import FragmentList, fragment
from ..navigation import shared
from .hero import HeroImage
from .serving import route_below

NEXT_SESSIONS = 5
SESSION_FIELDS = [
    "start",
    "end",
    "format",
    "venue",
    "city",
    "region",
    "capacity",
    "waiting_list",
    "status",
    "enrolment_opens",
    "enrolment_closes",
]


def image_size(image, large, medium):
    """ "large", "medium" or "small": which set of renditions an image can fill without
    upscaling (Wagtail never enlarges, so two sizes would come out the same width)."""
    if image is None:
        return None
    for name, (width, height) in (("large", large), ("medium", medium)):
        if image.width >= width and image.height >= height:
            return name
    return "small"


class HomePage(OneQueryViewRestrictions, CatalogueAncestorPermissions, HeroImage, Page):
    """The coalition's front page: one per language, the root of the site's tree."""

    hero_heading = models.CharField(
        verbose_name=_("hero heading"),
        max_length=160,
        blank=True,
        help_text=_(
            "The big sentence at the top: what the coalition does, in a few words. "
            "Empty: the page title."
        ),
    )
    introduction = models.TextField(
        verbose_name=_("introduction"),
        blank=True,
        help_text=_(
            "One or two sentences under the hero heading: who the coalition is and what it "
            "offers, in plain words."
        ),
    )
    hero_button_label = models.CharField(
        verbose_name=_("main button label"),
        max_length=60,
        blank=True,
        help_text=_('Empty: "See the trainings", leading to the catalogue.'),
    )
    hero_button_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("main button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the main button leads. Empty: the training catalogue."),
    )
    hero_secondary_label = models.CharField(
        verbose_name=_("second button label"),
        max_length=60,
        blank=True,
        help_text=_('Empty: "Get help", leading to the help section of this page.'),
    )
    hero_secondary_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("second button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the second button leads. Empty: the help section of this page."),
    )
    featured_campaign = models.ForeignKey(
        "home.CampaignPage",
        verbose_name=_("featured campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The campaign shown on the home page. Empty: the campaign under way today, if any."
        ),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("introduction"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldPanel("hero_button_label"),
                PageChooserPanel("hero_button_page"),
                FieldPanel("hero_secondary_label"),
                PageChooserPanel("hero_secondary_page"),
            ],
            heading=_("Hero"),
        ),
        MultiFieldPanel(
            [PageChooserPanel("featured_campaign", page_type="home.CampaignPage")],
            heading=_("Campaign"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_heading"),
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "home.CampaignIndexPage",
        "catalogue.CatalogueIndexPage",
        "catalogue.OrganisationDirectoryPage",
        "members.ResourceDirectoryPage",
        "members.DocumentLibraryPage",
        "newsletter.NewsletterIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def clean(self):
        super().clean()
        errors = {}
        errors.update(self.hero_image_errors())
        if self.hero_button_label.strip() and not self.hero_button_page_id:
            errors["hero_button_page"] = _("Choose the page the button leads to.")
        if self.hero_secondary_label.strip() and not self.hero_secondary_page_id:
            errors["hero_secondary_page"] = _("Choose the page the button leads to.")
        if errors:
            raise ValidationError(errors)

    # -- What the page shows, prepared here in a fixed number of queries ------------------------

    def route(self, request, path_components):
        # Pages of apps that may not import home (the catalogue, trainings) keep what is the
        # same for every visitor with `request.content_cache(name, parts, build)`: built once
        # per change of content, in the shared cache. Previews are not routed: they build.
        request.content_cache = functools.partial(shared, request)
        # The same, for parts that also depend on a training's seats and on the time.
        request.shared_fragment = functools.partial(fragment, request)
        # The same for lists of such parts (the catalogue's cards), in two cache round trips.
        request.fragment_list = functools.partial(FragmentList, request)
        walk = functools.partial(super().route, request, path_components)
        return route_below(self, request, path_components, walk)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = getattr(request, "user", None)
        context["catalogue_url"] = self.catalogue_url(request)
        context["hero"] = self.shared_hero(request, context["catalogue_url"])
        campaign = self.shown_campaign(user, request)
        context["campaign"] = campaign
        if campaign is not None:
            context["campaign_url"] = campaign.get_url(request)
            context["campaign_image"] = (
                campaign.hero_image if campaign.hero_image_alt.strip() else None
            )
            context["campaign_image_size"] = image_size(
                context["campaign_image"], (960, 640), (720, 480)
            )
        context["next_sessions"] = self.next_sessions(user, request)
        context["members_url"] = reverse("enrolments:my_trainings")
        return context

    def catalogue_url(self, request):
        """The address of the training catalogue among this page's children: from the shared
        header when this is the home page it describes, else one query."""
        from catalogue.models import CatalogueIndexPage

        from ..navigation import site_header

        label = CatalogueIndexPage._meta.label_lower
        header = site_header(request)
        if header["home"] is not None and header["home"]["pk"] == self.pk:
            return next((i["url"] for i in header["items"] if i["model"] == label), None)
        catalogue = CatalogueIndexPage.objects.child_of(self).live().first()
        return catalogue.get_url(request) if catalogue is not None else None

    def shared_hero(self, request, catalogue_url):
        """The hero, the same for every visitor: built once per change of content (with the
        pages its buttons lead to) and kept in the shared cache with the hero image, which the
        page then has in memory for its link preview too."""

        def build():
            return {"hero": self.hero(request, catalogue_url), "image": self.hero_image}

        language = translation.get_language()
        built = shared(request, "home-hero", (self.pk, language, catalogue_url), build)
        image = built["image"]
        if image is not None and image.pk == self.hero_image_id:
            self.hero_image = image  # what the link preview (share_meta) reads: no query
        return built["hero"]

    def hero(self, request, catalogue_url):
        chosen = self.localized_pages(self.hero_button_page_id, self.hero_secondary_page_id)
        buttons = []
        main = chosen.get(self.hero_button_page_id)
        if main is not None:
            buttons.append(
                {"url": main.get_url(request), "label": self.hero_button_label or main.title}
            )
        elif catalogue_url:
            buttons.append({"url": catalogue_url, "label": _("See the trainings")})
        second = chosen.get(self.hero_secondary_page_id)
        if second is not None:
            buttons.append(
                {
                    "url": second.get_url(request),
                    "label": self.hero_secondary_label or second.title,
                    "secondary": True,
                }
            )
        else:
            buttons.append({"url": "#help", "label": _("Get help"), "secondary": True})
        image = self.hero_image if self.hero_image_alt else None
        return {
            "heading": self.hero_heading or self.title,
            "text": self.introduction,
            "image": image,
            "image_size": image_size(image, (1280, 960), (960, 720)),
            "alt": self.hero_image_alt,
            "buttons": buttons,
        }

    def localized_pages(self, *ids):
        """{chosen id: the live page in this page's language, else as chosen if live}: a page
        chosen on the French home still leads English visitors to its English version."""
        ids = [pk for pk in ids if pk]
        if not ids:
            return {}
        keys = Page.objects.filter(pk__in=ids).values("translation_key")
        pages = list(
            Page.objects.filter(translation_key__in=Subquery(keys))
            .filter(Q(pk__in=ids) | Q(locale_id=self.locale_id))
            .only(
                "pk", "title", "url_path", "depth", "path", "locale_id", "translation_key", "live"
            )
        )
        found = {}
        for pk in ids:
            chosen = next((p for p in pages if p.pk == pk), None)
            if chosen is None:
                continue
            local = next(
                (
                    p
                    for p in pages
                    if p.translation_key == chosen.translation_key
                    and p.locale_id == self.locale_id
                    and p.live
                ),
                None,
            )
            page = local or chosen
            if page.live:
                found[pk] = page
        return found

    def campaigns(self, user, request):
        """The campaigns of this home page's tree a visitor may see."""
        from .campaigns import CampaignPage

        pages = CampaignPage.objects.descendant_of(self).listed(user, request)
        return pages.select_related("hero_image")

    def shown_campaign(self, user, request):
        """The campaign the editors featured (in this page's language), else the one whose
        period contains today in Montréal, else none."""
        from .campaigns import CampaignPage

        campaigns = self.campaigns(user, request)
        if self.featured_campaign_id:
            key = CampaignPage.objects.filter(pk=self.featured_campaign_id).values(
                "translation_key"
            )
            featured = campaigns.filter(translation_key=Subquery(key[:1])).first()
            if featured is not None:
                return featured
        return campaigns.current().order_by("-start_date", "end_date", "pk").first()

    def next_sessions(self, user, request):
        """The next scheduled sessions of the trainings this visitor may see, soonest first,
        each with its training in this page's language (sessions belong to the French page and
        its translations share them): one query whatever the size of the catalogue."""
        from trainings.models import SessionStatus, TrainingPage, TrainingSession

        local = (
            TrainingPage.objects.listed(user, request)
            .descendant_of(self)
            .filter(translation_key=OuterRef("page__translation_key"))
            .order_by()
        )
        sessions = (
            TrainingSession.objects.filter(
                status=SessionStatus.SCHEDULED, start__gte=timezone.now()
            )
            .annotate(
                local_id=Subquery(local.values("pk")[:1]),
                local_title=Subquery(local.values("title")[:1]),
                local_url_path=Subquery(local.values("url_path")[:1]),
            )
            .filter(local_id__isnull=False)
            .with_seats()
            .only(*SESSION_FIELDS)
            .order_by("start", "pk")[:NEXT_SESSIONS]
        )
        shown = []
        for session in sessions:
            # Enough of the page for its address (Page.get_url reads url_path and the site).
            page = TrainingPage(
                id=session.local_id, title=session.local_title, url_path=session.local_url_path
            )
            shown.append({"session": session, "page": page, "url": page.get_url(request)})
        return shown


class StandardPage(OneQueryViewRestrictions, CatalogueAncestorPermissions, Page):
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
    subpage_types = [
        "home.StandardPage",
        "catalogue.OrganisationDirectoryPage",
        "members.ResourceDirectoryPage",
        "members.DocumentLibraryPage",
        "meetings.MeetingIndexPage",
    ]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
