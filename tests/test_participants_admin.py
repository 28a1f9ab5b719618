"""The committee's participants screens on Wagtail's generic views (issue 10, item 3): each
action through the services with its audit entry (who, what), attendance per day, e-mails to
the participants through the outbox, the CSV and XLSX exports, the permission policy, the
history, and a screen whose queries do not grow with the number of enrolments."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Locale, ModelLogEntry

from members.models import Membership
from tests import factories as f
from trainings import audit, emails, services
from trainings.models import Attendance, Enrolment, OutboxEmail, TrainingPage

pytestmark = pytest.mark.django_db

COMMITTEE = ["view_enrolment", "change_enrolment", "view_trainingsession"]


def committed(function, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def staff(email, *codenames, first_name="", last_name=""):
    user = f.user(email, is_staff=True, first_name=first_name, last_name=last_name)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return get_user_model().objects.get(pk=user.pk)  # permission caches start empty


def signed_in(client, user):
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def committee(client):
    """A member of the training committee: sees and acts (the permissions its role gives)."""
    return signed_in(
        client, staff("comite@example.org", *COMMITTEE, first_name="Camille", last_name="Roy")
    )


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def person(email, first_name, last_name, organisation=None):
    user = f.user(email, first_name=first_name, last_name=last_name)
    if organisation:
        Membership.objects.create(user=user, organisation=organisation)
    return user


def enrolment(session, user, status="confirmed", **fields):
    return Enrolment.objects.create(session=session, user=user, status=status, **fields)


def address(name, session, *args):
    return reverse(f"enrolments_admin:{name}", args=[session.pk, *args])


@pytest.fixture
def upcoming(db, frozen_now):
    """Ten days ahead, 2 seats, the offer policy: Ana and Ben confirmed, Chloé offered a seat
    (answer by 17 June 14:00), David and Eve waiting, Fanny cancelled."""
    page = f.training(
        title="Reconnaître l’exploitation",
        sessions=[f.session(10, capacity=3, waiting_list_policy="offer", offer_hours=48)],
    )
    session = page.sessions.get()
    phare = f.organisation("Le Phare des AffranchiEs")
    people = {
        "ana": person("ana@example.org", "Ana", "Ahmed", phare),
        "ben": person("ben@example.org", "Ben", "Bélanger"),
        "chloe": person("chloe@example.org", "Chloé", "Côté", phare),
        "david": person("david@example.org", "David", "Dion"),
        "eve": person("eve@example.org", "Ève", "Émond"),
        "fanny": person("fanny@example.org", "Fanny", "Fortin"),
    }
    rows = {
        "ana": enrolment(session, people["ana"], accessibility_needs="Fauteuil roulant"),
        "ben": enrolment(session, people["ben"]),
        "chloe": enrolment(
            session,
            people["chloe"],
            "offered",
            offered_at=timezone.now(),
            offer_expires_at=f.at(2, 14),
        ),
        "david": enrolment(session, people["david"], "waiting", interpretation_language="LSQ"),
        "eve": enrolment(session, people["eve"], "waiting", comment='=HYPERLINK("http://x.io")'),
        "fanny": enrolment(session, people["fanny"], "cancelled", cancelled_at=timezone.now()),
    }
    session.rows = rows
    return session


@pytest.fixture
def two_days(db, frozen_now):
    """A session over two days, yesterday 9:00 to today 17:00: under way, attendance can be
    marked. Gabriel and Hélène confirmed, Inès waiting."""
    page = f.training(title="Intervenir auprès des victimes", sessions=[f.session(-1, hours=32)])
    session = page.sessions.get()
    session.rows = {
        "gabriel": enrolment(session, person("gabriel@example.org", "Gabriel", "Gagnon")),
        "helene": enrolment(session, person("helene@example.org", "Hélène", "Hébert")),
        "ines": enrolment(session, person("ines@example.org", "Inès", "Imbeault"), "waiting"),
    }
    return session


def entries(action, user=None):
    found = ModelLogEntry.objects.filter(action=action)
    return found.filter(user=user) if user else found


# -- The sessions ------------------------------------------------------------------------------


def test_sessions_show_their_counts_and_fill_rate(committee, upcoming):
    response = committee.get(reverse("enrolments_admin:sessions"))
    assert response.status_code == 200
    (session,) = response.context["object_list"]
    assert (session.confirmed, session.offered, session.waiting) == (2, 1, 2)
    assert session.fill_rate == 100  # two confirmed and one offered: three seats of three
    html = response.content.decode()
    assert "Reconnaître l’exploitation" in html and "2 / 3" in html and "100\u00a0%" in html
    assert reverse("enrolments_admin:participants", args=[upcoming.pk]) in html


def test_sessions_filters(committee, upcoming):
    online = f.training(
        title="Formation en ligne", sessions=[f.session(20, format="online", region="")]
    ).sessions.get()
    past = f.training(title="Formation passée", sessions=[f.session(-20, region="03")])
    url = reverse("enrolments_admin:sessions")

    def listed(query):
        return {s.pk for s in committee.get(url + query).context["object_list"]}

    assert listed("") == {upcoming.pk, online.pk}  # upcoming or under way, by default
    assert listed("?period=past") == {past.sessions.get().pk}
    assert listed("?period=all") == {upcoming.pk, online.pk, past.sessions.get().pk}
    assert listed("?format=online") == {online.pk}
    assert listed("?region=06") == {upcoming.pk}
    assert listed("?period=all&region=03") == {past.sessions.get().pk}
    assert listed("?seats=full") == {upcoming.pk}
    assert listed("?seats=waiting") == {upcoming.pk}
    assert listed("?seats=free") == {online.pk}
    assert listed(f"?training={online.page_id}") == {online.pk}
    assert listed("?q=ligne") == {online.pk}
    assert listed("?status=cancelled") == set()
    # A nonsense filter value is ignored, never a 500; a number out of range is refused (400)
    # before any view, as everywhere on the site.
    assert listed("?training=abc&seats=zzz") == {upcoming.pk, online.pk}
    assert listed("?training=abc&period=past") == {past.sessions.get().pk}
    assert committee.get(url + "?training=99999999999999999999").status_code == 400


def test_an_english_training_page_links_to_the_sessions_of_its_french_version(client, upcoming):
    # A superuser: the committee's page permissions come with its role (helper A's migration).
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    committee = signed_in(client, admin)
    french = TrainingPage.objects.get(pk=upcoming.page_id)
    locale = Locale.objects.get_or_create(language_code="en")[0]
    english = french.copy_for_translation(locale, copy_parents=True)
    html = committee.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content.decode()
    link = reverse("enrolments_admin:sessions") + f"?training={french.pk}&amp;period=all"
    assert link in html


# -- The participants of a session -------------------------------------------------------------


def test_participants_each_status_plainly(committee, upcoming):
    response = committee.get(address("participants", upcoming))
    assert response.status_code == 200
    rows = [(e.person_email, e.status, e.position) for e in response.context["object_list"]]
    assert rows == [
        ("ana@example.org", "confirmed", None),
        ("ben@example.org", "confirmed", None),
        ("chloe@example.org", "offered", None),
        ("david@example.org", "waiting", 1),
        ("eve@example.org", "waiting", 2),
        ("fanny@example.org", "cancelled", None),
    ]
    html = response.content.decode()
    assert "Place offerte</strong> — réponse d’ici le 17 juin, 14\u00a0h\u00a000" in html
    assert "Sur la liste d’attente — position 2" in html
    for text in ("Fauteuil roulant", "LSQ", "Le Phare des AffranchiEs", "Chloé Côté"):
        assert text in html
    # The actions, each a form: a seat for each waiting person, a cancellation for the others.
    assert html.count(f'action="{address("promote", upcoming)}"') == 2
    assert html.count(f'action="{address("cancel_enrolment", upcoming)}"') == 5
    assert address("history", upcoming) in html


def test_participants_filters_and_search(committee, two_days):
    gabriel = two_days.rows["gabriel"]
    committed(services.mark_attendance, gabriel, timezone.localdate(two_days.start), True, by=None)
    url = address("participants", two_days)

    def listed(query):
        return [e.user.first_name for e in committee.get(url + query).context["object_list"]]

    assert listed("?status=waiting") == ["Inès"]
    assert listed("?status=confirmed&status=waiting") == ["Gabriel", "Hélène", "Inès"]
    assert listed("?attendance=present") == ["Gabriel"]
    assert listed("?attendance=absent") == []
    assert listed("?attendance=unmarked") == ["Gabriel", "Hélène"]  # Gabriel: one day of two
    assert listed("?q=H%C3%A9bert") == ["Hélène"]
    assert listed("?q=l%C3%A8ne+H%C3%A9b") == ["Hélène"]  # first and last name together


# -- Actions: each through the service, each in the audit log ----------------------------------


def test_cancelling_an_enrolment_gives_the_seat_and_logs_who(committee, upcoming, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ben = upcoming.rows["ben"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = committee.post(
            address("cancel_enrolment", upcoming),
            {
                "enrolment": ben.pk,
                "next": address("participants", upcoming) + "?status=waiting",
                "confirm": "yes",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == address("participants", upcoming) + "?status=waiting"
    ben.refresh_from_db()
    assert ben.status == "cancelled"
    (entry,) = entries(audit.CANCEL, committee.user)
    assert entry.object_id == str(ben.pk) and entry.data["by_committee"] is True


def test_the_buttons_work_in_a_browser_that_checks_csrf(upcoming):
    """The forms of the table's cells carry the request's CSRF token (a real browser's POST)."""
    import re

    from django.test import Client

    browser = signed_in(Client(enforce_csrf_checks=True), staff("c@example.org", *COMMITTEE))
    html = browser.get(address("participants", upcoming)).content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+cancel-enrolment/)">(.*?)</form>', html, re.S
    )
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    step = browser.post(form.group(1), fields)  # the confirmation step, with its own form
    assert step.status_code == 200
    confirm = re.search(
        r'<form method="post" action="([^"]+)">(.*?)</form>',
        step.content.decode().split("<main")[-1],
        re.S,
    )
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', confirm.group(2)))
    assert fields["confirm"] == "yes"
    response = browser.post(confirm.group(1), fields)
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=fields["enrolment"]).status == "cancelled"


