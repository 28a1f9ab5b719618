from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from trainings.permissions import catalogue_permissions

from .listing import CatalogueQuery, FilterForm

RESULTS_PER_PAGE = 20


class CatalogueIndexPage(Page):
    """The catalogue of trainings: search, filters and sort, all in the address (shareable)."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["trainings.TrainingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("training catalogue")
        verbose_name_plural = _("training catalogues")

    # Only permissions granted on the catalogue itself count here (trainings/permissions.py).
    permissions_for_user = catalogue_permissions()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = FilterForm(request.GET or None)
        query = CatalogueQuery(self, form, user=request.user, request=request)
        paginator = Paginator(query.results(), RESULTS_PER_PAGE, allow_empty_first_page=True)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(
            form=form,
            ignored=query.ignored,
            page_obj=page_obj,
            paginator=paginator,
            cards=query.cards(page_obj.object_list, request),
            result_count=paginator.count,
            active_filters=query.active_filters,
            querystring_without_page=query.querystring_without_page(request.GET),
            on_request_count=query.on_request_count(),
            search_failed=query.search_failed,
            calendar_url=reverse("catalogue_calendar"),
        )
        return context


class OrganisationDirectoryPage(Page):
    """The member organisations, by sector, each with the trainings it gives."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("organisation directory")
        verbose_name_plural = _("organisation directories")

    # Edited by the training committee, like the catalogue (trainings/permissions.py).
    permissions_for_user = catalogue_permissions()

    def get_context(self, request, *args, **kwargs):
        from django.db.models import Prefetch

        from members.models import Organisation, Sector
        from trainings.models import TrainingPage

        context = super().get_context(request, *args, **kwargs)
        trainings = (
            TrainingPage.objects.listed(request.user, request)
            .filter(locale=self.locale)
            .order_by("title")
        )
        organisations = Organisation.objects.filter(active=True).prefetch_related(
            Prefetch("trainings", queryset=trainings, to_attr="listed_trainings")
        )
        by_sector = {value: [] for value in Sector.values}
        for organisation in organisations:
            by_sector[organisation.sector].append(organisation)
        context["sectors"] = [
            {"label": Sector(value).label, "organisations": orgs}
            for value, orgs in by_sector.items()
            if orgs
        ]
        return context
