"""What the attacker's review of the campaigns reproduced, kept fixed: a translation follows its
French version's privacy, editors' own redirects survive a publish, short names are plain,
private documents and inactive organisations are not offered, short addresses take capitals."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import RequestFactory
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from home import blocks as b
from home.models import StandardPage
from tests import campaign_builders as cb
from tests import factories as f

pytestmark = pytest.mark.django_db


def request(user=None):
    req = RequestFactory().get("/")
    req.user = user or AnonymousUser()
    req.session = {}
    return req


# -- a translation follows its French version's privacy ---------------------------------------


def test_the_english_version_of_a_restricted_french_campaign_does_not_exist_for_others(client):
    french = cb.campaign(title="Campagne privée", slug="privee")
    english = cb.english(french)
    PageViewRestriction.objects.create(page=french, restriction_type="login")

    assert client.get(french.url).status_code == 302  # Wagtail asks to sign in
    assert client.get(english.url).status_code == 404

    client.force_login(f.user())
    assert client.get(french.url).status_code == 200
    assert client.get(english.url).status_code == 200


def test_the_english_version_of_a_group_restricted_standard_page_is_refused(client):
    from django.contrib.auth.models import Group

    home = f.home_page()
    about = StandardPage(title="À propos", slug="a-propos")
    home.add_child(instance=about)
    about.save_revision().publish()
    english = cb.english(about)
    restriction = PageViewRestriction.objects.create(page=about, restriction_type="groups")
    committee = Group.objects.create(name="Comité")
    restriction.groups.add(committee)

    assert client.get(english.url).status_code == 404
    client.force_login(f.user())
    assert client.get(english.url).status_code == 404  # signed in, not in the group
    member = f.user()
    member.groups.add(committee)
    client.force_login(member)
    assert client.get(english.url).status_code == 200


def test_an_english_page_keeps_its_own_privacy_answer(client):
    french = cb.campaign(title="Campagne", slug="campagne")
    english = cb.english(french)
    PageViewRestriction.objects.create(page=english, restriction_type="login")
    response = client.get(english.url)
    assert response.status_code == 302 and "login" in response["Location"] or "connexion" in (
        response["Location"]
    )


# -- short addresses ----------------------------------------------------------------------------


def test_publishing_a_campaign_keeps_the_redirects_editors_made_to_it():
    page = cb.campaign(short_name="grandprix")
    poster = Redirect.objects.create(old_path="/affiche-metro", redirect_page=page)
    other = Redirect.objects.create(old_path="/en/affiche", redirect_page=page)

    page.short_name = "f1"
    page.save_revision().publish()
    paths = set(Redirect.objects.filter(redirect_page=page).values_list("old_path", flat=True))
    assert paths == {"/f1", "/affiche-metro", "/en/affiche"}

    page.refresh_from_db()
    page.unpublish()
    assert set(Redirect.objects.values_list("pk", flat=True)) == {poster.pk, other.pk}


@pytest.mark.parametrize("name", ["mon_affiche", "été", "a--b", "-a", "a b"])
def test_a_short_name_is_letters_digits_and_hyphens(name):
    from django.core.exceptions import ValidationError

    page = cb.campaign()
    page.short_name = name
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "short_name" in refused.value.message_dict


# -- private documents, inactive organisations ---------------------------------------------------


def private_document():
    root = Collection.get_first_root_node()
    private = root.add_child(name="Membres")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    return get_document_model().objects.create(
        title="Note interne",
        file=ContentFile(b"%PDF-1.4\n" + b"x" * 512, name="note.pdf"),
        collection=private,
    )


def render(block, raw, user=None):
    return block.render(block.to_python(raw), {"request": request(user)})


def test_a_document_in_a_private_collection_is_offered_only_to_those_it_admits():
    secret = private_document()
    public = get_document_model().objects.create(
        title="Aide-mémoire", file=ContentFile(b"%PDF-1.4\n", name="aide.pdf")
    )
    raw = {
        "heading": "À télécharger",
        "resources": [
            {"document": secret.pk, "title": "", "description": ""},
            {"document": public.pk, "title": "", "description": ""},
        ],
    }
    anonymous = render(b.ResourcesBlock(), raw)
    assert "Aide-mémoire" in anonymous and "Note interne" not in anonymous
    signed_in = render(b.ResourcesBlock(), raw, user=f.user())
    assert "Note interne" in signed_in

    only_secret = {"heading": "Rien", "resources": [raw["resources"][0]]}
    assert render(b.ResourcesBlock(), only_secret).strip() == ""

    button = {
        "title": "Lire la note",
        "text": "",
        "link_label": "Télécharger",
        "link_page": None,
        "link_document": secret.pk,
        "link_url": "",
        "link_phone": "",
        "link_email": "",
    }
    assert render(b.CallToActionBlock(), button).strip() == ""
    assert "Télécharger" in render(b.CallToActionBlock(), button, user=f.user())


def test_an_inactive_organisation_is_not_shown_as_a_partner():
    active = f.organisation("Le Phare")
    gone = f.organisation("La Halte", active=False)
    raw = {"heading": "", "introduction": "", "organisations": [active.pk, gone.pk]}
    html = render(b.PartnersBlock(), raw)
    assert "Le Phare" in html and "La Halte" not in html


@pytest.mark.parametrize("typed", ["/GRANDPRIX", "/GrandPrix", "/Grandprix/"])
def test_a_short_address_typed_with_capitals_still_leads_to_the_campaign(client, typed):
    page = cb.campaign(short_name="grandprix")
    response = client.get(typed, {"utm": "x"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(page.url)


def test_capitals_on_an_unknown_address_are_still_a_404(client):
    cb.campaign(short_name="grandprix")
    assert client.get("/Inconnue/").status_code == 404
