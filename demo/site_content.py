"""Demo content of the public site, written from the coalition's own documents.

Plain data (no Django imports), so that editors can read and correct it. Each page is given in
French, the source language, and in English. Stream bodies use Wagtail's raw JSON form.
"""


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


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


def milestone(year, events, end_year=None, date_label="", title=""):
    return {
        "year": year,
        "end_year": end_year,
        "date_label": date_label,
        "title": title,
        "events": events,
    }


def timeline(heading_text, milestones):
    return {"type": "timeline", "value": {"heading": heading_text, "milestones": milestones}}


def call_to_action(title, text, label, page_key):
    # page_key is resolved to a page id by load_demo once the page exists.
    return {
        "type": "call_to_action",
        "value": {
            "title": title,
            "text": text,
            "link_label": label,
            "link_page": page_key,
            "link_url": "",
        },
    }


def image(alt_text, caption=""):
    # The image id is filled in by load_demo.
    return {
        "type": "image",
        "value": {"image": "network", "alt_text": alt_text, "caption": caption},
    }


HOME = {
    "fr-ca": {
        "title": "Ensemble contre la traite des personnes",
        "slug": "accueil",
        "introduction": (
            "La Coalition québécoise contre la traite des personnes réunit des organismes publics, "
            "parapublics, communautaires et non gouvernementaux qui aident les personnes à risque, "
            "aux prises avec la traite ou qui l'ont vécue, partout au Québec."
        ),
        "body": [
            heading("Notre mission"),
            paragraph(
                "<p>Nous mettons en réseau les organismes qui travaillent auprès des personnes "
                "victimes ou à risque. Le but : prévenir la traite, protéger les victimes et "
                "s'assurer qu'elles reçoivent les services et le soutien dont elles ont besoin.</p>"
                "<p>La Coalition s'intéresse à la traite sous toutes ses formes, au Québec comme "
                "au Canada, qu'elle serve au travail forcé ou à l'exploitation sexuelle.</p>"
            ),
            cards(
                "Nos quatre principes directeurs",
                [
                    (
                        "La traite est un crime",
                        "C'est aussi une violation grave des droits de la personne.",
                    ),
                    (
                        "La personne victime au cœur de tout",
                        "Ses droits et sa dignité guident chaque intervention, qui respecte son "
                        "autonomie.",
                    ),
                    (
                        "Une approche globale et concertée",
                        "Les organismes agissent ensemble plutôt que chacun de son côté.",
                    ),
                    (
                        "Prévenir, protéger, soutenir",
                        "Nous misons sur la prévention, la protection et un soutien adapté aux "
                        "personnes victimes.",
                    ),
                ],
                introduction="Toutes nos actions reposent sur ces quatre principes.",
                numbered=True,
            ),
            heading("Nos objectifs"),
            paragraph(
                "<p>Notre objectif principal : que les cas de traite soient reconnus et "
                "identifiés, et que les personnes exploitées reçoivent le soutien et "
                "l'accompagnement nécessaires, en étant dirigées vers les bons services. La "
                "Coalition veut être un lieu durable d'échange d'information, d'expériences et "
                "de bonnes pratiques, et surtout mieux coordonner les services de protection et "
                "de soutien.</p>"
            ),
            cards(
                "Objectifs précis",
                [
                    (
                        "Identifier et protéger",
                        "Mieux repérer et protéger les personnes qui ont vécu la traite, et leur "
                        "assurer l'accès aux ressources adéquates.",
                    ),
                    (
                        "Collaborer",
                        "Renforcer la collaboration et offrir aux organisations un espace de "
                        "réseautage.",
                    ),
                    (
                        "Faire avancer les connaissances",
                        "Développer la recherche et en diffuser les résultats.",
                    ),
                    (
                        "Sensibiliser",
                        "Faire connaître la traite sous toutes ses facettes : internationale et "
                        "nationale, travail forcé et exploitation sexuelle.",
                    ),
                ],
            ),
            cards(
                "Nos quatre axes d'action",
                [
                    (
                        "Réseautage",
                        "Des rencontres pour échanger de l'information et partager des ressources.",
                    ),
                    (
                        "Mobilisation",
                        "Coordonner les réponses et les services quand un cas de traite survient, "
                        "et diriger vers les bonnes ressources.",
                    ),
                    ("Recherche", "Étudier et analyser la traite au Québec et au Canada."),
                    (
                        "Formation et sensibilisation",
                        "Auprès du grand public, du gouvernement et de groupes précis.",
                    ),
                ],
                numbered=True,
            ),
            image(
                "Illustration : des cercles de couleur reliés par des lignes, comme un réseau "
                "d'organismes qui se tiennent les uns aux autres.",
                "Un réseau d'organismes, partout au Québec.",
            ),
            call_to_action(
                "Notre histoire",
                "De la première rencontre de 2011 à la constitution en organisme sans but "
                "lucratif en 2021.",
                "Découvrir la Coalition",
                "about",
            ),
        ],
    },
    "en": {
        "title": "Together against human trafficking",
        "slug": "home",
        "introduction": (
            "The Québec Coalition Against Human Trafficking brings together public, para-public, "
            "community and non-governmental organisations that help people who are at risk of, "
            "caught in, or have lived through trafficking, across Québec."
        ),
        "body": [
            heading("Our mission"),
            paragraph(
                "<p>We connect the organisations that work with victims and people at risk. The "
                "goal: prevent trafficking, protect victims and make sure they get the services "
                "and support they need.</p>"
                "<p>The Coalition is concerned with trafficking in all its forms, in Québec and "
                "in Canada, whether for forced labour or sexual exploitation.</p>"
            ),
            cards(
                "Our four guiding principles",
                [
                    ("Trafficking is a crime", "It is also a serious violation of human rights."),
                    (
                        "The victim comes first",
                        "Their rights and dignity guide every intervention, which respects their "
                        "autonomy.",
                    ),
                    (
                        "A global, concerted approach",
                        "Organisations act together rather than each on its own.",
                    ),
                    (
                        "Prevent, protect, support",
                        "We focus on prevention, protection and the right support for victims.",
                    ),
                ],
                introduction="Everything we do rests on these four principles.",
                numbered=True,
            ),
            heading("Our objectives"),
            paragraph(
                "<p>Our main objective: that cases of trafficking are recognised and identified, "
                "and that exploited people get the support they need and are referred to the "
                "right services. The Coalition wants to be a lasting place to share information, "
                "experience and good practice, and above all to better coordinate protection and "
                "support services.</p>"
            ),
            cards(
                "Specific objectives",
                [
                    (
                        "Identify and protect",
                        "Better identify and protect people who have lived through trafficking, and "
                        "ensure their access to the right resources.",
                    ),
                    (
                        "Work together",
                        "Strengthen collaboration and give organisations a place to network.",
                    ),
                    ("Build knowledge", "Develop research and share what it finds."),
                    (
                        "Raise awareness",
                        "Make trafficking known in all its facets: international and domestic, "
                        "forced labour and sexual exploitation.",
                    ),
                ],
            ),
            cards(
                "Our four areas of action",
                [
                    ("Networking", "Meetings to share information and resources."),
                    (
                        "Mobilisation",
                        "Coordinate responses and services when trafficking occurs, and refer "
                        "people to the right resources.",
                    ),
                    ("Research", "Study and analyse trafficking in Québec and Canada."),
                    (
                        "Training and awareness",
                        "For the general public, government and specific groups.",
                    ),
                ],
                numbered=True,
            ),
            image(
                "Illustration: coloured circles joined by lines, like a network of organisations "
                "holding on to one another.",
                "A network of organisations across Québec.",
            ),
            call_to_action(
                "Our history",
                "From the first meeting in 2011 to incorporation as a non-profit in 2021.",
                "About the Coalition",
                "about",
            ),
        ],
    },
}

