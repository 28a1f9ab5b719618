"""The shared block library (home/blocks.py): every block renders accessible markup, refuses
content that would break a page or a promise (consent, click-to-load video), and shows only
the trainings the visitor may see."""

import io
import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, PageViewRestriction, Site
from wagtail.test.utils.form_data import nested_form_data, streamfield

from home import blocks as b
from home.models import SiteSettings, StandardPage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are checked in their English source; the French ones in one test below."""
    with translation.override("en"):
        yield


def image(title="Affiche", size=(1600, 900), colour=(75, 42, 123)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name="bloc.png"), width=size[0], height=size[1]
    )


def document(title="Guide", content=b"%PDF-1.4\n" + b"x" * 2048, name="guide.pdf"):
    return get_document_model().objects.create(title=title, file=ContentFile(content, name=name))


def request(user=None):
    req = RequestFactory().get("/")
    req.user = user or AnonymousUser()
    req.session = {}
    return req


def render(block, raw, user=None, page=None, req=None):
    """The block's HTML for a raw (JSON-like) value, as a page would render it."""
    value = block.to_python(raw)
    context = {"request": req or request(user)}
    if page is not None:
        context["page"] = context["self"] = page
    return block.render(value, context)


def fetching_attributes(html):
    """Every address the browser fetches on load: src, srcset and poster attributes."""
    return re.findall(r'\s(?:src|srcset|poster|data)="([^"]*)"', html)


def clean(block, raw):
    return block.clean(block.to_python(raw))


# -- one library ------------------------------------------------------------------------------


def test_campaigns_standard_and_home_pages_share_one_library():
    body = set(b.BodyBlock.base_blocks)
    campaign = set(b.CampaignBodyBlock.base_blocks)
    assert body <= campaign
    for name in ("key_figures", "signs", "help", "testimony", "gallery", "video", "resources"):
        assert name in campaign
    for name in ("partners", "faq", "related_trainings", "call_to_action", "paragraph"):
        assert name in campaign
    # The same class, not a copy: one definition per block.
    assert type(b.CampaignBodyBlock.base_blocks["video"]) is type(b.BodyBlock.base_blocks["video"])


def test_every_block_has_a_label_and_an_icon():
    for name, block in b.CampaignBodyBlock.base_blocks.items():
        assert block.label, name
        assert block.meta.icon and block.meta.icon != "placeholder", name


# -- images done well ------------------------------------------------------------------------


def test_the_image_block_is_a_responsive_picture_with_avif_and_webp():
    picture = image()
    html = render(b.CaptionedImageBlock(), {"image": picture.pk, "alt_text": "Un réseau"})
    assert "<picture>" in html
    assert 'type="image/avif"' in html
    assert 'type="image/webp"' in html
    assert re.search(r'<img[^>]+srcset="[^"]+ 480w, [^"]+ 800w', html)
    assert 'sizes="(min-width: 46rem) 44rem' in html
    img = re.search(r"<img[^>]+>", html).group(0)
    assert 'alt="Un réseau"' in img
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert 'loading="lazy"' in img
    assert re.search(r'src="[^"]+\.jpg"', img)  # the JPEG fallback for old browsers


def test_a_small_image_never_gets_two_candidates_of_the_same_width():
    html = render(b.CaptionedImageBlock(), {"image": image(size=(700, 400)).pk, "alt_text": "A"})
    for srcset in re.findall(r'srcset="([^"]*)"', html):
        widths = [candidate.split()[-1] for candidate in srcset.split(", ")]
        assert widths and len(widths) == len(set(widths)), srcset
    assert "700w" in html and "480w" in html


def test_the_avif_renditions_are_real_avif_files():
    from wagtail.images.models import Filter

    rendition = image().get_rendition(Filter("width-400|format-avif"))
    with rendition.file.open("rb") as handle:
        assert b"ftypavif" in handle.read(64)


def test_gallery_images_need_alternative_text_and_caption():
    block = b.GalleryBlock()
    pictures = [image(), image()]
    items = [{"image": p.pk, "alt_text": "Deux mains", "caption": "Atelier"} for p in pictures]
    with pytest.raises(ValidationError):
        clean(block, {"heading": "", "images": [{**items[0], "alt_text": ""}, items[1]]})
    with pytest.raises(ValidationError):
        clean(block, {"heading": "", "images": [{**items[0], "caption": ""}, items[1]]})
    html = render(block, {"heading": "En images", "images": items})
    assert html.count("<figure") == 2 and html.count("<figcaption>Atelier</figcaption>") == 2
    assert html.count('type="image/avif"') == 2
    assert "400w" in html and "800w" in html and 'loading="lazy"' in html
    img = re.search(r"<img[^>]+>", html).group(0)
    assert 'width="400"' in img and 'height="300"' in img  # fill- crops to 4:3


