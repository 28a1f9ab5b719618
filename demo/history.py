"""Last year's sessions of the demo trainings, with their participants and attendance, so that
the training report (committee/reports.py, Reports › Training report) has a year to show.

Runs after the demo catalogue and the role accounts, before the certificates. Over the twelve
months before the day of loading (dates relative to that day, on Montréal's calendar and
clock, as in demo/trainings.py) it

- fills the catalogue's own past sessions (those of demo/trainings.py) with participants;
- adds past sessions to most demo trainings (after the catalogue's own in the editor's list,
  `sort_order` from FIRST_POSITION), written to a new revision of the page as an editor's
  publish would, so that a later edit keeps them;
- enrols demo people of every demo organisation (accounts without a usable password, at
  @demo.cqctp.org) and marks their attendance through trainings.services.mark_attendance:
  most present, some absent, one session not marked yet, one session over two days.

The numbers are varied on purpose: some breakdowns have fewer than five people ("< 5" in the
report). Idempotent: a training whose sessions already have a history participant is left as
it is, and so is a training that is not live or has unpublished changes (the demo never
publishes an editor's draft, nor a page an editor took offline).
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from members.models import Membership, Organisation, Role
from trainings import services
from trainings.dates import days_later, local_zone
from trainings.models import Enrolment, EnrolmentStatus, TrainingPage, TrainingSession

from . import trainings as content
from .loader import demo_session

# Sessions added here come after the catalogue's own (sort_order 0, 1, …) in the editor.
FIRST_POSITION = 100
EMAIL_DOMAIN = "demo.cqctp.org"

FIRST_NAMES = [
    "Léa",
    "Gabriel",
    "Chloé",
    "Samuel",
    "Rosalie",
    "Thomas",
    "Maëlle",
    "Olivier",
    "Jade",
    "William",
    "Florence",
    "Nathan",
    "Alice",
    "Félix",
    "Juliette",
    "Émile",
    "Zoé",
    "Antoine",
    "Béatrice",
    "Hugo",
]
LAST_NAMES = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
]
# Sixty fictional people, spread over the demo organisations (first name i, last name i + 3k).
PEOPLE = 60


def people():
    """[(email, first name, last name, organisation name)], always the same sixty."""
    organisations = [data["name"] for data in content.ORGANISATIONS]
    result = []
    for number in range(PEOPLE):
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        last = LAST_NAMES[(number + 3 * (number // len(FIRST_NAMES))) % len(LAST_NAMES)]
        email = f"{slugify(first)}.{slugify(last)}@{EMAIL_DOMAIN}"
        result.append((email, first, last, organisations[number % len(organisations)]))
    return result


def session(days, hour, hours, format, place=None, minute=0, span=1, **extra):
    """A past session: `days` (negative) from the day of loading, `hour`:`minute` Montréal
    time, `hours` long each day over `span` days. `people` are enrolled and confirmed,
    `absent` of them are marked absent every day and `absent_last_day` on the last day only,
    `cancelled` more had cancelled before; `marked=False`: attendance not marked yet."""
    data = content.session(days, hour, hours, format=format, place=place, minute=minute)
    data.update(span=span, people=0, absent=0, absent_last_day=0, cancelled=0, marked=True)
    data.update(extra)
    return data


def filled(people, absent=0, **extra):
    """What to do with one of the catalogue's own past sessions (in the order of their start)."""
    return {
        "people": people,
        "absent": absent,
        "absent_last_day": 0,
        "cancelled": 0,
        "marked": True,
        **extra,
    }


# By training slug: "own" fills its past sessions from demo/trainings.py (oldest first),
# "added" are the sessions this module adds. "reconnaitre-les-signes-de-la-traite" gets no
# added session: its sessions are the ones demo/trainings.py lists (tests pin their days).
HISTORY = {
    "reconnaitre-les-signes-de-la-traite": {"own": [filled(14, absent=2)], "added": []},
    "exploitation-sexuelle-recrutement-et-emprise": {
        "own": [filled(12, absent=2)],
        "added": [
            session(-190, 9, 6, "in-person", "montreal", people=15, absent=2, cancelled=1),
            session(-300, 9, 6, "hybrid", "quebec", people=9, absent=1),
        ],
    },
    "travail-force-reperer-exploitation-au-travail": {
        "own": [],
        "added": [
            session(-120, 13, 3.5, "in-person", "gatineau", capacity=12, people=7, absent=1),
            session(-260, 9, 3.5, "online", people=11),
            session(-80, 13, 3.5, "in-person", "gatineau", status="cancelled"),
        ],
    },
    "traite-et-droit-code-criminel-immigration-ivac": {
        "own": [filled(8, absent=1)],
        "added": [session(-230, 9, 3, "online", people=6)],
    },
    "intervenir-aupres-des-mineurs": {
        "own": [],
        "added": [
            session(
                -140,
                9,
                6,
                "in-person",
                "longueuil",
                span=2,
                capacity=16,
                people=10,
                absent_last_day=1,
            ),
        ],
    },
    "travailler-avec-interprete": {
        "own": [filled(9, marked=False)],  # two weeks ago: attendance not marked yet
        "added": [session(-170, 9, 2.5, "online", minute=30, people=13, absent=2)],
    },
    "enqueter-approche-centree-victime": {"own": [filled(5, absent=1)], "added": []},
    "exploitation-sexuelle-en-ligne": {
        "own": [filled(25, absent=5)],
        "added": [session(-210, 12, 1.5, "online", capacity=100, people=18, absent=3)],
    },
    "accueillir-orienter-reseau-sante": {"own": [filled(11, absent=1)], "added": []},
    "accompagner-personnes-survivantes": {
        "own": [],
        "added": [session(-280, 8, 6.5, "in-person", "saguenay", minute=30, capacity=18, people=3)],
    },
    "sensibiliser-employeurs-travail-force": {
        "own": [filled(4), filled(5, absent=1)],
        "added": [],
    },
}


