"""Demo entries of the members' document library, written from the coalition's history (its
joint recommendations, its letters and its brief): short summaries in our own words, and
one-page PDFs drawn here that say they are demo copies. The files go to the members' private
collection (members migration 0007), so the demo shows the 404 an anonymous visitor gets."""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from demo.draw import reminder_pdf
from members.documents import MEMBERS_COLLECTION
from members.models import LibraryDocument, LibraryTag

LIBRARY_PAGE = {
    "fr-ca": {
        "title": "Bibliothèque des membres",
        "slug": "bibliotheque",
        "introduction": (
            "Les mémoires, lettres, recommandations et aide-mémoire de la coalition, pour le "
            "personnel des organismes membres."
        ),
    },
    "en": {
        "title": "Members' library",
        "slug": "library",
        "introduction": (
            "The coalition's briefs, letters, recommendations and memo sheets, for the staff "
            "of member organisations."
        ),
    },
}

ENTRIES = [
    {
        "file": "memoire-commission-exploitation-sexuelle-mineurs-demo.pdf",
        "title": "Mémoire à la Commission spéciale sur l’exploitation sexuelle des mineurs (démo)",
        "title_en": "Brief to the Special Commission on the sexual exploitation of minors (demo)",
        "kind": "brief",
        "year": 2019,
        "language": "fr",
        "summary": (
            "Ce que les membres observent auprès des jeunes exploités et ce que la coalition "
            "demande : parler d’exploitation sexuelle, former les intervenants, financer "
            "l’hébergement spécialisé."
        ),
        "summary_en": (
            "What members see among exploited young people and what the coalition asks for: "
            "speak of sexual exploitation, train workers, fund specialised shelters."
        ),
        "tags": ["mineurs", "exploitation sexuelle", "gouvernement du Québec"],
        "lines": [
            "Copie de démonstration : le texte original n'est pas reproduit ici.",
            "Nommer la réalité : exploitation sexuelle plutôt que prostitution juvénile.",
            "Former les intervenantes et intervenants qui rencontrent des jeunes à risque.",
            "Financer des places d'hébergement adaptées aux jeunes exploités.",
        ],
    },
    {
        "file": "lettre-interpretariat-demo.pdf",
        "title": "Lettre sur l’accès à l’interprétariat (démo)",
        "title_en": "Letter on access to interpreters (demo)",
        "kind": "letter",
        "year": 2017,
        "language": "fr",
        "summary": (
            "Lettre au Protecteur du citoyen : un fonds dédié à l’interprétariat et un accès "
            "gratuit aux interprètes pour les organismes qui accompagnent les victimes."
        ),
        "summary_en": (
            "A letter to the Québec Ombudsman: a fund for interpreting, and free access to "
            "interpreters for the organisations that support victims."
        ),
        "tags": ["interprétariat", "accès aux services"],
        "lines": [
            "Copie de démonstration : le texte original n'est pas reproduit ici.",
            "Une victime doit pouvoir être comprise dans sa langue.",
            "Proposition : un fonds dédié à l'interprétariat.",
            "Proposition : des interprètes gratuits pour les organismes.",
        ],
    },
    {
        "file": "recommandations-conjointes-demo.pdf",
        "title": "Recommandations conjointes sur l’exploitation sexuelle et la traite (démo)",
        "title_en": "Joint recommendations on sexual exploitation and trafficking (demo)",
        "kind": "recommendations",
        "year": 2017,
        "language": "fr",
        "summary": (
            "Recommandations déposées avec un partenaire lors d’une rencontre "
            "interministérielle sur l’exploitation sexuelle et la traite des femmes."
        ),
        "summary_en": (
            "Recommendations tabled with a partner at an interdepartmental meeting on the "
            "sexual exploitation and trafficking of women."
        ),
        "tags": ["exploitation sexuelle", "gouvernement du Québec"],
        "lines": [
            "Copie de démonstration : le texte original n'est pas reproduit ici.",
            "Mieux repérer les victimes, mieux les orienter.",
            "Travailler ensemble : milieux communautaires, santé, justice.",
        ],
    },
    {
        "file": "memo-reconnaitre-les-signes-demo.pdf",
        "title": "Aide-mémoire pour les membres : repérer et orienter (démo)",
        "title_en": "Memo sheet for members: spotting and referring (demo)",
        "kind": "memo",
        "year": 2016,
        "language": "both",
        "summary": (
            "Une page à garder près du téléphone : les signes qui doivent alerter et les "
            "numéros vers qui orienter."
        ),
        "summary_en": (
            "One page to keep by the phone: the signs that should alert you and the numbers "
            "to refer to."
        ),
        "tags": ["repérage", "orientation"],
        "lines": [
            "Copie de démonstration / Demo copy.",
            "Ligne d'urgence / Hotline: 1-833-900-1010 (24/7).",
            "Écouter, croire, orienter / Listen, believe, refer.",
        ],
    },
]


def members_collection():
    """The members' private collection (created by members migration 0007)."""
    return Collection.objects.get(depth=2, name=MEMBERS_COLLECTION)


# The English names of the demo's tags (typed in French in the entries).
TAGS_EN = {
    "mineurs": "minors",
    "exploitation sexuelle": "sexual exploitation",
    "gouvernement du Québec": "Québec government",
    "interprétariat": "interpreting",
    "accès aux services": "access to services",
    "repérage": "identification",
    "orientation": "referral",
}


def load(stdout=None):
    """Create the demo entries once (by French title), their files in the private collection."""
    collection = members_collection()
    document_model = get_document_model()
    created = 0
    for data in ENTRIES:
        if LibraryDocument.objects.filter(title=data["title"]).exists():
            continue
        document = document_model.objects.filter(title=data["title"]).first()
        if document is None:
            document = document_model(title=data["title"], collection=collection)
            pdf = reminder_pdf(data["title"].replace("’", "'"), data["lines"])
            document.file = ContentFile(pdf, name=data["file"])
            document.file_size = len(pdf)  # what Wagtail's upload form records
            document.save()
        entry = LibraryDocument(
            document=document,
            **{key: data[key] for key in ("title", "title_en", "kind", "year", "language")},
            summary=data["summary"],
            summary_en=data["summary_en"],
        )
        entry.tags.add(*data["tags"])
        entry.save()
        created += 1
    # Named in English once; an editor's name is kept on a second run.
    for tag in LibraryTag.objects.filter(name__in=TAGS_EN, name_en=""):
        tag.name_en = TAGS_EN[tag.name]
        tag.save()
    if stdout is not None and created:
        stdout.write(f"Document library: {created} demo document(s).")
