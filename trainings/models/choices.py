"""The choices the trainings app uses in its models, forms and filters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class SessionFormat(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Seat offered")
    CANCELLED = "cancelled", _("Cancelled")


# A confirmed person holds a seat, and so does one offered a seat until the offer's deadline.
HOLDING_A_SEAT = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.OFFERED)


class WaitingListPolicy(models.TextChoices):
    INSTANT = "instant", _("Instant: a freed seat goes to the next person at once")
    OFFER = "offer", _("Offer: the next person has a few hours to accept the seat")
