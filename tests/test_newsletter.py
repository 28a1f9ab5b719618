"""The newsletter (issue 12, item 4): a public archive of issues, a double opt-in sign-up that
never tells whether an address is subscribed, one-click unsubscription in every message (RFC
8058), issues sent in batches that resume without a second copy, the committee's admin, and the
member's data export and account closing."""

import csv
import datetime
import html
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Page, PageViewRestriction

from committee import roles
from home import routing
from home.models import HomePage
from newsletter import services, views
from newsletter.forms import CONSENT_TEXT, SubscribeForm
from newsletter.models import (
    NewsletterDelivery,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NewsletterSending,
    Subscriber,
    SubscriberStatus,
)
from tests import factories as f
from trainings import emails, privacy
from trainings.models import OutboxEmail

pytestmark = pytest.mark.django_db

OUTBOX = "trainings.outbox_backend.OutboxBackend"
BASE = "https://formations.test"  # PUBLIC_BASE_URL of the test settings
RECEIVED = "/infolettre/verifiez-vos-courriels/"


@pytest.fixture(autouse=True)
def as_in_production(settings, monkeypatch, frozen_now):
    """E-mails through the outbox (the test runner swaps EMAIL_BACKEND for locmem: put it
    back), delivered inline after the commit; pages rendered afresh; "now" frozen."""
    settings.EMAIL_BACKEND = OUTBOX
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(emails, "run_after_commit", lambda function: function())
    routing.forget()


@pytest.fixture
def archive(db):
    page = NewsletterIndexPage(title="Infolettre", slug="infolettre")
    f.home_page().add_child(instance=page)
    page.save_revision().publish()
    return NewsletterIndexPage.objects.get(pk=page.pk)


@pytest.fixture
def archive_en(archive):
    return f.translation(archive, "Newsletter", slug="newsletter")


def issue(archive, title, days_ago=0, summary="", live=True):
    page = NewsletterIssuePage(
        title=title,
        slug=re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        summary=summary or f"Résumé de « {title} ».",
        live=live,
    )
    archive.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return NewsletterIssuePage.objects.get(pk=page.pk)


def subscriber(email, status=SubscriberStatus.CONFIRMED, language="fr-ca", **fields):
    return Subscriber.objects.create(
        email=email, status=status, language=language, consent_text="J’accepte.", **fields
    )


