"""The coalition's newsletter: its public archive (an index page and one page per issue), the
people who subscribed (double opt-in, Québec's Law 25) and the sendings of an issue to them.

A subscriber is an e-mail address and a language, nothing else: no name, no IP address. The
consent is recorded as shown (its exact text and time); an unsubscription keeps the row with
its status and time, so that the coalition can show when consent ended; the committee erases a
row entirely by deleting it in the admin. The rules live in services.py."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from members.access import OneQueryViewRestrictions, allowed_pages

from .blocks import NewsletterBodyBlock

ISSUES_PER_PAGE = 10


def new_token():
    """An unguessable key for a subscriber's links (confirm, unsubscribe): 256 random bits."""
    return secrets.token_urlsafe(32)


class IssueQuerySet(PageQuerySet):
    def listed(self, user=None, request=None):
        """THE issues `user` may see (None: anonymous): live and allowed by Wagtail's page
        privacy (`members.access.allowed_pages`)."""
        return allowed_pages(self.live(), user, request)


class NewsletterIndexPage(OneQueryViewRestrictions, Page):
    """The archive of the newsletter, newest issue first, with the sign-up form."""

    introduction = models.TextField(
        verbose_name=_("introduction"),
        blank=True,
        help_text=_(
            "A short lead paragraph: what the newsletter tells and how often it is sent. "
            "The sign-up form and its consent text come after it."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("newsletter archive")
        verbose_name_plural = _("newsletter archives")

    def issues(self, request=None):
        """The issues under this index the visitor may see, newest first."""
        user = getattr(request, "user", None)
        return (
            NewsletterIssuePage.objects.child_of(self)
            .listed(user, request)
            .order_by("-date", "-pk")
            .only("pk", "title", "date", "summary", "url_path", "path", "depth", "locale_id")
        )

    def get_context(self, request, *args, form=None, **kwargs):
        from django.core.paginator import Paginator

        from .forms import SubscribeForm

        context = super().get_context(request, *args, **kwargs)
        page_obj = Paginator(self.issues(request), ISSUES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context.update(
            page_obj=page_obj,
            issues=[(issue, issue.get_url(request)) for issue in page_obj.object_list],
            form=form or SubscribeForm(language=self.language_code()),
        )
        return context

    def language_code(self):
        return self.locale.language_code if self.locale_id else settings.LANGUAGE_CODE

    def serve(self, request, *args, **kwargs):
        """POST: the sign-up form (views.subscribe_from_page), on the page that shows it."""
        if request.method == "POST":
            from .views import subscribe_from_page

            return subscribe_from_page(request, self)
        return super().serve(request, *args, **kwargs)


class NewsletterIssuePage(OneQueryViewRestrictions, Page):
    """One issue of the newsletter: a public page of the archive, sent by e-mail (its summary
    and a link to it) to the confirmed subscribers."""

    date = models.DateField(
        verbose_name=_("issue date"),
        default=timezone.localdate,
        help_text=_("The date of the issue, shown on it; the archive lists the newest first."),
    )
    summary = models.TextField(
        verbose_name=_("summary"),
        max_length=1000,
        help_text=_(
            "Two to four sentences: shown in the archive and, with a link to this page, in the "
            "e-mail sent to the subscribers."
        ),
    )
    body = StreamField(NewsletterBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(IssueQuerySet)()

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Subscriber(models.Model):
    """An address that asked for the newsletter. Only what sending it needs is kept."""

    email = models.EmailField(
        _("e-mail"),
        unique=True,
        help_text=_("Stored in lowercase, without spaces: one row per address."),
    )
    language = models.CharField(
        _("language of the messages"),
        max_length=7,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        help_text=_("Only confirmed subscribers receive the newsletter."),
    )
    consent_text = models.TextField(
        _("consent text"),
        help_text=_("The exact sentence the person ticked, in the language it was shown in."),
    )
    consented_at = models.DateTimeField(_("consent given on"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed on"), null=True, blank=True)
    token = models.CharField(
        _("key of the person's links"),
        max_length=64,
        unique=True,
        default=new_token,
        editable=False,
        help_text=_("In the confirmation and unsubscribe links sent to this address only."),
    )

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]
        indexes = [models.Index(fields=["status", "id"], name="newsletter_subscriber_status")]

    def __str__(self):
        return self.email


class NewsletterSending(models.Model):
    """The sending of one issue to the confirmed subscribers, in batches; resumed where it
    stopped when the process died (a delivery row per subscriber says who has it)."""

    issue = models.ForeignKey(
        NewsletterIssuePage,
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="sendings",
        help_text=_("The French page of the issue; each subscriber gets their language's."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("started on"), default=timezone.now)
    finished_at = models.DateTimeField(
        _("finished on"),
        null=True,
        blank=True,
        help_text=_("Empty while some confirmed subscribers have not been written to yet."),
    )

    class Meta:
        verbose_name = _("newsletter sending")
        verbose_name_plural = _("newsletter sendings")
        ordering = ["-created", "-pk"]
        constraints = [
            # An issue is sent once: a second sending would write to everyone again.
            models.UniqueConstraint(fields=["issue"], name="newsletter_one_sending_per_issue")
        ]

    def __str__(self):
        return str(self.issue)


class NewsletterDelivery(models.Model):
    """One subscriber's copy of one sending, written with its outbox e-mail in one transaction:
    its existence is what makes a resumed sending skip that subscriber."""

    sending = models.ForeignKey(
        NewsletterSending,
        verbose_name=_("sending"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    created = models.DateTimeField(_("written on"), default=timezone.now)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["sending", "subscriber"], name="newsletter_one_copy_per_subscriber"
            )
        ]

    def __str__(self):
        return f"{self.sending} → {self.subscriber}"
