"""The trainings app's models, one module per concern: the choices, the taxonomy (snippets), the
training page, its sessions, the enrolments and the e-mail outbox."""

from .attendance import Attendance
from .certificates import Certificate
from .choices import (
    HOLDING_A_SEAT,
    EnrolmentStatus,
    Language,
    SessionFormat,
    SessionStatus,
    Visibility,
    WaitingListPolicy,
)
from .enrolments import WAITING_ORDER, Enrolment, EnrolmentQuerySet
from .outbox import OutboxEmail
from .pages import TrainingPage, TrainingPageQuerySet
from .sessions import TrainingSession, TrainingSessionQuerySet
from .taxonomy import Audience, TaxonomyTerm, Theme

__all__ = [
    "HOLDING_A_SEAT",
    "WAITING_ORDER",
    "Attendance",
    "Certificate",
    "WaitingListPolicy",
    "Audience",
    "Enrolment",
    "EnrolmentQuerySet",
    "EnrolmentStatus",
    "Language",
    "OutboxEmail",
    "SessionFormat",
    "SessionStatus",
    "TaxonomyTerm",
    "Theme",
    "TrainingPage",
    "TrainingPageQuerySet",
    "TrainingSession",
    "TrainingSessionQuerySet",
    "Visibility",
]
