"""The committee's side of membership in the Wagtail admin, on Wagtail's generic views, like the
sign-up requests (members/admin_views.py): the membership applications (a filtered listing, a
details page, accept and reject each confirmed on its own page) and the dues of each year (a
snippet listing filtered by year and status, and the reminders, confirmed with the list of who
will and will not receive one).

The rules are in members/membership.py; these views ask them and say what happened. "view" to
see, "change" to decide or to send reminders, through each model's permission policy.
"""

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.db import IntegrityError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from . import membership
from .admin_views import ALL, DecisionColumn, ReadOnlyModelViewSet, field_label, when
from .membership_forms import DecisionNoteForm
from .models import (
    ApplicationStatus,
    DuesStatus,
    MembershipApplication,
    MembershipDues,
    Region,
    Role,
    Sector,
)

# One policy per model, before anything asks for one: "view" to see, "change" to decide.
register_permission_policy(MembershipApplication, ModelPermissionPolicy(MembershipApplication))


# -- Applications: the listing -----------------------------------------------------------------


class MembershipApplicationFilterSet(WagtailFilterSet):
    """Pending applications unless the committee asks for others ("all" shows every one)."""

    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[*ApplicationStatus.choices, (ALL, gettext_lazy("All"))],
        empty_label=None,
        initial=ApplicationStatus.PENDING,
        widget=forms.RadioSelect,
        method="filter_status",
    )
    sector = django_filters.ChoiceFilter(
        label=gettext_lazy("Sector"), choices=Sector.choices, empty_label=gettext_lazy("All")
    )
    region = django_filters.ChoiceFilter(
        label=gettext_lazy("Region"), choices=Region.choices, empty_label=gettext_lazy("All")
    )

    class Meta:
        model = MembershipApplication
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = ApplicationStatus.PENDING
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)


def flags_of(application):
    """What the committee must know before deciding on a pending application, in words."""
    if application.status != ApplicationStatus.PENDING:
        return []
    flags = []
    if application.name_taken:
        flags.append(_("An organisation already has this name: accepting would be refused"))
    if application.duplicate:
        flags.append(_("Another pending application names the same organisation"))
    if application.has_account:
        flags.append(_("An account already uses the contact’s address: no invitation is sent"))
    return flags


class FlaggedNameColumn(TitleColumn):
    """The organisation's name, linked to its details, with the flags under it."""

    cell_template_name = "members/admin/application_name_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["flags"] = flags_of(instance)
        return context


class ApplicationDecisionColumn(DecisionColumn):
    cell_template_name = "members/admin/application_decision_cell.html"


class MembershipApplicationIndexView(IndexView):
    any_permission_required = ["change", "view"]
    accept_url_name = None
    reject_url_name = None
    history_url_name = None
    default_ordering = "created"

    def get_base_queryset(self):
        return membership.membership_applications()

    @cached_property
    def can_decide(self):
        return self.user_has_permission("change")

    def decision_actions(self, application):
        if application.status != ApplicationStatus.PENDING or not self.can_decide:
            return []
        pk = quote(application.pk)
        return [
            (_("Accept…"), reverse(self.accept_url_name, args=[pk]), ""),
            (_("Reject…"), reverse(self.reject_url_name, args=[pk]), "button-secondary"),
        ]

    @cached_property
    def only_pending(self):
        filters = self.filters
        valid = filters is not None and filters.is_valid()
        return valid and filters.form.cleaned_data.get("status") == ApplicationStatus.PENDING

    @cached_property
    def columns(self):
        columns = [
            self._get_title_column_class(FlaggedNameColumn)(
                "organisation_name",
                label=_("Organisation"),
                get_url=self.get_inspect_url,
                sort_key="organisation_name",
            ),
            Column("sector", label=_("Sector"), accessor="get_sector_display", sort_key="sector"),
            Column("region", label=_("Region"), accessor="get_region_display", sort_key="region"),
            Column("contact_name", label=_("Contact person")),
            DateColumn("created", label=_("Received"), sort_key="created"),
            ApplicationDecisionColumn(
                "decision", label=_("Decision"), get_actions=self.decision_actions
            ),
        ]
        if not self.only_pending:
            columns.insert(
                -1,
                StatusTagColumn(
                    "status",
                    label=_("Status"),
                    accessor="get_status_display",
                    primary=lambda row: row.status == ApplicationStatus.PENDING,
                    sort_key="status",
                ),
            )
        return columns

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.history_url_name:
            url = reverse(self.history_url_name, args=[quote(instance.pk)])
            buttons.append(Button(_("History"), url=url, icon_name="history", priority=50))
        return buttons

    @cached_property
    def no_results_message(self):
        if not self.is_searching and not self.is_filtering:
            return _("No membership application awaits a decision.")
        return super().no_results_message


