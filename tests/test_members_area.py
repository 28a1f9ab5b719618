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
def session(db, frozen_now):
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
    link = re.search(r"https?://[^/\s]+(/espace-membres/mot-de-passe/\S+/)", mail.outbox[0].body)
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
    assert response.status_code == 302  # Post/Redirect/Get: a reload sends nothing again
    request = SignUpRequest.objects.get()
    assert request.email == "alex@example.org" and request.status == "pending"
    thanks = client.get(response["Location"])
    assert "Demande reçue" in thanks.content.decode()
    assert SignUpRequest.objects.count() == 1


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
    # Consent covers the answers: asked for as soon as one is given.
    data = {"consent": "", "comment": "Merci"}
    response = post(client, f"/espace-membres/inscription/{session.pk}/", data)
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
    # GET only asks for confirmation.
    assert client.get(f"/espace-membres/inscriptions/{enrolment.pk}/annuler/").status_code == 200
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


# -- Account requests and invitations reveal nothing; the committee decides (issue 8) -----------


def sign_up_data(email, organisation, **extra):
    return {
        "first_name": "Alex",
        "last_name": "Tremblay",
        "email": email,
        "organisation": organisation.pk,
        "role": "member",
        **extra,
    }


def test_sign_up_requests_are_limited_per_address_and_per_client(client):
    import datetime

    import time_machine

    organisation = f.organisation("Maison Le Phare")
    url = "/espace-membres/demande-de-compte/"
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for email in ("alex@example.org", "Alex@example.org", "ALEX@EXAMPLE.ORG"):
            assert client.post(url, sign_up_data(email, organisation)).status_code == 302
        refused = client.post(url, sign_up_data("alex@Example.org", organisation))
        assert refused.status_code == 429
        assert "Trop de demandes" in refused.content.decode()
        assert SignUpRequest.objects.count() == 3

        # From one client, ten requests an hour (refused ones count), whatever the addresses.
        for number in range(6):
            data = sign_up_data(f"personne{number}@example.org", organisation)
            assert client.post(url, data).status_code == 302
        refused = client.post(url, sign_up_data("encore@example.org", organisation))
        assert refused.status_code == 429
        assert SignUpRequest.objects.count() == 9
        # Another client is not affected.
        other = client.post(
            url, sign_up_data("voisine@example.org", organisation), REMOTE_ADDR="192.0.2.9"
        )
        assert other.status_code == 302

        clock.move_to(start + datetime.timedelta(hours=1, minutes=1))
        assert client.post(url, sign_up_data("alex@example.org", organisation)).status_code == 302
    assert SignUpRequest.objects.count() == 11


def test_a_request_for_an_existing_account_gets_the_same_answer(client):
    organisation = f.organisation("Maison Le Phare")
    member(email="deja@example.org")
    url = "/espace-membres/demande-de-compte/"
    known = client.post(url, sign_up_data("DEJA@example.org", organisation))
    unknown = client.post(url, sign_up_data("nouvelle@example.org", organisation))
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content


