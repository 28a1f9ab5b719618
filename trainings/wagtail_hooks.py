from django.db import transaction
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

# participants_admin and certificate_admin register their own viewsets and hooks on import.
from . import audit, certificate_admin, participants_admin, publishing, services  # noqa: F401
from .models import Audience, Theme, TrainingPage


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, AudienceViewSet)
    menu_icon = "tag"
    menu_label = _("Taxonomy")
    menu_name = "taxonomy"
    menu_order = 210


register_snippet(TaxonomyViewSetGroup)


# -- Publishing a training: refusals of the session rules become messages for the editor ----
# The rules themselves run when the page writes its sessions (services.session_changes); these
# views make each publish one transaction and tell the editor when it was refused.


def _refusal_on_the_form(form, refusal):
    """Show the refusal beside the session it concerns (or on the form)."""
    sessions = form.formsets.get("sessions")
    for child in sessions.forms if sessions is not None else []:
        if child.instance.pk == refusal.session_pk:
            child.add_error("capacity" if refusal.code == "capacity" else None, refusal.message)
            return
    form.add_error(None, refusal.message)


class TrainingPageEditView(EditView):
    """Every action of the editor (publish, publish an old version, approve, save) runs in one
    transaction: a refusal leaves the page, its revisions and its sessions as they were, and
    shows the form again with what the editor typed."""

    # Fields Wagtail changes on the page object while publishing; a refusal restores them.
    bookkeeping = [
        "live",
        "has_unpublished_changes",
        "draft_title",
        "latest_revision",
        "latest_revision_created_at",
        "live_revision",
        "first_published_at",
        "last_published_at",
        "expired",
    ]

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except services.SessionChangeRefused as refusal:
            self.page.refresh_from_db(fields=self.bookkeeping)
            if self.expects_json_response:
                return self.json_error_response("validation_error", refusal.message)
            _refusal_on_the_form(form, refusal)
            messages.error(self.request, refusal.message)
            self.has_unsaved_changes = True
            return self.render_to_response(self.get_context_data())


class TrainingPageWorkflowActionView(WorkflowActionView):
    """Approving the last task publishes: a refusal leaves the task in moderation."""

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except services.SessionChangeRefused as refusal:
            messages.error(request, refusal.message)
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(
                    request, {"step": "success", "redirect": self.redirect_url}
                )
            return redirect(self.redirect_url)


class TrainingPageViewSet(PageViewSet):
    model = TrainingPage
    edit_view_class = TrainingPageEditView
    workflow_action_view_class = TrainingPageWorkflowActionView

    @cached_property
    def parent_models(self):
        return []  # the explorer's listings stay as they are


@hooks.register("register_admin_viewset")
def register_training_page_viewset():
    return TrainingPageViewSet("training_pages")


class PublishBulkActionWithSessionRules(PublishBulkAction):
    """Wagtail's bulk publish, page by page: a refused training is reported and left as it
    was; the other pages are published."""

    def get_execution_context(self):
        self.refused = []
        return {**super().get_execution_context(), "refused": self.refused}

    @classmethod
    def execute_action(cls, objects, include_descendants=False, user=None, refused=None, **kw):
        refused = [] if refused is None else refused
        parents = children = 0
        for page in objects:
            revision = page.get_latest_revision() or page.specific.save_revision(user=user)
            parents += cls.publish_or_refuse(revision, user, refused)
            if not include_descendants:
                continue
            drafts = page.get_descendants().not_live().defer_streamfields().specific()
            for draft in drafts.iterator():
                if user is None or draft.permissions_for_user(user).can_publish():
                    revision = draft.get_latest_revision() or draft.save_revision(user=user)
                    children += cls.publish_or_refuse(revision, user, refused)
        return parents, children

    @staticmethod
    def publish_or_refuse(revision, user, refused):
        try:
            with transaction.atomic():
                revision.publish(user=user)
        except services.SessionChangeRefused as refusal:
            refused.append(refusal)
            return 0
        return 1

    def get_success_message(self, num_parent_objects, num_child_objects):
        for refusal in self.refused:
            messages.error(self.request, refusal.message)
        if not num_parent_objects + num_child_objects:
            return None
        return super().get_success_message(num_parent_objects, num_child_objects)


# After Wagtail's own registration (order 0), so that this class handles "publish".
hooks.register("register_bulk_action", PublishBulkActionWithSessionRules, order=1)


@hooks.register("register_log_actions")
def register_publish_refused(actions):
    actions.register_action(publishing.REFUSED)(publishing.RefusedPublishFormatter)


class EnrolmentLogFormatter(LogFormatter):
    """A history line of trainings' audit log says what changed (from the entry's data)."""

    def format_message(self, log_entry):
        return participants_admin.log_message(log_entry.action, log_entry.data, self.label)


@hooks.register("register_log_actions")
def register_enrolment_actions(actions):
    for name, label in audit.ACTIONS.items():
        actions.register_action(name)(
            type("EnrolmentLogFormatter", (EnrolmentLogFormatter,), {"label": label})
        )
