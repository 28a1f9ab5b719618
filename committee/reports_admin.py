"""The training report in the admin (Reports › Training report): a period, the key figures, a
chart and its table for each breakdown, and the same figures as CSV and XLSX.

The charts are drawn here, on the server, as SVG (no script, nothing from another host); the
table under each chart is the accessible source of its numbers. Every number comes from
committee.reports, already protected (small counts shown "< 5"): the view never touches a
raw count of people.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.permission_policies import ModelPermissionPolicy

from trainings.dates import local_zone
from trainings.models import TrainingPage
from trainings.spreadsheets import FrenchExcelCSVMixin, spreadsheet_safe

from . import reports
from .roles import REPORTS_PERMISSION


class ReportsPermissionPolicy(ModelPermissionPolicy):
    """Who may run the report: those given `trainings.view_reports` (the training committee,
    committee/roles.py); seeing enrolments is a different right."""

    def _get_permission_name(self, action):
        if action == "view_reports":
            return REPORTS_PERMISSION
        return super()._get_permission_name(action)


permission_policy = ReportsPermissionPolicy(TrainingPage)
PERMISSION = "view_reports"

# -- The period ------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as YYYY-MM-DD in any language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To (included)"), widget=DateInput)
    measure = forms.ChoiceField(
        label=_("The charts show"),
        choices=[(key, reports.MEASURE_LABELS[key]) for key in reports.CHARTED],
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            return data
        if start > end:
            raise forms.ValidationError(
                _("The period must start on or before its last day."), code="order"
            )
        if start < reports.EARLIEST:
            raise forms.ValidationError(
                _("The period cannot start before %(day)s."),
                code="early",
                params={"day": reports.EARLIEST.isoformat()},
            )
        if end > reports.LATEST:
            raise forms.ValidationError(
                _("The period cannot end after %(day)s."),
                code="late",
                params={"day": reports.LATEST.isoformat()},
            )
        if (end - start).days + 1 > reports.MAX_DAYS:
            raise forms.ValidationError(_("The period can cover three years at most."), code="long")
        data["measure"] = data.get("measure") or reports.CHARTED[0]
        return data

    @property
    def period(self):
        return reports.Period(self.cleaned_data["start"], self.cleaned_data["end"])


def presets(today):
    """Ready-made periods, as (label, period): the last twelve months comes first (the
    default), then last calendar year, then this year so far."""
    return [
        (gettext("The last 12 months"), reports.Period.default(today)),
        (
            gettext("Year %(year)s") % {"year": today.year - 1},
            reports.Period.calendar_year(today.year - 1),
        ),
        (
            gettext("%(year)s so far") % {"year": today.year},
            reports.Period(datetime.date(today.year, 1, 1), today),
        ),
    ]


# -- Charts ----------------------------------------------------------------------------------

# In SVG units; the chart is drawn at most 28rem wide (reports.css), so a unit is about a pixel
# on a computer and the text stays legible on a phone.
CHART_WIDTH = 400
FONT_SIZE = 16
LABEL_CHARS = 44  # a label longer than this is cut with "…" (the table has it whole)
BAR_LEFT = 2
BAR_MAX = 300  # the longest bar; its value is written after it
BAR_HEIGHT = 18
ROW_HEIGHT = 50
HIDDEN_WIDTH = 18  # a hidden number is a short hatched mark, whatever its value


def bar_chart(breakdown, measure):
    """The geometry of one horizontal bar chart, for templates/committee/reports/chart.html:
    one bar per row of the breakdown, its label above it and its value after it. A hidden
    number ("< 5", "≥ 5") is drawn as a hatched mark of fixed length, so that its length
    does not give it away."""
    chart_id = f"chart-{breakdown.key}"
    shown = [
        row.cells[measure].value
        for row in breakdown.rows
        if not row.cells[measure].hidden and row.cells[measure].value
    ]
    largest = max(shown, default=0)
    bars = []
    for position, row in enumerate(breakdown.rows):
        cell = row.cells[measure]
        top = position * ROW_HEIGHT
        if cell.hidden:
            width = HIDDEN_WIDTH
        elif largest:
            width = round(BAR_MAX * cell.value / largest, 1)
        else:
            width = 0
        bars.append(
            {
                "label": Truncator(row.label).chars(LABEL_CHARS),
                "text": cell.text,
                "hidden": bool(cell.hidden),
                "drawn": width > 0,
                "label_y": top + 17,
                "bar_y": top + 24,
                # Written as SVG numbers ("12.5"), never in the language's format ("12,5").
                "width": f"{width:g}",
                "value_x": f"{BAR_LEFT + width + 6:g}",
                "value_y": top + 24 + BAR_HEIGHT - 4,
            }
        )
    measure_label = reports.MEASURE_LABELS[measure]
    return {
        "id": chart_id,
        "title": gettext("%(measure)s, %(breakdown)s")
        % {"measure": measure_label, "breakdown": breakdown.title.lower()},
        "description": gettext(
            "Horizontal bar chart, one bar per row of the table that follows, which gives the "
            "figures. Hidden numbers (“< 5”, “≥ 5”) are drawn as a short hatched mark."
        ),
        "width": CHART_WIDTH,
        "height": max(len(bars), 1) * ROW_HEIGHT + 4,
        "bar_left": BAR_LEFT,
        "bar_height": BAR_HEIGHT,
        "font_size": FONT_SIZE,
        "bars": bars,
        "has_hidden": any(bar["hidden"] for bar in bars),
    }


# -- The view --------------------------------------------------------------------------------


class ReportView(
    FrenchExcelCSVMixin,
    SpreadsheetExportMixin,
    PermissionCheckedMixin,
    WagtailAdminTemplateMixin,
    TemplateView,
):
    """GET only: the period is in the address, so a report can be bookmarked and shared."""

    permission_policy = permission_policy
    permission_required = PERMISSION
    template_name = "committee/reports/index.html"
    page_title = gettext_lazy("Training report")
    header_icon = "table"
    list_export = ["breakdown", "label", *(key for key, _label in reports.MEASURES)]

    @cached_property
    def export_headings(self):
        headings = {
            "breakdown": gettext("Breakdown"),
            "label": gettext("Category"),
            **{key: str(label) for key, label in reports.MEASURES},
        }
        headings["rate"] = gettext("Attendance rate (%)")
        return headings

    @cached_property
    def today(self):
        return timezone.localdate(timezone=local_zone())

    @cached_property
    def form(self):
        if "start" in self.request.GET or "end" in self.request.GET:
            return PeriodForm(self.request.GET)
        default = reports.Period.default(self.today)
        return PeriodForm(
            {
                "start": default.start,
                "end": default.end,
                "measure": self.request.GET.get("measure", reports.CHARTED[0]),
            }
        )

    @cached_property
    def report(self):
        if not self.form.is_valid():
            return None
        return reports.compute(self.form.period)

    @cached_property
    def show_export_buttons(self):
        return self.report is not None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": "", "label": gettext("Reports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_filename(self):
        """e.g. bilan-des-formations-2025-06-16-2026-06-15 (in the admin's language)."""
        period = self.report.period
        name = slugify(gettext("Training report"))
        return f"{name}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}"

    def get(self, request, *args, **kwargs):
        if self.is_export and self.report is not None:
            return self.as_spreadsheet(self.export_rows(), request.GET.get("export"))
        # An invalid period: the form with its errors, and nothing else.
        return self.render_to_response(self.get_context_data(**kwargs))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        measure = self.form.data.get("measure")
        context["presets"] = [
            {
                "label": label,
                "query": urlencode(
                    {
                        "start": period.start.isoformat(),
                        "end": period.end.isoformat(),
                        **({"measure": measure} if measure in reports.CHARTED else {}),
                    }
                ),
            }
            for label, period in presets(self.today)
        ]
        report = self.report
        context["report"] = report
        if report is not None:
            measure = self.form.cleaned_data["measure"]
            context["measure_label"] = reports.MEASURE_LABELS[measure]
            context["sections"] = [
                {"breakdown": breakdown, "chart": bar_chart(breakdown, measure)}
                for breakdown in report.breakdowns
            ]
            context["columns"] = reports.MEASURES
            context["definitions"] = DEFINITIONS
        return context

    # -- Exports -----------------------------------------------------------------------------

    def export_rows(self):
        return [
            {
                "breakdown": title,
                "label": row.label,
                **{key: row.cells[key].export for key, _label in reports.MEASURES},
            }
            for title, row in self.report.rows_for_export()
        ]

    def to_row_dict(self, item):
        return {field: spreadsheet_safe(item[field]) for field in self.list_export}

    def write_xlsx(self, queryset, output):
        """One sheet of figures, and one that says the period and what the figures mean."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=gettext("Figures"))
        sheet.append([self.export_headings[field] for field in self.list_export])
        for item in queryset:
            row = []
            for value in self.to_row_dict(item).values():
                cell = WriteOnlyCell(sheet, value)
                if cell.data_type == "f":  # never a formula
                    cell.data_type = "s"
                row.append(cell)
            sheet.append(row)
        notes = workbook.create_sheet(title=gettext("Notes"))
        for line in self.notes():
            cell = WriteOnlyCell(notes, spreadsheet_safe(line))
            if cell.data_type == "f":
                cell.data_type = "s"
            notes.append([cell])
        workbook.save(output)

    def notes(self):
        period = self.report.period
        return [
            gettext("Training report, %(start)s to %(end)s (both included, Montréal time).")
            % {"start": period.start.isoformat(), "end": period.end.isoformat()},
            *(str(line) for line in DEFINITIONS),
        ]


DEFINITIONS = [
    _("Sessions held: sessions that start in the period, are not cancelled and have started."),
    _(
        "Trainings given: trainings with at least one session held (its language versions "
        "count once)."
    ),
    _("Enrolments: confirmed enrolments in the sessions held."),
    _(
        "Attendance rate: days marked present out of days marked, for the enrolments whose "
        "attendance was marked; not given (—) when fewer than five people were marked."
    ),
    _(
        "People reached: distinct people with a confirmed enrolment who were marked present at "
        "least one day, or whose attendance was not marked (counted as there)."
    ),
    _(
        "< 5: a number of people from 1 to 4, hidden. ≥ 5: a number hidden so that a small one "
        "cannot be found by subtracting the others from the total."
    ),
    _(
        "Not protected: the difference between two reports over overlapping periods, and the "
        "theme and audience tables against each other."
    ),
]


report_view = ReportView.as_view()


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("rapports/formations/", report_view, name="committee_training_report")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_permission(request.user, PERMISSION)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("Training report"),
        reverse("committee_training_report"),
        name="training-report",
        icon_name="table",
        order=100,
    )