ABOUT = {
    "fr-ca": {
        "title": "À propos",
        "slug": "a-propos",
        "introduction": (
            "D'abord une concertation montréalaise, la Coalition est devenue un réseau "
            "provincial, puis un organisme sans but lucratif."
        ),
        "body": [
            heading("Contexte"),
            paragraph(
                "<p>En juin 2011, le Comité d'action contre la traite humaine interne et "
                "internationale (CATHII) réunit une quinzaine d'organisations de la grande région "
                "de Montréal qui viennent en aide aux personnes ayant vécu la traite. Elles "
                "décident de se concerter pour offrir une réponse intégrée à ces personnes.</p>"
                "<p>Les premières rencontres servent à cerner les besoins des organismes, à "
                "examiner comment ils se dirigent les personnes les uns vers les autres et à "
                "choisir des pistes d'action. La collaboration s'étend ensuite à tout le Québec : "
                "la Coalition est officiellement lancée le 11 avril 2013.</p>"
            ),
            timeline(
                "Les grandes dates",
                [
                    milestone(
                        2011,
                        [
                            "Juin : première rencontre exploratoire organisée par le CATHII, avec "
                            "quatorze représentantes et représentants d'organismes de la région de "
                            "Montréal.",
                            "Novembre : deuxième rencontre.",
                        ],
                        title="Une concertation prend forme",
                    ),
                    milestone(
                        2012,
                        [
                            "Deux rencontres consolident le travail : fonctionnement, mission, "
                            "objectifs et nom de la concertation.",
                            "Premiers outils : aide-mémoire, liste de ressources et équipe de "
                            "réponse d'urgence.",
                        ],
                    ),
                    milestone(
                        2013,
                        [
                            "Mise sur pied de la Coalition québécoise contre la traite des personnes "
                            "(CQCTP) pour mettre en réseau les organismes qui travaillent auprès des "
                            "personnes victimes ou à risque.",
                            "Création d'un comité de sensibilisation et d'un comité politique, et "
                            "d'un intranet pour les membres.",
                            "Envoi au gouvernement du Québec d'un état de la situation et de "
                            "recommandations.",
                        ],
                        date_label="11 avril",
                        title="Lancement officiel de la Coalition",
                    ),
                    milestone(
                        2014,
                        [
                            "Première infolettre ; les membres se rencontrent désormais quatre fois "
                            "par année au lieu de deux.",
                            "Recommandations conjointes du CATHII et de la CQCTP à la rencontre "
                            "interministérielle sur l'exploitation sexuelle et la traite des femmes.",
                            "Création d'un comité formation et adoption de critères d'adhésion.",
                            "Inventaire des formations sur la traite offertes par les organisations "
                            "membres, mis à la disposition des membres.",
                            "Présentation de l'IVAC aux membres, qui demandent que la traite figure "
                            "parmi les crimes donnant accès à l'indemnisation.",
                            "Campagne de sensibilisation pendant le Grand Prix de Formule 1 de "
                            "Montréal, menée par un groupe membre avec d'autres membres.",
                            "Création d'un comité clinique ; adoption du principe d'une cotisation.",
                            "2017 : lettre au Protecteur du citoyen proposant un fonds dédié à "
                            "l'interprétariat, gratuit pour les organismes.",
                        ],
                        end_year=2017,
                        title="Le réseau se structure",
                    ),
                    milestone(
                        2018,
                        [
                            "La lettre sur l'interprétariat est transmise à la Commission des droits "
                            "de la personne et des droits de la jeunesse.",
                            "Demandes de financement à la Fondation canadienne des femmes et à "
                            "Condition féminine Canada.",
                            "Appui à la création d'une commission spéciale, en insistant pour parler "
                            "d'exploitation sexuelle plutôt que de prostitution juvénile.",
                            "Réflexion sur l'avenir de la Coalition et sur sa transformation en "
                            "organisme sans but lucratif ; dépôt d'un mémoire à la Commission "
                            "spéciale sur l'exploitation sexuelle des mineurs.",
                        ],
                        end_year=2019,
                    ),
                    milestone(
                        2020,
                        [
                            "Demande de constitution en personne morale sans but lucratif au "
                            "Registraire des entreprises du Québec.",
                            "Pause de cinq mois pendant le confinement lié à la COVID-19.",
                        ],
                        date_label="février",
                    ),
                    milestone(
                        2021,
                        [
                            "12 janvier : émission des lettres patentes de la CQCTP.",
                            "28 septembre : assemblée de fondation, adoption des règlements "
                            "généraux et élection du premier conseil d'administration.",
                            "Recherche de financement pour embaucher une coordination à temps plein.",
                        ],
                        title="Un organisme sans but lucratif",
                    ),
                ],
            ),
        ],
    },
    "en": {
        "title": "About",
        "slug": "about",
        "introduction": (
            "First a Montréal round table, the Coalition grew into a province-wide network, then "
            "a non-profit organisation."
        ),
        "body": [
            heading("Background"),
            paragraph(
                "<p>In June 2011, the Comité d'action contre la traite humaine interne et "
                "internationale (CATHII) brought together some fifteen organisations of greater "
                "Montréal that help people who have lived through trafficking. They agreed to "
                "work together to give these people an integrated response.</p>"
                "<p>The first meetings identified the organisations' needs, looked at how they "
                "refer people to one another and chose lines of action. The collaboration then "
                "spread across Québec: the Coalition was officially launched on 11 April 2013.</p>"
            ),
            timeline(
                "Key dates",
                [
                    milestone(
                        2011,
                        [
                            "June: first exploratory meeting organised by CATHII, with fourteen "
                            "representatives of organisations in the Montréal area.",
                            "November: second meeting.",
                        ],
                        title="A round table takes shape",
                    ),
                    milestone(
                        2012,
                        [
                            "Two meetings consolidate the work: how the group runs, its mission, "
                            "objectives and name.",
                            "First tools: a reminder sheet, a list of resources and an emergency "
                            "response team.",
                        ],
                    ),
                    milestone(
                        2013,
                        [
                            "The Québec Coalition Against Human Trafficking (CQCTP) is set up to "
                            "connect organisations working with victims and people at risk.",
                            "An awareness committee, a policy committee and a members' intranet are "
                            "created.",
                            "A situation report and recommendations are sent to the Québec "
                            "government.",
                        ],
                        date_label="11 April",
                        title="Official launch of the Coalition",
                    ),
                    milestone(
                        2014,
                        [
                            "First newsletter; members now meet four times a year instead of two.",
                            "Joint recommendations of CATHII and the CQCTP at the interministerial "
                            "meeting on sexual exploitation and trafficking of women.",
                            "A training committee is created and membership criteria adopted.",
                            "Inventory of the trafficking trainings given by member organisations, "
                            "made available to members.",
                            "IVAC is presented to members, who ask that trafficking be listed among "
                            "the crimes giving access to compensation.",
                            "Awareness campaign during the Montréal Formula 1 Grand Prix, led by a "
                            "member group with other members.",
                            "A clinical committee is created; the principle of a membership fee is "
                            "adopted.",
                            "2017: letter to the Québec Ombudsman proposing a fund for interpreting, "
                            "free for organisations.",
                        ],
                        end_year=2017,
                        title="The network takes shape",
                    ),
                    milestone(
                        2018,
                        [
                            "The interpreting letter is passed on to the Commission des droits de la "
                            "personne et des droits de la jeunesse.",
                            "Funding requests to the Canadian Women's Foundation and Status of Women "
                            "Canada.",
                            "Support for a special commission, insisting on speaking of sexual "
                            "exploitation rather than juvenile prostitution.",
                            "Reflection on the Coalition's future and on becoming a non-profit; a "
                            "brief is filed with the Special Commission on the Sexual Exploitation "
                            "of Minors.",
                        ],
                        end_year=2019,
                    ),
                    milestone(
                        2020,
                        [
                            "Application for incorporation as a non-profit with the Registraire des "
                            "entreprises du Québec.",
                            "A five-month pause during the COVID-19 lockdown.",
                        ],
                        date_label="February",
                    ),
                    milestone(
                        2021,
                        [
                            "12 January: the CQCTP's letters patent are issued.",
                            "28 September: founding assembly, adoption of the general by-laws and "
                            "election of the first board of directors.",
                            "Search for funding to hire a full-time coordinator.",
                        ],
                        title="A non-profit organisation",
                    ),
                ],
            ),
        ],
    },
}

