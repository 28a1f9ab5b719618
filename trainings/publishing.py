"""Publishing a training page is all or nothing.

The session rules are checked when the page writes its sessions (`services.session_changes`,
called from `TrainingPage.save`). A refusal must undo the whole publish, not only the save:
Wagtail clears the other revisions' schedules and logs before saving, so the publish runs in
one transaction. Callers that talk to an editor (edit view, bulk action, workflow approval, in
wagtail_hooks.py) turn the refusal into a message. Scheduled publishing (`publish_scheduled`,
run by cron) has nobody to tell: the revision is unscheduled, the refusal logged and written
to the page's history, and the live page stays as it was; retrying every run would publish
at an unpredictable moment, whenever seats happen to free up. The draft stays the latest
revision, for the editor to correct and publish.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log
from wagtail.models import Revision

from . import services

logger = logging.getLogger("trainings")

SCHEDULED = "wagtail.publish.scheduled"
REFUSED = "trainings.publish_refused"


def publish_atomically(publish, page, revision, *args, **kwargs):
    try:
        with transaction.atomic():
            return publish(revision, *args, **kwargs)
    except services.SessionChangeRefused as refusal:
        if kwargs.get("log_action") != SCHEDULED:
            raise
        Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
        logger.error(
            "Scheduled publishing of %r (page %s, revision %s) refused: %s",
            page.title,
            page.pk,
            revision.pk,
            refusal.message,
        )
        log(
            instance=page,
            action=REFUSED,
            revision=revision,
            data={"code": refusal.code, "params": refusal.params},
        )
        return None


class RefusedPublishFormatter(LogFormatter):
    """The page history says why a scheduled version did not go live, in the reader's
    language."""

    label = _("Scheduled publishing refused")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        try:
            reason = services.SessionChangeRefused.MESSAGES[data["code"]] % data["params"]
        except (KeyError, TypeError):
            reason = ""
        return _("Scheduled publishing refused: %(reason)s") % {"reason": reason}
