"""Read-only Wagtail API v2: the public trainings and their upcoming sessions."""

from cqctp.links import absolute_url, page_url
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from trainings.models import TrainingPage

SEARCH_OPERATORS = ("and", "or")  # what the search backend accepts, in any case


class PublicHtmlUrlField(PageHtmlUrlField):
    """The page's address from PUBLIC_BASE_URL (cqctp.links), not from the Site record."""

    def to_representation(self, page):
        return page_url(page) or None


class TrainingSerializer(PageSerializer):
    html_url = PublicHtmlUrlField(read_only=True)


class TrainingsAPIViewSet(PagesAPIViewSet):
    model = TrainingPage
    name = "trainings"
    base_serializer_class = TrainingSerializer
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "summary",
        "provider_name",
        "theme_names",
        "audience_names",
    ]
    # Sessions are in the detail view (/api/v2/trainings/<id>/): they take a query per training.
    detail_only_fields = ["parent"]

    # -- Bad input answers 400, never 500 (the NULs and huge numbers stop at cqctp.middleware) --

    def listing_view(self, request):
        self.check_field_values(request)
        search = request.GET.get("search")
        if search is not None and search and not search.strip():
            # Blank but not empty: the SQLite search backend fails on it (AttributeError).
            raise BadRequestError("search: the query is blank")
        operator = request.GET.get("search_operator")
        if operator and operator.lower() not in SEARCH_OPERATORS:
            # The search backend raises ValueError on any other operator (a 500).
            raise BadRequestError("search_operator: must be 'and' or 'or'")
        try:
            with transaction.atomic():
                return super().listing_view(request)
        except DatabaseError as error:  # a search SQLite's full-text syntax cannot parse
            raise BadRequestError("search: this query cannot be read") from error

    def find_view(self, request):
        self.check_field_values(request)
        return super().find_view(request)

    def check_field_values(self, request):
        """Wagtail hands field filters (?price=, ?first_published_at=, ?id=) to the database as
        they come: a value that is not of the field's type is a bad request, not a crash."""
        for name, value in request.GET.items():
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if getattr(field, "concrete", False) and not field.is_relation:
                try:
                    field.run_validators(field.to_python(value))
                except (ValidationError, ValueError, TypeError) as error:
                    raise BadRequestError(f"{name}: not a valid value") from error

    @classmethod
    def get_object_detail_urlpath(cls, model, pk, namespace=""):
        # detail_url and the find view's redirect: at the public address too.
        return absolute_url(super().get_object_detail_urlpath(model, pk, namespace=namespace))

    def get_base_queryset(self):
        # The public API is the anonymous public's view, whoever calls it: `listed()` without
        # a user (page privacy included); Wagtail's queryset scopes it to the site.
        public_pages = super().get_base_queryset()
        return (
            TrainingPage.objects.listed()
            .filter(pk__in=public_pages.values("pk"))
            .select_related("provider")
            .prefetch_related("themes", "audiences")
        )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("trainings", TrainingsAPIViewSet)
