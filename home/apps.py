from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Public site")

    def ready(self):
        from cqctp.links import sync_site
        from django.db.models.signals import post_migrate

        # After every `migrate`, the Wagtail Site record follows PUBLIC_BASE_URL.
        post_migrate.connect(sync_site, sender=self, dispatch_uid="cqctp.sync_site")

        from . import signals

        # A campaign's short address ("/grandprix") follows its short name and publication.
        signals.connect()
        # Cached pages and the CDN follow publications, snippets, settings and seats.
        signals.connect_freshness()
