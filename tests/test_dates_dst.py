"""Days are counted on Montréal's calendar and clock, on both sides of every clock change.

"The day before a session at 13:00" is 13:00 the day before, even when that day is 23 or 25
hours long (trainings.dates). Each test runs at frozen dates around the changes of
2026-11-01 (back to EST), 2027-03-14 (forward to EDT) and 2027-11-07 (back to EST).
"""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from icalendar import Calendar

from demo import trainings as content
from tests import factories as f
from trainings import services
from trainings.models import Enrolment, TrainingPage, TrainingSession

pytestmark = pytest.mark.django_db

MONTREAL = ZoneInfo("America/Montreal")
EDT = datetime.timedelta(hours=-4)
EST = datetime.timedelta(hours=-5)


def montreal(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=MONTREAL)


# Mornings on both sides of each change (the change happens at 2:00 on the Sunday).
AROUND_THE_CHANGES = [
    montreal(2026, 10, 31, 8),
    montreal(2026, 11, 1, 8),
    montreal(2027, 3, 13, 8),
    montreal(2027, 3, 14, 8),
    montreal(2027, 11, 6, 8),
    montreal(2027, 11, 7, 8),
]


def ids(moments):
    return [f"{moment:%Y-%m-%d}" for moment in moments]


@pytest.fixture
def clock():
    """Stop the clock at a given Montréal moment; move it again within the test."""
    travellers = []

    def at(moment):
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)
        return moment

    yield at
    for traveller in reversed(travellers):
        traveller.stop()


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def local(moment):
    return timezone.localtime(moment, MONTREAL)


def demo_sessions(slug):
    """The demo's sessions of one French training, with what content.py says of each."""
    data = next(training for training in content.TRAININGS if training["slug"] == slug)
    page = TrainingPage.objects.get(slug=slug, locale__language_code="fr-ca")
    # Later demo modules (history, offers, certificates) add sessions after the catalogue's own.
    sessions = page.sessions.filter(sort_order__lt=len(data["sessions"])).order_by("sort_order")
    return list(zip(sessions, data["sessions"], strict=True))


# -- The demo content -------------------------------------------------------------------------


@pytest.mark.parametrize("today", AROUND_THE_CHANGES, ids=ids(AROUND_THE_CHANGES))
def test_demo_sessions_keep_their_hours_and_close_the_day_before(clock, today):
    clock(today)
    load_demo()
    checked = 0
    for data in content.TRAININGS:
        for session, expected in demo_sessions(data["slug"]):
            start, end = local(session.start), local(session.end)
            assert start.date() == today.date() + datetime.timedelta(days=expected["days"])
            assert start.time() == datetime.time(expected["hour"], expected["minute"])
            # Its length is real time, whatever the clocks do.
            assert session.end - session.start == datetime.timedelta(hours=expected["hours"])
            assert end.date() == start.date()
            # Enrolment closes the day before, at the same hour on the wall clock.
            closes = local(session.enrolment_closes)
            assert closes.date() == start.date() - datetime.timedelta(days=1)
            assert closes.time() == start.time()
            assert closes.utcoffset() == (EDT if closes.dst() else EST)
            checked += 1
    assert checked == sum(len(data["sessions"]) for data in content.TRAININGS) > 20


# "Reconnaître les signes de la traite" has a session 12 days after loading, at 13:00.
CLOSES_ACROSS_A_CHANGE = [
    # loading day, the session's day (a change lies between the day before and the session)
    (montreal(2026, 10, 20, 10), datetime.date(2026, 11, 1)),
    (montreal(2027, 3, 2, 10), datetime.date(2027, 3, 14)),
    (montreal(2027, 10, 26, 10), datetime.date(2027, 11, 7)),
]


