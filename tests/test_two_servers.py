"""Two app servers, one database: two gunicorn servers (production settings, two workers each)
share this run's PostgreSQL database and one Redis, as two machines behind a load balancer.

- 200 members sign in on one server and enrol on the other, all at once, into 20 seats: exactly
  20 confirmed and 180 waiting in arrival order, no error, and both servers' cached training
  page says "full" at once;
- a member signed in on one server is signed in on the other, and signed out on both;
- a page published by one server's process is fresh at the other's next anonymous request,
  although that server had it cached;
- two workers (`manage.py run_worker --once`) started together send each outbox e-mail once.

Marked `servers`; skipped on SQLite (with the reason), run by .ci/run on PostgreSQL."""

import collections
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
import requests
from django.db import connection

from home.models import StandardPage
from tests import app_servers
from tests import factories as f
from trainings.models import Enrolment, OutboxEmail

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.servers,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REDIS_URL = "redis://127.0.0.1:6379/6"  # emptied by the tests: no other use of it
PORTS = (8017, 8018)
MEMBERS = 200
CAPACITY = 20
OUTBOX_MESSAGES = 1000
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def shared_redis():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {REDIS_URL} (as .ci/run starts it)")
    return client


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two gunicorn servers on this run's test database and one Redis database."""
    app_servers.needs_postgresql()
    shared_redis()
    folder = tmp_path_factory.mktemp("two-servers")
    with django_db_blocker.unblock():
        url = app_servers.database_url()
    env = app_servers.environment(
        DATABASE_URL=url,
        REDIS_URL=REDIS_URL,
        MEDIA_ROOT=folder / "media",
        OUTBOX_DELIVERY_BACKEND=FILE_BACKEND,
        EMAIL_FILE_PATH=folder / "mail-servers",
    )
    started = [app_servers.AppServer(port, env, folder).start() for port in PORTS]
    try:
        for server in started:
            server.wait_until_ready()
        yield started, env, folder
    finally:
        for server in started:
            server.stop()


@pytest.fixture(autouse=True)
def empty_shared_cache():
    """No page or stamp of a previous test (their rows are gone) in the shared cache."""
    if connection.vendor == "postgresql":
        shared_redis().flushdb()


def csrf_token(response):
    match = TOKEN.search(response.text)
    assert match, (response.url, response.status_code)
    return match.group(1)


def sign_in(browser, server, email):
    login = browser.get(f"{server.url}/espace-membres/connexion/", timeout=60)
    answer = browser.post(
        f"{server.url}/espace-membres/connexion/",
        data={"username": email, "password": "pw", "csrfmiddlewaretoken": csrf_token(login)},
        allow_redirects=False,
        timeout=60,
    )
    assert answer.status_code == 302, (email, answer.status_code)


def delivered(*folders):
    """Every e-mail the file backend wrote in `folders`: (to, subject) pairs."""
    found = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.log")) if Path(folder).exists() else ():
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    message = message_from_bytes(chunk)
                    subject = str(make_header(decode_header(message["Subject"])))
                    found.append((message["To"], subject))
    return found


def anonymous(server, url):
    """A visitor without any cookie (what the page cache serves)."""
    response = requests.get(server.url + url, timeout=30, allow_redirects=False)
    assert response.status_code == 200, (url, response.status_code)
    return response.text


