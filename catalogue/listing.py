"""The catalogue's search, filters and sort: a lenient form and the query it builds.

Bad input never raises: an unknown value is dropped and reported in `ignored`, so the page
still answers with the filters that made sense.
"""

import datetime
import logging

from django import forms
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, Lookup, Min, OuterRef, Q, Subquery
from django.db.models import F as Field
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from members.models import Organisation, Region, querystring_without_page
from members.resources import LenientMultipleChoiceField
from trainings import next_session
from trainings.models import (
    Audience,
    Language,
    SessionFormat,
    SessionStatus,
    Theme,
    TrainingPage,
    TrainingSession,
)

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
SESSION_CARD_FIELDS = [
    "start",
    "end",
    "format",
    "venue",
    "city",
    "region",
    "capacity",
    "waiting_list",
    "status",
]
MAX_SEARCH_HITS = 1000


def filter_choices():
    """The theme, audience and organisation choices of the filters, labels in the active
    language: the same for every visitor (the catalogue page keeps them in the shared cache
    while content is unchanged)."""
    organisations = Organisation.objects.filter(active=True).only("pk", "name")
    themes = list(Theme.objects.all())
    return {
        "theme": [(t.slug, t.label) for t in themes],
        "theme_labels": {t.pk: t.label for t in themes},  # what the cards show
        "audience": [(a.slug, a.label) for a in Audience.objects.all()],
        "provider": [(o.pk, o.name) for o in organisations],
    }


