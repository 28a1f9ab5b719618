"""Member meetings (issue 12, item 3): members see the meetings, answer whether they come (one
answer per member, shared by the French and English pages), take the .ics; minutes after the
meeting; nobody else sees any of it."""

import datetime
import re
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from icalendar import Calendar

from home import routing
from meetings.models import Answer, MeetingIndexPage, MeetingPage, MeetingResponse
from meetings.services import MeetingOver, respond
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendering_only(settings, frozen_now):
    settings.PAGE_CACHE_SECONDS = 0
    routing.forget()


def meeting(index, title, days, **fields):
    fields.setdefault("place", "Salle 1, Montréal")
    fields.setdefault("agenda", "<ol><li>Tour de table</li></ol>")
    page = MeetingPage(title=title, start=f.at(days, 9), end=f.at(days, 12), **fields)
    index.add_child(instance=page)
    page.save_revision().publish()
    return MeetingPage.objects.get(pk=page.pk)


@pytest.fixture
def index(db):
    page = MeetingIndexPage(title="Rencontres", slug="rencontres")
    f.home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def meetings(index):
    return {
        "next": meeting(
            index,
            "Rencontre d’hiver",
            20,
            online_link="https://visio.example.org/secret-room",
            agenda="<ol><li>Tour de table</li><li>Plan d’action &amp; budget</li></ol>",
        ),
        "past": meeting(
            index,
            "Rencontre d’automne",
            -40,
            minutes="<p>Décision : reconduire la campagne.</p>",
        ),
    }


def test_a_member_sees_the_coming_and_past_meetings(client, index, meetings):
    client.force_login(f.member())
    html = client.get(index.url).content.decode()
    assert "Rencontre d’hiver" in html and "Rencontre d’automne" in html
    assert html.index("Rencontre d’hiver") < html.index("Rencontre d’automne")
    page = client.get(meetings["next"].url).content.decode()
    assert "secret-room" in page and "Tour de table" in page
    assert "reconduire" not in page  # no minutes before the meeting
    past = client.get(meetings["past"].url).content.decode()
    assert "reconduire la campagne" in past
    assert "reponse/" not in past  # answers are closed


def test_nobody_else_sees_a_meeting(client, index, meetings):
    url = meetings["next"].url
    html = client.get(index.url).content.decode()
    assert "Rencontre d’hiver" not in html and "secret-room" not in html
    response = client.get(url)
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert client.get(url + "calendrier/").status_code == 302
    assert client.post(url + "reponse/", {"answer": "online"}).status_code == 302
    client.force_login(f.user("ancien@example.org"))  # signed in, not a member
    assert client.get(url).status_code == 404
    assert client.get(url + "calendrier/").status_code == 404
    assert client.post(url + "reponse/", {"answer": "online"}).status_code == 404
    assert not MeetingResponse.objects.exists()
    assert "Rencontre d’hiver" not in client.get(index.url).content.decode()


def test_page_privacy_on_the_index_is_honoured(client, index, meetings):
    from wagtail.models import PageViewRestriction

    board = Group.objects.create(name="Conseil")
    restriction = PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(board)
    member = f.member()
    assert not MeetingPage.objects.visible_to(member).exists()
    member.groups.add(board)
    assert MeetingPage.objects.visible_to(member).count() == 2


def test_a_member_answers_and_changes_their_answer(client, meetings):
    member = f.member()
    client.force_login(member)
    url = meetings["next"].url
    response = client.post(url + "reponse/", {"answer": "online"})
    assert response.status_code == 302
    assert response["Location"].endswith("#answer")
    client.post(url + "reponse/", {"answer": "in-person"})
    answer = MeetingResponse.objects.get()
    assert (answer.user, answer.answer) == (member, Answer.IN_PERSON)
    response = client.get(url)
    assert response.context["counts"] == {"in_person": 1, "online": 0, "absent": 0}
    assert re.search(r'value="in-person"[^>]*checked', response.content.decode())


