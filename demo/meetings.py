"""Demo member meetings: the coalition's members meet four times a year. Two meetings behind
us (with their minutes) and two ahead, dated from "today", in French and English; a demo
member has answered the next one."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale

from meetings.models import Answer, MeetingPage
from meetings.services import respond
from trainings.dates import at_local, local_zone

MEETINGS_PAGE = {
    "fr-ca": {
        "title": "Rencontres des membres",
        "slug": "rencontres",
        "introduction": (
            "Les membres de la coalition se réunissent quatre fois par année pour échanger "
            "sur leurs pratiques, faire le point sur les dossiers et décider des actions "
            "communes."
        ),
    },
    "en": {
        "title": "Member meetings",
        "slug": "meetings",
        "introduction": (
            "The coalition's members meet four times a year to share their practices, review "
            "current files and decide on joint action."
        ),
    },
}

AGENDA = {
    "fr-ca": (
        "<ol><li>Tour de table des organismes</li><li>{topic}</li>"
        "<li>Nouvelles du comité formation</li><li>Varia</li></ol>"
    ),
    "en": (
        "<ol><li>Round table of the organisations</li><li>{topic}</li>"
        "<li>News from the training committee</li><li>Other business</li></ol>"
    ),
}

# (days from today, French title and topic, English title and topic, minutes or "")
MEETINGS = [
    (
        -150,
        ("Rencontre du printemps", "Bilan de la campagne du Grand Prix"),
        ("Spring meeting", "Review of the Grand Prix campaign"),
        (
            "<p>Les membres ont fait le bilan de la campagne de sensibilisation : plus de "
            "lieux rejoints que l’an dernier. Décision : reconduire la campagne.</p>",
            "<p>Members reviewed the awareness campaign: more venues reached than last year. "
            "Decision: run the campaign again.</p>",
        ),
    ),
    (
        -60,
        ("Rencontre de l’automne", "Interprétariat : où en sommes-nous ?"),
        ("Autumn meeting", "Interpreting: where do we stand?"),
        (
            "<p>Point sur la lettre concernant l’accès aux interprètes. Un groupe de travail "
            "prépare une fiche pour les intervenants.</p>",
            "<p>Update on the letter about access to interpreters. A working group is preparing "
            "a sheet for front-line workers.</p>",
        ),
    ),
    (
        21,
        ("Rencontre d’hiver", "Plan d’action de la prochaine année"),
        ("Winter meeting", "Next year's action plan"),
        ("", ""),
    ),
    (
        110,
        ("Rencontre du printemps prochain", "Accueil des nouveaux membres"),
        ("Next spring meeting", "Welcoming new members"),
        ("", ""),
    ),
]


def load(index_fr, index_en, today=None, stdout=None):
    """Create the demo meetings once (by French title) under the two indexes."""
    today = today or timezone.localdate(timezone=local_zone())
    english = Locale.objects.get(language_code="en")
    created = 0
    for days, (title_fr, topic_fr), (title_en, topic_en), minutes in MEETINGS:
        index_fr.refresh_from_db()
        if index_fr.get_children().filter(title=title_fr).exists():
            continue
        day = today + datetime.timedelta(days=days)
        online = days > 0 and days < 60  # the next one is hybrid
        meeting = MeetingPage(
            title=title_fr,
            start=at_local(day, datetime.time(9, 30)),
            end=at_local(day, datetime.time(12, 0)),
            place="Salle communautaire (démo), Montréal",
            online_link="https://visio.example.org/cqctp-rencontre" if online else "",
            agenda=AGENDA["fr-ca"].format(topic=topic_fr),
            minutes=minutes[0],
        )
        index_fr.add_child(instance=meeting)
        meeting.save_revision().publish()
        translation = meeting.copy_for_translation(english).specific
        translation.title = title_en
        translation.slug = slugify(title_en)
        translation.place = "Community hall (demo), Montréal"
        translation.agenda = AGENDA["en"].format(topic=topic_en)
        translation.minutes = minutes[1]
        translation.save_revision().publish()
        created += 1
        if online:
            member = get_user_model().objects.filter(email="membre@demo.cqctp.org").first()
            if member is not None:
                respond(member, meeting, Answer.ONLINE)
    if stdout is not None and created:
        stdout.write(f"Member meetings: {created} demo meeting(s).")
