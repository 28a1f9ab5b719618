"""The directory's facets start with the terms the committee uses (it can add others)."""

from django.db import migrations

SERVICE_TYPES = [
    ("hebergement", "Hébergement", "Shelter"),
    ("aide-juridique", "Aide juridique", "Legal aid"),
    ("sante", "Santé", "Health"),
    ("psychosocial", "Soutien psychosocial", "Psychosocial support"),
    ("interpretation", "Interprétation", "Interpretation"),
    ("immigration", "Immigration", "Immigration"),
    ("emploi", "Emploi", "Employment"),
    ("accompagnement-judiciaire", "Accompagnement judiciaire", "Court support"),
    ("ligne-ecoute", "Ligne d’écoute", "Helpline"),
]
PEOPLE_SERVED = [
    ("femmes", "Femmes", "Women"),
    ("mineurs", "Personnes mineures", "Minors"),
    ("personnes-migrantes", "Personnes migrantes", "Migrants"),
    ("autochtones", "Personnes autochtones", "Indigenous people"),
    ("hommes", "Hommes", "Men"),
    ("lgbtq", "Personnes LGBTQ+", "LGBTQ+ people"),
]


def add_terms(apps, schema_editor):
    for model_name, terms in (("ServiceType", SERVICE_TYPES), ("PeopleServed", PEOPLE_SERVED)):
        model = apps.get_model("members", model_name)
        for slug, name, name_en in terms:
            model.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("members", "0003_resource_directory")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
