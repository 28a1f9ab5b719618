"""Demo training catalogue: member organisations, themes, audiences, trainings and sessions.

Plain data (no Django imports), so that editors can read and correct it. Every organisation,
address and person is fictional: web sites and e-mail addresses use example.org, telephone
numbers the 555-01xx range kept for fiction. French is the source language; "en" holds the
English version of a training.

Session dates are given relative to the day the demo is loaded (`days`: negative for past
sessions), so the catalogue always has upcoming sessions. `hour` is Montréal time.
"""

# -- Member organisations ----------------------------------------------------------------------
# sector: a value of members.models.Sector; region: the number of members.models.Region.

ORGANISATIONS = [
    {
        "name": "Maison d'hébergement Le Phare",
        "sector": "community",
        "region": "06",
        "website": "https://example.org/le-phare",
        "contact_email": "lephare@example.org",
        "contact_phone": "514 555-0142",
        "member_since": 2013,
        "description": (
            "Maison d'hébergement ouverte jour et nuit pour les femmes qui sortent de "
            "l'exploitation sexuelle. L'équipe accompagne aussi les personnes hébergées dans "
            "leurs démarches et forme les intervenantes et intervenants du réseau."
        ),
        "description_en": (
            "A shelter open day and night for women leaving sexual exploitation. The team also "
            "supports residents in their next steps and trains workers across the network."
        ),
    },
    {
        "name": "Regroupement des interprètes communautaires",
        "sector": "community",
        "region": "06",
        "website": "https://example.org/interpretes",
        "contact_email": "interpretes@example.org",
        "contact_phone": "514 555-0167",
        "member_since": 2016,
        "description": (
            "Réseau d'interprètes formés pour intervenir auprès des personnes victimes, dans plus "
            "de trente langues, en personne, par téléphone ou par vidéo."
        ),
        "description_en": (
            "A network of interpreters trained to work with victims, in more than thirty "
            "languages, in person, by phone or by video."
        ),
    },
    {
        "name": "CIUSSS (démo)",
        "sector": "health",
        "region": "03",
        "website": "https://example.org/ciusss",
        "contact_email": "formation.ciusss@example.org",
        "contact_phone": "418 555-0110",
        "member_since": 2014,
        "description": (
            "Établissement du réseau public de la santé et des services sociaux. Son équipe "
            "spécialisée en violence sexuelle et en exploitation soutient les professionnels "
            "des urgences, des CLSC et des cliniques."
        ),
        "description_en": (
            "A public health and social services institution. Its team specialised in sexual "
            "violence and exploitation supports professionals in emergency rooms, CLSCs and "
            "clinics."
        ),
    },
    {
        "name": "Clinique juridique Droits devant",
        "sector": "victim-support",
        "region": "13",
        "website": "https://example.org/droits-devant",
        "contact_email": "droitsdevant@example.org",
        "contact_phone": "450 555-0133",
        "member_since": 2015,
        "description": (
            "Clinique juridique gratuite pour les personnes victimes d'actes criminels : "
            "information sur leurs droits, aide pour les demandes à l'IVAC et accompagnement à "
            "la cour."
        ),
        "description_en": (
            "A free legal clinic for victims of crime: information on their rights, help with "
            "IVAC claims and accompaniment to court."
        ),
    },
    {
        "name": "Centre jeunesse (démo)",
        "sector": "youth-protection",
        "region": "16",
        "website": "https://example.org/centre-jeunesse",
        "contact_email": "centrejeunesse@example.org",
        "contact_phone": "450 555-0188",
        "member_since": 2017,
        "description": (
            "Centre de protection de la jeunesse. Une équipe dédiée y prévient les fugues et "
            "l'exploitation sexuelle des adolescentes et adolescents hébergés."
        ),
        "description_en": (
            "A youth protection centre. A dedicated team works to prevent runaways and the "
            "sexual exploitation of the teenagers in its care."
        ),
    },
    {
        "name": "Service de police de l'agglomération (démo)",
        "sector": "justice",
        "region": "05",
        "website": "https://example.org/police",
        "contact_email": "police.prevention@example.org",
        "contact_phone": "819 555-0121",
        "member_since": 2019,
        "description": (
            "Corps de police municipal. Sa section des crimes contre la personne enquête sur la "
            "traite en collaboration avec les organismes d'aide aux victimes."
        ),
        "description_en": (
            "A municipal police force. Its crimes against persons unit investigates trafficking "
            "together with victim support organisations."
        ),
    },
    {
        "name": "Inspection du travail (démo)",
        "sector": "government",
        "region": "07",
        "website": "https://example.org/inspection-travail",
        "contact_email": "inspection@example.org",
        "contact_phone": "819 555-0159",
        "member_since": 2021,
        "description": (
            "Organisme gouvernemental qui veille au respect des normes du travail, notamment "
            "pour les travailleuses et travailleurs étrangers temporaires."
        ),
        "description_en": (
            "A government agency that enforces labour standards, in particular for temporary "
            "foreign workers."
        ),
    },
]

# -- Taxonomy ----------------------------------------------------------------------------------

THEMES = [
    {"name": "Repérer les victimes", "name_en": "Identifying victims", "slug": "reperer"},
    {
        "name": "Exploitation sexuelle",
        "name_en": "Sexual exploitation",
        "slug": "exploitation-sexuelle",
    },
    {"name": "Travail forcé", "name_en": "Forced labour", "slug": "travail-force"},
    {
        "name": "Cadre juridique et IVAC",
        "name_en": "Legal framework and IVAC",
        "slug": "cadre-juridique-ivac",
    },
    {
        "name": "Intervention auprès des mineurs",
        "name_en": "Working with minors",
        "slug": "intervention-mineurs",
    },
    {"name": "Interprétariat", "name_en": "Interpreting", "slug": "interpretariat"},
    {
        "name": "Approche centrée sur la victime",
        "name_en": "Victim-centred approach",
        "slug": "approche-centree-victime",
    },
]

