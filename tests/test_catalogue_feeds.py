"""iCalendar feeds (read back with icalendar) and the read-only Wagtail API."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db, frozen_now):
    cat = f.catalogue()
    cat.public = f.training(
        cat,
        "Repérer les victimes",
        sessions=[
            f.session(10, venue="Centre Saint-Pierre", city="Montréal"),
            f.session(20, format="online", region="", city="", status="cancelled"),
            f.session(-10),
        ],
    )
    cat.secret = f.training(
        cat, "Atelier des membres", visibility="members", sessions=[f.session(12)]
    )
    return cat


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return [c for c in calendar.walk("VEVENT")]


def test_catalogue_feed_has_the_upcoming_public_sessions(client, catalogue):
    calendar = read(client.get("/calendrier/formations.ics"))
    found = events(calendar)
    assert [str(e["SUMMARY"]) for e in found] == ["Repérer les victimes"] * 2
    assert [str(e["STATUS"]) for e in found] == ["CONFIRMED", "CANCELLED"]
    start = found[0].decoded("DTSTART")
    assert start.tzinfo is not None
    assert (
        start.utcoffset()
        == datetime.datetime.now(ZoneInfo("America/Montreal"))
        .replace(year=start.year, month=start.month, day=start.day)
        .utcoffset()
    )
    assert start.astimezone(ZoneInfo("America/Montreal")).hour == 9
    assert "Centre Saint-Pierre" in str(found[0]["LOCATION"])
    assert calendar.walk("VTIMEZONE"), "the time zone is described for calendar programs"


def test_members_only_sessions_stay_out_of_the_public_feed(client, catalogue):
    calendar = read(client.get("/calendrier/formations.ics"))
    assert "Atelier des membres" not in [str(e["SUMMARY"]) for e in events(calendar)]


def test_training_feed_has_its_own_sessions(client, catalogue):
    calendar = read(client.get(f"/calendrier/formation-{catalogue.public.pk}.ics"))
    uids = {str(e["UID"]) for e in events(calendar)}
    assert len(uids) == 2
    assert all(uid.endswith("@formations.cqctp.org") for uid in uids)


def test_api_lists_public_trainings_only(client, catalogue):
    response = client.get("/api/v2/trainings/")
    assert response.status_code == 200
    data = response.json()
    assert [item["title"] for item in data["items"]] == ["Repérer les victimes"]
    assert data["items"][0]["provider_name"] == catalogue.public.provider.name


def test_api_detail_has_the_upcoming_sessions(client, catalogue):
    data = client.get(f"/api/v2/trainings/{catalogue.public.pk}/").json()
    sessions = data["public_sessions"]
    assert len(sessions) == 2
    assert {"start", "end", "format", "seats_left", "status"} <= set(sessions[0])
    assert "online_url" not in sessions[1]


def test_api_hides_members_only_training(client, catalogue):
    assert client.get(f"/api/v2/trainings/{catalogue.secret.pk}/").status_code == 404


def test_api_is_read_only(client, catalogue):
    assert client.post("/api/v2/trainings/", {}).status_code == 405


def test_every_calendar_is_valid_even_without_a_session(client, catalogue):
    """RFC 5545: a calendar holds at least one component; a VTIMEZONE is one."""
    empty = f.training(catalogue, "Sur demande seulement", sessions=[f.session(-5)])
    token = f.member().membership.calendar_token  # enrolled nowhere
    addresses = (f"/calendrier/formation-{empty.pk}.ics", f"/espace-membres/calendrier/{token}.ics")
    for address in addresses:
        calendar = read(client.get(address))
        assert not events(calendar)
        assert len(calendar.subcomponents) >= 1
        assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/Montreal"
        assert "BEGIN:VTIMEZONE" in client.get(address).content.decode()
