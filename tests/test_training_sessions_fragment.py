"""A training page's sessions (the list, the past ones, their JSON-LD) are the same for every
visitor, so they are kept in the shared cache (TrainingPage.session_parts, home/fragments.py).
Kept, they must never be wrong: a seat taken, a session changed, enrolment opening or
closing and a session ending all show on the very next request, in each language, and a
preview neither reads nor writes them."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from home import routing
from tests import factories as f
from trainings import services
from trainings.models import TrainingPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendering_only(settings):
    """The anonymous page cache off: what is measured is the page's own rendering."""
    settings.PAGE_CACHE_SECONDS = 0
    routing.forget()


@pytest.fixture
def training(frozen_now):
    return f.training(title="Repérer la traite", sessions=[f.session(10, capacity=2)])


def sessions_section(html):
    start = html.index('<section aria-labelledby="sessions-heading">')
    return html[start : html.index("</section>", start)]


def test_the_second_visit_reads_no_session(client, training):
    first = client.get(training.url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        second = client.get(training.url).content.decode()
    assert second == first
    assert not any("trainings_trainingsession" in query["sql"] for query in captured)


def test_a_seat_taken_shows_at_once(client, training):
    session = training.sessions.get()
    people = [f.member(), f.member()]  # (a new member organisation is new content)
    assert "2 places restantes" in sessions_section(client.get(training.url).content.decode())
    services.enrol(people[0], session, consent=True)
    assert "1 place restante" in sessions_section(client.get(training.url).content.decode())
    services.enrol(people[1], session, consent=True)
    section = sessions_section(client.get(training.url).content.decode())
    assert "Complet – liste d’attente" in section and "Rejoindre la liste d’attente" in section


def test_a_session_changed_by_the_editors_shows_at_once(client, training):
    client.get(training.url)
    page = TrainingPage.objects.get(pk=training.pk)
    session = page.sessions.get()
    session.city = "Sherbrooke"
    page.sessions = [session]
    page.save_revision().publish()
    assert "Sherbrooke" in sessions_section(client.get(training.url).content.decode())


def test_enrolment_closing_and_the_session_ending_show_when_they_happen(client, frozen_now):
    """Within the hour, long before any cache entry would expire by its age."""
    soon = f.session(0, hours=1, hour=11)  # today 11:00 to 12:00; it is 10:00
    soon.enrolment_closes = frozen_now + datetime.timedelta(minutes=30)
    training = f.training(title="Bientôt", sessions=[soon])
    section = sessions_section(client.get(training.url).content.decode())
    assert "S’inscrire" in section and "Inscriptions fermées" not in section
    with time_machine.travel(frozen_now + datetime.timedelta(minutes=45)):
        section = sessions_section(client.get(training.url).content.decode())
        assert "Inscriptions fermées" in section and "S’inscrire" not in section
    with time_machine.travel(frozen_now + datetime.timedelta(hours=2, minutes=5)):
        html = client.get(training.url).content.decode()
        assert "1 séance passée" in html and "Sur demande." in sessions_section(html)


def test_each_language_keeps_its_own_sessions(client, training):
    locale = Locale.objects.get_or_create(language_code="en")[0]
    english = training.copy_for_translation(locale, copy_parents=True)
    english.save_revision().publish()
    for ancestor in english.get_ancestors().filter(depth__gt=1, live=False):
        ancestor.specific.save_revision().publish()
    english = TrainingPage.objects.get(pk=english.pk)
    for _ in range(2):
        french = sessions_section(client.get(training.url).content.decode())
        other = sessions_section(client.get(english.url).content.decode())
        assert "Prochaines séances" in french and "places restantes" in french
        assert "Upcoming sessions" in other and "seats left" in other


def test_a_preview_neither_reads_nor_writes_the_kept_sessions(client, training):
    """The kept part holds the JSON-LD, which names the training: a draft's title must show
    in its preview (not what was kept) and never on the public page."""
    client.get(training.url)  # kept
    page = TrainingPage.objects.get(pk=training.pk)
    page.title = "Titre du brouillon"
    draft = page.save_revision().as_object()  # a draft, not published
    preview = draft.make_preview_request().content.decode()
    assert '"name": "Titre du brouillon"' in preview
    public = client.get(training.url).content.decode()
    assert "Titre du brouillon" not in public and '"name": "Repérer la traite"' in public
