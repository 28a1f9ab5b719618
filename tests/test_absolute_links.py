"""Every absolute link the site gives out comes from one setting, PUBLIC_BASE_URL: e-mails,
calendar files, JSON-LD, the API, members' e-mails, the Wagtail Site record. The meeting link
of an online session goes into the calendar of the person who holds the seat, and nowhere else.
"""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.test import TestCase
from django.urls import reverse
from icalendar import Calendar
from wagtail.models import Site

from members.models import Invitation, Membership, Organisation, SignUpRequest
from tests import factories as f
from trainings import services
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db

BASE = "https://liens.example.net"
MEETING = "https://meet.example.org/salle-secrete"


@pytest.fixture
def base(settings):
    """Another public address than the test settings' one: every link must follow it."""
    settings.PUBLIC_BASE_URL = BASE
    return BASE


def committed(function, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def post(client, url, data=None, **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {}, **extra)


def member(email=None, **fields):
    person = f.user(email)
    Membership.objects.create(user=person, organisation=f.organisation(), **fields)
    return person


def ics_urls(content):
    calendar = Calendar.from_ical(content)
    return [str(event["URL"]) for event in calendar.walk("VEVENT")]


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


@pytest.fixture
def training(db):
    return f.training(
        title="Repérer la traite",
        sessions=[
            f.session(10, capacity=5),
            f.session(20, format="online", region="", city="", online_url=MEETING, capacity=1),
        ],
    )


# -- The setting --------------------------------------------------------------------------------


def run_python(code, **env):
    base_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "PUBLIC_BASE_URL", "WAGTAILADMIN_BASE_URL"}
    }
    base_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**base_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.PUBLIC_BASE_URL, settings.WAGTAILADMIN_BASE_URL)"
)
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cqctp.settings.production",
    "SECRET_KEY": "x" * 20 + "a-long-and-random-production-secret-key-for-the-test",
    "ALLOWED_HOSTS": "formations.cqctp.org",
}


def test_the_tests_use_a_fixed_public_address():
    assert settings.PUBLIC_BASE_URL == "https://formations.test"
    assert settings.WAGTAILADMIN_BASE_URL == settings.PUBLIC_BASE_URL


def test_development_uses_the_address_make_run_serves():
    result = run_python(SHOW, DJANGO_SETTINGS_MODULE="cqctp.settings.dev")
    assert result.stdout.split() == ["http://127.0.0.1:8000", "http://127.0.0.1:8000"], (
        result.stderr
    )


def test_production_takes_it_from_the_environment_and_refuses_to_start_without():
    result = run_python(SHOW, **PRODUCTION, PUBLIC_BASE_URL="https://formations.cqctp.org/")
    assert result.stdout.split() == ["https://formations.cqctp.org"] * 2, result.stderr
    missing = run_python(SHOW, **PRODUCTION)
    assert missing.returncode != 0
    assert "ImproperlyConfigured" in missing.stderr
    assert "PUBLIC_BASE_URL must be set for production" in missing.stderr
    for wrong in ("formations.cqctp.org", "http://formations.cqctp.org", "https://x.org/site"):
        refused = run_python(SHOW, **PRODUCTION, PUBLIC_BASE_URL=wrong)
        assert refused.returncode != 0 and "PUBLIC_BASE_URL" in refused.stderr, wrong


def test_absolute_url_joins_the_setting_and_a_path(base, settings):
    from cqctp.links import absolute_url

    assert absolute_url("/en/x/?a=1#b") == BASE + "/en/x/?a=1#b"
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000/"
    assert absolute_url("/x/") == "http://127.0.0.1:8000/x/"
    # A full address of this site (Wagtail gives those when there are several Sites) too.
    assert absolute_url("http://localhost/x/") == "http://127.0.0.1:8000/x/"


# -- The Site record ---------------------------------------------------------------------------


def default_site():
    return Site.objects.get(is_default_site=True)


