"""Demo awareness campaigns, written from the coalition's own documents.

Plain data (no Django imports), so that editors can read and correct it, in the style of
demo/site_content.py. Each campaign is given in French, the source language, and in English.
Bodies use Wagtail's raw JSON form; what only exists once the demo is loaded is named by a key
that load_demo replaces by an id:

- images: a file name of demo/images/ (see IMAGES);
- documents: a file name of demo/documents/ (see DOCUMENTS);
- pages: a key of load_demo's page table ("catalogue", "safety"…);
- trainings: the slug of a demo training, in French (demo/trainings.py);
- organisations: the name of a demo organisation (demo/trainings.py).

No figure here is a statistic about trafficking: the key figures are about the coalition and
the help it points to (its founding, its sectors, the hotline's hours), as its documents say.
The testimonies are fictional, written for the demonstration, and say so; their (fictional)
authors are presented as having consented, with their name withheld.

Dates: a campaign's period is given in days from the day the demo is loaded (`start_days`,
`end_days`), like the sessions of the demo catalogue, so that `make run` always shows a
campaign under way (the Grand Prix, around today) and one past campaign (agriculture, last
summer and autumn). With the tests' frozen "now" (15 June 2026) the Grand Prix runs from
1 to 30 June 2026, as it would in Montréal, and agriculture from 1 August to 31 October 2025.
"""

HOTLINE = "1-833-900-1010"
HOTLINE_SOURCE_FR = "Ligne d'urgence canadienne contre la traite des personnes"
HOTLINE_SOURCE_EN = "Canadian Human Trafficking Hotline"
HOTLINE_URL = "https://www.canadiancentretoendhumantrafficking.ca/"

# Images drawn by demo/draw.py: title in the image library, and alternative texts.
IMAGES = {
    "campagne-grand-prix.jpg": {
        "title": "Campagne Grand Prix : Montréal la nuit (démo)",
        "alt": {
            "fr-ca": (
                "Illustration : Montréal la nuit, ses tours éclairées au bord du fleuve, et la "
                "courbe d'une piste de course bordée de lampadaires."
            ),
            "en": (
                "Illustration: Montréal at night, its lit towers along the river, and the curve "
                "of a race track lined with street lights."
            ),
        },
    },
    "campagne-agriculture.jpg": {
        "title": "Campagne agriculture : champs au lever du soleil (démo)",
        "alt": {
            "fr-ca": (
                "Illustration : des rangs de cultures qui s'étendent jusqu'à l'horizon au lever "
                "du soleil, avec une grange, une serre et une petite maison au loin."
            ),
            "en": (
                "Illustration: rows of crops stretching to the horizon at sunrise, with a barn, "
                "a greenhouse and a small house in the distance."
            ),
        },
    },
    "ensemble.png": {
        "title": "Des personnes réunies (démo)",
        "alt": {
            "fr-ca": (
                "Illustration : un groupe de neuf personnes d'âges et de couleurs de peau "
                "différents, debout côte à côte."
            ),
            "en": (
                "Illustration: a group of nine people of different ages and skin tones, "
                "standing side by side."
            ),
        },
    },
    "appeler-a-l-aide.png": {
        "title": "Un appel à l'aide (démo)",
        "alt": {
            "fr-ca": (
                "Illustration : une main tient un téléphone pendant un appel ; deux bulles "
                "montrent qu'une personne répond à l'autre bout."
            ),
            "en": (
                "Illustration: a hand holds a phone during a call; two speech bubbles show that "
                "someone answers at the other end."
            ),
        },
    },
    "documents-a-soi.png": {
        "title": "Ses papiers à soi (démo)",
        "alt": {
            "fr-ca": "Illustration : un passeport et une clé posés dans une main ouverte.",
            "en": "Illustration: a passport and a key resting in an open hand.",
        },
    },
    "logement.png": {
        "title": "Un logement sûr (démo)",
        "alt": {
            "fr-ca": (
                "Illustration : deux maisons aux fenêtres éclairées, reliées par une porte, "
                "au bout d'un chemin entre deux arbres."
            ),
            "en": (
                "Illustration: two houses with lit windows, joined by a door, at the end of a "
                "path between two trees."
            ),
        },
    },
}

# Documents (demo/documents/, drawn by demo/draw.py): title in the document library.
DOCUMENTS = {
    "aide-memoire-reconnaitre-les-signes.pdf": "Aide-mémoire : reconnaître les signes (démo)",
    "reminder-recognising-the-signs.pdf": "Reminder: recognising the signs (demo)",
}