SECTORS_FR = [
    (
        "Organismes communautaires",
        "Accompagnement, hébergement, protection et défense des droits : auprès de personnes "
        "migrantes ou immigrantes, de jeunes en difficulté, de femmes victimes de violence, de "
        "femmes autochtones, en soutien à l'emploi, etc.",
    ),
    ("Services sociaux et de santé", "Le réseau public de la santé et des services sociaux."),
    (
        "Aide aux victimes et aide juridique",
        "Services d'aide aux victimes d'actes criminels, aide juridique et accompagnement à la "
        "cour.",
    ),
    ("Protection de la jeunesse", "Les centres de protection de la jeunesse."),
    ("Application de la loi et justice", "Les corps policiers et le secteur judiciaire."),
    ("Agences gouvernementales", "Des organismes des gouvernements du Québec et du Canada."),
]

SECTORS_EN = [
    (
        "Community organisations",
        "Support, shelter, protection and advocacy: with migrants and immigrants, youth in "
        "difficulty, women who experienced violence, Indigenous women, employment support, etc.",
    ),
    ("Health and social services", "The public health and social services network."),
    (
        "Victim support and legal aid",
        "Crime victims assistance services, legal aid and court accompaniment.",
    ),
    ("Youth protection", "Youth protection centres."),
    ("Law enforcement and justice", "Police forces and the judicial sector."),
    ("Government agencies", "Agencies of the governments of Québec and Canada."),
]

