"""Demo entries of the resource directory: the kinds of services the coalition's members refer
victims to. Names marked "(démo)" are made up; the national hotline is real and public."""

import datetime

from django.utils import timezone

from members.models import PeopleServed, Resource, ResourceRegion, ServiceType

RESOURCES = [
    {
        "name": "Ligne d’urgence canadienne contre la traite des personnes",
        "name_en": "Canadian Human Trafficking Hotline",
        "organisation": "Centre canadien pour mettre fin à la traite des personnes",
        "description": (
            "Ligne confidentielle, gratuite, en plus de 200 langues : elle écoute, conseille et "
            "oriente vers les services de la région."
        ),
        "description_en": (
            "A confidential, free line in more than 200 languages: it listens, advises and "
            "refers to local services."
        ),
        "services": ["ligne-ecoute"],
        "people": [],
        "regions": [],
        "whole_province": True,
        "in_english": True,
        "other_languages": "plus de 200 langues, par interprète",
        "other_languages_en": "more than 200 languages, through an interpreter",
        "open_24_7": True,
        "phone": "1-833-900-1010",
        "website": "https://www.canadiancentretoendhumantrafficking.ca/",
        "how_to_refer": "La personne peut appeler elle-même, ou vous pouvez appeler avec elle.",
        "how_to_refer_en": "The person may call on their own, or you may call with them.",
        "public": True,
        "verified_days_ago": 40,
    },
    {
        "name": "Maison d’hébergement pour jeunes (démo)",
        "name_en": "Youth shelter (demo)",
        "organisation": "Refuge Jeunesse (démo)",
        "description": (
            "Hébergement d’urgence et accompagnement pour les jeunes de 12 à 17 ans qui sortent "
            "d’une situation d’exploitation."
        ),
        "description_en": (
            "Emergency shelter and support for young people aged 12 to 17 leaving a situation "
            "of exploitation."
        ),
        "services": ["hebergement", "psychosocial"],
        "people": ["mineurs"],
        "regions": ["06", "13"],
        "in_english": True,
        "open_24_7": True,
        "phone": "514 555-0199",
        "email": "intervention@refuge-jeunesse.example",
        "how_to_refer": (
            "Appelez l’intervenante de garde. L’adresse de la maison n’est donnée qu’à l’admission."
        ),
        "how_to_refer_en": (
            "Call the worker on duty. The house's address is given only on admission."
        ),
        "public": False,
        "verified_days_ago": 90,
    },
    {
        "name": "Clinique juridique en droit de l’immigration (démo)",
        "name_en": "Immigration law clinic (demo)",
        "organisation": "Clinique juridique Saint-Laurent (démo)",
        "description": (
            "Consultations gratuites sur le statut d’immigration, le permis de séjour temporaire "
            "pour victimes de traite et les recours contre l’employeur."
        ),
        "description_en": (
            "Free consultations on immigration status, the temporary resident permit for "
            "victims of trafficking and claims against an employer."
        ),
        "services": ["aide-juridique", "immigration"],
        "people": ["personnes-migrantes"],
        "regions": ["06"],
        "in_english": True,
        "other_languages": "espagnol",
        "other_languages_en": "Spanish",
        "hours": "Du lundi au jeudi, de 9 h à 17 h",
        "hours_en": "Monday to Thursday, 9 a.m. to 5 p.m.",
        "phone": "514 555-0123",
        "email": "accueil@clinique-saint-laurent.example",
        "how_to_refer": "Prendre rendez-vous par téléphone; un interprète peut être présent.",
        "how_to_refer_en": "Book by phone; an interpreter can be present.",
        "public": True,
        "verified_days_ago": 200,
    },
    {
        "name": "Banque d’interprètes en milieu social (démo)",
        "name_en": "Community interpreters' bank (demo)",
        "organisation": "Regroupement des interprètes communautaires",
        "description": (
            "Interprètes formés à l’intervention auprès des victimes, en personne ou par téléphone."
        ),
        "description_en": ("Interpreters trained to work with victims, in person or by phone."),
        "services": ["interpretation"],
        "people": [],
        "regions": ["03", "06", "13", "16"],
        "in_english": True,
        "other_languages": "espagnol, arabe, tagalog, mandarin, swahili",
        "other_languages_en": "Spanish, Arabic, Tagalog, Mandarin, Swahili",
        "hours": "Sur demande, 48 heures à l’avance",
        "hours_en": "On request, 48 hours ahead",
        "phone": "514 555-0177",
        "public": False,
        "verified_days_ago": 420,  # due: on the committee's list to verify
    },
    {
        "name": "Centre de santé des femmes (démo)",
        "name_en": "Women's health centre (demo)",
        "organisation": "CIUSSS (démo)",
        "description": (
            "Soins de santé et santé sexuelle sans jugement, avec ou sans carte d’assurance "
            "maladie."
        ),
        "description_en": (
            "Non-judgmental health and sexual health care, with or without a health card."
        ),
        "services": ["sante"],
        "people": ["femmes", "lgbtq"],
        "regions": ["03"],
        "hours": "Du lundi au vendredi, de 8 h à 20 h",
        "hours_en": "Monday to Friday, 8 a.m. to 8 p.m.",
        "phone": "418 555-0140",
        "public": True,
        "verified_days_ago": 30,
    },
]


def load(stdout=None):
    """Create the demo entries once (by name); the facets' terms come with migration 0004."""
    today = timezone.localdate()
    services = {term.slug: term for term in ServiceType.objects.all()}
    people = {term.slug: term for term in PeopleServed.objects.all()}
    created = 0
    for data in RESOURCES:
        if Resource.objects.filter(name=data["name"]).exists():
            continue
        resource = Resource(
            name=data["name"],
            name_en=data.get("name_en", ""),
            organisation=data["organisation"],
            description=data.get("description", ""),
            description_en=data.get("description_en", ""),
            whole_province=data.get("whole_province", False),
            in_french=True,
            in_english=data.get("in_english", False),
            other_languages=data.get("other_languages", ""),
            other_languages_en=data.get("other_languages_en", ""),
            open_24_7=data.get("open_24_7", False),
            hours=data.get("hours", ""),
            hours_en=data.get("hours_en", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            website=data.get("website", ""),
            how_to_refer=data.get("how_to_refer", ""),
            how_to_refer_en=data.get("how_to_refer_en", ""),
            public=data["public"],
            last_verified=today - datetime.timedelta(days=data["verified_days_ago"]),
        )
        resource.service_types = [services[slug] for slug in data["services"]]
        resource.people_served = [people[slug] for slug in data["people"]]
        resource.region_links = [ResourceRegion(region=code) for code in data["regions"]]
        resource.save()
        created += 1
    if stdout is not None and created:
        stdout.write(f"Resource directory: {created} demo entries.")