# -- call to action --------------------------------------------------------------------------


CTA = {"title": "Besoin d'aide ?", "text": "", "link_label": "Appeler la ligne"}
EMPTY_TARGETS = {
    "link_page": None,
    "link_document": None,
    "link_url": "",
    "link_phone": "",
    "link_email": "",
}


def test_a_call_to_action_needs_exactly_one_destination():
    block = b.CallToActionBlock()
    with pytest.raises(ValidationError) as error:
        clean(block, {**CTA, **EMPTY_TARGETS})
    assert "exactly one destination" in str(error.value.block_errors["link_page"])
    with pytest.raises(ValidationError) as error:
        clean(
            block,
            {**CTA, **EMPTY_TARGETS, "link_phone": "1-833-900-1010", "link_email": "a@b.org"},
        )
    assert set(error.value.block_errors) == {"link_phone", "link_email"}
    assert clean(block, {**CTA, **EMPTY_TARGETS, "link_email": "aide@cqctp.org"})


def test_a_call_to_action_calls_a_phone_number_with_a_valid_tel_link():
    html = render(b.CallToActionBlock(), {**CTA, **EMPTY_TARGETS, "link_phone": "1-833-900-1010"})
    assert 'href="tel:+18339001010"' in html
    assert "1-833-900-1010" in html  # the number is readable where phones cannot call


def test_a_call_to_action_to_a_document_names_its_type_and_size():
    guide = document()
    html = render(b.CallToActionBlock(), {**CTA, **EMPTY_TARGETS, "link_document": guide.pk})
    assert f'href="{guide.url}"' in html
    assert "(PDF, 2.0\xa0KB)" in html


def test_an_external_call_to_action_is_marked_as_external():
    html = render(
        b.CallToActionBlock(), {**CTA, **EMPTY_TARGETS, "link_url": "https://www.canada.ca/"}
    )
    assert 'href="https://www.canada.ca/"' in html
    assert "(external site)" in html


# -- awareness blocks -----------------------------------------------------------------------


def test_key_figures_are_a_list_with_their_sources():
    block = b.KeyFiguresBlock()
    figure = {
        "number": "93 %",
        "label": "des victimes sont des femmes",
        "source": "",
        "source_url": "",
    }
    with pytest.raises(ValidationError):
        clean(
            block,
            {
                "heading": "",
                "introduction": "",
                "figures": [{**figure, "source_url": "https://x.ca"}],
            },
        )
    html = render(
        block,
        {
            "heading": "En chiffres",
            "introduction": "",
            "figures": [
                {
                    **figure,
                    "source": "Statistique Canada, 2024",
                    "source_url": "https://statcan.gc.ca/",
                },
                {**figure, "number": "4 600"},
            ],
        },
    )
    assert "<table" not in html and "<ul" in html and html.count("<li") == 2
    assert "<h2>En chiffres</h2>" in html
    assert '<a href="https://statcan.gc.ca/" rel="noopener">Statistique Canada, 2024' in html
    assert "4 600" in html


def test_the_signs_are_grouped_lists_under_a_heading():
    html = render(
        b.SignsBlock(),
        {
            "heading": "Reconnaître les signes",
            "introduction": "",
            "groups": [
                {"title": "Au travail", "signs": ["Ne garde pas ses papiers", "Dettes"]},
                {"title": "", "signs": ["Semble surveillée"]},
            ],
        },
    )
    assert "<h2>Reconnaître les signes</h2>" in html and "<h3>Au travail</h3>" in html
    assert html.count("<ul") == 2 and html.count("<li>") == 3


def test_the_help_block_shows_the_numbers_from_the_site_settings(demo):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.hotline_number = "1-833-900-1010"
    settings.emergency_number = "911"
    settings.save()
    html = render(b.HelpBlock(), {"heading": "", "text": "Confidentiel."})
    assert "<h2>Need help?</h2>" in html
    assert 'href="tel:911"' in html and 'href="tel:+18339001010"' in html
    settings.hotline_number = "1 833 900-1011"
    settings.save()
    html = render(b.HelpBlock(), {"heading": "Appelez", "text": ""})
    assert 'href="tel:+18339001011"' in html and "<h2>Appelez</h2>" in html


TESTIMONY = {
    "text": "On m'a pris mon passeport.",
    "attribution": "Marie",
    "role": "survivante, Montréal",
    "name_withheld": False,
    "consent": True,
}


