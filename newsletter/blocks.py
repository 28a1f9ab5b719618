"""What an issue of the newsletter is written with: the public pages' shared block library
(home/blocks.py), the blocks a newsletter tells its news with. The awareness-only blocks (the
signs, testimonies, the help numbers) stay on campaign and standard pages, where they are
maintained; an issue links to those pages instead.

The newsletter imports this one module of home, a leaf (blocks only), and home never imports
the newsletter: its home page names the index page type by string."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from home.blocks import (
    RICH_TEXT_FEATURES,
    TEXT,
    CallToActionBlock,
    CaptionedImageBlock,
    CardListBlock,
    FaqBlock,
    HeadingBlock,
    KeyFiguresBlock,
    RelatedTrainingsBlock,
    ResourcesBlock,
    TimelineBlock,
    VideoBlock,
)


class NewsletterBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=RICH_TEXT_FEATURES,
        template="home/blocks/paragraph_block.html",
        group=TEXT,
    )
    image = CaptionedImageBlock()
    call_to_action = CallToActionBlock()
    cards = CardListBlock()
    timeline = TimelineBlock()
    key_figures = KeyFiguresBlock()
    video = VideoBlock()
    resources = ResourcesBlock()
    faq = FaqBlock()
    related_trainings = RelatedTrainingsBlock()

    class Meta:
        label = _("Body")
