"""Demo content of membership: the page of the membership criteria (French, then its English
translation), written from the coalition's own documents in our words, chosen in the site
settings so the application form links to it; two applications awaiting the committee; and the
dues of this year for a few demo organisations, one of each status, plus one unpaid by an
organisation that has no coordinator (the reminder screen lists it as "no one to remind").

Idempotent: the page is found by its slug, applications by organisation name and dues by
organisation and year; what exists (an editor's changes too) is left as it is. Dates come from
an injected `today` (load_demo passes nothing: the day of loading)."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, Site

from demo.site_content import SECTORS_EN, SECTORS_FR, cards, heading, paragraph
from home.models import SiteSettings, StandardPage
from members.models import (
    ApplicationStatus,
    DuesStatus,
    MembershipApplication,
    MembershipDues,
    Organisation,
)


def _principles(language):
    if language == "en":
        return cards(
            "Sharing the four guiding principles",
            [
                ("Trafficking is a crime", "And a serious violation of human rights."),
                (
                    "The victim at the heart of every intervention",
                    "Their rights, dignity and autonomy come first, always.",
                ),
                (
                    "A global, concerted approach",
                    "Members work together and refer people to one another.",
                ),
                (
                    "Prevention, protection, support",
                    "Preventing trafficking, protecting victims and supporting them properly.",
                ),
            ],
            introduction="A member organisation adheres to the four principles the coalition's "
            "actions rest on.",
            numbered=True,
        )
    return cards(
        "Adhérer aux quatre principes directeurs",
        [
            ("La traite est un crime", "Et une violation grave des droits de la personne."),
            (
                "La personne victime au cœur de l’intervention",
                "Ses droits, sa dignité et son autonomie passent avant tout, toujours.",
            ),
            (
                "Une approche globale et concertée",
                "Les membres travaillent ensemble et se réfèrent les personnes.",
            ),
            (
                "Prévention, protection, soutien",
                "Prévenir la traite, protéger les personnes victimes et bien les soutenir.",
            ),
        ],
        introduction="Un organisme membre adhère aux quatre principes sur lesquels reposent les "
        "actions de la coalition.",
        numbered=True,
    )


def criteria_page(language, form_url):
    """The title, slug, introduction and body of the criteria page in `language`; the body
    links to the application form at `form_url` (an address of this site, in that language)."""
    if language == "en":
        return {
            "title": "Membership criteria",
            "slug": "membership-criteria",
            "introduction": (
                "Who may join the Québec Coalition Against Human Trafficking, what members "
                "commit to, and how an organisation applies."
            ),
            "body": [
                heading("Who may become a member"),
                paragraph(
                    "<p>Membership is open to <b>organisations</b>, not to individuals: public, "
                    "para-public, community and non-governmental organisations concerned with "
                    "human trafficking, or that help and support people who are at risk of it, "
                    "caught in it or have lived through it, in Québec.</p>"
                    "<p>The coalition deals with trafficking in all its forms, in Québec and in "
                    "Canada, whether for sexual exploitation or for forced labour.</p>"
                ),
                cards(
                    "From one of these sectors",
                    SECTORS_EN,
                    introduction="Members come from the following sectors.",
                ),
                _principles("en"),
                heading("Taking part"),
                paragraph(
                    "<ul>"
                    "<li>Delegating a person to the members' meetings, four a year: news, "
                    "networking, training and the resources and projects under way.</li>"
                    "<li>Taking part, as far as possible, in a working committee (training, "
                    "awareness, political, clinical).</li>"
                    "<li>Paying the yearly membership dues the coalition adopted.</li>"
                    "</ul>"
                ),
                heading("How to apply"),
                paragraph(
                    f'<p>Fill in the <a href="{form_url}">membership application form</a>: the '
                    "organisation, one contact person, and in a few lines how it acts against "
                    "trafficking. The committee reviews the application and answers by e-mail. "
                    "Once accepted, the contact person is invited to create the organisation's "
                    "coordinator account, with which they invite their colleagues.</p>"
                ),
            ],
        }
    return {
        "title": "Critères d’adhésion",
        "slug": "criteres-adhesion",
        "introduction": (
            "Qui peut se joindre à la Coalition québécoise contre la traite des personnes, à "
            "quoi s’engagent les membres et comment un organisme fait sa demande."
        ),
        "body": [
            heading("Qui peut devenir membre"),
            paragraph(
                "<p>L’adhésion est ouverte aux <b>organismes</b>, pas aux personnes : organismes "
                "publics, parapublics, communautaires et non gouvernementaux concernés par la "
                "traite des personnes, ou qui aident et soutiennent, au Québec, les personnes à "
                "risque, aux prises avec la traite ou qui l’ont vécue.</p>"
                "<p>La coalition s’intéresse à la traite sous toutes ses formes, au Québec comme "
                "au Canada, qu’elle vise l’exploitation sexuelle ou le travail forcé.</p>"
            ),
            cards(
                "Issus de l’un de ces secteurs",
                SECTORS_FR,
                introduction="Les membres viennent des secteurs suivants.",
            ),
            _principles("fr-ca"),
            heading("Participer"),
            paragraph(
                "<ul>"
                "<li>Déléguer une personne aux rencontres des membres, quatre par année : "
                "nouvelles, réseautage, formation, ressources et projets en cours.</li>"
                "<li>Participer, dans la mesure du possible, à un comité de travail (formation, "
                "sensibilisation, politique, clinique).</li>"
                "<li>Verser la cotisation annuelle adoptée par la coalition.</li>"
                "</ul>"
            ),
            heading("Comment adhérer"),
            paragraph(
                f'<p>Remplissez le <a href="{form_url}">formulaire de demande d’adhésion</a> : '
                "l’organisme, une personne-ressource et, en quelques lignes, la façon dont il "
                "agit contre la traite. Le comité étudie la demande et répond par courriel. Une "
                "fois la demande acceptée, la personne-ressource est invitée à créer le compte "
                "de coordination de l’organisme, avec lequel elle invite ses collègues.</p>"
            ),
        ],
    }


APPLICATIONS = [
    {
        "organisation_name": "Centre d’appui aux travailleuses et travailleurs migrants (démo)",
        "sector": "community",
        "region": "16",
        "website": "https://exemple.org/travailleurs-migrants",
        "contact_name": "Ana Morales",
        "contact_email": "ana.morales@demo.cqctp.org",
        "contact_phone": "450 555-0142",
        "motivation": (
            "Nous accompagnons des travailleuses et travailleurs agricoles temporaires de la "
            "Montérégie. Plusieurs nous ont décrit des situations de travail forcé : passeports "
            "confisqués, dettes, menaces. Nous voulons mieux les repérer et les référer, et "
            "partager ce que nous voyons avec les autres membres."
        ),
        "language": "fr-ca",
        "days_ago": 3,
    },
    {
        "organisation_name": "Outaouais Youth Outreach (demo)",
        "sector": "youth-protection",
        "region": "07",
        "website": "",
        "contact_name": "Jordan Smith",
        "contact_email": "jordan.smith@demo.cqctp.org",
        "contact_phone": "",
        "motivation": (
            "Our street workers meet teenagers who are being recruited for sexual exploitation, "
            "often online. We would like to train our team with the coalition's members and "
            "build referral paths with services in Gatineau and Ottawa."
        ),
        "language": "en",
        "days_ago": 1,
    },
]

# This year's dues: one of each status, and one pending for an organisation with no
# coordinator. By organisation name (demo/trainings.py); a missing organisation is skipped.
DUES = [
    {"organisation": "Maison d'hébergement Le Phare", "status": "pending", "amount": "150.00"},
    {
        "organisation": "Clinique juridique Droits devant",
        "status": "paid",
        "amount": "150.00",
        "paid_days_ago": 20,
        "note": "Chèque reçu (démo).",
    },
    {
        "organisation": "CIUSSS (démo)",
        "status": "exempt",
        "note": "Établissement du réseau public : exempté par le comité (démo).",
    },
    {
        "organisation": "Regroupement des interprètes communautaires",
        "status": "pending",
        "amount": "75.00",
    },
]


def load(pages, today=None, stdout=None):
    """Create what is missing: the criteria page under the members' page in each language
    (`pages`: load_demo's {language: {key: page}}), the applications and this year's dues."""
    today = today or timezone.localdate()
    page = ensure_criteria_page(pages)
    applications = ensure_applications(today)
    dues = ensure_dues(today)
    if stdout is not None:
        stdout.write(
            f"Membership: criteria page {'ready' if page else 'skipped'}, "
            f"{applications} application(s) and {dues} dues row(s) created."
        )


def ensure_criteria_page(pages):
    members_fr = pages["fr-ca"].get("members")
    if members_fr is None:
        return None
    with translation.override("fr-ca"):
        data = criteria_page("fr-ca", reverse("members:membership_apply"))
    page = members_fr.get_children().filter(slug=data["slug"]).first()
    if page is None:
        members_fr.refresh_from_db()
        page = StandardPage(
            title=data["title"],
            slug=data["slug"],
            introduction=data["introduction"],
            body=data["body"],
            locale=members_fr.locale,
            show_in_menus=True,
        )
        members_fr.add_child(instance=page)
        page.save_revision().publish()
    page = page.specific
    english = Locale.objects.filter(language_code="en").first()
    if english is not None and page.get_translation_or_none(english) is None:
        with translation.override("en"):
            data = criteria_page("en", reverse("members:membership_apply"))
        translated = page.copy_for_translation(english, copy_parents=True).specific
        for name in ("title", "slug", "introduction", "body"):
            setattr(translated, name, data[name])
        translated.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        site_settings = SiteSettings.for_site(site)
        if site_settings.membership_criteria_page_id is None:
            site_settings.membership_criteria_page = page
            site_settings.save()
    return page


def _moment(today, days_ago, hour=10):
    day = today - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def ensure_applications(today):
    created = 0
    for data in APPLICATIONS:
        if MembershipApplication.objects.filter(
            organisation_name=data["organisation_name"]
        ).exists():
            continue
        fields = {k: v for k, v in data.items() if k != "days_ago"}
        moment = _moment(today, data["days_ago"])
        MembershipApplication.objects.create(
            **fields, status=ApplicationStatus.PENDING, created=moment, agreed_at=moment
        )
        created += 1
    return created


def ensure_dues(today):
    created = 0
    organisations = Organisation.objects.in_bulk(
        [data["organisation"] for data in DUES], field_name="name"
    )
    for data in DUES:
        organisation = organisations.get(data["organisation"])
        if organisation is None:
            continue
        paid_days_ago = data.get("paid_days_ago")
        _dues, was_created = MembershipDues.objects.get_or_create(
            organisation=organisation,
            year=today.year,
            defaults={
                "status": DuesStatus(data["status"]),
                "amount": Decimal(data["amount"]) if data.get("amount") else None,
                "paid_on": today - datetime.timedelta(days=paid_days_ago)
                if paid_days_ago is not None
                else None,
                "note": data.get("note", ""),
            },
        )
        created += was_created
    return created
