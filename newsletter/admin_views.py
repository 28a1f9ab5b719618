"""The newsletter in the Wagtail admin, on Wagtail's generic views: the subscribers (a listing
with filters, search and CSV/XLSX export for a mailing service, a details page, and deletion,
which erases a person entirely), the sendings (read-only, with their counts) and the "Send to
subscribers" confirmation of an issue.

Who may do what is one model permission each: `view_subscriber` / `delete_subscriber`,
`view_newslettersending`, and `add_newslettersending` to send an issue."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton

from . import services
from .models import (
    NewsletterIssuePage,
    NewsletterSending,
    Subscriber,
    SubscriberStatus,
)

SEND_PERMISSION = "newsletter.add_newslettersending"


def when(moment):
    """A date and time in Montréal, written the way of the active language."""
    if moment is None:
        return "—"
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class WithoutFormsViewSet(ModelViewSet):
    """A listing, a details page and (when `deletable`) deletion: nothing is added or edited
    here (subscribers come from their own double opt-in, sendings from the send action)."""

    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    deletable = False
    permissions = ("view",)

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        names = ["add_url_name", "edit_url_name", "copy_url_name", "usage_url_name"]
        if not self.deletable:
            names.append("delete_url_name")
        for name in names:
            view_kwargs[name] = None
        return view_kwargs

    def get_urlpatterns(self):
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]
        if self.deletable:
            patterns.append(path("delete/<int:pk>/", self.delete_view, name="delete"))
        return patterns

    def get_permissions_to_register(self):
        """Only the permissions that mean something here, in Settings › Groups."""
        codenames = [f"{action}_{self.model_name}" for action in self.permissions]
        return (
            super()
            .get_permissions_to_register()
            .model.objects.filter(content_type__app_label=self.app_label, codename__in=codenames)
        )


# -- Subscribers ---------------------------------------------------------------------------


class SubscriberFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=SubscriberStatus.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    language = django_filters.ChoiceFilter(
        label=gettext_lazy("Language of the messages"),
        choices=settings.LANGUAGES,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Subscriber
        fields = []


class SubscriberIndexView(IndexView):
    default_ordering = "email"

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "email",
                label=_("E-mail"),
                get_url=self.get_inspect_url,
                sort_key="email",
            ),
            Column("language", label=_("Language"), accessor="get_language_display"),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                primary=lambda subscriber: subscriber.status == SubscriberStatus.CONFIRMED,
                sort_key="status",
            ),
            DateColumn("consented_at", label=_("Consent given on"), sort_key="consented_at"),
            DateColumn("confirmed_at", label=_("Confirmed on"), sort_key="confirmed_at"),
            DateColumn("unsubscribed_at", label=_("Unsubscribed on"), sort_key="unsubscribed_at"),
        ]

    @cached_property
    def no_results_message(self):
        if not self.is_searching and not self.is_filtering:
            return _("Nobody has subscribed to the newsletter yet.")
        return super().no_results_message


class SubscriberInspectView(InspectView):
    def get_fields(self):
        return [
            "email",
            "language",
            "status",
            "consent_text",
            "consented_at",
            "confirmed_at",
            "unsubscribed_at",
        ]

    def get_consented_at_display_value(self):
        return when(self.object.consented_at)

    def get_confirmed_at_display_value(self):
        return when(self.object.confirmed_at)

    def get_unsubscribed_at_display_value(self):
        return when(self.object.unsubscribed_at)


class SubscriberViewSet(WithoutFormsViewSet):
    """Deleting a subscriber erases them entirely (their copies too): the way to honour a
    request to be forgotten. Unsubscribing keeps the row (status and time) instead."""

    model = Subscriber
    icon = "mail"
    menu_label = gettext_lazy("Subscribers")
    name = "newsletter_subscribers"
    url_prefix = "newsletter/subscribers"
    deletable = True
    permissions = ("view", "delete")
    index_view_class = SubscriberIndexView
    inspect_view_class = SubscriberInspectView
    filterset_class = SubscriberFilterSet
    search_fields = ["email"]
    search_backend_name = None
    list_export = [
        "email",
        "language",
        "status",
        "consented_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    export_headings = {
        "email": gettext_lazy("E-mail"),
        "language": gettext_lazy("Language"),
        "status": gettext_lazy("Status"),
        "consented_at": gettext_lazy("Consent given on"),
        "confirmed_at": gettext_lazy("Confirmed on"),
        "unsubscribed_at": gettext_lazy("Unsubscribed on"),
    }
    export_filename = "abonnes-infolettre"


# -- Sendings (read-only) ------------------------------------------------------------------


def copies(sending):
    return sending.copies


class SendingIndexView(IndexView):
    default_ordering = "-created"
    issues_to_send_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.issues_to_send_url_name and self.user_has_permission("add"):
            url = reverse(self.issues_to_send_url_name)
            buttons.append(HeaderButton(_("Send an issue"), url=url, icon_name="mail"))
        return buttons

    def get_base_queryset(self):
        return NewsletterSending.objects.select_related("issue", "started_by").annotate(
            copies=Count("deliveries")
        )

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "issue",
                label=_("Issue"),
                accessor="issue.title",
                get_url=self.get_inspect_url,
                sort_key="issue__title",
            ),
            Column("started_by", label=_("Started by"), accessor=started_by),
            DateColumn("created", label=_("Started on"), sort_key="created"),
            StatusTagColumn(
                "finished_at",
                label=_("State"),
                accessor=state,
                primary=lambda sending: sending.finished_at is None,
                sort_key="finished_at",
            ),
            Column("copies", label=_("Copies written"), accessor=copies, sort_key="copies"),
        ]


def started_by(sending):
    person = sending.started_by
    if person is None:
        return _("(command or deleted account)")
    return person.get_full_name() or person.email or person.get_username()


def state(sending):
    if sending.finished_at is None:
        return _("Interrupted: send it again to finish")
    return _("Finished on %(date)s") % {"date": when(sending.finished_at)}


class SendingInspectView(InspectView):
    def get_fields(self):
        return ["issue", "started_by", "created", "finished_at", "copies", "waiting"]

    def get_object(self, queryset=None):
        return get_object_or_404(
            NewsletterSending.objects.select_related("issue", "started_by"), pk=self.pk
        )

    def get_field_label(self, field_name, field):
        labels = {"copies": _("Copies written"), "waiting": _("Confirmed subscribers waiting")}
        if field_name in labels:
            return labels[field_name]
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        if field_name in ("copies", "waiting"):
            written, waiting = services.sending_counts(self.object)
            return written if field_name == "copies" else waiting
        return super().get_field_display_value(field_name, field)

    def get_started_by_display_value(self):
        return started_by(self.object)

    def get_created_display_value(self):
        return when(self.object.created)

    def get_finished_at_display_value(self):
        return when(self.object.finished_at)


class SendingViewSet(WithoutFormsViewSet):
    model = NewsletterSending
    icon = "mail"
    menu_label = gettext_lazy("Sendings")
    name = "newsletter_sendings"
    url_prefix = "newsletter/sendings"
    permissions = ("view", "add")
    index_view_class = SendingIndexView
    inspect_view_class = SendingInspectView
    search_fields = ["issue__title"]
    search_backend_name = None

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            issues_to_send_url_name=self.get_url_name("issues_to_send"), **kwargs
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("send/", self.issues_to_send_view, name="issues_to_send"),
            path("send/<int:page_id>/", self.send_view, name="send"),
        ]

    @property
    def issues_to_send_view(self):
        return self.construct_view(
            IssuesToSendView,
            index_url_name=self.get_url_name("index"),
            send_url_name=self.get_url_name("send"),
        )

    @property
    def send_view(self):
        return self.construct_view(SendIssueView, index_url_name=self.get_url_name("index"))


class NewsletterViewSetGroup(ModelViewSetGroup):
    items = (SubscriberViewSet, SendingViewSet)
    menu_icon = "mail"
    menu_label = gettext_lazy("Newsletter")
    menu_name = "newsletter"
    menu_order = 250


# -- Sending an issue ----------------------------------------------------------------------


class IssuesToSendView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """The published issues not sent yet (or whose sending was interrupted), each with its
    "Send…" link: the way in for whoever sends without editing pages (the training
    committee), who never sees the issue's own page menu."""

    model = NewsletterSending
    permission_required = "add"
    template_name = "newsletter/admin/issues_to_send.html"
    page_title = gettext_lazy("Send an issue")
    header_icon = "mail"
    index_url_name = None
    send_url_name = None
    _show_breadcrumbs = True
    LIMIT = 50

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Newsletter sendings")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sent = NewsletterSending.objects.filter(finished_at__isnull=False).values("issue_id")
        interrupted = set(
            NewsletterSending.objects.filter(finished_at=None).values_list("issue_id", flat=True)
        )
        issues = (
            NewsletterIssuePage.objects.live()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .exclude(pk__in=sent)
            .order_by("-date", "-pk")[: self.LIMIT]
        )
        context["issues"] = [
            {
                "issue": issue,
                "interrupted": issue.pk in interrupted,
                "send_url": reverse(self.send_url_name, args=[issue.pk]),
            }
            for issue in issues
        ]
        return context


