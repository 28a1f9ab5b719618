"""Generate a synthetic French catalogue (trainings and sessions) for benchmarks.

    manage.py generate_catalogue --trainings 2000 --sessions 3 [--seed 1] [--clear]

Fast on purpose: pages are inserted in bulk (tree paths computed here, no revisions, no
per-page signals), sessions and themes/audiences in bulk, then the new pages are added to the
search index in chunks. Everything it creates is recognisable: page slugs start with "synth-"
and organisations are named "Organisme synthétique N", which is what --clear deletes.

The first synthetic training (slug "synth-00001-…") always gets 10 sessions (or --sessions if
larger), past and upcoming, so that benchmarks have a training page with many sessions.
"""

import datetime
import random
import re
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.search.backends import get_search_backends
from wagtail.search.models import IndexEntry
from wagtail.signal_handlers import disable_reference_index_auto_update

from catalogue.models import CatalogueIndexPage
from home.models import HomePage
from members.models import Organisation, Region, Sector
from trainings import next_session
from trainings.dates import at_local, days_later, local_zone
from trainings.models import (
    Audience,
    Language,
    SessionFormat,
    SessionStatus,
    Theme,
    TrainingPage,
    TrainingSession,
    Visibility,
)

SLUG_PREFIX = "synth-"
ORGANISATION_PREFIX = "Organisme synthétique"
ORGANISATIONS = 8
FIRST_TRAINING_SESSIONS = 10
DEFAULT_TRAININGS = 2000
INDEX_CHUNK = 500

# -- Word lists (French) ---------------------------------------------------------------------