class FilterForm(forms.Form):
    PERIOD_UPCOMING = "upcoming"
    PERIOD_ALL = "all"
    SORT_DATE, SORT_TITLE, SORT_NEWEST, SORT_RELEVANCE = "date", "title", "newest", "relevance"

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    theme = LenientMultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    audience = LenientMultipleChoiceField(
        label=_("Audiences"), required=False, widget=forms.CheckboxSelectMultiple
    )
    format = LenientMultipleChoiceField(
        label=_("Format"),
        required=False,
        choices=SessionFormat.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language"))] + list(Language.choices),
    )
    region = LenientMultipleChoiceField(
        label=_("Region"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    provider = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    free = forms.BooleanField(label=_("Free only"), required=False)
    seats = forms.BooleanField(label=_("With seats left"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period = forms.ChoiceField(
        label=_("Sessions"),
        required=False,
        choices=[
            (PERIOD_UPCOMING, _("Upcoming sessions only")),
            (PERIOD_ALL, _("Also trainings on request")),
        ],
        widget=forms.RadioSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (SORT_DATE, _("Next session")),
            (SORT_TITLE, _("Title")),
            (SORT_NEWEST, _("Newest")),
            (SORT_RELEVANCE, _("Relevance (with a search)")),
        ],
    )

    def __init__(self, data=None, choices=None, **kwargs):
        if data is not None:
            # Shared addresses often carry only a few parameters: show the defaults as chosen.
            data = data.copy()
            data.setdefault("period", self.PERIOD_UPCOMING)
            if not data.get("sort"):
                data["sort"] = self.SORT_RELEVANCE if data.get("q", "").strip() else self.SORT_DATE
        super().__init__(data, **kwargs)
        choices = choices if choices is not None else filter_choices()
        self.fields["theme"].choices = choices["theme"]
        self.fields["audience"].choices = choices["audience"]
        self.fields["provider"].choices = [("", _("All organisations"))] + choices["provider"]
        if not self.is_bound:
            self.initial.update(period=self.PERIOD_UPCOMING, sort=self.SORT_DATE)

    def options(self, name):
        """The choices of field `name` as the catalogue's template writes them: [{value, label,
        id, chosen}], with the ids and the chosen values Django's widget would give. Django
        renders each option through three templates: for the filters' sixty options that was a
        fifth of the catalogue's time."""
        bound = self[name]
        value = bound.value()
        multiple = isinstance(self.fields[name].widget, forms.CheckboxSelectMultiple)
        if value is None:
            value = [] if multiple else [""]
        elif not isinstance(value, (list, tuple)):
            value = [value]
        chosen = {"" if v is None else str(v) for v in value}
        return [
            {
                "value": choice,
                "label": label,
                "id": f"{bound.auto_id}_{number}",
                "chosen": str(choice) in chosen,
            }
            for number, (choice, label) in enumerate(self.fields[name].choices)
        ]

    CHOICE_FIELDS = (
        "theme",
        "audience",
        "format",
        "language",
        "region",
        "provider",
        "period",
        "sort",
    )

    def all_options(self):
        """`options` of every field with choices, for the template."""
        return {name: self.options(name) for name in self.CHOICE_FIELDS}

    def _reasonable_date(self, name):
        value = self.cleaned_data.get(name)
        if value and not (1900 <= value.year <= 2200):
            raise forms.ValidationError(_("Enter a date between 1900 and 2200."))
        return value

    def clean_date_from(self):
        return self._reasonable_date("date_from")

    def clean_date_to(self):
        return self._reasonable_date("date_to")

    def clean_q(self):
        return (self.cleaned_data.get("q") or "")[:MAX_QUERY_LENGTH]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            data["date_from"], data["date_to"] = end, start
        return data

    def criteria(self):
        """The usable values: defaults, then every field that is valid."""
        values = {
            "q": "",
            "theme": [],
            "audience": [],
            "format": [],
            "language": "",
            "region": [],
            "provider": None,
            "free": False,
            "seats": False,
            "date_from": None,
            "date_to": None,
            "period": self.PERIOD_UPCOMING,
            "sort": "",
        }
        if self.is_bound and not self.is_valid():
            pass  # errored fields are missing from cleaned_data: they keep their defaults
        if self.is_bound:
            values.update({k: v for k, v in self.cleaned_data.items() if v not in (None, "")})
        if not values["sort"]:
            values["sort"] = self.SORT_RELEVANCE if values["q"] else self.SORT_DATE
        if values["sort"] == self.SORT_RELEVANCE and not values["q"]:
            values["sort"] = self.SORT_DATE
        return values

    def ignored(self):
        """Human-readable notes about the values that were dropped."""
        notes = []
        if not self.is_bound:
            return notes
        self.is_valid()
        for name, field in self.fields.items():
            rejected = list(getattr(field, "rejected", []))
            if name in self.errors:
                rejected.append(self.data.get(name, ""))
            for value in rejected:
                notes.append({"label": field.label, "value": str(value)[:60]})
        return notes


class AnyOf(Lookup):
    """`lhs = ANY(rhs)`, rhs an array (PostgreSQL), used as an expression in `filter()`."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


class CountedPaginator(Paginator):
    """A paginator told its count: the catalogue counts its results and the trainings on
    request in one query (`CatalogueQuery.counts`) instead of one COUNT each."""

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


class CatalogueQuery:
    """Builds the result list of one catalogue page for one visitor."""

    SESSION_FILTERS = ("format", "region", "date_from", "date_to", "seats")
    # What narrows the sessions a result is listed for and sorted by (the language filter
    # also picks the sessions given in that language).
    SESSION_CRITERIA = SESSION_FILTERS + ("language",)

    def __init__(self, index, form, user=None, request=None):
        self.index = index
        self.form = form
        self.user = user  # who looks (None: anonymous); `request` counts a passed password
        self.request = request
        self.values = form.criteria()
        self.ignored = form.ignored()
        self.now = timezone.now()
        self.search_failed = False

    # -- sessions ---------------------------------------------------------------------------

    def matching_sessions(self):
        """Scheduled sessions that fit every session filter: what a result is listed for, and
        what its card and the "next session" sort show."""
        values = self.values
        sessions = TrainingSession.objects.filter(status=SessionStatus.SCHEDULED)
        if values["period"] == FilterForm.PERIOD_UPCOMING or values["seats"]:
            sessions = sessions.filter(end__gte=self.now)
        if values["format"]:
            sessions = sessions.filter(format__in=values["format"])
        if values["language"]:
            sessions = sessions.filter(language=values["language"])
        if values["region"]:
            sessions = sessions.filter(region__in=values["region"])
        if values["date_from"]:
            sessions = sessions.filter(start__gte=self._local_midnight(values["date_from"]))
        if values["date_to"]:
            day_after = values["date_to"] + datetime.timedelta(days=1)
            sessions = sessions.filter(start__lt=self._local_midnight(day_after))
        if values["seats"]:
            sessions = sessions.with_seats().filter(seats_taken__lt=Field("capacity"))
        return sessions

    @staticmethod
    def _local_midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def requires_session(self):
        values = self.values
        return values["period"] == FilterForm.PERIOD_UPCOMING or any(
            values[name] for name in self.SESSION_FILTERS
        )

    def filters_sessions(self):
        """Whether the sessions are narrowed beyond "scheduled" (and "upcoming"): then the
        sessions themselves are looked at; otherwise the next session kept on the training
        (`trainings.next_session`) answers "upcoming only" and the sort."""
        return any(self.values[name] for name in self.SESSION_CRITERIA)

    # -- trainings --------------------------------------------------------------------------

    def visible_trainings(self):
        return TrainingPage.objects.listed(self.user, self.request).child_of(self.index)

    def conditions(self):
        """The filters on the trainings, as conditions: applied to the list, and counted
        beside the trainings on request in one query."""
        values = self.values
        conditions = []
        if values["theme"]:
            through = TrainingPage.themes.through.objects.filter(theme__slug__in=values["theme"])
            conditions.append(Q(pk__in=through.values("trainingpage_id")))
        if values["audience"]:
            through = TrainingPage.audiences.through.objects.filter(
                audience__slug__in=values["audience"]
            )
            conditions.append(Q(pk__in=through.values("trainingpage_id")))
        if values["provider"]:
            conditions.append(Q(provider_id=values["provider"]))
        if values["free"]:
            conditions.append(Q(price=0))
        if values["language"] == Language.FRENCH:
            conditions.append(Q(offered_in_french=True))
        elif values["language"] == Language.ENGLISH:
            conditions.append(Q(offered_in_english=True))
        if self.filters_sessions():
            if self.requires_session():
                # IN, not a correlated EXISTS: in the list both become a semi-join, but in the
                # count (a FILTER clause) this subquery runs once, not once per training.
                # Through the pages' ids: Django would join the sessions to their trainings too.
                pages = Page.objects.filter(pk__in=self.matching_sessions().values("page_id"))
                conditions.append(Q(translation_key__in=pages.values("translation_key")))
        elif values["period"] == FilterForm.PERIOD_UPCOMING:
            conditions.append(next_session.has_upcoming_session(self.now))
        return conditions

    def next_start(self):
        """The sort key of "next session": the next upcoming session that matches the filters;
        trainings on request (none) come last."""
        if not self.filters_sessions():
            return next_session.next_session_start(self.now)
        sessions = self.matching_sessions().filter(
            page__translation_key=OuterRef("translation_key"), end__gte=self.now
        )
        return Subquery(sessions.order_by("start").values("start")[:1])

    @cached_property
    def filtered(self):
        return self.visible_trainings().filter(*self.conditions())

    @cached_property
    def ranking(self):
        """With a search: the ids of the matching trainings that pass the filters, best first
        (at most MAX_SEARCH_HITS); None without a search."""
        if not self.values["q"]:
            return None
        return self.search_ranking(self.values["q"], self.filtered)

    def results(self):
        """The ids of the trainings of the list, in order: a queryset (paged by the database),
        or, sorted by relevance, the list the search ranked."""
        values = self.values
        trainings = self.filtered
        if self.ranking is not None:
            if values["sort"] == FilterForm.SORT_RELEVANCE:
                return self.ranking
            # The ranked ids already passed the filters: only their order is left to find.
            trainings = TrainingPage.objects.filter(pk__in=self.ranking)
        if values["sort"] == FilterForm.SORT_TITLE:
            trainings = trainings.order_by("title", "pk")
        elif values["sort"] == FilterForm.SORT_NEWEST:
            trainings = trainings.order_by("-first_published_at", "pk")
        else:
            trainings = trainings.annotate(next_start=self.next_start()).order_by(
                Field("next_start").asc(nulls_last=True), "title", "pk"
            )
        return trainings.values_list("pk", flat=True)

    def search_ranking(self, query, trainings=None):
        """Ids of the trainings (by default every live one of the catalogue) that match the
        search, best first: ids only, never the pages (database search backend)."""
        if trainings is None:
            trainings = TrainingPage.objects.live().child_of(self.index)
        try:
            return list(self.search_queryset(query, trainings))
        except (DatabaseError, ValueError) as error:  # odd syntax the backend cannot parse
            logger.info("Catalogue search failed for %r: %s", query, error)
            self.search_failed = True
            return []

    @staticmethod
    def search_queryset(query, trainings):
        """The search query itself: the ids of `trainings` that match, best first, at most
        MAX_SEARCH_HITS. The backend filters only on indexed fields, so the trainings go in
        by their ids (a subquery): only those that pass the filters are ranked."""
        ids = trainings.values("pk").order_by()
        if connection.vendor == "postgresql":
            # `= ANY(ARRAY(…))`: PostgreSQL computes the filtered ids first, then looks up
            # their index entries one by one. Given `IN (…)`, it read every entry matching a
            # common word and hash-joined them: 22 ms against 9 at 5,000 trainings. A rare
            # word still goes through the full-text index.
            within = TrainingPage.objects.filter(AnyOf(Field("pk"), ArraySubquery(ids)))
        else:
            within = TrainingPage.objects.filter(pk__in=ids)
        hits = within.search(query, operator="and")[:MAX_SEARCH_HITS]
        return hits.get_queryset().values_list("pk", flat=True)

    @cached_property
    def counts(self):
        """The number of results and of the trainings the default view leaves out for having
        no upcoming session (offered on request): one COUNT, of both together, or, with a
        search (its ranked list is counted in Python), of the trainings on request alone."""
        upcoming_only = self.values["period"] == FilterForm.PERIOD_UPCOMING
        visible = self.visible_trainings()
        if self.ranking is not None:
            on_request = next_session.lacks_upcoming_session(self.now)
            return {
                "results": len(self.ranking),
                "on_request": visible.filter(on_request).count() if upcoming_only else 0,
            }
        conditions = self.conditions()
        counting = {"results": Count("pk", filter=Q(*conditions)) if conditions else Count("pk")}
        if upcoming_only:
            on_request = next_session.lacks_upcoming_session(self.now)
            counting["on_request"] = Count("pk", filter=on_request)
        return {"on_request": 0, **visible.aggregate(**counting)}

    def paginator(self, per_page):
        return CountedPaginator(
            self.results(), per_page, self.counts["results"], allow_empty_first_page=True
        )

    def page_of_results(self, number, per_page):
        """{ids, number, count, on_request, search_failed}: what one page of results needs
        from the database, small enough to keep (see CatalogueIndexPage.results)."""
        paginator = self.paginator(per_page)
        page = paginator.get_page(number)
        ids = list(page.object_list)
        return {
            "ids": ids,
            "sessions": self.shown_sessions(ids),
            "number": page.number,
            "count": paginator.count,
            "on_request": self.on_request_count(),
            "search_failed": self.search_failed,
        }

    def shown_sessions(self, ids):
        """{training id: id of the session its card shows, or None}: the next session that
        matches the filters, the one the "next session" sort used. A card is kept per
        session shown (not per filters), so the filters' endless combinations share them."""
        if not ids:
            return {}
        keys = dict(TrainingPage.objects.filter(pk__in=ids).values_list("translation_key", "pk"))
        upcoming = (
            self.matching_sessions()
            .filter(end__gte=self.now, page__translation_key__in=list(keys))
            .order_by("start", "pk")
            .values_list("page__translation_key", "pk")
        )
        shown = dict.fromkeys(ids)
        for key, session_id in upcoming:
            if shown[keys[key]] is None:
                shown[keys[key]] = session_id
        return shown

    def results_change_at(self):
        """The next moment the results would change by themselves: when a scheduled session
        ends (what counts as upcoming, the sort by next session and the on-request count all
        compare the sessions' end with now)."""
        sessions = TrainingSession.objects.filter(status=SessionStatus.SCHEDULED)
        return sessions.filter(end__gte=self.now).aggregate(moment=Min("end"))["moment"]

    def on_request_count(self):
        """How many trainings without an upcoming session the default view leaves out."""
        return self.counts["on_request"]

    # -- cards ------------------------------------------------------------------------------

    def cards(self, shown, request=None, theme_labels=None):
        """The cards of a page of results, each one's HTML; `shown` is {training id: id of
        the session its card shows, or None}, in order (`shown_sessions`). A card is the same
        for every visitor who may see its training: kept in the shared cache per training,
        session shown, language and site (`request.fragment_list`, given by the home page
        that routed the catalogue) until content or the training's seats change, or its
        session ends. The missing ones are built in a fixed number of queries."""
        if not shown:
            return []
        # The links are relative within the request's site, absolute to another: the card
        # depends on the site, not on the Host header (whose port anyone can vary).
        site = Site.find_for_request(request) if request is not None else None
        site_id = site.pk if site is not None else None
        language = translation.get_language()
        make = getattr(request, "fragment_list", None)
        if not settings.CATALOGUE_SHARED_CARDS:
            make = None
        kept = make("catalogue-card") if make is not None else None
        wanted = {pk: (pk, session, language, site_id) for pk, session in shown.items()}
        html = kept.current(wanted) if kept is not None else {}
        missing = {pk: session for pk, session in shown.items() if pk not in html}
        if missing:
            html.update(self.build_cards(missing, request, kept, theme_labels))
            if kept is not None:
                kept.save()
        return [html[pk] for pk in shown if pk in html]

    def build_cards(self, shown, request, kept, theme_labels=None):
        ids = list(shown)
        pages = TrainingPage.objects.filter(pk__in=ids).select_related("provider", "locale")
        pages = {p.pk: p for p in pages.defer_streamfields()}  # a card shows no description
        if kept is not None:
            kept.watch([page.translation_key for page in pages.values()])  # before the seats
        themes = self.card_themes(ids, theme_labels)
        session_ids = [session for session in shown.values() if session is not None]
        sessions = TrainingSession.objects.filter(pk__in=session_ids).with_seats()
        sessions = {s.pk: s for s in sessions.only(*SESSION_CARD_FIELDS)} if session_ids else {}
        template = get_template("catalogue/includes/card.html")
        html = {}
        for pk in ids:
            page = pages.get(pk)
            if page is None:  # deleted since the results were read: no card, no error
                continue
            session = sessions.get(shown[pk])
            if shown[pk] is not None and session is None:
                continue  # its session deleted meanwhile: the next request has new results
            card = {
                "page": page,
                "url": page.get_url(request),
                "themes": themes.get(pk, []),
                "session": session,
            }
            html[pk] = template.render({"card": card})
            if kept is not None:
                until = session.end if session is not None else None
                kept.keep(pk, html[pk], until, page.translation_key)
        return html

    @staticmethod
    def card_themes(ids, theme_labels=None):
        """{training id: [theme label, ...]} in the themes' order; `theme_labels` ({theme id:
        label}, in order) come with the filters' choices, kept for every visitor."""
        if theme_labels is None:
            theme_labels = filter_choices()["theme_labels"]
        position = {theme_id: number for number, theme_id in enumerate(theme_labels)}
        links = TrainingPage.themes.through.objects.filter(trainingpage_id__in=ids)
        found = {}
        for training_id, theme_id in links.values_list("trainingpage_id", "theme_id"):
            if theme_id in theme_labels:
                found.setdefault(training_id, []).append(theme_id)
        return {
            training_id: [theme_labels[t] for t in sorted(chosen, key=position.__getitem__)]
            for training_id, chosen in found.items()
        }

    # -- addresses --------------------------------------------------------------------------

    @property
    def active_filters(self):
        values = self.values
        return (
            any(
                values[name]
                for name in (
                    "q",
                    "theme",
                    "audience",
                    "format",
                    "language",
                    "region",
                    "provider",
                    "free",
                    "seats",
                    "date_from",
                    "date_to",
                )
            )
            or values["period"] != FilterForm.PERIOD_UPCOMING
        )

    querystring_without_page = staticmethod(querystring_without_page)
