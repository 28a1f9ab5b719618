"""The members' document library (issue 12, item 2): members find a brief by type, year, tag or
words and download it; a library file is a 404 for anyone else, at its own address too, and is
listed nowhere they look; the committee keeps the entries and may not attach a public file."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from home import routing
from members.documents import MEMBERS_COLLECTION, document_allowed, visible_documents
from members.models import DocumentLibraryPage, LibraryDocument, LibraryTag
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% brief\n"


@pytest.fixture(autouse=True)
def rendering_only(settings, tmp_path):
    settings.PAGE_CACHE_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    routing.forget()


def members_collection():
    return Collection.objects.get(depth=2, name=MEMBERS_COLLECTION)


def upload(title, collection=None, content=PDF, name="brief.pdf"):
    collection = collection or members_collection()
    document = get_document_model()(title=title, collection=collection)
    document.file = ContentFile(content, name=name)
    document.save()
    return document


def entry(title, kind="brief", year=2019, tags=(), collection=None, **fields):
    document = upload(title, collection)
    item = LibraryDocument(title=title, kind=kind, year=year, document=document, **fields)
    item.tags.add(*tags)
    item.save()
    return item


@pytest.fixture
def library(db):
    page = DocumentLibraryPage(title="Bibliothèque", slug="bibliotheque")
    f.home_page().add_child(instance=page)
    return page


@pytest.fixture
def entries(library):
    return {
        "brief": entry(
            "Mémoire sur l’exploitation des mineurs",
            title_en="Brief on the exploitation of minors",
            kind="brief",
            year=2019,
            tags=["mineurs", "Québec"],
            summary="Ce que la coalition demande au gouvernement.",
        ),
        "letter": entry(
            "Lettre sur l’interprétariat", kind="letter", year=2017, tags=["interprétariat"]
        ),
        "memo": entry("Aide-mémoire : repérer", kind="memo", year=2016, tags=["mineurs"]),
    }


def titles(client, library, **query):
    response = client.get(library.url, query)
    assert response.status_code == 200
    html = response.content.decode()
    return [item.title for item in LibraryDocument.objects.all() if item.title in html]


def test_the_members_collection_comes_with_the_migrations_and_is_private():
    collection = members_collection()
    restriction = CollectionViewRestriction.objects.get(collection=collection)
    assert restriction.restriction_type == CollectionViewRestriction.LOGIN


def test_a_member_finds_a_document_by_type_year_tag_and_words(client, library, entries):
    client.force_login(f.member())
    assert titles(client, library) == [
        "Mémoire sur l’exploitation des mineurs",
        "Lettre sur l’interprétariat",
        "Aide-mémoire : repérer",
    ]
    assert titles(client, library, kind="letter") == ["Lettre sur l’interprétariat"]
    assert titles(client, library, year="2016") == ["Aide-mémoire : repérer"]
    assert titles(client, library, tag="mineurs") == [
        "Mémoire sur l’exploitation des mineurs",
        "Aide-mémoire : repérer",
    ]
    assert titles(client, library, q="INTERPRETARIAT") == ["Lettre sur l’interprétariat"]
    assert titles(client, library, q="gouvernement") == ["Mémoire sur l’exploitation des mineurs"]
    assert titles(client, library, q="quebec", tag="mineurs") == [
        "Mémoire sur l’exploitation des mineurs"
    ]


def test_a_member_downloads_a_brief_and_the_public_gets_a_404(client, library, entries):
    url = entries["brief"].document.url
    member = f.member()
    client.force_login(member)
    html = client.get(library.url).content.decode()
    assert f'href="{url}"' in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.logout()
    response = client.get(url)
    assert response.status_code == 404  # not a redirect to the sign-in page: nothing is told
    assert "Location" not in response
    # Signed in without being a member (an account whose membership ended): a 404 too.
    client.force_login(f.user("ancien@example.org"))
    assert client.get(url).status_code == 404


def test_the_public_sees_a_notice_and_no_document(client, library, entries):
    html = client.get(library.url).content.decode()
    assert "Sign in" in html or "Se connecter" in html or "connecter" in html
    assert not any(item.title in html for item in LibraryDocument.objects.all())
    assert entries["brief"].document.url not in html


def test_a_sub_collection_of_the_members_collection_is_private_too(client, library):
    inner = members_collection().add_child(name="Procès-verbaux")
    document = upload("Procès-verbal", collection=inner)
    assert client.get(document.url).status_code == 404
    client.force_login(f.member())
    assert client.get(document.url).status_code == 200


def test_a_public_document_is_still_served_to_everyone(client):
    document = upload("Affiche", collection=Collection.get_first_root_node())
    assert document_allowed(document, None)
    assert client.get(document.url).status_code == 200


def test_a_group_restriction_keeps_out_the_members_outside_the_group(client, library):
    board = Group.objects.create(name="Conseil d'administration")
    collection = Collection.get_first_root_node().add_child(name="Conseil")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(board)
    item = entry("Budget", collection=collection)
    member = f.member()
    client.force_login(member)
    assert "Budget" not in titles(client, library)
    assert client.get(item.document.url).status_code == 404
    member.groups.add(board)
    assert titles(client, library) == ["Budget"]
    assert client.get(item.document.url).status_code == 200


def test_one_rule_lists_and_serves(library, entries):
    member = f.member()
    everything = set(get_document_model().objects.values_list("pk", flat=True))
    assert set(visible_documents(member).values_list("pk", flat=True)) == everything
    assert not visible_documents(None).exists()
    assert not LibraryDocument.objects.visible_to(None).exists()
    assert LibraryDocument.objects.visible_to(member).count() == 3


def test_the_english_page_shows_english(client, library, entries):
    english = f.translation(library, "Library", slug="library")
    client.force_login(f.member())
    html = client.get(english.url).content.decode()
    assert "Brief on the exploitation of minors" in html
    assert "Mémoire sur l’exploitation des mineurs" not in html
    assert "in French" in html and "Download" in html


def test_tags_are_shown_and_offered_in_the_page_language(client, library, entries):
    """Tags are typed in French; the committee names them in English (Library tags). A tag
    without an English name shows its French one."""
    tag = LibraryTag.objects.get(name="mineurs")
    tag.name_en = "minors"
    tag.save()
    assert "minors" in LibraryDocument.objects.get(title__startswith="Mémoire").search_text
    english = f.translation(library, "Library", slug="library")
    client.force_login(f.member())
    html = client.get(english.url).content.decode()
    assert ">minors</a>" in html and ">mineurs</a>" not in html
    assert '<option value="mineurs">minors</option>' in html
    assert ">interprétariat</a>" in html  # no English name yet
    # The same address (the slug) filters in both languages, and the English word finds it.
    for query in ({"tag": "mineurs"}, {"q": "minors"}):
        html = client.get(english.url, query).content.decode()
        assert "Brief on the exploitation" in html and "Aide-mémoire" in html
        assert "Lettre sur" not in html
    french = client.get(library.url).content.decode()
    assert ">mineurs</a>" in french and ">minors</a>" not in french


def test_the_committee_names_a_tag_in_english(client, entries):
    from committee import roles

    person = f.user("comite@example.org")
    person.groups.add(Group.objects.get(name=roles.TRAINING_COMMITTEE))
    client.force_login(person)
    tag = LibraryTag.objects.get(name="interprétariat")
    url = f"/admin/snippets/members/librarytag/edit/{tag.pk}/"
    response = client.post(url, {"name": tag.name, "name_en": "interpreting", "slug": tag.slug})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name_en == "interpreting"
    assert "interpreting" in LibraryDocument.objects.get(kind="letter").search_text
    # Made from the French name, the slug is not for editing: members' saved links keep working.
    response = client.post(
        "/admin/snippets/members/librarytag/add/", {"name": "Droit du travail", "name_en": ""}
    )
    assert response.status_code == 302
    assert LibraryTag.objects.get(name="Droit du travail").slug == "droit-du-travail"
    # A deleted tag no longer finds its entries.
    response = client.post(f"/admin/snippets/members/librarytag/delete/{tag.pk}/")
    assert response.status_code == 302 and not LibraryTag.objects.filter(pk=tag.pk).exists()
    letter = LibraryDocument.objects.get(kind="letter")
    assert "interpreting" not in letter.search_text


def test_bad_input_gets_a_notice_and_changes_nothing(client, library, entries):
    client.force_login(f.member())
    before = LibraryDocument.objects.count()
    for query in (
        {"year": "abc"},
        {"year": "1800"},
        {"kind": "secret"},
        {"tag": "<script>"},
        {"page": "²"},
        {"page": "999"},
        {"q": "x" * 5000},
    ):
        response = client.get(library.url, query)
        assert response.status_code == 200, query
    assert client.get(library.url, {"q": "\x00"}).status_code == 400  # the site's own answer
    html = client.get(library.url, {"kind": "secret", "year": "abc"}).content.decode()
    assert "secret" in html and "abc" in html  # named in the notice
    assert "<script>" not in client.get(library.url, {"tag": "<script>"}).content.decode()
    assert LibraryDocument.objects.count() == before


def test_a_wrong_file_name_or_id_is_a_404_for_everyone(client, entries):
    document = entries["brief"].document
    client.force_login(f.member())
    assert client.get(f"/documents/{document.pk}/autre.pdf").status_code == 404
    assert client.get("/documents/999999/brief.pdf").status_code == 404
    assert client.get("/documents/abc/brief.pdf").status_code == 404


def test_the_files_are_listed_nowhere_else(client, library, entries):
    # Neither the API (it has no documents endpoint) nor the site search (the site has no
    # sitemap).
    assert client.get("/api/v2/documents/").status_code == 404
    html = client.get("/recherche/", {"q": "interprétariat"}).content.decode()
    assert "Lettre sur l’interprétariat" not in html


def test_queries_do_not_grow_with_the_entries(client, library, entries):
    client.force_login(f.member())
    client.get(library.url)  # the session and the site, read once
    counts = []
    for more in (0, 15):
        for number in range(more):
            entry(f"Note {number}", kind="memo", year=2020 + number % 3, tags=[f"t{number}"])
        client.get(library.url)  # what a change of content makes the site read again, once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(library.url, {"q": "note"} if more else {})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 15, counts


# -- The committee's side --------------------------------------------------------------------


def admin_data(document, **changes):
    data = {"title": "Lettre", "kind": "letter", "year": "2024", "language": "fr"}
    data["document"] = document.pk
    data["tags"] = "fédéral"
    data.update(changes)
    return data


def test_the_committee_adds_an_entry_whose_file_is_private(client, library):
    from committee import roles

    person = f.user("comite@example.org")
    person.groups.add(Group.objects.get(name=roles.TRAINING_COMMITTEE))
    client.force_login(person)
    url = "/admin/snippets/members/librarydocument/add/"
    public_file = upload("Affiche", collection=Collection.get_first_root_node())
    response = client.post(url, admin_data(public_file))
    assert response.status_code == 200
    assert MEMBERS_COLLECTION in str(response.context["form"].errors["document"])
    assert not LibraryDocument.objects.exists()
    private_file = upload("Lettre au ministre")
    response = client.post(url, admin_data(private_file, year="1800"))
    assert response.status_code == 200 and not LibraryDocument.objects.exists()
    response = client.post(url, admin_data(private_file))
    assert response.status_code == 302, response.context["form"].errors
    saved = LibraryDocument.objects.get()
    assert list(saved.tags.names()) == ["fédéral"]
    assert "federal" in saved.search_text
    # The committee may upload to the members' collection.
    assert client.get("/admin/documents/multiple/add/").status_code == 200


def test_an_organisation_editor_does_not_keep_the_library(client, entries):
    from committee import roles

    editor = f.user("redaction@example.org")
    editor.groups.add(Group.objects.get(name=roles.ORGANISATION_EDITORS))
    client.force_login(editor)
    assert client.get("/admin/snippets/members/librarydocument/").status_code in (302, 403)


def test_the_development_server_never_serves_the_documents_folder(client, settings, entries):
    """`make run` serves uploads itself (DEBUG): images yes, the documents' folder never, however
    the address is written, or a guessed /media/documents/<file> would skip the privacy check."""
    import importlib

    import cqctp.urls
    from django.urls import clear_url_caches

    settings.DEBUG = True
    try:
        importlib.reload(cqctp.urls)
        clear_url_caches()
        name = entries["brief"].document.file.name  # documents/brief….pdf
        image = Path(settings.MEDIA_ROOT) / "original_images" / "logo.png"
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_bytes(b"png")
        assert client.get("/media/original_images/logo.png").status_code == 200
        for path in (
            f"/media/{name}",
            f"/media//{name}",
            f"/media/./{name}",
            f"/media/x/../{name}",
            f"/media/%2F{name}",
            f"/media/original_images/../{name}",
        ):
            assert client.get(path).status_code == 404, path
    finally:
        settings.DEBUG = False
        importlib.reload(cqctp.urls)
        clear_url_caches()


def test_a_signed_in_non_member_is_told_why_not_to_sign_in(client, library, entries):
    from django.utils import translation

    client.force_login(f.user("ancien@example.org"))
    html = client.get(library.url).content.decode()
    with translation.override("fr-ca"):
        told = translation.gettext(
            "Your account is not linked to a member organisation, so this page shows nothing "
            "to you. If you work for a member organisation, ask its coordination to invite you."
        )
    assert told.replace("’", "&#x27;")[:40] in html or told[:40] in html
    assert "connexion/?next" not in html  # no sign-in link that would loop back here