# The hero of the home pages (HomePage's hero fields) and the campaign it features.
HOME_HERO = {
    "fr-ca": {
        "hero_heading": "Ensemble, prévenons la traite et soutenons les personnes touchées",
        "hero_image": "network",  # the demo image of demo/site_content.py
        "hero_image_alt": (
            "Illustration : des points de couleur reliés par des lignes, comme un réseau "
            "d'organismes qui travaillent ensemble."
        ),
        "featured_campaign": "grandprix",
    },
    "en": {
        "hero_heading": "Together, we prevent human trafficking and support the people it harms",
        "hero_image": "network",
        "hero_image_alt": (
            "Illustration: coloured dots joined by lines, like a network of organisations "
            "working together."
        ),
        "featured_campaign": "grandprix",
    },
}


# -- Block helpers: one per block type of home.blocks.CampaignBodyBlock ------------------------


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


def image(key, alt_text, caption=""):
    return {"type": "image", "value": {"image": key, "alt_text": alt_text, "caption": caption}}


def call_to_action(title, text, label, **link):
    """`link`: exactly one of page=, document=, url=, phone=, email=."""
    value = {
        "title": title,
        "text": text,
        "link_label": label,
        "link_page": link.get("page"),
        "link_document": link.get("document"),
        "link_url": link.get("url", ""),
        "link_phone": link.get("phone", ""),
        "link_email": link.get("email", ""),
    }
    return {"type": "call_to_action", "value": value}


def timeline(heading_text, milestones):
    return {"type": "timeline", "value": {"heading": heading_text, "milestones": milestones}}


def milestone(year, title, events, date_label=""):
    """year: "start" or "end", the year the campaign starts or ends (dates are relative)."""
    return {
        "year": year,
        "end_year": None,
        "date_label": date_label,
        "title": title,
        "events": events,
    }


def cards(heading_text, items, introduction="", numbered=False):
    return {
        "type": "cards",
        "value": {
            "heading": heading_text,
            "introduction": introduction,
            "numbered": numbered,
            "cards": [{"title": title, "text": text} for title, text in items],
        },
    }


def faq(heading_text, questions):
    return {
        "type": "faq",
        "value": {
            "heading": heading_text,
            "questions": [{"question": q, "answer": answer} for q, answer in questions],
        },
    }


def key_figures(heading_text, figures, introduction=""):
    """figures: (number, label, source, source_url)."""
    return {
        "type": "key_figures",
        "value": {
            "heading": heading_text,
            "introduction": introduction,
            "figures": [
                {"number": number, "label": label, "source": source, "source_url": url}
                for number, label, source, url in figures
            ],
        },
    }


def signs(heading_text, groups, introduction=""):
    return {
        "type": "signs",
        "value": {
            "heading": heading_text,
            "introduction": introduction,
            "groups": [{"title": title, "signs": items} for title, items in groups],
        },
    }


def help_block(heading_text, text):
    return {"type": "help", "value": {"heading": heading_text, "text": text}}


def testimony(text, role):
    # Demo testimonies: fictional, consented, name withheld (the role says it is fictional).
    return {
        "type": "testimony",
        "value": {
            "text": text,
            "attribution": "",
            "role": role,
            "name_withheld": True,
            "consent": True,
        },
    }


def gallery(heading_text, items, language):
    """items: (image key, caption); the alternative texts come from IMAGES."""
    return {
        "type": "gallery",
        "value": {
            "heading": heading_text,
            "images": [
                {"image": key, "alt_text": IMAGES[key]["alt"][language], "caption": caption}
                for key, caption in items
            ],
        },
    }


def video(url, title, transcript, poster=None):
    return {
        "type": "video",
        "value": {"url": url, "title": title, "poster": poster, "transcript": transcript},
    }


def resources(heading_text, items):
    """items: (document key, title, description)."""
    return {
        "type": "resources",
        "value": {
            "heading": heading_text,
            "resources": [
                {"document": key, "title": title, "description": description}
                for key, title, description in items
            ],
        },
    }


def partners(heading_text, organisation_names, introduction=""):
    return {
        "type": "partners",
        "value": {
            "heading": heading_text,
            "introduction": introduction,
            "organisations": list(organisation_names),
        },
    }


def related_trainings(heading_text, training_slugs, theme=None):
    return {
        "type": "related_trainings",
        "value": {"heading": heading_text, "trainings": list(training_slugs), "theme": theme},
    }


# A clearly labelled example address: the committee replaces it by one of its own videos.
EXAMPLE_VIDEO_URL = "https://www.youtube.com/watch?v=exempleDemo"


# -- Campaign 1: the Montréal Formula 1 Grand Prix -----------------------------------------------

