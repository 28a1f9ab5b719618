"""The committee's accounts screens on Wagtail's generic admin views (issue 10, "Shape first"):
sign-up requests (filters, search, approve with a chosen role, reject, each confirmed and
audit-logged), the coordinators' invitations (read-only), one permission policy per model,
and the single e-mail-uniqueness rule of members/services.py."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from wagtail.models import ModelLogEntry

from members import services
from members.models import Invitation, Membership, Organisation, RequestStatus, SignUpRequest
from tests import factories as f
from trainings import emails
from trainings.models import OutboxEmail

pytestmark = pytest.mark.django_db

INDEX = "sign_up_requests:index"


@pytest.fixture(autouse=True)
def now(frozen_now):
    return frozen_now


@pytest.fixture
def committee(client):
    client.force_login(get_user_model().objects.create_superuser("comite", "c@example.org", "pw"))
    return client


def staff(client, *codenames):
    """A staff account with the admin and exactly these permissions, signed in."""
    user = f.user(f"staff-{len(codenames)}@example.org", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    client.force_login(user)
    return user


def request_from(email, organisation=None, **fields):
    fields.setdefault("first_name", "Émilie")
    fields.setdefault("last_name", "Gagnon")
    fields.setdefault("role", "coordinator")
    organisation = (
        organisation
        or Organisation.objects.get_or_create(
            name="Maison Marie-Rivier", defaults={"sector": "community", "region": "06"}
        )[0]
    )
    return SignUpRequest.objects.create(email=email, organisation=organisation, **fields)


def account(email, username):
    return get_user_model().objects.create_user(username=username, email=email, password="pw")


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def listed(response):
    return {sign_up.pk for sign_up in response.context["object_list"]}


def url(name, sign_up):
    return reverse(f"sign_up_requests:{name}", args=[sign_up.pk])


# -- The listing ---------------------------------------------------------------------------


def test_the_listing_shows_pending_requests_unless_asked_and_filters_them(committee):
    phare, refuge = f.organisation("Le Phare"), f.organisation("Le Refuge")
    f.user("deja@example.org")
    known = request_from("Deja@Example.org", phare)
    twin_a = request_from("alex@example.org", refuge, first_name="Alex")
    twin_b = request_from("ALEX@example.org", phare, first_name="Alexandra")
    approved = request_from("vieux@example.org", phare, status=RequestStatus.APPROVED)
    rejected = request_from("non@example.org", refuge, status=RequestStatus.REJECTED)
    index = reverse(INDEX)

    assert listed(committee.get(index)) == {known.pk, twin_a.pk, twin_b.pk}
    assert listed(committee.get(index, {"status": "all"})) == {
        known.pk,
        twin_a.pk,
        twin_b.pk,
        approved.pk,
        rejected.pk,
    }
    assert listed(committee.get(index, {"status": "rejected"})) == {rejected.pk}
    assert listed(committee.get(index, {"organisation": refuge.pk})) == {twin_a.pk}
    assert listed(committee.get(index, {"has_account": "true"})) == {known.pk}
    assert listed(committee.get(index, {"duplicate": "true"})) == {twin_a.pk, twin_b.pk}
    assert listed(committee.get(index, {"duplicate": "false"})) == {known.pk}
    assert listed(committee.get(index, {"q": "Alexandra"})) == {twin_b.pk}
    assert listed(committee.get(index, {"q": "refuge", "status": "all"})) == {
        twin_a.pk,
        rejected.pk,
    }
    # The results-only view (Wagtail's live filtering) answers the same.
    results = committee.get(reverse("sign_up_requests:index_results"), {"duplicate": "true"})
    assert listed(results) == {twin_a.pk, twin_b.pk}


def test_the_rows_say_the_flags_and_offer_the_decisions(committee):
    f.user("deja@example.org")
    known = request_from("deja@example.org")
    html = committee.get(reverse(INDEX)).content.decode()
    rows = html.split('class="listing"', 1)[1]
    assert "Un compte utilise déjà cette adresse" in rows
    assert f'href="{url("approve", known)}"' in rows and f'href="{url("reject", known)}"' in rows
    assert "Approuver…" in rows and "Refuser…" in rows
    # A decided request offers no decision.
    decided = request_from("vieux@example.org", status=RequestStatus.APPROVED)
    rows = committee.get(reverse(INDEX), {"status": "all"}).content.decode()
    assert url("approve", decided) not in rows


def test_the_listing_takes_as_many_queries_for_many_requests(committee):
    organisation = f.organisation("Le Phare")
    for number in range(3):
        request_from(f"a{number}@example.org", organisation)
    committee.get(reverse(INDEX))  # warm caches (content types, site)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert committee.get(reverse(INDEX)).status_code == 200
        return len(queries)

    few = count()
    for number in range(3, 20):
        request_from(f"a{number}@example.org", f.organisation())
    assert count() == few


def test_the_committee_finds_the_screens_in_the_members_menu(committee):
    from wagtail.admin.menu import admin_menu

    html = committee.get("/admin/").content.decode()
    assert reverse(INDEX) in html and reverse("invitations:index") in html
    request = committee.get(reverse(INDEX)).wsgi_request
    (members,) = [
        item for item in admin_menu.menu_items_for_request(request) if item.name == "members"
    ]
    labels = {str(item.label): item.url for item in members.menu.menu_items_for_request(request)}
    assert labels["Demandes d’inscription"] == reverse(INDEX)
    assert labels["Invitations"] == reverse("invitations:index")


# -- Approving -------------------------------------------------------------------------------


@pytest.fixture
def outbox(settings, monkeypatch):
    """E-mails as in production: written to the outbox, delivered after the commit."""
    settings.EMAIL_BACKEND = "trainings.outbox_backend.OutboxBackend"
    monkeypatch.setattr(emails, "run_after_commit", lambda function: function())
    return settings


def test_approving_with_the_role_the_committee_chooses(committee, outbox):
    sign_up = request_from("Emilie@Example.org", role="member", language="en")
    page = committee.get(url("approve", sign_up)).content.decode()
    assert "Émilie Gagnon" in page and "Maison Marie-Rivier" in page
    assert 'name="role" value="coordinator"' in page

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = committee.post(url("approve", sign_up), {"role": "coordinator"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(INDEX)
    assert any("emilie@example.org" in text for text in messages_of(response))

    membership = Membership.objects.get(user__email="emilie@example.org")
    assert membership.role == "coordinator" and membership.language == "en"
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.APPROVED

    (queued,) = OutboxEmail.objects.filter(to="emilie@example.org")
    assert queued.sent_at is not None  # written with the decision, delivered after the commit
    (sent,) = mail.outbox
    assert sent.to == ["emilie@example.org"]
    assert "/en/espace-membres/mot-de-passe/" in sent.body  # the language of the request

    (entry,) = ModelLogEntry.objects.filter(action=services.APPROVED)
    assert entry.object_id == str(sign_up.pk) and entry.user.username == "comite"
    assert entry.data["role"] == "coordinator"
    history = committee.get(url("history", sign_up)).content.decode()
    assert "Approuvée, avec le rôle « Coordination »" in history


def test_rejecting_is_confirmed_and_logged(committee):
    sign_up = request_from("emilie@example.org")
    page = committee.get(url("reject", sign_up)).content.decode()
    assert "Oui, refuser" in page and "csrfmiddlewaretoken" in page
    response = committee.post(url("reject", sign_up), follow=True)
    assert response.redirect_chain[-1][0] == reverse(INDEX)
    assert any("emilie@example.org" in text for text in messages_of(response))
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.REJECTED and sign_up.decided_at is not None
    assert mail.outbox == [] and not get_user_model().objects.filter(email="emilie@example.org")
    (entry,) = ModelLogEntry.objects.filter(action=services.REJECTED)
    assert entry.object_id == str(sign_up.pk) and entry.user.username == "comite"
    assert "Refusée" in committee.get(url("history", sign_up)).content.decode()


@pytest.mark.parametrize("decided", [RequestStatus.APPROVED, RequestStatus.REJECTED])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_an_already_decided_request_changes_nothing(committee, decided, action):
    sign_up = request_from("emilie@example.org", status=decided)
    for response in (
        committee.get(url(action, sign_up), follow=True),
        committee.post(url(action, sign_up), {"role": "member"}, follow=True),
    ):
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == reverse(INDEX)
        assert "Cette demande a déjà été traitée." in messages_of(response)
    sign_up.refresh_from_db()
    assert sign_up.status == decided and sign_up.decided_at is None
    assert not Membership.objects.exists() and not ModelLogEntry.objects.exists()
    assert mail.outbox == []


def test_an_address_taken_meanwhile_changes_nothing(committee):
    sign_up = request_from("emilie@example.org")
    account("autre@example.org", "EMILIE@example.org")  # taken as a username
    response = committee.post(url("approve", sign_up), {"role": "member"}, follow=True)
    assert response.status_code == 200
    assert any(
        "emilie@example.org" in text and "rien n’a été modifié" in text
        for text in messages_of(response)
    )
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.PENDING
    assert not Membership.objects.exists() and not ModelLogEntry.objects.exists()
    assert mail.outbox == []


def test_a_role_that_does_not_exist_changes_nothing(committee):
    sign_up = request_from("emilie@example.org")
    response = committee.post(url("approve", sign_up), {"role": "roi"})
    assert response.status_code == 200  # the confirmation again, with the error
    assert "Choisissez le rôle du nouveau compte" in response.content.decode()
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.PENDING and not Membership.objects.exists()


def test_an_unknown_request_or_invitation_is_a_404(committee):
    for name in ("approve", "reject", "inspect", "history"):
        assert committee.get(reverse(f"sign_up_requests:{name}", args=[987654])).status_code == 404
    assert committee.post(reverse("sign_up_requests:reject", args=[987654])).status_code == 404
    assert committee.get(reverse("invitations:inspect", args=[987654])).status_code == 404


def test_an_unreadable_filter_is_ignored_not_a_500(committee):
    pending = request_from("emilie@example.org")
    for query in ({"status": "peut-être"}, {"organisation": "x"}, {"has_account": "2"}):
        response = committee.get(reverse(INDEX), query)
        assert response.status_code == 200 and pending.pk in listed(response), query


def test_the_listing_has_no_add_edit_or_delete_views(committee):
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"sign_up_requests:{name}", args=[] if name == "add" else [1])
        with pytest.raises(NoReverseMatch):
            reverse(f"invitations:{name}", args=[] if name == "add" else [1])


# -- Permissions ----------------------------------------------------------------------------


def refused(response):
    """Wagtail's refusal in the admin: back to the dashboard with a message (403 for XHR)."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_without_the_permission_the_screens_are_refused_and_nothing_changes(client):
    sign_up = request_from("emilie@example.org")
    invitation = Invitation.objects.create(organisation=sign_up.organisation, email="x@example.org")
    staff(client)  # an editor: the admin, nothing more
    for address in (
        reverse(INDEX),
        url("inspect", sign_up),
        url("history", sign_up),
        url("approve", sign_up),
        url("reject", sign_up),
        reverse("invitations:index"),
        reverse("invitations:inspect", args=[invitation.pk]),
    ):
        assert refused(client.get(address)), address
        assert client.get(address, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 403
    for action in ("approve", "reject"):
        assert refused(client.post(url(action, sign_up), {"role": "member"}))
        xhr = client.post(url(action, sign_up), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        assert xhr.status_code == 403
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.PENDING and not Membership.objects.exists()
    home = client.get("/admin/").content.decode()
    assert reverse(INDEX) not in home and reverse("invitations:index") not in home


def test_the_view_permission_shows_without_deciding(client):
    sign_up = request_from("emilie@example.org")
    staff(client, "view_signuprequest")
    response = client.get(reverse(INDEX))
    assert response.status_code == 200 and listed(response) == {sign_up.pk}
    assert url("approve", sign_up) not in response.content.decode()
    assert client.get(url("inspect", sign_up)).status_code == 200
    assert client.get(url("history", sign_up)).status_code == 200
    assert refused(client.get(url("approve", sign_up)))
    assert refused(client.post(url("approve", sign_up), {"role": "member"}))
    assert refused(client.post(url("reject", sign_up)))
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.PENDING
    assert refused(client.get(reverse("invitations:index")))  # another model, another right


def test_the_change_permission_decides(client):
    sign_up = request_from("emilie@example.org")
    staff(client, "change_signuprequest")
    assert url("approve", sign_up) in client.get(reverse(INDEX)).content.decode()
    client.post(url("reject", sign_up))
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.REJECTED


def test_a_member_is_sent_to_the_admin_sign_in(client):
    sign_up = request_from("emilie@example.org")
    client.force_login(f.member(role="coordinator"))
    for address in (reverse(INDEX), url("approve", sign_up), reverse("invitations:index")):
        response = client.get(address)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.post(url("approve", sign_up), {"role": "member"})
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.PENDING


def test_the_group_editor_offers_exactly_the_meaningful_permissions(committee):
    from wagtail import hooks

    registered = set()
    for hook in hooks.get_hooks("register_permissions"):
        registered |= set(hook().values_list("content_type__model", "codename"))
    assert ("signuprequest", "view_signuprequest") in registered
    assert ("signuprequest", "change_signuprequest") in registered
    assert ("signuprequest", "add_signuprequest") not in registered
    assert ("signuprequest", "delete_signuprequest") not in registered
    assert {codename for model, codename in registered if model == "invitation"} == {
        "view_invitation"
    }


# -- Invitations ------------------------------------------------------------------------------


def test_the_invitations_listing_says_each_state_and_filters(committee, now):
    phare, refuge = f.organisation("Le Phare"), f.organisation("Le Refuge")
    coordinator = f.member(phare, role="coordinator", email="coord@example.org")
    days = datetime.timedelta(days=1)
    pending = Invitation.objects.create(organisation=phare, email="p@example.org")
    pending.invited_by = coordinator
    pending.save()
    accepted = Invitation.objects.create(
        organisation=refuge, email="a@example.org", accepted_at=now - days
    )
    expired = Invitation.objects.create(
        organisation=phare, email="e@example.org", created=now - 14 * days
    )
    almost = Invitation.objects.create(
        organisation=phare, email="z@example.org", created=now - 13 * days
    )
    index = reverse("invitations:index")

    def shown(**query):
        return {invitation.pk for invitation in committee.get(index, query).context["object_list"]}

    assert shown() == {pending.pk, accepted.pk, expired.pk, almost.pk}
    assert shown(state="pending") == {pending.pk, almost.pk}
    assert shown(state="accepted") == {accepted.pk}
    assert shown(state="expired") == {expired.pk}
    assert shown(organisation=refuge.pk) == {accepted.pk}
    assert shown(q="e@example") == {expired.pk}

    html = committee.get(index).content.decode()
    rows = html.split('class="listing"', 1)[1]
    for word in ("En attente", "Acceptée", "Expirée", "coord@example.org", "Le Phare"):
        assert word in rows
    assert pending.token not in html  # the link that opens an account stays secret
    page = committee.get(reverse("invitations:inspect", args=[expired.pk])).content.decode()
    assert "Expirée" in page and expired.token not in page
    # Read-only: nothing to post.
    assert committee.post(index).status_code == 405


def test_the_invitation_state_follows_the_rule_of_the_invitation_link(now):
    organisation = f.organisation()
    for age in (0, 13, 14, 30):
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=f"age{age}@example.org",
            created=now - datetime.timedelta(days=age, minutes=1),
        )
        state = services.invitations_with_state().get(pk=invitation.pk).state
        assert (state == "pending") == invitation.is_usable, age


# -- One e-mail-uniqueness rule ---------------------------------------------------------------


def test_one_rule_says_whether_an_address_is_taken():
    f.user("a_b@example.org")
    account("autre@example.org", "Nom@Example.org")
    assert services.email_taken("A_B@EXAMPLE.ORG ")
    assert services.email_taken("nom@example.org")  # as a username
    assert not services.email_taken("axb@example.org")  # "_" is a character, not a wildcard
    assert not services.email_taken("b@example.org")
    sign_ups = [request_from(email) for email in ("A_b@example.org", "axb@example.org")]
    flags = dict(services.sign_up_requests().values_list("pk", "has_account"))
    assert flags == {sign_ups[0].pk: True, sign_ups[1].pk: False}


def test_the_invitation_rules_use_the_same_rule():
    organisation = f.organisation()
    coordinator = f.member(organisation, role="coordinator")
    account("autre@example.org", "Pris@Example.org")
    invitation = services.invite(organisation, "PRIS@example.org", coordinator)
    assert not services.invitation_usable(invitation)  # taken, as a username
    assert services.accept(invitation, "A", "B", "Un-mot-de-passe-42", "fr-ca") is None
    (message,) = mail.outbox
    assert "/connexion/" in message.body  # the note for an existing account, not a link
