"""The training report (committee/reports.py, committee/reports_admin.py): the figures on a
known data set, the hiding of small numbers (screen, CSV, XLSX) and of the cells a total would
give away, the period's validation, who may see it, the charts, a query count that does not
grow with the data, and the demo's past year (demo/history.py)."""

import csv
import datetime
import io
import itertools
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from committee import reports
from committee.reports import Breakdown, Figures, Period, Row
from demo import history
from demo.management.commands.generate_catalogue import Command as GenerateCatalogue
from tests import factories as f
from trainings import services
from trainings.models import Attendance, Enrolment, TrainingPage, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_french():
    """The figures are read in French, whatever language an earlier test left active."""
    with translation.override("fr-ca"):
        yield

URL = "/admin/rapports/formations/"
# frozen_now is 2026-06-15: the default period is the twelve months up to that day.
DEFAULT = Period(datetime.date(2025, 6, 16), datetime.date(2026, 6, 15))


# -- A known data set --------------------------------------------------------------------------


def enrol(session, people, status="confirmed"):
    return [Enrolment.objects.create(session=session, user=p, status=status) for p in people]


def mark(enrolment, present_by_day):
    days = services.session_days(enrolment.session)
    for day, present in zip(days, present_by_day, strict=True):
        services.mark_attendance(enrolment, day, present)


@pytest.fixture
def known(frozen_now):
    """Three trainings given in the period, and what must not count.

    - "Repérer" (Le Phare, community, themes Repérage + Droit, audience Police): one session in
      Montréal 30 days ago, 6 confirmed (5 present, 1 absent), 1 waiting, 1 cancelled; a
      cancelled session with a confirmed person; a session 400 days ago (out of the period).
    - "Santé" (CIUSSS, health, theme Repérage): online 60 days ago, 3 confirmed, attendance
      not marked; a session in 10 days with 2 confirmed (not held yet).
    - "Enquêter" (Police, justice, no theme or audience): two days in Estrie 90 days ago,
      7 confirmed: 5 present both days, 1 present the first day only, 1 absent both days.
      One of the 5 was also present at "Repérer": people reached count them once.
    """
    phare = f.organisation("Le Phare", sector="community", region="06")
    ciusss = f.organisation("CIUSSS", sector="health", region="03")
    police = f.organisation("Police", sector="justice", region="05")
    spotting, law = f.theme("Repérage", "Spotting"), f.theme("Droit", "Law")
    officers = f.audience("Policiers", "Police officers")

    spot = f.training(
        title="Repérer",
        provider=phare,
        themes=[spotting, law],
        audiences=[officers],
        sessions=[
            f.session(days=-30, region="06"),
            f.session(days=-20, region="06", status="cancelled"),
            f.session(days=-400, region="06"),
        ],
    )
    health = f.training(
        title="Santé",
        provider=ciusss,
        themes=[spotting],
        sessions=[
            f.session(days=-60, format="online", region="", city=""),
            f.session(days=10, format="online", region="", city=""),
        ],
    )
    investigate = f.training(
        title="Enquêter",
        provider=police,
        sessions=[f.session(days=-90, hours=30, region="05", city="Sherbrooke")],
    )
    people = [f.user() for _ in range(16)]
    old, held, cancelled = spot.sessions.order_by("start")
    confirmed = enrol(held, people[:6])
    for enrolment in confirmed[:5]:
        mark(enrolment, [True])
    mark(confirmed[5], [False])
    enrol(held, people[6:7], status="waiting")
    enrol(held, people[7:8], status="cancelled")
    enrol(cancelled, people[8:9])  # confirmed, in a cancelled session: not held
    enrol(old, people[9:11])

    online_past, online_next = health.sessions.order_by("start")
    enrol(online_past, people[9:12])
    enrol(online_next, people[12:14])

    (two_days,) = investigate.sessions.all()
    group = enrol(two_days, [people[0], *people[12:16], people[7], people[8]])
    for enrolment in group[:5]:
        mark(enrolment, [True, True])
    mark(group[5], [True, False])
    mark(group[6], [False, False])
    return {"phare": phare, "ciusss": ciusss, "police": police}


