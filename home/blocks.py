"""The shared StreamField block library of the public pages: home, standard and campaign pages.

Every block is defined once, here. `BodyBlock` (home and standard pages) offers the whole
library: awareness content (key figures, the signs, the help numbers, testimonies, videos,
FAQ, resources, partners, related trainings) is as much at home on a standard page ("Recognising
the signs", "Get help") as on a campaign. `CampaignBodyBlock` is the same library under its own
class so that the campaign pages' stream can gain campaign-only blocks without touching the
others; today it reorders nothing and adds nothing (see its docstring).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "h3", "h4", "ol", "ul", "link", "document-link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]

# Groups of the block chooser in the editor.
TEXT = _("Text")
MEDIA = _("Images and video")
AWARENESS = _("Awareness")
LINKS = _("Links and resources")

RELATED_TRAININGS_MAX = 6


def field_error(name, message):
    return StructBlockValidationError(block_errors={name: ErrorList([ValidationError(message)])})


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (h2)")), ("h3", _("Subheading (h3)"))],
        default="h2",
        help_text=_("Use a subheading only under a section heading, so the outline stays valid."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        group = TEXT
        template = "home/blocks/heading_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it. Required."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        group = MEDIA
        template = "home/blocks/image_block.html"


class CallToActionBlock(blocks.StructBlock):
    """A button to exactly one destination: a page, a document, an address, a phone number or
    an e-mail address."""

    TARGETS = ("link_page", "link_document", "link_url", "link_phone", "link_email")

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    link_label = blocks.CharBlock(
        label=_("Button label"),
        max_length=60,
        help_text=_('Say where the button leads, e.g. "Call the hotline", not "Click here".'),
    )
    link_page = blocks.PageChooserBlock(label=_("Page"), required=False)
    link_document = DocumentChooserBlock(label=_("Document"), required=False)
    link_url = blocks.URLBlock(label=_("External address"), required=False)
    link_phone = blocks.CharBlock(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_('As it should read, e.g. "1-833-900-1010" or "514 555-0142 poste 12".'),
    )
    link_email = blocks.EmailBlock(label=_("E-mail address"), required=False)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        group = LINKS
        template = "home/blocks/call_to_action_block.html"
        help_text = _(
            "Fill in exactly one destination: a page, a document, an external address, a "
            "phone number or an e-mail address."
        )

    def clean(self, value):
        value = super().clean(value)
        chosen = [name for name in self.TARGETS if value.get(name)]
        if len(chosen) != 1:
            message = _(
                "Choose exactly one destination for the button: a page, a document, an external "
                "address, a phone number or an e-mail address."
            )
            names = chosen or ["link_page"]
            raise StructBlockValidationError(
                block_errors={name: ErrorList([ValidationError(message)]) for name in names}
            )
        if value.get("link_phone"):
            from .templatetags.phone_tags import tel_href

            if not tel_href(value["link_phone"]):
                raise field_error("link_phone", _("Enter a phone number with digits."))
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        document = value.get("link_document")
        request = (parent_context or {}).get("request")
        # A button to a document the visitor may not open is not offered at all.
        context["offered"] = document is None or document_opens_for(document, request)
        return context


class MilestoneBlock(blocks.StructBlock):
    year = blocks.IntegerBlock(label=_("Year"), min_value=1900, max_value=2100)
    end_year = blocks.IntegerBlock(
        label=_("Until (year)"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("For a period of several years; leave empty for a single year."),
    )
    date_label = blocks.CharBlock(
        label=_("Precise date"),
        required=False,
        max_length=40,
        help_text=_('Optional, as it should read, e.g. "11 avril" or "June".'),
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=160)
    events = blocks.ListBlock(
        blocks.TextBlock(label=_("Event"), max_length=600), label=_("Events"), min_num=1
    )

    class Meta:
        icon = "date"
        label = _("Milestone")

    def clean(self, value):
        value = super().clean(value)
        end_year = value.get("end_year")
        if end_year is not None and end_year <= value["year"]:
            raise field_error("end_year", _("The end year must come after the year."))
        return value


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=160)
    milestones = blocks.ListBlock(MilestoneBlock(), label=_("Milestones"), min_num=1)

    class Meta:
        icon = "history"
        label = _("Timeline")
        group = TEXT
        template = "home/blocks/timeline_block.html"


class CardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=160)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=800)

    class Meta:
        icon = "doc-full"
        label = _("Card")


class CardListBlock(blocks.StructBlock):
    """Principles, objectives or action axes: a short heading and a few cards."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=160)
    introduction = blocks.TextBlock(label=_("Introduction"), required=False, max_length=800)
    numbered = blocks.BooleanBlock(
        label=_("Numbered"),
        required=False,
        help_text=_("Number the cards when their order or their count matters."),
    )
    cards = blocks.ListBlock(CardBlock(), label=_("Cards"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Cards (principles, objectives…)")
        group = TEXT
        template = "home/blocks/card_list_block.html"


# -- Awareness ------------------------------------------------------------------------------


class KeyFigureBlock(blocks.StructBlock):
    number = blocks.CharBlock(
        label=_("Figure"),
        max_length=20,
        help_text=_('As it should read, e.g. "4 600", "93 %" or "1 sur 4".'),
    )
    label = blocks.CharBlock(
        label=_("What it counts"),
        max_length=200,
        help_text=_("One short sentence that makes sense on its own."),
    )
    source = blocks.CharBlock(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_('Who published the figure and when, e.g. "Statistique Canada, 2024".'),
    )
    source_url = blocks.URLBlock(label=_("Source address"), required=False)

    class Meta:
        icon = "order"
        label = _("Key figure")

    def clean(self, value):
        value = super().clean(value)
        if value.get("source_url") and not value.get("source"):
            raise field_error("source", _("Name the source that the address leads to."))
        return value


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=160)
    introduction = blocks.TextBlock(label=_("Introduction"), required=False, max_length=600)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1, max_num=6)

    class Meta:
        icon = "order"
        label = _("Key figures")
        group = AWARENESS
        template = "home/blocks/key_figures_block.html"


class SignGroupBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Group title"),
        required=False,
        max_length=120,
        help_text=_('Optional, e.g. "At work" or "In the relationship".'),
    )
    signs = blocks.ListBlock(
        blocks.CharBlock(label=_("Sign"), max_length=300), label=_("Signs"), min_num=1
    )

    class Meta:
        icon = "list-ul"
        label = _("Group of signs")


class SignsBlock(blocks.StructBlock):
    """Recognising the signs: indicators of trafficking or exploitation, optionally grouped."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=160)
    introduction = blocks.TextBlock(label=_("Introduction"), required=False, max_length=800)
    groups = blocks.ListBlock(SignGroupBlock(), label=_("Groups of signs"), min_num=1)

    class Meta:
        icon = "warning"
        label = _("Recognising the signs")
        group = AWARENESS
        template = "home/blocks/signs_block.html"


class HelpBlock(blocks.StructBlock):
    """The emergency and hotline numbers of the site's settings, with an optional heading and
    text: the numbers are edited once, in the settings, never typed into pages."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=160,
        help_text=_('Leave empty for "Need help?".'),
    )
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=600)

    class Meta:
        icon = "help"
        label = _("Help numbers")
        group = AWARENESS
        template = "home/blocks/help_block.html"
        help_text = _("Shows the emergency and hotline numbers set in the site settings.")

    def get_context(self, value, parent_context=None):
        from .models import SiteSettings

        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        if request is not None:
            context["help_settings"] = SiteSettings.for_request(request)
        else:
            from wagtail.models import Site

            site = Site.objects.filter(is_default_site=True).first()
            context["help_settings"] = SiteSettings.for_site(site) if site else SiteSettings()
        return context


