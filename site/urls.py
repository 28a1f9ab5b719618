import re

from cqctp.converters import IdConverter
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path, register_converter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

register_converter(IdConverter, "id")

from catalogue.api import api_router  # noqa: E402  (after the converter it uses)
from catalogue.views import catalogue_calendar  # noqa: E402
from home import routing  # noqa: E402
from home.views import site_search  # noqa: E402
from trainings.views import training_calendar  # noqa: E402

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    import posixpath

    from django.contrib.staticfiles.urls import staticfiles_urlpatterns
    from django.http import Http404
    from django.views.static import serve as serve_file

    def serve_media(request, path):
        """Uploaded images; never a file of the documents' folder, however the address is
        written (//, ./, ../, %2F): a document is served by /documents/<id>/ after its
        privacy check, and production's web server refuses that folder too."""
        normalised = posixpath.normpath(path).lstrip("/")
        if normalised == "documents" or normalised.startswith("documents/"):
            raise Http404
        return serve_file(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns += staticfiles_urlpatterns()
    media = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media}(?P<path>.*)$", serve_media)]

# French (the default language) has no prefix; English lives under /en/.
urlpatterns += i18n_patterns(
    path("espace-membres/", include("members.urls")),
    path("espace-membres/", include("trainings.urls")),
    path("certificats/", include("trainings.certificate_urls")),
    path("infolettre/", include("newsletter.urls")),
    path("calendrier/formations.ics", catalogue_calendar, name="catalogue_calendar"),
    path("calendrier/formation-<id:pk>.ics", training_calendar, name="training_calendar"),
    path("recherche/", site_search, name="site_search"),
    # Wagtail's own addresses, its page-serving view started from the remembered home page.
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    prefix_default_language=False,
)
