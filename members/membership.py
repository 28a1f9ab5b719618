"""The rules of membership, kept out of the views: an organisation applies through the public
form (limited like account requests, acknowledged by e-mail, the committee told), the committee
accepts it (the organisation and its coordinator's invitation, all at once) or rejects it, and
the dues of each year are reminded to the coordinators of the organisations that have not paid.

Decisions and reminders are written to Wagtail's audit log (the actions are registered by
members/membership_admin.py). E-mails go the Django way, so through the outbox, in the same
transaction as the change they report (see members/services.py).
"""

import hashlib
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from cqctp.links import absolute_url, base_url
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import (
    ApplicationStatus,
    DuesStatus,
    Invitation,
    Membership,
    MembershipApplication,
    MembershipDues,
    Organisation,
    Role,
)
from .services import (
    AlreadyDecided,
    TooManyRequests,
    _log,
    accounts_with_address,
    email_taken,
    normalise,
    within_limit,
)

# Applications accepted per hour, for one contact address and from one client address.
APPLY_LIMIT_PER_ADDRESS = 3
APPLY_LIMIT_PER_CLIENT = 10

DECIDE_PERMISSION = ("members", "change_membershipapplication")

# The committee's decisions and the reminders in Wagtail's audit log: {action: label}.
ACCEPTED = "cqctp.membership_accept"
REJECTED = "cqctp.membership_reject"
DUES_REMINDED = "cqctp.dues_remind"
LOG_ACTIONS = {
    ACCEPTED: _("Accept a membership application"),
    REJECTED: _("Reject a membership application"),
    DUES_REMINDED: _("Remind membership dues"),
}


class NotSent(Exception):
    """The mail backend refused at once (not the outbox): nothing was kept."""


class OrganisationExists(Exception):
    """A member organisation already has the applicant's name (names are unique)."""


MAIL_ERRORS = (smtplib.SMTPException, OSError)


def language_code(language):
    """One of settings.LANGUAGES for a language Django gives ("fr-ca", "en", "en-us")."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or "").lower()
    if language in codes:
        return language
    prefix = language.split("-")[0]
    return next((code for code in codes if code.split("-")[0] == prefix), settings.LANGUAGE_CODE)


def _send(template, context, language, to):
    """Render `template` (subject and body) in `language` and send it to `to` (a list)."""
    with translation.override(language):
        subject = render_to_string(f"members/emails/{template}_subject.txt", context)
        body = render_to_string(f"members/emails/{template}.txt", context)
    send_mail(" ".join(subject.split()), body.strip() + "\n", None, to)


# -- Applying ----------------------------------------------------------------------------------


def apply(form, language, client_address):
    """Store a valid MembershipApplicationForm as a pending application, acknowledge it to the
    contact and tell the committee, all or nothing. TooManyRequests (nothing stored) when the
    address or the client applied too often; NotSent when a mail backend fails at once."""
    email = normalise(form.cleaned_data["contact_email"])
    digest = hashlib.sha256(email.encode()).hexdigest()
    address_ok = within_limit(f"membership:address:{digest}", APPLY_LIMIT_PER_ADDRESS)
    client_ok = within_limit(f"membership:client:{client_address or '-'}", APPLY_LIMIT_PER_CLIENT)
    if not (address_ok and client_ok):
        raise TooManyRequests
    try:
        with transaction.atomic():
            application = form.save(commit=False)
            application.contact_email = email
            application.language = language_code(language)
            application.agreed_at = timezone.now()  # the box is required: ticked on this post
            application.save()
            send_acknowledgement(application)
            notify_committee(application)
    except MAIL_ERRORS as error:
        raise NotSent from error
    return application


def send_acknowledgement(application):
    """Tell the contact, in the language of the form, that the committee will answer."""
    context = {"application": application, "site_url": base_url()}
    _send("membership_received", context, application.language, [application.contact_email])


def committee_recipients():
    """The active accounts that may decide on applications, through a group or their own
    permissions (superusers are not written to for being superusers)."""
    app_label, codename = DECIDE_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .select_related("membership")
        .distinct()
        .order_by("pk")
    )


def notify_committee(application):
    """One notice per committee member, in their language, with the link to review it. It
    names the organisation only: the contact's details stay in the admin."""
    link = absolute_url(reverse("membership_applications:inspect", args=[application.pk]))
    for user in committee_recipients():
        membership = getattr(user, "membership", None)
        language = membership.language if membership else settings.LANGUAGE_CODE
        _send(
            "membership_new_application",
            {"application": application, "link": link},
            language,
            [user.email],
        )


def membership_applications():
    """Every application, flagged for the committee in the same query: `name_taken` (an
    organisation has that name: accepting would be refused), `duplicate` (another pending
    application names the same organisation) and `has_account` (an account uses the contact's
    address: no invitation would be sent)."""
    same_name = Organisation.objects.alias(_name=Lower("name")).filter(
        _name=Lower(OuterRef("organisation_name"))
    )
    same_pending = (
        MembershipApplication.objects.filter(status=ApplicationStatus.PENDING)
        .alias(_name=Lower("organisation_name"))
        .filter(_name=Lower(OuterRef("organisation_name")))
        .exclude(pk=OuterRef("pk"))
    )
    return MembershipApplication.objects.select_related(
        "decided_by", "organisation", "invitation"
    ).annotate(
        name_taken=Exists(same_name),
        duplicate=Exists(same_pending),
        has_account=Exists(accounts_with_address(OuterRef("contact_email"))),
    )


# -- The committee's decisions -----------------------------------------------------------------


def _pending(pk):
    application = MembershipApplication.objects.select_for_update().get(pk=pk)
    if application.status != ApplicationStatus.PENDING:
        raise AlreadyDecided
    return application