def committed(function, *args, **kwargs):
    """Run the after-commit callbacks (deliveries) as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def sign_up(client, archive, email="ana@example.org", language="fr-ca", consent=True, **extra):
    data = {"email": email, "language": language, **extra}
    if consent:
        data["consent"] = "on"
    return committed(client.post, archive.url, data)


def french(message):
    """`message` as the French pages show it: its translation in locale/fr once there is one,
    the English source until then. Tests hold whatever the translators write."""
    with translation.override("fr-ca"):
        return str(translation.gettext(message))


def text(response):
    return html.unescape(response.content.decode())


def path_of(link):
    assert link.startswith(BASE + "/"), link  # the public address, never localhost
    return link[len(BASE) :]


def links_in(body):
    return re.findall(r"https?://\S+", body)


# -- Archive pages ---------------------------------------------------------------------------


def test_the_archive_lives_under_the_home_page_and_issues_under_the_archive(archive):
    home = HomePage.objects.get(pk=f.home_page().pk)
    assert NewsletterIndexPage.can_create_at(home) is False  # one per home (max_count_per_parent)
    assert NewsletterIndexPage in home.specific_class.allowed_subpage_models()
    assert NewsletterIssuePage.can_create_at(archive)
    assert not NewsletterIssuePage.can_create_at(home)
    assert NewsletterIssuePage.allowed_subpage_models() == []


def test_the_archive_lists_live_issues_newest_first_with_an_unticked_consent_box(client, archive):
    issue(archive, "Numéro d’hiver", days_ago=90)
    issue(archive, "Numéro du printemps", days_ago=10)
    issue(archive, "Brouillon secret", live=False)
    html = client.get(archive.url).content.decode()
    assert html.index("Numéro du printemps") < html.index("Numéro d’hiver")
    assert "Brouillon secret" not in html
    consent = re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group(0)
    assert "checked" not in consent
    assert 'value="fr-ca"' in html and re.search(r'value="fr-ca"[^>]*checked', html)


def test_the_english_archive_chooses_english_by_default(client, archive_en):
    html = client.get(archive_en.url).content.decode()
    assert re.search(r'value="en"[^>]*checked', html)
    assert not re.search(r'value="fr-ca"[^>]*checked', html)


def test_the_archive_is_paged_and_a_bad_page_number_is_no_error(client, archive):
    for number in range(12):
        issue(archive, f"Numéro {number}", days_ago=number)
    first = client.get(archive.url).content.decode()
    assert "Numéro 0" in first and "Numéro 9" in first and "Numéro 10" not in first
    second = client.get(archive.url + "?page=2").content.decode()
    assert "Numéro 10" in second and "Numéro 11" in second and "Numéro 0<" not in second
    for bad in ("abc", "999", "-1"):
        assert client.get(archive.url, {"page": bad}).status_code == 200


def test_page_privacy_hides_an_issue_from_the_listing(client, archive):
    issue(archive, "Numéro public", days_ago=2)
    private = issue(archive, "Numéro réservé", days_ago=1)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert "Numéro réservé" not in client.get(archive.url).content.decode()
    client.force_login(f.member())
    html = client.get(archive.url).content.decode()
    assert "Numéro réservé" in html and "Numéro public" in html


def test_the_listing_costs_the_same_queries_whatever_the_number_of_issues(client, archive):
    issue(archive, "Premier numéro", days_ago=30)

    def queries():
        client.get(archive.url)  # the header, kept again after new content
        with CaptureQueriesContext(connection) as captured:
            assert client.get(archive.url).status_code == 200
        return len(captured)

    few = queries()
    for number in range(9):
        issue(archive, f"Numéro {number}", days_ago=number)
    assert queries() == few


def test_an_issue_page_shows_its_summary_and_leads_to_the_sign_up(client, archive):
    page = issue(archive, "Numéro de juin", summary="Les nouvelles de juin.")
    html = client.get(page.url).content.decode()
    assert "Numéro de juin" in html and "Les nouvelles de juin." in html
    assert f'href="{archive.url}#subscribe"' in html


# -- Signing up (double opt-in) -----------------------------------------------------------------


def test_sign_up_stores_a_pending_subscriber_and_emails_a_working_confirmation_link(
    client, archive
):
    response = sign_up(client, archive, email="  Ana@Example.ORG ", language="en")
    assert response.status_code == 302 and response["Location"] == RECEIVED
    assert french("Check your inbox") in text(client.get(RECEIVED))

    person = Subscriber.objects.get()
    assert person.email == "ana@example.org"
    assert (person.status, person.language) == (SubscriberStatus.PENDING, "en")
    assert person.confirmed_at is None and person.unsubscribed_at is None
    with translation.override("fr-ca"):  # the page's language: the text as it was shown
        assert person.consent_text == str(CONSENT_TEXT)
    assert len(person.token) >= 40

    (email,) = OutboxEmail.objects.all()
    assert email.to == "ana@example.org" and email.sent_at is not None
    (message,) = mail.outbox
    confirm = next(link for link in links_in(message.body) if "/confirmer/" in link)
    assert path_of(confirm) == f"/en/infolettre/confirmer/{person.token}/"  # their language

    # A mail scanner opens the link: nothing changes.
    page = client.get(path_of(confirm))
    assert page.status_code == 200 and "Yes, confirm my subscription" in page.content.decode()
    person.refresh_from_db()
    assert person.status == SubscriberStatus.PENDING

    # The person clicks the button.
    response = client.post(path_of(confirm))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == SubscriberStatus.CONFIRMED
    assert person.confirmed_at is not None and person.confirmed_at <= timezone.now()
    assert "Subscription confirmed" in client.get(path_of(confirm)).content.decode()
    assert client.post(path_of(confirm)).status_code == 200  # again: changes nothing
    person.refresh_from_db()
    assert person.status == SubscriberStatus.CONFIRMED


def test_the_confirmation_needs_the_csrf_token_of_its_page(archive):
    person = subscriber("csrf@example.org", status=SubscriberStatus.PENDING)
    browser = Client(enforce_csrf_checks=True)
    url = f"/infolettre/confirmer/{person.token}/"
    assert browser.post(url).status_code == 403
    browser.get(url)
    token = browser.cookies["csrftoken"].value
    assert browser.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    person.refresh_from_db()
    assert person.status == SubscriberStatus.CONFIRMED


def test_signing_up_again_tells_nothing_and_creates_no_duplicate(client, archive):
    first = sign_up(client, archive, email="bea@example.org")
    again = sign_up(client, archive, email="BEA@example.org ")
    assert Subscriber.objects.count() == 1
    person = Subscriber.objects.get()
    assert person.status == SubscriberStatus.PENDING
    assert len(mail.outbox) == 2 and all(person.token in m.body for m in mail.outbox)

    services.confirm(person)
    subscribed = sign_up(client, archive, email="bea@example.org", language="en")
    fresh = sign_up(client, archive, email="new@example.org")
    answers = {(r.status_code, r["Location"]) for r in (first, again, subscribed, fresh)}
    assert answers == {(302, RECEIVED)}  # the same answer for a new, pending or confirmed one
    person.refresh_from_db()
    assert person.status == SubscriberStatus.CONFIRMED and person.language == "fr-ca"
    assert Subscriber.objects.count() == 2
    told = mail.outbox[2]  # to the confirmed address: nothing to confirm, a way out
    assert told.to == ["bea@example.org"] and "/confirmer/" not in told.body
    assert f"/infolettre/desabonnement/{person.token}/" in told.body


def test_an_unsubscribed_address_signs_up_again_with_a_new_consent(client, archive):
    person = subscriber("carl@example.org", consented_at=timezone.now() - datetime.timedelta(30))
    services.unsubscribe(person)
    sign_up(client, archive, email="carl@example.org", language="en")
    person.refresh_from_db()
    assert (person.status, person.language) == (SubscriberStatus.PENDING, "en")
    assert person.consented_at > person.unsubscribed_at  # the new consent, after the old end
    assert person.confirmed_at is None
    assert "/en/infolettre/confirmer/" in mail.outbox[-1].body


def test_sign_ups_are_limited_per_address(client, archive):
    for _ in range(services.SIGN_UP_LIMIT_PER_ADDRESS):
        assert sign_up(client, archive, email="dan@example.org").status_code == 302
    rows = OutboxEmail.objects.count()
    response = sign_up(client, archive, email="dan@example.org")
    assert response.status_code == 429
    with translation.override("fr-ca"):
        assert str(views.TOO_MANY_SIGN_UPS) in text(response)
    assert OutboxEmail.objects.count() == rows  # nothing more written
    assert sign_up(client, archive, email="other@example.org").status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"email": "eve@example.org", "language": "fr-ca"}, "consent", "required"),
        ({"email": "not an address", "language": "fr-ca", "consent": "on"}, "email", "invalid"),
        ({"email": "", "language": "fr-ca", "consent": "on"}, "email", "required"),
        (
            {"email": "eve@example.org", "language": "xx", "consent": "on"},
            "language",
            "invalid_choice",
        ),
        (
            {"email": "e" * 250 + "@example.org", "language": "en", "consent": "on"},
            "email",
            "max_length",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, archive, data, field, code):
    response = committed(client.post, archive.url, data)
    assert response.status_code == 200
    page = text(response)
    message = SubscribeForm.base_fields[field].error_messages[code]
    with translation.override("fr-ca"):
        message = str(message) % {"limit_value": 254, "show_value": 262, "value": "xx"}
    assert f'id="id_{field}_error">{message}<' in page  # next to its field, in words
    assert 'role="alert"' in page  # the summary of the errors
    assert Subscriber.objects.count() == 0 and OutboxEmail.objects.count() == 0


def test_a_missing_consent_is_linked_to_its_box(client, archive):
    html = sign_up(client, archive, consent=False).content.decode()
    box = re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in box and 'aria-describedby="id_consent_error"' in box
    assert 'id="id_consent_error"' in html


# -- Links that do not (or no longer) work -----------------------------------------------------


@pytest.mark.parametrize("token", ["nope", "x" * 300, "%C3%A9t%C3%A9"])
def test_unknown_tokens_get_a_clear_page(client, archive, token):
    for url in (f"/infolettre/confirmer/{token}/", f"/en/infolettre/desabonnement/{token}/"):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 404
            language = "en" if url.startswith("/en/") else "fr-ca"
            with translation.override(language):
                assert translation.gettext("This link is not valid") in text(response)
    one_click = client.post(
        f"/infolettre/desabonnement/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 404


def test_an_expired_confirmation_link_says_so_and_changes_nothing(client, archive):
    old = timezone.now() - datetime.timedelta(days=services.CONFIRMATION_DAYS, minutes=1)
    person = subscriber("fay@example.org", status=SubscriberStatus.PENDING, consented_at=old)
    url = f"/infolettre/confirmer/{person.token}/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert french("This link has expired") in text(response)
        assert f'href="{archive.url}#subscribe"' in text(response)
    person.refresh_from_db()
    assert person.status == SubscriberStatus.PENDING


def test_an_unsubscribed_address_cannot_be_confirmed_by_its_old_link(client, archive):
    person = subscriber("gus@example.org", status=SubscriberStatus.PENDING)
    services.unsubscribe(person)
    assert client.post(f"/infolettre/confirmer/{person.token}/").status_code == 404
    person.refresh_from_db()
    assert person.status == SubscriberStatus.UNSUBSCRIBED


# -- Unsubscribing -----------------------------------------------------------------------------


def test_unsubscribe_link_shows_a_button_then_unsubscribes_and_keeps_the_record(archive):
    person = subscriber("hugo@example.org")
    browser = Client(enforce_csrf_checks=True)
    url = f"/infolettre/desabonnement/{person.token}/"
    page = browser.get(url)
    assert page.status_code == 200 and french("Yes, unsubscribe me") in text(page)
    person.refresh_from_db()
    assert person.status == SubscriberStatus.CONFIRMED  # a GET changes nothing

    assert browser.post(url).status_code == 403  # the page's form needs its CSRF token
    token = browser.cookies["csrftoken"].value
    response = browser.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == SubscriberStatus.UNSUBSCRIBED
    assert person.unsubscribed_at is not None and person.unsubscribed_at <= timezone.now()
    assert Subscriber.objects.filter(email="hugo@example.org").exists()  # kept, as a record
    assert french("You are unsubscribed") in text(browser.get(url))


def test_one_click_unsubscribe_needs_no_csrf_token_and_is_idempotent(archive):
    person = subscriber("ines@example.org")
    mail_program = Client(enforce_csrf_checks=True)
    url = f"/en/infolettre/desabonnement/{person.token}/"
    response = mail_program.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status == SubscriberStatus.UNSUBSCRIBED
    first = person.unsubscribed_at
    assert mail_program.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    person.refresh_from_db()
    assert person.status == SubscriberStatus.UNSUBSCRIBED and person.unsubscribed_at == first
    # Any other POST is the page's form: its CSRF check stands.
    assert mail_program.post(url, {"List-Unsubscribe": "Other"}).status_code == 403


# -- Sending an issue ----------------------------------------------------------------------------


@pytest.fixture
def readers(db):
    return {
        "fr": [subscriber(f"lecteur{n}@example.org") for n in range(3)],
        "en": [subscriber(f"reader{n}@example.org", language="en") for n in range(2)],
        "pending": subscriber("pending@example.org", status=SubscriberStatus.PENDING),
        "gone": subscriber("gone@example.org", status=SubscriberStatus.UNSUBSCRIBED),
    }


@pytest.fixture
def june(archive_en):
    archive = NewsletterIndexPage.objects.get(locale__language_code="fr-ca")
    page = issue(archive, "Infolettre de juin", summary="Les nouvelles de juin.")
    english = f.translation(page, "June newsletter", slug="june-newsletter")
    english.summary = "The news of June."
    english.save_revision().publish()
    return page


def copies_by_address():
    return {row.to: row for row in OutboxEmail.objects.order_by("pk")}


def test_an_issue_goes_once_to_each_confirmed_subscriber_in_their_language(june, readers):
    sending = services.start_sending(june)
    assert committed(services.send_issue, sending, batch_size=2) == 5
    rows = copies_by_address()
    confirmed = {p.email for p in readers["fr"] + readers["en"]}
    assert set(rows) == confirmed  # not the pending, not the unsubscribed
    assert OutboxEmail.objects.count() == 5
    for person in readers["fr"]:
        body = rows[person.email].body
        assert "Infolettre de juin" in body and "Les nouvelles de juin." in body
        assert f"{BASE}/infolettre/infolettre-de-juin/" in body
        assert f"{BASE}/infolettre/desabonnement/{person.token}/" in body
    for person in readers["en"]:
        body = rows[person.email].body
        assert "June newsletter" in body and "The news of June." in body
        assert f"{BASE}/en/newsletter/june-newsletter/" in body
        assert f"{BASE}/en/infolettre/desabonnement/{person.token}/" in body
    sending.refresh_from_db()
    assert sending.finished_at is not None
    assert NewsletterDelivery.objects.filter(sending=sending).count() == 5
    assert mail.outbox == []  # left to the worker: not one thread per message


def test_newsletter_emails_carry_the_one_click_unsubscribe_headers(june, readers):
    committed(services.send_issue, services.start_sending(june))
    person = readers["en"][0]
    row = copies_by_address()[person.email]
    link = f"{BASE}/en/infolettre/desabonnement/{person.token}/"
    assert row.headers == {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    # The worker delivers them with their headers.
    assert emails.deliver_due(now=timezone.now() + datetime.timedelta(seconds=1)) == (5, 0)
    message = next(m for m in mail.outbox if m.to == [person.email]).message()
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # And the link in the header unsubscribes in one click.
    Client(enforce_csrf_checks=True).post(path_of(link), {"List-Unsubscribe": "One-Click"})
    person.refresh_from_db()
    assert person.status == SubscriberStatus.UNSUBSCRIBED


def test_an_untranslated_issue_reaches_english_readers_in_french(archive, readers):
    page = issue(archive, "Numéro sans traduction")
    committed(services.send_issue, services.start_sending(page))
    body = copies_by_address()[readers["en"][0].email].body
    assert "Numéro sans traduction" in body and f"{BASE}/infolettre/" in body
    assert "Newsletter of the" in body  # the frame of the message is still in English


def test_an_interrupted_sending_resumes_without_a_second_copy(june, readers, monkeypatch):
    compose = services.issue_message
    calls = []

    def dies_in_the_second_batch(person, version):
        calls.append(person.email)
        if len(calls) > 2:
            raise RuntimeError("the process died")
        return compose(person, version)

    monkeypatch.setattr(services, "issue_message", dies_in_the_second_batch)
    sending = services.start_sending(june)
    with pytest.raises(RuntimeError):
        committed(services.send_issue, sending, batch_size=2)
    assert NewsletterDelivery.objects.count() == 2 and OutboxEmail.objects.count() == 2
    sending.refresh_from_db()
    assert sending.finished_at is None
    first_batch = set(copies_by_address())

    monkeypatch.setattr(services, "issue_message", compose)
    out = io.StringIO()
    call_command("send_newsletter", str(june.pk), "--batch-size", "2", stdout=out)
    assert "Resumed" in out.getvalue() and "3 copies written now, 5 in all" in out.getvalue()
    addresses = list(OutboxEmail.objects.values_list("to", flat=True))
    assert len(addresses) == len(set(addresses)) == 5  # each once
    assert first_batch < set(addresses)
    assert NewsletterSending.objects.get().finished_at is not None


def test_the_command_sends_an_issue_once_and_only_if_it_is_public(archive, readers):
    draft = issue(archive, "Brouillon", live=False)
    with pytest.raises(CommandError, match=re.escape(str(services.why_not_sendable(draft)))):
        call_command("send_newsletter", str(draft.pk), stdout=io.StringIO())
    private = issue(archive, "Réservé aux membres")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    problem = str(services.why_not_sendable(private))
    assert problem != str(services.why_not_sendable(draft))  # each says its own reason
    with pytest.raises(CommandError, match=re.escape(problem)):
        call_command("send_newsletter", str(private.pk), stdout=io.StringIO())
    with pytest.raises(CommandError, match="No newsletter issue"):
        call_command("send_newsletter", "999999", stdout=io.StringIO())
    assert OutboxEmail.objects.count() == 0 and NewsletterSending.objects.count() == 0

    public = issue(archive, "Numéro public")
    call_command("send_newsletter", str(public.pk), stdout=io.StringIO())
    assert OutboxEmail.objects.count() == 5
    with pytest.raises(CommandError) as refused:
        call_command("send_newsletter", str(public.pk), stdout=io.StringIO())
    with pytest.raises(services.CannotSend) as again:
        services.start_sending(public)
    assert str(refused.value) == str(again.value)  # "sent on …; not sent twice"
    assert OutboxEmail.objects.count() == 5


def test_the_english_page_of_an_issue_starts_the_sending_of_its_french_page(june, readers):
    english = june.get_translation(june.get_translations().first().locale)
    sending = services.start_sending(english)
    assert sending.issue_id == june.pk


# -- The committee's admin -----------------------------------------------------------------------


def person_in(role):
    """Someone in a role, who reads the admin in English (Account › Preferences)."""
    from wagtail.users.models import UserProfile

    person = f.user()
    person.groups.add(Group.objects.get(name=role))
    profile = UserProfile.get_for_user(person)
    profile.preferred_language = "en"
    profile.save()
    return person


def test_the_committee_sends_an_issue_after_a_confirmation(client, june, readers):
    committee = person_in(roles.TRAINING_COMMITTEE)
    client.force_login(committee)
    url = f"/admin/newsletter/sendings/send/{june.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Infolettre de juin" in html and "5 confirmed subscribers" in html
    assert NewsletterSending.objects.count() == 0  # the page changes nothing

    # The committee reaches it from the sendings' listing (it edits no pages).
    listing = client.get("/admin/newsletter/sendings/send/").content.decode()
    assert url in listing

    response = committed(client.post, url)
    assert response.status_code == 302
    sending = NewsletterSending.objects.get()
    assert sending.started_by == committee and sending.finished_at is not None
    assert OutboxEmail.objects.count() == 5
    listing = client.get("/admin/newsletter/sendings/").content.decode()
    assert "Infolettre de juin" in listing
    details = client.get(f"/admin/newsletter/sendings/inspect/{sending.pk}/")
    assert details.status_code == 200
    counts = re.findall(r"<dd[^>]*>\s*(\d+)\s*</dd>", details.content.decode())
    assert counts == ["5", "0"]  # copies written, confirmed subscribers still waiting
    # Sent once: the confirmation page now says so, and a second POST writes nothing.
    assert "not sent twice" in client.get(url).content.decode()
    committed(client.post, url)
    assert OutboxEmail.objects.count() == 5


def test_an_organisation_editor_may_not_send(client, june, readers):
    client.force_login(person_in(roles.ORGANISATION_EDITORS))
    url = f"/admin/newsletter/sendings/send/{june.pk}/"
    assert client.get(url).status_code in (302, 403)
    assert committed(client.post, url).status_code in (302, 403)
    assert NewsletterSending.objects.count() == 0 and OutboxEmail.objects.count() == 0
    assert client.get("/admin/newsletter/subscribers/").status_code in (302, 403)


def test_a_draft_issue_is_refused_in_the_admin(client, archive, readers):
    client.force_login(person_in(roles.TRAINING_COMMITTEE))
    draft = issue(archive, "Pas encore publié", live=False)
    url = f"/admin/newsletter/sendings/send/{draft.pk}/"
    assert "Publish it first" in client.get(url).content.decode()
    committed(client.post, url)
    assert NewsletterSending.objects.count() == 0 and OutboxEmail.objects.count() == 0


def test_a_live_issue_offers_send_to_subscribers_to_whoever_may_send(client, june):
    admin = f.user("admin@cqctp.org", is_superuser=True)
    client.force_login(admin)
    html = client.get(f"/admin/pages/{june.pk}/edit/").content.decode()
    assert f"/admin/newsletter/sendings/send/{june.pk}/" in html
    awareness = person_in(roles.AWARENESS_COMMITTEE)  # edits pages, may not send
    client.force_login(awareness)
    html = client.get(f"/admin/pages/{june.pk}/edit/").content.decode()
    assert "/admin/newsletter/sendings/send/" not in html


def test_the_committee_exports_the_confirmed_subscribers_to_csv(client, readers):
    client.force_login(person_in(roles.TRAINING_COMMITTEE))
    response = client.get(
        "/admin/newsletter/subscribers/", {"status": "confirmed", "export": "csv"}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content)))
    addresses = {row[0] for row in rows[1:]}
    assert addresses == {p.email for p in readers["fr"] + readers["en"]}
    spreadsheet = client.get("/admin/newsletter/subscribers/", {"export": "xlsx"})
    assert spreadsheet.status_code == 200
    assert spreadsheet["Content-Type"].startswith("application/vnd.openxmlformats")
    listing = client.get("/admin/newsletter/subscribers/", {"q": "reader1"}).content.decode()
    assert "reader1@example.org" in listing and "lecteur0@example.org" not in listing


def test_the_committee_erases_a_subscriber_entirely(client, june, readers):
    committed(services.send_issue, services.start_sending(june))
    client.force_login(person_in(roles.TRAINING_COMMITTEE))
    person = readers["fr"][0]
    assert client.get(f"/admin/newsletter/subscribers/delete/{person.pk}/").status_code == 200
    client.post(f"/admin/newsletter/subscribers/delete/{person.pk}/")
    assert not Subscriber.objects.filter(email=person.email).exists()
    assert not NewsletterDelivery.objects.filter(subscriber_id=person.pk).exists()


def test_the_roles_grant_the_newsletter_to_the_training_committee_only():
    committee = Group.objects.get(name=roles.TRAINING_COMMITTEE)
    codes = set(committee.permissions.values_list("codename", flat=True))
    assert {"view_subscriber", "delete_subscriber", "add_newslettersending"} <= codes
    for name in (roles.AWARENESS_COMMITTEE, roles.ORGANISATION_EDITORS):
        group = Group.objects.get(name=name)
        assert not group.permissions.filter(content_type__app_label="newsletter").exists()


# -- The member's personal data ------------------------------------------------------------------


def test_the_member_export_holds_their_subscription_and_closing_erases_it(client, june):
    member = f.member(email="Alice@Example.org")
    mine = subscriber("alice@example.org")
    other = subscriber("bob@example.org")
    committed(services.send_issue, services.start_sending(june))

    (record,) = privacy.export_personal_data(member)["newsletter_subscriptions"]
    assert record["email"] == "alice@example.org" and record["status"] == "confirmed"
    assert record["consent_text"] == "J’accepte."
    assert [copy["issue"] for copy in record["issues_received"]] == ["Infolettre de juin"]
    assert "bob@example.org" not in str(privacy.export_personal_data(member))

    client.force_login(member)
    page = client.get("/espace-membres/fermer-mon-compte/")  # it lists what is deleted
    with translation.override("fr-ca"):
        description = str(privacy.SECTIONS["newsletter_subscriptions"].description)
    assert description in text(page)
    summary = committed(privacy.close_account, member)
    assert summary["newsletter_subscriptions_deleted"] == 1
    assert not Subscriber.objects.filter(pk=mine.pk).exists()
    assert Subscriber.objects.filter(pk=other.pk).exists()
    assert not OutboxEmail.objects.filter(to="alice@example.org").exists()


# -- The outbox keeps headers of any message -----------------------------------------------------


def test_queue_message_keeps_the_extra_headers(db):
    from django.core.mail import EmailMessage

    message = EmailMessage("Objet", "Texte", None, ["x@example.org"], headers={"X-Test": "1"})
    (row,) = committed(emails.queue_message, message)
    assert row.headers == {"X-Test": "1"}
    assert mail.outbox[0].extra_headers == {"X-Test": "1"}


# -- The demo ------------------------------------------------------------------------------------


def test_the_demo_has_the_archive_and_two_issues_in_both_languages(client, demo):
    from demo.newsletter import load

    archive_fr = NewsletterIndexPage.objects.get(locale__language_code="fr-ca")
    archive_en = NewsletterIndexPage.objects.get(locale__language_code="en")
    assert (archive_fr.url, archive_en.url) == ("/infolettre/", "/en/newsletter/")
    assert NewsletterIssuePage.objects.live().filter(locale__language_code="fr-ca").count() == 2
    assert NewsletterIssuePage.objects.live().filter(locale__language_code="en").count() == 2
    assert "Dix ans de concertation" in client.get("/infolettre/").content.decode()
    assert "Ten years of working together" in client.get("/en/newsletter/").content.decode()
    assert french("Subscribe to the newsletter") in text(client.get("/"))  # the footer
    assert load() == 0  # again: nothing more
    assert Page.objects.type(NewsletterIssuePage).count() == 4


def test_the_pages_of_a_subscriber_never_go_into_the_shared_cache(client, archive, settings):
    """They show an address and a status that changes: with the page cache on, a confirmation
    page seen before an unsubscribe must not come back after the next sign-up."""
    settings.PAGE_CACHE_SECONDS = 300
    person = subscriber("cache@example.org")
    for path in (
        f"/infolettre/confirmer/{person.token}/",
        f"/infolettre/desabonnement/{person.token}/",
        "/infolettre/confirmer/inconnu/",
    ):
        response = client.get(path)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert client.get(path).get("X-Cache") != "hit"
    services.unsubscribe(person)
    person.refresh_from_db()
    assert french("Yes, unsubscribe me") not in text(
        client.get(f"/infolettre/desabonnement/{person.token}/")
    )


def test_an_issue_with_nobody_to_send_to_is_not_used_up(june):
    with pytest.raises(services.CannotSend):
        services.start_sending(june)
    assert not NewsletterSending.objects.exists()
    subscriber("first@example.org")
    sending = services.start_sending(june)
    assert committed(services.send_issue, sending) == 1
