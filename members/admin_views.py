"""The committee's side of accounts in the Wagtail admin, on Wagtail's generic views: the
sign-up requests (a filtered listing, and the approve and reject actions, each confirmed on its
own page) and the coordinators' invitations (read-only).

The rules are in members/services.py; these views ask them and say what happened. Who may do
what is one permission policy per model (registered in members/wagtail_hooks.py): "view" to
see, "change" on sign-up requests to decide.
"""

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect, Button, HeaderButton

from . import services
from .models import Invitation, Organisation, RequestStatus, Role, SignUpRequest

ALL = "all"


# -- Sign-up requests: the listing -------------------------------------------------------------


class SignUpRequestFilterSet(WagtailFilterSet):
    """Pending requests unless the committee asks for others ("all" shows every request)."""

    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[*RequestStatus.choices, (ALL, gettext_lazy("All"))],
        empty_label=None,
        initial=RequestStatus.PENDING,
        widget=forms.RadioSelect,
        method="filter_status",
    )
    organisation = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.all()
    )
    has_account = django_filters.BooleanFilter(
        label=gettext_lazy("An account already uses this address"), widget=BooleanRadioSelect
    )
    duplicate = django_filters.BooleanFilter(
        label=gettext_lazy("Same address as another request"), widget=BooleanRadioSelect
    )

    class Meta:
        model = SignUpRequest
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = RequestStatus.PENDING
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)


class FlaggedEmailColumn(Column):
    """The address, with what the committee must know before approving."""

    cell_template_name = "members/admin/email_cell.html"


class DecisionColumn(Column):
    """Approve… and Reject… for a pending request (the confirmation pages decide)."""

    cell_template_name = "members/admin/decision_cell.html"

    def __init__(self, name, get_actions, **kwargs):
        super().__init__(name, **kwargs)
        self.get_actions = get_actions

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["actions"] = self.get_actions(instance)
        return context


def full_name(sign_up):
    return f"{sign_up.first_name} {sign_up.last_name}".strip()


class SignUpRequestIndexView(IndexView):
    any_permission_required = ["change", "view"]
    approve_url_name = None
    reject_url_name = None
    history_url_name = None
    default_ordering = "created"

    def get_base_queryset(self):
        return services.sign_up_requests()

    @cached_property
    def can_decide(self):
        return self.user_has_permission("change")

    def decision_actions(self, sign_up):
        if sign_up.status != RequestStatus.PENDING or not self.can_decide:
            return []
        return [
            (_("Approve…"), reverse(self.approve_url_name, args=[quote(sign_up.pk)]), ""),
            (
                _("Reject…"),
                reverse(self.reject_url_name, args=[quote(sign_up.pk)]),
                "button-secondary",
            ),
        ]

    @cached_property
    def only_pending(self):
        filters = self.filters
        valid = filters is not None and filters.is_valid()
        return valid and filters.form.cleaned_data.get("status") == RequestStatus.PENDING

    @cached_property
    def columns(self):
        columns = [
            self._get_title_column_class(TitleColumn)(
                "name",
                label=_("Name"),
                accessor=full_name,
                get_url=self.get_inspect_url,
                sort_key="last_name",
            ),
            FlaggedEmailColumn("email", label=_("E-mail"), sort_key="email"),
            Column(
                "organisation",
                label=_("Organisation"),
                accessor="organisation.name",
                sort_key="organisation__name",
            ),
            Column("role", label=_("Role requested"), accessor="get_role_display"),
            DateColumn("created", label=_("Received"), sort_key="created"),
            DecisionColumn("decision", label=_("Decision"), get_actions=self.decision_actions),
        ]
        if not self.only_pending:  # among pending requests only, the status goes without saying
            columns.insert(
                -1,
                StatusTagColumn(
                    "status",
                    label=_("Status"),
                    accessor="get_status_display",
                    primary=lambda sign_up: sign_up.status == RequestStatus.PENDING,
                    sort_key="status",
                ),
            )
        return columns

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.history_url_name:
            buttons.append(
                Button(
                    _("History"),
                    url=reverse(self.history_url_name, args=[quote(instance.pk)]),
                    icon_name="history",
                    priority=50,
                )
            )
        return buttons

    @cached_property
    def no_results_message(self):
        if not self.is_searching and not self.is_filtering:
            return _("No sign-up request awaits a decision.")
        return super().no_results_message