class SendIssueView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """GET: what will happen (how many confirmed subscribers, in which languages); POST:
    start (or resume) the sending and write every copy to the outbox, in batches. Refused with
    a message, nothing changed, for an issue not live, private, or sent already."""

    model = NewsletterSending
    permission_required = "add"
    template_name = "newsletter/admin/send.html"
    page_title = gettext_lazy("Send to subscribers")
    header_icon = "mail"
    form_class = forms.Form
    index_url_name = None
    _show_breadcrumbs = True

    @cached_property
    def page(self):
        """The issue page named in the address (read after the permission check)."""
        page = NewsletterIssuePage.objects.filter(pk=self.kwargs["page_id"]).first()
        if page is None:
            raise Http404
        return page

    @cached_property
    def issue(self):
        return services.source_of(self.page)

    def get_page_subtitle(self):
        return self.issue.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Newsletter sendings")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def problem(self):
        problem = services.why_not_sendable(self.issue)
        if problem is not None:
            return str(problem)
        sending = NewsletterSending.objects.filter(issue=self.issue).first()
        if sending is not None and sending.finished_at is not None:
            return _("This issue was sent on %(date)s; it is not sent twice.") % {
                "date": when(sending.finished_at)
            }
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        confirmed = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)
        languages = dict(settings.LANGUAGES)
        by_language = confirmed.values_list("language").annotate(n=Count("pk")).order_by()
        sending = NewsletterSending.objects.filter(issue=self.issue).first()
        context.update(
            issue=self.issue,
            problem=self.problem(),
            resuming=sending is not None and sending.finished_at is None,
            written=sending.deliveries.count() if sending is not None else 0,
            confirmed=confirmed.count(),
            by_language=[(languages.get(code, code), n) for code, n in by_language],
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
            index_url=reverse(self.index_url_name),
        )
        return context

    def form_valid(self, form):
        try:
            sending = services.start_sending(self.issue, self.request.user)
        except services.CannotSend as problem:
            messages.error(self.request, str(problem))
            return redirect(reverse("wagtailadmin_pages:edit", args=[self.page.pk]))
        written = services.send_issue(sending)
        total = sending.deliveries.count()
        messages.success(
            self.request,
            _(
                "“%(title)s” is written to %(count)s subscribers (%(now)s this time); the "
                "e-mails leave with the next rounds of the outbox, within a few minutes."
            )
            % {"title": self.issue.title, "count": total, "now": written},
        )
        return redirect(reverse(self.index_url_name))
