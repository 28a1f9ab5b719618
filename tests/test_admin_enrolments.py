"""The committee's side of enrolment in the Wagtail admin: sign-up requests, participants of a
session, the committee's actions, the CSV export, and what publishing a training page does."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from members.models import Membership, Organisation, RequestStatus, SignUpRequest
from tests import factories as f
from trainings import services
from trainings.models import Enrolment, TrainingPage

pytestmark = pytest.mark.django_db


def committed(function, *args, **kwargs):
    """Run the after-commit callbacks (outbox e-mails) as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


@pytest.fixture
def committee(client):
    user = get_user_model().objects.create_superuser("comite", "comite@example.org", "pw")
    client.force_login(user)
    return client


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


# -- Sign-up requests ---------------------------------------------------------------------


def sign_up_request(**fields):
    fields.setdefault("first_name", "Émilie")
    fields.setdefault("last_name", "Gagnon")
    fields.setdefault("email", "Emilie.Gagnon@Example.org")
    if "organisation" not in fields:
        fields["organisation"] = Organisation.objects.get_or_create(
            name="Maison Marie-Rivier", defaults={"sector": "community", "region": "06"}
        )[0]
    fields.setdefault("role", "coordinator")
    return SignUpRequest.objects.create(**fields)


def approve(client, sign_up):
    return client.post(reverse("sign_up_requests:approve", args=[sign_up.pk]), follow=True)


