"""The demo newsletter: its archive (/infolettre/, /en/newsletter/) and two past issues, written
from the coalition's history, in French (the source) and English.

Idempotent: the archive is found by type under each home page, the issues by slug; what exists
is left as it is (editors' changes survive), only what is missing is created and published.
The archive stays out of the main menu (its place is chosen by the editors); the footer links
to it. No subscriber is created: subscribing is the visitor's own act (double opt-in)."""

import copy
import datetime

from wagtail.models import Locale

from home.models import HomePage
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


def cards(heading_text, items):
    return {
        "type": "cards",
        "value": {
            "heading": heading_text,
            "introduction": "",
            "numbered": False,
            "cards": [{"title": title, "text": text} for title, text in items],
        },
    }


def timeline(heading_text, milestones):
    return {
        "type": "timeline",
        "value": {
            "heading": heading_text,
            "milestones": [
                {"year": year, "end_year": None, "date_label": label, "title": "", "events": events}
                for year, label, events in milestones
            ],
        },
    }


ARCHIVE = {
    "fr-ca": {
        "title": "Infolettre",
        "slug": "infolettre",
        "introduction": (
            "Les nouvelles de la Coalition et de ses membres : projets, formations, prises de "
            "position. Lisez les numéros parus ou recevez les prochains par courriel."
        ),
    },
    "en": {
        "title": "Newsletter",
        "slug": "newsletter",
        "introduction": (
            "News from the Coalition and its members: projects, trainings, positions taken. "
            "Read past issues or receive the next ones by e-mail."
        ),
    },
}