def test_load_demo_points_the_site_record_at_the_public_address(base, settings):
    call_command("load_demo", stdout=open(os.devnull, "w"))
    site = default_site()
    assert (site.hostname, site.port, site.root_url) == ("liens.example.net", 443, BASE)
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    call_command("load_demo", stdout=open(os.devnull, "w"))
    site = default_site()
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")


def test_migrate_keeps_the_site_record_in_step_with_the_setting(base):
    f.home_page()  # a Site record at http://localhost/, as Wagtail's first migration makes it
    assert default_site().root_url == "http://localhost"
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert default_site().root_url == BASE
    # What Wagtail itself builds from the Site record now agrees.
    page = f.training(sessions=[f.session(5)])
    assert page.full_url == BASE + page.url


# -- Enrolment e-mails and calendars -------------------------------------------------------------


def test_enrolment_email_links_and_its_calendar_follow_the_setting(base, training):
    session = training.sessions.order_by("start").first()
    committed(services.enrol, member("ana@example.org"), session, consent=True)
    (message,) = mail.outbox
    assert BASE + training.url in message.body
    assert f"{BASE}/espace-membres/" in message.body  # "Your enrolments…" in the footer
    assert "localhost" not in message.body and "formations.test" not in message.body
    assert ics_urls(message.attachments[0][1]) == [BASE + training.url]


def test_every_feed_links_to_the_public_address(base, client, training):
    expected = BASE + training.url
    assert set(ics_urls(client.get("/calendrier/formations.ics").content)) == {expected}
    feed = client.get(f"/calendrier/formation-{training.pk}.ics").content
    assert set(ics_urls(feed)) == {expected}
    person = member()
    session = training.sessions.order_by("start").first()
    enrolment = committed(services.enrol, person, session, consent=True)
    private = client.get(f"/espace-membres/calendrier/{person.membership.calendar_token}.ics")
    assert ics_urls(private.content) == [expected]
    client.force_login(person)
    own = client.get(f"/espace-membres/inscriptions/{enrolment.pk}/calendrier.ics")
    assert ics_urls(own.content) == [expected]


def test_my_trainings_gives_the_private_feed_at_the_public_address(base, client):
    person = member()
    client.force_login(person)
    html = client.get("/espace-membres/", HTTP_HOST="127.0.0.1").content.decode()
    token = person.membership.calendar_token
    assert f'value="{BASE}/espace-membres/calendrier/{token}.ics"' in html


def test_json_ld_links_follow_the_setting(base, client, training):
    data = json_ld(client.get(training.url).content.decode())
    assert data["url"] == BASE + training.url
    assert data["image"].startswith(BASE + "/")
    assert data["offers"]["url"] == BASE + training.url
    assert {i["offers"]["url"] for i in data["hasCourseInstance"]} == {BASE + training.url}
    online = data["hasCourseInstance"][1]
    assert online["location"] == {"@type": "VirtualLocation", "url": BASE + training.url}


def test_api_links_follow_the_setting(base, client, training):
    listing = client.get("/api/v2/trainings/").json()
    (item,) = listing["items"]
    assert item["meta"]["html_url"] == BASE + training.url
    assert item["meta"]["detail_url"] == f"{BASE}/api/v2/trainings/{training.pk}/"
    detail = client.get(f"/api/v2/trainings/{training.pk}/").json()
    assert detail["meta"]["html_url"] == BASE + training.url
    found = client.get(f"/api/v2/trainings/find/?html_path={training.url}")
    assert found["Location"].rstrip("?") == f"{BASE}/api/v2/trainings/{training.pk}/"


# -- Members' e-mails ---------------------------------------------------------------------------


def test_invitation_link_follows_the_setting_not_the_request_host(base, client):
    coordinator = member(role="coordinator")
    client.force_login(coordinator)
    post(client, "/espace-membres/inviter/", {"email": "nour@example.org"}, HTTP_HOST="localhost")
    invitation = Invitation.objects.get()
    (message,) = mail.outbox
    assert f"{BASE}/espace-membres/invitation/{invitation.token}/" in message.body
    assert "localhost" not in message.body


