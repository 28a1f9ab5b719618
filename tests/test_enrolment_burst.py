"""The busiest moment: 200 people enrolling at once into a session of 20 seats.

On PostgreSQL, real threads (each with its own database connection) drain the 200 arrivals
through `services.enrol`, as the server's workers would: exactly 20 confirmed, 180 waiting in
arrival order (the order in which each one took the session's lock, that is the `created` time
read under it), no error, and each person's e-mail written, rendered once and sent once.

The other tests (any database) pin down what makes that fast and still right: the locked part
writes the e-mail unrendered and runs a fixed, short list of statements; the e-mail is rendered
after the commit, with the waiting-list position true at that moment.
"""

import queue
import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, connections
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from members.models import Membership
from tests import factories as f
from trainings import emails, services
from trainings.models import Enrolment, OutboxEmail

PEOPLE = 200
CAPACITY = 20
# PostgreSQL allows 100 connections here, shared with everything else: a bounded pool of
# workers, each with its own connection, drains the arrivals.
WORKERS = 40


def people(count, organisation):
    """`count` members, one in three reading English."""
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                username=f"burst{n}@example.org", email=f"burst{n}@example.org", first_name=f"P{n}"
            )
            for n in range(count)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=organisation, language="en" if n % 3 == 0 else "fr")
            for n, user in enumerate(users)
        ]
    )
    return list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk"))


@pytest.fixture
def renders(monkeypatch):
    """Every e-mail text composed, as [(enrolment id, kind)], in any thread. A spy: the real
    function runs (looked up on the module by every path that renders: right after the commit,
    and `render` when the outbox delivers a row still unrendered)."""
    composed, lock = [], threading.Lock()
    real = emails.compose

    def counting(enrolment, kind):
        result = real(enrolment, kind)
        with lock:
            composed.append((enrolment.pk, kind))
        return result

    monkeypatch.setattr(emails, "compose", counting)
    return composed


def drain(session, arrivals):
    """A pool of WORKERS threads released together enrols everyone; returns the errors."""
    waiting = queue.SimpleQueue()
    for person in arrivals:
        waiting.put(person)
    release = threading.Event()
    errors = []

    def worker():
        try:
            release.wait()
            while True:
                try:
                    person = waiting.get_nowait()
                except queue.Empty:
                    return
                try:
                    services.enrol(person, session, consent=True)
                except Exception as error:  # collected and asserted on below
                    errors.append(error)
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_hundred_at_once_into_twenty_seats_end_exact(renders):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")
    page = f.training(sessions=[f.session(10, capacity=CAPACITY)])
    session = page.sessions.get()
    arrivals = people(PEOPLE, f.organisation())
    mail.outbox = []
    connections.close_all()  # the workers open their own

    errors = drain(session, arrivals)

    assert errors == []
    # Arrival order is lock order: the time read under the lock (`created`) and the row ids
    # inserted under it agree, and the first CAPACITY in that order hold the seats.
    rows = list(Enrolment.objects.filter(session=session).order_by("created", "pk"))
    assert len(rows) == PEOPLE
    assert [row.pk for row in rows] == sorted(row.pk for row in rows)
    assert [row.status for row in rows] == ["confirmed"] * CAPACITY + ["waiting"] * (
        PEOPLE - CAPACITY
    )
    assert len({row.user_id for row in rows}) == PEOPLE
    positions = Enrolment.objects.filter(session=session).waiting_positions()
    waiting = rows[CAPACITY:]
    assert [positions[row.pk] for row in waiting] == list(range(1, PEOPLE - CAPACITY + 1))

    # One e-mail per person, of the right kind, rendered exactly once and sent exactly once.
    outbox = {email.enrolment_id: email for email in OutboxEmail.objects.filter(enrolment__in=rows)}
    assert len(outbox) == OutboxEmail.objects.count() == PEOPLE
    assert all(outbox[row.pk].kind == row.status for row in rows)
    assert all(email.body and email.sent_at and email.attempts == 1 for email in outbox.values())
    assert sorted(renders) == sorted((row.pk, row.status) for row in rows)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in arrivals)
    # The position each waiting person reads is their place in the list.
    english = {m.user_id for m in Membership.objects.filter(language="en")}
    for row in waiting:
        body = outbox[row.pk].body
        if row.user_id in english:
            assert f"on the waiting list, in position {positions[row.pk]}." in body
        else:
            assert f"liste d’attente, en position {positions[row.pk]}." in body


# -- What keeps the lock short, and the e-mail right (any database) -----------------------------