ACTIONS = [
    "Comprendre",
    "Repérer",
    "Prévenir",
    "Reconnaître",
    "Documenter",
    "Combattre",
    "Démystifier",
    "Mieux cerner",
    "Signaler",
    "Aborder",
]
TOPICS = [
    "la traite des personnes",
    "la traite à des fins d'exploitation sexuelle",
    "l'exploitation sexuelle des mineurs",
    "le travail forcé",
    "l'exploitation par le travail",
    "l'exploitation des travailleurs étrangers temporaires",
    "le recrutement en ligne par les proxénètes",
    "la servitude domestique",
    "le mariage forcé",
    "la traite interne au Québec",
    "la servitude pour dettes",
    "les violences liées à l'exploitation",
]
ANGLES = [
    "notions de base",
    "approche sensible au trauma",
    "cadre juridique canadien",
    "études de cas",
    "atelier pratique",
    "en milieu scolaire",
    "en contexte autochtone",
    "en région",
    "niveau avancé",
    "pour les premières lignes",
    "travail en partenariat",
    "repères pour l'intervention",
]
GOALS = [
    "mieux repérer les situations de",
    "comprendre les mécanismes de",
    "savoir intervenir auprès des personnes touchées par",
    "connaître les ressources d'aide liées à",
    "adapter ses pratiques face à",
    "documenter et signaler les cas de",
]
SECOND_SENTENCES = [
    "Les participantes et participants analysent des situations tirées de la pratique.",
    "La formation s'appuie sur des témoignages et sur les données les plus récentes.",
    "Elle présente les indicateurs de la traite et du travail forcé.",
    "Des outils concrets de repérage et d'orientation sont remis à la fin.",
    "Les recours prévus par le Code criminel et les lois du travail y sont expliqués.",
    "Une attention particulière est portée à la sécurité des victimes.",
    "Les échanges permettent de bâtir des liens entre organismes d'une même région.",
]
THIRD_SENTENCES = [
    "Aucune connaissance préalable n'est requise.",
    "Une attestation de participation est remise.",
    "Places limitées : inscrivez-vous tôt.",
    "Formation donnée par une équipe d'intervention expérimentée.",
    "",
]
OBJECTIVES = [
    "nommer les formes de traite présentes au Québec",
    "reconnaître les indicateurs du travail forcé",
    "distinguer la traite du passage de clandestins",
    "orienter une personne vers les bonnes ressources",
    "appliquer une approche centrée sur la victime",
    "connaître les obligations de signalement",
    "travailler en concertation avec les partenaires",
]
VENUES = [
    "Centre communautaire",
    "Maison de la culture",
    "Salle du conseil",
    "Centre de services",
    "Bibliothèque municipale",
    "Carrefour jeunesse-emploi",
]
CITIES = {
    Region.MONTREAL: "Montréal",
    Region.CAPITALE_NATIONALE: "Québec",
    Region.LAVAL: "Laval",
    Region.MONTEREGIE: "Longueuil",
    Region.OUTAOUAIS: "Gatineau",
    Region.ESTRIE: "Sherbrooke",
    Region.MAURICIE: "Trois-Rivières",
    Region.SAGUENAY: "Saguenay",
    Region.LANAUDIERE: "Joliette",
    Region.LAURENTIDES: "Saint-Jérôme",
    Region.ABITIBI: "Rouyn-Noranda",
    Region.BAS_SAINT_LAURENT: "Rimouski",
    Region.COTE_NORD: "Baie-Comeau",
    Region.GASPESIE: "Gaspé",
    Region.CHAUDIERE_APPALACHES: "Lévis",
    Region.CENTRE_DU_QUEBEC: "Drummondville",
    Region.NORD_DU_QUEBEC: "Chibougamau",
}
# Montréal and the big regions hold most sessions.
REGION_WEIGHTS = {
    Region.MONTREAL: 8,
    Region.CAPITALE_NATIONALE: 4,
    Region.MONTEREGIE: 4,
    Region.LAVAL: 3,
    Region.OUTAOUAIS: 2,
    Region.ESTRIE: 2,
    Region.LAURENTIDES: 2,
    Region.LANAUDIERE: 2,
}
DEFAULT_THEMES = [
    ("Traite à des fins d'exploitation sexuelle", "Sex trafficking"),
    ("Travail forcé et exploitation par le travail", "Forced labour and labour exploitation"),
    ("Repérage et intervention", "Identification and intervention"),
    ("Cadre juridique", "Legal framework"),
    ("Accompagnement des victimes", "Victim support"),
    ("Prévention auprès des jeunes", "Prevention with youth"),
]
DEFAULT_AUDIENCES = [
    ("Intervenantes et intervenants communautaires", "Community workers"),
    ("Santé et services sociaux", "Health and social services"),
    ("Milieu policier et judiciaire", "Police and justice"),
    ("Milieu scolaire", "Schools"),
    ("Grand public", "General public"),
]
PRICES = [25, 40, 50, 75, 90, 120, 150, 250, 350]
DURATIONS = ["1.5", "2", "3", "3.5", "6", "7", "12"]
CAPACITIES = [12, 15, 20, 25, 30, 40, 60, 100]