ISSUES = [
    {
        "date": datetime.date(2021, 10, 15),
        "fr-ca": {
            "title": "La Coalition devient un organisme sans but lucratif",
            "slug": "coalition-organisme-sans-but-lucratif",
            "summary": (
                "Lettres patentes en janvier, assemblée de fondation en septembre : la Coalition "
                "a maintenant une existence juridique, des règlements généraux et un premier "
                "conseil d’administration. Prochaine étape : financer une coordination à temps "
                "plein."
            ),
            "body": [
                paragraph(
                    "<p>Le 12 janvier 2021, le Registraire des entreprises du Québec a émis les "
                    "lettres patentes qui font de la Coalition québécoise contre la traite des "
                    "personnes une personne morale sans but lucratif. La demande avait été "
                    "déposée en 2020, puis ralentie par les cinq mois de pause imposés par le "
                    "confinement.</p>"
                ),
                heading("Une assemblée de fondation"),
                paragraph(
                    "<p>Le 28 septembre 2021, les membres se sont réunis en assemblée "
                    "d’organisation. Ils ont adopté les règlements généraux et élu le premier "
                    "conseil d’administration de la Coalition.</p>"
                ),
                cards(
                    "Ce qui change pour les membres",
                    [
                        (
                            "Une voix reconnue",
                            "Une personne morale peut signer des ententes, demander du "
                            "financement et parler au nom de ses membres.",
                        ),
                        (
                            "Des règles claires",
                            "Les règlements généraux précisent l’adhésion, le rôle du conseil "
                            "et la durée des mandats.",
                        ),
                        (
                            "Une coordination à bâtir",
                            "La recherche de financement se poursuit pour embaucher une "
                            "coordination à temps plein et assurer la continuité du travail.",
                        ),
                    ],
                ),
                paragraph(
                    "<p>Les quatre rencontres annuelles des membres continuent : on y échange "
                    "des nouvelles, on y fait du réseautage, on s’y forme et on y découvre les "
                    "ressources et les projets des autres organismes.</p>"
                ),
            ],
        },
        "en": {
            "title": "The Coalition becomes a non-profit organisation",
            "slug": "coalition-becomes-a-non-profit",
            "summary": (
                "Letters patent in January, a founding meeting in September: the Coalition now "
                "exists as a legal person, with general by-laws and a first board of directors. "
                "Next step: funding a full-time coordinator."
            ),
            "body": [
                paragraph(
                    "<p>On 12 January 2021, Québec’s enterprise registrar issued the letters "
                    "patent that make the Québec Coalition Against Human Trafficking a non-profit "
                    "legal person. The application had been filed in 2020, then slowed down by "
                    "the five-month pause of the lockdown.</p>"
                ),
                heading("A founding meeting"),
                paragraph(
                    "<p>On 28 September 2021, the members met for the organisation meeting. They "
                    "adopted the general by-laws and elected the Coalition’s first board of "
                    "directors.</p>"
                ),
                cards(
                    "What changes for members",
                    [
                        (
                            "A recognised voice",
                            "A legal person can sign agreements, apply for funding and speak on "
                            "behalf of its members.",
                        ),
                        (
                            "Clear rules",
                            "The general by-laws set out membership, the board’s role and the "
                            "length of terms.",
                        ),
                        (
                            "A coordination to build",
                            "The search for funding goes on, to hire a full-time coordinator and "
                            "keep the work going.",
                        ),
                    ],
                ),
                paragraph(
                    "<p>The members’ four meetings a year go on: news, networking, training, and "
                    "learning about the other organisations’ resources and projects.</p>"
                ),
            ],
        },
    },
    {
        "date": datetime.date(2023, 4, 11),
        "fr-ca": {
            "title": "Dix ans de concertation contre la traite",
            "slug": "dix-ans-de-concertation",
            "summary": (
                "Le 11 avril 2013, la Coalition était officiellement lancée. Dix ans plus tard, "
                "retour sur les grandes étapes, des premières rencontres de 2011 au comité "
                "formation, en passant par les mémoires présentés au gouvernement du Québec."
            ),
            "body": [
                paragraph(
                    "<p>Tout a commencé en juin 2011, quand le Comité d’action contre la traite "
                    "humaine interne et internationale (CATHII) a réuni des organismes de la "
                    "région de Montréal qui venaient en aide aux personnes ayant vécu la traite. "
                    "Ce qui devait être un lieu d’échange est devenu, deux ans plus tard, une "
                    "coalition à l’échelle du Québec.</p>"
                ),
                timeline(
                    "Quelques étapes",
                    [
                        (
                            2011,
                            "Juin",
                            [
                                "Première rencontre exploratoire : quatorze représentantes et "
                                "représentants d’organismes de divers secteurs."
                            ],
                        ),
                        (
                            2013,
                            "11 avril",
                            [
                                "Lancement officiel de la Coalition, avec un comité de "
                                "sensibilisation et un comité politique."
                            ],
                        ),
                        (
                            2014,
                            "",
                            [
                                "Première infolettre; les membres se réunissent désormais "
                                "quatre fois par année."
                            ],
                        ),
                        (
                            2016,
                            "",
                            [
                                "Création du comité formation et inventaire des formations "
                                "offertes par les organisations membres."
                            ],
                        ),
                        (
                            2017,
                            "",
                            [
                                "Lettre au Protecteur du citoyen : la Coalition propose un fonds "
                                "dédié à l’interprétariat, gratuit pour les organismes."
                            ],
                        ),
                        (
                            2019,
                            "",
                            [
                                "Mémoire présenté à la Commission spéciale sur l’exploitation "
                                "sexuelle des mineurs."
                            ],
                        ),
                        (
                            2021,
                            "",
                            [
                                "Lettres patentes et assemblée de fondation : la Coalition "
                                "devient un organisme sans but lucratif."
                            ],
                        ),
                    ],
                ),
                heading("Et maintenant?"),
                paragraph(
                    "<p>Les priorités restent les mêmes : que les cas de traite soient "
                    "reconnus, que les personnes soient dirigées vers les bons services et que "
                    "les organismes se forment ensemble. Le catalogue des formations offertes "
                    "par les membres en est le prolongement direct.</p>"
                ),
            ],
        },
        "en": {
            "title": "Ten years of working together against trafficking",
            "slug": "ten-years-of-working-together",
            "summary": (
                "On 11 April 2013, the Coalition was officially launched. Ten years on, a look "
                "back at the milestones, from the first meetings of 2011 to the training "
                "committee and the briefs presented to the Québec government."
            ),
            "body": [
                paragraph(
                    "<p>It all began in June 2011, when the Comité d’action contre la traite "
                    "humaine interne et internationale (CATHII) brought together organisations of "
                    "the Montréal area that helped people who had lived through trafficking. What "
                    "was meant as a place to share became, two years later, a Québec-wide "
                    "coalition.</p>"
                ),
                timeline(
                    "Some milestones",
                    [
                        (
                            2011,
                            "June",
                            [
                                "First exploratory meeting: fourteen representatives of "
                                "organisations from several sectors."
                            ],
                        ),
                        (
                            2013,
                            "11 April",
                            [
                                "Official launch of the Coalition, with an awareness committee "
                                "and a policy committee."
                            ],
                        ),
                        (
                            2014,
                            "",
                            ["First newsletter; members now meet four times a year."],
                        ),
                        (
                            2016,
                            "",
                            [
                                "A training committee is created and takes stock of the "
                                "trainings member organisations give."
                            ],
                        ),
                        (
                            2017,
                            "",
                            [
                                "Letter to the Québec Ombudsman: the Coalition proposes a fund "
                                "for interpreting, free for organisations."
                            ],
                        ),
                        (
                            2019,
                            "",
                            [
                                "Brief presented to the Special Commission on the Sexual "
                                "Exploitation of Minors."
                            ],
                        ),
                        (
                            2021,
                            "",
                            [
                                "Letters patent and founding meeting: the Coalition becomes a "
                                "non-profit organisation."
                            ],
                        ),
                    ],
                ),
                heading("What now?"),
                paragraph(
                    "<p>The priorities have not changed: that cases of trafficking are "
                    "recognised, that people are referred to the right services, and that "
                    "organisations learn together. The catalogue of the trainings members give "
                    "follows directly from them.</p>"
                ),
            ],
        },
    },
]


