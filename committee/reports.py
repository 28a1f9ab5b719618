"""The training committee's report for the annual report and funders: numbers only, never a
name, an e-mail or an answer. Computed by a fixed number of aggregate queries (one for the
totals, one per breakdown), whatever the number of trainings, sessions or people.

Definitions (the screen and the exported workbook repeat them):

- **Period**: from one day to another, both included, on Montréal's calendar.
- **Session held**: a session that starts within the period, is not cancelled and has started.
- **Trainings given**: distinct trainings with at least one session held (the language
  versions of a training share its sessions and count once).
- **Enrolments**: confirmed enrolments in the sessions held (waiting, offered and cancelled ones
  are not counted; an enrolment anonymised since still counts).
- **Attendance rate**: days marked present ÷ days marked (one mark per person and day of the
  session), over the confirmed enrolments whose attendance was marked. Unmarked enrolments are
  left out of the rate rather than counted absent. Not given when fewer than five people's
  attendance was marked (it would tell about fewer than five people), nor in a row where a count
  is hidden (the ratio would give the count back).
- **People reached**: distinct people with a confirmed enrolment in a session held who were
  marked present at least one day, or whose attendance was not marked at all (counted as
  there: the committee marks absences, not every presence). A person who came to two
  trainings counts once; an anonymised enrolment counts as one person.

Breakdowns: by theme and by audience (a training with two themes counts under both, so these
rows do not add up to the total), by provider organisation, by the provider's sector, and by
the session's region (online sessions under "Online"; hybrid ones under their region).

Small numbers: a count of people (enrolments, people reached) from 1 to 4 is shown as "< 5";
zero stays 0. Trainings and sessions are not counts of people (the public catalogue lists
them) and are shown as they are. So that no hidden number can be found by subtracting the
others from a total, a column of a breakdown never has exactly one hidden cell: when it would,
the next smallest non-zero cell is hidden too and shown as "≥ 5" (rows are ordered by name,
never by value, so the order gives nothing away). Providers are also protected within their
sector, since the sector table adds them up. What remains (accepted, and said on the screen):
differences between two reports over overlapping periods, and the theme and audience tables,
which overlap, are not protected against each other.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import Region, Sector, in_active_language
from trainings.dates import at_local, local_zone
from trainings.models import EnrolmentStatus, SessionFormat, SessionStatus, TrainingSession

# Counts from 1 to SMALL_LIMIT - 1 are hidden; the attendance rate needs SMALL_LIMIT people marked.
SMALL_LIMIT = 5
# The longest period a report covers (three years, a leap day included).
MAX_DAYS = 3 * 366
EARLIEST = datetime.date(2000, 1, 1)
# Far enough for planned sessions; a day near the calendar's end would overflow when the period
# is turned into moments.
LATEST = datetime.date(2100, 12, 31)

SMALL = "small"  # shown "< 5"
COMPLEMENT = "complement"  # shown "≥ 5": hidden so that a small one cannot be deduced
NOT_COMPUTED = "not_computed"  # a rate over too few marks

ONLINE = "online"

MEASURES = [
    ("trainings", _("Trainings given")),
    ("sessions", _("Sessions held")),
    ("enrolments", _("Enrolments")),
    ("rate", _("Attendance rate")),
    ("people", _("People reached")),
]
MEASURE_LABELS = dict(MEASURES)
# Counts of people: the small ones are hidden.
PROTECTED = ("enrolments", "people")
# What a chart may show (the rate is a ratio, not a bar of the same scale).
CHARTED = ("people", "enrolments", "sessions", "trainings")


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included, days on Montréal's calendar."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, today=None):
        """The last twelve months, today included: the demo year, and a year's report."""
        today = today or timezone.localdate(timezone=local_zone())
        return cls(one_year_before(today) + datetime.timedelta(days=1), today)

    @classmethod
    def calendar_year(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def bounds(self):
        """The first moment of `start` and the first moment after `end`, in Montréal."""
        return (
            at_local(self.start, datetime.time.min),
            at_local(self.end + datetime.timedelta(days=1), datetime.time.min),
        )


def one_year_before(day):
    """The same day a year earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass
class Figures:
    """The raw numbers of one row (never shown as they are: see `Row.cells`)."""

    trainings: int = 0
    sessions: int = 0
    enrolments: int = 0
    marked: int = 0
    marks: int = 0
    present: int = 0
    people: int = 0

    @classmethod
    def from_row(cls, row):
        return cls(
            trainings=row["n_trainings"],
            sessions=row["n_sessions"],
            enrolments=row["n_enrolments"],
            marked=row["n_marked"],
            marks=row["n_marks"],
            present=row["n_present"],
            # Anonymised enrolments have no person left to count: one each.
            people=row["n_people"] + row["n_anonymous"],
        )

    @property
    def rate(self):
        """Percentage of the days marked that were marked present; None when fewer than five
        people's attendance was marked."""
        if self.marked < SMALL_LIMIT or not self.marks:
            return None
        return 100 * self.present / self.marks


@dataclass
class Cell:
    """One figure as the report gives it: `value` (None when hidden) and why it is hidden."""

    value: float | int | None
    hidden: str = ""

    @property
    def text(self):
        """The figure for the screen, in the active language."""
        if self.hidden == SMALL:
            return "< 5"
        if self.hidden == COMPLEMENT:
            return "≥ 5"
        if self.hidden == NOT_COMPUTED:
            return "—"
        if isinstance(self.value, float):
            return gettext("%(rate)s%%") % {"rate": number_format(round(self.value))}
        return number_format(self.value, force_grouping=True)

    @property
    def export(self):
        """The figure for a spreadsheet: a number when shown, the screen's text otherwise."""
        if self.hidden:
            return self.text
        if isinstance(self.value, float):
            return round(self.value, 1)
        return self.value


@dataclass
class Row:
    key: str
    label: str
    figures: Figures
    # Rows of the same group (a provider's sector) are protected together too.
    group: str = ""
    cells: dict = field(default_factory=dict)

    @property
    def ordered_cells(self):
        """The cells in the columns' order (MEASURES)."""
        return [self.cells[key] for key, _label in MEASURES]


@dataclass
class Breakdown:
    key: str
    title: str
    heading: str  # the first column's heading
    rows: list
    note: str = ""


@dataclass
class Report:
    period: Period
    total: Row
    breakdowns: list

    def rows_for_export(self):
        """(breakdown title, row) pairs: the total first, then every breakdown's rows."""
        yield gettext("Total"), self.total
        for breakdown in self.breakdowns:
            for row in breakdown.rows:
                yield breakdown.title, row


# -- Queries -----------------------------------------------------------------------------------


def held_sessions(period, now=None):
    """The sessions held in `period`: starting within it, not cancelled, started by `now`."""
    now = now or timezone.now()
    start, end = period.bounds()
    return (
        TrainingSession.objects.published()
        .filter(status=SessionStatus.SCHEDULED, start__gte=start, start__lt=end, start__lte=now)
        .order_by()
    )


def _measures():
    """The aggregates, over the joins session → enrolments → attendance. Every count is
    distinct, so the rows a join multiplies (themes, days) are counted once."""
    confirmed = Q(enrolments__status=EnrolmentStatus.CONFIRMED)
    # In the LEFT JOIN on attendance, an enrolment's rows are its marks, or one empty row when
    # it has none: a present mark, or no mark at all, makes it reached.
    reached = confirmed & (
        Q(enrolments__attendance__present=True) | Q(enrolments__attendance__isnull=True)
    )
    return {
        "n_trainings": Count("page__translation_key", distinct=True),
        "n_sessions": Count("pk", distinct=True),
        "n_enrolments": Count("enrolments", distinct=True, filter=confirmed),
        "n_marked": Count(
            "enrolments",
            distinct=True,
            filter=confirmed & Q(enrolments__attendance__isnull=False),
        ),
        "n_marks": Count("enrolments__attendance", distinct=True, filter=confirmed),
        "n_present": Count(
            "enrolments__attendance",
            distinct=True,
            filter=confirmed & Q(enrolments__attendance__present=True),
        ),
        "n_people": Count("enrolments__user", distinct=True, filter=reached),
        "n_anonymous": Count(
            "enrolments", distinct=True, filter=reached & Q(enrolments__user__isnull=True)
        ),
    }


def _sort_key(text):
    """Alphabetical, accents ignored (É with E), as a French reader expects."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _by_theme(sessions, relation, none_label):
    prefix = f"page__{relation}__"
    rows = (
        sessions.values(
            key=F(f"{prefix}pk"), name=F(f"{prefix}name"), name_en=F(f"{prefix}name_en")
        )
        .annotate(**_measures())
        .order_by()
    )
    result = [
        Row(
            key=str(row["key"] or ""),
            label=in_active_language(row["name"], row["name_en"]) if row["key"] else none_label,
            figures=Figures.from_row(row),
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: (not row.key, _sort_key(row.label)))


def _by_provider(sessions):
    rows = (
        sessions.values(
            key=F("page__provider_id"),
            name=F("page__provider__name"),
            sector=F("page__provider__sector"),
        )
        .annotate(**_measures())
        .order_by()
    )
    result = [
        Row(
            key=str(row["key"]),
            label=row["name"],
            figures=Figures.from_row(row),
            group=row["sector"],
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: _sort_key(row.label))


def _by_sector(sessions):
    rows = sessions.values(key=F("page__provider__sector")).annotate(**_measures()).order_by()
    order = {value: position for position, value in enumerate(Sector.values)}
    labels = dict(Sector.choices)
    result = [
        Row(
            key=row["key"],
            label=str(labels.get(row["key"], row["key"])),
            figures=Figures.from_row(row),
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: (order.get(row.key, len(order)), row.key))


def _by_region(sessions):
    place = Case(When(format=SessionFormat.ONLINE, then=Value(ONLINE)), default=F("region"))
    rows = sessions.annotate(place=place).values("place").annotate(**_measures()).order_by()
    labels = dict(Region.choices)
    result = []
    for row in rows:
        key = row["place"] or ""
        if key == ONLINE:
            label = gettext("Online")
        elif key in labels:
            label = labels[key]
        else:
            label = gettext("Region not given")
        result.append(Row(key=key, label=label, figures=Figures.from_row(row)))
    # The regions by their official number, then online, then unknown.
    return sorted(result, key=lambda row: (row.key == ONLINE, not row.key, row.key))


def compute(period, now=None):
    """The report for `period`: six queries, whatever the amount of data."""
    sessions = held_sessions(period, now)
    total_row = sessions.aggregate(**_measures())
    total = Row(key="total", label=gettext("All trainings"), figures=Figures.from_row(total_row))
    breakdowns = [
        Breakdown(
            "theme",
            gettext("By theme"),
            gettext("Theme"),
            _by_theme(sessions, "themes", gettext("No theme")),
            note=gettext(
                "A training with several themes counts under each: the rows do not add up "
                "to the total."
            ),
        ),
        Breakdown(
            "audience",
            gettext("By audience"),
            gettext("Audience"),
            _by_theme(sessions, "audiences", gettext("No audience")),
            note=gettext(
                "A training for several audiences counts under each: the rows do not add up "
                "to the total."
            ),
        ),
        Breakdown(
            "provider",
            gettext("By provider organisation"),
            gettext("Organisation"),
            _by_provider(sessions),
        ),
        Breakdown(
            "sector",
            gettext("By sector of the provider"),
            gettext("Sector"),
            _by_sector(sessions),
        ),
        Breakdown(
            "region",
            gettext("By region of the session"),
            gettext("Region"),
            _by_region(sessions),
            note=gettext(
                "Online sessions are counted under “Online”, hybrid ones in their region."
            ),
        ),
    ]
    protect(total, breakdowns)
    return Report(period=period, total=total, breakdowns=breakdowns)


# -- Small numbers -----------------------------------------------------------------------------

# Tables whose rows always add up to the total: each session has one provider, one sector and
# one region. Themes and audiences add up only when no training has two of them.
PARTITIONS = ("provider", "sector", "region")


def protect(total, breakdowns):
    """Fill every row's `cells`, hiding the small counts of people ("< 5") and then as many
    more ("≥ 5") as it takes for no hidden number to be computed from the shown ones.

    The sums a reader can write are the tables that add up to the total (providers, sectors,
    regions; themes or audiences when they happen to) and each sector, which adds up its
    providers. While one of these sums has a single hidden term, directly or once other
    hidden terms have been computed, the smallest shown term of that sum is hidden too."""
    rows = [total] + [row for breakdown in breakdowns for row in breakdown.rows]
    for row in rows:
        figures = row.figures
        row.cells = {
            "trainings": Cell(figures.trainings),
            "sessions": Cell(figures.sessions),
            "enrolments": Cell(figures.enrolments),
            "people": Cell(figures.people),
            "rate": Cell(figures.rate, "" if figures.rate is not None else NOT_COMPUTED),
        }
    for measure in PROTECTED:
        cells = {id(row): row.cells[measure] for row in rows}
        labels = {id(row): row.label for row in rows}
        for cell in cells.values():
            if 0 < cell.value < SMALL_LIMIT:
                cell.hidden = SMALL
        sums = _sums(total, breakdowns, measure)
        while (leak := _first_leak(cells, sums, id(total))) is not None:
            pick = min(leak, key=lambda key: (cells[key].value, _sort_key(labels[key])))
            cells[pick].hidden = COMPLEMENT
    for row in rows:
        for measure in PROTECTED:
            if row.cells[measure].hidden:
                row.cells[measure].value = None
        # A rate is a ratio of counts: beside a hidden count it would give it back (80 % of 5
        # people marked is 4 present).
        if any(row.cells[measure].hidden for measure in PROTECTED):
            row.cells["rate"] = Cell(None, NOT_COMPUTED)


def _sums(total, breakdowns, measure):
    """The sums a reader can write: [(the sum's cell, [its terms' cells])], by id(row)."""
    sums = []
    by_key = {breakdown.key: breakdown for breakdown in breakdowns}
    for breakdown in breakdowns:
        terms = list(breakdown.rows)
        adds_up = sum(row.cells[measure].value for row in terms) == total.cells[measure].value
        if breakdown.key in PARTITIONS or adds_up:
            sums.append((id(total), [id(row) for row in terms]))
    if "sector" in by_key and "provider" in by_key:
        for sector in by_key["sector"].rows:
            providers = [row for row in by_key["provider"].rows if row.group == sector.key]
            sums.append((id(sector), [id(row) for row in providers]))
    return sums


def _first_leak(cells, sums, total_key):
    """The cells that could be hidden to close the first sum through which a hidden cell can
    be computed (its shown non-zero terms, or the sector it adds up to, never the grand
    total); None when no hidden cell can be computed. Hidden cells computed along the way
    count as known for the next sums."""
    known = {key for key, cell in cells.items() if not cell.hidden}
    progress = True
    while progress:
        progress = False
        for lhs, terms in sums:
            unknown = [key for key in [lhs, *terms] if key not in known]
            if len(unknown) != 1:
                continue
            candidates = [
                key
                for key in [*terms, lhs]
                if key != total_key and not cells[key].hidden and cells[key].value > 0
            ]
            if candidates:
                return candidates
            # Nothing left to hide in this sum (its other terms are 0): what it gives is equal
            # to a number already shown, so no small one (a "≥ 5" at most).
            known.add(unknown[0])
            progress = True
    return None
