import re

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from members.access import OneQueryViewRestrictions, audience_of
from trainings.permissions import catalogue_permissions

from .listing import CatalogueQuery, CountedPaginator, FilterForm, filter_choices

RESULTS_PER_PAGE = 20
KEPT_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,3}", re.ASCII)


class CatalogueIndexPage(OneQueryViewRestrictions, Page):
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
        choices = self.filter_choices(request)
        form = FilterForm(request.GET or None, choices=choices)
        query = CatalogueQuery(self, form, user=request.user, request=request)
        found = self.results(request, query, request.GET.get("page", ""))
        paginator = CountedPaginator([], RESULTS_PER_PAGE, found["count"])
        page_obj = PaginatorPage(found["ids"], found["number"], paginator)
        context.update(
            form=form,
            options=form.all_options(),
            ignored=query.ignored,
            page_obj=page_obj,
            paginator=paginator,
            cards=query.cards(found["sessions"], request, choices["theme_labels"]),
            result_count=found["count"],
            active_filters=query.active_filters,
            querystring_without_page=query.querystring_without_page(request.GET),
            on_request_count=found["on_request"],
            search_failed=found["search_failed"],
            calendar_url=reverse("catalogue_calendar"),
        )
        return context

    # Kept pages of results: the first ones only, for at most this long (seconds). Whatever
    # visitors type in the address, what is kept stays bounded (see `results`).
    KEPT_PAGES = 50
    KEPT_RESULTS_SECONDS = 600

    def results(self, request, query, number):
        """The ids of one page of results, the session each card shows, and the counts. The
        same for every visitor of the same audience (`audience_of`: anonymous, members,
        groups, passwords passed), so kept in the shared cache (`request.shared_fragment`,
        given by the home page that routed the catalogue) until content, a seat or a session
        changes anywhere, or the next session ends. Its cards are kept apart, per training
        (`CatalogueQuery.cards`).

        Addresses visitors can vary without end are built every time and kept nowhere: dates
        (a hundred thousand days each), page numbers written oddly ("01") or beyond
        KEPT_PAGES; so is a search the database could not run (it may work next time)."""

        def build():
            found = query.page_of_results(number, RESULTS_PER_PAGE)
            if found["search_failed"]:
                return found, timezone.now()  # stale at once: never used again
            return found, query.results_change_at()

        keep = getattr(request, "shared_fragment", None)
        values = query.values
        # "1" to "50" as written by the pagination links ("²".isdigit() is True: no int()).
        odd_number = number != "" and not (
            KEPT_PAGE_NUMBER.fullmatch(number) and int(number) <= self.KEPT_PAGES
        )
        if (
            keep is None
            or not settings.CATALOGUE_SHARED_RESULTS
            or values["date_from"]
            or values["date_to"]
            or odd_number
        ):
            return query.page_of_results(number, RESULTS_PER_PAGE)
        criteria = sorted(values.items())
        audience = audience_of(request.user, request)
        parts = (self.pk, translation.get_language(), audience, criteria, number or "1")
        return keep(
            "catalogue-page-of-results",  # (a new name when what is kept changes shape)
            parts,
            build,
            all_seats=True,
            timeout=self.KEPT_RESULTS_SECONDS,
        )

    def filter_choices(self, request):
        """The filters' themes, audiences and organisations: the same for every visitor, kept
        while content is unchanged (a new theme or organisation, a renamed one, changes it)
        when the page was routed from a home page (`request.content_cache`)."""
        keep = getattr(request, "content_cache", None)
        if keep is None:
            return filter_choices()
        return keep("catalogue-choices", (translation.get_language(),), filter_choices)


class OrganisationDirectoryPage(OneQueryViewRestrictions, Page):
    """The member organisations, by sector, each with the trainings it gives."""

    # A few trainings per organisation, then a link to all of them in the catalogue: with
    # thousands of trainings, listing every one made a page of 700 KB.
    TRAININGS_PER_ORGANISATION = 5

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
        from members.models import Organisation, Sector

        context = super().get_context(request, *args, **kwargs)
        shown, totals = self.first_trainings(request)
        organisations = Organisation.objects.filter(active=True)
        by_sector = {value: [] for value in Sector.values}
        for organisation in organisations:
            organisation.listed_trainings = shown.get(organisation.pk, [])
            organisation.training_count = totals.get(organisation.pk, 0)
            organisation.more_trainings = organisation.training_count > len(
                organisation.listed_trainings
            )
            by_sector[organisation.sector].append(organisation)
        context["sectors"] = [
            {"label": Sector(value).label, "organisations": orgs}
            for value, orgs in by_sector.items()
            if orgs
        ]
        catalogue = CatalogueIndexPage.objects.live().filter(locale=self.locale).first()
        context["catalogue_url"] = catalogue.get_url(request) if catalogue else None
        return context

    def first_trainings(self, request):
        """The first trainings of each organisation by title, and how many each gives, for
        this visitor: their ids and counts in one query (a window over ids only), then those
        few pages."""
        from django.db.models import Count, F, Window
        from django.db.models.functions import RowNumber

        from trainings.models import TrainingPage

        trainings = TrainingPage.objects.listed(request.user, request).filter(locale=self.locale)
        per_provider = {"partition_by": [F("provider_id")]}
        ranked = (
            trainings.annotate(
                position=Window(
                    RowNumber(), order_by=[F("title").asc(), F("pk").asc()], **per_provider
                ),
                provider_total=Window(Count("pk"), **per_provider),
            )
            .filter(position__lte=self.TRAININGS_PER_ORGANISATION)
            .values_list("pk", "provider_id", "provider_total")
        )
        totals, ids = {}, []
        for pk, provider_id, total in ranked:
            ids.append(pk)
            totals[provider_id] = total
        shown = {}
        pages = TrainingPage.objects.filter(pk__in=ids).defer_streamfields()
        for page in pages.order_by("title", "pk"):
            shown.setdefault(page.provider_id, []).append(page)
        return shown, totals