def test_a_bad_answer_gets_a_message_and_changes_nothing(client, meetings):
    client.force_login(f.member())
    url = meetings["next"].url
    for data in ({}, {"answer": "maybe"}, {"answer": "x" * 500}):
        response = client.post(url + "reponse/", data)
        assert response.status_code == 400
        assert 'id="answer-error"' in response.content.decode()
    assert client.get(url + "reponse/").status_code == 405
    assert not MeetingResponse.objects.exists()


def test_answers_close_when_the_meeting_is_over(client, meetings):
    member = f.member()
    client.force_login(member)
    response = client.post(meetings["past"].url + "reponse/", {"answer": "online"}, follow=True)
    assert response.redirect_chain[-1][0] == meetings["past"].url
    assert [str(m) for m in response.context["messages"]] == [
        translation.gettext("This meeting is over: answers are closed.")
    ]
    with pytest.raises(MeetingOver):
        respond(member, meetings["past"], Answer.ONLINE)
    assert not MeetingResponse.objects.exists()


def test_the_english_page_shares_the_answers_and_shows_english(client, meetings):
    english = f.translation(meetings["next"], "Winter meeting", slug="winter-meeting")
    member = f.member()
    client.force_login(member)
    client.post(english.url + "reponse/", {"answer": "online"})
    answer = MeetingResponse.objects.get()
    assert answer.meeting_id == meetings["next"].pk  # kept on the French page
    html = client.get(english.url).content.decode()
    assert "Winter meeting" in html and "I will attend online" in html
    assert "Will you attend?" in html and "Add to my calendar" in html
    french = client.get(meetings["next"].url).content.decode()
    assert re.search(r'value="online"[^>]*checked', french)


