"""Many people enrol at once in a session of 20 seats: exactly 20 confirmed, no error.

Real threads, each with its own database connection, released together by a barrier. On
PostgreSQL the session row lock serialises them; the test is skipped elsewhere.
"""

import threading

import pytest
from django.db import connection, connections

from tests import factories as f
from trainings import services
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PEOPLE = 60
CAPACITY = 20


@pytest.fixture
def crowded_session():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")
    page = f.training(sessions=[f.session(10, capacity=CAPACITY)])
    people = [f.user() for _ in range(PEOPLE)]
    return page.sessions.get(), people


def enrol_all_at_once(session, people):
    barrier = threading.Barrier(len(people))
    errors = []

    def attempt(person):
        try:
            barrier.wait()
            services.enrol(person, session, consent=True)
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_concurrent_enrolments_never_overbook(crowded_session):
    session, people = crowded_session
    errors = enrol_all_at_once(session, people)
    assert errors == []
    enrolments = list(Enrolment.objects.filter(session=session).order_by("created", "pk"))
    assert len(enrolments) == PEOPLE
    statuses = [e.status for e in enrolments]
    assert statuses.count("confirmed") == CAPACITY
    # Strict order: the first 20 to get the lock are confirmed, everyone after them waits.
    assert statuses == ["confirmed"] * CAPACITY + ["waiting"] * (PEOPLE - CAPACITY)
    positions = [Enrolment.objects.waiting_position(e) for e in enrolments[CAPACITY:]]
    assert positions == list(range(1, PEOPLE - CAPACITY + 1))
    assert len({e.user_id for e in enrolments}) == PEOPLE


def test_concurrent_double_submission_creates_one_enrolment(crowded_session):
    session, people = crowded_session
    person = people[0]
    errors = enrol_all_at_once(session, [person] * 8)
    assert Enrolment.objects.filter(session=session, user=person).count() == 1
    assert {getattr(e, "code", repr(e)) for e in errors} == {"already"}
    assert len(errors) == 7