MEMBERS = {
    "fr-ca": {
        "title": "Membres",
        "slug": "membres",
        "introduction": (
            "La Coalition compte sur des organismes membres de plusieurs secteurs, qui "
            "délèguent des personnes pour participer à ses travaux."
        ),
        "body": [
            cards("Les secteurs représentés", SECTORS_FR),
            call_to_action(
                "Qui sont les membres ?",
                "Le répertoire présente chaque organisme membre et les formations qu'il offre.",
                "Voir le répertoire",
                "directory",
            ),
            heading("Devenir membre"),
            paragraph(
                "<p>Les organismes qui partagent nos principes peuvent adhérer à la Coalition "
                "selon ses critères d'adhésion. Les membres se rencontrent quatre fois par année "
                "pour échanger de l'information, se former et connaître les ressources et les "
                "projets en cours.</p>"
            ),
        ],
    },
    "en": {
        "title": "Members",
        "slug": "members",
        "introduction": (
            "The Coalition relies on member organisations from several sectors, which delegate "
            "people to take part in its work."
        ),
        "body": [
            cards("Sectors represented", SECTORS_EN),
            call_to_action(
                "Who are the members?",
                "The directory presents each member organisation and the trainings it gives.",
                "See the directory",
                "directory",
            ),
            heading("Becoming a member"),
            paragraph(
                "<p>Organisations that share our principles can join the Coalition according to "
                "its membership criteria. Members meet four times a year to share information, "
                "train and learn about current resources and projects.</p>"
            ),
        ],
    },
}