@pytest.fixture
def committee(client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("comite", "comite@example.org", "pw")
    client.force_login(user)
    return client


def test_duplicates_and_existing_accounts_are_flagged_for_the_committee(committee):
    organisation = f.organisation("Maison Le Phare")
    member(email="deja@example.org")

    def request(email):
        return SignUpRequest.objects.create(
            first_name="A", last_name="B", email=email, organisation=organisation
        )

    first, again, known, alone = (
        request("alex@example.org"),
        request("ALEX@Example.org"),
        request("Deja@example.org"),
        request("seule@example.org"),
    )
    response = committee.get("/admin/sign-up-requests/")
    rows = {row.pk: row for row in response.context["object_list"]}
    assert rows[first.pk].duplicate and rows[again.pk].duplicate
    assert rows[known.pk].has_account and not rows[known.pk].duplicate
    assert not (rows[alone.pk].duplicate or rows[alone.pk].has_account)
    rows_html = response.content.decode().split('class="listing"', 1)[1]  # not the filters
    assert rows_html.count("Même adresse qu’une autre demande") == 2
    assert rows_html.count("Un compte utilise déjà cette adresse") == 1


def test_the_committee_chooses_the_role_when_approving(committee):
    from django.contrib.auth import get_user_model

    organisation = f.organisation("Maison Le Phare")

    def request(email):
        return SignUpRequest.objects.create(
            first_name="A",
            last_name="B",
            email=email,
            organisation=organisation,
            role="coordinator",
        )

    asked, given, refused = (request(f"{name}@example.org") for name in "abc")
    # The confirmation offers every role, "member" chosen, whatever was asked for.
    page = committee.get(f"/admin/sign-up-requests/approve/{asked.pk}/").content.decode()
    assert re.search(r'<input type="radio" name="role" value="member"[^>]* checked', page)
    assert 'value="coordinator"' in page

    committee.post(f"/admin/sign-up-requests/approve/{asked.pk}/")
    assert Membership.objects.get(user__email="a@example.org").role == "member"
    committee.post(f"/admin/sign-up-requests/approve/{given.pk}/", {"role": "coordinator"})
    assert Membership.objects.get(user__email="b@example.org").role == "coordinator"
    committee.post(f"/admin/sign-up-requests/approve/{refused.pk}/", {"role": "roi"})
    assert not get_user_model().objects.filter(email="c@example.org").exists()
    refused.refresh_from_db()
    assert refused.status == "pending"


def test_an_invitation_answers_the_same_whether_or_not_the_address_has_an_account(client):
    organisation = f.organisation("Maison Le Phare")
    member(email="ailleurs@example.org")  # an account in another organisation
    client.force_login(member(organisation, role="coordinator"))

    answers = []
    for email in ("ailleurs@example.org", "nouvelle@example.org"):
        response = post(client, "/espace-membres/inviter/", {"email": email})
        page = client.get(response["Location"])
        messages = [str(m).replace(email, "ADDRESS") for m in page.context["messages"]]
        answers.append((response.status_code, response["Location"], messages))
    assert answers[0] == answers[1]
    page = client.get("/espace-membres/inviter/").content.decode()
    assert "ailleurs@example.org" in page and "nouvelle@example.org" in page

    # The person with an account gets a note with the sign-in page, not a link to a new one.
    to = {message.to[0]: message.body for message in mail.outbox}
    invitation = Invitation.objects.get(email="nouvelle@example.org")
    assert invitation.token in to["nouvelle@example.org"]
    assert "/espace-membres/invitation/" not in to["ailleurs@example.org"]
    assert "/espace-membres/connexion/" in to["ailleurs@example.org"]


def test_an_invitation_that_cannot_be_used_says_so_before_the_form(client):
    import datetime

    from django.utils import timezone

    organisation = f.organisation("Maison Le Phare")
    coordinator = member(organisation, role="coordinator")

    def invitation(email, **fields):
        return Invitation.objects.create(
            organisation=organisation, email=email, invited_by=coordinator, **fields
        )

    taken = invitation("deja@example.org")
    member(email="Deja@example.org")  # the address got an account another way
    too_old = invitation(
        "vieille@example.org",
        created=timezone.now() - datetime.timedelta(days=Invitation.VALID_DAYS, seconds=1),
    )
    used = invitation("utilisee@example.org", accepted_at=timezone.now())
    for case in (taken, too_old, used):
        response = client.get(f"/espace-membres/invitation/{case.token}/")
        assert response.status_code == 404, case.email
        html = response.content.decode()
        assert "Invitation non valide" in html and 'name="password1"' not in html
    fresh = client.get(f"/espace-membres/invitation/{invitation('neuve@example.org').token}/")
    assert fresh.status_code == 200 and 'name="password1"' in fresh.content.decode()


def test_the_coordinators_form_says_whose_answers_these_are(client):
    """The questions and the consent are the coordinator's own; colleagues answer for
    themselves. The French wording is inclusive, as on the rest of the page."""
    page = f.training(sessions=[f.session(10, capacity=5)])
    session = page.sessions.get()
    organisation = f.organisation("Maison Le Phare")
    colleague = member(organisation)
    client.force_login(member(organisation, role="coordinator"))
    address = f"/espace-membres/inscription/{session.pk}/"
    html = client.get(address).content.decode()
    assert "Chaque personne reçoit elle-même le courriel de confirmation" in html
    assert "Ils reçoivent eux-mêmes" not in html
    assert "Ces questions vous concernent seulement" in html
    # Answers given while enrolling only colleagues would be lost: the form says so.
    response = post(
        client,
        address,
        enrol_form(include_me="", colleagues=[colleague.pk], accessibility_needs="Rampe"),
    )
    assert response.status_code == 200
    assert "vous concernent" in response.content.decode()
    assert not Enrolment.objects.exists()
    post(client, address, enrol_form(include_me="", colleagues=[colleague.pk]))
    assert Enrolment.objects.get().user == colleague