GRAND_PRIX = {
    "short_name": "grandprix",
    "start_days": -14,
    "end_days": 15,
    "hero_image": "campagne-grand-prix.jpg",
    "fr-ca": {
        "title": "Grand Prix de Montréal : ouvrons l'œil",
        "slug": "grand-prix",
        "tagline": (
            "Pendant les grands événements, l'exploitation sexuelle peut se cacher dans la foule. "
            "Apprenons à la reconnaître."
        ),
        "introduction": (
            "Chaque année, le Grand Prix de Formule 1 attire à Montréal des visiteurs du monde "
            "entier. Des organismes membres de la Coalition profitent de ce moment pour "
            "rappeler que la traite à des fins d'exploitation sexuelle existe ici, et que chacun "
            "peut aider une personne qui n'est pas libre."
        ),
        "body": [
            heading("Pourquoi pendant le Grand Prix ?"),
            paragraph(
                "<p>Les grands événements remplissent les hôtels, les bars et les fêtes. Ceux "
                "qui exploitent d'autres personnes le savent : ils peuvent en profiter pour les "
                "déplacer là où il y a du monde et de l'argent.</p>"
                "<p>Il ne s'agit pas de montrer du doigt les amateurs de course ni les gens qui "
                "travaillent pendant l'événement. Il s'agit de savoir reconnaître une personne "
                "qui est contrôlée par quelqu'un d'autre, et de savoir quoi faire.</p>"
                "<p>Depuis plusieurs années, un organisme membre de la Coalition mène cette "
                "campagne avec l'appui d'autres membres : affiches, rencontres avec le personnel "
                "des hôtels et des restaurants, et information au public.</p>"
            ),
            key_figures(
                "En bref",
                [
                    (
                        "24 h sur 24",
                        "La Ligne d'urgence canadienne contre la traite des personnes répond "
                        "jour et nuit, 7 jours sur 7, gratuitement et en toute confidentialité.",
                        HOTLINE_SOURCE_FR,
                        HOTLINE_URL,
                    ),
                    (
                        "911",
                        "Le numéro à composer quand une personne est en danger immédiat.",
                        "",
                        "",
                    ),
                    (
                        "2013",
                        "L'année du lancement officiel de la Coalition québécoise contre la "
                        "traite des personnes.",
                        "CQCTP",
                        "",
                    ),
                    (
                        "6",
                        "Secteurs représentés parmi nos membres : communautaire, santé et "
                        "services sociaux, aide aux victimes, protection de la jeunesse, "
                        "justice et agences gouvernementales.",
                        "CQCTP",
                        "",
                    ),
                ],
                introduction="Quelques repères sur l'aide offerte et sur la Coalition.",
            ),
            signs(
                "Reconnaître les signes",
                [
                    (
                        "La personne semble contrôlée",
                        [
                            "Quelqu'un parle à sa place ou répond à ses questions.",
                            "Quelqu'un d'autre garde son téléphone, ses papiers ou son argent.",
                            "Elle est toujours accompagnée et ne peut pas aller et venir.",
                        ],
                    ),
                    (
                        "La personne semble perdue ou inquiète",
                        [
                            "Elle ne sait pas dans quel quartier ou quelle ville elle se trouve.",
                            "Elle change souvent d'hôtel, parfois plusieurs fois en quelques "
                            "jours.",
                            "Elle a peur, évite les regards ou semble suivre des consignes.",
                            "Elle est très jeune, ou semble l'être.",
                        ],
                    ),
                ],
                introduction=(
                    "Un seul signe ne prouve rien. Plusieurs signes ensemble méritent qu'on "
                    "demande conseil."
                ),
            ),
            cards(
                "Que faire si vous avez un doute ?",
                [
                    (
                        "Gardez votre calme",
                        "Ne confrontez pas la personne qui semble en contrôler une autre : "
                        "cela pourrait mettre la victime en danger.",
                    ),
                    (
                        "Notez ce que vous voyez",
                        "Le lieu, l'heure, une description. Sans prendre de photo et sans "
                        "suivre personne.",
                    ),
                    (
                        "Appelez",
                        "Le 911 en cas de danger immédiat ; sinon, la Ligne d'urgence "
                        f"canadienne contre la traite des personnes au {HOTLINE}.",
                    ),
                ],
                numbered=True,
            ),
            call_to_action(
                "Un doute ? Parlez-en à quelqu'un",
                "Des intervenantes et des intervenants vous écoutent, jour et nuit, dans plus "
                "de 200 langues. L'appel est gratuit et confidentiel.",
                "Appeler la Ligne d'urgence",
                phone=HOTLINE,
            ),
            testimony(
                "Pendant la fin de semaine de la course, une réceptionniste nous a appelés pour "
                "une jeune femme qui changeait de chambre chaque nuit avec un homme qui gardait "
                "son téléphone. Elle ne savait pas si elle avait raison de s'inquiéter. Son "
                "appel a permis d'offrir de l'aide à cette jeune femme, à son rythme.",
                "Intervenante d'un organisme membre (témoignage fictif écrit pour la "
                "démonstration)",
            ),
            gallery(
                "La campagne en images",
                [
                    ("ensemble.png", "Ensemble, nous pouvons repérer les signes."),
                    ("appeler-a-l-aide.png", "Un appel suffit pour demander conseil."),
                ],
                "fr-ca",
            ),
            video(
                EXAMPLE_VIDEO_URL,
                "Vidéo d'exemple (démonstration) : remplacer par une vidéo de sensibilisation",
                "<p>Transcription d'exemple. Une voix calme explique que, pendant les grands "
                "événements, certaines personnes sont exploitées sexuellement, qu'on peut "
                "reconnaître des signes et qu'on peut appeler la Ligne d'urgence canadienne "
                f"contre la traite des personnes au {HOTLINE}, gratuitement.</p>",
                poster="campagne-grand-prix.jpg",
            ),
            resources(
                "À télécharger",
                [
                    (
                        "aide-memoire-reconnaitre-les-signes.pdf",
                        "Aide-mémoire : reconnaître les signes",
                        "Une page à imprimer ou à garder sur son téléphone.",
                    )
                ],
            ),
            faq(
                "Questions fréquentes",
                [
                    (
                        "Toutes les personnes qui offrent des services sexuels sont-elles "
                        "victimes de traite ?",
                        "<p>Non. Ce qui compte, c'est le contrôle : une personne victime de "
                        "traite est recrutée, déplacée ou gardée par quelqu'un qui l'exploite, "
                        "par la force, la menace, la tromperie ou la dette.</p>",
                    ),
                    (
                        "Mon appel est-il confidentiel ?",
                        "<p>Oui. La Ligne d'urgence canadienne contre la traite des personnes "
                        "est confidentielle. Vous pouvez demander conseil sans donner votre "
                        "nom.</p>",
                    ),
                    (
                        "Je travaille dans un hôtel, un bar ou un taxi. Que puis-je faire ?",
                        "<p>Apprenez à reconnaître les signes, gardez l'aide-mémoire à portée "
                        "de main et parlez-en à votre responsable. Les organismes membres "
                        "offrent aussi des formations courtes.</p>",
                    ),
                ],
            ),
            partners(
                "Avec nos membres",
                [
                    "Maison d'hébergement Le Phare",
                    "CIUSSS (démo)",
                    "Service de police de l'agglomération (démo)",
                ],
                introduction="Ces organismes membres soutiennent la campagne.",
            ),
            related_trainings(
                "Pour aller plus loin : des formations",
                [
                    "reconnaitre-les-signes-de-la-traite",
                    "exploitation-sexuelle-recrutement-et-emprise",
                ],
            ),
            call_to_action(
                "Former votre équipe",
                "Les organismes membres offrent des formations pour le personnel de l'accueil, "
                "de la sécurité et du service.",
                "Voir les formations",
                page="catalogue",
            ),
            call_to_action(
                "Les autres campagnes",
                "Exploitation sexuelle, travail forcé : toutes les campagnes de la Coalition et "
                "de ses membres.",
                "Voir toutes les campagnes",
                page="campaigns",
            ),
            help_block(
                "Besoin d'aide maintenant ?",
                "Si vous, ou une personne que vous connaissez, n'êtes pas libre, de l'aide "
                "existe. Vous déciderez de la suite.",
            ),
        ],
    },
    "en": {
        "title": "Montréal Grand Prix: keep your eyes open",
        "slug": "grand-prix",
        "tagline": (
            "During major events, sexual exploitation can hide in the crowd. Let's learn to "
            "recognise it."
        ),
        "introduction": (
            "Every year, the Formula 1 Grand Prix brings visitors from around the world to "
            "Montréal. Member organisations of the Coalition use this moment to remind everyone "
            "that human trafficking for sexual exploitation happens here, and that anyone can "
            "help a person who is not free."
        ),
        "body": [
            heading("Why during the Grand Prix?"),
            paragraph(
                "<p>Major events fill hotels, bars and parties. People who exploit others know "
                "it: they may move them where the crowds and the money are.</p>"
                "<p>This is not about pointing at racing fans or at the people who work during "
                "the event. It is about recognising a person who is controlled by someone "
                "else, and knowing what to do.</p>"
                "<p>For several years, a member organisation of the Coalition has led this "
                "campaign with the support of other members: posters, meetings with hotel and "
                "restaurant staff, and information for the public.</p>"
            ),
            key_figures(
                "In short",
                [
                    (
                        "24/7",
                        "The Canadian Human Trafficking Hotline answers day and night, 7 days "
                        "a week, free of charge and in confidence.",
                        HOTLINE_SOURCE_EN,
                        HOTLINE_URL,
                    ),
                    ("911", "The number to call when someone is in immediate danger.", "", ""),
                    (
                        "2013",
                        "The year the Quebec Coalition Against Human Trafficking was officially "
                        "launched.",
                        "CQCTP",
                        "",
                    ),
                    (
                        "6",
                        "Sectors among our members: community groups, health and social "
                        "services, victim support, youth protection, justice and government "
                        "agencies.",
                        "CQCTP",
                        "",
                    ),
                ],
                introduction="A few facts about the help available and about the Coalition.",
            ),
            signs(
                "Recognising the signs",
                [
                    (
                        "The person seems controlled",
                        [
                            "Someone speaks for them or answers questions in their place.",
                            "Someone else keeps their phone, their papers or their money.",
                            "They are always accompanied and cannot come and go.",
                        ],
                    ),
                    (
                        "The person seems lost or worried",
                        [
                            "They do not know which neighbourhood or city they are in.",
                            "They often change hotels, sometimes several times in a few days.",
                            "They seem afraid, avoid eye contact or seem to follow instructions.",
                            "They are very young, or look it.",
                        ],
                    ),
                ],
                introduction=(
                    "One sign alone proves nothing. Several signs together are a reason to ask "
                    "for advice."
                ),
            ),
            cards(
                "What to do if you have doubts",
                [
                    (
                        "Stay calm",
                        "Do not confront the person who seems to control someone else: it could "
                        "put the victim in danger.",
                    ),
                    (
                        "Write down what you see",
                        "The place, the time, a description. Without taking photos and without "
                        "following anyone.",
                    ),
                    (
                        "Call",
                        "911 in immediate danger; otherwise, the Canadian Human Trafficking "
                        f"Hotline at {HOTLINE}.",
                    ),
                ],
                numbered=True,
            ),
            call_to_action(
                "Have doubts? Talk to someone",
                "Trained staff listen day and night, in more than 200 languages. The call is "
                "free and confidential.",
                "Call the hotline",
                phone=HOTLINE,
            ),
            testimony(
                "During race weekend, a receptionist called us about a young woman who changed "
                "rooms every night with a man who kept her phone. She was not sure she was "
                "right to worry. Her call meant help could be offered to the young woman, at "
                "her own pace.",
                "Worker at a member organisation (fictional testimony written for the demo)",
            ),
            gallery(
                "The campaign in pictures",
                [
                    ("ensemble.png", "Together, we can spot the signs."),
                    ("appeler-a-l-aide.png", "One call is enough to ask for advice."),
                ],
                "en",
            ),
            video(
                EXAMPLE_VIDEO_URL,
                "Example video (demo): replace with an awareness video",
                "<p>Example transcript. A calm voice explains that during major events some "
                "people are sexually exploited, that there are signs one can recognise, and that "
                f"anyone can call the Canadian Human Trafficking Hotline at {HOTLINE}, free of "
                "charge.</p>",
                poster="campagne-grand-prix.jpg",
            ),
            resources(
                "Downloads",
                [
                    (
                        "reminder-recognising-the-signs.pdf",
                        "Reminder: recognising the signs",
                        "One page to print or keep on your phone.",
                    )
                ],
            ),
            faq(
                "Frequently asked questions",
                [
                    (
                        "Is everyone who sells sexual services a victim of trafficking?",
                        "<p>No. What matters is control: a trafficking victim is recruited, "
                        "moved or held by someone who exploits them, through force, threats, "
                        "deception or debt.</p>",
                    ),
                    (
                        "Is my call confidential?",
                        "<p>Yes. The Canadian Human Trafficking Hotline is confidential. You "
                        "can ask for advice without giving your name.</p>",
                    ),
                    (
                        "I work in a hotel, a bar or a taxi. What can I do?",
                        "<p>Learn the signs, keep the reminder at hand and talk to your "
                        "manager. Member organisations also offer short trainings.</p>",
                    ),
                ],
            ),
            partners(
                "With our members",
                [
                    "Maison d'hébergement Le Phare",
                    "CIUSSS (démo)",
                    "Service de police de l'agglomération (démo)",
                ],
                introduction="These member organisations support the campaign.",
            ),
            related_trainings(
                "Learn more: trainings",
                [
                    "reconnaitre-les-signes-de-la-traite",
                    "exploitation-sexuelle-recrutement-et-emprise",
                ],
            ),
            call_to_action(
                "Train your team",
                "Member organisations offer trainings for front desk, security and service staff.",
                "See the trainings",
                page="catalogue",
            ),
            call_to_action(
                "Other campaigns",
                "Sexual exploitation, forced labour: every campaign of the Coalition and its "
                "members.",
                "See all campaigns",
                page="campaigns",
            ),
            help_block(
                "Need help now?",
                "If you, or someone you know, are not free, help is available. You decide what "
                "happens next.",
            ),
        ],
    },
}