PRIVACY = {
    "fr-ca": {
        "title": "Confidentialité",
        "slug": "confidentialite",
        "show_in_menus": False,
        "introduction": (
            "Comment nous protégeons vos renseignements personnels, en termes simples, comme le "
            "demande la Loi 25 (Loi modernisant des dispositions législatives en matière de "
            "protection des renseignements personnels)."
        ),
        "body": [
            heading("Ce que nous recueillons"),
            paragraph(
                "<p>Nous recueillons seulement ce qu'il faut pour vous inscrire aux formations et "
                "bien vous accueillir.</p>"
                "<ul>"
                "<li><b>Votre compte</b> : votre nom, votre adresse courriel, votre organisme, "
                "votre rôle (membre ou coordination) et la langue de vos courriels.</li>"
                "<li><b>Vos réponses à l'inscription</b> : vos besoins d'accessibilité, la langue "
                "d'interprétation souhaitée et votre commentaire. Elles servent seulement à bien "
                "vous accueillir. Seuls le comité de la Coalition et l'organisme qui donne la "
                "formation les voient.</li>"
                "<li><b>Votre présence</b> : le comité note si vous étiez présente ou présent à "
                "chaque journée d'une séance, pour les attestations et pour compter les personnes "
                "formées.</li>"
                "<li><b>Vos attestations de participation</b> : quand vous téléchargez une "
                "attestation, nous en gardons une copie (votre nom, la formation, l'organisme, les "
                "dates et la durée) et son code de vérification. Toute personne qui a ce code peut "
                "vérifier l'attestation sur notre site ; elle n'y voit que ce qui est écrit sur "
                "l'attestation.</li>"
                "<li><b>Les journaux du serveur</b> : comme tout site Web, notre serveur note "
                "l'adresse IP, la page demandée et l'heure, ainsi que les tentatives de connexion. "
                "Ils servent à protéger le site et à corriger les erreurs.</li>"
                "</ul>"
                "<p>Le site n'utilise aucun traceur, aucune publicité et aucun script de tiers. Il "
                "dépose seulement les témoins (cookies) nécessaires pour vous connecter et pour la "
                "sécurité.</p>"
            ),
            heading("Pourquoi"),
            paragraph(
                "<p>Pour gérer les places dans les séances, vous envoyer les confirmations et les "
                "rappels, adapter l'accueil à vos besoins et compter les personnes formées. Nous "
                "ne vendons ni ne prêtons vos renseignements à personne.</p>"
            ),
            heading("Combien de temps"),
            paragraph(
                "<p>Vos réponses et votre nom sont retirés des inscriptions <b>trois ans</b> après "
                "la séance. Il ne reste alors qu'une ligne anonyme (la séance et le statut), pour "
                "que le nombre de participantes et de participants reste juste. Les courriels "
                "envoyés par le site sont effacés après la même période.</p>"
                "<p>Les attestations de participation sont gardées telles qu'elles ont été "
                "délivrées, même après la fermeture de votre compte, pour que les personnes à qui "
                "vous les avez remises puissent les vérifier. Écrivez-nous pour en faire révoquer "
                "une.</p>"
            ),
            heading("Vos droits"),
            paragraph(
                "<ul>"
                "<li><b>Consulter</b> vos renseignements : ils sont dans « Mes formations », "
                "votre espace membre.</li>"
                "<li><b>Les télécharger</b> : « Mes formations » propose un fichier avec tout ce "
                "que le site garde sur vous.</li>"
                "<li><b>Les faire corriger</b> : écrivez-nous.</li>"
                "<li><b>Fermer votre compte</b> : dans « Mes formations ». Vos renseignements "
                "sont alors effacés ; vos inscriptions restent seulement comme lignes anonymes.</li>"
                "</ul>"
            ),
            heading("Nous joindre"),
            paragraph(
                "<p>La personne responsable de la protection des renseignements personnels de la "
                "Coalition répond à vos questions et à vos demandes à "
                '<a href="mailto:info@cqctp.org">info@cqctp.org</a>. Vous pouvez aussi vous '
                "adresser à la Commission d'accès à l'information du Québec.</p>"
            ),
        ],
    },
    "en": {
        "title": "Privacy",
        "slug": "privacy",
        "show_in_menus": False,
        "introduction": (
            "How we protect your personal information, in plain words, as Québec's Law 25 (An "
            "Act to modernize legislative provisions as regards the protection of personal "
            "information) requires."
        ),
        "body": [
            heading("What we collect"),
            paragraph(
                "<p>We collect only what we need to enrol you in trainings and welcome you "
                "well.</p>"
                "<ul>"
                "<li><b>Your account</b>: your name, your e-mail address, your organisation, your "
                "role (member or coordinator) and the language of your e-mails.</li>"
                "<li><b>Your enrolment answers</b>: your accessibility needs, the interpretation "
                "language you need and your comment. They are used only to welcome you well. "
                "Only the Coalition's committee and the organisation giving the training see "
                "them.</li>"
                "<li><b>Your attendance</b>: the committee notes whether you were present on "
                "each day of a session, for certificates and to count the people trained.</li>"
                "<li><b>Your attendance certificates</b>: when you download a certificate, we "
                "keep a copy (your name, the training, the organisation, the dates and the "
                "duration) and its verification code. Anyone who has the code can check the "
                "certificate on our site, and sees only what the certificate says.</li>"
                "<li><b>Server logs</b>: like every website, our server records the IP address, "
                "the page requested and the time, as well as sign-in attempts. They are used to "
                "protect the site and fix errors.</li>"
                "</ul>"
                "<p>The site uses no trackers, no advertising and no third-party scripts. It sets "
                "only the cookies needed to sign you in and for security.</p>"
            ),
            heading("Why"),
            paragraph(
                "<p>To manage the seats in sessions, send you confirmations and reminders, adapt "
                "the welcome to your needs and count the people trained. We never sell or lend "
                "your information to anyone.</p>"
            ),
            heading("How long"),
            paragraph(
                "<p>Your answers and your name are removed from enrolments <b>three years</b> "
                "after the session. Only an anonymous line remains (the session and the status), "
                "so that the number of participants stays right. The e-mails the site sent are "
                "deleted after the same period.</p>"
                "<p>Attendance certificates are kept as issued, even after your account is "
                "closed, so that those you gave them to can check them. Write to us to have one "
                "revoked.</p>"
            ),
            heading("Your rights"),
            paragraph(
                "<ul>"
                "<li><b>See</b> your information: it is in “My trainings”, your member area.</li>"
                "<li><b>Download</b> it: “My trainings” offers a file with everything the site "
                "keeps about you.</li>"
                "<li><b>Have it corrected</b>: write to us.</li>"
                "<li><b>Close your account</b>: in “My trainings”. Your information is then "
                "deleted; your enrolments remain only as anonymous lines.</li>"
                "</ul>"
            ),
            heading("Contact us"),
            paragraph(
                "<p>The Coalition's person in charge of the protection of personal information "
                "answers your questions and requests at "
                '<a href="mailto:info@cqctp.org">info@cqctp.org</a>. You can also contact the '
                "Commission d'accès à l'information du Québec.</p>"
            ),
        ],
    },
}