def load(stdout=None):
    """Create what is missing of the demo's past year; return how many records were created."""
    created = dict.fromkeys(("people", "sessions", "enrolments", "attendance marks"), 0)
    today = timezone.localdate(timezone=local_zone())
    now = timezone.now()
    accounts = history_accounts(created)
    queue = Rotation(accounts)
    for slug, plan in HISTORY.items():
        page = TrainingPage.objects.filter(slug=slug, locale__language_code="fr-ca").first()
        if page is None or not page.live or page.has_unpublished_changes:
            continue  # an editor's draft or unpublishing is never published by the demo
        if _has_history(page, accounts):
            continue
        own = list(
            TrainingSession.objects.of_training(page)
            .filter(start__lt=now, status="scheduled", enrolments__isnull=True)
            .order_by("start")
        )
        sessions = list(zip(own, plan["own"], strict=False))
        added = [(_build(page, data, today, n), data) for n, data in enumerate(plan["added"])]
        if added:
            for new_session, _data in added:
                new_session.save()
            created["sessions"] += len(added)
            # A new revision that holds the added sessions, as an editor's publish would
            # write: the next edit of the page keeps them.
            page.save_revision().publish()
        sessions += added
        for past_session, data in sessions:
            _participants(past_session, data, queue, created)
    if stdout is not None:
        stdout.write(
            "Demo history (last 12 months): "
            + ", ".join(f"{count} {name}" for name, count in created.items())
            + " created."
        )
    return created


def history_accounts(created=None):
    """The demo people, with their membership, created if missing (no usable password).
    Inserted in bulk: the demo is loaded before many tests."""
    User = get_user_model()
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    wanted = people()
    emails = [email for email, *_rest in wanted]
    missing = set(emails) - set(
        User.objects.filter(username__in=emails).values_list("username", flat=True)
    )
    new_users = []
    for email, first, last, _organisation in wanted:
        if email in missing:
            user = User(username=email, email=email, first_name=first, last_name=last)
            user.set_unusable_password()
            new_users.append(user)
    User.objects.bulk_create(new_users)
    if created is not None:
        created["people"] += len(new_users)
    accounts = {user.username: user for user in User.objects.filter(username__in=emails)}
    with_membership = set(
        Membership.objects.filter(user__in=accounts.values()).values_list("user_id", flat=True)
    )
    Membership.objects.bulk_create(
        Membership(user=accounts[email], organisation=organisations[organisation], role=Role.MEMBER)
        for email, _first, _last, organisation in wanted
        if accounts[email].pk not in with_membership and organisation in organisations
    )
    return [accounts[email] for email in emails]


class Rotation:
    """Hands out the demo people in turn, so that participants differ from one session to
    the next and most people come to two or three trainings over the year."""

    def __init__(self, accounts):
        self.accounts = accounts
        self.position = 0

    def take(self, count):
        chosen = [
            self.accounts[(self.position + offset) % len(self.accounts)] for offset in range(count)
        ]
        self.position = (self.position + count) % len(self.accounts)
        return chosen


def _has_history(page, accounts):
    return Enrolment.objects.filter(
        session__in=TrainingSession.objects.of_training(page), user__in=accounts
    ).exists()


def _build(page, data, today, number):
    """A past session from its data, with the catalogue's rules (demo/loader.py)."""
    session = demo_session(data, today, FIRST_POSITION + number)
    session.page = page
    return session


def _participants(past_session, data, queue, created):
    """Enrol `people` (confirmed) and `cancelled` people, then mark attendance day by day."""
    if past_session.status != "scheduled" or not data["people"]:
        return
    chosen = queue.take(data["people"] + data["cancelled"])
    enrolled_on = days_later(past_session.start, -20)
    cancelled_on = days_later(past_session.start, -3)
    rows = Enrolment.objects.bulk_create(
        Enrolment(
            session=past_session,
            user=user,
            status=EnrolmentStatus.CONFIRMED
            if position < data["people"]
            else EnrolmentStatus.CANCELLED,
            created=enrolled_on + datetime.timedelta(minutes=position),
            consent_at=enrolled_on + datetime.timedelta(minutes=position),
            cancelled_at=None if position < data["people"] else cancelled_on,
        )
        for position, user in enumerate(chosen)
    )
    created["enrolments"] += len(rows)
    enrolments = [row for row in rows if row.status == EnrolmentStatus.CONFIRMED]
    if not data["marked"]:
        return
    days = services.session_days(past_session)
    # The last `absent` people missed every day; the `absent_last_day` before them, the last.
    count = len(enrolments)
    absent = range(count - data["absent"], count)
    absent_last_day = range(count - data["absent"] - data["absent_last_day"], absent.start)
    for position, enrolment in enumerate(enrolments):
        for day in days:
            present = position not in absent and not (
                day == days[-1] and position in absent_last_day
            )
            services.mark_attendance(enrolment, day, present, now=past_session.end)
            created["attendance marks"] += 1