def test_a_testimony_without_consent_does_not_validate():
    block = b.TestimonyBlock()
    with pytest.raises(ValidationError) as error:
        clean(block, {**TESTIMONY, "consent": False})
    assert "consent" in error.value.block_errors
    assert "consent of the person" in str(error.value.block_errors["consent"])
    assert clean(block, TESTIMONY)["consent"] is True


def test_a_withheld_name_is_not_shown():
    block = b.TestimonyBlock()
    html = render(block, TESTIMONY)
    assert "<blockquote" in html and "Marie" in html and "survivante" in html
    html = render(block, {**TESTIMONY, "name_withheld": True})
    assert "Marie" not in html and "survivante, Montréal" in html


def publish_form(parent, consent):
    testimony = {**TESTIMONY, "name_withheld": ""}
    testimony.pop("consent")
    if consent:
        testimony["consent"] = "on"
    return nested_form_data(
        {
            "title": "Témoignages",
            "slug": "temoignages",
            "introduction": "",
            "body": streamfield([("testimony", testimony)]),
            "action-publish": "publish",
        }
    )


def test_a_page_with_a_testimony_without_consent_cannot_be_published(client):
    home = f.home_page()
    admin = f.user("admin@cqctp.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:add", args=("home", "standardpage", home.pk))
    response = client.post(url, publish_form(home, consent=False))
    assert response.status_code == 200  # the form again, with its errors
    assert not StandardPage.objects.filter(slug="temoignages").exists()
    assert "body" in response.context["form"].errors
    response = client.post(url, publish_form(home, consent=True))
    assert response.status_code == 302
    assert StandardPage.objects.get(slug="temoignages").live


def test_the_page_form_refuses_a_testimony_without_consent():
    form_class = StandardPage.get_edit_handler().get_form_class()
    home = f.home_page()
    form = form_class(publish_form(home, consent=False), instance=StandardPage(), for_user=None)
    form.parent_page = home
    assert not form.is_valid()
    assert "body" in form.errors


# -- video: click to load --------------------------------------------------------------------


VIDEO = {
    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "title": "La traite, ici",
    "poster": None,
    "transcript": "<p>Une femme parle.</p>",
}


