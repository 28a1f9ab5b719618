"""What the attacker's review of issue 10 found, each fixed and kept fixed."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from committee import reports
from tests import factories as f
from trainings import certificates, services
from trainings.models import (
    Certificate,
    Enrolment,
    OutboxEmail,
    SessionStatus,
    TrainingPage,
    TrainingSession,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now(frozen_now):
    return frozen_now


def enrol(session, status="confirmed"):
    return Enrolment.objects.create(session=session, user=f.user(), status=status)


def mark_all(enrolment, present):
    for day in services.session_days(enrolment.session):
        services.mark_attendance(enrolment, day, present)


# -- A draft save never changes a session people enrolled in --------------------------------


def test_saving_the_draft_of_an_unpublished_training_leaves_enrolled_sessions_alone():
    training = f.training(sessions=[f.session(5), f.session(-30)])
    upcoming, past = training.sessions.order_by("start").reverse()
    enrolment = enrol(upcoming)
    enrol(past)
    training.unpublish()
    page = TrainingPage.objects.get(pk=training.pk)
    assert not page.live
    sessions = list(page.sessions.all())
    for session in sessions:
        session.status = SessionStatus.CANCELLED
    page.sessions = sessions  # what the editor's form holds, written by a draft save
    with pytest.raises(services.SessionChangeRefused) as refusal:
        page.save()
    assert refusal.value.code == "draft"
    assert set(TrainingSession.objects.values_list("status", flat=True)) == {"scheduled"}
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"
    assert not OutboxEmail.objects.filter(kind="session_cancelled").exists()


def test_a_draft_may_still_change_what_nobody_enrolled_in():
    training = f.training(sessions=[f.session(5)])
    training.unpublish()
    page = TrainingPage.objects.get(pk=training.pk)
    sessions = list(page.sessions.all())
    sessions[0].capacity = 7
    page.sessions = sessions
    page.save()
    assert TrainingSession.objects.get().capacity == 7


# -- The committee's actions respect the session's dates ------------------------------------


def test_no_capacity_change_or_cancellation_once_a_session_has_started():
    training = f.training(sessions=[f.session(-3)])
    session = training.sessions.get()
    enrol(session)
    with pytest.raises(services.EnrolmentRefused) as refusal:
        services.set_capacity(session, 40)
    assert refusal.value.code == "past"
    with pytest.raises(services.EnrolmentRefused) as refusal:
        services.cancel_session(session)
    assert refusal.value.code == "past"
    session.refresh_from_db()
    assert (session.capacity, session.status) == (20, SessionStatus.SCHEDULED)
    assert not OutboxEmail.objects.exists()


def test_no_capacity_change_on_a_cancelled_session():
    session = f.training(sessions=[f.session(5, status="cancelled")]).sessions.get()
    with pytest.raises(services.EnrolmentRefused) as refusal:
        services.set_capacity(session, 40)
    assert refusal.value.code == "cancelled"


def test_an_offer_cannot_be_accepted_once_the_session_has_started(now):
    session = f.training(sessions=[f.session(5)]).sessions.get()
    offered = enrol(session, status="offered")
    offered.offer_expires_at = now + datetime.timedelta(days=10)
    offered.save()
    TrainingSession.objects.filter(pk=session.pk).update(start=now - datetime.timedelta(hours=1))
    with pytest.raises(services.EnrolmentRefused) as refusal:
        services.accept_offer(offered)
    assert refusal.value.code == "past"
    offered.refresh_from_db()
    assert offered.status == "offered"


# -- A message sent twice by a double submit goes once ----------------------------------------


def test_the_same_message_to_the_same_group_is_sent_once():
    session = f.training(sessions=[f.session(5)]).sessions.get()
    for _ in range(3):
        enrol(session)
    rows = services.email_participants(session, "confirmed", "Rappel", "Bonjour à toutes.")
    assert len(rows) == 3
    with pytest.raises(services.EnrolmentRefused) as refusal:
        services.email_participants(session, "confirmed", "Rappel", "Bonjour à toutes.")
    assert refusal.value.code == "already_sent"
    assert OutboxEmail.objects.filter(kind="committee_message").count() == 3
    # Another message is another message.
    services.email_participants(session, "confirmed", "Rappel", "Un autre mot.")
    assert OutboxEmail.objects.filter(kind="committee_message").count() == 6


# -- A certificate follows the attendance it certifies ------------------------------------------


def test_marking_someone_absent_revokes_their_certificate():
    session = f.training(certificate=True, sessions=[f.session(-3)]).sessions.get()
    enrolment = enrol(session)
    mark_all(enrolment, True)
    certificate = certificates.issue(enrolment)
    assert not certificate.is_revoked
    mark_all(enrolment, False)
    certificate.refresh_from_db()
    assert certificate.is_revoked and "Attendance corrected" in certificate.revoked_reason
    assert Certificate.objects.count() == 1


# -- Drafts never published stay out of the committee's figures -----------------------------


def test_sessions_of_a_never_published_draft_are_not_in_the_report():
    published = f.training(sessions=[f.session(-10)])
    draft = TrainingPage(
        title="Brouillon",
        slug="brouillon",
        summary="Pas encore publiée.",
        provider=published.provider,
        duration_hours=3,
        live=False,
    )
    draft.sessions.add(f.session(-5))
    published.get_parent().add_child(instance=draft)
    assert TrainingSession.objects.count() == 2
    assert list(TrainingSession.objects.published()) == [published.sessions.get()]
    period = reports.Period(
        datetime.date.today() - datetime.timedelta(days=30), datetime.date.today()
    )
    assert reports.held_sessions(period).count() == 1


def test_a_period_ending_at_the_end_of_the_calendar_is_a_message_not_an_error(client):
    committee = f.user("comite@example.org")
    committee.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_reports"])
    )
    client.force_login(committee)
    url = reverse("committee_training_report")
    response = client.get(url, {"start": "9999-12-30", "end": "9999-12-31"})
    assert response.status_code == 200
    assert "2100-12-31" in response.content.decode()
    response = client.get(url, {"start": "9999-12-30", "end": "9999-12-31", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# -- Another organisation's draft has no title in the admin ------------------------------------


def test_another_organisations_draft_is_a_404_in_the_explorer_chooser_and_bulk_actions(client):
    from django.contrib.auth.models import Group

    from committee import roles
    from members.models import Membership

    ours, theirs = f.organisation("Notre organisme"), f.organisation("Autre organisme")
    catalogue = f.catalogue()
    roles.set_up_page(catalogue)
    secret = TrainingPage(
        title="BROUILLON SECRET",
        slug="brouillon-secret",
        summary="…",
        provider=theirs,
        duration_hours=3,
        live=False,
    )
    catalogue.add_child(instance=secret)
    own = TrainingPage(
        title="Notre brouillon", slug="notre", summary="…", provider=ours, duration_hours=3
    )
    own.live = False
    catalogue.add_child(instance=own)
    writer = f.user("redaction@example.org")
    writer.groups.add(Group.objects.get(name=roles.ORGANISATION_EDITORS))
    Membership.objects.create(user=writer, organisation=ours)
    client.force_login(writer)
    for url in (
        f"/admin/pages/{secret.pk}/",
        f"/admin/choose-page/{secret.pk}/",
        f"/admin/bulk/wagtailcore/page/delete/?id={secret.pk}",
        f"/admin/pages/workflow/confirm_cancellation/{secret.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "BROUILLON SECRET" not in response.content.decode()
    assert client.get(f"/admin/pages/{own.pk}/").status_code == 200
    # Digits of other scripts are not ids ("²".isdigit() is True): no 500.
    for odd in ("%C2%B2", "abc"):
        response = client.get(f"/admin/bulk/wagtailcore/page/delete/?id={own.pk}&id={odd}")
        assert response.status_code == 400


# -- Nothing in the catalogue through its ancestors ------------------------------------------


def test_the_awareness_committee_cannot_restrict_move_or_unpublish_the_catalogue_from_above():
    from django.contrib.auth.models import Group

    from committee import roles
    from home.models import StandardPage

    catalogue = f.catalogue()
    roles.set_up_page(catalogue)
    home = catalogue.get_parent().specific
    about = home.add_child(instance=StandardPage(title="À propos", slug="a-propos"))
    awareness = f.user("sensibilisation@example.org")
    awareness.groups.add(Group.objects.get(name=roles.AWARENESS_COMMITTEE))
    above = home.permissions_for_user(awareness)
    assert above.can_edit() and above.can_publish()
    assert not above.can_set_view_restrictions()
    assert not above.can_move() and not above.can_unpublish() and not above.can_delete()
    beside = about.permissions_for_user(awareness)
    assert beside.can_set_view_restrictions() and beside.can_unpublish()
    # The training committee, which holds the catalogue, is not concerned by this rule.
    training_committee = f.user("formation@example.org")
    training_committee.groups.add(Group.objects.get(name=roles.TRAINING_COMMITTEE))
    assert not home.permissions_for_user(training_committee).can_edit()


# -- The admin in the site's two languages ------------------------------------------------------


def test_the_admin_sign_in_labels_the_password_in_french(client):
    html = client.get("/admin/login/").content.decode()
    assert "Mot de passe" in html and ">Password" not in html


def test_the_admin_offers_only_the_sites_languages():
    from wagtail.admin.localization import get_available_admin_languages

    assert [code for code, _name in get_available_admin_languages()] == ["fr-ca", "en"]


def test_the_organisations_listing_says_active_without_true(admin_client):
    f.organisation("Maison active")
    html = admin_client.get("/admin/snippets/members/organisation/").content.decode()
    assert "Maison active" in html and ">True<" not in html


# -- Hand-made admin forms -------------------------------------------------------------------


def test_a_malformed_admin_form_is_a_400_not_a_500(admin_client):
    training = f.training()
    response = admin_client.post(
        f"/admin/pages/{training.pk}/copy/",
        {"new_title": "Copie", "new_slug": "copie", "new_parent_page": "abc"},
    )
    assert response.status_code in (200, 400)
    response = admin_client.post(f"/admin/pages/{training.pk}/edit/", {"title": "Sans le reste"})
    assert response.status_code in (200, 302, 400)
    assert TrainingPage.objects.get(pk=training.pk).title != "Sans le reste"