def test_password_reset_link_follows_the_setting(base, client):
    person = member("alex@example.org")
    person.set_password("Un-mot-de-passe-solide-42")
    person.save()
    post(client, "/en/espace-membres/mot-de-passe/", {"email": "alex@example.org"})
    (message,) = mail.outbox
    link = re.search(r"\S+/mot-de-passe/\S+/\S+/", message.body).group(0)
    assert link.startswith(f"{BASE}/en/espace-membres/mot-de-passe/")
    assert client.get(link[len(BASE) :], follow=True).status_code == 200


def test_approval_email_links_follow_the_setting(base, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("comite", "c@example.org", "pw"))
    sign_up = SignUpRequest.objects.create(
        first_name="Émilie",
        last_name="Gagnon",
        email="emilie@example.org",
        organisation=Organisation.objects.create(name="Maison", sector="community", region="06"),
        role="member",
    )
    post(client, reverse("sign_up_requests:approve", args=[sign_up.pk]))
    (message,) = mail.outbox
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) >= 3 and all(link.startswith(BASE + "/") or link == BASE for link in links)


# -- The meeting link ---------------------------------------------------------------------------


def online_session(training):
    return training.sessions.get(format="online")


def locations_and_more(content):
    return " ".join(
        str(event.get(name, ""))
        for event in Calendar.from_ical(content).walk("VEVENT")
        for name in ("LOCATION", "DESCRIPTION", "CONFERENCE")
    )


def test_the_confirmed_members_calendars_carry_the_meeting_link(client, training):
    session = online_session(training)
    person = member("ana@example.org")
    enrolment = committed(services.enrol, person, session, consent=True)
    assert enrolment.status == "confirmed"
    (message,) = mail.outbox
    assert MEETING in locations_and_more(message.attachments[0][1])
    feed = client.get(f"/espace-membres/calendrier/{person.membership.calendar_token}.ics")
    assert MEETING in locations_and_more(feed.content)
    client.force_login(person)
    own = client.get(f"/espace-membres/inscriptions/{enrolment.pk}/calendrier.ics")
    assert own.status_code == 200
    assert MEETING in locations_and_more(own.content)


def test_the_meeting_link_stays_out_of_public_feeds_and_waiting_peoples_calendars(
    client, training
):
    session = online_session(training)
    committed(services.enrol, member(), session, consent=True)  # takes the only seat
    waiting = member("attente@example.org")
    enrolment = committed(services.enrol, waiting, session, consent=True)
    assert enrolment.status == "waiting"
    assert MEETING not in client.get("/calendrier/formations.ics").content.decode()
    assert MEETING not in client.get(f"/calendrier/formation-{training.pk}.ics").content.decode()
    client.force_login(waiting)
    own = client.get(f"/espace-membres/inscriptions/{enrolment.pk}/calendrier.ics")
    assert own.status_code in (200, 404)
    assert MEETING not in own.content.decode()
    assert MEETING not in "".join(m.body for m in mail.outbox if m.to == [waiting.email])
    assert not [m for m in mail.outbox if m.to == [waiting.email] and m.attachments]


def test_a_coordinator_does_not_get_a_colleagues_meeting_link(client, training):
    session = online_session(training)
    colleague = member()
    coordinator = f.user()
    Membership.objects.create(
        user=coordinator, organisation=colleague.membership.organisation, role="coordinator"
    )
    enrolment = committed(services.enrol, colleague, session, consent=True)
    client.force_login(coordinator)
    response = client.get(f"/espace-membres/inscriptions/{enrolment.pk}/calendrier.ics")
    assert MEETING not in response.content.decode()
    assert Enrolment.objects.get(pk=enrolment.pk).status == "confirmed"
