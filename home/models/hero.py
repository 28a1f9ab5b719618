"""The hero image shared by the home page and the campaign pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HeroImage(models.Model):
    """An image at the top of a page, the words that stand for it for those who cannot see it,
    and the image the page is shared with (Open Graph)."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A calm, wide image at the top of the page, cropped at its focal point; also "
            "shown when the page is shared."
        ),
    )
    hero_image_alt = models.CharField(
        verbose_name=_("hero image alternative text"),
        max_length=250,
        blank=True,
        help_text=_(
            "Describe what the image shows for people who cannot see it. Required with an image."
        ),
    )

    class Meta:
        abstract = True

    def hero_image_errors(self):
        if self.hero_image_id and not self.hero_image_alt.strip():
            return {"hero_image_alt": _("Describe the hero image for people who cannot see it.")}
        return {}
