"""Mail that matters is never lost (issue 8, item 6): the password reset, the invitation and the
sign-up approval go through the outbox like every other e-mail, so a mail server that is down
delays them and `send_outbox` delivers them later."""

import datetime
import os
import re
import smtplib
import subprocess
import sys
import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from members.models import Invitation, Membership, SignUpRequest
from tests import factories as f
from trainings import emails
from trainings.models import OutboxEmail

pytestmark = pytest.mark.django_db

OUTBOX = "trainings.outbox_backend.OutboxBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class DownBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def later(monkeypatch):
    """What the outbox hands over for delivery after the response, kept to be run by the test
    when it chooses (instead of a thread): `later.run()` delivers it."""

    class Later(list):
        def run(self):
            while self:
                self.pop(0)()

    pending = Later()
    monkeypatch.setattr(emails, "run_after_commit", pending.append)
    return pending


@pytest.fixture
def server_down(settings, monkeypatch):
    """As in production (the test runner swaps EMAIL_BACKEND for locmem: put it back), with the
    real delivery failing; the delivery after the response runs inline, at once."""
    settings.EMAIL_BACKEND = OUTBOX
    settings.OUTBOX_DELIVERY_BACKEND = "tests.test_account_mail.DownBackend"
    monkeypatch.setattr(emails, "run_after_commit", lambda function: function())
    return settings


