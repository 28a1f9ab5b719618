"""Load the demo training catalogue (demo/trainings.py) under the catalogue pages.

Idempotent: organisations are found by name, themes and audiences by slug, trainings by slug
under the French catalogue, translations through their translation key. What exists is left as
it is (editors' changes survive); only what is missing is created. Sessions and enrolments are
created with their training, never added to an existing one.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from members.models import Organisation
from trainings.dates import at_local, days_later, local_zone
from trainings.models import (
    Audience,
    Enrolment,
    EnrolmentStatus,
    Theme,
    TrainingPage,
    TrainingSession,
)

from . import trainings as content

TRAINING_FIELDS = (
    "title",
    "slug",
    "summary",
    "learning_objectives",
    "prerequisites",
    "offered_in_french",
    "offered_in_english",
    "certificate",
    "contact_name",
    "contact_email",
    "contact_phone",
    "visibility",
)
TRANSLATED_FIELDS = (
    "title",
    "slug",
    "summary",
    "learning_objectives",
    "prerequisites",
    "contact_name",
)


def load_trainings(catalogue_fr, catalogue_en, stdout=None):
    """Create what is missing of the demo catalogue; return how many records were created."""
    created = dict.fromkeys(
        ("organisations", "themes", "audiences", "trainings", "translations", "enrolments"), 0
    )
    organisations = {
        data["name"]: _ensure_organisation(data, created) for data in content.ORGANISATIONS
    }
    themes = {data["slug"]: _ensure_term(Theme, data, created, "themes") for data in content.THEMES}
    audiences = {
        data["slug"]: _ensure_term(Audience, data, created, "audiences")
        for data in content.AUDIENCES
    }
    today = timezone.localdate(timezone=local_zone())
    demo_accounts()

    # Tree counters and paths of the catalogue pages may be stale (pages moved or published).
    catalogue_fr.refresh_from_db()
    catalogue_en.refresh_from_db()
    for data in content.TRAININGS:
        page = catalogue_fr.get_children().filter(slug=data["slug"]).first()
        if page is None:
            page = _create_training(catalogue_fr, data, organisations, themes, audiences, today)
            created["trainings"] += 1
            created["enrolments"] += _fill_full_sessions(page, data)
        page = page.specific
        english = data.get("en")
        if english and page.get_translation_or_none(catalogue_en.locale) is None:
            _translate_training(page, catalogue_en.locale, english)
            created["translations"] += 1

    if stdout is not None:
        stdout.write(
            "Training catalogue: "
            + ", ".join(f"{count} {name}" for name, count in created.items())
            + " created."
        )
    return created


def _ensure_organisation(data, created):
    organisation = Organisation.objects.filter(name=data["name"]).first()
    if organisation is None:
        organisation = Organisation.objects.create(**data)
        created["organisations"] += 1
    return organisation


def _ensure_term(model, data, created, key):
    term = (
        model.objects.filter(slug=data["slug"]).first()
        or model.objects.filter(name=data["name"]).first()
    )
    if term is None:
        term = model.objects.create(**data)
        created[key] += 1
    return term


def _description(items):
    """Paragraphs are given as HTML strings, headings as ready-made blocks."""
    return [
        {"type": "paragraph", "value": item} if isinstance(item, str) else dict(item)
        for item in items
    ]


def _create_training(parent, data, organisations, themes, audiences, today):
    page = TrainingPage(
        **{field: data[field] for field in TRAINING_FIELDS},
        description=_description(data["description"]),
        provider=organisations[data["provider"]],
        duration_hours=Decimal(data["duration_hours"]),
        price=Decimal(data["price"]),
        locale=parent.locale,
        live=False,
    )
    page.themes.set([themes[slug] for slug in data["themes"]])
    page.audiences.set([audiences[slug] for slug in data["audiences"]])
    page.sessions = [
        demo_session(session, today, position) for position, session in enumerate(data["sessions"])
    ]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def demo_session(data, today, position):
    """`days` after `today` at `hour`:`minute` on Montréal's clock, over `span` days (1 if not
    given); enrolment closes the day before at the same hour (trainings.dates: calendar days,
    whatever the clock changes). Used by demo/history.py too."""
    day = today + datetime.timedelta(days=data["days"])
    start = at_local(day, datetime.time(data["hour"], data["minute"]))
    end = start + datetime.timedelta(hours=data["hours"])
    if data.get("span", 1) > 1:
        end = days_later(end, data["span"] - 1)
    return TrainingSession(
        sort_order=position,
        start=start,
        end=end,
        format=data["format"],
        language=data["language"],
        venue=data["venue"],
        address=data["address"],
        city=data["city"],
        region=data["region"],
        online_url=data["online_url"],
        capacity=data["capacity"],
        enrolment_closes=days_later(start, -1),
        status=data["status"],
    )


def _fill_full_sessions(page, data):
    """Fill the sessions marked `full` with the demo accounts, then one person waiting."""
    count = 0
    sessions = page.sessions.order_by("sort_order")
    accounts = demo_accounts()
    moment = timezone.now()
    for session, session_data in zip(sessions, data["sessions"], strict=True):
        if not session_data["full"]:
            continue
        if len(content.FULL_SESSION_CONFIRMED) != session.capacity:
            raise ValueError(f"The demo accounts do not fill {session} exactly.")
        plan = [(email, EnrolmentStatus.CONFIRMED) for email in content.FULL_SESSION_CONFIRMED]
        plan += [(email, EnrolmentStatus.WAITING) for email in content.FULL_SESSION_WAITING]
        for position, (email, status) in enumerate(plan):
            Enrolment.objects.create(
                session=session,
                user=accounts[email],
                status=status,
                created=moment + datetime.timedelta(seconds=position),
                consent_at=moment,
            )
            count += 1
    return count


def demo_accounts():
    """The demo accounts with their memberships, created if missing; by e-mail."""
    from django.conf import settings

    from members.models import Membership, Organisation

    User = get_user_model()
    organisation = Organisation.objects.get(name=content.DEMO_ORGANISATION)
    accounts = {}
    for data in content.DEMO_ACCOUNTS:
        user = User.objects.filter(username=data["email"]).first()
        if user is None:
            user = User(
                username=data["email"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
            if data["can_sign_in"] and settings.DEBUG:
                user.set_password(content.DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(
            user=user, defaults={"organisation": organisation, "role": data["role"]}
        )
        accounts[data["email"]] = user
    return accounts


def demo_logins():
    """What load_demo prints: the accounts one can sign in with (development only)."""
    return [
        (data["email"], content.DEMO_PASSWORD, data["role"])
        for data in content.DEMO_ACCOUNTS
        if data["can_sign_in"]
    ]


def _translate_training(source, locale, data):
    """Wagtail's simple translation, as an editor would: copy, then write the English text."""
    page = source.copy_for_translation(locale).specific
    for field in TRANSLATED_FIELDS:
        if field in data:
            setattr(page, field, data[field])
    if "description" in data:
        page.description = _description(data["description"])
    page.save_revision().publish()
    return page