class TestimonyBlock(blocks.StructBlock):
    """A quote or a testimony. A testimony is published only with the consent of the person
    who gave it: the block does not validate until the editor ticks the box."""

    text = blocks.TextBlock(label=_("Quote or testimony"), max_length=1500)
    attribution = blocks.CharBlock(
        label=_("Name"),
        required=False,
        max_length=120,
        help_text=_("Who said it. Hidden when the name is withheld."),
    )
    role = blocks.CharBlock(
        label=_("Description"),
        required=False,
        max_length=160,
        help_text=_('Optional, e.g. "survivor, Montréal" or "police officer".'),
    )
    name_withheld = blocks.BooleanBlock(
        label=_("Name withheld"),
        required=False,
        help_text=_("Do not show the name (the description, if any, is still shown)."),
    )
    consent = blocks.BooleanBlock(
        label=_("Consent obtained"),
        required=False,
        help_text=_(
            "Required: the person agreed, in writing, to the publication of these words on "
            "this site."
        ),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote or testimony")
        group = AWARENESS
        template = "home/blocks/testimony_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("consent"):
            raise field_error(
                "consent",
                _(
                    "A testimony can only be published with the consent of the person who gave "
                    "it: tick the box once you have it, or remove the block."
                ),
            )
        return value


# -- Images and video ------------------------------------------------------------------------


class GalleryImageBlock(CaptionedImageBlock):
    caption = blocks.CharBlock(label=_("Caption"), max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        group = None


class GalleryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=160)
    images = blocks.ListBlock(GalleryImageBlock(), label=_("Images"), min_num=2, max_num=12)

    class Meta:
        icon = "image"
        label = _("Image gallery")
        group = MEDIA
        template = "home/blocks/gallery_block.html"


YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{5,12}$")
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")


@dataclass(frozen=True)
class VideoSource:
    """Where a video lives: `watch_url` (the host's page, the link without JavaScript) and
    `embed_url` (its privacy-enhanced player, loaded only after a click)."""

    provider: str  # "YouTube" or "Vimeo"
    video_id: str
    watch_url: str
    embed_url: str
    embed_host: str  # the host the player is loaded from, named in the button


def parse_video_url(url):
    """A `VideoSource` for a YouTube or Vimeo address, None for anything else."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    segments = [s for s in parts.path.split("/") if s]
    if host in ("youtube.com", "m.youtube.com", "youtube-nocookie.com", "youtu.be"):
        video_id = ""
        if host == "youtu.be":
            video_id = segments[0] if segments else ""
        elif segments[:1] == ["watch"]:
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            video_id = segments[1]
        if not YOUTUBE_ID.match(video_id):
            return None
        return VideoSource(
            provider="YouTube",
            video_id=video_id,
            watch_url=f"https://www.youtube.com/watch?v={video_id}",
            embed_url=f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1&rel=0",
            embed_host="youtube-nocookie.com",
        )
    if host in ("vimeo.com", "player.vimeo.com"):
        if host == "player.vimeo.com":
            segments = segments[1:] if segments[:1] == ["video"] else []
        numeric = [i for i, s in enumerate(segments) if VIMEO_ID.match(s)]
        if not numeric:
            return None
        index = numeric[-1]
        video_id = segments[index]
        secret = parse_qs(parts.query).get("h", [""])[0]
        if not secret and index + 1 < len(segments):
            secret = segments[index + 1]  # an unlisted video: vimeo.com/ID/HASH
        secret = secret if VIMEO_HASH.match(secret or "") else ""
        watch = f"https://vimeo.com/{video_id}" + (f"/{secret}" if secret else "")
        embed = f"https://player.vimeo.com/video/{video_id}?dnt=1&autoplay=1"
        if secret:
            embed += f"&h={secret}"
        return VideoSource("Vimeo", video_id, watch, embed, "player.vimeo.com")
    return None


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video that loads nothing from the host before the visitor asks for
    it: a poster (from the site's own images) and a link to the video's page; with
    JavaScript, a button replaces the poster with the host's privacy-enhanced player."""

    url = blocks.URLBlock(
        label=_("Video address"),
        help_text=_("The address of the video on YouTube or Vimeo (other hosts are refused)."),
    )
    title = blocks.CharBlock(
        label=_("Title"),
        max_length=160,
        help_text=_("What the video is, in a few words; also the title of the player."),
    )
    poster = ImageChooserBlock(
        label=_("Poster image"),
        required=False,
        help_text=_("Shown before the video is played. Nothing is loaded from the host before."),
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript or description"),
        required=False,
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_("What is said and shown, for people who cannot watch or hear the video."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        group = MEDIA
        template = "home/blocks/video_block.html"

    def clean(self, value):
        value = super().clean(value)
        if parse_video_url(value.get("url")) is None:
            raise field_error(
                "url",
                _(
                    "Enter the address of a YouTube or Vimeo video, e.g. "
                    "https://www.youtube.com/watch?v=… or https://vimeo.com/…; other hosts "
                    "are not accepted."
                ),
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["video"] = parse_video_url(value.get("url"))
        return context


# -- Links and resources ----------------------------------------------------------------------


class ResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the document's title."),
    )
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=400)

    class Meta:
        icon = "doc-full"
        label = _("Resource")


class ResourcesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=160)
    resources = blocks.ListBlock(ResourceBlock(), label=_("Resources"), min_num=1)

    class Meta:
        icon = "download"
        label = _("Downloadable resources")
        group = LINKS
        template = "home/blocks/resources_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        context["resources"] = [
            item
            for item in value.get("resources") or []
            if item.get("document") is not None and document_opens_for(item["document"], request)
        ]
        return context