def test_pending_requests_are_listed(committee):
    pending = sign_up_request()
    sign_up_request(email="deja@example.org", organisation=pending.organisation, status="rejected")
    response = committee.get(reverse("sign_up_requests:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Emilie.Gagnon@Example.org" in html and "Maison Marie-Rivier" in html
    assert "deja@example.org" not in html
    approve_url = reverse("sign_up_requests:approve", args=[pending.pk])
    assert f'href="{approve_url}"' in html
    assert "csrfmiddlewaretoken" in committee.get(approve_url).content.decode()


def test_the_menu_shows_the_committee_views(committee):
    html = committee.get("/admin/").content.decode()
    assert reverse("sign_up_requests:index") in html
    assert reverse("enrolments_admin:sessions") in html


def test_approving_creates_the_account_and_sends_a_working_password_link(committee):
    sign_up = sign_up_request()
    mail.outbox.clear()
    response = approve(committee, sign_up)
    assert response.status_code == 200

    user = get_user_model().objects.get(email="emilie.gagnon@example.org")
    assert user.username == "emilie.gagnon@example.org"
    assert (user.first_name, user.last_name) == ("Émilie", "Gagnon")
    assert not user.has_usable_password() and not user.is_staff
    membership = Membership.objects.get(user=user)
    assert membership.organisation == sign_up.organisation
    # Asked for "coordinator"; the committee chose nothing: "member" (issue 8, item 10).
    assert (membership.role, membership.language) == ("member", "fr-ca")
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.APPROVED and sign_up.decided_at is not None

    (message,) = mail.outbox
    assert message.to == ["emilie.gagnon@example.org"]
    assert "Émilie" in message.body
    link = re.search(r"https?://\S+/mot-de-passe/\S+/\S+/", message.body).group(0)
    assert link.startswith(settings.WAGTAILADMIN_BASE_URL)
    path = link[len(settings.WAGTAILADMIN_BASE_URL.rstrip("/")) :]
    assert path.startswith("/espace-membres/")  # French: no language prefix

    person = Client()
    response = person.get(path, follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    response = person.post(
        set_password_url,
        {"new_password1": "Un-long-mot-de-passe-42", "new_password2": "Un-long-mot-de-passe-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Un-long-mot-de-passe-42")
    # The link works once.
    assert Client().get(path, follow=True).context.get("validlink") is False


def test_the_email_is_in_the_language_of_the_request(committee):
    sign_up = sign_up_request(email="jane@example.org", first_name="Jane", language="en")
    mail.outbox.clear()
    approve(committee, sign_up)
    (message,) = mail.outbox
    assert "Hello Jane," in message.body
    assert "/en/espace-membres/mot-de-passe/" in message.body


def test_approving_twice_changes_nothing(committee):
    sign_up = sign_up_request()
    approve(committee, sign_up)
    mail.outbox.clear()
    response = approve(committee, sign_up)
    assert messages_of(response)  # an error message
    assert get_user_model().objects.filter(email="emilie.gagnon@example.org").count() == 1
    assert Membership.objects.count() == 1
    assert mail.outbox == []


def test_an_existing_email_changes_nothing(committee):
    existing = f.user("emilie.gagnon@example.org")
    sign_up = sign_up_request()
    mail.outbox.clear()
    response = approve(committee, sign_up)
    assert any("emilie.gagnon@example.org" in text for text in messages_of(response))
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.PENDING and sign_up.decided_at is None
    assert get_user_model().objects.filter(email__iexact=existing.email).count() == 1
    assert not Membership.objects.exists()
    assert mail.outbox == []


def test_a_failing_mail_server_keeps_the_account_and_says_so(committee, settings):
    settings.EMAIL_BACKEND = "tests.test_email_outbox.FailingBackend"
    sign_up = sign_up_request()
    response = approve(committee, sign_up)
    assert any("Connection unexpectedly closed" in text for text in messages_of(response))
    assert Membership.objects.filter(user__email="emilie.gagnon@example.org").exists()
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.APPROVED


def test_rejecting(committee):
    sign_up = sign_up_request()
    mail.outbox.clear()
    committee.post(reverse("sign_up_requests:reject", args=[sign_up.pk]))
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.REJECTED and sign_up.decided_at is not None
    assert not get_user_model().objects.filter(email__iexact=sign_up.email).exists()
    assert mail.outbox == []


def test_approve_and_reject_need_a_post(committee):
    """A GET shows the confirmation page; only its POST decides."""
    sign_up = sign_up_request()
    assert committee.get(reverse("sign_up_requests:approve", args=[sign_up.pk])).status_code == 200
    assert committee.get(reverse("sign_up_requests:reject", args=[sign_up.pk])).status_code == 200
    sign_up.refresh_from_db()
    assert sign_up.status == RequestStatus.PENDING and not Membership.objects.exists()


# -- Access -------------------------------------------------------------------------------


@pytest.fixture
def session(db, frozen_now):
    page = f.training(title="Reconnaître l’exploitation", sessions=[f.session(10, capacity=2)])
    return page.sessions.get()


def committee_urls(session, sign_up, enrolment):
    return {
        "get": [
            reverse("sign_up_requests:index"),
            reverse("enrolments_admin:sessions"),
            reverse("enrolments_admin:participants", args=[session.pk]),
            reverse("enrolments_admin:participants", args=[session.pk]) + "?export=csv",
            reverse("enrolments_admin:participants", args=[session.pk]) + "?export=xlsx",
            reverse("enrolments_admin:cancel_session", args=[session.pk]),
            reverse("enrolments_admin:capacity", args=[session.pk]),
            reverse("enrolments_admin:attendance", args=[session.pk]),
            reverse("enrolments_admin:email", args=[session.pk]),
            reverse("enrolments_admin:history", args=[session.pk]),
        ],
        "post": [
            (reverse("sign_up_requests:approve", args=[sign_up.pk]), {}),
            (reverse("sign_up_requests:reject", args=[sign_up.pk]), {}),
            (
                reverse("enrolments_admin:cancel_enrolment", args=[session.pk]),
                {"enrolment": enrolment.pk, "confirm": "yes"},
            ),
            (
                reverse("enrolments_admin:promote", args=[session.pk]),
                {"enrolment": enrolment.pk},
            ),
            (reverse("enrolments_admin:capacity", args=[session.pk]), {"capacity": 9}),
            (reverse("enrolments_admin:cancel_session", args=[session.pk]), {}),
        ],
    }


def assert_nothing_changed(session, sign_up, enrolment):
    session.refresh_from_db()
    sign_up.refresh_from_db()
    enrolment.refresh_from_db()
    assert (session.status, session.capacity) == ("scheduled", 2)
    assert sign_up.status == "pending"
    assert enrolment.status == "confirmed"


def test_a_member_gets_no_access(client, session):
    member = f.user("membre@example.org")
    Membership.objects.create(user=member, organisation=f.organisation())
    sign_up = sign_up_request()
    enrolment = committed(services.enrol, member, session, consent=True)
    client.force_login(member)
    urls = committee_urls(session, sign_up, enrolment)
    for url in urls["get"]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    for url, data in urls["post"]:
        response = client.post(url, data)
        assert response.status_code in (302, 403) and "/admin/login/" in response["Location"]
    assert_nothing_changed(session, sign_up, enrolment)


def test_an_editor_without_the_permission_gets_no_access(client, session):
    from django.contrib.auth.models import Permission

    editor = f.user("redaction@example.org", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    sign_up = sign_up_request()
    enrolment = committed(services.enrol, f.user(), session, consent=True)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200  # an editor, yes
    urls = committee_urls(session, sign_up, enrolment)
    for url in urls["get"]:
        assert client.get(url).status_code in (302, 403), url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code in (302, 403), url
    assert_nothing_changed(session, sign_up, enrolment)
    html = client.get("/admin/").content.decode()
    assert reverse("sign_up_requests:index") not in html
    assert reverse("enrolments_admin:sessions") not in html


def test_the_permission_opens_the_views(client, session):
    from django.contrib.auth.models import Permission

    user = f.user("secretariat@example.org", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "change_signuprequest", "change_enrolment"]
        )
    )
    client.force_login(user)
    assert client.get(reverse("sign_up_requests:index")).status_code == 200
    assert client.get(reverse("enrolments_admin:sessions")).status_code == 200


# -- Participants ---------------------------------------------------------------------------


def person(email, first_name="", last_name="", organisation=None):
    user = f.user(email, first_name=first_name, last_name=last_name)
    if organisation:
        Membership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def crowded(session):
    """Capacity 2: Ana and Ben confirmed, Chloé and David waiting, Eve cancelled."""
    org = f.organisation("Le Phare des AffranchiEs")
    people = {
        "ana": person("ana@example.org", "Ana", "Ahmed", org),
        "ben": person("ben@example.org", "Ben", "Bélanger"),
        "chloe": person("chloe@example.org", "Chloé", "Côté", org),
        "david": person("david@example.org", "David", "Dion"),
        "eve": person("eve@example.org", "Ève", "Émond"),
    }
    enrolments = {}
    for name, user in people.items():
        answers = {}
        if name == "chloe":
            answers = {
                "accessibility_needs": "Fauteuil roulant",
                "interpretation_language": "LSQ",
                "comment": '=HYPERLINK("http://example.com")',
            }
        enrolments[name] = committed(services.enrol, user, session, consent=True, **answers)
    committed(services.cancel, enrolments.pop("eve"))
    return enrolments


def test_sessions_list_counts_without_a_query_per_row(committee, session, crowded):
    f.training(sessions=[f.session(20, capacity=5), f.session(30, capacity=5)])
    f.training(sessions=[f.session(-5)])  # past: not listed
    url = reverse("enrolments_admin:sessions")
    committee.get(url)  # warm caches (menu, site...)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = committee.get(url)
    sessions = list(response.context["object_list"])
    assert len(sessions) == 3
    first = sessions[0]
    assert (first.pk, first.confirmed, first.waiting, first.capacity) == (session.pk, 2, 2, 2)
    html = response.content.decode()
    assert "Reconnaître l’exploitation" in html and "2 / 2" in html
    baseline = len(queries)
    f.training(sessions=[f.session(40), f.session(41), f.session(42)])
    with CaptureQueriesContext(connection) as queries:
        committee.get(url)
    assert len(queries) == baseline  # three more sessions, no more queries
    past = committee.get(url + "?period=past").context["object_list"]
    assert len(list(past)) == 1


def test_participants_in_order_with_waiting_positions(committee, session, crowded):
    response = committee.get(reverse("enrolments_admin:participants", args=[session.pk]))
    assert response.status_code == 200
    rows = [
        (e.person_email, e.status, e.position, e.organisation_name)
        for e in response.context["object_list"]
    ]
    assert rows == [
        ("ana@example.org", "confirmed", None, "Le Phare des AffranchiEs"),
        ("ben@example.org", "confirmed", None, ""),
        ("chloe@example.org", "waiting", 1, "Le Phare des AffranchiEs"),
        ("david@example.org", "waiting", 2, ""),
        ("eve@example.org", "cancelled", None, ""),
    ]
    html = response.content.decode()
    for text in ("Chloé Côté", "Fauteuil roulant", "LSQ", "Le Phare des AffranchiEs"):
        assert text in html
    assert html.count("csrfmiddlewaretoken") >= 5


def test_the_training_page_links_to_its_participants(committee, session):
    response = committee.get(f"/admin/pages/{session.page_id}/edit/")
    assert response.status_code == 200
    url = reverse("enrolments_admin:sessions") + f"?training={session.page_id}&period=all"
    assert url.replace("&", "&amp;") in response.content.decode()
    other = f.training(sessions=[f.session(12)])
    listed = committee.get(url).context["object_list"]
    assert [s.pk for s in listed] == [session.pk]
    assert other.sessions.get().pk not in [s.pk for s in listed]


def test_committee_cancel_promotes_the_first_waiting_person(committee, session, crowded):
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = committee.post(
            reverse("enrolments_admin:cancel_enrolment", args=[session.pk]),
            {"enrolment": crowded["ana"].pk, "confirm": "yes"},
        )
    assert response.status_code == 302
    statuses = {name: Enrolment.objects.get(pk=e.pk).status for name, e in crowded.items()}
    assert statuses == {
        "ana": "cancelled",
        "ben": "confirmed",
        "chloe": "confirmed",
        "david": "waiting",
    }
    assert {message.to[0] for message in mail.outbox} == {"ana@example.org", "chloe@example.org"}


def test_the_committee_may_cancel_after_the_deadline(committee, session, crowded):
    session.enrolment_closes = f.at(-1)
    session.save()
    committee.post(
        reverse("enrolments_admin:cancel_enrolment", args=[session.pk]),
        {"enrolment": crowded["ben"].pk, "confirm": "yes"},
    )
    assert Enrolment.objects.get(pk=crowded["ben"].pk).status == "cancelled"


def test_raising_the_capacity_in_the_view_promotes(committee, session, crowded):
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = committee.post(
            reverse("enrolments_admin:capacity", args=[session.pk]), {"capacity": 3}, follow=True
        )
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.capacity == 3
    assert Enrolment.objects.get(pk=crowded["chloe"].pk).status == "confirmed"
    assert Enrolment.objects.get(pk=crowded["david"].pk).status == "waiting"
    assert [message.to[0] for message in mail.outbox] == ["chloe@example.org"]
    # The page editor shows the new capacity, and publishing it again keeps it.
    page = TrainingPage.objects.get(pk=session.page_id)
    assert page.get_latest_revision_as_object().sessions.get().capacity == 3
    page.get_latest_revision_as_object().save_revision().publish()
    session.refresh_from_db()
    assert session.capacity == 3


def test_capacity_below_the_confirmed_count_is_refused(committee, session, crowded):
    response = committee.post(
        reverse("enrolments_admin:capacity", args=[session.pk]), {"capacity": 1}, follow=True
    )
    assert messages_of(response) == [str(services.REFUSALS["capacity"])]
    session.refresh_from_db()
    assert session.capacity == 2
    assert session.enrolments.filter(status="confirmed").count() == 2


def test_cancelling_the_session_asks_first_then_tells_everyone(committee, session, crowded):
    url = reverse("enrolments_admin:cancel_session", args=[session.pk])
    mail.outbox.clear()
    response = committee.get(url)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "scheduled"  # the GET only asks

    with TestCase.captureOnCommitCallbacks(execute=True):
        committee.post(url)
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert set(session.enrolments.values_list("status", flat=True)) == {"cancelled"}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.org",
        "ben@example.org",
        "chloe@example.org",
        "david@example.org",
    ]
    # Publishing the page afterwards does not bring the session back.
    page = TrainingPage.objects.get(pk=session.page_id)
    page.get_latest_revision_as_object().save_revision().publish()
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_csv_export(committee, session, crowded):
    url = reverse("enrolments_admin:participants", args=[session.pk]) + "?export=csv"
    response = committee.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="participants-')
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header, *people = rows
    # Status, position, name, e-mail, organisation, the three answers, enrolled on, the offer's
    # deadline, then one column per day of the session (one here).
    assert len(header) == 11
    assert [row[3] for row in people] == [
        "ana@example.org",
        "ben@example.org",
        "chloe@example.org",
        "david@example.org",
        "eve@example.org",
    ]
    chloe = people[2]
    assert chloe[1] == "1"  # waiting list position
    assert chloe[2] == "Chloé Côté"
    assert chloe[4] == "Le Phare des AffranchiEs"
    assert chloe[5:7] == ["Fauteuil roulant", "LSQ"]
    assert chloe[7].startswith("'=")  # never a formula in a spreadsheet


# -- Publishing a training page --------------------------------------------------------------


def publish_with(session, **changes):
    """Edit the session in the page's latest revision, as the page editor does, and publish."""
    page = TrainingPage.objects.get(pk=session.page_id).get_latest_revision_as_object()
    sessions = list(page.sessions.all())
    for item in sessions:
        if item.pk == session.pk:
            for name, value in changes.items():
                setattr(item, name, value)
    page.sessions = sessions
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.save_revision().publish()


def test_publishing_a_raised_capacity_promotes(session, crowded):
    mail.outbox.clear()
    publish_with(session, capacity=4)
    assert session.enrolments.filter(status="confirmed").count() == 4
    assert {message.to[0] for message in mail.outbox} == {
        "chloe@example.org",
        "david@example.org",
    }


def test_publishing_a_cancelled_session_cancels_its_enrolments(session, crowded):
    mail.outbox.clear()
    publish_with(session, status="cancelled")
    assert set(session.enrolments.values_list("status", flat=True)) == {"cancelled"}
    assert len(mail.outbox) == 4
    mail.outbox.clear()
    publish_with(session, status="cancelled")  # published again: nobody is told twice
    assert mail.outbox == []


def test_the_page_form_refuses_a_capacity_below_the_confirmed_count(session, crowded):
    from django.core.exceptions import ValidationError

    session.refresh_from_db()
    session.capacity = 1
    with pytest.raises(ValidationError) as caught:
        session.full_clean()
    assert "capacity" in caught.value.message_dict
    session.capacity = 2
    session.full_clean()  # equal is fine


def test_publishing_through_the_page_editor(committee, session, crowded):
    """The real edit form: a capacity below the confirmed count is an error on the form; a
    raised one, published, promotes."""
    page = TrainingPage.objects.get(pk=session.page_id)
    edit_url = f"/admin/pages/{page.pk}/edit/"
    form = committee.get(edit_url).context["form"]
    data = form_data(form)
    prefix = "sessions-0-"
    assert data[prefix + "id"] == str(session.pk)

    data[prefix + "capacity"] = "1"
    response = committee.post(edit_url, {**data, "action-publish": "publish"})
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].formsets["sessions"].forms[0].errors["capacity"]
    session.refresh_from_db()
    assert session.capacity == 2

    data[prefix + "capacity"] = "3"
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = committee.post(edit_url, {**data, "action-publish": "publish"})
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.capacity == 3
    assert Enrolment.objects.get(pk=crowded["chloe"].pk).status == "confirmed"
    assert [message.to[0] for message in mail.outbox] == ["chloe@example.org"]


def form_data(form):
    """What a browser sends back for an unbound Wagtail page form and its inline formsets
    (enough for a training page with an empty description)."""
    from django import forms
    from wagtail.blocks.base import BlockWidget

    data = {}

    def add(bound_form):
        for name, field in bound_form.fields.items():
            bound = bound_form[name]
            widget, value, key = field.widget, bound.value(), bound.html_name
            if isinstance(widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
            elif isinstance(widget, BlockWidget):
                assert not value, "only an empty StreamField is supported here"
                data[f"{key}-count"] = 0
            else:
                formatted = widget.format_value(value)
                data[key] = "" if formatted is None else formatted

    add(form)
    for formset in form.formsets.values():
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
        for child in formset.forms:
            add(child)
    return data


def test_memberships_are_listed_in_the_admin(committee):
    user = person("ana@example.org", "Ana", "Ahmed", f.organisation("Le Phare des AffranchiEs"))
    response = committee.get("/admin/snippets/members/membership/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ana@example.org" in html and "Le Phare des AffranchiEs" in html
    edit = committee.get(f"/admin/snippets/members/membership/edit/{user.membership.pk}/")
    assert edit.status_code == 200
    assert committee.get("/admin/snippets/members/organisation/").status_code == 200