def committed(client, url, data=None):
    """A POST whose after-commit callbacks run, as in a real request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def queued_for(address):
    (email,) = OutboxEmail.objects.filter(to=address)
    assert email.sent_at is None and email.attempts == 1  # tried once, after the commit
    assert "SMTPServerDisconnected" in email.last_error
    return email


def server_back_and_cron_runs(settings):
    settings.OUTBOX_DELIVERY_BACKEND = LOCMEM
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_outbox", stdout=open(os.devnull, "w"))


def member(email, organisation=None, role="member"):
    user = f.member(organisation, role=role, email=email)
    user.set_password("Un-mot-de-passe-solide-42")
    user.save()
    return user


def test_password_reset_waits_in_the_outbox_and_is_delivered_later(client, server_down):
    member("alex@example.org")
    response = committed(client, "/espace-membres/mot-de-passe/", {"email": "alex@example.org"})
    assert response.status_code == 302
    email = queued_for("alex@example.org")
    assert "/espace-membres/mot-de-passe/" in email.body
    assert mail.outbox == []

    server_back_and_cron_runs(server_down)
    (message,) = mail.outbox
    assert message.to == ["alex@example.org"]
    link = re.search(r"https?://[^/\s]+(/espace-membres/mot-de-passe/\S+/)", message.body)
    assert client.get(link.group(1), follow=True).context["validlink"] is True
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.body == ""  # a sign-in link is not kept once delivered


def test_invitation_waits_in_the_outbox_and_is_delivered_later(client, server_down):
    coordinator = member("coord@example.org", role="coordinator")
    client.force_login(coordinator)
    response = committed(client, "/espace-membres/inviter/", {"email": "nour@example.org"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nour@example.org")
    assert invitation.token in queued_for("nour@example.org").body
    assert mail.outbox == []

    server_back_and_cron_runs(server_down)
    (message,) = mail.outbox
    assert message.to == ["nour@example.org"] and invitation.token in message.body


def test_approval_waits_in_the_outbox_and_is_delivered_later(client, server_down):
    organisation = f.organisation("Maison Le Phare")
    sign_up = SignUpRequest.objects.create(
        first_name="Émilie",
        last_name="Gagnon",
        email="emilie@example.org",
        organisation=organisation,
    )
    committee = get_user_model().objects.create_superuser("comite", "comite@example.org", "pw")
    client.force_login(committee)
    response = committed(client, reverse("sign_up_requests:approve", args=[sign_up.pk]))
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="emilie@example.org").exists()
    assert "/mot-de-passe/" in queued_for("emilie@example.org").body
    assert mail.outbox == []

    server_back_and_cron_runs(server_down)
    (message,) = mail.outbox
    assert message.to == ["emilie@example.org"] and "Émilie" in message.body


def test_a_message_that_rolls_back_is_never_sent(server_down):
    from django.db import transaction

    server_down.OUTBOX_DELIVERY_BACKEND = LOCMEM
    with pytest.raises(RuntimeError), TestCase.captureOnCommitCallbacks(execute=True):
        with transaction.atomic():
            mail.send_mail("Sujet", "Texte", None, ["a@example.org"])
            raise RuntimeError
    assert not OutboxEmail.objects.exists() and mail.outbox == []


def test_the_outbox_keeps_every_recipient_and_the_calendar(server_down):
    server_down.OUTBOX_DELIVERY_BACKEND = LOCMEM
    message = mail.EmailMessage("Sujet", "Texte", to=["a@example.org"], cc=["b@example.org"])
    message.attach("formation.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert message.send() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(m.attachments[0][2] == "text/calendar" for m in mail.outbox)


def test_the_outbox_refuses_what_it_cannot_keep(server_down):
    message = mail.EmailMessage("Sujet", "Texte", to=["a@example.org"])
    message.attach("rapport.pdf", b"%PDF-1.4", "application/pdf")
    with pytest.raises(ValueError):
        message.send()
    assert not OutboxEmail.objects.exists()


def test_every_environment_writes_mail_to_the_outbox():
    """The settings modules themselves: only the delivery backend differs."""
    from tests.test_settings_production import PRODUCTION_ENV

    code = (
        "from django.conf import settings\n"
        "print(settings.EMAIL_BACKEND, settings.OUTBOX_DELIVERY_BACKEND)\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "EMAIL_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    expected = {
        "cqctp.settings.dev": "django.core.mail.backends.console.EmailBackend",
        "cqctp.settings.production": "django.core.mail.backends.smtp.EmailBackend",
        "cqctp.settings.test": LOCMEM,
    }
    for module, delivery in expected.items():
        extra = PRODUCTION_ENV if module.endswith("production") else {}
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
            cwd=django_settings.BASE_DIR,
            env={**env, **extra, "DJANGO_SETTINGS_MODULE": module},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [OUTBOX, delivery], module


# -- Not on the request's path (security review): the answer must not wait for the mail server,
# or its delay would tell whether the address has an account.

ACCOUNT_MAIL = [
    ("/espace-membres/mot-de-passe/", "alex@example.org", "member"),
    ("/espace-membres/inviter/", "coord@example.org", "member"),  # already has an account
]


@pytest.mark.parametrize(("url", "address", "role"), ACCOUNT_MAIL)
def test_account_mail_is_delivered_after_the_response_not_during_it(
    client, settings, later, url, address, role
):
    settings.EMAIL_BACKEND = OUTBOX
    coordinator = member("coord@example.org", role="coordinator")
    member("alex@example.org")
    if url.endswith("inviter/"):
        client.force_login(coordinator)
    response = committed(client, url, {"email": address})
    assert response.status_code == 302
    email = OutboxEmail.objects.get(to=address)
    assert email.attempts == 0 and mail.outbox == []  # the commit did not deliver it
    assert len(later) == 1

    later.run()  # what the background thread does, after the response
    (message,) = mail.outbox
    assert message.to == [address]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1


def test_a_refused_delivery_after_the_response_is_left_to_send_outbox(later, server_down):
    with TestCase.captureOnCommitCallbacks(execute=True):
        mail.send_mail("Sujet", "Texte", None, ["a@example.org"])
    later.run()  # the server is down
    assert queued_for("a@example.org").sent_at is None
    server_back_and_cron_runs(server_down)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_send_outbox_first_then_the_background_delivery_sends_it_once(later, settings):
    settings.EMAIL_BACKEND = OUTBOX
    with TestCase.captureOnCommitCallbacks(execute=True):
        mail.send_mail("Sujet", "Texte", None, ["a@example.org"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_outbox", stdout=open(os.devnull, "w"))  # the row is already due
    later.run()
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get().attempts == 1


class HeldBackend(BaseEmailBackend):
    """A mail server that answers only once the test releases it; it notes who called it."""

    released = threading.Event()
    callers = []

    def send_messages(self, email_messages):
        self.callers.append(threading.current_thread())
        assert self.released.wait(timeout=30)
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reset_answer_does_not_wait_for_the_mail_server(client, settings, monkeypatch):
    """A real request that commits, a real thread: the response comes back while the mail
    server still holds the message, and the message goes out once it answers."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")
    settings.EMAIL_BACKEND = OUTBOX
    settings.OUTBOX_DELIVERY_BACKEND = "tests.test_account_mail.HeldBackend"
    threads = []
    monkeypatch.setattr(
        emails, "run_after_commit", lambda function: threads.append(emails.in_background(function))
    )
    HeldBackend.released.clear()
    HeldBackend.callers.clear()
    member("alex@example.org")
    try:
        response = client.post("/espace-membres/mot-de-passe/", {"email": "alex@example.org"})
        assert response.status_code == 302  # answered while the mail server holds the message
        assert OutboxEmail.objects.get(to="alex@example.org").sent_at is None
    finally:
        HeldBackend.released.set()
        for thread in threads:
            thread.join(timeout=30)
    (thread,) = threads
    assert not thread.is_alive()
    assert HeldBackend.callers == [thread] and thread is not threading.current_thread()
    assert [m.to for m in mail.outbox] == [["alex@example.org"]]
    assert OutboxEmail.objects.get(to="alex@example.org").sent_at is not None