# Linked next to the quick-exit button on every page: what the button does and does not do, in
# plain words, for someone whose device may be watched.
SAFETY = {
    "fr-ca": {
        "title": "Naviguer en sécurité",
        "slug": "naviguer-en-securite",
        "show_in_menus": False,
        "introduction": (
            "Si quelqu'un peut voir ce que vous faites sur votre téléphone ou votre ordinateur, "
            "voici ce que le bouton « Sortie rapide » fait, ce qu'il ne fait pas, et comment "
            "laisser moins de traces."
        ),
        "body": [
            heading("Ce que fait le bouton « Sortie rapide »"),
            paragraph(
                "<p>Le bouton « Sortie rapide », en haut de chaque page, cache tout de suite "
                "notre site et ouvre à sa place un site neutre, la météo. Avec un clavier, "
                "appuyez trois fois de suite sur la touche Maj (Shift) : c'est la même chose.</p>"
                "<p>La page de notre site est remplacée dans l'onglet : le bouton « Précédent » "
                "du navigateur ne la ramène pas.</p>"
            ),
            heading("Ce qu'il ne fait pas"),
            paragraph(
                "<ul>"
                "<li>Il <b>n'efface pas votre historique</b> : les pages de notre site que vous "
                "avez visitées y restent.</li>"
                "<li>Il ne ferme pas les autres onglets ou fenêtres ouverts sur notre site.</li>"
                "<li>Il ne cache pas votre visite à un logiciel espion, à votre fournisseur "
                "Internet ou au réseau de votre employeur.</li>"
                "</ul>"
            ),
            heading("Laisser moins de traces"),
            paragraph(
                "<ul>"
                "<li><b>La navigation privée</b> : ouvrez une fenêtre de navigation privée (on "
                "dit aussi « incognito »). Quand vous la fermez, le navigateur oublie les pages "
                "et les témoins (cookies) de cette fenêtre.</li>"
                "<li><b>Effacer l'historique</b> : dans les réglages de votre navigateur, vous "
                "pouvez effacer les pages de notre site une à une. Tout effacer d'un coup peut "
                "attirer l'attention.</li>"
                "<li><b>Un appareil plus sûr</b> : si vous pensez que votre téléphone ou votre "
                "ordinateur est surveillé, utilisez celui d'une personne de confiance, d'une "
                "bibliothèque ou d'un organisme d'aide.</li>"
                "</ul>"
            ),
            heading("Besoin d'aide maintenant ?"),
            paragraph(
                '<p>En danger immédiat, composez le <a href="tel:911">911</a>.</p>'
                "<p>La Ligne d'urgence canadienne contre la traite des personnes répond "
                "gratuitement et en toute confidentialité, jour et nuit, 7 jours sur 7 : "
                '<a href="tel:+18339001010">1-833-900-1010</a>.</p>'
            ),
        ],
    },
    "en": {
        "title": "Browse safely",
        "slug": "browse-safely",
        "show_in_menus": False,
        "introduction": (
            "If someone can see what you do on your phone or computer, here is what the “Quick "
            "exit” button does, what it does not do, and how to leave fewer traces."
        ),
        "body": [
            heading("What the “Quick exit” button does"),
            paragraph(
                "<p>The “Quick exit” button, at the top of every page, hides our site at once and "
                "opens a neutral site, the weather, in its place. With a keyboard, press the Shift "
                "key three times in a row: it does the same.</p>"
                "<p>Our page is replaced in the tab: the browser's “Back” button does not bring "
                "it back.</p>"
            ),
            heading("What it does not do"),
            paragraph(
                "<ul>"
                "<li>It <b>does not clear your history</b>: the pages of our site you visited "
                "stay in it.</li>"
                "<li>It does not close other tabs or windows open on our site.</li>"
                "<li>It does not hide your visit from spyware, from your Internet provider or "
                "from your employer's network.</li>"
                "</ul>"
            ),
            heading("Leave fewer traces"),
            paragraph(
                "<ul>"
                "<li><b>Private browsing</b>: open a private (also called “incognito”) window. "
                "When you close it, the browser forgets the pages and cookies of that "
                "window.</li>"
                "<li><b>Clear your history</b>: in your browser's settings, you can clear the "
                "pages of our site one by one. Clearing everything at once may draw "
                "attention.</li>"
                "<li><b>A safer device</b>: if you think your phone or computer is watched, use "
                "the one of someone you trust, of a library or of a support organisation.</li>"
                "</ul>"
            ),
            heading("Need help now?"),
            paragraph(
                '<p>In immediate danger, call <a href="tel:911">911</a>.</p>'
                "<p>The Canadian Human Trafficking Hotline answers free and in confidence, day "
                'and night, 7 days a week: <a href="tel:+18339001010">1-833-900-1010</a>.</p>'
            ),
        ],
    },
}