class MembershipApplicationInspectView(InspectView):
    any_permission_required = ["change", "view"]
    accept_url_name = None
    reject_url_name = None
    history_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(membership.membership_applications(), pk=self.pk)

    def get_fields(self):
        return [
            "organisation_name",
            "sector",
            "region",
            "website",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
            "motivation",
            "language",
            "agreed_at",
            "created",
            "status",
            "decided_at",
            "decided_by",
            "committee_note",
            "organisation",
            "invitation",
        ]

    def get_agreed_at_display_value(self):
        return when(self.object.agreed_at)

    def get_created_display_value(self):
        return when(self.object.created)

    def get_decided_at_display_value(self):
        return when(self.object.decided_at)

    def get_decided_by_display_value(self):
        person = self.object.decided_by
        if person is None:
            return "—"
        return person.get_full_name() or person.email or person.get_username()

    def get_invitation_display_value(self):
        invitation = self.object.invitation
        if invitation is None:
            return "—"
        if invitation.accepted_at:
            return _("%(email)s, accepted on %(date)s") % {
                "email": invitation.email,
                "date": when(invitation.accepted_at),
            }
        return _("%(email)s, sent on %(date)s") % {
            "email": invitation.email,
            "date": when(invitation.created),
        }

    @cached_property
    def header_buttons(self):
        buttons = []
        if self.object.status == ApplicationStatus.PENDING and self.user_has_permission("change"):
            for label, url_name, icon in (
                (_("Accept…"), self.accept_url_name, "check"),
                (_("Reject…"), self.reject_url_name, "cross"),
            ):
                url = reverse(url_name, args=[quote(self.object.pk)])
                buttons.append(HeaderButton(label, url=url, icon_name=icon))
        return buttons

    @cached_property
    def header_more_buttons(self):
        if not self.history_url_name:
            return []
        url = reverse(self.history_url_name, args=[quote(self.object.pk)])
        return [Button(_("History"), url=url, icon_name="history")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["flags"] = flags_of(self.object)
        return context


# -- Applications: the decisions ---------------------------------------------------------------


class ApplicationDecisionView(
    PermissionCheckedMixin, WagtailAdminTemplateMixin, BaseObjectMixin, FormView
):
    """A confirmation page (GET) and the decision (POST) on one pending application; one
    decided meanwhile is refused with a message, and nothing changes."""

    model = MembershipApplication
    permission_required = "change"
    index_url_name = None
    header_icon = "group"
    form_class = DecisionNoteForm
    _show_breadcrumbs = True

    def get_base_object_queryset(self):
        return membership.membership_applications()

    @property
    def index_url(self):
        return reverse(self.index_url_name)

    def get_page_subtitle(self):
        return self.object.organisation_name

    def get_breadcrumbs_items(self):
        label = capfirst(MembershipApplication._meta.verbose_name_plural)
        return self.breadcrumbs_items + [
            {"url": self.index_url, "label": label},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def already_decided(self):
        messages.error(self.request, _("This application has already been decided."))
        return redirect(self.index_url)

    def not_sent(self):
        messages.error(
            self.request, _("The e-mail to the applicant could not be sent: nothing was changed.")
        )
        return redirect(self.index_url)

    def get(self, request, *args, **kwargs):
        if self.object.status != ApplicationStatus.PENDING:
            return self.already_decided()
        return super().get(request, *args, **kwargs)

    def form_invalid(self, form):
        messages.error(self.request, _("The note is too long: nothing was changed."))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, flags=flags_of(self.object), index_url=self.index_url)
        return context


class AcceptView(ApplicationDecisionView):
    template_name = "members/admin/application_accept.html"
    page_title = gettext_lazy("Accept the application")

    def form_valid(self, form):
        name = self.object.organisation_name
        try:
            application = membership.accept_application(
                self.object.pk, by=self.request.user, note=form.cleaned_data["note"]
            )
        except membership.AlreadyDecided:
            return self.already_decided()
        except (membership.OrganisationExists, IntegrityError):  # the same name at once
            messages.error(
                self.request,
                _(
                    "An organisation named “%(name)s” already exists: nothing was changed. "
                    "Rename or remove it first, or reject this application."
                )
                % {"name": name},
            )
            return redirect(self.index_url)
        except membership.NotSent:
            return self.not_sent()
        if application.invitation is not None:
            messages.success(
                self.request,
                _(
                    "%(name)s is now a member organisation; %(email)s is invited to create its "
                    "coordinator account."
                )
                % {"name": name, "email": application.invitation.email},
            )
        else:
            messages.warning(
                self.request,
                _(
                    "%(name)s is now a member organisation. An account already uses %(email)s: "
                    "no invitation was sent; attach that account to the organisation in "
                    "Memberships, as its coordinator."
                )
                % {"name": name, "email": application.contact_email},
            )
        return redirect(self.index_url)


class RejectView(ApplicationDecisionView):
    template_name = "members/admin/application_reject.html"
    page_title = gettext_lazy("Reject the application")

    def form_valid(self, form):
        try:
            application = membership.reject_application(
                self.object.pk, by=self.request.user, note=form.cleaned_data["note"]
            )
        except membership.AlreadyDecided:
            return self.already_decided()
        except membership.NotSent:
            return self.not_sent()
        messages.success(
            self.request,
            _("The application of %(name)s was rejected; its contact was told by e-mail.")
            % {"name": application.organisation_name},
        )
        return redirect(self.index_url)


class MembershipApplicationViewSet(ReadOnlyModelViewSet):
    model = MembershipApplication
    icon = "group"
    menu_name = "membership-applications"
    name = "membership_applications"
    url_prefix = "membership-applications"
    index_view_class = MembershipApplicationIndexView
    inspect_view_class = MembershipApplicationInspectView
    filterset_class = MembershipApplicationFilterSet
    search_fields = ["organisation_name", "contact_name", "contact_email"]
    search_backend_name = None
    permissions = ("view", "change")

    def extra_url_names(self):
        return {
            "accept_url_name": self.get_url_name("accept"),
            "reject_url_name": self.get_url_name("reject"),
            "history_url_name": self.get_url_name("history"),
        }

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(**self.extra_url_names(), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(**self.extra_url_names(), **kwargs)

    @property
    def accept_view(self):
        return self.construct_view(AcceptView, index_url_name=self.get_url_name("index"))

    @property
    def reject_view(self):
        return self.construct_view(RejectView, index_url_name=self.get_url_name("index"))

    @cached_property
    def inspect_template_name(self):
        return "members/admin/sign_up_request_inspect.html"  # the flags, then the details

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("accept/<int:pk>/", self.accept_view, name="accept"),
            path("reject/<int:pk>/", self.reject_view, name="reject"),
        ]


# -- Dues --------------------------------------------------------------------------------------


def dues_years():
    """The years that have dues, newest first, and this year."""
    years = set(MembershipDues.objects.values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return [(year, str(year)) for year in sorted(years, reverse=True)]


class MembershipDuesFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Year"), choices=dues_years, empty_label=gettext_lazy("All")
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=DuesStatus.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = MembershipDues
        fields = ["year", "status"]


def coordinators_label(dues):
    """How many coordinators a reminder would reach; for pending dues, none is a warning."""
    if dues.coordinators:
        return str(dues.coordinators)
    if dues.status == DuesStatus.PENDING:
        return _("None: no one to remind")
    return "0"


class MembershipDuesIndexView(SnippetIndexView):
    remind_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.remind_url_name and self.user_has_permission("change"):
            year = self.request.GET.get("year", "")
            url = reverse(self.remind_url_name)
            if year.isdigit():
                url += f"?year={year}"
            buttons.append(HeaderButton(_("Send reminders…"), url=url, icon_name="mail"))
        return buttons


class ReminderForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), choices=dues_years, coerce=int)