class SignUpRequestInspectView(InspectView):
    any_permission_required = ["change", "view"]
    approve_url_name = None
    reject_url_name = None
    history_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(services.sign_up_requests(), pk=self.pk)

    def get_fields(self):
        names = ["first_name", "last_name", "email", "organisation", "role", "language"]
        return names + ["created", "status", "decided_at"]

    def get_created_display_value(self):
        return when(self.object.created)

    def get_decided_at_display_value(self):
        return when(self.object.decided_at)

    @cached_property
    def header_buttons(self):
        buttons = []
        if self.object.status == RequestStatus.PENDING and self.user_has_permission("change"):
            for label, url_name, icon in (
                (_("Approve…"), self.approve_url_name, "check"),
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


def when(moment):
    """A date and time in Montréal, written the way of the active language."""
    if moment is None:
        return "—"
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def flags_of(sign_up):
    """The warnings about a pending request, in words."""
    if sign_up.status != RequestStatus.PENDING:
        return []
    flags = []
    if sign_up.has_account:
        flags.append(_("An account already uses this address"))
    if sign_up.duplicate:
        flags.append(_("Same address as another request"))
    return flags


class ReadOnlyHistoryView(HistoryView):
    """The audit entries of one row (who approved or rejected it, and when); there is no edit
    view to go back to."""

    any_permission_required = ["change", "view"]
    header_buttons = []


# -- Sign-up requests: the decisions -----------------------------------------------------------


class ApproveForm(forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("Role given"),
        choices=Role.choices,
        initial=Role.MEMBER,
        required=False,  # nothing chosen: a member, whatever was asked for
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Coordinators enrol their colleagues and invite them to the site. The role asked "
            "for is only a wish."
        ),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose the role of the new account: nothing was changed."
            )
        },
    )

    def clean_role(self):
        return self.cleaned_data["role"] or Role.MEMBER


class DecisionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, BaseObjectMixin, FormView):
    """A confirmation page (GET) and the decision (POST) on one pending request; a request
    decided meanwhile is refused with a message, and nothing changes."""

    model = SignUpRequest
    permission_required = "change"
    index_url_name = None
    header_icon = "user"
    form_class = forms.Form
    _show_breadcrumbs = True

    def get_base_object_queryset(self):
        return services.sign_up_requests()

    @property
    def index_url(self):
        return reverse(self.index_url_name)

    def get_page_subtitle(self):
        return full_name(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.index_url, "label": capfirst(SignUpRequest._meta.verbose_name_plural)},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def already_decided(self):
        messages.error(self.request, _("This request has already been decided."))
        return redirect(self.index_url)

    def get(self, request, *args, **kwargs):
        if self.object.status != RequestStatus.PENDING:
            return self.already_decided()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, flags=flags_of(self.object), index_url=self.index_url)
        return context


class ApproveView(DecisionView):
    template_name = "members/admin/approve.html"
    page_title = gettext_lazy("Approve the request")
    form_class = ApproveForm

    def form_invalid(self, form):
        messages.error(self.request, _("Choose the role of the new account: nothing was changed."))
        return super().form_invalid(form)

    def form_valid(self, form):
        email = services.normalise(self.object.email)
        try:
            _sign_up, user, mail_error = services.approve(
                self.object.pk, form.cleaned_data["role"], by=self.request.user
            )
        except services.AlreadyDecided:
            return self.already_decided()
        except (services.EmailTaken, IntegrityError):  # IntegrityError: the same address at once
            messages.error(
                self.request,
                _("An account with the e-mail %(email)s already exists: nothing was changed.")
                % {"email": email},
            )
            return redirect(self.index_url)
        if mail_error is not None:
            messages.error(
                self.request,
                _(
                    "The account of %(email)s was created, but the e-mail could not be sent "
                    "(%(error)s). Ask the person to use “Forgotten password” on the sign-in page."
                )
                % {"email": user.email, "error": mail_error},
            )
        else:
            messages.success(
                self.request,
                _("Account created for %(email)s; an e-mail invites them to choose a password.")
                % {"email": user.email},
            )
        return redirect(self.index_url)


class RejectView(DecisionView):
    template_name = "members/admin/reject.html"
    page_title = gettext_lazy("Reject the request")

    def form_valid(self, form):
        try:
            sign_up = services.reject(self.object.pk, by=self.request.user)
        except services.AlreadyDecided:
            return self.already_decided()
        messages.success(
            self.request, _("The request of %(email)s was rejected.") % {"email": sign_up.email}
        )
        return redirect(self.index_url)


class InspectURLFinder(ModelAdminURLFinder):
    """Where the admin (Site history, for instance) links a row: its details page, for whoever
    may see it (there is no edit view)."""

    def get_edit_url(self, instance):
        policy = SignUpRequestViewSet.policy_for(type(instance))
        if self.user and not policy.user_has_any_permission(self.user, ["change", "view"]):
            return None
        return self.construct_edit_url(instance)