def document_opens_for(document, request):
    """Whether the visitor may open `document`: a document in a private collection (Wagtail's
    collection privacy, on the collection or an ancestor) is not offered to those it excludes."""
    cache = getattr(request, "_collection_access", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._collection_access = cache
    from django.db.models import F, Subquery
    from wagtail.models import Collection, CollectionViewRestriction

    collection_id = document.collection_id
    if collection_id not in cache:
        # The restrictions on the collection or an ancestor (a prefix of its tree path): one query.
        target = Collection.objects.filter(pk=collection_id).values("path")[:1]
        restrictions = list(
            CollectionViewRestriction.objects.annotate(target=Subquery(target)).filter(
                target__startswith=F("collection__path")
            )
        )
        if not restrictions:
            cache[collection_id] = True
        else:
            cache[collection_id] = request is not None and all(
                restriction.accept_request(request) for restriction in restrictions
            )
    return cache[collection_id]


class PartnersBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=160)
    introduction = blocks.TextBlock(label=_("Introduction"), required=False, max_length=600)
    organisations = blocks.ListBlock(
        SnippetChooserBlock("members.Organisation", label=_("Organisation")),
        label=_("Organisations"),
        min_num=1,
    )

    class Meta:
        icon = "group"
        label = _("Partner organisations")
        group = LINKS
        template = "home/blocks/partners_block.html"

    def get_context(self, value, parent_context=None):
        """The active organisations (as in the directory) with their logo and its renditions,
        in two queries."""
        from members.models import Organisation

        context = super().get_context(value, parent_context)
        ids = [org.pk for org in value.get("organisations") or [] if org is not None]
        found = (
            Organisation.objects.filter(pk__in=ids, active=True)
            .select_related("logo")
            .prefetch_related("logo__renditions")
            .in_bulk()
        )
        context["organisations"] = [found[pk] for pk in dict.fromkeys(ids) if pk in found]
        return context


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Answer"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question")


class FaqBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=160)
    questions = blocks.ListBlock(FaqItemBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        group = TEXT
        template = "home/blocks/faq_block.html"


class RelatedTrainingsBlock(blocks.StructBlock):
    """Trainings chosen one by one, or those of a theme (or both: the chosen ones first), as
    the visitor may see them (`TrainingPage.objects.listed`), in the page's language."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=160,
        help_text=_('Leave empty for "Related trainings".'),
    )
    trainings = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="trainings.TrainingPage", label=_("Training")),
        label=_("Trainings"),
        required=False,
        max_num=RELATED_TRAININGS_MAX,
        help_text=_("Choose the French or English version: the page's language is shown."),
    )
    theme = SnippetChooserBlock(
        "trainings.Theme",
        label=_("Theme"),
        required=False,
        help_text=_("Or (also) show the most recent trainings of a theme."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Related trainings")
        group = LINKS
        template = "home/blocks/related_trainings_block.html"
        help_text = _(
            "Members-only and restricted trainings appear only to visitors allowed to see them."
        )

    def clean(self, value):
        value = super().clean(value)
        if not value.get("theme") and not [t for t in value.get("trainings") or [] if t]:
            raise field_error("trainings", _("Choose trainings, a theme, or both."))
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["related_trainings"] = self.resolve(value, parent_context or {})
        return context

    def resolve(self, value, parent_context):
        """At most RELATED_TRAININGS_MAX trainings, in two queries whatever their number."""
        from wagtail.models import Locale

        from trainings.models import TrainingPage

        request = parent_context.get("request")
        user = getattr(request, "user", None)
        page = parent_context.get("page") or parent_context.get("self")
        locale = getattr(page, "locale", None) or Locale.get_active()
        keys = list(
            dict.fromkeys(t.translation_key for t in value.get("trainings") or [] if t is not None)
        )
        theme = value.get("theme")
        shown = TrainingPage.objects.listed(user, request).filter(locale=locale)
        chosen = (
            {p.translation_key: p for p in shown.filter(translation_key__in=keys)} if keys else {}
        )
        result = [chosen[key] for key in keys if key in chosen][:RELATED_TRAININGS_MAX]
        if theme is not None and len(result) < RELATED_TRAININGS_MAX:
            # Themes are set on every language version alike; match by translation key anyway.
            of_theme = TrainingPage.objects.filter(themes=theme).values("translation_key")
            more = (
                shown.filter(translation_key__in=of_theme)
                .exclude(translation_key__in=keys)
                .order_by("-first_published_at", "pk")[: RELATED_TRAININGS_MAX - len(result)]
            )
            result += list(more)
        return result


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=RICH_TEXT_FEATURES,
        template="home/blocks/paragraph_block.html",
        group=TEXT,
    )
    image = CaptionedImageBlock()
    call_to_action = CallToActionBlock()
    timeline = TimelineBlock()
    cards = CardListBlock()
    faq = FaqBlock()
    key_figures = KeyFiguresBlock()
    signs = SignsBlock()
    help = HelpBlock()
    testimony = TestimonyBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    resources = ResourcesBlock()
    partners = PartnersBlock()
    related_trainings = RelatedTrainingsBlock()

    class Meta:
        label = _("Body")


class SocialLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Name"), max_length=60, help_text=_("e.g. Facebook"))
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link"
        label = _("Social link")


class CampaignBodyBlock(BodyBlock):
    """What the awareness committee composes a campaign from: the shared library, whole.

    Every awareness block (key figures, signs, help numbers, testimonies, video, FAQ,
    resources, partners, related trainings) is also offered on home and standard pages, since
    the coalition publishes the same kind of content outside campaigns. A block that only makes
    sense inside a campaign would be declared in this class, once, and nowhere else."""

    class Meta:
        label = _("Campaign body")