@pytest.mark.parametrize(
    "loading_day,session_day",
    CLOSES_ACROSS_A_CHANGE,
    ids=[f"{day:%Y-%m-%d}" for _, day in CLOSES_ACROSS_A_CHANGE],
)
def test_deadline_and_calendar_across_a_change(client, clock, loading_day, session_day):
    clock(loading_day)
    load_demo()
    page = TrainingPage.objects.get(
        slug="reconnaitre-les-signes-de-la-traite", locale__language_code="fr-ca"
    )
    session = next(
        session
        for session, data in demo_sessions("reconnaitre-les-signes-de-la-traite")
        if data["days"] == 12
    )
    assert local(session.start) == montreal(
        session_day.year, session_day.month, session_day.day, 13
    )

    # The calendar file gives each upcoming session at its Montréal hour, with the right offset.
    response = client.get(f"/calendrier/formation-{page.pk}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert calendar.walk("VTIMEZONE")
    starts = {}
    for event in calendar.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == "America/Montreal"
        start = event.decoded("DTSTART")
        starts[start.date()] = (start.hour, start.minute, start.utcoffset())
    offset = EST if session_day.month == 11 else EDT
    assert starts == {  # the content's sessions 12, 48 and 85 days after loading
        session_day: (13, 0, offset),
        session_day + datetime.timedelta(days=36): (9, 0, offset),
        session_day + datetime.timedelta(days=73): (18, 0, offset),
    }

    # Enrolment closes at 13:00 the day before; 24 hours before would be 12:00 or 14:00.
    day_before = session_day - datetime.timedelta(days=1)
    deadline = montreal(day_before.year, day_before.month, day_before.day, 13)
    assert deadline.utcoffset() != offset  # the clocks change in between
    clock(deadline - datetime.timedelta(minutes=30))
    assert services.enrol(f.user(), session, consent=True).status == "confirmed"
    clock(deadline - datetime.timedelta(minutes=1))
    assert services.enrol(f.user(), session, consent=True).status == "confirmed"
    clock(deadline)
    with pytest.raises(services.EnrolmentRefused) as refused:
        services.enrol(f.user(), session, consent=True)
    assert refused.value.code == "closed"


# -- Reminders --------------------------------------------------------------------------------


def enrolment_at(start):
    """A confirmed enrolment in a session starting at `start` (a Montréal time)."""
    session = TrainingSession(
        start=start, end=start + datetime.timedelta(hours=2), region="06", city="Montréal"
    )
    page = f.training(sessions=[session])
    return Enrolment.objects.create(session=page.sessions.get(), user=f.user(), status="confirmed")


def reminded(days):
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", "--days", str(days), stdout=out)
    return {
        enrolment.session.start
        for enrolment in Enrolment.objects.filter(reminder_sent_at__isnull=False).select_related(
            "session"
        )
    }


REMINDER_CASES = [
    # now, days ahead, sessions, those reminded: every session of the next `days` calendar days
    (
        montreal(2026, 10, 31, 8),  # Saturday before the change back: the night has 25 hours
        1,
        [montreal(2026, 10, 31, 7), montreal(2026, 11, 1, 9), montreal(2026, 11, 1, 23, 30)],
        [montreal(2026, 11, 1, 9), montreal(2026, 11, 1, 23, 30)],
    ),
    (
        montreal(2026, 11, 1, 8),  # the day of the change
        1,
        [montreal(2026, 11, 2, 8, 30), montreal(2026, 11, 2, 23, 30), montreal(2026, 11, 3, 0, 30)],
        [montreal(2026, 11, 2, 8, 30), montreal(2026, 11, 2, 23, 30)],
    ),
    (
        montreal(2027, 3, 13, 8),  # Saturday before the change forward: the night has 23 hours
        1,
        [montreal(2027, 3, 14, 9), montreal(2027, 3, 14, 23, 30), montreal(2027, 3, 15, 0, 30)],
        [montreal(2027, 3, 14, 9), montreal(2027, 3, 14, 23, 30)],
    ),
    (
        montreal(2027, 3, 14, 8),
        1,
        [montreal(2027, 3, 15, 8, 30), montreal(2027, 3, 15, 23, 30), montreal(2027, 3, 16, 1)],
        [montreal(2027, 3, 15, 8, 30), montreal(2027, 3, 15, 23, 30)],
    ),
    (
        montreal(2027, 11, 4, 8),  # three days ahead, across the change of 2027-11-07
        3,
        [montreal(2027, 11, 7, 9), montreal(2027, 11, 7, 23, 30), montreal(2027, 11, 8, 0, 30)],
        [montreal(2027, 11, 7, 9), montreal(2027, 11, 7, 23, 30)],
    ),
    (
        montreal(2027, 11, 7, 8),  # 0 days: the rest of today only
        0,
        [montreal(2027, 11, 7, 7), montreal(2027, 11, 7, 21), montreal(2027, 11, 8, 0, 30)],
        [montreal(2027, 11, 7, 21)],
    ),
]


@pytest.mark.parametrize(
    "now,days,starts,expected", REMINDER_CASES, ids=ids([case[0] for case in REMINDER_CASES])
)
def test_reminders_cover_the_next_calendar_days(clock, now, days, starts, expected):
    clock(now - datetime.timedelta(days=30))  # enrolled a month before
    for start in starts:
        enrolment_at(start)
    mail.outbox.clear()
    clock(now)
    assert reminded(days) == set(expected)
    assert len(mail.outbox) == len(expected)
    clock(now + datetime.timedelta(hours=1))
    assert reminded(days) == set(expected)  # a second run the same day sends nothing more
    assert len(mail.outbox) == len(expected)


# -- The synthetic catalogue -------------------------------------------------------------------


@pytest.mark.parametrize("today", AROUND_THE_CHANGES[::2], ids=ids(AROUND_THE_CHANGES[::2]))
def test_generated_sessions_keep_their_hours(clock, today):
    clock(today)
    f.catalogue()
    call_command("generate_catalogue", trainings=6, sessions=6, seed=3, stdout=io.StringIO())
    sessions = TrainingSession.objects.filter(page__slug__startswith="synth-")
    assert sessions.count() == 10 + 5 * 6
    offsets = set()
    for session in sessions:
        start = local(session.start)
        assert start.time() in (datetime.time(9), datetime.time(13), datetime.time(18))
        offsets.add(start.utcoffset())
        if session.enrolment_closes:
            closes = local(session.enrolment_closes)
            assert closes.date() == start.date() - datetime.timedelta(days=2)
            assert closes.time() == start.time()
    assert offsets == {EDT, EST}  # sessions on both sides of a change