def cells(row):
    return {key: cell.text for key, cell in row.cells.items()}


def rows_of(report, key):
    breakdown = next(b for b in report.breakdowns if b.key == key)
    return {row.label: cells(row) for row in breakdown.rows}


def test_the_figures_of_a_known_data_set(known):
    report = reports.compute(DEFAULT)
    total = report.total.figures
    assert (total.trainings, total.sessions, total.enrolments) == (3, 3, 16)
    # Marks: 6 at "Repérer" (5 present), 14 at "Enquêter" (11 present); "Santé" not marked.
    assert (total.marked, total.marks, total.present) == (13, 20, 16)
    assert total.rate == 80
    # Reached: 5 present at "Repérer", 3 unmarked at "Santé", 6 at "Enquêter" (one of them
    # also at "Repérer"): 13 people. The absent ones are not reached.
    assert total.people == 13
    assert cells(report.total) == {
        "trainings": "3",
        "sessions": "3",
        "enrolments": "16",
        "rate": "80\u00a0%",
        "people": "13",
    }


def test_breakdowns_of_the_known_data_set(known):
    report = reports.compute(DEFAULT)
    # A training counts under each of its themes; sessions without a theme under "No theme".
    assert rows_of(report, "theme") == {
        "Droit": {
            "trainings": "1",
            "sessions": "1",
            "enrolments": "6",
            "rate": "83\u00a0%",
            "people": "5",
        },
        "Repérage": {
            "trainings": "2",
            "sessions": "2",
            "enrolments": "9",
            "rate": "83\u00a0%",
            "people": "8",
        },
        "Sans thème": {
            "trainings": "1",
            "sessions": "1",
            "enrolments": "7",
            "rate": "79\u00a0%",
            "people": "6",
        },
    }
    assert list(rows_of(report, "audience")) == ["Policiers", "Sans public"]
    # Providers, sectors and regions add up to the total: "Santé"'s 3 people are hidden, and so
    # is the next smallest cell of each column, or 16 - 6 - 7 would give them.
    assert rows_of(report, "provider") == {
        "CIUSSS": {
            "trainings": "1",
            "sessions": "1",
            "enrolments": "< 5",
            "rate": "—",
            "people": "< 5",
        },
        "Le Phare": {
            "trainings": "1",
            "sessions": "1",
            "enrolments": "≥ 5",
            "rate": "—",
            "people": "≥ 5",
        },
        "Police": {
            "trainings": "1",
            "sessions": "1",
            "enrolments": "7",
            "rate": "79\u00a0%",
            "people": "6",
        },
    }
    assert list(rows_of(report, "sector")) == [
        "Organismes communautaires",
        "Services sociaux et de santé",
        "Application de la loi et justice",
    ]
    regions = rows_of(report, "region")
    assert list(regions) == ["Estrie", "Montréal", "En ligne"]
    assert regions["En ligne"]["people"] == "< 5"
    assert regions["Montréal"]["people"] == "≥ 5"


def test_in_english_the_labels_follow(known, settings):
    from django.utils import translation

    with translation.override("en"):
        report = reports.compute(DEFAULT)
        assert list(rows_of(report, "theme")) == ["Law", "Spotting", "No theme"]
        assert cells(report.total)["rate"] == "80%"
        assert list(rows_of(report, "region")) == ["Estrie", "Montréal", "Online"]


def test_a_period_counts_the_sessions_that_start_in_it_on_montreal_days(known):
    # "Enquêter" started 90 days ago at 9:00 in Montréal (13:00 or 14:00 UTC): a period that
    # ends that day includes it, one that starts the next day does not.
    day = timezone.localdate() - datetime.timedelta(days=90)
    assert reports.compute(Period(day, day)).total.figures.sessions == 1
    after = Period(day + datetime.timedelta(days=1), day + datetime.timedelta(days=1))
    assert reports.compute(after).total.figures.sessions == 0
    # A session that has not started is not held, even within the period.
    future = Period(timezone.localdate(), timezone.localdate() + datetime.timedelta(days=30))
    assert reports.compute(future).total.figures.sessions == 0


