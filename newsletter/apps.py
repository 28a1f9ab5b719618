from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        # trainings may not import the newsletter: its personal data join the member's export
        # and account closing through trainings.privacy's registry.
        from . import privacy

        privacy.register()