class RemindView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Who the reminders of a year go to, who was reminded lately and who has no one to
    remind (GET, a year chosen in the address); POST sends them and says what happened."""

    model = MembershipDues
    permission_required = "change"
    index_url_name = None
    template_name = "members/admin/dues_remind.html"
    page_title = gettext_lazy("Remind unpaid dues")
    header_icon = "mail"
    form_class = ReminderForm
    _show_breadcrumbs = True

    @property
    def index_url(self):
        return reverse(self.index_url_name)

    def get_breadcrumbs_items(self):
        label = capfirst(MembershipDues._meta.verbose_name_plural)
        return self.breadcrumbs_items + [
            {"url": self.index_url, "label": label},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self):
        """The year asked for in the address if it has dues, else this year."""
        asked = self.request.GET.get("year", "")
        years = [year for year, _label in dues_years()]
        this_year = timezone.localdate().year
        asked = int(asked) if asked.isascii() and asked.isdigit() else None  # not "2026²"
        return {"year": asked if asked in years else this_year}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.get_initial()["year"]
        context.update(
            year=year,
            plan=membership.reminder_plan(year),
            interval_days=membership.reminder_interval().days,
            index_url=self.index_url,
        )
        return context

    def form_invalid(self, form):
        messages.error(self.request, _("Choose a year that has dues: nothing was sent."))
        return redirect(self.index_url)

    def form_valid(self, form):
        year = form.cleaned_data["year"]
        plan = membership.send_dues_reminders(year, by=self.request.user)
        names = ", ".join
        reminded = [dues.organisation.name for dues, _people in plan.to_remind]
        if reminded:
            messages.success(
                self.request,
                ngettext(
                    "Reminder for %(year)s sent to %(count)d organisation: %(names)s.",
                    "Reminders for %(year)s sent to %(count)d organisations: %(names)s.",
                    len(reminded),
                )
                % {"year": year, "count": len(reminded), "names": names(reminded)},
            )
        else:
            messages.info(self.request, _("No reminder was sent for %(year)s.") % {"year": year})
        if plan.recently_reminded:
            messages.info(
                self.request,
                _("Already reminded in the last %(days)d days, not again: %(names)s.")
                % {
                    "days": membership.reminder_interval().days,
                    "names": names(dues.organisation.name for dues in plan.recently_reminded),
                },
            )
        if plan.no_one_to_remind:
            messages.warning(
                self.request,
                _(
                    "No one to remind (no coordinator): %(names)s. Give one of their members "
                    "the coordinator role in Memberships, or contact them yourselves."
                )
                % {"names": names(dues.organisation.name for dues in plan.no_one_to_remind)},
            )
        return redirect(f"{self.index_url}?year={year}&status={DuesStatus.PENDING}")


class MembershipDuesViewSet(SnippetViewSet):
    """The dues of each organisation and year; "Send reminders…" e-mails the coordinators of
    the organisations that have not paid (membership.send_dues_reminders)."""

    model = MembershipDues
    icon = "tasks"
    menu_label = gettext_lazy("Membership dues")
    menu_name = "membership-dues"
    index_view_class = MembershipDuesIndexView
    filterset_class = MembershipDuesFilterSet
    search_fields = ["organisation__name"]
    search_backend_name = None
    list_per_page = 50

    list_display = [
        "organisation",
        Column("year", label=field_label(MembershipDues, "year"), sort_key="year"),
        StatusTagColumn(
            "status",
            label=field_label(MembershipDues, "status"),
            accessor="get_status_display",
            primary=lambda dues: dues.status == DuesStatus.PENDING,
            sort_key="status",
        ),
        Column("amount", label=field_label(MembershipDues, "amount")),
        DateColumn("paid_on", label=field_label(MembershipDues, "paid_on"), sort_key="paid_on"),
        DateColumn(
            "reminded_at", label=field_label(MembershipDues, "reminded_at"), sort_key="reminded_at"
        ),
        Column("coordinators", label=gettext_lazy("Coordinators"), accessor=coordinators_label),
    ]

    def get_queryset(self, request):
        active_coordinators = Q(
            organisation__memberships__role=Role.COORDINATOR,
            organisation__memberships__user__is_active=True,
        )
        return MembershipDues.objects.select_related("organisation").annotate(
            coordinators=Count("organisation__memberships", filter=active_coordinators)
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(remind_url_name=self.get_url_name("remind"), **kwargs)

    @property
    def remind_view(self):
        return self.construct_view(RemindView, index_url_name=self.get_url_name("list"))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("remind/", self.remind_view, name="remind")]


# -- The audit log -----------------------------------------------------------------------------


class AcceptedFormatter(LogFormatter):
    label = membership.LOG_ACTIONS[membership.ACCEPTED]
    message = gettext_lazy("Accepted: organisation created")


class RejectedFormatter(LogFormatter):
    label = membership.LOG_ACTIONS[membership.REJECTED]
    message = gettext_lazy("Rejected")


class RemindedFormatter(LogFormatter):
    label = membership.LOG_ACTIONS[membership.DUES_REMINDED]

    def format_message(self, log_entry):
        count = (log_entry.data or {}).get("coordinators") or 0
        return ngettext(
            "Reminder sent to %(count)d coordinator",
            "Reminder sent to %(count)d coordinators",
            count,
        ) % {"count": count}


@hooks.register("register_log_actions")
def register_membership_actions(actions):
    actions.register_action(membership.ACCEPTED)(AcceptedFormatter)
    actions.register_action(membership.REJECTED)(RejectedFormatter)
    actions.register_action(membership.DUES_REMINDED)(RemindedFormatter)
