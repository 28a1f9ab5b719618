"""Québec's Law 25 in code: what the site holds about a person, how to close an account and
how long personal data are kept. Plain functions, no HTTP: the views, the admin and the command
`purge_personal_data` share them.

Anonymising an enrolment keeps the row (session, status and dates) without the person or their
answers: the number of participants of a session stays right for the coalition's reports, and
nothing in the row says who the person was.

Attendance certificates are kept as issued, when the account is closed and after the retention
period alike: the person has handed them to employers and professional orders, who must still
be able to check them, and a deleted certificate would read as a forged one. A certificate
holds only what is printed on it (name, training, provider, dates, duration), nothing else
about the person; its verification page shows it only to someone who has its unguessable code,
that is, to whom the person gave it. The holder (or the person responsible for personal
information, on their request) has it revoked by the training committee, which then shows
"revoked" instead of the name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Invitation, Membership, MembershipApplication, SignUpRequest

from . import services
from .certificates import verification_url
from .models import Certificate, Enrolment, OutboxEmail

# What anonymising changes in an enrolment; everything else (session, status, dates) stays.
ANONYMOUS = {
    "user": None,
    "enrolled_by": None,
    "accessibility_needs": "",
    "interpretation_language": "",
    "comment": "",
}


def iso(moment):
    """An ISO 8601 date-time in Montréal time, with its offset; None stays None."""
    if moment is None:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.isoformat()


def years_before(moment, years):
    """The same local date and time `years` earlier (29 February becomes the 28th)."""
    local = timezone.localtime(moment)
    try:
        earlier = local.replace(year=local.year - years)
    except ValueError:
        earlier = local.replace(year=local.year - years, day=28)
    # Same wall-clock time, with the offset (EST/EDT) of that day.
    return timezone.make_aware(earlier.replace(tzinfo=None))


def _emails_of(user):
    """Outbox e-mails addressed to the person, by address or through their enrolments."""
    about_their_enrolments = Q(enrolment__user=user) if user.pk else Q(pk__in=[])
    if not user.email:
        return OutboxEmail.objects.filter(about_their_enrolments)
    return OutboxEmail.objects.filter(Q(to__iexact=user.email) | about_their_enrolments)


def _by_email(model, user):
    if not user.email:
        return model.objects.none()
    return model.objects.filter(email__iexact=user.email)


# django-axes (sign-in protection) logs sign-ins and failed attempts with the IP address.
AXES_MODELS = ("AccessLog", "AccessAttempt", "AccessFailureLog")


def _axes_models():
    if not apps.is_installed("axes"):
        return []
    return [apps.get_model("axes", name) for name in AXES_MODELS]


def _names_of(user):
    """django-axes logs under the name typed in the sign-in form: members type their e-mail."""
    names = Q(pk__in=[])
    for name in {user.get_username(), user.email} - {"", None}:
        names |= Q(username__iexact=name)
    return names


# -- Personal data other apps hold -------------------------------------------------------------
# Apps built on trainings (the newsletter) hold personal data too, and trainings may not import
# them. Each registers what it holds from its AppConfig.ready(); the export, the closing of an
# account and its confirmation page then cover it, with no import from here to there.


@dataclass(frozen=True)
class PersonalDataSection:
    """What one app holds about a person. `name`: the key of its list in the export, and of
    its count in close_account's summary ("<name>_deleted"); `export(user)`: a list of
    JSON-serialisable records; `erase(user)`: deletes them inside close_account's transaction
    and returns how many; `description`: what is deleted, as the close-account page says it."""

    name: str
    export: Callable[[Any], list]
    erase: Callable[[Any], int]
    description: str


SECTIONS = {}


def register_personal_data(section):
    """Add (or replace, by name) a section: registering twice (tests, reloads) is harmless."""
    SECTIONS[section.name] = section


# -- Membership applications: the contact person's details (members cannot import this module,
# which may import members: the section is registered here).


def _applications_of(user):
    if not user.email:
        return MembershipApplication.objects.none()
    return MembershipApplication.objects.filter(contact_email__iexact=user.email)


def _export_applications(user):
    return [
        {
            "organisation": application.organisation_name,
            "received": iso(application.created),
            "status": application.status,
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
            "contact_phone": application.contact_phone,
        }
        for application in _applications_of(user).order_by("created", "pk")
    ]


def _erase_applications(user):
    """The application stays (the organisation's record, the committee's decision); the
    contact person's name, address and phone go."""
    return _applications_of(user).update(contact_name="", contact_email="", contact_phone="")