def test_giving_a_seat_to_a_waiting_person(committee, upcoming):
    david = upcoming.rows["david"]
    url = address("promote", upcoming)
    response = committee.post(url, {"enrolment": david.pk}, follow=True)
    # Three seats held (two confirmed, one offered): none free, nothing changes.
    assert messages_of(response) == [str(services.REFUSALS["no_seat"])]
    assert Enrolment.objects.get(pk=david.pk).status == "waiting"
    assert not entries(audit.PROMOTE).exists()

    upcoming.capacity = 4
    upcoming.save()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = committee.post(url, {"enrolment": david.pk})
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=david.pk).status == "confirmed"
    assert [message.to for message in mail.outbox] == [["david@example.org"]]
    (entry,) = entries(audit.PROMOTE, committee.user)
    assert entry.object_id == str(david.pk) and entry.data == {"first_in_line": False}


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"enrolment": "424242"}, "This enrolment does not exist."),
        ({"enrolment": "abc"}, "This enrolment does not exist."),
        ({}, "This enrolment does not exist."),
        ("other", "This enrolment belongs to another session."),
    ],
)
def test_bad_enrolment_actions_change_nothing(committee, upcoming, data, expected):
    from django.utils import translation

    if data == "other":
        other = f.training(sessions=[f.session(30)]).sessions.get()
        data = {"enrolment": enrolment(other, f.user()).pk}
    before = list(Enrolment.objects.order_by("pk").values_list("pk", "status"))
    for name in ("cancel_enrolment", "promote"):
        response = committee.post(address(name, upcoming), data, follow=True)
        assert response.status_code == 200
        with translation.override("fr-ca"):
            assert messages_of(response) == [
                translation.gettext(expected + " Nothing was changed.")
            ]
    assert list(Enrolment.objects.order_by("pk").values_list("pk", "status")) == before
    assert not ModelLogEntry.objects.filter(action__startswith="cqctp.").exists()


