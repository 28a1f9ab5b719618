"""Membership (issue 12, item 5): an organisation applies through the public form (stored
pending, acknowledged by e-mail through the outbox, the committee told; limited; bad input
stores nothing), the committee accepts it (organisation, coordinator's invitation, e-mail,
audit entry, once) or rejects it in the admin, with its permission only; the dues of a year are
reminded to the coordinators of organisations that have not paid, in their language, not twice
within the interval, and the organisations with no one to remind are named; the criteria page
(site settings) and the form link to each other; the demo builds all of it."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, ModelLogEntry, Site

from committee import roles
from home.models import SiteSettings, StandardPage
from members import membership, services
from members.models import (
    ApplicationStatus,
    DuesStatus,
    Invitation,
    Membership,
    MembershipApplication,
    MembershipDues,
    Organisation,
    Role,
)
from tests import factories as f
from tests.roles_builders import client_for, person
from trainings import emails
from trainings.models import OutboxEmail

pytestmark = pytest.mark.django_db

FORM = "/espace-membres/adhesion/"
FORM_EN = "/en/espace-membres/adhesion/"
INDEX = "membership_applications:index"
DUES_INDEX = "wagtailsnippets_members_membershipdues:list"
REMIND = "wagtailsnippets_members_membershipdues:remind"


@pytest.fixture(autouse=True)
def now(frozen_now):
    return frozen_now


@pytest.fixture
def outbox(settings, monkeypatch):
    """E-mails as in production: written to the outbox, delivered after the commit."""
    settings.EMAIL_BACKEND = "trainings.outbox_backend.OutboxBackend"
    monkeypatch.setattr(emails, "run_after_commit", lambda function: function())
    return settings


@pytest.fixture
def committee():
    """A member of the training committee, as committee/roles.py and its migrations make it."""
    return person("comite@cqctp.org", roles.TRAINING_COMMITTEE, is_staff=True)


def form_data(**changes):
    data = {
        "organisation_name": "Centre Horizon",
        "sector": "community",
        "region": "05",
        "website": "horizon.example.org",
        "address": "",
        "contact_name": "Ana  Morales",
        "contact_email": "Ana.Morales@Example.org",
        "contact_phone": "819 555-0142",
        "motivation": "Nous accompagnons des travailleuses migrantes en Estrie.",
        "agrees": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def application(**fields):
    fields.setdefault("organisation_name", "Centre Horizon")
    fields.setdefault("sector", "community")
    fields.setdefault("region", "05")
    fields.setdefault("contact_name", "Ana Morales")
    fields.setdefault("contact_email", "ana@example.org")
    fields.setdefault("motivation", "Pour agir ensemble.")
    fields.setdefault("agreed_at", timezone.now())
    return MembershipApplication.objects.create(**fields)


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def url(name, obj):
    return reverse(f"membership_applications:{name}", args=[obj.pk])


def french(message):
    with translation.override("fr-ca"):
        return translation.gettext(message)


# -- The public form ---------------------------------------------------------------------------


def test_the_form_stores_a_pending_application_and_queues_the_e_mails(client, outbox, committee):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(FORM, form_data())
    assert response.status_code == 302 and response["Location"] == reverse(
        "members:membership_received"
    )

    (stored,) = MembershipApplication.objects.all()
    assert stored.status == ApplicationStatus.PENDING and stored.language == "fr-ca"
    assert stored.contact_email == "ana.morales@example.org"  # one spelling of an address
    assert stored.contact_name == "Ana Morales" and stored.website == "https://horizon.example.org"
    assert stored.agreed_at is not None and stored.decided_at is None

    # Two rows in the outbox, written with the application and delivered after the commit.
    rows = {row.to: row for row in OutboxEmail.objects.all()}
    assert set(rows) == {"ana.morales@example.org", "comite@cqctp.org"}
    assert all(row.sent_at is not None for row in rows.values())
    assert "Centre Horizon" in rows["ana.morales@example.org"].subject
    delivered = {message.to[0]: message for message in mail.outbox}
    assert delivered["ana.morales@example.org"].body.startswith("Bonjour Ana Morales,")
    notice = delivered["comite@cqctp.org"]
    admin_link = f"https://formations.test/admin/membership-applications/inspect/{stored.pk}/"
    assert admin_link in notice.body and "Centre Horizon" in notice.subject
    # The notice names the organisation only: the contact's details stay in the admin.
    assert "ana.morales" not in notice.body.lower() and "819" not in notice.body
    assert client.get(response["Location"]).status_code == 200


def test_the_english_form_keeps_its_language(client, outbox):
    response = client.post(FORM_EN, form_data())
    assert response.status_code == 302
    assert response["Location"] == "/en/espace-membres/adhesion/recue/"
    assert MembershipApplication.objects.get().language == "en"
    (acknowledgement,) = OutboxEmail.objects.filter(to="ana.morales@example.org")
    assert acknowledgement.body.startswith("Hello Ana Morales,")


def test_the_agreement_with_the_criteria_is_required(client, outbox, committee):
    response = client.post(FORM, form_data(agrees=None))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-describedby="id_agrees_error"' in html and 'id="id_agrees_error"' in html
    assert 'role="alert"' in html  # the summary above the form
    assert not MembershipApplication.objects.exists() and not OutboxEmail.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"organisation_name": "x" * 201},
        {"organisation_name": "   "},
        {"contact_email": "ana@"},
        {"contact_email": "a" * 250 + "@example.org"},
        {"sector": "pirates"},
        {"region": "99"},
        {"website": "javascript:alert(1)"},
        {"contact_phone": "appelez-moi"},
        {"motivation": "m" * 2001},
        {"motivation": ""},
        {"contact_name": "n" * 151},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_bad_input_stores_nothing_and_says_why(client, outbox, changes):
    response = client.post(FORM, form_data(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == set(changes)
    assert f'id="id_{next(iter(changes))}_error"' in response.content.decode()
    assert not MembershipApplication.objects.exists() and not OutboxEmail.objects.exists()


def test_hostile_posts_are_answered_not_a_500(client):
    for data in ({}, {"sector": ["community", "health"]}, {"agrees": "on" * 5000}):
        assert client.post(FORM, data).status_code == 200
    assert client.post(FORM, form_data(organisation_name="Centre\x00Horizon")).status_code in (
        200,
        400,
    )
    assert client.put(FORM).status_code == 405
    assert not MembershipApplication.objects.exists()


def test_an_organisation_already_member_is_sent_to_the_account_requests(client):
    f.organisation("Centre Horizon")
    response = client.post(FORM, form_data(organisation_name="centre  HORIZON"))
    assert response.status_code == 200 and "organisation_name" in response.context["form"].errors
    assert not MembershipApplication.objects.exists()
    # A former member (inactive) may apply again; the committee sees the name is taken.
    Organisation.objects.update(active=False)
    assert client.post(FORM, form_data()).status_code == 302
    (pending,) = membership.membership_applications()
    assert pending.name_taken


def test_applications_are_limited_per_address_and_per_client(client):
    for number in range(membership.APPLY_LIMIT_PER_ADDRESS):
        response = client.post(FORM, form_data(organisation_name=f"Centre {number}"))
        assert response.status_code == 302
    refused = client.post(FORM, form_data(organisation_name="Centre encore"))
    assert refused.status_code == 429 and refused.context["form"].non_field_errors()
    assert MembershipApplication.objects.count() == membership.APPLY_LIMIT_PER_ADDRESS

    other = Client(REMOTE_ADDR="192.0.2.7")
    for number in range(membership.APPLY_LIMIT_PER_CLIENT):
        data = form_data(contact_email=f"p{number}@example.org", organisation_name=f"O{number}")
        assert other.post(FORM, data).status_code == 302
    data = form_data(contact_email="nouvelle@example.org", organisation_name="Encore une")
    assert other.post(FORM, data).status_code == 429
    assert not MembershipApplication.objects.filter(organisation_name="Encore une").exists()


def test_a_mail_backend_that_fails_keeps_nothing(client, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(membership, "send_mail", refuse)
    response = client.post(FORM, form_data())
    assert response.status_code == 503 and response.context["form"].non_field_errors()
    assert not MembershipApplication.objects.exists()


# -- The criteria page and the form link to each other ------------------------------------------


def test_the_form_links_the_criteria_page_in_the_visitors_language(client):
    home = f.home_page()
    criteria = StandardPage(title="Critères d’adhésion", slug="criteres")
    home.add_child(instance=criteria)
    criteria.save_revision().publish()
    english = f.translation(criteria, "Membership criteria", slug="criteria")
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.membership_criteria_page = criteria
    site_settings.save()

    assert f'href="{criteria.url}"' in client.get(FORM).content.decode()
    assert f'href="{english.url}"' in client.get(FORM_EN).content.decode()
    received = client.get("/en/espace-membres/adhesion/recue/").content.decode()
    assert f'href="{english.url}"' in received


def test_without_a_criteria_page_the_form_still_says_the_principles(client):
    html = client.get(FORM).content.decode()
    assert 'name="agrees"' in html and 'type="checkbox"' in html
    assert 'autocomplete="organization"' in html and 'autocomplete="email"' in html


# -- The committee's decisions ---------------------------------------------------------------


def test_accepting_creates_the_organisation_the_invitation_and_the_e_mail_once(committee, outbox):
    pending = application(contact_email="ana@example.org", language="en", website="https://h.org")
    client = client_for(committee)
    page = client.get(url("accept", pending)).content.decode()
    assert "Centre Horizon" in page and "csrfmiddlewaretoken" in page

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url("accept", pending), {"note": "Vu en rencontre."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(INDEX)
    assert any("ana@example.org" in text for text in messages_of(response))

    organisation = Organisation.objects.get(name="Centre Horizon")
    assert organisation.active and organisation.member_since == 2026
    assert (organisation.sector, organisation.region) == ("community", "05")
    assert organisation.website == "https://h.org" and organisation.contact_email == ""
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.email == "ana@example.org" and invitation.invited_by == committee
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.ACCEPTED and pending.decided_by == committee
    assert pending.organisation == organisation and pending.invitation == invitation
    assert pending.committee_note == "Vu en rencontre." and pending.decided_at is not None

    (queued,) = OutboxEmail.objects.filter(to="ana@example.org")
    assert queued.sent_at is not None
    (sent,) = mail.outbox
    assert sent.body.startswith("Hello Ana Morales,")  # the application's language
    assert f"https://formations.test/en/espace-membres/invitation/{invitation.token}/" in sent.body
    (entry,) = ModelLogEntry.objects.filter(action=membership.ACCEPTED)
    assert entry.object_id == str(pending.pk) and entry.user == committee

    # Twice: refused with a message, nothing more.
    again = client.post(url("accept", pending), follow=True)
    assert french("This application has already been decided.") in messages_of(again)
    assert client.get(url("accept", pending)).status_code == 302
    assert Organisation.objects.count() == 1 and Invitation.objects.count() == 1
    assert OutboxEmail.objects.filter(to="ana@example.org").count() == 1
    with pytest.raises(services.AlreadyDecided):
        membership.accept_application(pending.pk, by=committee)

    # The invitation creates the organisation's coordinator.
    user = services.accept(invitation, "Ana", "Morales", "un mot de passe long", "en")
    assert user.membership.role == Role.COORDINATOR
    assert user.membership.organisation == organisation


def test_an_ordinary_invitation_still_creates_a_member():
    organisation = f.organisation()
    invitation = Invitation.objects.create(organisation=organisation, email="collegue@example.org")
    user = services.accept(invitation, "C", "D", "un mot de passe long", "fr-ca")
    assert user.membership.role == Role.MEMBER


def test_accepting_when_the_contact_has_an_account_invites_no_one(committee, outbox):
    f.user("ana@example.org")
    pending = application(contact_email="ana@example.org")
    response = client_for(committee).post(url("accept", pending), follow=True)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.ACCEPTED and pending.invitation is None
    assert Organisation.objects.filter(name="Centre Horizon").exists()
    assert not Invitation.objects.exists()
    (sent,) = OutboxEmail.objects.filter(to="ana@example.org")
    assert "https://formations.test/espace-membres/connexion/" in sent.body


def test_accepting_a_name_already_taken_changes_nothing(committee, outbox):
    f.organisation("CENTRE HORIZON", active=False)
    pending = application()
    response = client_for(committee).post(url("accept", pending), follow=True)
    assert any("Centre Horizon" in text for text in messages_of(response))
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING
    assert Organisation.objects.count() == 1 and not Invitation.objects.exists()
    assert not OutboxEmail.objects.exists() and not ModelLogEntry.objects.exists()


def test_rejecting_records_the_decision_and_writes_politely_once(committee, outbox):
    pending = application(language="fr-ca")
    client = client_for(committee)
    assert client.get(url("reject", pending)).status_code == 200
    response = client.post(url("reject", pending), {"note": "Hors mandat."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(INDEX)
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.REJECTED and pending.decided_by == committee
    assert pending.committee_note == "Hors mandat." and pending.organisation is None
    assert not Organisation.objects.exists() and not Invitation.objects.exists()
    (sent,) = OutboxEmail.objects.filter(to="ana@example.org")
    assert sent.body.startswith("Bonjour Ana Morales,") and "Hors mandat" not in sent.body
    (entry,) = ModelLogEntry.objects.filter(action=membership.REJECTED)
    assert entry.user == committee
    history = client.get(url("history", pending))
    assert history.status_code == 200

    again = client.post(url("reject", pending), follow=True)
    assert french("This application has already been decided.") in messages_of(again)
    assert OutboxEmail.objects.filter(to="ana@example.org").count() == 1
    assert ModelLogEntry.objects.filter(action=membership.REJECTED).count() == 1


def test_the_listing_filters_by_status_sector_and_region(committee):
    estrie = application(organisation_name="A", region="05")
    montreal = application(organisation_name="B", region="06", sector="health")
    accepted = application(organisation_name="C", status=ApplicationStatus.ACCEPTED)
    client = client_for(committee)

    def listed(**query):
        response = client.get(reverse(INDEX), query)
        assert response.status_code == 200
        return {row.pk for row in response.context["object_list"]}

    assert listed() == {estrie.pk, montreal.pk}  # pending unless asked
    assert listed(status="all") == {estrie.pk, montreal.pk, accepted.pk}
    assert listed(status="accepted") == {accepted.pk}
    assert listed(sector="health") == {montreal.pk}
    assert listed(region="05") == {estrie.pk}
    assert {estrie.pk, montreal.pk} <= listed(region="pas-une-region")  # ignored, not a 500
    html = client.get(reverse(INDEX)).content.decode()
    assert url("accept", estrie) in html and url("reject", montreal) in html
    assert client.get(url("inspect", estrie)).status_code == 200


def test_only_the_committee_may_review(client, committee):
    pending = application()
    organisation = f.organisation("Organisme A")
    editor = person("redaction@a.example.org", roles.ORGANISATION_EDITORS, organisation)
    coordinator = f.member(organisation, role="coordinator")
    addresses = [
        reverse(INDEX),
        url("inspect", pending),
        url("accept", pending),
        url("reject", pending),
        reverse(DUES_INDEX),
        reverse(REMIND),
    ]
    admin_home = reverse("wagtailadmin_home")
    for address in addresses:
        assert client.get(address).status_code == 302  # anonymous: the admin's sign-in
        assert "/admin/login/" in client.get(address)["Location"]
    for outsider in (editor, coordinator):
        other = client_for(outsider)
        for address in addresses:
            response = other.get(address)
            assert response.status_code == 302, address
            assert response["Location"] == admin_home or "/admin/login/" in response["Location"]
        assert other.post(url("accept", pending)).status_code == 302
        xhr = other.post(url("reject", pending), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        assert xhr.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING and not Invitation.objects.exists()

    reviewer = client_for(committee)
    for address in addresses:
        assert reviewer.get(address).status_code == 200, address


def test_the_committee_finds_the_screens_in_the_members_menu(committee):
    html = client_for(committee).get("/admin/").content.decode()
    assert reverse(INDEX) in html and reverse(DUES_INDEX) in html


# -- Dues reminders ----------------------------------------------------------------------------

YEAR = 2026


def coordinator(organisation, email, language="fr-ca", first_name="Dominique"):
    user = f.member(organisation, role="coordinator", email=email)
    user.first_name = first_name
    user.save()
    Membership.objects.filter(user=user).update(language=language)
    return user


@pytest.fixture
def dues_world():
    """Who owes what for YEAR: two organisations that have not paid (with coordinators, one in
    English), one that paid, one exempt, one that has not paid and has no coordinator, one
    inactive, and an unpaid year that is not YEAR."""
    world = {name: f.organisation(name) for name in ("Phare", "Refuge", "Payé", "Exempté")}
    world["Sans coordination"] = f.organisation("Sans coordination")
    world["Ancien"] = f.organisation("Ancien", active=False)
    coordinator(world["Phare"], "coord@phare.org", "fr-ca")
    coordinator(world["Phare"], "coord2@phare.org", "en", first_name="Sam")
    f.member(world["Phare"], email="membre@phare.org")  # a member only: not reminded
    coordinator(world["Refuge"], "coord@refuge.org", "en", first_name="Robin")
    coordinator(world["Payé"], "coord@paye.org")
    coordinator(world["Exempté"], "coord@exempte.org")
    coordinator(world["Ancien"], "coord@ancien.org")
    f.member(world["Sans coordination"], email="membre@sans.org")
    statuses = {
        "Phare": DuesStatus.PENDING,
        "Refuge": DuesStatus.PENDING,
        "Payé": DuesStatus.PAID,
        "Exempté": DuesStatus.EXEMPT,
        "Sans coordination": DuesStatus.PENDING,
        "Ancien": DuesStatus.PENDING,
    }
    for name, status in statuses.items():
        MembershipDues.objects.create(
            organisation=world[name], year=YEAR, status=status, amount=Decimal("150")
        )
    MembershipDues.objects.create(organisation=world["Payé"], year=YEAR - 1)
    return world


def test_reminders_go_to_the_coordinators_of_unpaid_dues_in_their_language(dues_world, outbox):
    moment = timezone.now()
    plan = membership.send_dues_reminders(YEAR, now=moment)

    sent = {row.to: row for row in OutboxEmail.objects.all()}
    assert set(sent) == {"coord@phare.org", "coord2@phare.org", "coord@refuge.org"}
    assert sent["coord@phare.org"].body.startswith("Bonjour Dominique,")
    assert "150,00" in sent["coord@phare.org"].body  # the amount, written the French way
    assert sent["coord2@phare.org"].body.startswith("Hello Sam,")
    assert sent["coord@refuge.org"].body.startswith("Hello Robin,")
    assert "150.00" in sent["coord@refuge.org"].body
    assert all(str(YEAR) in row.subject for row in sent.values())
    assert "Phare" in sent["coord@phare.org"].subject

    assert [dues.organisation.name for dues, _people in plan.to_remind] == ["Phare", "Refuge"]
    assert [dues.organisation.name for dues in plan.no_one_to_remind] == ["Sans coordination"]
    reminded = MembershipDues.objects.filter(year=YEAR, reminded_at__isnull=False)
    assert {dues.organisation.name for dues in reminded} == {"Phare", "Refuge"}
    assert reminded.first().reminded_at == moment
    assert ModelLogEntry.objects.filter(action=membership.DUES_REMINDED).count() == 2


def test_no_organisation_is_reminded_twice_within_the_interval(dues_world, outbox, settings):
    settings.DUES_REMINDER_INTERVAL_DAYS = 14
    first = timezone.now()
    membership.send_dues_reminders(YEAR, now=first)
    count = OutboxEmail.objects.count()

    again = membership.send_dues_reminders(YEAR, now=first + datetime.timedelta(seconds=1))
    assert OutboxEmail.objects.count() == count and again.to_remind == []
    assert {dues.organisation.name for dues in again.recently_reminded} == {"Phare", "Refuge"}
    later = membership.send_dues_reminders(YEAR, now=first + datetime.timedelta(days=13))
    assert later.to_remind == [] and OutboxEmail.objects.count() == count

    after = membership.send_dues_reminders(YEAR, now=first + datetime.timedelta(days=15))
    assert len(after.to_remind) == 2 and OutboxEmail.objects.count() == 2 * count


def test_the_committee_sends_the_reminders_from_the_admin_once(dues_world, committee, outbox):
    client = client_for(committee)
    page = client.get(reverse(REMIND), {"year": YEAR})
    html = page.content.decode()
    assert page.status_code == 200 and "csrfmiddlewaretoken" in html
    assert "coord@phare.org" in html and "Sans coordination" in html
    assert not OutboxEmail.objects.exists()  # looking sends nothing

    listing = client.get(reverse(DUES_INDEX), {"year": YEAR, "status": "pending"})
    assert {row.organisation.name for row in listing.context["object_list"]} == {
        "Phare",
        "Refuge",
        "Sans coordination",
        "Ancien",
    }
    assert f"{reverse(REMIND)}?year={YEAR}" in listing.content.decode()

    response = client.post(reverse(REMIND), {"year": YEAR}, follow=True)
    texts = messages_of(response)
    assert any("Phare" in text and "Refuge" in text for text in texts)
    assert any("Sans coordination" in text for text in texts)  # named, not silently skipped
    assert OutboxEmail.objects.count() == 3
    client.post(reverse(REMIND), {"year": YEAR})  # a double click
    assert OutboxEmail.objects.count() == 3

    assert client.post(reverse(REMIND), {"year": "1999"}).status_code == 302
    assert OutboxEmail.objects.count() == 3


def test_the_view_permission_alone_cannot_send_reminders(dues_world):
    from django.contrib.auth.models import Permission

    viewer = f.user("lecture@cqctp.org", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_membershipdues"])
    )
    client = client_for(viewer)
    assert client.get(reverse(DUES_INDEX)).status_code == 200
    assert reverse(REMIND) not in client.get(reverse(DUES_INDEX)).content.decode()
    assert client.post(reverse(REMIND), {"year": YEAR}).status_code == 302
    assert not mail.outbox and not OutboxEmail.objects.exists()
    assert not MembershipDues.objects.filter(reminded_at__isnull=False).exists()


def test_the_command_reminds_and_names_who_has_no_one(dues_world, outbox):
    from io import StringIO

    out = StringIO()
    call_command("remind_dues", "--year", str(YEAR), stdout=out)
    text = out.getvalue()
    assert "Reminded: Phare (coord2@phare.org, coord@phare.org)" in text
    assert "No one to remind (no coordinator): Sans coordination" in text
    assert OutboxEmail.objects.count() == 3

    out = StringIO()
    call_command("remind_dues", "--year", str(YEAR), stdout=out)
    assert "Not again" in out.getvalue() and OutboxEmail.objects.count() == 3


def test_dues_are_unique_per_organisation_and_year():
    from django.db import IntegrityError, transaction

    organisation = f.organisation()
    MembershipDues.objects.create(organisation=organisation, year=YEAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipDues.objects.create(organisation=organisation, year=YEAR)


def test_the_dues_form_refuses_a_payment_date_on_unpaid_dues(committee):
    from django.core.exceptions import ValidationError

    dues = MembershipDues(
        organisation=f.organisation(), year=YEAR, paid_on=datetime.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError):
        dues.full_clean()
    dues.status = DuesStatus.PAID
    dues.full_clean()


# -- The demo ------------------------------------------------------------------------------------


def test_the_demo_builds_the_criteria_page_applications_and_dues(demo, client):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    criteria = site_settings.membership_criteria_page.specific
    english = criteria.get_translation(Locale.objects.get(language_code="en"))
    assert criteria.live and english.live
    french_page = client.get(criteria.url).content.decode()
    assert f'href="{FORM}"' in french_page  # the page links the form, and back
    assert f'href="{FORM_EN}"' in client.get(english.url).content.decode()
    assert f'href="{criteria.url}"' in client.get(FORM).content.decode()

    assert MembershipApplication.objects.filter(status=ApplicationStatus.PENDING).count() == 2
    year = timezone.localdate().year
    statuses = set(MembershipDues.objects.filter(year=year).values_list("status", flat=True))
    assert statuses == {DuesStatus.PENDING, DuesStatus.PAID, DuesStatus.EXEMPT}
    plan = membership.reminder_plan(year)
    assert plan.to_remind and plan.no_one_to_remind

    counts = (MembershipApplication.objects.count(), MembershipDues.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (MembershipApplication.objects.count(), MembershipDues.objects.count()) == counts


def test_the_demo_dues_follow_the_injected_day():
    from demo import membership as demo_membership

    for name in ("Maison d'hébergement Le Phare", "CIUSSS (démo)"):
        f.organisation(name)
    demo_membership.ensure_dues(datetime.date(2031, 2, 1))
    assert set(MembershipDues.objects.values_list("year", flat=True)) == {2031}
    assert get_user_model().objects.count() == 0


def test_the_contact_s_details_are_in_their_data_and_go_with_their_account(client):
    from trainings.privacy import close_account

    kept = application(contact_email="Contact@Example.org")
    member = f.member(email="contact@example.org")
    client.force_login(member)
    data = client.get("/espace-membres/mes-donnees.json").json()
    assert [item["contact_email"] for item in data["membership_applications"]] == [
        "Contact@Example.org"
    ]
    assert close_account(member)["membership_applications_deleted"] == 1
    kept.refresh_from_db()
    assert (kept.contact_name, kept.contact_email, kept.contact_phone) == ("", "", "")
    assert kept.organisation_name  # the organisation's record stays
