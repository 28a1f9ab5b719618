"""StreamField blocks shared by the public pages (home, standard and, later, campaign pages)."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "h3", "h4", "ol", "ul", "link", "document-link"]


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
        template = "home/blocks/image_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    link_label = blocks.CharBlock(label=_("Button label"), max_length=60)
    link_page = blocks.PageChooserBlock(label=_("Page"), required=False)
    link_url = blocks.URLBlock(
        label=_("External address"),
        required=False,
        help_text=_("Used only when no page is chosen."),
    )

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "home/blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("link_page")) == bool(value.get("link_url")):
            message = _("Choose a page or enter an external address (one of the two).")
            raise StructBlockValidationError(
                block_errors={"link_page": ErrorList([ValidationError(message)])}
            )
        return value


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
            message = _("The end year must come after the year.")
            raise StructBlockValidationError(
                block_errors={"end_year": ErrorList([ValidationError(message)])}
            )
        return value


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=160)
    milestones = blocks.ListBlock(MilestoneBlock(), label=_("Milestones"), min_num=1)

    class Meta:
        icon = "history"
        label = _("Timeline")
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
        template = "home/blocks/card_list_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=RICH_TEXT_FEATURES,
        template="home/blocks/paragraph_block.html",
    )
    image = CaptionedImageBlock()
    call_to_action = CallToActionBlock()
    timeline = TimelineBlock()
    cards = CardListBlock()

    class Meta:
        label = _("Body")


class SocialLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Name"), max_length=60, help_text=_("e.g. Facebook"))
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link"
        label = _("Social link")


class CampaignBodyBlock(BodyBlock):
    """What the awareness committee composes a campaign from (the shared library plus the
    campaign blocks)."""

    class Meta:
        label = _("Campaign body")