def test_an_anonymised_enrolment_still_counts_once(known):
    Enrolment.objects.filter(
        session__page__title="Santé", session__start__lt=timezone.now()
    ).update(user=None)
    total = reports.compute(DEFAULT).total.figures
    assert (total.enrolments, total.people) == (16, 13)


def test_the_default_period_is_the_last_twelve_months(frozen_now):
    assert Period.default() == DEFAULT
    assert Period.default(datetime.date(2028, 2, 29)) == Period(
        datetime.date(2027, 3, 1), datetime.date(2028, 2, 29)
    )


# -- Hiding small numbers: no hidden cell can be computed from the shown ones ------------------


def row(label, people, group="", key=None):
    figures = Figures(trainings=1, sessions=1, enrolments=people, people=people)
    return Row(key=key or label, label=label, figures=figures, group=group)


def solutions(report, measure):
    """Every value each hidden cell can take, given the shown cells and the sums a reader
    can write (brute force: < 5 is 1 to 4, ≥ 5 is 5 to the total)."""
    total = getattr(report.total.figures, measure)
    by_key = {b.key: b for b in report.breakdowns}
    rows = [report.total] + [r for b in report.breakdowns for r in b.rows]
    hidden = [r for r in rows if r.cells[measure].hidden]
    ranges = [
        range(1, 5) if r.cells[measure].hidden == reports.SMALL else range(5, total + 1)
        for r in hidden
    ]
    raw = {id(r): getattr(r.figures, measure) for r in rows}
    found = {id(r): set() for r in hidden}
    for values in itertools.product(*ranges):
        guess = dict(raw)
        guess.update({id(r): v for r, v in zip(hidden, values, strict=True)})
        sums_hold = all(
            sum(guess[id(r)] for r in by_key[key].rows) == guess[id(report.total)]
            for key in reports.PARTITIONS
        ) and all(
            sum(guess[id(p)] for p in by_key["provider"].rows if p.group == s.key) == guess[id(s)]
            for s in by_key["sector"].rows
        )
        if sums_hold:
            for r, v in zip(hidden, values, strict=True):
                found[id(r)].add(v)
    return {r.label: found[id(r)] for r in hidden}


def test_a_provider_hidden_alone_in_its_sector_is_not_given_away_by_the_sector_table():
    """Providers P1 (3 people, alone in sector S1), P2 (10, alone in S2), P3 and P4 (20 and 30,
    sector S3). Hiding P1 then P2 in the providers' table is not enough: the sectors' table
    would show S2 = 10 = P2, and the total would then give P1."""
    providers = [
        row("P1", 3, "s1"),
        row("P2", 10, "s2"),
        row("P3", 20, "s3"),
        row("P4", 30, "s3"),
    ]
    sectors = [row("S1", 3, key="s1"), row("S2", 10, key="s2"), row("S3", 50, key="s3")]
    regions = [row("R1", 33), row("R2", 30)]
    total = row("Total", 63)
    breakdowns = [
        Breakdown("provider", "", "", providers),
        Breakdown("sector", "", "", sectors),
        Breakdown("region", "", "", regions),
    ]
    reports.protect(total, breakdowns)
    report = reports.Report(DEFAULT, total, breakdowns)
    shown = {r.label: r.cells["people"].text for b in breakdowns for r in b.rows}
    assert shown == {
        "P1": "< 5",
        "P2": "≥ 5",
        "P3": "20",
        "P4": "30",
        "S1": "< 5",
        "S2": "≥ 5",
        "S3": "50",
        "R1": "33",
        "R2": "30",
    }
    for label, values in solutions(report, "people").items():
        assert len(values) > 1, f"{label} can be computed: {values}"


def test_on_the_known_data_set_no_hidden_number_can_be_computed(known):
    report = reports.compute(DEFAULT)
    # Enrolments add up exactly (a person counts in each session): the strictest case.
    found = solutions(report, "enrolments")
    assert len(found) == 6  # CIUSSS, its sector, online, and one more in each table
    for label, values in found.items():
        assert len(values) > 1, f"{label} can be computed: {values}"


