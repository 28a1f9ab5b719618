"""The resource directory: its facets (the catalogue's pattern: a lenient form, every choice in
the address), the entries one visitor may see, and the admin form that edits an entry's regions.

Bad input never raises: an unknown value is dropped and named in `ignored`, so the page still
answers with the filters that made sense.
"""

from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import PeopleServed, Region, Resource, ResourceRegion, ServiceType, searchable

MAX_QUERY_LENGTH = 200
LANGUAGES = [("fr", _("French")), ("en", _("English"))]


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the valid choices and remembers the others instead of failing the whole field."""

    def clean(self, value):
        values = self.to_python(value)
        self.rejected = [v for v in values if not self.valid_value(v)]
        return [v for v in values if self.valid_value(v)]


class LenientChoiceField(forms.ChoiceField):
    def clean(self, value):
        value = self.to_python(value)
        self.rejected = [value] if value and not self.valid_value(value) else []
        return value if value and self.valid_value(value) else ""


def facet_choices():
    """The service types and people served, labels in the active language."""

    def by_label(model):
        terms = [(term.slug, str(term.label)) for term in model.objects.all()]
        return sorted(terms, key=lambda term: term[1].casefold())

    return {"service": by_label(ServiceType), "people": by_label(PeopleServed)}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the directory"), required=False, strip=True)
    service = LenientMultipleChoiceField(
        label=_("Type of service"), required=False, widget=forms.CheckboxSelectMultiple
    )
    people = LenientMultipleChoiceField(
        label=_("People served"), required=False, widget=forms.CheckboxSelectMultiple
    )
    region = LenientChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions"))] + list(Region.choices),
    )
    language = LenientChoiceField(
        label=_("Language of the service"),
        required=False,
        choices=[("", _("Any language"))] + LANGUAGES,
    )
    open_24_7 = forms.BooleanField(label=_("Open 24/7"), required=False)

    def __init__(self, data=None, choices=None, **kwargs):
        super().__init__(data, **kwargs)
        choices = choices if choices is not None else facet_choices()
        self.fields["service"].choices = choices["service"]
        self.fields["people"].choices = choices["people"]

    def criteria(self):
        values = {
            "q": "",
            "service": [],
            "people": [],
            "region": "",
            "language": "",
            "open_24_7": False,
        }
        if self.is_bound and self.is_valid():
            values.update({k: v for k, v in self.cleaned_data.items() if v not in (None, "")})
        values["q"] = values["q"][:MAX_QUERY_LENGTH]
        return values

    def ignored(self):
        """The values that were dropped, for a notice: [{label, value}]."""
        if not self.is_bound:
            return []
        self.is_valid()
        return [
            {"label": field.label, "value": str(value)[:60]}
            for field in self.fields.values()
            for value in getattr(field, "rejected", [])
        ]

    def options(self, name):
        """The choices of field `name` as the template writes them: [{value, label, id,
        chosen}] (the catalogue's filters do the same)."""
        bound = self[name]
        value = bound.value()
        if value is None:
            value = []
        elif not isinstance(value, (list, tuple)):
            value = [value]
        chosen = {str(v) for v in value}
        return [
            {
                "value": choice,
                "label": label,
                "id": f"{bound.auto_id}_{number}",
                "chosen": str(choice) in chosen,
            }
            for number, (choice, label) in enumerate(self.fields[name].choices)
        ]

    @property
    def active(self):
        values = self.criteria()
        return any(values[name] for name in values)


def directory_entries(user, values):
    """The entries `user` may see (`Resource.objects.visible_to`) that match the facets, by
    name. A region matches the entries that serve it and those reached from everywhere."""
    entries = Resource.objects.visible_to(user)
    if values["service"]:
        links = Resource.service_types.through.objects.filter(
            servicetype__slug__in=values["service"]
        )
        entries = entries.filter(pk__in=links.values("resource_id"))
    if values["people"]:
        links = Resource.people_served.through.objects.filter(
            peopleserved__slug__in=values["people"]
        )
        entries = entries.filter(pk__in=links.values("resource_id"))
    if values["region"]:
        serving = ResourceRegion.objects.filter(region=values["region"]).values("resource_id")
        entries = entries.filter(Q(whole_province=True) | Q(pk__in=serving))
    if values["language"] == "fr":
        entries = entries.filter(in_french=True)
    elif values["language"] == "en":
        entries = entries.filter(in_english=True)
    if values["open_24_7"]:
        entries = entries.filter(open_24_7=True)
    if values["q"]:
        for word in searchable(values["q"]).split()[:10]:
            entries = entries.filter(search_text__contains=word)
    if (get_language() or "").startswith("en"):  # by the name shown
        return entries.order_by(Coalesce(NullIf("name_en", Value("")), "name"), "pk")
    return entries.order_by("name", "pk")


def with_labels(entries):
    """The entries of one page with their service types, people served and regions as
    labels in the active language: three queries, whatever the number of entries."""
    entries = list(entries)
    ids = [entry.pk for entry in entries]
    services = labels_of(Resource.service_types.through, "servicetype", ServiceType, ids)
    people = labels_of(Resource.people_served.through, "peopleserved", PeopleServed, ids)
    regions = {}
    for resource_id, code in (
        ResourceRegion.objects.filter(resource_id__in=ids)
        .order_by("region")
        .values_list("resource_id", "region")
    ):
        regions.setdefault(resource_id, []).append(Region(code).label)
    for entry in entries:
        entry.service_labels = services.get(entry.pk, [])
        entry.people_labels = people.get(entry.pk, [])
        entry.region_labels = regions.get(entry.pk, [])
    return entries


def labels_of(through, name, model, ids):
    found = {}
    rows = (
        through.objects.filter(resource_id__in=ids).select_related(name).order_by(f"{name}__name")
    )
    for row in rows:
        found.setdefault(row.resource_id, []).append(getattr(row, name).label)
    return found


class ResourceAdminForm(WagtailAdminModelForm):
    """The committee's form: regions as checkboxes, written as the entry's region links."""

    regions = forms.MultipleChoiceField(
        label=_("Regions served"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["regions"] = [link.region for link in self.instance.region_links.all()]

    def clean(self):
        data = super().clean()
        if not data.get("regions") and not data.get("whole_province"):
            self.add_error("regions", _("Choose the regions served, or “everywhere in Québec”."))
        if (
            not data.get("in_french")
            and not data.get("in_english")
            and not data.get("other_languages", "").strip()
        ):
            self.add_error("in_french", _("Say in which language the service is given."))
        return data

    def save(self, commit=True):
        resource = super().save(commit=False)
        resource.region_links = [
            ResourceRegion(region=code) for code in sorted(self.cleaned_data["regions"])
        ]
        if commit:
            resource.save()
            self.save_m2m()
        return resource