def _decided(application, status, by, note):
    application.status = status
    application.decided_at = timezone.now()
    application.decided_by = by if by is not None and by.is_authenticated else None
    application.committee_note = (note or "").strip()


def accept_application(pk, by=None, note=""):
    """Accept a pending application, all or nothing: the organisation (active, member since
    this year), an invitation for the contact, which creates the coordinator's account
    (services.invited_role), the audit entry and the e-mail in the contact's language.
    AlreadyDecided, OrganisationExists or NotSent change nothing. When an account already
    uses the contact's address no invitation is made (it could not be used): the e-mail says
    the committee will attach that account, and `application.invitation` is None."""
    try:
        with transaction.atomic():
            application = _pending(pk)
            name = application.organisation_name.strip()
            if Organisation.objects.filter(name__iexact=name).exists():
                raise OrganisationExists(name)
            now = timezone.now()
            organisation = Organisation.objects.create(
                name=name,
                sector=application.sector,
                region=application.region,
                website=application.website,
                member_since=timezone.localdate(now).year,
                active=True,
            )
            email = normalise(application.contact_email)
            invitation = None
            if not email_taken(email):
                inviter = by if by is not None and by.is_authenticated else None
                invitation = Invitation.objects.create(
                    organisation=organisation, email=email, invited_by=inviter
                )
            _decided(application, ApplicationStatus.ACCEPTED, by, note)
            application.organisation = organisation
            application.invitation = invitation
            application.save()
            _log(
                application,
                ACCEPTED,
                by,
                organisation=organisation.pk,
                invitation=invitation is not None,
            )
            with translation.override(application.language):
                link = (
                    absolute_url(reverse("members:accept_invitation", args=[invitation.token]))
                    if invitation
                    else ""
                )
                sign_in_url = absolute_url(reverse("members:login"))
            context = {
                "application": application,
                "link": link,
                "sign_in_url": sign_in_url,
                "valid_days": Invitation.VALID_DAYS,
                "site_url": base_url(),
            }
            _send("membership_accepted", context, application.language, [email])
    except MAIL_ERRORS as error:
        raise NotSent from error
    return application


def reject_application(pk, by=None, note=""):
    """Reject a pending application, with its audit entry and a polite e-mail to the contact
    in their language; AlreadyDecided or NotSent change nothing. The note stays with the
    committee."""
    try:
        with transaction.atomic():
            application = _pending(pk)
            _decided(application, ApplicationStatus.REJECTED, by, note)
            application.save()
            _log(application, REJECTED, by)
            context = {"application": application, "site_url": base_url()}
            _send(
                "membership_rejected",
                context,
                application.language,
                [application.contact_email],
            )
    except MAIL_ERRORS as error:
        raise NotSent from error
    return application


# -- Dues reminders ----------------------------------------------------------------------------


def reminder_interval():
    """No organisation is reminded twice within this time (DUES_REMINDER_INTERVAL_DAYS)."""
    return timedelta(days=settings.DUES_REMINDER_INTERVAL_DAYS)


@dataclass
class ReminderPlan:
    """Who a reminder for `year` goes to: `to_remind` [(dues, [coordinators' memberships])],
    `recently_reminded` [dues reminded within the interval] and `no_one_to_remind` [dues of
    organisations without an active coordinator], each by organisation name. Only the pending
    dues of active organisations count."""

    year: int
    to_remind: list = field(default_factory=list)
    recently_reminded: list = field(default_factory=list)
    no_one_to_remind: list = field(default_factory=list)


def coordinators_by_organisation(organisation_ids):
    """{organisation id: [memberships]} of the active coordinators with an address."""
    found = defaultdict(list)
    memberships = (
        Membership.objects.filter(
            organisation_id__in=organisation_ids, role=Role.COORDINATOR, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__email")
    )
    for membership in memberships:
        found[membership.organisation_id].append(membership)
    return found


def reminder_plan(year, now=None, lock=False):
    """What `send_dues_reminders(year)` would do at `now`; `lock` holds the dues rows until the
    transaction ends, so two clicks at once remind once."""
    now = now or timezone.now()
    dues = (
        MembershipDues.objects.filter(
            year=year, status=DuesStatus.PENDING, organisation__active=True
        )
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    if lock:
        dues = dues.select_for_update(of=("self",))
    dues = list(dues)
    coordinators = coordinators_by_organisation([row.organisation_id for row in dues])
    since = now - reminder_interval()
    plan = ReminderPlan(year=year)
    for row in dues:
        if row.reminded_at is not None and row.reminded_at > since:
            plan.recently_reminded.append(row)
        elif not coordinators[row.organisation_id]:
            plan.no_one_to_remind.append(row)
        else:
            plan.to_remind.append((row, coordinators[row.organisation_id]))
    return plan


def send_dues_reminders(year, by=None, now=None):
    """E-mail the coordinators of the active organisations whose dues for `year` are pending,
    each in the language of their membership, and record when on the dues (with an audit
    entry). Dues reminded within the interval are left alone, so a second click sends nothing;
    organisations without a coordinator are returned, never silently skipped."""
    now = now or timezone.now()
    with transaction.atomic():
        plan = reminder_plan(year, now, lock=True)
        for dues, coordinators in plan.to_remind:
            for membership in coordinators:
                context = {
                    "dues": dues,
                    "organisation": dues.organisation.name,
                    "first_name": membership.user.first_name,
                    "site_url": base_url(),
                }
                _send("dues_reminder", context, membership.language, [membership.user.email])
            dues.reminded_at = now
            dues.save(update_fields=["reminded_at"])
            _log(dues, DUES_REMINDED, by, year=year, coordinators=len(coordinators))
    return plan
