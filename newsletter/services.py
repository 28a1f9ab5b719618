"""The newsletter's rules, kept out of the views: subscribing (double opt-in, limited, and the
answer never says whether the address is subscribed), confirming, unsubscribing, and sending an
issue in batches that a new run resumes without sending anyone a second copy.

E-mails are sent the Django way: EMAIL_BACKEND is the outbox, which writes them in the caller's
transaction. The confirmation is delivered right after the commit (as account mail); an issue's
copies are left to the worker's `send_outbox`, which sends them in batches over one connection
to the mail server (`get_connection(bulk=True)`), instead of one thread per message.
"""

import datetime
import hashlib

from cqctp.links import absolute_url, base_url, page_url
from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import Locale

from members.access import page_allowed
from members.services import normalise, within_limit

from .models import (
    NewsletterDelivery,
    NewsletterIssuePage,
    NewsletterSending,
    Subscriber,
    SubscriberStatus,
)

# Sign-ups accepted per hour (members.services.within_limit's window), for one address and
# from one client address: enough to correct a typo, too few to flood someone's mailbox.
SIGN_UP_LIMIT_PER_ADDRESS = 3
SIGN_UP_LIMIT_PER_CLIENT = 10
# A confirmation link works this long after the sign-up; then one signs up again.
CONFIRMATION_DAYS = 7
# Subscribers written to per transaction when an issue is sent: the memory and the row locks
# of one batch, and at most this many e-mails lost with a batch if the process dies (none:
# the transaction is rolled back and the next run writes them).
BATCH_SIZE = 200


class TooManyRequests(Exception):
    pass


class CannotSend(Exception):
    """The issue may not be sent (not live, not public, or sent already); the message says why."""


# -- Links -----------------------------------------------------------------------------------


def confirm_url(subscriber):
    """The confirmation link, in the subscriber's language (call inside translation.override)."""
    return absolute_url(reverse("newsletter:confirm", args=[subscriber.token]))


def unsubscribe_url(subscriber):
    return absolute_url(reverse("newsletter:unsubscribe", args=[subscriber.token]))


def unsubscribe_headers(subscriber):
    """RFC 2369 and RFC 8058: mail programs show an "Unsubscribe" button that POSTs to the link
    (one click, no page to fill in)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# -- Subscribing -----------------------------------------------------------------------------


def by_token(token):
    """The subscriber whose links carry `token`, or None (any string: never an error)."""
    if not token or len(token) > 64:
        return None
    return Subscriber.objects.filter(token=token).first()


def confirmation_expired(subscriber, now=None):
    now = now or timezone.now()
    return subscriber.consented_at < now - datetime.timedelta(days=CONFIRMATION_DAYS)


def subscribe(email, language, consent_text, client_address=None, now=None):
    """Record a sign-up and e-mail the address, whatever it already is, so that the answer (and
    its delay) is the same for everyone: a new or pending address gets the confirmation link,
    an unsubscribed one becomes pending again with the new consent, a confirmed one is told it
    is subscribed already (nothing changes). One row per address, whatever arrives at once.
    TooManyRequests, and nothing changes, once the address or the client asked too often."""
    email = normalise(email)
    now = now or timezone.now()
    digest = hashlib.sha256(email.encode()).hexdigest()
    address_ok = within_limit(f"newsletter:address:{digest}", SIGN_UP_LIMIT_PER_ADDRESS)
    client = hashlib.sha256((client_address or "-").encode()).hexdigest()
    client_ok = within_limit(f"newsletter:client:{client}", SIGN_UP_LIMIT_PER_CLIENT)
    if not (address_ok and client_ok):
        raise TooManyRequests
    try:
        return _subscribe(email, language, consent_text, now)
    except IntegrityError:  # the same address signed up at the same moment: it exists now
        return _subscribe(email, language, consent_text, now)


def _subscribe(email, language, consent_text, now):
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                email=email,
                language=language,
                consent_text=consent_text,
                consented_at=now,
            )
        elif subscriber.status == SubscriberStatus.CONFIRMED:
            send_already_subscribed_email(subscriber)
            return subscriber
        else:  # pending (the link may have expired) or unsubscribed: a new consent
            subscriber.status = SubscriberStatus.PENDING
            subscriber.language = language
            subscriber.consent_text = consent_text
            subscriber.consented_at = now
            subscriber.confirmed_at = None
            subscriber.save(
                update_fields=["status", "language", "consent_text", "consented_at", "confirmed_at"]
            )
        send_confirmation_email(subscriber)
    return subscriber


def _send(template, subscriber, context=None):
    """A short e-mail to the subscriber, in their language, through the outbox."""
    with translation.override(subscriber.language):
        context = {
            "email": subscriber.email,
            "confirm_url": confirm_url(subscriber),
            "unsubscribe_url": unsubscribe_url(subscriber),
            "valid_days": CONFIRMATION_DAYS,
            "site_url": base_url(),
            **(context or {}),
        }
        subject = render_to_string(f"newsletter/emails/{template}_subject.txt", context)
        body = render_to_string(f"newsletter/emails/{template}.txt", context)
    send_mail(" ".join(subject.split()), body.strip() + "\n", None, [subscriber.email])


def send_confirmation_email(subscriber):
    _send("confirm", subscriber)


def send_already_subscribed_email(subscriber):
    _send("already_subscribed", subscriber)


def confirm(subscriber, now=None):
    """Confirm a pending subscription whose link is still valid. Returns whether it is
    confirmed now (True for one confirmed before: a second click changes nothing)."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == SubscriberStatus.CONFIRMED:
            return True
        if subscriber.status != SubscriberStatus.PENDING or confirmation_expired(subscriber, now):
            return False
        subscriber.status = SubscriberStatus.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.save(update_fields=["status", "confirmed_at"])
    return True


