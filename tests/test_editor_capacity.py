"""The page editor cannot overbook (issue 8, item 3).

Sessions are inline children of the training page: whatever publishes the page writes them.
Every way of publishing (the edit view, bulk publish, scheduled publishing, an old revision,
workflow approval) must apply capacity and status under the session lock and refuse, at the
moment of publishing, a capacity below the confirmed count. The first tests run real threads
on PostgreSQL; the others make the race deterministic and run on both databases.
"""

import datetime
import threading
import time

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connections
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone, translation
from wagtail import hooks
from wagtail.models import PageLogEntry, Revision

from tests import factories as f
from tests.test_admin_enrolments import form_data
from trainings import services
from trainings.models import Enrolment, OutboxEmail, TrainingPage, TrainingSession

# Nothing in this file depends on today's date: every session is dated from a frozen "now".
NOW = datetime.datetime(2031, 3, 3, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=True):
        yield


def confirmed(session):
    return Enrolment.objects.filter(session_id=session.pk, status="confirmed").count()


def enrol_people(session, count):
    for _ in range(count):
        services.enrol(f.user(), session, consent=True)


def training_with(capacity=20, confirmed_now=3, waiting_list=True, title="Atelier"):
    page = f.training(
        title=title,
        sessions=[f.session(10, capacity=capacity, waiting_list=waiting_list)],
    )
    session = page.sessions.get()
    enrol_people(session, confirmed_now)
    return page, session


def save_draft(page, **changes):
    """A draft revision whose only session has `changes`, as the editor's "Save draft" makes."""
    draft = TrainingPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    sessions = list(draft.sessions.all())
    for name, value in changes.items():
        setattr(sessions[0], name, value)
    draft.sessions = sessions
    return draft.save_revision()


def editor_client():
    user = get_user_model().objects.create_superuser(
        f"editeur{timezone.now().timestamp()}", "editeur@example.org", "pw"
    )
    client = Client()
    client.force_login(user)
    return client, user


def messages_of(response, level=None):
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if level is None or message.level_tag == level
    ]


def edit_data(client, page, **session_changes):
    data = form_data(client.get(f"/admin/pages/{page.pk}/edit/").context["form"])
    for name, value in session_changes.items():
        data[f"sessions-0-{name}"] = str(value)
    return data


# -- The two reported scenarios, with real concurrency (PostgreSQL) --------------------------

# Each trial spreads the enrolments a little more (seconds between two arrivals), so that the
# publish lands before, among and after them.
SPREADS = (0, 0.02, 0.1, 0.25, 0.5)
TRIALS = len(SPREADS)


def run_together(*jobs):
    """Start every job at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    errors, results = [], [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except services.EnrolmentRefused as refusal:
            results[index] = refusal
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def enrolment_jobs(session, count, spread=0):
    people = [f.user() for _ in range(count)]

    def job(index, person):
        time.sleep(index * spread)
        return services.enrol(person, session, consent=True)

    return [(lambda i=i, p=p: job(i, p)) for i, p in enumerate(people)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_a_lower_capacity_while_people_enrol_never_overbooks(postgres_only):
    """Reported: capacity 5 published on a session with 3 confirmed while 12 people enrol
    left 9–15 confirmed, in 3 trials of 3."""
    client, _ = editor_client()
    outcomes = []
    for trial in range(TRIALS):
        page, session = training_with(capacity=20, confirmed_now=3, title=f"Essai {trial}")
        data = edit_data(client, page, capacity=5)

        def publish(data=data, page=page):
            return client.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})

        results, errors = run_together(publish, *enrolment_jobs(session, 12, SPREADS[trial]))
        assert errors == []
        assert results[0].status_code in (200, 302)
        session.refresh_from_db()
        assert confirmed(session) <= session.capacity, f"trial {trial}"
        assert Enrolment.objects.filter(session=session).count() == 15
        if results[0].status_code == 200:  # refused: nothing changed
            assert session.capacity == 20
            assert messages_of(results[0], "error")
        else:
            assert session.capacity == 5
        outcomes.append((results[0].status_code, session.capacity, confirmed(session)))
    print(f"\n{TRIALS} trials (publish status, capacity, confirmed): {outcomes}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bulk_publishing_a_draft_while_people_enrol_never_overbooks(postgres_only):
    """Reported: a draft with capacity 5, bulk-published after 10 more enrolments, gave 13
    confirmed for 5 seats. Here the enrolments also race with the bulk action."""
    client, _ = editor_client()
    outcomes = []
    for trial in range(TRIALS):
        page, session = training_with(capacity=20, confirmed_now=3, title=f"Lot {trial}")
        save_draft(page, capacity=5)
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))

        def bulk_publish(url=url, page=page):
            return client.post(f"{url}?id={page.pk}", {})

        results, errors = run_together(bulk_publish, *enrolment_jobs(session, 10, SPREADS[trial]))
        assert errors == []
        assert results[0].status_code == 302
        session.refresh_from_db()
        assert confirmed(session) <= session.capacity, f"trial {trial}"
        outcomes.append((session.capacity, confirmed(session)))
    print(f"\n{TRIALS} trials (capacity, confirmed): {outcomes}")


# -- Deterministic: each publishing path, on SQLite and PostgreSQL ---------------------------


@pytest.mark.django_db
def test_the_edit_view_refuses_at_the_moment_of_publishing(client):
    """The form saw 3 confirmed; 3 more enrol between the form's check and the publish."""
    page, session = training_with(capacity=20, confirmed_now=3)
    editor, _ = editor_client()
    data = edit_data(editor, page, capacity=5, venue="Salle B")
    revisions_before = Revision.objects.filter(object_id=str(page.pk)).count()

    def three_more_enrol(request, page_being_published):
        enrol_people(session, 3)

    with hooks.register_temporarily("before_publish_page", three_more_enrol):
        response = editor.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})

    assert response.status_code == 200  # the form again, with the editor's input
    errors = messages_of(response, "error")
    assert len(errors) == 1 and "5" in errors[0] and "6" in errors[0], errors
    assert not messages_of(response, "success")
    capacity_errors = response.context["form"].formsets["sessions"].forms[0].errors["capacity"]
    assert capacity_errors
    html = response.content.decode()
    assert 'value="5"' in html and "Salle B" in html  # nothing the editor typed is lost
    session.refresh_from_db()
    assert (session.capacity, session.venue) == (20, "")
    assert confirmed(session) <= session.capacity
    # The whole publish was rolled back: no revision, the page as it was.
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions_before
    assert not TrainingPage.objects.get(pk=page.pk).has_unpublished_changes