def test_a_video_loads_nothing_from_its_host_before_the_click():
    poster = image("Affiche vidéo")
    html = render(b.VideoBlock(), {**VIDEO, "poster": poster.pk})
    assert "<iframe" not in html
    for address in fetching_attributes(html):
        assert "youtube" not in address and "vimeo" not in address, address
    assert 'type="image/avif"' in html  # the poster is this site's own picture
    # Without JavaScript: a link to the video's page, which says where it goes.
    link = re.search(r'<a class="video__link" href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    assert link.group(1) == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert "YouTube" in link.group(2)
    # With JavaScript: a button (hidden until the script runs) naming the player's host, and
    # the privacy-enhanced player's address for the script only.
    button = re.search(r"<button[^>]*hidden[^>]*>(.*?)</button>", html, re.S).group(1)
    assert "YouTube (youtube-nocookie.com)" in button
    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' in html
    assert 'data-video-title="La traite, ici"' in html
    assert re.search(r'<script src="[^"]*js/video\.js" defer></script>', html)
    assert "<details" in html and "Une femme parle." in html  # the transcript


def test_a_vimeo_video_uses_the_do_not_track_player():
    html = render(b.VideoBlock(), {**VIDEO, "url": "https://vimeo.com/76979871"})
    assert 'href="https://vimeo.com/76979871"' in html
    assert 'data-embed-url="https://player.vimeo.com/video/76979871?dnt=1' in html
    assert "Vimeo (player.vimeo.com)" in html
    for address in fetching_attributes(html):
        assert "vimeo" not in address


@pytest.mark.parametrize(
    "url",
    [
        "https://www.dailymotion.com/video/x8abcd",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/channel/UCabc",
    ],
)
def test_a_video_from_another_host_is_refused(url):
    with pytest.raises(ValidationError) as error:
        clean(b.VideoBlock(), {**VIDEO, "url": url})
    assert "YouTube or Vimeo" in str(error.value.block_errors["url"])
    assert b.parse_video_url("javascript:alert(1)") is None


@pytest.mark.parametrize(
    "url, video_id",
    [
        ("https://youtu.be/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=30", "dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://player.vimeo.com/video/76979871", "76979871"),
        ("https://vimeo.com/channels/staffpicks/76979871", "76979871"),
    ],
)
def test_video_addresses_are_understood(url, video_id):
    assert b.parse_video_url(url).video_id == video_id


# -- resources, partners, FAQ ---------------------------------------------------------------


def test_resources_show_their_file_type_and_size():
    guide = document("Guide d'intervention")
    html = render(
        b.ResourcesBlock(),
        {
            "heading": "Ressources",
            "resources": [
                {"document": guide.pk, "title": "", "description": "Pour les intervenants."},
                {"document": guide.pk, "title": "Le guide", "description": ""},
            ],
        },
    )
    assert html.count(f'href="{guide.url}"') == 2
    assert "Guide d&#x27;intervention</a>" in html and "Le guide</a>" in html
    assert html.count("(PDF, 2.0") == 2 or html.count("(PDF, 2,0") == 2


def test_partner_organisations_show_their_name_logo_and_website():
    with_logo = f.organisation("Le Phare", website="https://lephare.org", logo=image("Logo"))
    plain = f.organisation("La Halte")
    block = b.PartnersBlock()
    raw = {"heading": "", "introduction": "", "organisations": [with_logo.pk, plain.pk]}
    html = render(block, raw)
    assert "<h2>Partner organisations</h2>" in html
    assert html.index("Le Phare") < html.index("La Halte")
    assert html.count("<picture>") == 1 and 'type="image/avif"' in html
    assert 'href="https://lephare.org"' in html and "Le Phare (external site)" in html
    # Logos and their renditions come in a bounded number of queries.
    more = [f.organisation(logo=image()).pk for _ in range(3)]
    render(block, raw)  # renditions created once
    render(block, {**raw, "organisations": raw["organisations"] + more})
    with CaptureQueriesContext(connection) as two:
        render(block, raw)
    with CaptureQueriesContext(connection) as five:
        render(block, {**raw, "organisations": raw["organisations"] + more})
    assert len(five) == len(two)


def test_the_faq_is_a_native_disclosure():
    html = render(
        b.FaqBlock(),
        {
            "heading": "Questions",
            "questions": [{"question": "Qui appeler ?", "answer": "<p>Le 911.</p>"}],
        },
    )
    assert "<h2>Questions</h2>" in html
    assert re.search(r"<details[^>]*>\s*<summary[^>]*>Qui appeler \?</summary>", html)
    assert "<p>Le 911.</p>" in html


# -- related trainings -----------------------------------------------------------------------


@pytest.fixture
def trainings():
    theme = f.theme("Travail", "Work")
    public = f.training(title="Repérer la traite", themes=[theme])
    members = f.training(title="Pour les membres", visibility="members", themes=[theme])
    restricted = f.training(title="Réservée", themes=[theme])
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    for page in (public, members, restricted):
        page.save_revision().publish()
    return {"theme": theme, "public": public, "members": members, "restricted": restricted}


def related(trainings_, theme=None, user=None, page=None):
    raw = {"heading": "", "trainings": [t.pk for t in trainings_], "theme": theme and theme.pk}
    return render(b.RelatedTrainingsBlock(), raw, user=user, page=page or f.home_page())


def test_related_trainings_need_a_choice():
    with pytest.raises(ValidationError):
        clean(b.RelatedTrainingsBlock(), {"heading": "", "trainings": [], "theme": None})


def test_related_trainings_show_only_what_the_visitor_may_see(trainings):
    chosen = [trainings["public"], trainings["members"], trainings["restricted"]]
    html = related(chosen)
    assert "<h2>Related trainings</h2>" in html
    assert "Repérer la traite" in html and trainings["public"].summary in html
    assert "Pour les membres" not in html and "Réservée" not in html
    member = f.member()
    html = related(chosen, user=member)
    assert "Pour les membres" in html and "Réservée" in html
    assert re.search(r"<h3><a href=\"[^\"]+\">Repérer la traite</a></h3>", html)


def test_related_trainings_of_a_theme_follow_the_same_rule(trainings):
    html = related([], theme=trainings["theme"])
    assert "Repérer la traite" in html
    assert "Pour les membres" not in html and "Réservée" not in html
    assert related([], theme=f.theme("Vide")).strip() == ""  # nothing to show: no empty section


def test_related_trainings_are_shown_in_the_pages_language(trainings):
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = trainings["public"].copy_for_translation(english, copy_parents=True)
    translation.title = "Spotting trafficking"
    translation.slug = "spotting"
    translation.save_revision().publish()
    for ancestor in translation.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    english_home = f.home_page().get_translation(english)
    html = related([trainings["public"]], page=english_home)
    assert "Spotting trafficking" in html and "Repérer la traite" not in html


def test_related_trainings_take_a_bounded_number_of_queries(trainings):
    few = related([trainings["public"]], theme=trainings["theme"])
    assert few
    for _ in range(8):
        f.training(themes=[trainings["theme"]]).save_revision().publish()
    page = f.home_page()
    with CaptureQueriesContext(connection) as one:
        related([trainings["public"]], page=page)
    with CaptureQueriesContext(connection) as many:
        html = related([trainings["public"]], theme=trainings["theme"], page=page)
    assert html.count("<li") == b.RELATED_TRAININGS_MAX
    assert len(many) <= len(one) + 2


# -- a whole page ---------------------------------------------------------------------------


def test_a_standard_page_renders_every_block(client, trainings):
    home = f.home_page()
    home.save_revision().publish()
    guide = document()
    partner = f.organisation("Le Phare", website="https://lephare.org")
    body = [
        ("heading", {"text": "Comprendre", "level": "h2"}),
        ("paragraph", "<p>Texte.</p>"),
        (
            "key_figures",
            {
                "heading": "Chiffres",
                "introduction": "",
                "figures": [
                    {"number": "4 600", "label": "victimes", "source": "", "source_url": ""}
                ],
            },
        ),
        (
            "signs",
            {
                "heading": "Signes",
                "introduction": "",
                "groups": [{"title": "", "signs": ["Isolement"]}],
            },
        ),
        ("help", {"heading": "", "text": ""}),
        ("testimony", TESTIMONY),
        ("video", {**VIDEO, "poster": image().pk}),
        (
            "gallery",
            {
                "heading": "",
                "images": [{"image": image().pk, "alt_text": "Alt", "caption": "Légende"}] * 2,
            },
        ),
        (
            "resources",
            {
                "heading": "Outils",
                "resources": [{"document": guide.pk, "title": "", "description": ""}],
            },
        ),
        ("partners", {"heading": "", "introduction": "", "organisations": [partner.pk]}),
        ("faq", {"heading": "FAQ", "questions": [{"question": "Q ?", "answer": "<p>R.</p>"}]}),
        (
            "related_trainings",
            {"heading": "", "trainings": [trainings["public"].pk], "theme": None},
        ),
        ("call_to_action", {**CTA, **EMPTY_TARGETS, "link_phone": "911"}),
    ]
    page = StandardPage(title="Tout", slug="tout")
    page.body = json.dumps([{"type": name, "value": value} for name, value in body])
    home.add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    for marker in (
        "Comprendre",
        "key-figure__number",
        "Isolement",
        "tel:+18339001010",
        "passeport",
        "video__link",
        "gallery__list",
        "resource__link",
        "Le Phare",
        "<details",
        "Repérer la traite",
        'href="tel:911"',
    ):
        assert marker in html, marker
    assert "<iframe" not in html


def test_the_video_button_and_help_block_read_as_french():
    with translation.override("fr-ca"):
        html = render(b.VideoBlock(), VIDEO)
        help_html = render(b.HelpBlock(), {"heading": "", "text": ""})
    assert "Lire la vidéo sur YouTube (youtube-nocookie.com)" in html
    assert "Regarder la vidéo sur YouTube" in html and "(site externe)" in html
    assert "<h2>Besoin d’aide ?</h2>" in help_html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_video_is_loaded_from_its_host_only_after_the_click(browser, live_server):
    home = f.home_page()
    home.save_revision().publish()
    page = StandardPage(title="Vidéo", slug="video")
    page.body = json.dumps([{"type": "video", "value": {**VIDEO, "poster": image().pk}}])
    home.add_child(instance=page)
    page.save_revision().publish()
    context = browser.new_context()
    elsewhere = []

    def only_this_site(route):
        if route.request.url.startswith(live_server.url):
            return route.continue_()
        elsewhere.append(route.request.url)
        return route.abort()

    context.route("**/*", only_this_site)
    tab = context.new_page()
    tab.goto(f"{live_server.url}/video/")
    tab.wait_for_load_state("networkidle")
    assert elsewhere == []
    assert tab.locator("iframe").count() == 0
    tab.get_by_role("button", name=re.compile("youtube-nocookie.com")).click()
    frame = tab.locator(".video iframe")
    frame.wait_for()
    assert frame.get_attribute("src").startswith(
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert frame.get_attribute("title") == "La traite, ici"
    assert tab.evaluate("document.activeElement.tagName") == "IFRAME"
    assert all("youtube-nocookie.com" in url for url in elsewhere)
    context.close()