def load(stdout=None):
    """Create what is missing of the demo newsletter; return how many pages were created."""
    home_fr = HomePage.objects.filter(locale__language_code="fr-ca", depth=2).first()
    if home_fr is None:
        return 0
    english = Locale.objects.get_or_create(language_code="en")[0]
    created = 0

    archive_fr = home_fr.get_children().type(NewsletterIndexPage).first()
    if archive_fr is None:
        archive_fr = NewsletterIndexPage(
            **ARCHIVE["fr-ca"], show_in_menus=False, locale=home_fr.locale
        )
        home_fr.add_child(instance=archive_fr)
        archive_fr.save_revision().publish()
        created += 1
    archive_fr = archive_fr.specific
    if archive_fr.get_translation_or_none(english) is None:
        translate(archive_fr, english, ARCHIVE["en"])
        created += 1

    for data in ISSUES:
        archive_fr.refresh_from_db()  # tree counters change as children are added
        issue_fr = archive_fr.get_children().filter(slug=data["fr-ca"]["slug"]).first()
        if issue_fr is None:
            issue_fr = NewsletterIssuePage(
                **copy.deepcopy(data["fr-ca"]), date=data["date"], locale=archive_fr.locale
            )
            archive_fr.add_child(instance=issue_fr)
            issue_fr.save_revision().publish()
            created += 1
        issue_fr = issue_fr.specific
        if issue_fr.get_translation_or_none(english) is None:
            translate(issue_fr, english, data["en"])
            created += 1
    if stdout is not None and created:
        stdout.write(f"Newsletter: {created} page(s) created.")
    return created


def translate(source, locale, fields):
    """Wagtail's simple translation, as an editor would: copy, write the English, publish."""
    page = source.copy_for_translation(locale, copy_parents=True).specific
    for name, value in copy.deepcopy(fields).items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page
