"""Attendance certificates in the Wagtail admin: the committee finds one by its code or its
holder's name, reads what it says, its history, and revokes it with a reason.

A certificate is a record of what was issued: nobody adds or edits one here (they are issued
when their holder downloads them), and nobody deletes one (its code must keep saying
"revoked" rather than "unknown"). Who may do what follows the enrolment permissions, as the
participants screens do: `trainings.view_enrolment` (or change) to see, `change_enrolment` to
revoke."""

from django import forms
from django.contrib.admin.utils import quote
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import FormView
from django_filters import ChoiceFilter
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import certificates
from .dates import local_zone
from .models import Certificate, Enrolment
from .templatetags.training_tags import clock

VIEW, REVOKE = "view", "revoke"


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates answer to the enrolment permissions: "view" needs view_enrolment or
    change_enrolment, "revoke" needs change_enrolment; "add", "change" and "delete" nobody
    (not even a superuser: the snapshot is what was issued)."""

    CODENAMES = {VIEW: ("view", "change"), REVOKE: ("change",)}

    def __init__(self):
        super().__init__(Certificate, auth_model=Enrolment)

    def _codenames(self, actions):
        return {
            self._get_permission_codename(permission)
            for action in actions
            for permission in self.CODENAMES.get(action, ())
        }

    def user_has_permission(self, user, action):
        if not (user.is_active and action in self.CODENAMES):
            return False
        return any(user.has_perm(f"{self.app_label}.{c}") for c in self._codenames([action]))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return self._get_users_with_any_permission_codenames(self._codenames(actions))


permission_policy = CertificatePermissionPolicy()
register_permission_policy(Certificate, permission_policy)


def moment(value):
    """A date and time on Montréal's clock, as the public site writes them."""
    local = timezone.localtime(value, local_zone())
    return f"{certificates.long_date(local.date())}, {clock(local)}"


class CertificateFilterSet(WagtailFilterSet):
    status = ChoiceFilter(
        label=_("Status"),
        empty_label=pgettext_lazy("certificate", "All"),
        choices=[
            ("valid", pgettext_lazy("certificate", "Valid")),
            ("revoked", pgettext_lazy("certificate", "Revoked")),
        ],
        method="filter_status",
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(revoked_at__isnull=value == "valid")


class StatusColumn(Column):
    cell_template_name = "trainings/certificates/admin/status_cell.html"


class CertificateIndexView(IndexView):
    def search_queryset(self, queryset):
        """A code matches as typed or as printed (case, spaces and hyphens do not matter)."""
        if not self.is_searching:
            return queryset
        code = certificates.normalise_code(self.search_query)
        found = super().search_queryset(queryset)
        return queryset.filter(Q(pk__in=found.values("pk")) | Q(code=code)) if code else found

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not instance.is_revoked and self.user_has_permission(REVOKE):
            buttons.append(
                Button(_("Revoke"), url=revoke_url(instance), icon_name="cross", priority=40)
            )
        return buttons


class CertificateInspectView(InspectView):
    def get_language_display_value(self):
        return {"fr": _("French"), "en": _("English")}.get(self.object.language, "")

    def get_issued_at_display_value(self):
        return moment(self.object.issued_at)

    def get_revoked_at_display_value(self):
        if self.object.revoked_at is None:
            return _("Not revoked")
        return moment(self.object.revoked_at)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        buttons.append(
            Button(
                _("Public verification page"),
                url=certificates.verification_url(self.object),
                icon_name="link-external",
                priority=30,
            )
        )
        return buttons

    def get_header_buttons(self):
        buttons = list(super().get_header_buttons())
        if not self.object.is_revoked and self.user_has_permission(REVOKE):
            buttons.append(
                HeaderButton(_("Revoke"), url=revoke_url(self.object), icon_name="cross")
            )
        return buttons


class CertificateHistoryView(HistoryView):
    """Who issued and who revoked (the audit log): for everyone who may see certificates."""

    any_permission_required = [VIEW]


def revoke_url(certificate):
    return reverse("trainings_certificates:revoke", args=[quote(certificate.pk)])


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=300,
        help_text=_(
            "Shown on the public verification page, e.g. “Attendance marked by mistake”. "
            "Write nothing you would not say to the holder's employer."
        ),
        error_messages={"required": _("Give the reason: the verification page shows it.")},
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(self.fields["reason"].error_messages["required"])
        return reason


class RevokeView(PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, FormView):
    """Asks for the reason (GET), then revokes (POST) through certificates.revoke, which writes
    the audit entry. Revoking cannot be undone: the committee issues no new one by hand."""

    model = Certificate
    permission_policy = permission_policy
    permission_required = REVOKE
    form_class = RevokeForm
    template_name = "trainings/certificates/admin/revoke.html"
    header_icon = "cross"
    page_title = _("Revoke a certificate")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("trainings_certificates:index"), "label": _("Attendance certificates")},
            {"url": self.inspect_url, "label": str(self.object)},
            {"url": "", "label": self.page_title},
        ]

    @cached_property
    def inspect_url(self):
        return reverse("trainings_certificates:inspect", args=[quote(self.object.pk)])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificate=self.object,
            facts=certificates.facts(self.object),
            action_url=revoke_url(self.object),
            submit_button_label=_("Revoke this certificate"),
            cancel_url=self.inspect_url,
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        if self.object.is_revoked:
            messages.warning(request, _("This certificate is already revoked."))
            return redirect(self.inspect_url)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            certificates.revoke(self.object, form.cleaned_data["reason"], by=self.request.user)
        except certificates.AlreadyRevoked:
            messages.warning(self.request, _("This certificate is already revoked."))
        else:
            messages.success(
                self.request,
                _("Certificate %(code)s revoked: its verification page now says so.")
                % {"code": self.object.code},
            )
        return redirect(self.inspect_url)


class CertificateURLFinder(ModelAdminURLFinder):
    """Links from the audit log (Reports › Site history) lead to the certificate's page."""

    def construct_edit_url(self, instance):
        return reverse("trainings_certificates:inspect", args=[quote(instance.pk)])

    def get_edit_url(self, instance):
        if self.user and not permission_policy.user_has_permission(self.user, VIEW):
            return None
        return self.construct_edit_url(instance)


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    add_to_admin_menu = True
    menu_order = 196  # beside "Enrolments"
    url_prefix = "certificates"
    inspect_view_enabled = True
    inspect_view_fields = [
        "code",
        "holder_name",
        "training_title",
        "provider_name",
        "first_day",
        "last_day",
        "duration_hours",
        "language",
        "issued_at",
        "revoked_at",
        "revoked_reason",
    ]
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    history_view_class = CertificateHistoryView
    filterset_class = CertificateFilterSet
    list_display = [
        "code",  # the title column: links to the certificate's page
        "holder_name",
        "training_title",
        "first_day",
        DateColumn("issued_at", label=_("Issued on"), sort_key="issued_at"),
        StatusColumn("revoked_at", label=_("Status")),
    ]
    search_fields = ["code", "holder_name", "training_title"]
    search_backend_name = None  # the database's own search: codes and names as typed
    list_per_page = 50
    url_finder_class = CertificateURLFinder

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, copy or delete views: nothing links to them.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_permissions_to_register(self):
        """Nothing to tick in the group editor: the enrolment permissions decide."""
        return super().get_permissions_to_register().none()

    def get_urlpatterns(self):
        """Listing, inspect, history and revoke: no add, edit, copy or delete view exists."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("revoke/<int:pk>/", RevokeView.as_view(), name="revoke"),
        ]


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet("trainings_certificates")