class Command(BaseCommand):
    help = (
        "Generate synthetic French trainings with sessions under the catalogue (for benchmarks). "
        "--clear deletes the synthetic content first; --clear alone only deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--trainings",
            type=int,
            default=None,
            help=f"Number of trainings to add (default {DEFAULT_TRAININGS}, or 0 with --clear).",
        )
        parser.add_argument(
            "--sessions", type=int, default=3, help="Sessions per training (default 3)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--clear",
            action="store_true",
            help='Delete the synthetic pages (slug "synth-…") and organisations first.',
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        trainings = options["trainings"]
        if trainings is None:
            trainings = 0 if options["clear"] else DEFAULT_TRAININGS
        if trainings < 0 or options["sessions"] < 0:
            raise CommandError("--trainings and --sessions cannot be negative.")

        if options["clear"]:
            pages, organisations = self.clear()
            self.stdout.write(
                f"Deleted {pages} synthetic page(s) and {organisations} synthetic organisation(s)."
            )

        if trainings:
            with transaction.atomic():
                index = self.ensure_catalogue()
                created, sessions = self.generate(
                    index, trainings, options["sessions"], options["seed"]
                )
            self.analyze()
            self.stdout.write(
                f"Created {created} synthetic training(s) with {sessions} session(s) "
                f"under {index.url_path}."
            )

        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"generate_catalogue took {elapsed:.1f} s."))

    # -- deletion ----------------------------------------------------------------------------

    def clear(self):
        pages = Page.objects.filter(slug__startswith=SLUG_PREFIX)
        with transaction.atomic(), disable_reference_index_auto_update():
            page_count = pages.count()
            if page_count:
                # Synthetic pages have no revisions, logs or references worth keeping: marking
                # them not live first spares Wagtail's per-page "unpublish before delete".
                pages.update(live=False)
                # treebeard's queryset delete keeps the tree consistent (parents' numchild);
                # sessions, themes/audiences links and search entries go with the pages.
                pages.delete()
        organisations = Organisation.objects.filter(name__startswith=f"{ORGANISATION_PREFIX} ")
        try:
            organisation_count = organisations.count()
            organisations.delete()
        except ProtectedError:
            self.stderr.write(
                "Some synthetic organisations still provide non-synthetic trainings: kept."
            )
            organisation_count = 0
        return page_count, organisation_count

    # -- what the trainings hang on ----------------------------------------------------------

    def ensure_catalogue(self):
        index = CatalogueIndexPage.objects.filter(locale__language_code="fr-ca").first()
        if index is not None:
            return index
        home = HomePage.objects.filter(locale__language_code="fr-ca", depth=2).first()
        if home is None:
            raise CommandError(
                "There is no French home page: run `manage.py load_demo` first "
                "(or `make run`), then this command again."
            )
        index = CatalogueIndexPage(
            title="Formations",
            slug="formations",
            locale=home.locale,
            introduction="Les formations offertes par les organismes membres de la coalition.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        self.stdout.write(f"Created the catalogue page “Formations” ({index.get_url()}).")
        return index

    def ensure_organisations(self):
        regions = list(Region.values)
        sectors = list(Sector.values)
        organisations = []
        for number in range(1, ORGANISATIONS + 1):
            name = f"{ORGANISATION_PREFIX} {number}"
            organisation, _ = Organisation.objects.get_or_create(
                name=name,
                defaults={
                    "sector": sectors[number % len(sectors)],
                    "region": regions[(number * 5) % len(regions)],
                    "website": f"https://organisme-{number}.example.org",
                    "contact_email": f"formations@organisme-{number}.example.org",
                    "description": f"{name} : organisme fictif créé pour les essais de charge.",
                    "active": True,
                },
            )
            organisations.append(organisation)
        return organisations

    @staticmethod
    def ensure_terms(model, defaults):
        terms = list(model.objects.all())
        if not terms:
            for name, name_en in defaults:
                model(name=name, name_en=name_en).save()  # save() fills the slug
            terms = list(model.objects.all())
        return terms

    # -- generation --------------------------------------------------------------------------

    def generate(self, index, count, sessions_per_training, seed):
        first_number = self.next_number()
        rng = random.Random(f"{seed}-{first_number}")
        organisations = self.ensure_organisations()
        themes = self.ensure_terms(Theme, DEFAULT_THEMES)
        audiences = self.ensure_terms(Audience, DEFAULT_AUDIENCES)
        now = timezone.now()
        started = time.perf_counter()

        pages = []
        for offset in range(count):
            number = first_number + offset
            pages.append(self.build_training(rng, number, organisations, now))

        # Everything is drawn before the pages go in, so that each page is inserted once with
        # its next session (`next_session_start`), not inserted and then rewritten.
        chosen_themes, chosen_audiences, sessions_of = {}, {}, {}
        for page in pages:
            chosen_themes[page.slug] = rng.sample(themes, rng.randint(1, min(3, len(themes))))
            chosen_audiences[page.slug] = rng.sample(
                audiences, rng.randint(1, min(3, len(audiences)))
            )
            number = self.number_of(page.slug)
            how_many = sessions_per_training
            if number == 1:
                how_many = max(FIRST_TRAINING_SESSIONS, sessions_per_training)
            built = self.build_sessions(rng, page, how_many, now, showcase=number == 1)
            sessions_of[page.slug] = built
            page.next_session_start = next_session.first_upcoming_start(built, now)
        self.insert_pages(index, pages)

        theme_links, audience_links, sessions = [], [], []
        ThemeLink = TrainingPage.themes.through
        AudienceLink = TrainingPage.audiences.through
        for page in pages:
            for theme in chosen_themes[page.slug]:
                theme_links.append(ThemeLink(trainingpage_id=page.pk, theme_id=theme.pk))
            for audience in chosen_audiences[page.slug]:
                audience_links.append(
                    AudienceLink(trainingpage_id=page.pk, audience_id=audience.pk)
                )
            for session in sessions_of[page.slug]:
                session.page_id = page.pk
                sessions.append(session)
        ThemeLink.objects.bulk_create(theme_links, batch_size=2000)
        AudienceLink.objects.bulk_create(audience_links, batch_size=2000)
        TrainingSession.objects.bulk_create(sessions, batch_size=2000)
        # Bulk inserts send no signals: the one definition of the column checks every page
        # (and writes none, the values above being right).
        next_session.refresh_all(now)
        inserted = time.perf_counter()

        self.update_search_index([page.pk for page in pages])
        self.stdout.write(
            f"Rows inserted in {inserted - started:.1f} s, "
            f"search index updated in {time.perf_counter() - inserted:.1f} s."
        )
        return len(pages), len(sessions)

    @staticmethod
    def number_of(slug):
        match = re.match(rf"{SLUG_PREFIX}(\d+)", slug)
        return int(match.group(1)) if match else 0

    def next_number(self):
        slugs = Page.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
        return max((self.number_of(slug) for slug in slugs), default=0) + 1

    def build_training(self, rng, number, organisations, now):
        topic = rng.choice(TOPICS)
        if number == 1:
            topic = "la traite à des fins d'exploitation sexuelle"
        title = f"{rng.choice(ACTIONS)} {topic}"
        if rng.random() < 0.7:
            title = f"{title} : {rng.choice(ANGLES)}"
        summary = " ".join(
            part
            for part in (
                f"Cette formation permet de {rng.choice(GOALS)} {topic}.",
                rng.choice(SECOND_SENTENCES),
                rng.choice(THIRD_SENTENCES),
            )
            if part
        )[:400]
        objectives = "".join(f"<li>{o}</li>" for o in rng.sample(OBJECTIVES, 3))
        provider = rng.choice(organisations)
        published = now - datetime.timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 1440))
        english = rng.random() < 0.2
        return TrainingPage(
            title=title,
            draft_title=title,
            slug=f"{SLUG_PREFIX}{number:05d}-{slugify(title)[:60].strip('-')}",
            summary=summary,
            description=[
                {"type": "heading", "value": "Contenu"},
                {
                    "type": "paragraph",
                    "value": f"<p>{summary}</p><p>{rng.choice(SECOND_SENTENCES)}</p>",
                },
            ],
            learning_objectives=f"<ul>{objectives}</ul>",
            prerequisites="" if rng.random() < 0.8 else "Avoir suivi une formation de base.",
            provider=provider,
            duration_hours=Decimal(rng.choice(DURATIONS)),
            price=Decimal(0) if rng.random() < 0.4 else Decimal(rng.choice(PRICES)),
            offered_in_french=True,
            offered_in_english=english,
            certificate=rng.random() < 0.5,
            contact_name="Équipe formation",
            contact_email=provider.contact_email,
            visibility=(
                Visibility.MEMBERS if number != 1 and rng.random() < 0.1 else Visibility.PUBLIC
            ),
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            show_in_menus=False,
        )

    @staticmethod
    def insert_pages(index, pages):
        """Insert the pages as the last children of `index`, without revisions or signals.

        Page rows go in with one bulk INSERT; the TrainingPage rows are saved "raw" (as
        loaddata does: only their own table, and the search and reference-index signal
        handlers skip raw saves). The index's numchild is updated once.
        """
        depth = index.depth + 1
        last_path = (
            Page.objects.filter(path__startswith=index.path, depth=depth)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        position = Page._str2int(last_path[-Page.steplen :]) if last_path else 0
        url_prefix = index.url_path
        for page in pages:
            position += 1
            page.path = Page._get_path(index.path, depth, position)
            page.depth = depth
            page.numchild = 0
            page.locale_id = index.locale_id
            page.url_path = f"{url_prefix}{page.slug}/"

        base_fields = [f.attname for f in Page._meta.concrete_fields if f.attname != "id"]
        rows = Page.objects.bulk_create(
            [Page(**{name: getattr(page, name) for name in base_fields}) for page in pages],
            batch_size=1000,
        )
        for page, row in zip(pages, rows, strict=True):
            page.id = page.page_ptr_id = row.pk
            page.save_base(raw=True, force_insert=True)
        children = Page.objects.filter(path__startswith=index.path, depth=depth).count()
        Page.objects.filter(pk=index.pk).update(numchild=children)
        index.numchild = children

    @staticmethod
    def build_sessions(rng, page, count, now, showcase=False):
        sessions = []
        # Days are counted on Montréal's calendar and hours on its clock (trainings.dates).
        today = timezone.localdate(now, local_zone())
        hours = float(page.duration_hours)
        for order in range(count):
            if showcase:  # the first training: 4 past sessions, then upcoming ones
                days = (order - 3) * 21 - 10
            else:
                days = rng.randint(-240, -1) if rng.random() < 0.35 else rng.randint(1, 300)
            day = today + datetime.timedelta(days=days)
            start = at_local(day, datetime.time(rng.choice([9, 9, 13, 18])))
            # Long trainings span several days; keep the end on the last day.
            end = start + datetime.timedelta(hours=min(hours, 8))
            if hours > 8:
                end = days_later(end, 1)
            session_format = rng.choices(
                [SessionFormat.IN_PERSON, SessionFormat.ONLINE, SessionFormat.HYBRID],
                weights=[50, 35, 15],
            )[0]
            region = city = venue = address = online_url = ""
            if session_format != SessionFormat.ONLINE:
                region = rng.choices(
                    list(CITIES), weights=[REGION_WEIGHTS.get(r, 1) for r in CITIES]
                )[0]
                city = CITIES[region]
                venue = rng.choice(VENUES)
                address = f"{rng.randint(10, 9999)}, rue Principale"
            if session_format != SessionFormat.IN_PERSON:
                online_url = f"https://visio.example.org/{page.slug[:30]}-{order + 1}"
            language = Language.FRENCH
            if page.offered_in_english and rng.random() < 0.5:
                language = Language.ENGLISH
            closes = days_later(start, -2) if rng.random() < 0.3 else None
            sessions.append(
                TrainingSession(
                    page_id=page.pk,
                    sort_order=order,
                    start=start,
                    end=end,
                    format=session_format,
                    language=language,
                    venue=venue,
                    address=address,
                    city=city,
                    region=region,
                    online_url=online_url,
                    capacity=rng.choice(CAPACITIES),
                    waiting_list=rng.random() < 0.8,
                    enrolment_closes=closes,
                    status=(
                        SessionStatus.CANCELLED
                        if not showcase and rng.random() < 0.05
                        else SessionStatus.SCHEDULED
                    ),
                )
            )
        return sessions

    @staticmethod
    def analyze():
        """Refresh PostgreSQL's planner statistics: right after a bulk insert they describe the
        tables as they were (often empty), and plans chosen on them are wildly slow until
        autovacuum gets round to it."""
        if connection.vendor != "postgresql":
            return
        models = [
            Page,
            TrainingPage,
            TrainingSession,
            TrainingPage.themes.through,
            TrainingPage.audiences.through,
            IndexEntry,
        ]
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    # -- search ------------------------------------------------------------------------------

    @staticmethod
    def update_search_index(ids):
        backends = list(get_search_backends())
        for start in range(0, len(ids), INDEX_CHUNK):
            chunk = list(
                TrainingPage.objects.filter(pk__in=ids[start : start + INDEX_CHUNK])
                .select_related("provider", "locale")
                .prefetch_related("themes")
            )
            for backend in backends:
                backend.add_bulk(TrainingPage, chunk)