def test_an_enrolment_number_out_of_range_is_refused_before_the_view(committee, upcoming):
    response = committee.post(address("cancel_enrolment", upcoming), {"enrolment": "9" * 30})
    assert response.status_code == 400
    assert Enrolment.objects.get(pk=upcoming.rows["ana"].pk).status == "confirmed"


def test_cancelling_one_enrolment_asks_first(committee, upcoming):
    ana = upcoming.rows["ana"]
    response = committee.post(address("cancel_enrolment", upcoming), {"enrolment": ana.pk})
    assert response.status_code == 200
    assert 'name="confirm" value="yes"' in response.content.decode()
    assert Enrolment.objects.get(pk=ana.pk).status == "confirmed"
    assert not ModelLogEntry.objects.filter(action__startswith="cqctp.").exists()


def test_stale_states_and_gets_change_nothing(committee, upcoming):
    fanny = upcoming.rows["fanny"]  # already cancelled
    ana = upcoming.rows["ana"]  # confirmed: not on the waiting list
    response = committee.post(address("cancel_enrolment", upcoming), {"enrolment": fanny.pk})
    assert response.status_code == 302
    response = committee.post(address("promote", upcoming), {"enrolment": ana.pk}, follow=True)
    assert messages_of(response)[-1] == str(services.REFUSALS["not_waiting"])
    for name in ("cancel_enrolment", "promote"):
        response = committee.get(address(name, upcoming), follow=True)
        assert response.status_code == 200 and messages_of(response)
    assert Enrolment.objects.get(pk=ana.pk).status == "confirmed"
    assert not ModelLogEntry.objects.filter(action__startswith="cqctp.").exists()
    assert committee.get(reverse("enrolments_admin:participants", args=[987654])).status_code == 404


