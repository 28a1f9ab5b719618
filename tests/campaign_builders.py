"""Builders for campaign tests: an index, campaigns with explicit dates, a hero image."""

import datetime
import io
import itertools

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from home.models import CampaignIndexPage, CampaignPage
from tests import factories as f

_counter = itertools.count(1)


def image(title="Affiche", size=(1600, 900), focal=None):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (75, 42, 123)).save(buffer, "PNG")
    number = next(_counter)
    picture = get_image_model()(
        title=title,
        file=ImageFile(buffer, name=f"campagne-{number}.png"),
        width=size[0],
        height=size[1],
    )
    if focal:
        picture.focal_point_x, picture.focal_point_y = focal
        picture.focal_point_width = picture.focal_point_height = 100
    picture.save()
    return picture


def index(slug="campagnes"):
    existing = CampaignIndexPage.objects.filter(slug=slug, locale__language_code="fr-ca").first()
    if existing:
        return existing
    page = CampaignIndexPage(title="Campagnes", slug=slug, introduction="Nos campagnes.")
    f.home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


def day(text):
    return datetime.date.fromisoformat(text)


def campaign(parent=None, title=None, start="2026-06-01", end="2026-06-30", publish=True, **fields):
    parent = parent or index()
    number = next(_counter)
    fields.setdefault("tagline", f"Accroche {number}")
    fields.setdefault("introduction", f"Introduction de la campagne {number}.")
    if fields.get("hero_image") is not None:
        fields.setdefault("hero_image_alt", "Une affiche violette")
    page = CampaignPage(
        title=title or f"Campagne {number}",
        slug=fields.pop("slug", f"campagne-{number}"),
        start_date=day(start),
        end_date=day(end),
        live=publish,
        **fields,
    )
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return CampaignPage.objects.get(pk=page.pk)


def english(page):
    """The English translation of `page` (and of its ancestors), published."""
    locale = Locale.objects.get_or_create(language_code="en")[0]
    translation = page.copy_for_translation(locale, copy_parents=True)
    for ancestor in translation.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    translation.save_revision().publish()
    return type(page).objects.get(pk=translation.pk)
