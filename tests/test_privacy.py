"""Law 25: a member downloads their data and closes their account; old data are anonymised."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from members.models import Invitation, Membership, SignUpRequest
from tests import factories as f
from trainings import privacy, services
from trainings.models import Enrolment, OutboxEmail, TrainingSession

pytestmark = pytest.mark.django_db

User = get_user_model()


def committed(function, *args, **kwargs):
    """Run the after-commit callbacks (e-mails) as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def member(organisation, first_name="", last_name="", email=None, role="member"):
    person = f.user(email, first_name=first_name, last_name=last_name)
    Membership.objects.create(user=person, organisation=organisation, role=role)
    return person


def enrol(person, session, **answers):
    answers.setdefault("consent", True)
    return committed(services.enrol, person, session, **answers)


def past_enrolment(person, days_ago, **fields):
    """A confirmed enrolment in a session that ended `days_ago` days ago."""
    page = f.training(sessions=[f.session(-days_ago)])
    session = page.sessions.get()
    fields.setdefault("status", "confirmed")
    fields.setdefault("accessibility_needs", "Rampe d'accès")
    fields.setdefault("interpretation_language", "LSQ")
    fields.setdefault("comment", "Merci")
    return Enrolment.objects.create(
        session=session, user=person, consent_at=session.start, **fields
    )


@pytest.fixture
def organisation(db):
    return f.organisation("Maison Passage")


@pytest.fixture
def alice(organisation):
    return member(organisation, "Alice", "Tremblay", "alice@example.org")


@pytest.fixture
def session(db):
    page = f.training(title="Repérer la traite", sessions=[f.session(10, capacity=2)])
    return page.sessions.get()


# -- Export ----------------------------------------------------------------------------------


