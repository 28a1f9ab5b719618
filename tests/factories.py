"""Builders for tests: small, explicit, with sensible defaults."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from catalogue.models import CatalogueIndexPage
from home.models import HomePage
from members.models import Organisation
from trainings.models import Audience, Enrolment, Theme, TrainingPage, TrainingSession

_counter = itertools.count(1)


def home_page():
    home = HomePage.objects.filter(depth=2, locale__language_code="fr-ca").first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title="Accueil", slug="accueil-test", locale=Locale.get_default())
        root.add_child(instance=home)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home},
        )
    return home


def catalogue(slug="catalogue-test"):
    home = home_page()
    existing = CatalogueIndexPage.objects.filter(slug=slug).first()
    if existing:
        return existing
    page = CatalogueIndexPage(title="Catalogue", slug=slug)
    home.add_child(instance=page)
    return page


def organisation(name=None, **fields):
    fields.setdefault("sector", "community")
    fields.setdefault("region", "06")
    return Organisation.objects.create(name=name or f"Organisme {next(_counter)}", **fields)


def theme(name, name_en="", slug=""):
    return Theme.objects.create(name=name, name_en=name_en, slug=slug)


def audience(name, name_en="", slug=""):
    return Audience.objects.create(name=name, name_en=name_en, slug=slug)


def at(days=0, hour=9):
    """A Montréal datetime `days` from today at `hour`."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def session(days=10, hours=3, **fields):
    start = at(days, fields.pop("hour", 9))
    fields.setdefault("region", "06")
    fields.setdefault("city", "Montréal")
    return TrainingSession(start=start, end=start + datetime.timedelta(hours=hours), **fields)


def training(parent=None, title=None, sessions=(), themes=(), audiences=(), **fields):
    parent = parent or catalogue()
    number = next(_counter)
    fields.setdefault("provider", fields.get("provider") or organisation())
    fields.setdefault("summary", f"Résumé de la formation {number}.")
    fields.setdefault("duration_hours", Decimal("3"))
    page = TrainingPage(title=title or f"Formation {number}", slug=f"formation-{number}", **fields)
    for item in sessions:
        page.sessions.add(item)
    page.themes = list(themes)
    page.audiences = list(audiences)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return TrainingPage.objects.get(pk=page.pk)


def user(email=None, **fields):
    email = email or f"personne{next(_counter)}@example.org"
    return get_user_model().objects.create_user(
        username=email, email=email, password="pw", **fields
    )


def fill(session_obj, confirmed):
    """Give a session `confirmed` confirmed enrolments."""
    for _ in range(confirmed):
        Enrolment.objects.create(session=session_obj, user=user(), status="confirmed")


def member(organisation=None, role="member", email=None):
    """A person whose account belongs to a member organisation."""
    from members.models import Membership

    person = user(email)
    Membership.objects.create(user=person, organisation=organisation or organisation_(), role=role)
    return person


organisation_ = organisation


def translation(page, title, slug=None, language="en"):
    """The `language` version of `page`, published with its ancestors, as its own class."""
    locale = Locale.objects.get_or_create(language_code=language)[0]
    copy = page.copy_for_translation(locale, copy_parents=True)
    for ancestor in copy.get_ancestors().filter(depth__gt=1, live=False):
        ancestor.specific.save_revision().publish()
    copy.title = title
    if slug:
        copy.slug = slug
    copy.save_revision().publish()
    return type(page).objects.get(pk=copy.pk)  # fresh: its address follows the new slug