def unsubscribe(subscriber, now=None):
    """Stop the newsletter for this address; the row stays, with the time (the record that
    consent ended). Doing it again changes nothing, the first time included."""
    now = now or timezone.now()
    Subscriber.objects.filter(pk=subscriber.pk).exclude(
        status=SubscriberStatus.UNSUBSCRIBED
    ).update(status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=now)


# -- Sending an issue ------------------------------------------------------------------------


def source_of(issue):
    """The French page of an issue (sendings are recorded on it), else the page itself."""
    source = (
        NewsletterIssuePage.objects.filter(
            translation_key=issue.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        if issue.translation_key
        else None
    )
    return source or issue


def is_public(issue):
    """Live and readable by anyone: an e-mail has no session to pass a page's privacy."""
    return issue.live and page_allowed(issue, None)


def why_not_sendable(issue):
    """Why `issue` (its French page) may not be sent, or None."""
    if not issue.live:
        return CannotSend(
            translation.gettext("Only a published issue can be sent. Publish it first.")
        )
    if not page_allowed(issue, None):
        return CannotSend(
            translation.gettext(
                "This issue is private (page privacy): only a public issue can be sent."
            )
        )
    if not Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).exists():
        # Sent to nobody, the issue would count as sent and could never go out.
        return CannotSend(
            translation.gettext(
                "Nobody has confirmed a subscription yet: nothing is sent, and the issue can "
                "be sent later."
            )
        )
    return None


def start_sending(issue, user=None):
    """The sending of `issue` (given in any language): the unfinished one, to resume, or a new
    one. CannotSend when the issue is not live and public, or was sent already."""
    issue = source_of(issue)
    problem = why_not_sendable(issue)
    if problem is not None:
        raise problem
    with transaction.atomic():
        sending = NewsletterSending.objects.select_for_update().filter(issue=issue).first()
        if sending is None:
            try:
                with transaction.atomic():
                    sending = NewsletterSending.objects.create(issue=issue, started_by=user)
            except IntegrityError:  # started elsewhere at this very moment
                sending = NewsletterSending.objects.get(issue=issue)
        if sending.finished_at is not None:
            raise CannotSend(
                translation.gettext("This issue was sent on %(date)s; it is not sent twice.")
                % {"date": date_format(timezone.localtime(sending.finished_at), "j F Y")}
            )
    return sending


def waiting_subscribers(sending):
    """The confirmed subscribers who have no copy of this sending yet, in a stable order."""
    has_copy = NewsletterDelivery.objects.filter(sending=sending, subscriber=OuterRef("pk"))
    return (
        Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)
        .exclude(Exists(has_copy))
        .order_by("pk")
    )


class IssueVersions:
    """The issue as each language's subscribers get it: the translation in their language
    when it is live and public, else the French page; its address and date in that language.
    Worked out once per language for a whole sending."""

    def __init__(self, issue):
        self.issue = issue
        self.versions = {}

    def __getitem__(self, language):
        if language not in self.versions:
            page = self.issue
            locale = Locale.objects.filter(language_code=language).first()
            if locale is not None and locale.pk != self.issue.locale_id:
                translated = self.issue.get_translation_or_none(locale)
                if translated is not None and is_public(translated):
                    page = translated.specific
            with translation.override(language):
                self.versions[language] = {
                    "issue": page,
                    "issue_url": page_url(page),
                    "date": date_format(page.date, "j F Y"),
                }
        return self.versions[language]


def issue_message(subscriber, version):
    """The e-mail of an issue to one subscriber: text, their language, the issue's summary and
    address, their unsubscribe link in the text and in the List-Unsubscribe headers."""
    with translation.override(subscriber.language):
        context = {
            **version,
            "email": subscriber.email,
            "unsubscribe_url": unsubscribe_url(subscriber),
            "site_url": base_url(),
        }
        subject = render_to_string("newsletter/emails/issue_subject.txt", context)
        body = render_to_string("newsletter/emails/issue.txt", context)
        headers = unsubscribe_headers(subscriber)
    return EmailMessage(
        " ".join(subject.split()),
        body.strip() + "\n",
        None,
        [subscriber.email],
        headers=headers,
    )


def send_issue(sending, batch_size=BATCH_SIZE, now=None):
    """Write the issue to every confirmed subscriber, `batch_size` at a time: each batch, in
    one transaction, takes the next subscribers without a copy (by id), writes their delivery
    rows and their outbox e-mails, and commits. Run again after a crash, it continues with
    those who have none: nobody gets two copies (the delivery rows, unique per subscriber, are
    committed with their e-mails). The sending's row is locked during each batch, so two runs
    at once take turns. Sets `finished_at` once nobody is left; returns the copies written."""
    versions = IssueVersions(sending.issue.specific)
    written = 0
    while True:
        with transaction.atomic():
            locked = NewsletterSending.objects.select_for_update().get(pk=sending.pk)
            if locked.finished_at is not None:
                break
            batch = list(waiting_subscribers(sending)[:batch_size])
            if not batch:
                locked.finished_at = now or timezone.now()
                locked.save(update_fields=["finished_at"])
                sending.finished_at = locked.finished_at
                break
            messages = [issue_message(s, versions[s.language]) for s in batch]
            NewsletterDelivery.objects.bulk_create(
                [NewsletterDelivery(sending=sending, subscriber=s) for s in batch]
            )
            # The outbox (EMAIL_BACKEND) writes them in this transaction; `bulk`: the worker
            # sends them, not a thread per message.
            get_connection(bulk=True, fail_silently=False).send_messages(messages)
            written += len(batch)
    return written


def sending_counts(sending):
    """(copies written, confirmed subscribers still waiting for one)."""
    return sending.deliveries.count(), waiting_subscribers(sending).count()