def test_changing_the_capacity_is_logged_and_remembered_by_the_page(committee, upcoming):
    url = address("capacity", upcoming)
    form = committee.get(url)
    assert form.status_code == 200 and 'value="3"' in form.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = committee.post(url, {"capacity": 5})
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.capacity == 5
    # The waiting list is served in order (instant policy or offer: the service decides).
    (entry,) = entries(audit.CAPACITY, committee.user)
    assert entry.data == {"before": 3, "after": 5}
    page = TrainingPage.objects.get(pk=upcoming.page_id)
    assert page.get_latest_revision_as_object().sessions.get().capacity == 5

    for bad in ("", "-1", "abc", "1000001"):
        response = committee.post(url, {"capacity": bad})
        assert response.status_code == 200  # the form again, with the error
        assert response.context["form"].errors
    upcoming.refresh_from_db()
    assert upcoming.capacity == 5 and entries(audit.CAPACITY).count() == 1


def test_cancelling_the_session_asks_then_logs(committee, upcoming):
    url = address("cancel_session", upcoming)
    assert committee.get(url).status_code == 200
    upcoming.refresh_from_db()
    assert upcoming.status == "scheduled"
    with TestCase.captureOnCommitCallbacks(execute=True):
        committee.post(url)
    upcoming.refresh_from_db()
    assert upcoming.status == "cancelled"
    (entry,) = entries(audit.CANCEL_SESSION, committee.user)
    assert entry.object_id == str(upcoming.pk) and entry.data["told"] == 5
    response = committee.post(url, follow=True)  # twice: nothing more
    assert messages_of(response) and entries(audit.CANCEL_SESSION).count() == 1


# -- Attendance, per day -----------------------------------------------------------------------


def field(enrolment, day):
    return f"attendance-{enrolment.pk}-{day.isoformat()}"