AUDIENCES = [
    {"name": "Grand public", "name_en": "General public", "slug": "grand-public"},
    {
        "name": "Intervenantes et intervenants communautaires",
        "name_en": "Community workers",
        "slug": "intervention-communautaire",
    },
    {
        "name": "Santé et services sociaux",
        "name_en": "Health and social services",
        "slug": "sante-services-sociaux",
    },
    {"name": "Policières et policiers", "name_en": "Police officers", "slug": "police"},
    {"name": "Avocates, avocats et juges", "name_en": "Lawyers and judges", "slug": "juristes"},
    {
        "name": "Intervention jeunesse",
        "name_en": "Youth workers",
        "slug": "intervention-jeunesse",
    },
    {"name": "Étudiantes et étudiants", "name_en": "Students", "slug": "etudiants"},
]

# -- Sessions ----------------------------------------------------------------------------------

PLACES = {
    "montreal": {
        "venue": "Centre communautaire du Plateau (démo)",
        "address": "1000, rue de l'Exemple",
        "city": "Montréal",
        "region": "06",
    },
    "quebec": {
        "venue": "Salle de formation du CIUSSS (démo)",
        "address": "200, boulevard Fictif",
        "city": "Québec",
        "region": "03",
    },
    "laval": {
        "venue": "Maison des organismes (démo)",
        "address": "55, avenue des Démonstrations",
        "city": "Laval",
        "region": "13",
    },
    "longueuil": {
        "venue": "Centre jeunesse (démo), salle Rive-Sud",
        "address": "300, chemin de l'Essai",
        "city": "Longueuil",
        "region": "16",
    },
    "saint-hyacinthe": {
        "venue": "Salle de l'Union des producteurs (démo)",
        "address": "12, rang du Modèle",
        "city": "Saint-Hyacinthe",
        "region": "16",
    },
    "sherbrooke": {
        "venue": "Quartier général de police (démo)",
        "address": "700, rue Imaginaire",
        "city": "Sherbrooke",
        "region": "05",
    },
    "gatineau": {
        "venue": "Bureau régional de l'Inspection du travail (démo)",
        "address": "90, rue du Prototype",
        "city": "Gatineau",
        "region": "07",
    },
    "saguenay": {
        "venue": "Carrefour communautaire (démo)",
        "address": "25, rue de la Maquette",
        "city": "Saguenay",
        "region": "02",
    },
}

ONLINE_URL = "https://example.org/classe-virtuelle"


def session(days, hour, hours, format="in-person", place=None, minute=0, **extra):
    """One session: `days` from the loading day, `hour`:`minute` Montréal time, `hours` long.

    extra: language ("fr" or "en"), capacity, status ("scheduled" or "cancelled"), and full=True
    for a session whose seats are all taken by demo participants (see DEMO_PARTICIPANTS).
    """
    data = {
        "days": days,
        "hour": hour,
        "minute": minute,
        "hours": hours,
        "format": format,
        "language": "fr",
        "capacity": 20,
        "status": "scheduled",
        "full": False,
        "venue": "",
        "address": "",
        "city": "",
        "region": "",
        "online_url": "",
    }
    if place is not None:
        data.update(PLACES[place])
    if format in ("online", "hybrid"):
        data["online_url"] = ONLINE_URL
    data.update(extra)
    return data


def online(days, hour, hours, **extra):
    return session(days, hour, hours, format="online", **extra)


def in_person(days, hour, hours, place, **extra):
    return session(days, hour, hours, format="in-person", place=place, **extra)


def hybrid(days, hour, hours, place, **extra):
    return session(days, hour, hours, format="hybrid", place=place, **extra)


# Demo accounts, all staff of the same member organisation. In development (DEBUG) the first
# two can sign in with DEMO_PASSWORD; the participants cannot (no password).
DEMO_ORGANISATION = "Maison d'hébergement Le Phare"
DEMO_PASSWORD = "formation-demo-2026"  # noqa: S105  (set only when DEBUG is on)
DEMO_ACCOUNTS = [
    {
        "email": "membre@demo.cqctp.org",
        "first_name": "Alex",
        "last_name": "Membre",
        "role": "member",
        "can_sign_in": True,
    },
    {
        "email": "coordination@demo.cqctp.org",
        "first_name": "Dominique",
        "last_name": "Coordination",
        "role": "coordinator",
        "can_sign_in": True,
    },
    {
        "email": "participant1@demo.cqctp.org",
        "first_name": "Camille",
        "last_name": "Démo",
        "role": "member",
        "can_sign_in": False,
    },
    {
        "email": "participant2@demo.cqctp.org",
        "first_name": "Sami",
        "last_name": "Démo",
        "role": "member",
        "can_sign_in": False,
    },
    {
        "email": "participant3@demo.cqctp.org",
        "first_name": "Noor",
        "last_name": "Démo",
        "role": "member",
        "can_sign_in": False,
    },
]
# In the full session (3 seats): confirmed first, in this order, then the waiting list. The demo
# member cancels their seat and participant3 is promoted at once.
FULL_SESSION_CONFIRMED = [
    "participant1@demo.cqctp.org",
    "participant2@demo.cqctp.org",
    "membre@demo.cqctp.org",
]
FULL_SESSION_WAITING = ["participant3@demo.cqctp.org"]

# -- Trainings ---------------------------------------------------------------------------------
# description: HTML paragraphs (blocks "paragraph") and heading("…") blocks, in order.
# provider: an organisation's name; themes and audiences: slugs.


def heading(text):
    return {"type": "heading", "value": text}


