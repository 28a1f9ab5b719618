"""French wording of Wagtail's approval e-mails, overriding Wagtail's own catalogue (our
locale/ comes first in LOCALE_PATHS): « Bonjour » rather than « Salut », « modifications
demandées » rather than a « rejet » (with an agreement error in Wagtail's subject), and no
English « workflow ». Listed here so that `make messages` keeps these msgids."""

from django.utils.translation import gettext_noop as _

OVERRIDES = [
    _("Hello %(username)s,"),
    # To the committee: a page waits for their validation (subject, then body).
    _('The page "%(title)s" has been submitted for approval in moderation stage "%(task)s"'),
    _('The page "%(title)s" has been submitted for approval to moderation stage "%(task)s".'),
    # To administrators: a page entered the workflow.
    _('The page "%(title)s" has been submitted to workflow "%(workflow)s"'),
    _(
        'The page "%(title)s" has been submitted for moderation to workflow "%(workflow)s" '
        "by %(requester)s."
    ),
    _('The page "%(title)s" has been submitted for moderation to workflow "%(workflow)s".'),
    # To the writer: changes are asked for (subject, then body), or the page is approved.
    _('The page "%(title)s" has been rejected during "%(workflow)s".'),
    _(
        'The page "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s" '
        "by %(rejector)s."
    ),
    _('The page "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s".'),
    _('The page "%(title)s" has been approved in "%(workflow)s".'),
    _('The page "%(title)s" has been approved in workflow "%(workflow)s".'),
    _('The following comment was left: "%(comment)s"'),
]