register_personal_data(
    PersonalDataSection(
        name="membership_applications",
        export=_export_applications,
        erase=_erase_applications,
        description=_(
            "Your name, e-mail and phone as the contact person of a membership application "
            "(the application itself stays, without them)."
        ),
    )
)


def export_personal_data(user):
    """Everything the site holds about `user`, as JSON-serialisable data. Nothing about anyone
    else: who enrolled the person is given only as "a coordinator of your organisation"."""
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related("session__page")
        .prefetch_related("attendance")
        .order_by("session__start", "created", "pk")
    )
    data = {
        "generated_at": iso(timezone.now()),
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        },
        "membership": None,
        "enrolments": [],
        "certificates": [],
        "sign_up_requests": [],
        "invitations_received": [],
        "emails": [],
        "sign_ins": [],
    }
    if membership is not None:
        data["membership"] = {
            "organisation": membership.organisation.name,
            "role": membership.role,
            "language": membership.language,
            "created": iso(membership.created),
        }
    for enrolment in enrolments:
        session = enrolment.session
        data["enrolments"].append(
            {
                "training": session.page.localized.title,
                "session_start": iso(session.start),
                "session_end": iso(session.end),
                "status": enrolment.status,
                "created": iso(enrolment.created),
                "enrolled_by_a_coordinator_of_your_organisation": enrolment.enrolled_by_id
                is not None,
                "answers": {
                    "accessibility_needs": enrolment.accessibility_needs,
                    "interpretation_language": enrolment.interpretation_language,
                    "comment": enrolment.comment,
                },
                "consent_at": iso(enrolment.consent_at),
                "promoted_at": iso(enrolment.promoted_at),
                "offered_at": iso(enrolment.offered_at),
                "offer_expires_at": iso(enrolment.offer_expires_at),
                "cancelled_at": iso(enrolment.cancelled_at),
                "reminder_sent_at": iso(enrolment.reminder_sent_at),
                "attendance": [
                    {"day": mark.day.isoformat(), "present": mark.present}
                    for mark in enrolment.attendance.all()
                ],
            }
        )
    for certificate in Certificate.objects.filter(enrolment__user=user).order_by("issued_at", "pk"):
        data["certificates"].append(
            {
                "verification_code": certificate.code,
                "verification_page": verification_url(certificate),
                "language": certificate.language,
                "name": certificate.holder_name,
                "training": certificate.training_title,
                "provider": certificate.provider_name,
                "first_day": certificate.first_day.isoformat(),
                "last_day": certificate.last_day.isoformat(),
                "duration_hours": str(certificate.duration_hours)
                if certificate.duration_hours is not None
                else None,
                "issued_at": iso(certificate.issued_at),
                "revoked_at": iso(certificate.revoked_at),
                "revoked_reason": certificate.revoked_reason,
            }
        )
    for request in _by_email(SignUpRequest, user).select_related("organisation"):
        data["sign_up_requests"].append(
            {
                "first_name": request.first_name,
                "last_name": request.last_name,
                "email": request.email,
                "organisation": request.organisation.name,
                "role": request.role,
                "language": request.language,
                "status": request.status,
                "created": iso(request.created),
                "decided_at": iso(request.decided_at),
            }
        )
    for invitation in _by_email(Invitation, user).select_related("organisation"):
        data["invitations_received"].append(
            {
                "email": invitation.email,
                "organisation": invitation.organisation.name,
                "created": iso(invitation.created),
                "accepted_at": iso(invitation.accepted_at),
            }
        )
    for email in _emails_of(user).order_by("created", "pk"):
        data["emails"].append(
            {
                "kind": email.kind,
                "subject": email.subject,
                "created": iso(email.created),
                "sent_at": iso(email.sent_at),
            }
        )
    if apps.is_installed("axes"):
        sign_ins = apps.get_model("axes", "AccessLog").objects.filter(_names_of(user))
        for log in sign_ins.order_by("attempt_time"):
            data["sign_ins"].append(
                {
                    "time": iso(log.attempt_time),
                    "signed_out_at": iso(log.logout_time),
                    "ip_address": log.ip_address,
                    "browser": log.user_agent,
                }
            )
    for section in SECTIONS.values():
        data[section.name] = section.export(user)
    return data