# -- Campaign 2: forced labour in agriculture ---------------------------------------------------

AGRICULTURE = {
    "short_name": "agriculture",
    "start_days": -318,
    "end_days": -227,
    "hero_image": "campagne-agriculture.jpg",
    "fr-ca": {
        "title": "Travail forcé en agriculture : connaître ses droits",
        "slug": "travail-agricole",
        "tagline": (
            "Les travailleuses et travailleurs étrangers temporaires nourrissent le Québec. Au "
            "travail, ils ont des droits, comme tout le monde."
        ),
        "introduction": (
            "Chaque saison, des personnes venues d'autres pays travaillent dans nos champs et "
            "nos serres. La plupart sont bien traitées. Mais certaines se retrouvent prises au "
            "piège : papiers confisqués, dettes, logement contrôlé par l'employeur. Cette "
            "campagne explique les signes du travail forcé et les droits de chacun."
        ),
        "body": [
            heading("Qu'est-ce que le travail forcé ?"),
            paragraph(
                "<p>Le travail forcé, c'est quand une personne travaille sous la menace, la "
                "contrainte ou la tromperie, et qu'elle ne peut pas partir librement. C'est une "
                "forme de traite des personnes.</p>"
                "<p>Les personnes qui ont un permis de travail lié à un seul employeur sont plus "
                "à risque : elles peuvent craindre de perdre leur statut si elles se "
                "plaignent. La Coalition veut que ces personnes connaissent leurs droits et "
                "les ressources qui peuvent les aider, dans leur langue.</p>"
            ),
            signs(
                "Les signes à surveiller",
                [
                    (
                        "Papiers et argent",
                        [
                            "L'employeur ou un recruteur garde le passeport ou le permis de "
                            "travail.",
                            "La personne doit rembourser une dette qui ne diminue jamais "
                            "(frais de recrutement, de voyage ou de logement).",
                            "Le salaire est retenu, versé en retard ou beaucoup plus bas que "
                            "promis.",
                        ],
                    ),
                    (
                        "Logement et isolement",
                        [
                            "Le logement est fourni par l'employeur, surpeuplé ou insalubre, "
                            "et la personne ne peut pas en sortir librement.",
                            "Elle n'a pas accès à un téléphone, à Internet ou au transport.",
                            "On la menace de la renvoyer dans son pays ou d'appeler l'immigration.",
                        ],
                    ),
                ],
            ),
            cards(
                "Vos droits au travail",
                [
                    (
                        "Vos papiers vous appartiennent",
                        "Personne n'a le droit de garder votre passeport ou votre permis de "
                        "travail.",
                    ),
                    (
                        "Vous avez droit à votre salaire",
                        "Les normes du travail s'appliquent à tous les travailleurs et "
                        "travailleuses au Québec, quel que soit leur statut.",
                    ),
                    (
                        "Vous pouvez demander de l'aide",
                        "Demander de l'aide à un organisme ou appeler une ligne d'écoute ne "
                        "vous fait pas perdre vos droits.",
                    ),
                ],
            ),
            image(
                "documents-a-soi.png",
                IMAGES["documents-a-soi.png"]["alt"]["fr-ca"],
                caption="Vos papiers d'identité vous appartiennent.",
            ),
            timeline(
                "Une campagne en trois temps",
                [
                    milestone(
                        "start",
                        "Avant la saison",
                        [
                            "Préparer, avec des interprètes, un aide-mémoire des droits dans "
                            "plusieurs langues."
                        ],
                    ),
                    milestone(
                        "start",
                        "Pendant la récolte",
                        [
                            "Rencontrer les travailleuses et travailleurs là où ils vivent, "
                            "avec les organismes membres de la région."
                        ],
                    ),
                    milestone(
                        "end",
                        "Après la saison",
                        ["Partager ce que nous avons appris avec les membres de la Coalition."],
                    ),
                ],
            ),
            testimony(
                "Quand je suis arrivé, on m'a dit de donner mon passeport « pour le garder en "
                "sécurité ». Une bénévole m'a expliqué que j'avais le droit de le garder. Je "
                "l'ai demandé, et je l'ai eu. Ce jour-là, je me suis senti libre de parler.",
                "Travailleur agricole saisonnier (témoignage fictif écrit pour la démonstration)",
            ),
            gallery(
                "Images de la campagne",
                [
                    ("documents-a-soi.png", "Vos papiers vous appartiennent."),
                    ("logement.png", "Un logement sûr, d'où l'on peut sortir librement."),
                    ("ensemble.png", "Les organismes de la région travaillent ensemble."),
                ],
                "fr-ca",
            ),
            faq(
                "Questions fréquentes",
                [
                    (
                        "Mon employeur peut-il garder mon passeport ?",
                        "<p>Non. Vos papiers d'identité vous appartiennent. Si quelqu'un refuse "
                        "de vous les rendre, parlez-en à un organisme ou appelez la Ligne "
                        f"d'urgence canadienne contre la traite des personnes au {HOTLINE}.</p>",
                    ),
                    (
                        "Si je me plains, vais-je perdre mon permis de travail ?",
                        "<p>Des recours existent, même quand le permis est lié à un seul "
                        "employeur. Un organisme de défense des droits peut vous expliquer vos "
                        "options avant toute démarche, en toute confidentialité.</p>",
                    ),
                    (
                        "Je ne parle pas bien le français ni l'anglais. Puis-je quand même "
                        "avoir de l'aide ?",
                        "<p>Oui. La Ligne d'urgence répond dans plus de 200 langues, et des "
                        "organismes membres travaillent avec des interprètes.</p>",
                    ),
                ],
            ),
            call_to_action(
                "Un aide-mémoire à imprimer",
                "Les signes de la traite et ce que vous pouvez faire, sur une page.",
                "Télécharger l'aide-mémoire",
                document="aide-memoire-reconnaitre-les-signes.pdf",
            ),
            call_to_action(
                "Vous êtes un employeur ou un organisme de la région ?",
                "Écrivez-nous pour recevoir le matériel de la campagne ou organiser une rencontre.",
                "Écrire à la Coalition",
                email="info@cqctp.org",
            ),
            call_to_action(
                "Vos droits au travail au Québec",
                "Les normes du travail expliquées par l'organisme public responsable.",
                "Consulter le site de la CNESST",
                url="https://www.cnesst.gouv.qc.ca/",
            ),
            partners(
                "Avec nos membres",
                [
                    "Clinique juridique Droits devant",
                    "Regroupement des interprètes communautaires",
                    "Inspection du travail (démo)",
                ],
            ),
            related_trainings(
                "Formations liées",
                [
                    "travail-force-reperer-exploitation-au-travail",
                    "sensibiliser-employeurs-travail-force",
                ],
                theme="travail-force",
            ),
            call_to_action(
                "Les autres campagnes",
                "Exploitation sexuelle, travail forcé : toutes les campagnes de la Coalition et "
                "de ses membres.",
                "Voir toutes les campagnes",
                page="campaigns",
            ),
            help_block(
                "",
                "Vous vivez une de ces situations, ou vous connaissez quelqu'un qui la vit ? "
                "Appelez : l'appel est gratuit, confidentiel, et vous décidez de la suite.",
            ),
        ],
    },
    "en": {
        "title": "Forced labour in agriculture: know your rights",
        "slug": "farm-work",
        "tagline": (
            "Temporary foreign workers help feed Quebec. At work, they have rights, like "
            "everyone else."
        ),
        "introduction": (
            "Every season, people from other countries work in our fields and greenhouses. Most "
            "are treated well. But some end up trapped: papers taken away, debts, housing "
            "controlled by the employer. This campaign explains the signs of forced labour and "
            "everyone's rights."
        ),
        "body": [
            heading("What is forced labour?"),
            paragraph(
                "<p>Forced labour is when a person works under threat, pressure or deception, "
                "and cannot freely leave. It is a form of human trafficking.</p>"
                "<p>People whose work permit ties them to one employer are more at risk: they "
                "may fear losing their status if they complain. The Coalition wants them to "
                "know their rights and the resources that can help them, in their own "
                "language.</p>"
            ),
            signs(
                "Signs to watch for",
                [
                    (
                        "Papers and money",
                        [
                            "The employer or a recruiter keeps the passport or work permit.",
                            "The person must repay a debt that never gets smaller (recruitment, "
                            "travel or housing fees).",
                            "Wages are withheld, paid late or much lower than promised.",
                        ],
                    ),
                    (
                        "Housing and isolation",
                        [
                            "Housing is provided by the employer, overcrowded or unsafe, and the "
                            "person cannot freely leave it.",
                            "They have no access to a phone, the Internet or transport.",
                            "They are threatened with being sent home or reported to immigration.",
                        ],
                    ),
                ],
            ),
            cards(
                "Your rights at work",
                [
                    (
                        "Your papers belong to you",
                        "No one has the right to keep your passport or your work permit.",
                    ),
                    (
                        "You have a right to your wages",
                        "Labour standards apply to every worker in Quebec, whatever their status.",
                    ),
                    (
                        "You can ask for help",
                        "Asking an organisation for help or calling a helpline does not take "
                        "away your rights.",
                    ),
                ],
            ),
            image(
                "documents-a-soi.png",
                IMAGES["documents-a-soi.png"]["alt"]["en"],
                caption="Your identity papers belong to you.",
            ),
            timeline(
                "A campaign in three steps",
                [
                    milestone(
                        "start",
                        "Before the season",
                        [
                            "Prepare, with interpreters, a reminder of workers' rights in "
                            "several languages."
                        ],
                    ),
                    milestone(
                        "start",
                        "During the harvest",
                        [
                            "Meet workers where they live, with the member organisations of "
                            "the region."
                        ],
                    ),
                    milestone(
                        "end",
                        "After the season",
                        ["Share what we learned with the Coalition's members."],
                    ),
                ],
            ),
            testimony(
                "When I arrived, I was told to hand over my passport “to keep it safe”. A "
                "volunteer explained that I had the right to keep it. I asked for it, and I "
                "got it back. That day, I felt free to speak.",
                "Seasonal farm worker (fictional testimony written for the demo)",
            ),
            gallery(
                "Campaign pictures",
                [
                    ("documents-a-soi.png", "Your papers belong to you."),
                    ("logement.png", "Safe housing, which you can freely leave."),
                    ("ensemble.png", "Organisations of the region work together."),
                ],
                "en",
            ),
            faq(
                "Frequently asked questions",
                [
                    (
                        "Can my employer keep my passport?",
                        "<p>No. Your identity papers belong to you. If someone refuses to give "
                        "them back, talk to an organisation or call the Canadian Human "
                        f"Trafficking Hotline at {HOTLINE}.</p>",
                    ),
                    (
                        "If I complain, will I lose my work permit?",
                        "<p>There are remedies, even when the permit ties you to one employer. "
                        "A rights organisation can explain your options before you do anything, "
                        "in confidence.</p>",
                    ),
                    (
                        "I do not speak French or English well. Can I still get help?",
                        "<p>Yes. The hotline answers in more than 200 languages, and member "
                        "organisations work with interpreters.</p>",
                    ),
                ],
            ),
            call_to_action(
                "A reminder to print",
                "The signs of trafficking and what you can do, on one page.",
                "Download the reminder",
                document="reminder-recognising-the-signs.pdf",
            ),
            call_to_action(
                "Are you an employer or an organisation in the region?",
                "Write to us to receive the campaign materials or to set up a meeting.",
                "Write to the Coalition",
                email="info@cqctp.org",
            ),
            call_to_action(
                "Your rights at work in Quebec",
                "Labour standards explained by the public body in charge.",
                "Visit the CNESST website",
                url="https://www.cnesst.gouv.qc.ca/en",
            ),
            partners(
                "With our members",
                [
                    "Clinique juridique Droits devant",
                    "Regroupement des interprètes communautaires",
                    "Inspection du travail (démo)",
                ],
            ),
            related_trainings(
                "Related trainings",
                [
                    "travail-force-reperer-exploitation-au-travail",
                    "sensibiliser-employeurs-travail-force",
                ],
                theme="travail-force",
            ),
            call_to_action(
                "Other campaigns",
                "Sexual exploitation, forced labour: every campaign of the Coalition and its "
                "members.",
                "See all campaigns",
                page="campaigns",
            ),
            help_block(
                "",
                "Are you in one of these situations, or do you know someone who is? Call: the "
                "call is free, confidential, and you decide what happens next.",
            ),
        ],
    },
}

# In the main menu, right after the catalogue (load_demo places it there).
CAMPAIGN_INDEX = {
    "fr-ca": {
        "title": "Campagnes",
        "slug": "campagnes",
        "introduction": (
            "La Coalition et ses membres mènent des campagnes pour faire connaître la traite "
            "des personnes sous toutes ses formes, exploitation sexuelle et travail forcé, et "
            "pour dire où trouver de l'aide."
        ),
    },
    "en": {
        "title": "Campaigns",
        "slug": "campaigns",
        "introduction": (
            "The Coalition and its members run campaigns to raise awareness of human "
            "trafficking in all its forms, sexual exploitation and forced labour, and to say "
            "where to find help."
        ),
    },
}

# In the order of the index (and of creation).
CAMPAIGNS = [("grandprix", GRAND_PRIX), ("agriculture", AGRICULTURE)]