def test_the_calendar_file(client, meetings):
    client.force_login(f.member())
    response = client.get(meetings["next"].url + "calendrier/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == "Rencontre d’hiver"
    assert event["dtstart"].dt == f.at(20, 9)
    assert event["dtend"].dt == f.at(20, 12)
    assert str(event["dtstart"].dt.tzinfo) == "America/Montreal"
    assert "secret-room" in str(event["description"])
    assert str(event["description"]).startswith("- Tour de table\n- Plan d’action & budget\n")
    assert str(event["uid"]) == f"meeting-{meetings['next'].translation_key}@formations.cqctp.org"


def test_a_meeting_across_a_daylight_saving_change_keeps_its_wall_clock_time(client, index):
    from trainings.dates import at_local

    # 1 November 2026: clocks go back in Montréal; a meeting on the 2nd at 9:30 local time.
    start = at_local(datetime.date(2026, 11, 2), datetime.time(9, 30))
    page = MeetingPage(
        title="Après le changement d’heure", start=start, end=start + datetime.timedelta(hours=2)
    )
    page.place = "Salle 2"
    index.add_child(instance=page)
    page.save_revision().publish()
    client.force_login(f.member())
    html = client.get(page.url).content.decode()
    assert "9\xa0h\xa030" in html
    event = Calendar.from_ical(client.get(page.url + "calendrier/").content).walk("VEVENT")[0]
    assert (
        event["dtstart"].dt.hour == 9
        and event["dtstart"].dt.utcoffset().total_seconds() == -5 * 3600
    )


def test_the_page_form_checks_the_dates_place_and_minutes_file(index):
    from django.core.exceptions import ValidationError
    from wagtail.models import Collection

    page = MeetingPage(title="X", slug="x", start=f.at(5, 12), end=f.at(5, 9), place="Salle")
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "end" in error.value.message_dict
    page = MeetingPage(title="X", slug="x", start=f.at(5, 9), end=f.at(5, 12))
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "place" in error.value.message_dict
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    public = get_document_model()(title="PV", collection=Collection.get_first_root_node())
    public.file = ContentFile(b"pv", name="pv.pdf")
    public.save()
    page = MeetingPage(
        title="X",
        slug="x",
        start=f.at(5, 9),
        end=f.at(5, 12),
        place="Salle",
        minutes_document=public,
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "minutes_document" in error.value.message_dict


def test_meetings_are_listed_nowhere_else(client, meetings):
    html = client.get("/recherche/", {"q": "Rencontre"}).content.decode()
    assert "Rencontre d’hiver" not in html
    assert client.get("/api/v2/pages/").status_code == 404
    assert meetings["next"].get_sitemap_urls() == []


def test_queries_do_not_grow_with_the_meetings(client, index, meetings):
    member = f.member()
    client.force_login(member)
    counts = []
    for more in (0, 12):
        for number in range(more):
            page = meeting(index, f"Rencontre {number}", 30 + number * 7)
            respond(member, page, Answer.ONLINE)
        client.get(index.url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index.url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] and counts[1] <= 15, counts


def test_the_committee_sees_and_exports_the_answers(client, meetings):
    from committee import roles

    respond(f.member(email="ana@example.org"), meetings["next"], Answer.ONLINE)
    person = f.user("comite@example.org")
    person.groups.add(Group.objects.get(name=roles.TRAINING_COMMITTEE))
    client.force_login(person)
    html = client.get("/admin/meeting_responses/").content.decode()
    assert "ana@example.org" in html
    csv = client.get("/admin/meeting_responses/", {"export": "csv"})
    assert csv.status_code == 200 and b"ana@example.org" in b"".join(csv.streaming_content)
    editor = f.user("redaction@example.org")
    editor.groups.add(Group.objects.get(name=roles.ORGANISATION_EDITORS))
    client.force_login(editor)
    assert client.get("/admin/meeting_responses/").status_code in (302, 403)


def test_a_new_meetings_index_gives_the_committee_its_page_permissions(index):
    from wagtail.models import GroupPagePermission

    from committee import roles

    granted = GroupPagePermission.objects.filter(
        group__name=roles.TRAINING_COMMITTEE, page=index
    ).values_list("permission__codename", flat=True)
    assert set(granted) == {f"{action}_page" for action in roles.PUBLISHER}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_answers_at_once_leave_one_row(index):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")
    page = meeting(index, "Rencontre", 10)
    member = f.member()
    barrier = threading.Barrier(8)
    errors = []

    def answer(choice):
        try:
            barrier.wait()
            respond(member, page, choice)
        except Exception as error:  # asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=answer, args=([Answer.ONLINE, Answer.IN_PERSON][n % 2],))
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert MeetingResponse.objects.filter(user=member).count() == 1


def test_a_members_answers_are_in_their_data_and_go_with_their_account(client, meetings):
    from trainings.privacy import close_account

    member = f.member()
    respond(member, meetings["next"], Answer.ONLINE)
    client.force_login(member)
    data = client.get("/espace-membres/mes-donnees.json").json()
    assert data["meeting_answers"][0]["meeting"] == "Rencontre d’hiver"
    assert data["meeting_answers"][0]["answer"] == "online"
    summary = close_account(member)
    assert summary["meeting_answers_deleted"] == 1
    assert not MeetingResponse.objects.exists()


def test_the_minutes_file_stays_members_only_wherever_it_is_moved(client, index):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from members.documents import MEMBERS_COLLECTION

    members = Collection.objects.get(depth=2, name=MEMBERS_COLLECTION)
    minutes = get_document_model()(title="PV", collection=members)
    minutes.file = ContentFile(b"%PDF-pv", name="pv.pdf")
    minutes.save()
    meeting(index, "Rencontre passée", -10, minutes_document=minutes)
    minutes.collection = Collection.get_first_root_node()
    minutes.save()
    assert client.get(minutes.url).status_code == 404
    client.force_login(f.member())
    assert client.get(minutes.url).status_code == 200


def test_signing_in_from_the_calendar_link_comes_back_to_the_calendar(client, meetings):
    from django.contrib.auth import get_user_model

    english = f.translation(meetings["next"], "Winter meeting", slug="winter-meeting")
    person = f.member(email="ana@example.org")
    person.set_password("Un-mot-de-passe-42")
    person.save()
    login = client.get(english.url + "calendrier/")["Location"]
    response = client.post(
        login, {"username": "ana@example.org", "password": "Un-mot-de-passe-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == english.url + "calendrier/"
    assert get_user_model().objects.filter(email="ana@example.org").exists()
