"""Sign-in reveals nothing and nobody can lock a member out (issue 8, item 4): the same hashing
work whatever the address, the lockout counted per address *and* client behind the proxy, a try
while locked neither extends the cool-off nor holds a worker, and no autofocus skips the skip
link."""

import datetime
import os
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.hashers import MD5PasswordHasher

from members.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

SIGN_IN = "/espace-membres/connexion/"
PASSWORD = "Un-mot-de-passe-solide-42"


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting every password it hashes (checking hashes too)."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def person(email, password=PASSWORD, **fields):
    user = f.user(email, **fields)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, organisation=f.organisation())
    return user


def hashes_for(client, username, password="pas-le-bon"):
    CountingHasher.calls = 0
    response = client.post(SIGN_IN, {"username": username, "password": password})
    return response, CountingHasher.calls


def test_a_failed_sign_in_hashes_once_whatever_the_address(client, settings):
    settings.PASSWORD_HASHERS = ["tests.test_sign_in.CountingHasher"]
    person("alex@example.org")
    person("ancien@example.org", is_active=False)
    approved = f.user("approuve@example.org")  # approved, password not chosen yet
    approved.set_unusable_password()
    approved.save()

    work = {}
    for username in (
        "alex@example.org",  # an account, wrong password
        "ALEX@Example.org",  # the same, another case
        "personne@example.org",  # no account
        "ancien@example.org",  # a deactivated account
        "approuve@example.org",  # an account without a password yet
    ):
        response, calls = hashes_for(client, username)
        assert response.status_code == 200, username
        work[username] = calls
    assert set(work.values()) == {1}, work

    response, calls = hashes_for(client, "alex@example.org", PASSWORD)
    assert response.status_code == 302 and calls == 1


def test_staff_still_sign_in_to_the_admin_by_username(client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


# -- Behind the proxy: the lockout counts address and client together --------------------------


@pytest.fixture
def behind_one_proxy(settings):
    """The client address as production reads it behind one proxy (PROXY_COUNT=1)."""
    from cqctp.settings.base import client_address

    settings.AXES_IPWARE_META_PRECEDENCE_ORDER, settings.AXES_IPWARE_PROXY_COUNT = client_address(1)


def from_client(address):
    """What the proxy (10.0.0.2) passes on: the client's address appended to X-Forwarded-For."""
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": address}


def test_an_attacker_locks_only_themself_out(client, behind_one_proxy):
    person("alex@example.org")
    attacker = from_client("203.0.113.5")
    for _ in range(5):
        client.post(SIGN_IN, {"username": "alex@example.org", "password": "x"}, **attacker)
    right = {"username": "alex@example.org", "password": PASSWORD}
    locked = client.post(SIGN_IN, right, **attacker)
    assert locked.status_code == 429
    # Claiming another address in X-Forwarded-For does not help: the proxy appends the real one.
    spoofed = from_client("198.51.100.7, 203.0.113.5")
    again = client.post(SIGN_IN, right, **spoofed)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session

    member = client.post(SIGN_IN, right, **from_client("198.51.100.7"))
    assert member.status_code == 302
    assert "_auth_user_id" in client.session


def test_production_reads_the_client_behind_the_proxy():
    """The production settings themselves (PROXY_COUNT defaults to 1 there)."""
    code = (
        "from django.test import RequestFactory\n"
        "from axes.helpers import get_client_ip_address\n"
        "factory = RequestFactory()\n"
        "for forwarded in ('203.0.113.5', '198.51.100.7, 203.0.113.5', None):\n"
        "    meta = {'REMOTE_ADDR': '10.0.0.2'}\n"
        "    if forwarded: meta['HTTP_X_FORWARDED_FOR'] = forwarded\n"
        "    print(get_client_ip_address(factory.post('/', **meta)))\n"
    )
    from tests.test_settings_production import PRODUCTION_ENV  # the environment it needs

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "PROXY_COUNT", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["203.0.113.5", "203.0.113.5", "10.0.0.2"]


# -- While locked ------------------------------------------------------------------------------

MONTREAL = ZoneInfo("America/Montreal")


def test_a_try_while_locked_does_not_extend_the_cool_off(client):
    person("alex@example.org")
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=MONTREAL)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            client.post(SIGN_IN, {"username": "alex@example.org", "password": "x"})
        clock.move_to(start + datetime.timedelta(minutes=10))
        for password in ("x", PASSWORD):
            locked = client.post(SIGN_IN, {"username": "alex@example.org", "password": password})
            assert locked.status_code == 429
        assert AccessAttempt.objects.get().failures_since_start == 5

        clock.move_to(start + datetime.timedelta(minutes=15, seconds=1))
        response = client.post(SIGN_IN, {"username": "alex@example.org", "password": PASSWORD})
        assert response.status_code == 302
        assert "_auth_user_id" in client.session