def test_attendance_for_the_whole_list_in_one_post(committee, two_days):
    first, second = services.session_days(two_days)
    assert second == first + datetime.timedelta(days=1)
    gabriel, helene, ines = (two_days.rows[n] for n in ("gabriel", "helene", "ines"))
    url = address("attendance", two_days)
    html = committee.get(url).content.decode()
    for enrolment_, day in ((gabriel, first), (gabriel, second), (helene, first)):
        assert f'name="{field(enrolment_, day)}"' in html
    assert f"attendance-{ines.pk}-" not in html  # waiting: not a participant

    response = committee.post(
        url,
        {field(gabriel, first): "present", field(gabriel, second): "absent"},
        follow=True,
    )
    assert response.status_code == 200
    marks = {(a.enrolment_id, a.day): a.present for a in Attendance.objects.all()}
    assert marks == {(gabriel.pk, first): True, (gabriel.pk, second): False}
    logged = entries(services.ATTENDANCE, committee.user).order_by("data__day")
    assert [(e.object_id, e.data) for e in logged] == [
        (str(gabriel.pk), {"day": first.isoformat(), "present": True}),
        (str(gabriel.pk), {"day": second.isoformat(), "present": False}),
    ]
    assert Attendance.objects.get(enrolment=gabriel, day=first).marked_by == committee.user

    # The same form again changes nothing and logs nothing; "everyone present" fills the rest.
    committee.post(
        url,
        {
            field(gabriel, first): "present",
            field(gabriel, second): "absent",
            "everyone_present": second.isoformat(),
        },
    )
    marks = {(a.enrolment_id, a.day): a.present for a in Attendance.objects.all()}
    assert marks == {
        (gabriel.pk, first): True,
        (gabriel.pk, second): False,
        (helene.pk, second): True,
    }
    assert entries(services.ATTENDANCE).count() == 3


def test_the_days_of_a_session_over_the_autumn_clock_change(db, frozen_now):
    """Saturday 20:00 to Sunday 10:00 across the end of daylight saving (1 November 2026,
    2:00): two days on Montréal's calendar, whatever zone the admin user reads it in."""
    from zoneinfo import ZoneInfo

    montreal = ZoneInfo("America/Montreal")
    start = datetime.datetime(2026, 10, 31, 20, tzinfo=montreal)
    page = f.training(sessions=[f.session(1)])
    session = page.sessions.get()
    session.start, session.end = start, datetime.datetime(2026, 11, 1, 10, tzinfo=montreal)
    session.save()
    days = [datetime.date(2026, 10, 31), datetime.date(2026, 11, 1)]
    assert services.session_days(session) == days
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        assert services.session_days(session) == days
    confirmed = enrolment(session, f.user())
    after = datetime.datetime(2026, 11, 1, 12, tzinfo=montreal)
    for day in days:
        services.mark_attendance(confirmed, day, True, now=after)
    assert Attendance.objects.filter(enrolment=confirmed, present=True).count() == 2
    with pytest.raises(services.EnrolmentRefused):
        services.mark_attendance(confirmed, datetime.date(2026, 11, 2), True, now=after)


@pytest.mark.parametrize(
    "post",
    [
        lambda s, first: {field(s.rows["ines"], first): "present"},  # waiting
        lambda s, first: {f"attendance-424242-{first.isoformat()}": "present"},  # unknown
        lambda s, first: {field(s.rows["gabriel"], first + datetime.timedelta(days=5)): "absent"},
        lambda s, first: {f"attendance-{s.rows['gabriel'].pk}-2026-13-45": "absent"},
        lambda s, first: {field(s.rows["gabriel"], first): "maybe"},
        lambda s, first: {"everyone_present": "2030-01-01"},
    ],
)
def test_bad_attendance_changes_nothing(committee, two_days, post):
    first = services.session_days(two_days)[0]
    data = {field(two_days.rows["helene"], first): "present", **post(two_days, first)}
    response = committee.post(address("attendance", two_days), data, follow=True)
    assert response.status_code == 200
    assert "Rien n’a été modifié" in messages_of(response)[-1]
    assert not Attendance.objects.exists()
    assert not entries(services.ATTENDANCE).exists()