def test_export_holds_the_persons_answers_and_nothing_of_another_member(
    client, organisation, alice, session
):
    colleague = member(
        organisation, "Bertrand", "Gagnon", "bertrand@example.org", role="coordinator"
    )
    enrol(
        alice,
        session,
        accessibility_needs="Fauteuil roulant",
        interpretation_language="LSQ",
        comment="J'arriverai en retard",
    )
    enrol(colleague, session, accessibility_needs="Grands caractères", comment="Secret de B.")
    SignUpRequest.objects.create(
        first_name="Alice",
        last_name="Tremblay",
        email="ALICE@example.org",
        organisation=organisation,
    )
    Invitation.objects.create(
        organisation=organisation, email="alice@example.org", invited_by=colleague
    )

    client.force_login(alice)
    response = client.get(reverse("enrolments:export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees-cqctp.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "alice@example.org"
    assert data["account"]["first_name"] == "Alice"
    assert data["membership"]["organisation"] == "Maison Passage"
    assert data["membership"]["role"] == "member"
    [enrolment] = data["enrolments"]
    assert enrolment["training"] == "Repérer la traite"
    assert enrolment["status"] == "confirmed"
    assert enrolment["answers"] == {
        "accessibility_needs": "Fauteuil roulant",
        "interpretation_language": "LSQ",
        "comment": "J'arriverai en retard",
    }
    assert enrolment["enrolled_by_a_coordinator_of_your_organisation"] is False
    start = datetime.datetime.fromisoformat(enrolment["session_start"])
    assert start.utcoffset() is not None and start == session.start
    assert enrolment["consent_at"] is not None
    assert len(data["sign_up_requests"]) == 1
    assert data["invitations_received"][0]["organisation"] == "Maison Passage"
    [email] = data["emails"]
    assert email["kind"] == "confirmed" and email["sent_at"] is not None
    assert "body" not in email

    text = response.content.decode()
    for other in ("Bertrand", "Gagnon", "bertrand@example.org", "Grands caractères", "Secret"):
        assert other not in text


def test_export_needs_a_signed_in_person(client, alice):
    response = client.get(reverse("enrolments:export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("members:login"))


# -- Closing an account ----------------------------------------------------------------------


@pytest.fixture
def full_session(session, alice, organisation):
    """Alice and Carole hold the two seats; Denis then Émilie wait."""
    enrol(alice, session, accessibility_needs="Fauteuil roulant", comment="Merci")
    for name in ("Carole", "Denis", "Émilie"):
        enrol(member(organisation, name, "Roy"), session)
    return session


def close(client, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("enrolments:close_account"), data)


def test_closing_an_account_frees_the_seat_and_keeps_the_counts(client, alice, full_session):
    past = past_enrolment(alice, 30)
    SignUpRequest.objects.create(
        first_name="Alice",
        last_name="T",
        email="Alice@Example.org",
        organisation=past.session.page.provider,
    )
    Invitation.objects.create(organisation=alice.membership.organisation, email="alice@example.org")
    other_request = SignUpRequest.objects.create(
        first_name="Zoé",
        last_name="L",
        email="zoe@example.org",
        organisation=past.session.page.provider,
    )
    mail.outbox.clear()

    client.force_login(alice)
    response = close(client, understood="on")

    assert response.status_code == 302
    assert response["Location"] == "/"
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "success"
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="alice@example.org").exists()
    assert not Membership.objects.filter(user_id=alice.pk).exists()
    assert not SignUpRequest.objects.filter(email__iexact="alice@example.org").exists()
    assert not Invitation.objects.filter(email__iexact="alice@example.org").exists()
    assert SignUpRequest.objects.filter(pk=other_request.pk).exists()
    assert not OutboxEmail.objects.filter(to__iexact="alice@example.org").exists()

    # The freed seat went to Denis, the first waiting; Émilie still waits.
    statuses = dict(
        full_session.enrolments.exclude(user=None).values_list("user__first_name", "status")
    )
    assert statuses == {"Carole": "confirmed", "Denis": "confirmed", "Émilie": "waiting"}
    seats = TrainingSession.objects.with_seats().get(pk=full_session.pk)
    assert seats.seats_taken == 2
    # Denis was told; nothing went to Alice.
    denis = User.objects.get(first_name="Denis")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([denis.email], OutboxEmail.objects.get(kind="promoted").subject)
    ]

    # Alice's rows remain, anonymous, for the counts: the upcoming one cancelled, the past one
    # still confirmed (she attended).
    anonymous = Enrolment.objects.filter(user=None).order_by("session__start")
    assert [(row.session_id, row.status) for row in anonymous] == [
        (past.session_id, "confirmed"),
        (full_session.pk, "cancelled"),
    ]
    for row in anonymous:
        assert row.anonymised_at is not None
        assert (row.accessibility_needs, row.interpretation_language, row.comment) == ("", "", "")
    assert TrainingSession.objects.with_seats().get(pk=past.session_id).seats_taken == 1


def test_close_account_returns_what_it_did(alice, full_session):
    past_enrolment(alice, 30)
    summary = committed(privacy.close_account, alice)
    assert summary["enrolments_cancelled"] == 1
    assert summary["enrolments_anonymised"] == 2
    assert summary["emails_deleted"] == 2  # "confirmed", then "cancelled" (never sent)
    assert summary["memberships_deleted"] == 1
    assert summary["accounts_deleted"] == 1


def snapshot():
    return (
        list(User.objects.order_by("pk").values_list("pk", "email")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id")),
        list(
            Enrolment.objects.order_by("pk").values_list(
                "pk", "user_id", "status", "accessibility_needs", "anonymised_at"
            )
        ),
        list(OutboxEmail.objects.order_by("pk").values_list("pk", "to")),
    )


def test_the_confirmation_page_explains_and_changes_nothing(client, alice, full_session):
    before = snapshot()
    client.force_login(alice)
    response = client.get(reverse("enrolments:close_account"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="checkbox" name="understood"' in content
    assert 'for="id_understood"' in content
    assert "csrfmiddlewaretoken" in content
    assert reverse("enrolments:export") in content
    assert response.context["upcoming_count"] == 1
    assert snapshot() == before


def test_without_the_checkbox_nothing_changes_and_the_form_says_why(client, alice, full_session):
    before = snapshot()
    client.force_login(alice)
    response = close(client)
    assert response.status_code == 200
    assert "understood" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert snapshot() == before
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_an_anonymous_post_changes_nothing(client, alice, full_session):
    before = snapshot()
    response = close(client, understood="on")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("members:login"))
    assert snapshot() == before


def test_a_post_without_the_csrf_token_is_refused(alice, full_session):
    before = snapshot()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("enrolments:close_account"), {"understood": "on"})
    assert response.status_code == 403
    assert snapshot() == before


# -- Purge after the retention period ---------------------------------------------------------


@pytest.fixture
def old_and_recent(alice):
    old = past_enrolment(alice, 4 * 365)
    recent = past_enrolment(alice, 30)
    four_years_ago = timezone.now() - datetime.timedelta(days=4 * 365)
    old_email = OutboxEmail.objects.create(
        to=alice.email, subject="Ancien", body="…", kind="confirmed", created=four_years_ago
    )
    recent_email = OutboxEmail.objects.create(
        to=alice.email, subject="Récent", body="…", kind="confirmed"
    )
    return old, recent, old_email, recent_email


def test_purge_anonymises_enrolments_of_sessions_over_three_years_old(alice, old_and_recent):
    old, recent, old_email, recent_email = old_and_recent

    result = privacy.purge_old_personal_data()

    assert result["enrolments_anonymised"] == 1
    assert result["emails_deleted"] == 1
    old.refresh_from_db()
    assert old.user is None and old.anonymised_at is not None
    assert (old.accessibility_needs, old.interpretation_language, old.comment) == ("", "", "")
    assert old.status == "confirmed"  # still counted
    recent.refresh_from_db()
    assert recent.user == alice and recent.accessibility_needs == "Rampe d'accès"
    assert recent.anonymised_at is None
    assert not OutboxEmail.objects.filter(pk=old_email.pk).exists()
    assert OutboxEmail.objects.filter(pk=recent_email.pk).exists()
    assert User.objects.filter(pk=alice.pk).exists()  # accounts are left alone


def test_purging_twice_is_harmless(alice, old_and_recent):
    old = old_and_recent[0]
    privacy.purge_old_personal_data()
    old.refresh_from_db()
    first = old.anonymised_at
    before = snapshot()

    result = privacy.purge_old_personal_data()

    assert result["enrolments_anonymised"] == 0 and result["emails_deleted"] == 0
    old.refresh_from_db()
    assert old.anonymised_at == first
    assert snapshot() == before


def test_the_command_dry_run_changes_nothing(alice, old_and_recent):
    before = snapshot()
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    output = out.getvalue()
    assert "Would anonymise 1 enrolment(s)" in output
    assert "nothing was changed" in output
    assert "alice" not in output.lower() and "Rampe" not in output
    assert snapshot() == before


def test_the_command_honours_years(alice, old_and_recent):
    old = old_and_recent[0]
    call_command("purge_personal_data", "--years", "5", stdout=io.StringIO())
    old.refresh_from_db()
    assert old.anonymised_at is None
    call_command("purge_personal_data", stdout=io.StringIO())
    old.refresh_from_db()
    assert old.anonymised_at is not None