def test_no_sign_in_answer_holds_a_worker(client, settings, monkeypatch):
    """Neither a failure nor a locked try sleeps: the lockout is the brake (see base.py). The
    delay production used to configure is set back on: it must change nothing."""
    settings.SIGN_IN_FAILURE_DELAY = 0.5
    waits = []
    monkeypatch.setattr(time, "sleep", waits.append)
    person("alex@example.org")
    for _ in range(5):
        client.post(SIGN_IN, {"username": "alex@example.org", "password": "x"})
    for _ in range(3):
        locked = client.post(SIGN_IN, {"username": "alex@example.org", "password": "x"})
        assert locked.status_code == 429
    assert waits == []


# -- The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [SIGN_IN, "/en" + SIGN_IN])
def test_the_sign_in_page_does_not_skip_the_skip_link(client, url):
    html = client.get(url).content.decode()
    assert 'name="username"' in html
    assert "autofocus" not in html


# -- The language the person chose is kept after signing in and out ----------------------------


def test_signing_in_on_the_english_site_returns_to_the_english_page(client):
    """The return address was written in French (before the switch to English)."""
    person("alex@example.org")
    response = client.post(
        "/en" + SIGN_IN + "?next=/espace-membres/inscription/9/",
        {"username": "alex@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/espace-membres/inscription/9/"


def test_signing_in_never_follows_a_return_address_elsewhere(client):
    person("alex@example.org")
    for hostile in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        client.logout()
        response = client.post(
            "/en" + SIGN_IN + "?next=" + hostile,
            {"username": "alex@example.org", "password": PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == "/en/espace-membres/", hostile


def test_signing_out_lands_on_the_home_page_of_the_language_in_use(client):
    for prefix, home in (("/en", "/en/"), ("", "/")):
        client.force_login(person(f"out{prefix.strip('/')}@example.org"))
        response = client.post(prefix + "/espace-membres/deconnexion/")
        assert response.status_code == 302 and response["Location"] == home, prefix
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("page", "return_to"),
    [
        (SIGN_IN, SIGN_IN),
        (SIGN_IN, "/en" + SIGN_IN),
        ("/en" + SIGN_IN, SIGN_IN),
    ],
)
def test_a_return_address_that_is_the_sign_in_page_leads_home_not_to_a_loop(
    client, page, return_to
):
    """Signed in, with `next` pointing back at the sign-in page (in either language): Django
    would detect a redirection loop and answer 500."""
    client.force_login(person("loop@example.org"))
    response = client.get(page, {"next": return_to})
    assert response.status_code == 302
    assert response["Location"] in ("/espace-membres/", "/en/espace-membres/")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_signing_out_with_itself_as_return_address_goes_home(client, prefix):
    """Django would render the admin's "logged out" template, which this site cannot build."""
    address = prefix + "/espace-membres/deconnexion/"
    client.force_login(person(f"self{prefix.strip('/')}@example.org"))
    response = client.post(address, {"next": address})
    assert response.status_code == 302
    assert response["Location"] == prefix + "/"


def test_the_email_language_page_answers_get_and_post_only(client):
    client.force_login(f.member())
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)("/espace-membres/langue/").status_code == 405