@pytest.mark.django_db
def test_the_edit_view_refuses_a_capacity_below_the_confirmed_count(client):
    page, session = training_with(capacity=20, confirmed_now=3)
    editor, _ = editor_client()
    data = edit_data(editor, page, capacity=2)
    response = editor.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert response.context["form"].formsets["sessions"].forms[0].errors["capacity"]
    session.refresh_from_db()
    assert session.capacity == 20


@pytest.mark.django_db
def test_the_edit_view_publishes_a_capacity_that_fits(client):
    page, session = training_with(capacity=20, confirmed_now=3)
    editor, _ = editor_client()
    data = edit_data(editor, page, capacity=3)
    response = editor.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.capacity == 3


@pytest.mark.django_db
def test_bulk_publish_refuses_a_draft_below_the_confirmed_count(client):
    page, session = training_with(capacity=20, confirmed_now=3)
    fine, fine_session = training_with(capacity=20, confirmed_now=1, title="Autre")
    save_draft(page, capacity=5)
    save_draft(fine, capacity=8)
    enrol_people(session, 10)
    editor, _ = editor_client()
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = editor.post(f"{url}?id={page.pk}&id={fine.pk}&next=/admin/", {}, follow=True)
    assert response.status_code == 200
    errors = messages_of(response, "error")
    assert len(errors) == 1 and "13" in errors[0] and "Atelier" in errors[0], errors
    assert any("1" in message for message in messages_of(response, "success"))
    session.refresh_from_db()
    assert (session.capacity, confirmed(session)) == (20, 13)
    assert TrainingPage.objects.get(pk=page.pk).has_unpublished_changes  # the draft is kept
    fine_session.refresh_from_db()
    assert fine_session.capacity == 8  # the other page of the batch is published


@pytest.mark.django_db
def test_publishing_a_revision_refuses_and_changes_nothing():
    page, session = training_with(capacity=20, confirmed_now=3)
    revision = save_draft(page, capacity=5)
    enrol_people(session, 10)
    with pytest.raises(services.SessionChangeRefused) as refused:
        revision.publish()
    assert refused.value.code == "capacity"
    session.refresh_from_db()
    assert (session.capacity, confirmed(session)) == (20, 13)
    page = TrainingPage.objects.get(pk=page.pk)
    assert page.live_revision_id != revision.pk


@pytest.mark.django_db
def test_publishing_an_old_revision_refuses_a_capacity_now_too_low():
    page, session = training_with(capacity=5, confirmed_now=3)
    old = page.live_revision
    TrainingSession.objects.filter(pk=session.pk).update(capacity=20)  # as set_capacity does
    save_draft(page, capacity=20).publish()
    enrol_people(session, 10)
    with pytest.raises(services.SessionChangeRefused):
        old.publish()
    session.refresh_from_db()
    assert (session.capacity, confirmed(session)) == (20, 13)