def _deleted(queryset):
    """Delete and count the rows of the queryset's own model (not what cascades with them)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def _anonymise(enrolments, now):
    return enrolments.update(anonymised_at=now, **ANONYMOUS)


def close_account(user, *, now=None):
    """Close `user`'s account, all at once or not at all. Their seats in upcoming sessions are
    freed (the next person waiting is promoted), their enrolments are kept anonymously for the
    counts, their attendance certificates stay verifiable as issued (see the module's
    docstring), and everything else about them is deleted. Returns what was done, as counts."""
    now = now or timezone.now()
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        upcoming = Enrolment.objects.filter(
            user=user, status__in=services.ACTIVE, session__start__gt=now
        ).select_related("session")
        cancelled = 0
        for enrolment in upcoming:
            services.cancel(enrolment, by_committee=True, now=now)
            cancelled += 1
        certificates_kept = Certificate.objects.filter(enrolment__user=user).count()
        # After the cancellations: their "cancelled" e-mail goes too (nobody to send it to).
        emails_deleted = _deleted(_emails_of(user))
        anonymised = _anonymise(Enrolment.objects.filter(user=user), now)
        sign_up_requests = _deleted(_by_email(SignUpRequest, user))
        invitations = _deleted(_by_email(Invitation, user))
        names = _names_of(user)
        sign_in_logs = sum(_deleted(m.objects.filter(names)) for m in _axes_models())
        memberships = _deleted(Membership.objects.filter(user=user))
        elsewhere = {f"{s.name}_deleted": s.erase(user) for s in SECTIONS.values()}
        user.delete()
    return {
        **elsewhere,
        "enrolments_cancelled": cancelled,
        "enrolments_anonymised": anonymised,
        "emails_deleted": emails_deleted,
        "sign_up_requests_deleted": sign_up_requests,
        "invitations_deleted": invitations,
        "sign_in_logs_deleted": sign_in_logs,
        "memberships_deleted": memberships,
        "accounts_deleted": 1,
        "certificates_kept": certificates_kept,
    }


def retention_cutoff(years=None, now=None):
    """Sessions that ended before this moment are past the retention period."""
    if years is None:
        years = settings.PERSONAL_DATA_RETENTION_YEARS
    return years_before(now or timezone.now(), years)


def old_enrolments(cutoff):
    """Enrolments of sessions that ended before `cutoff` and still hold personal data."""
    return Enrolment.objects.filter(session__end__lt=cutoff, anonymised_at=None)


def old_emails(cutoff):
    return OutboxEmail.objects.filter(created__lt=cutoff)


def old_sign_in_logs(cutoff):
    return [model.objects.filter(attempt_time__lt=cutoff) for model in _axes_models()]


def purge_old_personal_data(years=None, now=None, *, dry_run=False):
    """Anonymise the enrolments of sessions that ended more than `years` ago (by default
    PERSONAL_DATA_RETENTION_YEARS) and delete e-mails and sign-in logs older than that.
    Accounts are left alone. Running it again changes nothing. With `dry_run`, only counts."""
    now = now or timezone.now()
    cutoff = retention_cutoff(years, now)
    if dry_run:
        return {
            "cutoff": cutoff,
            "enrolments_anonymised": old_enrolments(cutoff).count(),
            "emails_deleted": old_emails(cutoff).count(),
            "sign_in_logs_deleted": sum(logs.count() for logs in old_sign_in_logs(cutoff)),
        }
    with transaction.atomic():
        anonymised = _anonymise(old_enrolments(cutoff), now)
        emails_deleted = _deleted(old_emails(cutoff))
        sign_in_logs = sum(_deleted(logs) for logs in old_sign_in_logs(cutoff))
    return {
        "cutoff": cutoff,
        "enrolments_anonymised": anonymised,
        "emails_deleted": emails_deleted,
        "sign_in_logs_deleted": sign_in_logs,
    }