def test_zero_stays_zero_and_four_is_hidden():
    rows = [row("A", 0), row("B", 4), row("C", 9), row("D", 12)]
    total = row("Total", 25)
    reports.protect(total, [Breakdown("region", "", "", rows)])
    assert [r.cells["people"].text for r in rows] == ["0", "< 5", "≥ 5", "12"]
    assert all(r.cells["trainings"].text == "1" for r in rows)  # not counts of people


# -- The admin screen ------------------------------------------------------------------------


@pytest.fixture
def committee(client):
    user = get_user_model().objects.create_superuser("comite", "comite@example.org", "pw")
    client.force_login(user)
    return client


def visible(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_screen_shows_a_chart_and_its_table_for_each_breakdown(committee, known):
    response = committee.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bilan des formations" in html
    for key in ("theme", "audience", "provider", "sector", "region"):
        svg = re.search(
            rf'<svg[^>]*aria-labelledby="chart-{key}-title chart-{key}-desc"[^>]*>', html
        )
        assert svg and 'role="img"' in svg.group(0), key
        assert re.search(rf'<title id="chart-{key}-title">[^<]+</title>', html)
        assert re.search(rf'<desc id="chart-{key}-desc">[^<]+</desc>', html)
    # The key figures, then one table per breakdown.
    assert html.count('<table class="listing cqctp-report__table">') == 6
    assert "<script" not in html.split('class="nice-padding"')[1].split("</main>")[0]
    text = visible(html)
    assert "Personnes jointes, par région de la séance" in text
    assert "Du 16 juin 2025 au 15 juin 2026" in text
    # The hidden numbers, hatched in the chart and written in the table.
    assert 'fill="url(#chart-region-hatch)"' in html
    assert "&lt; 5" in html and "≥ 5" in html
    # Nothing personal: no e-mail address, no name of a person.
    assert "@example.org" not in html.replace("comite@example.org", "")


def test_the_charts_can_show_another_measure(committee, known):
    html = committee.get(URL, {"start": "2025-06-16", "end": "2026-06-15", "measure": "sessions"})
    assert "Séances tenues, par thème" in html.content.decode()


def test_a_hidden_number_gives_no_bar_length(committee, known):
    html = committee.get(URL).content.decode()
    chart = html.split('id="chart-provider-title"')[1].split("</svg>")[0]
    hatched = re.findall(r'width="([\d.]+)" height="18" fill="url', chart)
    assert hatched and set(hatched) == {str(reports_admin().HIDDEN_WIDTH)}


def reports_admin():
    from committee import reports_admin as module

    return module


@pytest.mark.parametrize(
    "params,message",
    [
        ({"start": "2026-06-15", "end": "2026-01-01"}, "La période doit commencer"),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "trois ans au plus"),
        ({"start": "1999-12-31", "end": "2000-06-01"}, "avant le 2000-01-01"),
        ({"start": "2026-13-01", "end": "2026-06-15"}, "Saisissez une date valide"),
        ({"start": "", "end": "2026-06-15"}, "Champ requis"),
        (
            {"start": "2026-01-01", "end": "2026-06-15", "measure": "salaries"},
            "Sélectionnez un choix valide",
        ),
    ],
)
def test_a_bad_period_shows_the_error_and_nothing_else(committee, known, params, message):
    response = committee.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="img"' not in html and "cqctp-report__table" not in html
    # An export of a bad period is the same page, not a file.
    response = committee.get(URL, {**params, "export": "csv"})
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def refused(response):
    """Wagtail's refusal in the admin: back to the dashboard with a message."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_the_report_needs_the_permission_to_view_reports(client, known):
    User = get_user_model()
    editor = User.objects.create_user("redaction", "redaction@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert refused(client.get(URL))
    assert refused(client.get(URL, {"export": "csv"}))
    assert client.get(URL, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    assert "Bilan des formations" not in client.get(reverse("wagtailadmin_home")).content.decode()

    # Seeing enrolments is not enough: the report has its own right (committee/roles.py).
    enrolments = User.objects.create_user("inscriptions", "inscriptions@example.org", "pw")
    enrolments.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_enrolment"])
    )
    client.force_login(enrolments)
    assert refused(client.get(URL))

    committee = User.objects.create_user("comite", "comite@example.org", "pw")
    committee.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_reports"])
    )
    client.force_login(committee)
    assert client.get(URL).status_code == 200
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Bilan des formations" in home and URL in home

    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# -- Exports -----------------------------------------------------------------------------------


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_the_csv_export(committee, known):
    response = committee.get(URL, {"start": "2025-06-16", "end": "2026-06-15", "export": "csv"})
    assert response["Content-Disposition"] == (
        'attachment; filename="bilan-des-formations-2025-06-16-2026-06-15.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == [
        "Ventilation",
        "Catégorie",
        "Formations offertes",
        "Séances tenues",
        "Inscriptions",
        "Taux de présence (%)",
        "Personnes jointes",
    ]
    assert rows[1] == ["Total", "Toutes les formations", "3", "3", "16", "80.0", "13"]
    by_label = {row[1]: row for row in rows[1:]}
    assert by_label["CIUSSS"][2:] == ["1", "1", "< 5", "—", "< 5"]
    assert by_label["Le Phare"][2:] == ["1", "1", "≥ 5", "—", "≥ 5"]
    assert by_label["En ligne"][0] == "Par région de la séance"
    # Numbers only: the rows are the total and one per category of each breakdown.
    assert len(rows) == 1 + 1 + 3 + 2 + 3 + 3 + 3


def test_the_xlsx_export(committee, known):
    response = committee.get(URL, {"start": "2025-06-16", "end": "2026-06-15", "export": "xlsx"})
    assert response["Content-Disposition"].endswith(
        'bilan-des-formations-2025-06-16-2026-06-15.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Chiffres", "Notes"]
    rows = list(workbook["Chiffres"].iter_rows(values_only=True))
    assert rows[1] == ("Total", "Toutes les formations", 3, 3, 16, 80, 13)
    by_label = {row[1]: row for row in rows[1:]}
    assert by_label["CIUSSS"][2:] == (1, 1, "< 5", "—", "< 5")
    notes = [row[0] for row in workbook["Notes"].iter_rows(values_only=True)]
    assert notes[0].startswith("Bilan des formations, du 2025-06-16 au 2026-06-15")
    assert any(note.startswith("< 5 :") for note in notes)


def test_exports_never_carry_a_formula(committee, known):
    known["ciusss"].name = '=HYPERLINK("https://example.org";"clic")'
    known["ciusss"].save()
    params = {"start": "2025-06-16", "end": "2026-06-15"}
    rows = csv_rows(committee.get(URL, {**params, "export": "csv"}))
    assert '\'=HYPERLINK("https://example.org";"clic")' in [row[1] for row in rows]
    response = committee.get(URL, {**params, "export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    for sheet_row in workbook["Chiffres"].iter_rows():
        for cell in sheet_row:
            assert cell.data_type != "f"
            assert not str(cell.value or "").startswith("=")


# -- Queries: constant in the number of trainings --------------------------------------------


class BulkCatalogue:
    """Trainings inserted in bulk, each with one session held 20 days ago and six confirmed
    people (always the same six): four present, one absent, one not marked."""

    def __init__(self):
        self.index = f.catalogue()
        self.organisations = [
            f.organisation(f"Organisme {n}", sector=sector, region="06")
            for n, sector in enumerate(["community", "health", "justice"])
        ]
        self.themes = [f.theme(f"Thème {n}", slug=f"theme-{n}") for n in range(3)]
        self.audiences = [f.audience(f"Public {n}", slug=f"public-{n}") for n in range(2)]
        self.people = [f.user() for _ in range(6)]
        self.count = 0

    def add(self, count):
        numbers = range(self.count, self.count + count)
        self.count += count
        pages = [
            TrainingPage(
                title=f"Formation en lot {n}",
                draft_title=f"Formation en lot {n}",
                slug=f"lot-{n:05d}",
                summary="Une formation.",
                provider=self.organisations[n % 3],
                duration_hours=Decimal("3"),
                live=True,
                first_published_at=f.at(-400),
            )
            for n in numbers
        ]
        GenerateCatalogue.insert_pages(self.index, pages)
        ThemeLink = TrainingPage.themes.through
        AudienceLink = TrainingPage.audiences.through
        ThemeLink.objects.bulk_create(
            ThemeLink(trainingpage_id=page.pk, theme_id=self.themes[n % 3].pk)
            for n, page in zip(numbers, pages, strict=True)
        )
        AudienceLink.objects.bulk_create(
            AudienceLink(trainingpage_id=page.pk, audience_id=self.audiences[n % 2].pk)
            for n, page in zip(numbers, pages, strict=True)
        )
        start = f.at(-20)
        sessions = TrainingSession.objects.bulk_create(
            TrainingSession(
                page_id=page.pk,
                start=start,
                end=start + datetime.timedelta(hours=3),
                format="online" if n % 4 == 0 else "in-person",
                region="" if n % 4 == 0 else ["06", "03", "05"][n % 3],
            )
            for n, page in zip(numbers, pages, strict=True)
        )
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(session_id=session.pk, user=person, status="confirmed")
            for session in sessions
            for person in self.people
        )
        day = timezone.localdate() - datetime.timedelta(days=20)
        Attendance.objects.bulk_create(
            Attendance(enrolment_id=enrolment.pk, day=day, present=n % 6 < 4)
            for n, enrolment in enumerate(enrolments)
            if n % 6 < 5
        )
        if connection.vendor == "postgresql":
            # What autovacuum does after such a load. Without it, the planner keeps the
            # statistics earlier tests left (empty tables) and one run of the suite took 169 s.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def measure(client):
    with CaptureQueriesContext(connection) as computed:
        report = reports.compute(DEFAULT)
    with CaptureQueriesContext(connection) as screen:
        assert client.get(URL).status_code == 200
    return report, len(computed), len(screen)


def test_the_number_of_queries_does_not_grow_with_the_trainings(committee, frozen_now):
    """20 trainings, then 2,000 (the 1,980 more inserted in bulk): the same queries."""
    catalogue = BulkCatalogue()
    catalogue.add(20)
    committee.get(URL)  # the admin's first request fills its caches
    report, computed, screen = measure(committee)
    assert report.total.figures.trainings == 20
    assert computed == 6  # one query for the totals, one per breakdown

    catalogue.add(1980)
    report, computed_2000, screen_2000 = measure(committee)
    figures = report.total.figures
    assert (figures.trainings, figures.sessions, figures.enrolments) == (2000, 2000, 12000)
    assert (figures.marks, figures.present, figures.people) == (10000, 8000, 5)
    assert figures.rate == 80
    assert (computed_2000, screen_2000) == (computed, screen)
    print(f"report queries: {computed}; screen queries: {screen} ({connection.vendor})")


# -- The demo's past year ----------------------------------------------------------------------


def test_the_demo_year_has_a_report_with_varied_numbers(frozen_now, demo, committee):
    report = reports.compute(Period.default())
    figures = report.total.figures
    assert figures.trainings >= 10 and figures.sessions >= 15
    assert figures.enrolments > 150
    assert 70 < figures.rate < 95
    assert 40 <= figures.people
    texts = [cell.text for b in report.breakdowns for r in b.rows for cell in r.cells.values()]
    assert "< 5" in texts and "≥ 5" in texts
    regions = {r.key for r in next(b for b in report.breakdowns if b.key == "region").rows}
    assert {"online", "06", "03"} <= regions
    response = committee.get(URL)
    assert response.content.decode().count('role="img"') == 5


def test_the_demo_year_is_marked_through_the_service_kept_on_edit_and_loaded_once(frozen_now, demo):
    accounts = get_user_model().objects.filter(username__in=[p[0] for p in history.people()])
    assert accounts.count() == history.PEOPLE
    assert not any(account.has_usable_password() for account in accounts)
    assert all(account.email.endswith("@demo.cqctp.org") for account in accounts)
    assert len({account.membership.organisation_id for account in accounts}) == 7
    # Attendance went through mark_attendance: each mark is in the audit log.
    from wagtail.models import ModelLogEntry

    marks = Attendance.objects.count()
    assert marks > 100
    assert ModelLogEntry.objects.filter(action=services.ATTENDANCE).count() == marks
    assert Attendance.objects.filter(present=False).exists()
    # One session over two days, marked per day; one recent session not marked yet.
    two_days = [
        s
        for s in TrainingSession.objects.filter(end__lt=timezone.now())
        if len(services.session_days(s)) == 2
    ]
    assert len(two_days) == 1
    assert (
        Attendance.objects.filter(enrolment__session=two_days[0]).values("day").distinct().count()
        == 2
    )
    # Added sessions are in the page's latest revision: an editor's next publish keeps them.
    for session in TrainingSession.objects.filter(sort_order__gte=history.FIRST_POSITION):
        revision = session.page.get_latest_revision_as_object()
        assert session.pk in {s.pk for s in revision.sessions.all()}
        session.full_clean()
        assert timezone.localtime(session.enrolment_closes).date() == (
            timezone.localtime(session.start).date() - datetime.timedelta(days=1)
        )

    # Loaded once: a second run creates nothing.
    counts = (
        TrainingSession.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
        get_user_model().objects.count(),
    )
    assert history.load() == {"people": 0, "sessions": 0, "enrolments": 0, "attendance marks": 0}
    assert (
        TrainingSession.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
        get_user_model().objects.count(),
    ) == counts


def test_the_demo_year_keeps_montreal_hours_across_clock_changes(db):
    """Loaded a week after the spring change: the past year's sessions, on either side of
    two changes, start at their hour on Montréal's clock and close the day before."""
    from zoneinfo import ZoneInfo

    import time_machine
    from django.core.management import call_command

    montreal = ZoneInfo("America/Montreal")
    loading = datetime.datetime(2027, 3, 20, 10, 0, tzinfo=montreal)
    with time_machine.travel(loading, tick=True):
        call_command("load_demo", stdout=io.StringIO())
    added = TrainingSession.objects.filter(sort_order__gte=history.FIRST_POSITION).select_related(
        "page"
    )
    checked = 0
    for session in added:
        if session.page.slug not in history.HISTORY:
            continue
        data = history.HISTORY[session.page.slug]["added"][
            session.sort_order - history.FIRST_POSITION
        ]
        start = timezone.localtime(session.start, montreal)
        end = timezone.localtime(session.end, montreal)
        assert start.date() == loading.date() + datetime.timedelta(days=data["days"])
        assert start.time() == datetime.time(data["hour"], data["minute"])
        assert end.date() == start.date() + datetime.timedelta(days=data["span"] - 1)
        closes = timezone.localtime(session.enrolment_closes, montreal)
        assert (closes.date(), closes.time()) == (
            start.date() - datetime.timedelta(days=1),
            start.time(),
        )
        checked += 1
    assert checked == sum(len(plan["added"]) for plan in history.HISTORY.values())


def test_a_period_without_sessions_says_so(committee, known):
    html = committee.get(URL, {"start": "2001-01-01", "end": "2001-12-31"}).content.decode()
    assert html.count("Aucune séance n’a été tenue dans cette période.") == 5
    assert 'role="img"' not in html
    rows = csv_rows(
        committee.get(URL, {"start": "2001-01-01", "end": "2001-12-31", "export": "csv"})
    )
    assert rows[1:] == [["Total", "Toutes les formations", "0", "0", "0", "—", "0"]]


def test_the_ready_made_periods_keep_the_measure(committee, frozen_now):
    html = committee.get(URL, {"measure": "sessions"}).content.decode()
    assert "Séances tenues, par thème" not in html  # no session: no chart
    assert "?start=2025-01-01&amp;end=2025-12-31&amp;measure=sessions" in html
    assert "?start=2025-06-16&amp;end=2026-06-15&amp;measure=sessions" in html
