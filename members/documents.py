"""The members' document library: who may have a file, its facets and its entries.

A library file is a Wagtail document kept in a collection with a view restriction (the
members' collection). Wagtail's own check would send a visitor who is not signed in to the
sign-in page, which tells anyone who guesses an address that a document lives there; here a
refused visitor gets a 404, and "signed in" means a member (`members.access.is_member`), the
rule of every members-only thing on the site. The same function decides what the library
lists and what `/documents/<id>/<file>` serves.
"""

from django import forms
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Length, NullIf, Substr
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction

from .access import is_member
from .models import DocumentKind, LibraryDocument, LibraryDocumentTag, LibraryTag, searchable
from .resources import LenientChoiceField

MAX_QUERY_LENGTH = 200
MEMBERS_COLLECTION = "Documents des membres"


def refused_collection_restrictions(user):
    """The collection restrictions that keep `user` out. A login restriction admits members
    only; a group restriction, its groups (and superusers, as in Wagtail). A shared password
    is left to Wagtail's own form: such a file is served once the password is given, and
    listed nowhere."""
    restriction = CollectionViewRestriction
    refused = Q(restriction_type=restriction.PASSWORD)
    if not is_member(user):
        refused |= Q(restriction_type=restriction.LOGIN)
    if not (user and user.is_authenticated):
        refused |= Q(restriction_type=restriction.GROUPS)
    elif not user.is_superuser:
        in_group = restriction.groups.through.objects.filter(
            collectionviewrestriction=OuterRef("pk"), group__in=user.groups.all()
        )
        refused |= Q(restriction_type=restriction.GROUPS) & ~Exists(in_group)
    return restriction.objects.filter(refused)


# The fields through which members-only content points to a file ("app.Model", "field"): such
# a file is members-only wherever it sits, so that moving it to a public collection (anyone
# who may edit documents in a parent collection can) never opens it. Apps that depend on
# members add theirs from their AppConfig.ready() (`members_only_files`).
MEMBERS_ONLY_FILES = [("members.LibraryDocument", "document")]


def members_only_files(label, field):
    if (label, field) not in MEMBERS_ONLY_FILES:
        MEMBERS_ONLY_FILES.append((label, field))


def visible_documents(user, documents=None, *, with_passwords=False):
    """`documents` (all by default) without those whose collection, or a parent collection,
    refuses `user` (one subquery: a restriction covers the collections whose tree path starts
    with its own), and, for anyone but a member, without the files of members-only content
    (MEMBERS_ONLY_FILES). `with_passwords=True` keeps the files behind a shared password
    (Wagtail's form asks for it when the file is requested)."""
    from django.apps import apps

    documents = get_document_model().objects.all() if documents is None else documents
    refused = refused_collection_restrictions(user)
    if with_passwords:
        refused = refused.exclude(restriction_type=CollectionViewRestriction.PASSWORD)
    covering = refused.filter(
        collection__path=Substr(OuterRef("collection__path"), 1, Length("collection__path"))
    )
    documents = documents.exclude(Exists(covering))
    if not is_member(user):
        for label, field in MEMBERS_ONLY_FILES:
            pointing = apps.get_model(label)._base_manager.filter(**{field: OuterRef("pk")})
            documents = documents.exclude(Exists(pointing))
    return documents


def document_allowed(document, user):
    """Whether `/documents/<id>/<file>` may serve `document` to `user`."""
    found = visible_documents(user, with_passwords=True).filter(pk=document.pk)
    return found.exists()


def in_public_collection(document):
    """Whether anyone may download `document` by its collection alone (what a library entry or
    a meeting's minutes must not point to)."""
    refused = refused_collection_restrictions(None).exclude(
        restriction_type=CollectionViewRestriction.PASSWORD
    )
    prefixes = {
        document.collection.path[:end] for end in range(1, len(document.collection.path) + 1)
    }
    return not refused.filter(collection__path__in=prefixes).exists()


# -- The library page's facets -----------------------------------------------------------------


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), required=False, strip=True)
    kind = LenientChoiceField(label=_("Type"), required=False)
    year = LenientChoiceField(label=_("Year"), required=False)
    tag = LenientChoiceField(label=_("Tag"), required=False)

    def __init__(self, data=None, user=None, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        visible = LibraryDocument.objects.visible_to(user)
        years = visible.order_by("-year").values_list("year", flat=True).distinct()
        tags = LibraryTag.objects.filter(tagged_documents__content_object__in=visible).distinct()
        tags = sorted(((tag.slug, tag.label) for tag in tags), key=lambda c: searchable(c[1]))
        self.fields["kind"].choices = [("", _("All types")), *DocumentKind.choices]
        self.fields["year"].choices = [("", _("All years"))] + [(str(y), y) for y in years]
        self.fields["tag"].choices = [("", _("All tags")), *tags]

    def criteria(self):
        values = {"q": "", "kind": "", "year": "", "tag": ""}
        if self.is_bound and self.is_valid():
            values.update({k: v for k, v in self.cleaned_data.items() if v not in (None, "")})
        values["q"] = values["q"][:MAX_QUERY_LENGTH]
        return values

    def ignored(self):
        if not self.is_bound:
            return []
        self.is_valid()
        return [
            {"label": field.label, "value": str(value)[:60]}
            for field in self.fields.values()
            for value in getattr(field, "rejected", [])
        ]

    def options(self, name):
        chosen = str(self[name].value() or "")
        return [
            {"value": str(value), "label": label, "chosen": str(value) == chosen}
            for value, label in self.fields[name].choices
        ]

    @property
    def active(self):
        return any(self.criteria().values())


def library_entries(user, values):
    """The entries `user` may see that match the facets: newest year first, then by title."""
    entries = LibraryDocument.objects.visible_to(user).select_related("document")
    if values["kind"]:
        entries = entries.filter(kind=values["kind"])
    if values["year"]:
        entries = entries.filter(year=int(values["year"]))
    if values["tag"]:
        tagged = LibraryDocumentTag.objects.filter(tag__slug=values["tag"])
        entries = entries.filter(pk__in=tagged.values("content_object_id"))
    if values["q"]:
        for word in searchable(values["q"]).split()[:10]:
            entries = entries.filter(search_text__contains=word)
    title = "title"
    if (get_language() or "").startswith("en"):
        title = Coalesce(NullIf("title_en", Value("")), "title")
    return entries.order_by("-year", title, "pk")


def with_tags(entries):
    """The entries of one page with their tags: one query, whatever their number."""
    entries = list(entries)
    tags = {}
    rows = LibraryDocumentTag.objects.filter(
        content_object_id__in=[entry.pk for entry in entries]
    ).select_related("tag")
    for row in rows:
        tags.setdefault(row.content_object_id, []).append(row.tag)
    for entry in entries:
        entry.tag_list = sorted(tags.get(entry.pk, []), key=lambda tag: searchable(tag.label))
    return entries


class LibraryDocumentAdminForm(WagtailAdminModelForm):
    """Refuses a file that non-members could download: a library entry's file must be in a
    collection that lets members only in (the members' collection)."""

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is not None and in_public_collection(document):
            raise forms.ValidationError(
                _(
                    "This file is in a collection anyone can download from. Move it to the "
                    "“%(collection)s” collection (Documents, then the file's collection), or "
                    "upload it there."
                )
                % {"collection": MEMBERS_COLLECTION}
            )
        return document