def test_two_hundred_enrolments_split_across_both_servers_end_exact(servers):
    (first, second), env, folder = servers
    organisation = f.organisation(name="Réseau des deux serveurs")
    training = f.training(title="Deux serveurs", sessions=[f.session(12, capacity=CAPACITY)])
    session = training.sessions.get()
    people = [f.member(organisation) for _ in range(MEMBERS)]
    # Both servers have the training page cached, with its seats left.
    for server in (first, second):
        assert "badge--full" not in anonymous(server, training.url)

    ready = threading.Barrier(MEMBERS, timeout=120)

    def member_journey(number):
        """Sign in on one server, enrol on the other. The form's token is the CSRF cookie the
        sign-in renewed (Django accepts it as is, as for scripts sending X-CSRFToken): the
        form itself costs the servers more than the enrolment, and shows nothing more."""
        sign_on, enrol_on = (first, second) if number % 2 else (second, first)
        browser = requests.Session()
        sign_in(browser, sign_on, people[number].email)
        address = f"{enrol_on.url}/espace-membres/inscription/{session.pk}/"
        ready.wait()
        answer = browser.post(
            address,
            data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=120,
        )
        assert answer.status_code == 302, answer.status_code
        assert answer.headers["Location"].endswith("/espace-membres/")
        return enrol_on.port

    with ThreadPoolExecutor(max_workers=MEMBERS) as pool:
        futures = [pool.submit(member_journey, number) for number in range(MEMBERS)]
    errors = [future.exception() for future in futures if future.exception()]
    assert errors == []
    ports = collections.Counter(future.result() for future in futures)
    assert ports == {PORTS[0]: MEMBERS // 2, PORTS[1]: MEMBERS // 2}

    enrolments = list(Enrolment.objects.filter(session=session).order_by("created", "pk"))
    assert len(enrolments) == MEMBERS
    assert len({e.user_id for e in enrolments}) == MEMBERS
    statuses = [e.status for e in enrolments]
    assert statuses == ["confirmed"] * CAPACITY + ["waiting"] * (MEMBERS - CAPACITY)
    positions = [Enrolment.objects.waiting_position(e) for e in enrolments[CAPACITY:]]
    assert positions == list(range(1, MEMBERS - CAPACITY + 1))

    # The next anonymous visitor of either server sees the session full.
    for server in (first, second):
        assert "badge--full" in anonymous(server, training.url)

    # Each person got one e-mail, the one their seat calls for, sent by the server that
    # enrolled them once the enrolment was committed (in the background: waited for here).
    deadline = time.monotonic() + 60
    while OutboxEmail.objects.filter(sent_at=None).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    emails = OutboxEmail.objects.filter(enrolment__session=session)
    assert collections.Counter(emails.values_list("kind", flat=True)) == {
        "confirmed": CAPACITY,
        "waiting": MEMBERS - CAPACITY,
    }
    assert not emails.filter(sent_at=None).exists()
    sent = delivered(folder / "mail-servers")
    assert sorted(sent) == sorted(emails.values_list("to", "subject"))


def test_a_member_signed_in_on_one_server_is_signed_in_on_the_other(servers):
    (first, second), env, folder = servers
    person = f.member(email="deux.serveurs@example.org")
    browser = requests.Session()
    sign_in(browser, first, person.email)
    mine = browser.get(f"{second.url}/espace-membres/", allow_redirects=False, timeout=30)
    assert mine.status_code == 200  # not sent to the sign-in page

    sign_out = browser.post(
        f"{second.url}/espace-membres/deconnexion/",
        data={"csrfmiddlewaretoken": csrf_token(mine)},
        allow_redirects=False,
        timeout=30,
    )
    assert sign_out.status_code == 302
    again = browser.get(f"{first.url}/espace-membres/", allow_redirects=False, timeout=30)
    assert again.status_code == 302 and "/connexion/" in again.headers["Location"]


def test_a_page_published_through_one_server_is_fresh_on_the_other(servers):
    (first, second), env, folder = servers
    page = StandardPage(title="Nouvelles du réseau", slug="nouvelles", introduction="Première.")
    f.home_page().add_child(instance=page)
    page.save_revision().publish()
    assert "Nouvelles du réseau" in anonymous(second, page.url)

    # Changed behind the site's back (no publish, no signal): the second server still answers
    # with the page it cached, so the check below is about invalidation, not about no cache.
    StandardPage.objects.filter(pk=page.pk).update(introduction="Changée en douce.")
    assert "Première." in anonymous(second, page.url), "the second server does not cache pages"

    # Published by a process of the first server (its settings, its environment).
    published = app_servers.manage(
        "shell",
        "-c",
        "from home.models import StandardPage\n"
        f"page = StandardPage.objects.get(pk={page.pk})\n"
        "page.introduction = 'Deuxième version.'\n"
        "page.save_revision().publish()\n",
        env=first.env,
    )
    assert published.returncode == 0, published.stderr
    for server in (second, first):
        html = anonymous(server, page.url)
        assert "Deuxième version." in html and "Première." not in html


def test_two_workers_at_once_send_each_outbox_email_once(servers):
    (first, second), env, folder = servers
    OutboxEmail.objects.bulk_create(
        OutboxEmail(
            to=f"lecteur{number}@example.org",
            subject=f"Message {number}",
            body=f"Bonjour, message {number}.\n",
            kind="message",
        )
        for number in range(OUTBOX_MESSAGES)
    )
    mailboxes = [folder / f"mail-worker-{number}" for number in (1, 2)]
    for _ in range(5):  # a round may leave some for the next (its own limits)
        workers = [
            app_servers.start_manage(
                "run_worker",
                "--once",
                env={**env, "EMAIL_FILE_PATH": str(mailbox)},
                log=folder / f"worker-{number}.log",
            )
            for number, mailbox in enumerate(mailboxes, start=1)
        ]
        for worker in workers:
            assert worker.wait(timeout=120) == 0, (folder / "worker-1.log").read_text()
        if not OutboxEmail.objects.filter(sent_at=None).exists():
            break
    assert not OutboxEmail.objects.filter(sent_at=None).exists()
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {1}

    sent = delivered(*mailboxes)
    expected = {(f"lecteur{n}@example.org", f"Message {n}") for n in range(OUTBOX_MESSAGES)}
    duplicates = [pair for pair, count in collections.Counter(sent).items() if count > 1]
    assert duplicates == []
    assert set(sent) == expected
    # Both took part: the rows were shared between them, not sent by one while the other waited.
    per_worker = [len(delivered(mailbox)) for mailbox in mailboxes]
    assert all(per_worker), f"the workers did not overlap ({per_worker}): nothing was proven"
