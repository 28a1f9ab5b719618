"""Read-only Wagtail API v2: the public trainings and their upcoming sessions."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from trainings.models import TrainingPage


class TrainingsAPIViewSet(PagesAPIViewSet):
    model = TrainingPage
    name = "trainings"
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "summary",
        "provider_name",
        "theme_names",
        "audience_names",
    ]
    # Sessions are in the detail view (/api/v2/trainings/<id>/): they take a query per training.
    detail_only_fields = ["parent"]

    def get_base_queryset(self):
        public_pages = super().get_base_queryset()
        return (
            TrainingPage.objects.listed()
            .public()
            .filter(pk__in=public_pages.values("pk"))
            .select_related("provider")
            .prefetch_related("themes", "audiences")
        )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("trainings", TrainingsAPIViewSet)