def committed(function, *args, **kwargs):
    """Run the after-commit callbacks (rendering, delivery) as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


@pytest.fixture
def small_session(db, frozen_now):
    page = f.training(sessions=[f.session(10, capacity=1)])
    return page.sessions.get()


def test_the_locked_part_only_checks_and_writes(small_session):
    """The transaction of an enrolment: the lock, one query for the seats and a double
    enrolment, the enrolment, its e-mail (unrendered) and the audit entry. Nothing reads the
    page's translations, the person's membership or the locale while the lock is held."""
    person = f.member()
    ContentType.objects.get_for_model(Enrolment)  # cached by any earlier log entry in a process
    with (
        TestCase.captureOnCommitCallbacks(execute=False) as after_commit,
        CaptureQueriesContext(connection) as locked,
    ):
        enrolment = services.enrol(person, small_session, consent=True)
    statements = [
        q["sql"]
        for q in locked.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT"))
    ]
    writes = [sql.split('"')[1] for sql in statements if sql.startswith("INSERT")]
    assert writes == [
        "trainings_enrolment",
        "trainings_outboxemail",
        "wagtailcore_modellogentry",
    ]
    reads = [sql for sql in statements if sql.startswith("SELECT")]
    assert len(reads) <= 4  # the lock, the seats; Wagtail's log entry checks its two keys
    assert not any(
        table in sql
        for sql in reads
        for table in ("members_membership", "wagtailcore_locale", "members_organisation")
    )
    email = OutboxEmail.objects.get(enrolment=enrolment)
    assert (email.subject, email.body, email.calendar) == ("", "", "")
    assert len(after_commit) >= 1

    for callback in after_commit:  # the commit: rendered, then sent
        callback()
    email.refresh_from_db()
    assert email.subject.startswith("Inscription confirmée") and email.sent_at is not None
    assert "BEGIN:VEVENT" in email.calendar


def test_the_waiting_position_is_the_one_when_the_email_is_written(small_session):
    """Rendered after the commit, the position is true when the person reads it: someone ahead
    leaving before it is written moves them up."""
    committed(services.enrol, f.member(), small_session, consent=True)  # the seat
    ahead = committed(services.enrol, f.member(), small_session, consent=True)
    with TestCase.captureOnCommitCallbacks(execute=False) as after_commit:
        mine = services.enrol(f.member(), small_session, consent=True)
    assert Enrolment.objects.waiting_position(mine) == 2
    committed(services.leave_waiting_list, ahead)
    for callback in after_commit:
        callback()
    (email,) = OutboxEmail.objects.filter(enrolment=mine, kind="waiting")
    assert "en position 1." in email.body


def test_render_leaves_a_rendered_row_alone(small_session):
    enrolment = committed(services.enrol, f.member(), small_session, consent=True)
    email = OutboxEmail.objects.get(enrolment=enrolment)
    body = email.body
    assert body
    email.body = body + "(déjà écrit)"
    assert emails.render(email) is True
    assert email.body == body + "(déjà écrit)"


def test_an_unrendered_row_whose_enrolment_is_gone_is_dropped_not_sent_empty(small_session):
    with TestCase.captureOnCommitCallbacks(execute=False):
        enrolment = services.enrol(f.member(), small_session, consent=True)
    email = OutboxEmail.objects.get(enrolment=enrolment)
    Enrolment.objects.filter(pk=enrolment.pk).delete()  # the session deleted with its page
    email.refresh_from_db()
    assert email.enrolment_id is None and not email.body
    assert emails.render(email) is False
    assert not OutboxEmail.objects.filter(pk=email.pk).exists()


def test_a_cancellation_is_written_at_once(small_session):
    """What an ending enrolment's e-mail is made of may go in the same transaction (an account
    or a session deleted): it is rendered before the commit."""
    enrolment = committed(services.enrol, f.member(), small_session, consent=True)
    with TestCase.captureOnCommitCallbacks(execute=False):
        services.cancel(enrolment, by_committee=True)
    email = OutboxEmail.objects.get(enrolment=enrolment, kind="cancelled")
    assert email.subject and email.body


def test_a_waiting_email_not_rendered_before_the_person_got_a_seat_is_not_sent(small_session):
    """Rendered late (the outbox retrying it), "you are on the waiting list" would be false: the
    e-mail of the seat tells what is true, and the stale one is dropped."""
    seated = committed(services.enrol, f.member(), small_session, consent=True)
    with TestCase.captureOnCommitCallbacks(execute=False):  # rendering after it never ran
        waiting = services.enrol(f.member(), small_session, consent=True)
    stale = OutboxEmail.objects.get(enrolment=waiting, kind="waiting")
    committed(services.cancel, seated)  # the seat goes to the person waiting
    (promoted,) = OutboxEmail.objects.filter(enrolment=waiting, kind="promoted")
    assert promoted.body and promoted.sent_at
    assert emails.render(stale) is False
    assert not OutboxEmail.objects.filter(pk=stale.pk).exists()