def test_attendance_waits_for_the_session_to_start(committee, upcoming):
    day = services.session_days(upcoming)[0]
    url = address("attendance", upcoming)
    assert "commencé" in committee.get(url).content.decode()
    response = committee.post(url, {field(upcoming.rows["ana"], day): "present"}, follow=True)
    assert "Rien n’a été modifié" in messages_of(response)[-1]
    assert not Attendance.objects.exists()


# -- E-mail to the participants ----------------------------------------------------------------


@pytest.fixture
def inline_delivery(monkeypatch):
    monkeypatch.setattr(emails, "run_after_commit", lambda function: function())


def test_emailing_the_participants_previews_then_sends_each_their_own(
    committee, upcoming, inline_delivery
):
    url = address("email", upcoming)
    html = committee.get(url).content.decode()
    for count in ("5 personne(s)", "2 personne(s)", "3 personne(s)", "0 personne(s)"):
        assert count in html
    message = {
        "audience": "waiting",
        "subject": "Une place  pourrait se libérer",
        "body": "Bonjour",
    }
    mail.outbox.clear()
    preview = committee.post(url, message)
    assert preview.status_code == 200 and preview.context["recipients"] == 3
    assert not OutboxEmail.objects.exists() and not entries(services.EMAIL_PARTICIPANTS).exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = committee.post(url, {**message, "send": "1"})
    assert response.status_code == 302
    rows = OutboxEmail.objects.order_by("to")
    assert [(row.to, row.kind, row.enrolment_id) for row in rows] == [
        ("chloe@example.org", "committee_message", upcoming.rows["chloe"].pk),
        ("david@example.org", "committee_message", upcoming.rows["david"].pk),
        ("eve@example.org", "committee_message", upcoming.rows["eve"].pk),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [row.to for row in rows]
    sent = next(m for m in mail.outbox if m.to == ["david@example.org"])
    assert sent.subject == "Une place pourrait se libérer"
    assert "David" in sent.body and "Bonjour" in sent.body
    assert "Reconnaître l’exploitation" in sent.body
    (entry,) = entries(services.EMAIL_PARTICIPANTS, committee.user)
    assert entry.object_id == str(upcoming.pk)
    assert entry.data.pop("digest")  # what tells a double submit (same group, same text)
    assert entry.data == {
        "audience": "waiting",
        "recipients": 3,
        "subject": "Une place pourrait se libérer",
    }


def test_emailing_those_present(committee, two_days, inline_delivery):
    day = services.session_days(two_days)[0]
    committed(services.mark_attendance, two_days.rows["helene"], day, True)
    committed(services.mark_attendance, two_days.rows["gabriel"], day, False)
    with TestCase.captureOnCommitCallbacks(execute=True):
        committee.post(
            address("email", two_days),
            {"audience": "present", "subject": "Merci", "body": "Votre attestation", "send": "1"},
        )
    assert [m.to for m in mail.outbox if m.subject == "Merci"] == [["helene@example.org"]]


def test_bad_emails_send_nothing(committee, upcoming, two_days, inline_delivery):
    for audience, subject, body in (
        ("everyone", "Objet", "Texte"),  # not a group
        ("present", "Objet", "Texte"),  # nobody was marked present
        ("confirmed", "   ", "Texte"),
        ("confirmed", "Objet", ""),
        ("confirmed", "x" * 201, "Texte"),
    ):
        response = committee.post(
            address("email", upcoming),
            {"audience": audience, "subject": subject, "body": body, "send": "1"},
        )
        assert response.status_code == 200, audience
    assert not OutboxEmail.objects.exists()
    assert not entries(services.EMAIL_PARTICIPANTS).exists()
    with pytest.raises(services.EnrolmentRefused):
        services.email_participants(upcoming, "present", "Objet", "Texte")


# -- Exports -----------------------------------------------------------------------------------


def test_csv_export(committee, upcoming):
    response = committee.get(address("participants", upcoming) + "?export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert header[:3] == ["Statut", "Position sur la liste d’attente", "Nom"]
    assert [row[3] for row in rows] == [
        "ana@example.org",
        "ben@example.org",
        "chloe@example.org",
        "david@example.org",
        "eve@example.org",
        "fanny@example.org",
    ]
    chloe, david, eve = rows[2], rows[3], rows[4]
    assert chloe[0] == "Place offerte" and chloe[9] == "2026-06-17 14:00"
    assert (david[1], david[6]) == ("1", "LSQ")
    assert eve[1] == "2" and eve[7] == '\'=HYPERLINK("http://x.io")'  # never a formula
    assert rows[0][5] == "Fauteuil roulant"
    # Filters apply to the export too.
    filtered = committee.get(address("participants", upcoming) + "?export=csv&status=waiting")
    assert b"".join(filtered.streaming_content).decode("utf-8-sig").count("\r\n") == 3


def test_xlsx_export(committee, two_days):
    first, second = services.session_days(two_days)
    committed(services.mark_attendance, two_days.rows["gabriel"], first, True)
    committed(services.mark_attendance, two_days.rows["gabriel"], second, False)
    two_days.rows["helene"].comment = "=1+1"
    two_days.rows["helene"].save()
    response = committee.get(address("participants", two_days) + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="participants-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, gabriel, helene, ines = list(sheet.iter_rows())
    heading = [cell.value for cell in header]
    assert heading[-2:] == ["Présence le 14 juin 2026", "Présence le 15 juin 2026"]
    assert [cell.value for cell in gabriel][-2:] == ["Présent", "Absent"]
    assert gabriel[2].value == "Gabriel Gagnon"
    assert helene[7].value == "=1+1" and helene[7].data_type == "s"  # text, not a formula
    assert ines[1].value == 1  # waiting list position
    # Montréal time, as the committee reads it.
    enrolled = timezone.localtime(two_days.rows["gabriel"].created).replace(tzinfo=None)
    assert abs(gabriel[8].value - enrolled) < datetime.timedelta(seconds=1)


# -- Permissions: one policy -------------------------------------------------------------------


def all_actions(session):
    rows = session.rows
    return [
        (address("cancel_enrolment", session), {"enrolment": rows["ana"].pk, "confirm": "yes"}),
        (address("promote", session), {"enrolment": rows["david"].pk}),
        (address("capacity", session), {"capacity": 9}),
        (address("cancel_session", session), {}),
        (
            address("attendance", session),
            {field(rows["ana"], session.start.date()): "present"},
        ),
        (address("email", session), {"audience": "all", "subject": "S", "body": "B", "send": 1}),
    ]


def assert_unchanged(session):
    session.refresh_from_db()
    assert (session.status, session.capacity) == ("scheduled", 3)
    assert Enrolment.objects.get(pk=session.rows["ana"].pk).status == "confirmed"
    assert Enrolment.objects.get(pk=session.rows["david"].pk).status == "waiting"
    assert not ModelLogEntry.objects.filter(action__startswith="cqctp.").exists()
    assert not OutboxEmail.objects.exists()


def test_view_only_sees_but_cannot_act(client, upcoming):
    signed_in(client, staff("lecture@example.org", "view_enrolment"))
    assert client.get(reverse("enrolments_admin:sessions")).status_code == 200
    response = client.get(address("participants", upcoming))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fauteuil roulant" in html
    assert address("cancel_enrolment", upcoming) not in html
    assert address("email", upcoming) not in html
    assert client.get(address("participants", upcoming) + "?export=xlsx").status_code == 200
    assert client.get(address("history", upcoming)).status_code == 200
    for url in (address(n, upcoming) for n in ("capacity", "attendance", "email")):
        assert client.get(url).status_code == 302, url
    for url, data in all_actions(upcoming):
        # Wagtail's answer to a refusal: back to the dashboard with its message; 403 to scripts.
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"] == reverse(
            "wagtailadmin_home"
        ), url
        xhr = client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"})
        assert xhr.status_code == 403, url
    assert_unchanged(upcoming)


def test_without_the_enrolment_permissions_nothing_opens(client, upcoming):
    signed_in(client, staff("redaction@example.org"))
    html = client.get("/admin/").content.decode()
    assert reverse("enrolments_admin:sessions") not in html
    for name in ("participants", "history", "capacity", "attendance", "email"):
        response = client.get(
            address(name, upcoming), headers={"x-requested-with": "XMLHttpRequest"}
        )
        assert response.status_code == 403, name
    assert client.get(reverse("enrolments_admin:sessions")).status_code == 302
    for url, data in all_actions(upcoming):
        assert (
            client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"}).status_code
            == 403
        )
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[upcoming.page_id]))
    assert reverse("enrolments_admin:sessions") not in editor.content.decode()
    assert_unchanged(upcoming)


