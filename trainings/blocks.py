"""Blocks of a training's description (trainings may not import home, so they have their own)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class DescriptionBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        max_length=160,
        form_classname="title",
        template="trainings/blocks/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=["bold", "italic", "ol", "ul", "link"],
        template="trainings/blocks/paragraph_block.html",
    )

    class Meta:
        label = _("Description")
