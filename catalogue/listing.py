"""The catalogue's search, filters and sort: a lenient form and the query it builds.

Bad input never raises: an unknown value is dropped and reported in `ignored`, so the page
still answers with the filters that made sense.
"""

import datetime
import logging
from urllib.parse import urlencode

from django import forms
from django.db import DatabaseError
from django.db.models import Exists, OuterRef, Subquery
from django.db.models import F as Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, Region
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
    "page__translation_key",
]
MAX_SEARCH_HITS = 1000


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the valid choices and remembers the others instead of failing the whole field."""

    def clean(self, value):
        values = self.to_python(value)
        self.rejected = [v for v in values if not self.valid_value(v)]
        return [v for v in values if self.valid_value(v)]


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

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # Shared addresses often carry only a few parameters: show the defaults as chosen.
            data = data.copy()
            data.setdefault("period", self.PERIOD_UPCOMING)
            if not data.get("sort"):
                data["sort"] = self.SORT_RELEVANCE if data.get("q", "").strip() else self.SORT_DATE
        super().__init__(data, **kwargs)
        self.fields["theme"].choices = [(t.slug, t.label) for t in Theme.objects.all()]
        self.fields["audience"].choices = [(a.slug, a.label) for a in Audience.objects.all()]
        self.fields["provider"].choices = [("", _("All organisations"))] + [
            (o.pk, o.name) for o in Organisation.objects.filter(active=True).only("pk", "name")
        ]
        if not self.is_bound:
            self.initial.update(period=self.PERIOD_UPCOMING, sort=self.SORT_DATE)

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


class CatalogueQuery:
    """Builds the result list of one catalogue page for one visitor."""

    SESSION_FILTERS = ("format", "region", "date_from", "date_to", "seats")

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

    # -- trainings --------------------------------------------------------------------------

    def visible_trainings(self):
        return TrainingPage.objects.listed(self.user, self.request).child_of(self.index)

    def results(self):
        """A queryset of trainings, or, sorted by relevance, the list of their ids."""
        values = self.values
        trainings = self.visible_trainings()
        if values["theme"]:
            through = TrainingPage.themes.through.objects.filter(theme__slug__in=values["theme"])
            trainings = trainings.filter(pk__in=through.values("trainingpage_id"))
        if values["audience"]:
            through = TrainingPage.audiences.through.objects.filter(
                audience__slug__in=values["audience"]
            )
            trainings = trainings.filter(pk__in=through.values("trainingpage_id"))
        if values["provider"]:
            trainings = trainings.filter(provider_id=values["provider"])
        if values["free"]:
            trainings = trainings.filter(price=0)
        if values["language"] == Language.FRENCH:
            trainings = trainings.filter(offered_in_french=True)
        elif values["language"] == Language.ENGLISH:
            trainings = trainings.filter(offered_in_english=True)

        sessions = self.matching_sessions().filter(
            page__translation_key=OuterRef("translation_key")
        )
        if self.requires_session():
            trainings = trainings.filter(Exists(sessions))
        # "Next session" sorts on upcoming sessions only: trainings on request come last.
        upcoming = sessions.filter(end__gte=self.now).order_by("start").values("start")[:1]
        trainings = trainings.annotate(next_start=Subquery(upcoming))

        ranking = None
        if values["q"]:
            ranking = self.search_ranking(values["q"])
            trainings = trainings.filter(pk__in=ranking)

        if values["sort"] == FilterForm.SORT_RELEVANCE and ranking:
            # Ordered in Python: one query for the allowed ids, no CASE over hundreds of ids.
            allowed = set(trainings.values_list("pk", flat=True))
            return [pk for pk in ranking if pk in allowed]
        if values["sort"] == FilterForm.SORT_TITLE:
            return trainings.order_by("title", "pk")
        if values["sort"] == FilterForm.SORT_NEWEST:
            return trainings.order_by("-first_published_at", "pk")
        return trainings.order_by(Field("next_start").asc(nulls_last=True), "title", "pk")

    def search_ranking(self, query):
        """Page ids that match the search, best first (database search backend)."""
        try:
            # Only indexed fields can filter a search: visibility is applied by the caller.
            in_catalogue = TrainingPage.objects.live().child_of(self.index)
            hits = in_catalogue.search(query, operator="and")[:MAX_SEARCH_HITS]
            return [hit.pk for hit in hits]
        except (DatabaseError, ValueError) as error:  # odd syntax the backend cannot parse
            logger.info("Catalogue search failed for %r: %s", query, error)
            self.search_failed = True
            return []

    def on_request_count(self):
        """How many trainings without an upcoming session the default view leaves out."""
        if self.values["period"] != FilterForm.PERIOD_UPCOMING:
            return 0
        upcoming = TrainingSession.objects.upcoming().filter(
            page__translation_key=OuterRef("translation_key")
        )
        return self.visible_trainings().exclude(Exists(upcoming)).count()

    # -- cards ------------------------------------------------------------------------------

    def cards(self, trainings, request=None):
        """The page of results with what each card shows, in a fixed number of queries."""
        ids = [getattr(training, "pk", training) for training in trainings]
        if not ids:
            return []
        pages = TrainingPage.objects.filter(pk__in=ids).select_related("provider", "locale")
        pages = {p.pk: p for p in pages.prefetch_related("themes")}
        next_sessions = {}
        keys = [page.translation_key for page in pages.values()]
        # The next session *that matches the filters*, the one the "next session" sort used.
        upcoming = self.matching_sessions().filter(end__gte=self.now)
        if not self.values["seats"]:  # the seats filter has already annotated the count
            upcoming = upcoming.with_seats()
        upcoming = (
            upcoming.filter(page__translation_key__in=keys)
            .select_related("page")
            .only(*SESSION_CARD_FIELDS)
            .order_by("start")
        )
        for session in upcoming:
            next_sessions.setdefault(session.page.translation_key, session)
        cards = []
        for pk in ids:
            page = pages[pk]
            cards.append(
                {
                    "page": page,
                    "url": page.get_url(request),
                    "themes": [theme.label for theme in page.themes.all()],
                    "session": next_sessions.get(page.translation_key),
                }
            )
        return cards

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

    @staticmethod
    def querystring_without_page(query_dict):
        pairs = [
            (key, value) for key, values in query_dict.lists() if key != "page" for value in values
        ]
        return urlencode(pairs)