# -- The audit log in the admin ----------------------------------------------------------------


def test_the_session_history_says_who_did_what_when(committee, upcoming):
    committee.post(address("capacity", upcoming), {"capacity": 4})
    committee.post(
        address("cancel_enrolment", upcoming),
        {"enrolment": upcoming.rows["ben"].pk, "confirm": "yes"},
    )
    response = committee.get(address("history", upcoming))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nombre de places changé de 3 à 4" in html
    assert "Inscription annulée par le comité" in html
    assert "Ben Bélanger" in html  # whom it concerns
    assert "Camille Roy" in html  # who did it
    assert address("participants", upcoming) in html


def test_site_history_shows_the_entries_to_the_committee(committee, upcoming):
    committee.post(address("capacity", upcoming), {"capacity": 4})
    committee.post(
        address("cancel_enrolment", upcoming),
        {"enrolment": upcoming.rows["ben"].pk, "confirm": "yes"},
    )
    html = committee.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Nombre de places changé de 3 à 4" in html  # a session's entry
    assert "Inscription annulée par le comité" in html  # an enrolment's entry
    assert address("participants", upcoming) in html  # each leads to the participants

    # Wagtail shows an entry to whoever holds a permission on its model: the enrolment
    # permissions open the enrolments' entries; a session's need one on sessions (the
    # committee's role gives trainings.view_trainingsession).
    signed_in(committee, staff("lecture@example.org", "view_enrolment"))
    html = committee.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Inscription annulée par le comité" in html
    assert "Nombre de places changé de 3 à 4" not in html


