"""The site search: campaigns, trainings, standard pages and member organisations, in the
visitor's language, grouped by kind in a fixed order.

Only indexed fields can filter a search, so each kind is searched among the live pages of the
visitor's locale, the ranked ids (capped) are then intersected in SQL with what the visitor may
see (`members.access.allowed_pages`, `TrainingPage.objects.listed`), and only the few results
shown are built as objects. A fixed number of queries, whatever the amount of content.
"""

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from members.access import allowed_pages

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200  # characters kept from what the visitor typed
MAX_HITS = 200  # ranked ids kept per kind: the counts stop there
PER_GROUP = 10  # results shown per kind


def clean_query(raw):
    """The query as the visitor typed it (spaces tidied), and whether it had to be shortened."""
    query = " ".join((raw or "").split())
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH].rstrip(), True
    return query, False


def search_terms(query):
    """The words of the query, without the punctuation search backends read as syntax
    (quotes, brackets, & | ! * :): "« phare » & (exploitation" searches "phare exploitation"."""
    return " ".join(re.findall(r"\w+", query))


@dataclass
class Result:
    title: str
    url: str
    snippet: str = ""
    detail: str = ""  # a line under the title: the organisation giving a training
    start_date: object = None  # a campaign's period
    end_date: object = None


@dataclass
class Group:
    key: str
    label: str
    count: int = 0
    items: list = field(default_factory=list)
    more_url: str = ""  # "see all": the catalogue's own search


class SiteSearch:
    """One search for one visitor: `SiteSearch(request, query).run()` fills `groups` (only the
    kinds with results, in a fixed order), `total` and `failed` (the backend could not parse
    the query: the page says so instead of failing)."""

    def __init__(self, request, query):
        self.request = request
        self.user = getattr(request, "user", None)
        self.query = query
        self.terms = search_terms(query)
        self.groups = []
        self.total = 0
        self.failed = False
        self.backend = get_search_backend()

    def run(self):
        from catalogue.models import CatalogueIndexPage
        from home.models import CampaignPage, StandardPage
        from trainings.models import TrainingPage

        if not self.terms:
            return self
        self.locale = Locale.get_active()
        groups = [
            self._pages(
                Group("campaigns", _("Campaigns")),
                CampaignPage,
                CampaignPage.objects.listed(self.user, self.request),
                self._campaign_result,
            ),
            self._pages(
                Group("trainings", _("Trainings")),
                TrainingPage,
                TrainingPage.objects.listed(self.user, self.request),
                self._training_result,
                related=["provider"],
            ),
            self._pages(
                Group("pages", _("Pages")),
                StandardPage,
                allowed_pages(StandardPage.objects.live(), self.user, self.request),
                self._standard_result,
            ),
            self._organisations(Group("organisations", _("Member organisations"))),
        ]
        trainings = groups[1]
        if trainings.count:
            catalogue = self._first_visible(CatalogueIndexPage)
            if catalogue is not None:
                query = urlencode({"q": self.terms, "period": "all"})
                trainings.more_url = f"{catalogue.get_url(self.request)}?{query}"
        self.groups = [group for group in groups if group.count]
        self.total = sum(group.count for group in self.groups)
        return self

    # -- searching --------------------------------------------------------------------------

    def _hits(self, queryset):
        """The objects matching the query, best first. Odd syntax the backend cannot parse
        leaves the kind empty and sets `failed`; a savepoint keeps the request's transaction
        usable."""
        try:
            with transaction.atomic():
                return list(self.backend.search(self.terms, queryset, operator="and")[:MAX_HITS])
        except (DatabaseError, ValueError) as error:
            logger.info("Site search failed for %r: %s", self.query, error)
            self.failed = True
            return []

    def _ranking(self, queryset):
        return [hit.pk for hit in self._hits(queryset)]

    def _pages(self, group, model, visible, to_result, related=()):
        ranking = self._ranking(model.objects.live().filter(locale=self.locale).only("pk"))
        if not ranking:
            return group
        allowed = set(
            visible.filter(locale=self.locale, pk__in=ranking).values_list("pk", flat=True)
        )
        ranked = [pk for pk in ranking if pk in allowed]
        group.count = len(ranked)
        shown = ranked[:PER_GROUP]
        pages = model.objects.filter(pk__in=shown).select_related("locale", *related)
        pages = {page.pk: page for page in pages.defer_streamfields()}
        group.items = [to_result(pages[pk]) for pk in shown if pk in pages]
        return group

    def _first_visible(self, model):
        pages = model.objects.live().filter(locale=self.locale).order_by("path")
        return allowed_pages(pages, self.user, self.request).first()

    def _organisations(self, group):
        """Active member organisations, shown only with a directory page the visitor may see
        in this language: a result links to it."""
        from catalogue.models import OrganisationDirectoryPage
        from members.models import Organisation

        directory = self._first_visible(OrganisationDirectoryPage)
        if directory is None:
            return group
        hits = self._hits(Organisation.objects.filter(active=True))
        url = directory.get_url(self.request)
        group.count = len(hits)
        group.items = [
            Result(
                title=organisation.name,
                url=f"{url}#organisation-{organisation.pk}",
                snippet=organisation.localized_description,
                detail=organisation.get_region_display(),
            )
            for organisation in hits[:PER_GROUP]
        ]
        return group

    # -- results ----------------------------------------------------------------------------

    def _url(self, page):
        return page.get_url(self.request)

    def _campaign_result(self, page):
        return Result(
            title=page.title,
            url=self._url(page),
            snippet=page.tagline or page.search_description or page.introduction,
            start_date=page.start_date,
            end_date=page.end_date,
        )

    def _training_result(self, page):
        return Result(
            title=page.title,
            url=self._url(page),
            snippet=page.search_description or page.summary,
            detail=page.provider.name,
        )

    def _standard_result(self, page):
        return Result(
            title=page.title,
            url=self._url(page),
            snippet=page.search_description or page.introduction,
        )
