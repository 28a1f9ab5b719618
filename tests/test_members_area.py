"""The members' area: sign-in, sign-up request, invitation, enrolment views and who may do what."""

import re

import pytest
from django.core import mail
from django.test import TestCase

from members.models import Invitation, Membership, SignUpRequest
from tests import factories as f
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db


def member(organisation=None, role="member", email=None, password="Un-mot-de-passe-solide-42"):
    user = f.user(email)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, organisation=organisation or f.organisation(), role=role)
    return user


@pytest.fixture
def session(db):
    page = f.training(title="Repérer la traite", sessions=[f.session(10, capacity=1)])
    return page.sessions.get()


def enrol_form(**extra):
    return {
        "consent": "on",
        "accessibility_needs": "",
        "interpretation_language": "",
        "comment": "",
        **extra,
    }


def post(client, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


# -- Sign-in -----------------------------------------------------------------------------------


def test_sign_in_with_email_any_case(client):
    member(email="Alex@Example.org")
    response = client.post(
        "/espace-membres/connexion/",
        {"username": "alex@example.org", "password": "Un-mot-de-passe-solide-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/espace-membres/"


def test_failed_sign_in_does_not_say_whether_the_address_exists(client):
    member(email="alex@example.org")
    wrong_password = client.post(
        "/espace-membres/connexion/", {"username": "alex@example.org", "password": "non"}
    ).content.decode()
    unknown = client.post(
        "/espace-membres/connexion/", {"username": "personne@example.org", "password": "non"}
    ).content.decode()
    message = "Ce courriel et ce mot de passe ne correspondent pas."
    assert message in wrong_password and message in unknown


def test_repeated_failures_lock_the_sign_in_for_a_while(client):
    member(email="alex@example.org")
    for _ in range(5):
        client.post("/espace-membres/connexion/", {"username": "alex@example.org", "password": "x"})
    locked = client.post(
        "/espace-membres/connexion/",
        {"username": "alex@example.org", "password": "Un-mot-de-passe-solide-42"},
    )
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_only_to_existing_accounts(client):
    member(email="alex@example.org")
    client.post("/espace-membres/mot-de-passe/", {"email": "ALEX@example.org"})
    client.post("/espace-membres/mot-de-passe/", {"email": "inconnu@example.org"})
    assert [m.to for m in mail.outbox] == [["alex@example.org"]]
    link = re.search(r"http://testserver(/espace-membres/mot-de-passe/\S+/)", mail.outbox[0].body)
    assert link and client.get(link.group(1), follow=True).status_code == 200


def test_sign_up_request_is_stored_for_the_committee(client):
    organisation = f.organisation("Maison Le Phare")
    response = client.post(
        "/espace-membres/demande-de-compte/",
        {
            "first_name": "Alex",
            "last_name": "Tremblay",
            "email": "Alex@Example.org",
            "organisation": organisation.pk,
            "role": "member",
        },
    )
    assert response.status_code == 200
    request = SignUpRequest.objects.get()
    assert request.email == "alex@example.org" and request.status == "pending"


def test_sign_up_request_with_bad_input_changes_nothing(client):
    response = client.post(
        "/espace-membres/demande-de-compte/",
        {"first_name": "", "email": "pas-un-courriel", "organisation": "999", "role": "roi"},
    )
    assert response.status_code == 200
    assert "Veuillez corriger les champs signalés." in response.content.decode()
    assert not SignUpRequest.objects.exists()


# -- Invitations -------------------------------------------------------------------------------


def test_coordinator_invites_a_colleague_who_creates_an_account(client):
    organisation = f.organisation("Maison Le Phare")
    coordinator = member(organisation, role="coordinator")
    client.force_login(coordinator)
    client.post("/espace-membres/inviter/", {"email": "Nouvelle@Example.org"})
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle@example.org"
    assert invitation.token in mail.outbox[0].body
    client.logout()
    url = f"/espace-membres/invitation/{invitation.token}/"
    response = client.post(
        url,
        {
            "first_name": "Nour",
            "last_name": "B",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nouvelle@example.org")
    assert membership.organisation == organisation and membership.role == "member"
    # Single use.
    assert client.get(url).status_code == 404


def test_only_coordinators_invite(client):
    client.force_login(member())
    assert client.get("/espace-membres/inviter/").status_code == 404


# -- Enrolment through the site ------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, session):
    response = client.get(f"/espace-membres/inscription/{session.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/espace-membres/connexion/?next=")
    post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    assert not Enrolment.objects.exists()


def test_member_enrols_gets_the_email_and_sees_it_in_my_trainings(client, session):
    person = member()
    client.force_login(person)
    form = client.get(f"/espace-membres/inscription/{session.pk}/").content.decode()
    assert "Repérer la traite" in form and 'name="consent"' in form
    response = post(
        client,
        f"/espace-membres/inscription/{session.pk}/",
        enrol_form(interpretation_language="LSQ"),
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=person)
    assert enrolment.status == "confirmed" and enrolment.interpretation_language == "LSQ"
    assert mail.outbox[-1].attachments[0][2] == "text/calendar"
    page = client.get("/espace-membres/").content.decode()
    assert "Repérer la traite" in page and "Confirmée" in page


def test_enrolment_without_consent_changes_nothing(client, session):
    client.force_login(member())
    response = post(client, f"/espace-membres/inscription/{session.pk}/", {"consent": ""})
    assert response.status_code == 200
    assert "acceptez l’utilisation de vos réponses" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_double_submission_creates_one_enrolment(client, session):
    client.force_login(member())
    post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    response = post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    assert Enrolment.objects.count() == 1
    follow = client.get(response["Location"]).content.decode()
    assert "déjà inscrit·e" in follow


def test_full_session_puts_the_member_on_the_waiting_list(client, session):
    client.force_login(member())
    post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    other = member()
    client.force_login(other)
    post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    page = client.get("/espace-membres/").content.decode()
    assert "Liste d’attente, position 1" in page


def test_cancel_frees_the_seat_for_the_first_person_waiting(client, session):
    first, second = member(), member(email="deuxieme@example.org")
    for person in (first, second):
        client.force_login(person)
        post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    client.force_login(first)
    mine = Enrolment.objects.get(user=first)
    mail.outbox.clear()
    response = post(client, f"/espace-membres/inscriptions/{mine.pk}/annuler/")
    assert response.status_code == 302
    assert Enrolment.objects.get(user=second).status == "confirmed"
    assert "deuxieme@example.org" in [m.to[0] for m in mail.outbox]


def test_cancel_needs_post(client, session):
    person = member()
    client.force_login(person)
    post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    enrolment = Enrolment.objects.get()
    assert client.get(f"/espace-membres/inscriptions/{enrolment.pk}/annuler/").status_code == 405
    assert Enrolment.objects.get().status == "confirmed"


def test_another_members_enrolment_answers_404(client, session):
    owner = member()
    client.force_login(owner)
    post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    enrolment = Enrolment.objects.get()
    client.force_login(member())  # same training, another organisation
    assert post(client, f"/espace-membres/inscriptions/{enrolment.pk}/annuler/").status_code == 404
    url = f"/espace-membres/inscriptions/{enrolment.pk}/calendrier.ics"
    assert client.get(url).status_code == 404
    assert Enrolment.objects.get().status == "confirmed"


def test_coordinator_acts_for_their_organisation_only(client, session):
    organisation = f.organisation("Maison Le Phare")
    colleague = member(organisation)
    client.force_login(colleague)
    post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    enrolment = Enrolment.objects.get()

    client.force_login(member(role="coordinator"))  # coordinator of another organisation
    assert post(client, f"/espace-membres/inscriptions/{enrolment.pk}/annuler/").status_code == 404

    client.force_login(member(organisation, role="coordinator"))
    assert colleague.email in client.get("/espace-membres/").content.decode()
    assert post(client, f"/espace-membres/inscriptions/{enrolment.pk}/annuler/").status_code == 302
    assert Enrolment.objects.get().status == "cancelled"


def test_coordinator_enrols_several_colleagues_at_once(client):
    page = f.training(sessions=[f.session(10, capacity=5)])
    session = page.sessions.get()
    organisation = f.organisation("Maison Le Phare")
    colleagues = [member(organisation) for _ in range(2)]
    outsider = member()
    coordinator = member(organisation, role="coordinator")
    client.force_login(coordinator)
    form = client.get(f"/espace-membres/inscription/{session.pk}/").content.decode()
    assert colleagues[0].email in form and outsider.email not in form
    post(
        client,
        f"/espace-membres/inscription/{session.pk}/",
        enrol_form(include_me="on", colleagues=[c.pk for c in colleagues]),
    )
    enrolled = set(Enrolment.objects.values_list("user_id", flat=True))
    assert enrolled == {coordinator.pk, colleagues[0].pk, colleagues[1].pk}
    assert set(Enrolment.objects.values_list("enrolled_by_id", flat=True)) == {None, coordinator.pk}
    # A colleague of another organisation cannot be slipped in.
    post(
        client,
        f"/espace-membres/inscription/{session.pk}/",
        enrol_form(include_me="", colleagues=[outsider.pk]),
    )
    assert not Enrolment.objects.filter(user=outsider).exists()


def test_account_without_membership_cannot_enrol(client, session):
    client.force_login(f.user())
    assert client.get(f"/espace-membres/inscription/{session.pk}/").status_code == 403
    post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    assert not Enrolment.objects.exists()


def test_unknown_session_answers_404(client):
    client.force_login(member())
    assert client.get("/espace-membres/inscription/999999/").status_code == 404


def test_members_only_session_is_404_for_accounts_without_membership(client):
    page = f.training(visibility="members", sessions=[f.session(10)])
    client.force_login(f.user())
    assert client.get(f"/espace-membres/inscription/{page.sessions.get().pk}/").status_code == 404


# -- Private calendar --------------------------------------------------------------------------


def test_private_calendar_shows_confirmed_sessions_and_can_be_renewed(client, session):
    from icalendar import Calendar

    person = member()
    client.force_login(person)
    post(client, f"/espace-membres/inscription/{session.pk}/", enrol_form())
    token = person.membership.calendar_token
    client.logout()
    feed = client.get(f"/espace-membres/calendrier/{token}.ics")
    assert feed.status_code == 200
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Repérer la traite"]
    client.force_login(person)
    post(client, "/espace-membres/calendrier/nouvelle-adresse/")
    assert client.get(f"/espace-membres/calendrier/{token}.ics").status_code == 404
    person.membership.refresh_from_db()
    assert person.membership.calendar_token != token
    assert client.get("/espace-membres/calendrier/n-importe-quoi.ics").status_code == 404


def test_failed_sign_ins_are_slowed_down_before_the_lock(client, settings, monkeypatch):
    import time

    settings.SIGN_IN_FAILURE_DELAY = 0.5
    waits = []
    monkeypatch.setattr(time, "sleep", waits.append)
    member(email="alex@example.org")
    for _ in range(4):
        client.post("/espace-membres/connexion/", {"username": "alex@example.org", "password": "x"})
    # axes records the failure before the form slows down: 1, 2, 3, 4 failures so far.
    assert waits == [0.5, 1.0, 1.5, 2.0]
