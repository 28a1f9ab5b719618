"""The enrolment rules of trainings/services.py, one by one."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import translation

from tests import factories as f
from trainings import services
from trainings.models import Enrolment, OutboxEmail
from trainings.services import EnrolmentRefused

pytestmark = pytest.mark.django_db(transaction=False)


def committed(function, *args, **kwargs):
    """Each test runs inside a transaction: run the after-commit callbacks (e-mails) as a real
    commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


@pytest.fixture
def session(db, frozen_now):
    page = f.training(sessions=[f.session(10, capacity=2)])
    return page.sessions.get()


def enrol(user, session, **answers):
    answers.setdefault("consent", True)
    return committed(services.enrol, user, session, **answers)


def refused(code, function, *args, **kwargs):
    with pytest.raises(EnrolmentRefused) as caught:
        function(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def statuses(session):
    return list(session.enrolments.order_by("created", "pk").values_list("status", flat=True))


def test_confirmed_while_seats_remain_then_waiting_with_position(session):
    first, second, third, fourth = (enrol(f.user(), session) for _ in range(4))
    assert [first.status, second.status] == ["confirmed", "confirmed"]
    assert [third.status, fourth.status] == ["waiting", "waiting"]
    assert Enrolment.objects.waiting_position(third) == 1
    assert Enrolment.objects.waiting_position(fourth) == 2
    assert Enrolment.objects.waiting_position(first) is None


def test_answers_are_kept_with_the_consent_time(session):
    enrolment = enrol(
        f.user(),
        session,
        accessibility_needs=" Fauteuil roulant ",
        interpretation_language="LSQ",
        comment="Merci",
    )
    enrolment.refresh_from_db()
    assert enrolment.accessibility_needs == "Fauteuil roulant"
    assert enrolment.interpretation_language == "LSQ"
    assert enrolment.consent_at is not None


def test_consent_is_required(session):
    refused("consent", enrol, f.user(), session, consent=False, comment="Merci")
    assert not Enrolment.objects.exists()


def test_enrolling_twice_is_refused_politely(session):
    person = f.user()
    enrol(person, session)
    error = refused("already", enrol, person, session)
    with translation.override("fr-ca"):
        assert str(error.message) == "Vous êtes déjà inscrit·e à cette séance."
    assert session.enrolments.count() == 1


def test_a_person_on_the_waiting_list_cannot_enrol_again(session):
    for _ in range(2):
        enrol(f.user(), session)
    person = f.user()
    enrol(person, session)
    refused("already", enrol, person, session)


def test_after_cancelling_a_person_may_enrol_again(session):
    person = f.user()
    enrolment = enrol(person, session)
    services.cancel(enrolment)
    assert enrol(person, session).status == "confirmed"


def test_cancelled_session_refuses(session):
    services.cancel_session(session)
    refused("cancelled", enrol, f.user(), session)


def test_past_session_refuses(db):
    page = f.training(sessions=[f.session(-2)])
    refused("past", enrol, f.user(), page.sessions.get())


def test_enrolment_window(session):
    session.enrolment_opens = f.at(3)
    session.enrolment_closes = f.at(8)
    session.save()
    refused("not_open", enrol, f.user(), session)
    assert enrol(f.user(), session, now=f.at(4)).status == "confirmed"
    refused("closed", enrol, f.user(), session, now=f.at(8, hour=12))


def test_full_session_without_waiting_list_refuses(session):
    session.waiting_list = False
    session.save()
    enrol(f.user(), session)
    enrol(f.user(), session)
    refused("full", enrol, f.user(), session)
    assert session.enrolments.count() == 2


def test_cancellation_promotes_the_first_person_waiting_and_tells_them(session):
    first = enrol(f.user(), session)
    enrol(f.user(), session)
    waiting_1 = enrol(f.user("premier@example.org"), session)
    waiting_2 = enrol(f.user(), session)
    mail.outbox.clear()
    committed(services.cancel, first)
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert waiting_1.status == "confirmed" and waiting_1.promoted_at is not None
    assert waiting_2.status == "waiting"
    assert Enrolment.objects.waiting_position(waiting_2) == 1
    recipients = {message.to[0]: message for message in mail.outbox}
    assert "premier@example.org" in recipients
    assert recipients["premier@example.org"].attachments  # the .ics


def test_cancelling_a_waiting_enrolment_promotes_nobody(session):
    enrol(f.user(), session)
    enrol(f.user(), session)
    waiting_1 = enrol(f.user(), session)
    waiting_2 = enrol(f.user(), session)
    services.cancel(waiting_1)
    waiting_2.refresh_from_db()
    assert waiting_2.status == "waiting"
    assert Enrolment.objects.waiting_position(waiting_2) == 1


def test_member_cannot_cancel_after_the_deadline_but_the_committee_can(session):
    enrolment = enrol(f.user(), session)
    late = session.start + datetime.timedelta(minutes=1)
    refused("deadline", services.cancel, enrolment, now=late)
    services.cancel(enrolment, by_committee=True, now=late)
    enrolment.refresh_from_db()
    assert enrolment.status == "cancelled"


def test_cancel_twice_is_harmless(session):
    enrolment = enrol(f.user(), session)
    services.cancel(enrolment)
    services.cancel(enrolment)
    assert statuses(session) == ["cancelled"]


def test_raising_the_capacity_promotes(session):
    for _ in range(5):
        enrol(f.user(), session)
    promoted = services.set_capacity(session, 4)
    assert len(promoted) == 2
    assert statuses(session) == ["confirmed"] * 4 + ["waiting"]


def test_capacity_cannot_go_below_the_confirmed_count(session):
    enrol(f.user(), session)
    enrol(f.user(), session)
    refused("capacity", services.set_capacity, session, 1)
    session.refresh_from_db()
    assert session.capacity == 2


def test_cancelling_a_session_cancels_and_tells_everyone(session):
    for _ in range(3):
        enrol(f.user(), session)
    mail.outbox.clear()
    told = committed(services.cancel_session, session)
    assert len(told) == 3
    assert statuses(session) == ["cancelled"] * 3
    assert len(mail.outbox) == 3
    assert all("annulée" in message.subject.lower() for message in mail.outbox)


def test_confirmation_email_has_a_calendar_file_in_montreal_time(session):
    from icalendar import Calendar

    mail.outbox.clear()
    enrol(f.user(), session)
    (message,) = mail.outbox
    assert message.subject.startswith("Inscription confirmée")
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "America/Montreal"
    assert start.hour == 9


def test_waiting_list_email_gives_the_position(session):
    enrol(f.user(), session)
    enrol(f.user(), session)
    mail.outbox.clear()
    enrol(f.user(), session)
    assert "position 1" in mail.outbox[0].body


def test_emails_are_in_the_members_language(session):
    from members.models import Membership

    person = f.user()
    Membership.objects.create(user=person, organisation=f.organisation(), language="en")
    mail.outbox.clear()
    enrol(person, session)
    assert mail.outbox[0].subject.startswith("Enrolment confirmed")
    assert "Your enrolment is confirmed" in mail.outbox[0].body


def test_every_email_goes_through_the_outbox(session):
    enrol(f.user(), session)
    email = OutboxEmail.objects.get()
    assert email.sent_at is not None and email.attempts == 1
