"""Blocks refuse content that would make a page inaccessible or broken."""

import pytest
from django.core.exceptions import ValidationError

from home.blocks import CallToActionBlock, CaptionedImageBlock, MilestoneBlock

pytestmark = pytest.mark.django_db


def test_image_block_requires_alternative_text(demo):
    from wagtail.images import get_image_model

    image = get_image_model().objects.first()
    block = CaptionedImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    value = block.clean(
        block.to_python({"image": image.pk, "alt_text": "Un réseau", "caption": ""})
    )
    assert value["alt_text"] == "Un réseau"


def test_call_to_action_needs_exactly_one_link():
    block = CallToActionBlock()
    base = {"title": "T", "text": "", "link_label": "Go"}
    with pytest.raises(ValidationError):
        block.clean(block.to_python({**base, "link_page": None, "link_url": ""}))
    value = block.clean(
        block.to_python({**base, "link_page": None, "link_url": "https://cqctp.org"})
    )
    assert value["link_url"] == "https://cqctp.org"


def test_milestone_period_must_end_after_it_starts():
    block = MilestoneBlock()
    data = {"year": 2018, "end_year": 2017, "date_label": "", "title": "", "events": ["x"]}
    with pytest.raises(ValidationError):
        block.clean(block.to_python(data))
    data["end_year"] = 2019
    assert block.clean(block.to_python(data))["end_year"] == 2019