# -- Queries: constant in the number of enrolments --------------------------------------------


def crowd(session, count, offset=0):
    """`count` people of two organisations, a fifth waiting, with answers and attendance."""
    User = get_user_model()
    organisations = [f.organisation(), f.organisation()]
    users = User.objects.bulk_create(
        User(
            username=f"p{offset + n}@example.org",
            email=f"p{offset + n}@example.org",
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}",
        )
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisations[n % 2]) for n, user in enumerate(users)
    )
    rows = Enrolment.objects.bulk_create(
        Enrolment(
            session=session,
            user=user,
            status="waiting" if n % 5 == 4 else "confirmed",
            comment=f"Commentaire {n}",
        )
        for n, user in enumerate(users)
    )
    Attendance.objects.bulk_create(
        Attendance(enrolment=row, day=day, present=n % 3 > 0)
        for n, row in enumerate(rows)
        if row.status == "confirmed"
        for day in services.session_days(session)
    )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


def test_the_participants_screen_and_exports_in_constant_queries(committee, two_days):
    Enrolment.objects.filter(session=two_days).delete()
    two_days.capacity = 500
    two_days.save()
    crowd(two_days, 5)
    urls = [
        address("participants", two_days),
        address("participants", two_days) + "?export=csv",
        address("participants", two_days) + "?export=xlsx",
        address("attendance", two_days),
        reverse("enrolments_admin:sessions"),
    ]
    queries(committee, urls[0])  # warm the caches (site, menu, content types)
    few = [queries(committee, url) for url in urls]
    crowd(two_days, 195, offset=5)
    assert Enrolment.objects.filter(session=two_days).count() == 200
    many = [queries(committee, url) for url in urls]
    print("queries with 5 and 200 enrolments:", dict(zip(urls, many, strict=True)))
    assert many == few
    assert many[0] <= 25