def objectives(*items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


TRAININGS = [
    {
        "title": "Reconnaître les signes de la traite des personnes",
        "slug": "reconnaitre-les-signes-de-la-traite",
        "summary": (
            "Une introduction claire à la traite des personnes au Québec : ce qu'elle est, qui "
            "elle touche et comment la repérer. Vous apprendrez à la distinguer d'autres formes "
            "d'exploitation et à savoir vers qui diriger une personne qui a besoin d'aide."
        ),
        "description": [
            "<p>La traite des personnes existe aussi au Québec. Elle touche surtout des femmes "
            "et des jeunes, souvent recrutés par une personne de confiance, mais aussi des "
            "travailleuses et travailleurs venus d'ailleurs.</p>",
            heading("Déroulement"),
            "<p>À partir de situations inspirées de cas réels, nous voyons les signes qui "
            "doivent alerter, les questions à poser avec délicatesse et les erreurs à éviter. "
            "La formation se termine par un tour des ressources d'aide, dont la Ligne "
            "d'urgence canadienne contre la traite des personnes (1-833-900-1010).</p>",
        ],
        "learning_objectives": objectives(
            "définir la traite des personnes et la distinguer du passage de clandestins ;",
            "reconnaître les principaux signes de la traite ;",
            "réagir de façon sécuritaire et respectueuse quand une personne se confie ;",
            "diriger la personne vers les bonnes ressources.",
        ),
        "prerequisites": "",
        "provider": "Maison d'hébergement Le Phare",
        "themes": ["reperer", "approche-centree-victime"],
        "audiences": ["grand-public", "intervention-communautaire", "etudiants"],
        "duration_hours": "3",
        "price": "0",
        "offered_in_french": True,
        "offered_in_english": True,
        "certificate": True,
        "contact_name": "Équipe de formation du Phare",
        "contact_email": "lephare@example.org",
        "contact_phone": "514 555-0142",
        "visibility": "public",
        "sessions": [
            online(-45, 9, 3),
            online(12, 13, 3),
            in_person(48, 9, 3, "montreal"),
            online(85, 18, 3, language="en"),
        ],
        "en": {
            "title": "Recognising the signs of human trafficking",
            "slug": "recognising-the-signs-of-human-trafficking",
            "summary": (
                "A clear introduction to human trafficking in Québec: what it is, who it affects "
                "and how to spot it. You will learn to tell it apart from other forms of "
                "exploitation and where to refer someone who needs help."
            ),
            "description": [
                "<p>Human trafficking happens in Québec too. It mostly affects women and young "
                "people, often recruited by someone they trust, but also workers who came from "
                "abroad.</p>",
                heading("How it works"),
                "<p>Using situations drawn from real cases, we look at the signs that should "
                "raise concern, the questions to ask with care and the mistakes to avoid. The "
                "training ends with an overview of support services, including the Canadian "
                "Human Trafficking Hotline (1-833-900-1010).</p>",
            ],
            "learning_objectives": objectives(
                "define human trafficking and tell it apart from human smuggling;",
                "recognise the main signs of trafficking;",
                "respond safely and respectfully when someone confides in you;",
                "refer the person to the right services.",
            ),
            "contact_name": "Le Phare training team",
        },
    },
    {
        "title": "Exploitation sexuelle : comprendre le recrutement et l'emprise",
        "slug": "exploitation-sexuelle-recrutement-et-emprise",
        "summary": (
            "Comment une personne se retrouve-t-elle prise dans l'exploitation sexuelle ? Cette "
            "formation explique les étapes du recrutement, de la séduction à l'emprise, et ce qui "
            "empêche de demander de l'aide. Vous repartirez avec des pistes concrètes pour "
            "accompagner les personnes touchées."
        ),
        "description": [
            "<p>Le recrutement passe souvent par une relation amoureuse, une amitié ou une offre "
            "d'emploi. L'emprise s'installe ensuite peu à peu : dettes, isolement, menaces, "
            "consommation.</p>",
            "<p>Nous analysons ces mécanismes avec des témoignages de personnes survivantes, "
            "présentés avec leur accord, et des mises en situation en petits groupes.</p>",
            heading("Pour qui ?"),
            "<p>Pour les intervenantes et intervenants qui rencontrent des jeunes et des adultes "
            "à risque : organismes communautaires, maisons d'hébergement, réseau de la santé.</p>",
        ],
        "learning_objectives": objectives(
            "décrire les étapes du recrutement et les stratégies des proxénètes ;",
            "comprendre l'emprise et ses effets sur la personne ;",
            "adapter son intervention pour préserver le lien de confiance ;",
            "travailler en concertation avec les ressources spécialisées.",
        ),
        "prerequisites": (
            "Avoir suivi « Reconnaître les signes de la traite des personnes » ou avoir une "
            "expérience équivalente en intervention."
        ),
        "provider": "Maison d'hébergement Le Phare",
        "themes": ["exploitation-sexuelle", "reperer"],
        "audiences": [
            "intervention-communautaire",
            "intervention-jeunesse",
            "sante-services-sociaux",
        ],
        "duration_hours": "6",
        "price": "50",
        "offered_in_french": True,
        "offered_in_english": False,
        "certificate": True,
        "contact_name": "Équipe de formation du Phare",
        "contact_email": "lephare@example.org",
        "contact_phone": "514 555-0142",
        "visibility": "public",
        "sessions": [
            in_person(-25, 9, 6, "montreal"),
            hybrid(20, 9, 6, "quebec"),
            in_person(95, 9, 6, "laval"),
        ],
        "en": {
            "title": "Sexual exploitation: understanding recruitment and control",
            "slug": "sexual-exploitation-recruitment-and-control",
            "summary": (
                "How does someone end up caught in sexual exploitation? This training explains "
                "the stages of recruitment, from grooming to control, and what keeps people "
                "from asking for help. You will leave with practical ways to support those "
                "affected."
            ),
            "description": [
                "<p>Recruitment often starts with a romantic relationship, a friendship or a "
                "job offer. Control then sets in little by little: debts, isolation, threats, "
                "substance use.</p>",
                "<p>We look at these mechanisms through testimonies of survivors, shared with "
                "their consent, and through small-group case studies.</p>",
                heading("Who is it for?"),
                "<p>Workers who meet young people and adults at risk: community organisations, "
                "shelters, the health network. The training is given in French.</p>",
            ],
            "learning_objectives": objectives(
                "describe the stages of recruitment and the strategies of pimps;",
                "understand coercive control and its effects on the person;",
                "adapt your intervention to keep the person's trust;",
                "work together with specialised services.",
            ),
            "prerequisites": (
                "Having taken “Recognising the signs of human trafficking” or equivalent "
                "front-line experience."
            ),
        },
    },
    {
        "title": "Travail forcé : repérer l'exploitation dans les milieux de travail",
        "slug": "travail-force-reperer-exploitation-au-travail",
        "summary": (
            "Le travail forcé touche l'agriculture, la restauration, l'entretien ménager ou les "
            "soins à domicile. Apprenez à reconnaître les signes d'exploitation au travail, comme "
            "des papiers confisqués ou une dette impossible à rembourser, et à connaître les "
            "droits des travailleuses et travailleurs étrangers temporaires."
        ),
        "description": [
            "<p>Des personnes venues travailler au Québec avec un permis lié à un seul employeur "
            "peuvent se retrouver piégées : heures non payées, logement insalubre, menaces de "
            "renvoi dans leur pays.</p>",
            "<p>La formation présente les signes à surveiller, les normes du travail qui "
            "s'appliquent à toutes et à tous, quel que soit leur statut, et la façon de signaler "
            "une situation sans mettre la personne en danger.</p>",
        ],
        "learning_objectives": objectives(
            "reconnaître les signes du travail forcé et de l'exploitation au travail ;",
            "connaître les droits des travailleuses et travailleurs étrangers temporaires ;",
            "savoir quand et comment faire un signalement ;",
            "orienter la personne vers l'aide juridique et les organismes de soutien.",
        ),
        "prerequisites": "",
        "provider": "Inspection du travail (démo)",
        "themes": ["travail-force", "reperer"],
        "audiences": ["intervention-communautaire", "police", "grand-public"],
        "duration_hours": "3.5",
        "price": "0",
        "offered_in_french": True,
        "offered_in_english": True,
        "certificate": False,
        "contact_name": "Service de la prévention",
        "contact_email": "inspection@example.org",
        "contact_phone": "819 555-0159",
        "visibility": "public",
        "sessions": [
            # A small group in Gatineau, already full: new enrolments join the waiting list.
            in_person(15, 13, 3.5, "gatineau", capacity=3, full=True),
            online(30, 9, 3.5, language="en"),
            online(64, 13, 3.5),
        ],
        "en": {
            "title": "Forced labour: spotting exploitation in the workplace",
            "slug": "forced-labour-spotting-exploitation-at-work",
            "summary": (
                "Forced labour affects farming, restaurants, cleaning and home care. Learn to "
                "recognise the signs of labour exploitation, such as confiscated papers or a "
                "debt that can never be repaid, and the rights of temporary foreign workers."
            ),
            "description": [
                "<p>People who came to work in Québec on a permit tied to a single employer can "
                "end up trapped: unpaid hours, unsafe housing, threats of being sent back to "
                "their country.</p>",
                "<p>The training covers the signs to watch for, the labour standards that apply "
                "to everyone whatever their status, and how to report a situation without "
                "putting the person at risk.</p>",
            ],
            "learning_objectives": objectives(
                "recognise the signs of forced labour and labour exploitation;",
                "know the rights of temporary foreign workers;",
                "know when and how to report;",
                "refer the person to legal aid and support organisations.",
            ),
            "contact_name": "Prevention service",
        },
    },
    {
        "title": "La traite et le droit : Code criminel, immigration et IVAC",
        "slug": "traite-et-droit-code-criminel-immigration-ivac",
        "summary": (
            "Un survol des lois qui s'appliquent quand une personne est victime de traite : le "
            "Code criminel, les permis de séjour temporaire et l'indemnisation par l'IVAC. Pour "
            "aider les personnes à faire valoir leurs droits, après de l'exploitation sexuelle "
            "comme après de l'exploitation au travail."
        ),
        "description": [
            "<p>Les infractions de traite du Code criminel, la Loi sur l'immigration et la "
            "protection des réfugiés et la loi québécoise qui aide les personnes victimes "
            "d'infractions criminelles forment un ensemble complexe. Cette formation le rend "
            "concret, étape par étape.</p>",
            heading("Contenu"),
            "<p>Le parcours judiciaire d'une plainte, le témoignage à la cour et les mesures "
            "pour le faciliter, le permis de séjour temporaire pour les personnes victimes de "
            "traite, puis la demande d'aide financière et de services à l'IVAC.</p>",
        ],
        "learning_objectives": objectives(
            "nommer les infractions de traite prévues au Code criminel ;",
            "expliquer les options d'immigration offertes aux personnes victimes ;",
            "accompagner une demande à l'IVAC ;",
            "préparer une personne à son témoignage.",
        ),
        "prerequisites": "",
        "provider": "Clinique juridique Droits devant",
        "themes": ["cadre-juridique-ivac"],
        "audiences": ["juristes", "intervention-communautaire", "sante-services-sociaux"],
        "duration_hours": "3",
        "price": "75",
        "offered_in_french": True,
        "offered_in_english": False,
        "certificate": True,
        "contact_name": "Me Justine Exemple",
        "contact_email": "droitsdevant@example.org",
        "contact_phone": "450 555-0133",
        "visibility": "public",
        "sessions": [
            in_person(-60, 13, 3, "laval"),
            # Cancelled: the trainer was called to court; the online session replaces it.
            in_person(25, 13, 3, "laval", status="cancelled"),
            online(40, 9, 3),
        ],
        "en": {
            "title": "Trafficking and the law: Criminal Code, immigration and IVAC",
            "slug": "trafficking-and-the-law",
            "summary": (
                "An overview of the laws that apply when someone is a victim of trafficking: "
                "the Criminal Code, temporary resident permits and compensation by IVAC. To help "
                "people assert their rights, after sexual exploitation as after labour "
                "exploitation."
            ),
            "description": [
                "<p>The trafficking offences of the Criminal Code, the Immigration and Refugee "
                "Protection Act and Québec's law helping victims of criminal offences form a "
                "complex whole. This training makes it concrete, step by step.</p>",
                heading("Content"),
                "<p>The court process after a complaint, testifying and the measures that make "
                "it easier, the temporary resident permit for victims of trafficking, then the "
                "application for financial help and services from IVAC. Given in French.</p>",
            ],
            "learning_objectives": objectives(
                "name the trafficking offences of the Criminal Code;",
                "explain the immigration options open to victims;",
                "support an IVAC application;",
                "prepare someone to testify.",
            ),
        },
    },
    {
        "title": "Intervenir auprès des mineurs victimes d'exploitation sexuelle",
        "slug": "intervenir-aupres-des-mineurs",
        "summary": (
            "Pour le personnel qui travaille auprès des jeunes : les facteurs de risque de "
            "l'exploitation sexuelle des mineurs, les fugues, le rôle des recruteurs et le "
            "signalement à la DPJ. Une approche qui préserve le lien de confiance avec le jeune."
        ),
        "description": [
            "<p>Une adolescente sur le point de fuguer, un garçon qui reçoit des cadeaux d'un "
            "adulte inconnu : que faire, et que dire ? La formation s'appuie sur l'expérience de "
            "l'équipe du Centre jeunesse et sur la recherche québécoise.</p>",
            "<p>Elle aborde aussi la collaboration entre la protection de la jeunesse, la police "
            "et les organismes communautaires, et la prise en charge après la fugue.</p>",
        ],
        "learning_objectives": objectives(
            "repérer les jeunes à risque et les signes de recrutement ;",
            "intervenir lors d'une fugue et au retour ;",
            "faire un signalement à la DPJ et expliquer la suite au jeune ;",
            "prendre soin de soi dans ce type d'intervention.",
        ),
        "prerequisites": (
            "Réservée au personnel des organismes membres qui intervient auprès des jeunes."
        ),
        "provider": "Centre jeunesse (démo)",
        "themes": ["intervention-mineurs", "exploitation-sexuelle"],
        "audiences": ["intervention-jeunesse", "sante-services-sociaux"],
        "duration_hours": "6",
        "price": "0",
        "offered_in_french": True,
        "offered_in_english": False,
        "certificate": True,
        "contact_name": "Équipe exploitation sexuelle",
        "contact_email": "centrejeunesse@example.org",
        "contact_phone": "450 555-0188",
        "visibility": "members",
        "sessions": [
            in_person(35, 9, 6, "longueuil", capacity=16),
            hybrid(130, 9, 6, "sherbrooke", capacity=24),
        ],
        "en": {
            "title": "Working with minors who are victims of sexual exploitation",
            "slug": "working-with-minors",
            "summary": (
                "For staff who work with young people: the risk factors of the sexual "
                "exploitation of minors, running away, the role of recruiters and reporting to "
                "youth protection (DPJ). An approach that keeps the young person's trust."
            ),
            "description": [
                "<p>A teenage girl about to run away, a boy receiving gifts from an adult "
                "stranger: what should you do, and say? The training draws on the experience of "
                "the youth centre's team and on Québec research.</p>",
                "<p>It also covers collaboration between youth protection, the police and "
                "community organisations, and care after a runaway. Given in French.</p>",
            ],
            "learning_objectives": objectives(
                "identify young people at risk and the signs of recruitment;",
                "respond during a runaway and when the young person returns;",
                "report to the DPJ and explain what comes next to the young person;",
                "take care of yourself in this kind of work.",
            ),
            "prerequisites": "For staff of member organisations who work with young people.",
        },
    },
    {
        "title": "Travailler avec une ou un interprète auprès des personnes victimes",
        "slug": "travailler-avec-interprete",
        "summary": (
            "Quand la personne ne parle ni français ni anglais, un bon interprétariat change "
            "tout. Découvrez comment préparer l'entrevue, placer chacun et protéger la "
            "confidentialité, pour que la personne victime soit vraiment entendue."
        ),
        "description": [
            "<p>Faire appel à un membre de la famille ou à un collègue pour traduire peut mettre "
            "la personne en danger, surtout quand l'exploitant fait partie de son entourage.</p>",
            "<p>Des interprètes d'expérience montrent, par des démonstrations, comment travailler "
            "à trois : avant, pendant et après l'entrevue.</p>",
        ],
        "learning_objectives": objectives(
            "choisir le bon mode d'interprétariat (en personne, téléphone, vidéo) ;",
            "préparer l'interprète et la personne à l'entrevue ;",
            "s'adresser directement à la personne, et non à l'interprète ;",
            "protéger la confidentialité et la sécurité de chacun.",
        ),
        "prerequisites": "",
        "provider": "Regroupement des interprètes communautaires",
        "themes": ["interpretariat", "approche-centree-victime"],
        "audiences": [
            "intervention-communautaire",
            "sante-services-sociaux",
            "police",
            "juristes",
        ],
        "duration_hours": "2.5",
        "price": "0",
        "offered_in_french": True,
        "offered_in_english": True,
        "certificate": False,
        "contact_name": "Coordination de la formation",
        "contact_email": "interpretes@example.org",
        "contact_phone": "514 555-0167",
        "visibility": "public",
        "sessions": [
            online(-15, 9, 2.5, minute=30),
            online(10, 9, 2.5, minute=30, capacity=40),
            online(55, 13, 2.5, language="en", capacity=40),
        ],
        "en": {
            "title": "Working with an interpreter to support victims",
            "slug": "working-with-an-interpreter",
            "summary": (
                "When a person speaks neither French nor English, good interpreting changes "
                "everything. Learn how to prepare the interview, seat everyone and protect "
                "confidentiality, so that the victim is truly heard."
            ),
            "description": [
                "<p>Asking a relative or a colleague to translate can put the person at risk, "
                "especially when the exploiter is part of their circle.</p>",
                "<p>Experienced interpreters show, through demonstrations, how to work as a "
                "three: before, during and after the interview.</p>",
            ],
            "learning_objectives": objectives(
                "choose the right way to interpret (in person, phone, video);",
                "prepare the interpreter and the person for the interview;",
                "speak directly to the person, not to the interpreter;",
                "protect everyone's confidentiality and safety.",
            ),
            "contact_name": "Training coordination",
        },
    },
    {
        "title": "Enquêter sur la traite avec une approche centrée sur la victime",
        "slug": "enqueter-approche-centree-victime",
        "summary": (
            "Pour les policières, policiers et procureurs : mener une enquête de traite sans "
            "mettre la personne victime en danger ni lui faire revivre son traumatisme. "
            "Entrevues, plans de sécurité et collaboration avec les organismes d'aide."
        ),
        "description": [
            "<p>Une personne victime de traite se méfie souvent de la police, que l'exploitant "
            "lui a appris à craindre. Gagner sa confiance prend du temps, et la preuve ne peut "
            "pas reposer sur son seul témoignage.</p>",
            heading("Au programme"),
            "<p>L'entrevue adaptée au traumatisme, la preuve indépendante du témoignage, le plan "
            "de sécurité et le travail avec une intervenante ou un intervenant du milieu "
            "communautaire, présent du premier contact jusqu'au procès.</p>",
        ],
        "learning_objectives": objectives(
            "mener une entrevue qui tient compte du traumatisme ;",
            "bâtir une preuve qui ne repose pas sur le seul témoignage de la victime ;",
            "établir un plan de sécurité avec la personne ;",
            "collaborer avec les organismes d'aide tout au long du dossier.",
        ),
        "prerequisites": "Réservée aux membres des corps policiers et du milieu judiciaire.",
        "provider": "Service de police de l'agglomération (démo)",
        "themes": ["approche-centree-victime", "cadre-juridique-ivac", "reperer"],
        "audiences": ["police", "juristes"],
        "duration_hours": "7",
        "price": "0",
        "offered_in_french": True,
        "offered_in_english": False,
        "certificate": True,
        "contact_name": "Section des crimes contre la personne",
        "contact_email": "police.prevention@example.org",
        "contact_phone": "819 555-0121",
        "visibility": "members",
        "sessions": [
            in_person(-100, 8, 7, "sherbrooke", minute=30),
            in_person(42, 8, 7, "quebec", minute=30, capacity=25),
        ],
        "en": {
            "title": "Investigating trafficking with a victim-centred approach",
            "slug": "investigating-with-a-victim-centred-approach",
            "summary": (
                "For police officers and prosecutors: running a trafficking investigation "
                "without putting the victim at risk or making them relive their trauma. "
                "Interviews, safety plans and work with support organisations."
            ),
            "description": [
                "<p>A victim of trafficking is often wary of the police, whom the exploiter "
                "taught them to fear. Gaining their trust takes time, and the evidence cannot "
                "rest on their testimony alone.</p>",
                heading("Programme"),
                "<p>Trauma-informed interviewing, evidence beyond the testimony, the safety "
                "plan and working with a community worker present from the first contact to "
                "the trial. Given in French.</p>",
            ],
            "learning_objectives": objectives(
                "conduct a trauma-informed interview;",
                "build evidence that does not rest on the victim's testimony alone;",
                "draw up a safety plan with the person;",
                "work with support organisations throughout the case.",
            ),
            "prerequisites": "For members of police forces and the justice system.",
        },
    },
    {
        "title": "Exploitation sexuelle en ligne : prévenir et intervenir auprès des jeunes",
        "slug": "exploitation-sexuelle-en-ligne",
        "summary": (
            "Les réseaux sociaux et les jeux en ligne sont devenus des lieux de recrutement. "
            "Cette formation courte présente les stratégies des recruteurs, les signes "
            "d'exploitation sexuelle en ligne et des façons d'en parler avec un jeune sans le "
            "juger."
        ),
        "description": [
            "<p>Une heure trente sur l'heure du midi pour comprendre le leurre, la sextorsion et "
            "le recrutement par les réseaux sociaux, avec des exemples tirés de l'actualité.</p>",
            "<p>Vous repartirez avec une fiche pratique sur les ressources et sur les démarches "
            "pour faire retirer des images en ligne.</p>",
        ],
        "learning_objectives": objectives(
            "reconnaître le leurre et la sextorsion ;",
            "ouvrir la discussion avec un jeune sans le culpabiliser ;",
            "connaître les démarches pour faire retirer des images ;",
            "orienter vers les bonnes ressources.",
        ),
        "prerequisites": "",
        "provider": "CIUSSS (démo)",
        "themes": ["exploitation-sexuelle", "intervention-mineurs"],
        "audiences": ["intervention-jeunesse", "etudiants", "grand-public"],
        "duration_hours": "1.5",
        "price": "0",
        "offered_in_french": True,
        "offered_in_english": False,
        "certificate": False,
        "contact_name": "Équipe violence sexuelle et exploitation",
        "contact_email": "formation.ciusss@example.org",
        "contact_phone": "418 555-0110",
        "visibility": "public",
        "sessions": [
            online(-35, 12, 1.5, capacity=100),
            online(6, 12, 1.5, capacity=100),
            online(100, 12, 1.5, capacity=100),
        ],
        "en": {
            "title": "Online sexual exploitation: preventing it and helping young people",
            "slug": "online-sexual-exploitation",
            "summary": (
                "Social media and online games have become places of recruitment. This short "
                "training presents recruiters' strategies, the signs of online sexual "
                "exploitation and ways to talk about it with a young person without judging."
            ),
            "description": [
                "<p>Ninety minutes over lunch to understand luring, sextortion and recruitment "
                "through social media, with examples from the news. Given in French.</p>",
                "<p>You will leave with a practical sheet on resources and on how to have "
                "images taken down.</p>",
            ],
            "learning_objectives": objectives(
                "recognise luring and sextortion;",
                "open the conversation with a young person without blaming them;",
                "know how to have images taken down;",
                "refer to the right services.",
            ),
        },
    },
    {
        "title": "Accueillir et orienter une personne victime dans le réseau de la santé",
        "slug": "accueillir-orienter-reseau-sante",
        "summary": (
            "Urgence, clinique, CLSC : une personne victime de traite peut se présenter partout "
            "dans le réseau de la santé. Apprenez à repérer les signes, à offrir des soins dans "
            "un climat de sécurité et à orienter la personne vers les ressources spécialisées."
        ),
        "description": [
            "<p>Souvent, la personne ne se présente pas comme une victime : elle consulte pour "
            "une blessure, une infection ou une grossesse, parfois accompagnée de la personne "
            "qui l'exploite.</p>",
            "<p>Nous voyons comment parler en privé avec la personne, poser les bonnes "
            "questions et documenter la situation, dans le respect du secret professionnel.</p>",
        ],
        "learning_objectives": objectives(
            "repérer les signes de traite lors d'une consultation ;",
            "créer un espace sécuritaire pour parler ;",
            "documenter et orienter dans le respect du secret professionnel.",
        ),
        "prerequisites": "",
        "provider": "CIUSSS (démo)",
        "themes": ["reperer", "approche-centree-victime"],
        "audiences": ["sante-services-sociaux"],
        "duration_hours": "3",
        "price": "0",
        "offered_in_french": True,
        "offered_in_english": True,
        "certificate": True,
        "contact_name": "Équipe violence sexuelle et exploitation",
        "contact_email": "formation.ciusss@example.org",
        "contact_phone": "418 555-0110",
        "visibility": "public",
        "sessions": [
            hybrid(-30, 13, 3, "quebec"),
            hybrid(18, 13, 3, "quebec", capacity=30),
            online(75, 9, 3, language="en"),
        ],
        "en": {
            "title": "Welcoming and referring victims in the health network",
            "slug": "welcoming-and-referring-victims-in-health-care",
            "summary": (
                "Emergency room, clinic, CLSC: a victim of trafficking can turn up anywhere in "
                "the health network. Learn to spot the signs, to give care in a safe setting and "
                "to refer the person to specialised services."
            ),
            "description": [
                "<p>Often the person does not present as a victim: they come in for an injury, "
                "an infection or a pregnancy, sometimes with the person who exploits them.</p>",
                "<p>We look at how to speak with the person in private, ask the right questions "
                "and document the situation while respecting professional secrecy.</p>",
            ],
            "learning_objectives": objectives(
                "spot the signs of trafficking during a consultation;",
                "create a safe space to talk;",
                "document and refer while respecting professional secrecy.",
            ),
        },
    },
    {
        "title": "Accompagner les personnes survivantes : formation approfondie",
        "slug": "accompagner-personnes-survivantes",
        "summary": (
            "Une journée complète pour les intervenantes et intervenants qui accompagnent des "
            "personnes sorties de l'exploitation sexuelle ou du travail forcé. Trauma, sécurité, "
            "logement, retour aux études ou à l'emploi : comment soutenir le rétablissement."
        ),
        "description": [
            "<p>Sortir de l'exploitation n'est pas un moment mais un parcours, fait d'avancées "
            "et de retours en arrière. Cette journée porte sur l'accompagnement à long "
            "terme.</p>",
            heading("Au programme"),
            "<p>Les effets du traumatisme complexe, la sécurité après la sortie, le logement, "
            "les finances et le retour aux études ou au travail, la prévention de l'épuisement "
            "chez les intervenantes et intervenants.</p>",
        ],
        "learning_objectives": objectives(
            "comprendre les effets du traumatisme complexe ;",
            "bâtir un plan d'accompagnement à long terme avec la personne ;",
            "mobiliser les partenaires : logement, emploi, santé, justice ;",
            "prévenir l'usure de compassion.",
        ),
        "prerequisites": (
            "Avoir une expérience d'intervention auprès de personnes victimes de violence ou "
            "d'exploitation."
        ),
        "provider": "Maison d'hébergement Le Phare",
        "themes": ["approche-centree-victime", "exploitation-sexuelle", "travail-force"],
        "audiences": ["intervention-communautaire", "sante-services-sociaux"],
        "duration_hours": "6.5",
        "price": "120",
        "offered_in_french": True,
        "offered_in_english": False,
        "certificate": True,
        "contact_name": "Équipe de formation du Phare",
        "contact_email": "lephare@example.org",
        "contact_phone": "514 555-0142",
        "visibility": "public",
        "sessions": [
            in_person(70, 8, 6.5, "montreal", minute=30, capacity=18),
            in_person(160, 8, 6.5, "saguenay", minute=30, capacity=18),
        ],
        "en": {
            "title": "Supporting survivors: in-depth training",
            "slug": "supporting-survivors",
            "summary": (
                "A full day for workers who support people who have left sexual exploitation or "
                "forced labour. Trauma, safety, housing, going back to school or work: how to "
                "support recovery."
            ),
            "description": [
                "<p>Leaving exploitation is not a moment but a journey, with steps forward and "
                "steps back. This day is about long-term support. Given in French.</p>",
                heading("Programme"),
                "<p>The effects of complex trauma, safety after leaving, housing, finances and "
                "going back to school or work, and preventing burnout among workers.</p>",
            ],
            "learning_objectives": objectives(
                "understand the effects of complex trauma;",
                "build a long-term support plan with the person;",
                "bring in partners: housing, employment, health, justice;",
                "prevent compassion fatigue.",
            ),
            "prerequisites": (
                "Front-line experience with people who experienced violence or exploitation."
            ),
        },
    },
    # On request: no upcoming session, only past ones.
    {
        "title": "Sensibiliser les employeurs au travail forcé",
        "slug": "sensibiliser-employeurs-travail-force",
        "summary": (
            "Un atelier pour les employeurs, les agences de recrutement et les associations "
            "patronales : reconnaître les pratiques qui mènent à l'exploitation des travailleuses "
            "et travailleurs étrangers temporaires. Offert sur demande, dans vos locaux ou en "
            "ligne."
        ),
        "description": [
            "<p>Frais de recrutement illégaux, passeports gardés « pour les protéger », "
            "logement retenu sur la paie : des pratiques encore courantes ouvrent la porte au "
            "travail forcé, parfois à l'insu de l'employeur.</p>",
            "<p>L'atelier est offert sur demande aux groupes d'au moins dix personnes. "
            "Écrivez-nous pour convenir d'une date.</p>",
        ],
        "learning_objectives": objectives(
            "connaître les obligations de l'employeur envers les travailleurs étrangers ;",
            "reconnaître les pratiques de recrutement abusives ;",
            "savoir où adresser une travailleuse ou un travailleur qui demande de l'aide.",
        ),
        "prerequisites": "",
        "provider": "Inspection du travail (démo)",
        "themes": ["travail-force", "cadre-juridique-ivac"],
        "audiences": ["grand-public"],
        "duration_hours": "2",
        "price": "0",
        "offered_in_french": True,
        "offered_in_english": True,
        "certificate": False,
        "contact_name": "Service de la prévention",
        "contact_email": "inspection@example.org",
        "contact_phone": "819 555-0159",
        "visibility": "public",
        "sessions": [
            online(-210, 10, 2, language="en"),
            in_person(-150, 10, 2, "saint-hyacinthe"),
        ],
        "en": {
            "title": "Raising employers' awareness of forced labour",
            "slug": "raising-employers-awareness-of-forced-labour",
            "summary": (
                "A workshop for employers, recruitment agencies and business associations: "
                "recognising the practices that lead to the exploitation of temporary foreign "
                "workers. Offered on request, at your premises or online."
            ),
            "description": [
                "<p>Illegal recruitment fees, passports kept “for safekeeping”, housing taken "
                "off the pay: practices that are still common open the door to forced labour, "
                "sometimes without the employer knowing.</p>",
                "<p>The workshop is offered on request to groups of at least ten people. Write "
                "to us to set a date.</p>",
            ],
            "learning_objectives": objectives(
                "know an employer's obligations towards foreign workers;",
                "recognise abusive recruitment practices;",
                "know where to refer a worker who asks for help.",
            ),
            "contact_name": "Prevention service",
        },
    },
    # On request: never scheduled, groups ask for it.
    {
        "title": "Parler de la traite en classe : atelier pour les cégeps et universités",
        "slug": "atelier-cegeps-et-universites",
        "summary": (
            "Un atelier interactif pour les cours de techniques d'intervention, de droit, de "
            "soins infirmiers ou de travail social. Les étudiantes et étudiants découvrent les "
            "formes d'exploitation au Québec et le rôle qu'ils pourront jouer dans leur futur "
            "métier. Offert sur demande."
        ),
        "description": [
            "<p>Une juriste et une intervenante animent ensemble l'atelier, en classe ou en "
            "ligne, à partir d'études de cas adaptées au programme d'études.</p>",
            "<p>Pour planifier un atelier, écrivez-nous au moins six semaines à l'avance.</p>",
        ],
        "learning_objectives": objectives(
            "définir la traite et l'exploitation ;",
            "reconnaître les situations à risque dans son futur milieu de travail ;",
            "connaître les ressources d'aide.",
        ),
        "prerequisites": "",
        "provider": "Clinique juridique Droits devant",
        "themes": ["reperer", "cadre-juridique-ivac"],
        "audiences": ["etudiants"],
        "duration_hours": "1.5",
        "price": "0",
        "offered_in_french": True,
        "offered_in_english": True,
        "certificate": False,
        "contact_name": "Me Justine Exemple",
        "contact_email": "droitsdevant@example.org",
        "contact_phone": "450 555-0133",
        "visibility": "public",
        "sessions": [],
        "en": {
            "title": "Talking about trafficking in class: a workshop for colleges and universities",
            "slug": "workshop-for-colleges-and-universities",
            "summary": (
                "An interactive workshop for courses in social intervention, law, nursing or "
                "social work. Students discover the forms of exploitation in Québec and the part "
                "they can play in their future job. Offered on request."
            ),
            "description": [
                "<p>A lawyer and a community worker lead the workshop together, in class or "
                "online, with case studies suited to the programme.</p>",
                "<p>To plan a workshop, write to us at least six weeks ahead.</p>",
            ],
            "learning_objectives": objectives(
                "define trafficking and exploitation;",
                "recognise situations of risk in your future workplace;",
                "know the support services.",
            ),
        },
    },
]