# In menu order; the home page is first and is the parent of the others. A page whose data say
# "show_in_menus": False (privacy, safety) is created outside the main menu.
STANDARD_PAGES = [
    ("about", ABOUT),
    ("members", MEMBERS),
    ("privacy", PRIVACY),
    ("safety", SAFETY),
]

# The training catalogue: a page of its own, first in the menu. Its trainings come from
# demo/trainings.py.
CATALOGUE = {
    "fr-ca": {
        "title": "Formations",
        "slug": "formations",
        "introduction": (
            "Les organismes membres de la Coalition offrent des formations sur la traite des "
            "personnes, pour le grand public comme pour les professionnels : repérer les "
            "victimes, comprendre l'exploitation sexuelle et le travail forcé, connaître le droit "
            "et intervenir. Cherchez par thème, public, région ou date."
        ),
    },
    "en": {
        "title": "Trainings",
        "slug": "trainings",
        "introduction": (
            "The Coalition's member organisations give trainings on human trafficking, for the "
            "general public and for professionals: identifying victims, understanding sexual "
            "exploitation and forced labour, knowing the law and intervening. Search by theme, "
            "audience, region or date."
        ),
    },
}

DIRECTORY = {
    "fr-ca": {
        "title": "Répertoire des organismes membres",
        "slug": "repertoire",
        "introduction": (
            "Les organismes membres de la Coalition, par secteur, avec les formations que "
            "chacun offre."
        ),
    },
    "en": {
        "title": "Directory of member organisations",
        "slug": "directory",
        "introduction": (
            "The Coalition's member organisations, by sector, with the trainings each one gives."
        ),
    },
}

RESOURCES_PAGE = {
    "fr-ca": {
        "title": "Répertoire des ressources d’aide",
        "slug": "ressources",
        "introduction": (
            "Les services qui aident les victimes de traite : hébergement, aide juridique, santé, "
            "soutien, interprétation. Filtrez par besoin, par personne et par région, puis "
            "imprimez la fiche à remettre."
        ),
    },
    "en": {
        "title": "Directory of help resources",
        "slug": "resources",
        "introduction": (
            "Services that help victims of trafficking: shelter, legal aid, health, support, "
            "interpretation. Filter by need, by person and by region, then print the sheet to "
            "hand out."
        ),
    },
}