@pytest.mark.django_db
def test_publishing_a_revision_without_a_session_that_has_enrolments_is_refused():
    page, session = training_with(capacity=20, confirmed_now=3)
    draft = TrainingPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    draft.sessions = []
    with pytest.raises(services.SessionChangeRefused) as refused:
        draft.save_revision().publish()
    assert refused.value.code == "delete"
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    assert confirmed(session) == 3


@pytest.mark.django_db
def test_scheduled_publishing_refuses_logs_and_unschedules(caplog):
    page, session = training_with(capacity=20, confirmed_now=3)
    draft = TrainingPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    draft.go_live_at = NOW + datetime.timedelta(hours=1)
    sessions = list(draft.sessions.all())
    sessions[0].capacity = 5
    draft.sessions = sessions
    revision = draft.save_revision()
    revision.publish()  # scheduled: nothing changes yet
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at is not None
    enrol_people(session, 10)
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        call_command("publish_scheduled")  # no crash: the other scheduled pages still go live
    session.refresh_from_db()
    assert (session.capacity, confirmed(session)) == (20, 13)
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at is None
    assert "13" in caplog.text and "Atelier" in caplog.text
    entry = PageLogEntry.objects.filter(page_id=page.pk, action="trainings.publish_refused")
    assert entry.count() == 1
    editor, _ = editor_client()
    history = editor.get(f"/admin/pages/{page.pk}/history/").content.decode()
    assert "Publication programmée refusée" in history and "13" in history


def test_the_refusal_is_translated():
    session = TrainingSession(page=TrainingPage(title="Atelier"), start=NOW, end=NOW, pk=1)
    refusal = services.SessionChangeRefused("capacity", session, capacity=5, confirmed=13)
    with translation.override("fr-ca"):
        assert refusal.message.startswith("« Atelier — 2031-03-03 07:00 » : le nombre de places")
        assert "Rien n’a été modifié." in refusal.message
    with translation.override("en"):
        assert "cannot be lower than the 13 seats taken" in refusal.message
    deletion = services.SessionChangeRefused("delete", session)
    with translation.override("fr-ca"):
        assert "ne peut pas être supprimée" in deletion.message


@pytest.mark.django_db
def test_workflow_approval_refuses_with_a_message(client):
    page, session = training_with(capacity=20, confirmed_now=3)
    editor, user = editor_client()
    page = TrainingPage.objects.get(pk=page.pk)
    save_draft(page, capacity=5)
    page = TrainingPage.objects.get(pk=page.pk)
    workflow = page.get_workflow()
    assert workflow is not None
    workflow.start(page, user)
    enrol_people(session, 10)
    page = TrainingPage.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    response = editor.post(url, {"comment": ""}, follow=True)
    assert response.status_code == 200
    assert any("13" in message for message in messages_of(response, "error"))
    session.refresh_from_db()
    assert (session.capacity, confirmed(session)) == (20, 13)
    assert TrainingPage.objects.get(pk=page.pk).current_workflow_task_state is not None


@pytest.mark.django_db
def test_a_raised_capacity_promotes_the_waiting_list_on_publish():
    page, session = training_with(capacity=2, confirmed_now=2)
    enrol_people(session, 3)  # waiting
    editor, _ = editor_client()
    data = edit_data(editor, page, capacity=4)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = editor.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})
    assert response.status_code == 302
    assert confirmed(session) == 4
    assert OutboxEmail.objects.filter(kind="promoted").count() == 2


@pytest.mark.django_db
def test_a_cancelled_status_on_publish_cancels_enrolments_and_queues_emails():
    page, session = training_with(capacity=2, confirmed_now=2)
    enrol_people(session, 1)  # waiting
    editor, _ = editor_client()
    data = edit_data(editor, page, status="cancelled")
    response = editor.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})
    assert response.status_code == 302
    assert set(session.enrolments.values_list("status", flat=True)) == {"cancelled"}
    assert OutboxEmail.objects.filter(kind="session_cancelled").count() == 3


@pytest.mark.django_db
def test_the_api_cannot_change_a_training(client):
    page, session = training_with(capacity=20, confirmed_now=3)
    url = f"/api/v2/trainings/{page.pk}/"
    assert client.get(url).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(url, {"capacity": 1}, content_type="application/json")
        assert response.status_code == 405, method
    session.refresh_from_db()
    assert session.capacity == 20


@pytest.mark.django_db
def test_copies_and_translations_never_take_the_sessions():
    from wagtail.models import Locale

    page, session = training_with(capacity=20, confirmed_now=3)
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = page.copy_for_translation(english, copy_parents=True)
    translation.save_revision().publish()
    copy = page.copy(update_attrs={"slug": "copie", "title": "Copie"})
    assert not TrainingSession.objects.filter(page__in=[translation, copy]).exists()
    session.refresh_from_db()
    assert (session.page_id, session.capacity, confirmed(session)) == (page.pk, 20, 3)