class ReadOnlyModelViewSet(ModelViewSet):
    """A listing, a details page and the audit history, nothing more: no add, edit, copy or
    delete views, and only the permissions that mean something here."""

    add_to_reference_index = False
    inspect_view_enabled = True
    copy_view_enabled = False
    history_view_class = ReadOnlyHistoryView
    permissions = ("view",)

    @staticmethod
    def policy_for(model):
        from wagtail.permissions import policy_registry

        return policy_registry.get_by_type(model)

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "delete_url_name", "copy_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]

    def get_permissions_to_register(self):
        codenames = [f"{action}_{self.model_name}" for action in self.permissions]
        return (
            super()
            .get_permissions_to_register()
            .model.objects.filter(content_type__app_label=self.app_label, codename__in=codenames)
        )

    @property
    def url_finder_class(self):
        return type(
            "_InspectURLFinder",
            (InspectURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )


class SignUpRequestViewSet(ReadOnlyModelViewSet):
    model = SignUpRequest
    icon = "user"
    menu_name = "sign-up-requests"
    name = "sign_up_requests"
    url_prefix = "sign-up-requests"
    index_view_class = SignUpRequestIndexView
    inspect_view_class = SignUpRequestInspectView
    filterset_class = SignUpRequestFilterSet
    search_fields = ["first_name", "last_name", "email", "organisation__name"]
    search_backend_name = None
    permissions = ("view", "change")

    def extra_url_names(self):
        return {
            "approve_url_name": self.get_url_name("approve"),
            "reject_url_name": self.get_url_name("reject"),
            "history_url_name": self.get_url_name("history"),
        }

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(**self.extra_url_names(), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(**self.extra_url_names(), **kwargs)

    @property
    def approve_view(self):
        return self.construct_view(ApproveView, index_url_name=self.get_url_name("index"))

    @property
    def reject_view(self):
        return self.construct_view(RejectView, index_url_name=self.get_url_name("index"))

    @cached_property
    def inspect_template_name(self):
        return "members/admin/sign_up_request_inspect.html"

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("approve/<int:pk>/", self.approve_view, name="approve"),
            path("reject/<int:pk>/", self.reject_view, name="reject"),
        ]


# -- Invitations (read-only) -------------------------------------------------------------------


class InvitationFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.all()
    )
    state = django_filters.ChoiceFilter(
        label=pgettext_lazy("invitation", "State"),
        choices=services.InvitationState.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Invitation
        fields = []


class InvitationIndexView(IndexView):
    any_permission_required = ["change", "view"]
    default_ordering = "-created"

    def get_base_queryset(self):
        return services.invitations_with_state().select_related("organisation", "invited_by")

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "email",
                label=_("E-mail"),
                get_url=self.get_inspect_url,
                sort_key="email",
            ),
            Column(
                "organisation",
                label=_("Organisation"),
                accessor="organisation.name",
                sort_key="organisation__name",
            ),
            Column("invited_by", label=field_label(Invitation, "invited_by"), accessor=invited_by),
            DateColumn("created", label=field_label(Invitation, "created"), sort_key="created"),
            StatusTagColumn(
                "state",
                label=pgettext("invitation", "State"),
                accessor=state_label,
                primary=lambda invitation: invitation.state == services.InvitationState.PENDING,
                sort_key="state",
            ),
            DateColumn(
                "accepted_at",
                label=field_label(Invitation, "accepted_at"),
                sort_key="accepted_at",
            ),
        ]


def field_label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def invited_by(invitation):
    person = invitation.invited_by
    if person is None:
        return _("(account deleted)")
    return person.get_full_name() or person.email


def state_label(invitation):
    return services.InvitationState(invitation.state).label


class InvitationInspectView(InspectView):
    any_permission_required = ["change", "view"]

    def get_object(self, queryset=None):
        invitations = services.invitations_with_state().select_related("organisation")
        return get_object_or_404(invitations, pk=self.pk)

    def get_fields(self):
        return ["email", "organisation", "invited_by", "created", "state", "accepted_at"]

    def get_state_display_value(self):
        return state_label(self.object)

    def get_invited_by_display_value(self):
        return invited_by(self.object)

    def get_created_display_value(self):
        return when(self.object.created)

    def get_accepted_at_display_value(self):
        return when(self.object.accepted_at)

    def get_field_label(self, field_name, field):
        if field_name == "state":
            return pgettext("invitation", "State")
        return super().get_field_label(field_name, field)


class InvitationViewSet(ReadOnlyModelViewSet):
    model = Invitation
    icon = "mail"
    menu_name = "invitations"
    name = "invitations"
    index_view_class = InvitationIndexView
    inspect_view_class = InvitationInspectView
    filterset_class = InvitationFilterSet
    search_fields = ["email", "organisation__name"]
    search_backend_name = None
