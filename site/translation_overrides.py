"""French wording that overrides Wagtail's and Django's own catalogues.

Our locale/ comes first in LOCALE_PATHS, so these msgids, translated in our django.po, win over
the frameworks' translations. They are listed here so that `make messages` keeps them.
"""

from django.utils.translation import gettext_noop as _

OVERRIDES = [
    # Wagtail's French says "E-mail"; the site says "courriel" everywhere.
    _("Email"),
    # Wagtail's "Ajouter un(e) %(label)s" reads badly with our labels ("Ajouter : séance").
    _("Add %(label)s"),
    # Quote the workflow's name: « Soumettre à « Approbation du comité » ».
    _("Submit to %(workflow_name)s"),
]
