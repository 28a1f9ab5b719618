"""Build the demo page tree (French first, then English) from demo/site_content.py.

Idempotent: a page that already exists is left as it is, so editors' changes survive a second
`make run`. Later issues add their own demo content through the same command: the training
catalogue from demo/trainings.py (loaded by demo/loader.py), the awareness campaigns from
demo/campaigns.py.
"""

import copy
import datetime
from pathlib import Path

from cqctp.links import absolute_url, site_address, sync_site
from django.conf import settings
from django.core.files import File
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from catalogue.models import CatalogueIndexPage, OrganisationDirectoryPage
from demo import campaigns, certificates, history, library, meetings, membership, offers, roles
from demo import site_content as content
from demo.loader import demo_logins, load_trainings
from demo.newsletter import load as load_newsletter
from demo.resources import load as load_resources
from home.models import CampaignIndexPage, CampaignPage, HomePage, StandardPage
from meetings.models import MeetingIndexPage
from members.models import DocumentLibraryPage, Organisation, ResourceDirectoryPage
from trainings.dates import local_zone
from trainings.models import Theme, TrainingPage

IMAGES_DIR = Path(content.__file__).resolve().parent / "images"
DOCUMENTS_DIR = Path(content.__file__).resolve().parent / "documents"
DEMO_IMAGE_TITLE = "Réseau d'organismes (démo)"


class Command(BaseCommand):
    help = (
        "Load the demo content (pages and the training catalogue, in French and English). "
        "Safe to run twice."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        self.created = []
        locales = {
            code: Locale.objects.get_or_create(language_code=code)[0] for code in ("fr-ca", "en")
        }
        image = self.ensure_image()
        home_fr = self.ensure_french_home(locales["fr-ca"])
        self.point_default_site_at(home_fr)

        pages = {"fr-ca": {"home": home_fr}, "en": {}}
        pages["en"]["home"] = self.ensure_translation(home_fr, locales["en"], content.HOME["en"])
        # The catalogue comes first in the menu: created before the standard pages in a new
        # tree, moved in front of them in a tree made before it existed.
        catalogue_fr = self.ensure_catalogue(home_fr)
        pages["fr-ca"]["catalogue"] = catalogue_fr
        pages["en"]["catalogue"] = self.ensure_translation(
            catalogue_fr, locales["en"], content.CATALOGUE["en"]
        )
        for page in (pages["fr-ca"]["catalogue"], pages["en"]["catalogue"]):
            if page.pk in self.created:
                self.move_to_first_place(page)
        for key, data in content.STANDARD_PAGES:
            source = self.ensure_child(home_fr, StandardPage, data["fr-ca"])
            pages["fr-ca"][key] = source
            pages["en"][key] = self.ensure_translation(source, locales["en"], data["en"])

        directory_fr = self.ensure_child(
            pages["fr-ca"]["members"], OrganisationDirectoryPage, content.DIRECTORY["fr-ca"]
        )
        pages["fr-ca"]["directory"] = directory_fr
        pages["en"]["directory"] = self.ensure_translation(
            directory_fr, locales["en"], content.DIRECTORY["en"]
        )

        resources_fr = self.ensure_child(
            pages["fr-ca"]["members"], ResourceDirectoryPage, content.RESOURCES_PAGE["fr-ca"]
        )
        pages["fr-ca"]["resources"] = resources_fr
        pages["en"]["resources"] = self.ensure_translation(
            resources_fr, locales["en"], content.RESOURCES_PAGE["en"]
        )
        load_resources(stdout=self.stdout)

        library_fr = self.ensure_child(
            pages["fr-ca"]["members"], DocumentLibraryPage, library.LIBRARY_PAGE["fr-ca"]
        )
        pages["fr-ca"]["library"] = library_fr
        pages["en"]["library"] = self.ensure_translation(
            library_fr, locales["en"], library.LIBRARY_PAGE["en"]
        )
        library.load(stdout=self.stdout)

        meetings_fr = self.ensure_child(
            pages["fr-ca"]["members"], MeetingIndexPage, meetings.MEETINGS_PAGE["fr-ca"]
        )
        pages["fr-ca"]["meetings"] = meetings_fr
        pages["en"]["meetings"] = self.ensure_translation(
            meetings_fr, locales["en"], meetings.MEETINGS_PAGE["en"]
        )

        # Bodies are filled last, once every page they link to exists.
        data_by_key = {
            "home": content.HOME,
            "catalogue": content.CATALOGUE,
            "directory": content.DIRECTORY,
            "resources": content.RESOURCES_PAGE,
            "library": library.LIBRARY_PAGE,
            "meetings": meetings.MEETINGS_PAGE,
            **dict(content.STANDARD_PAGES),
        }
        for language, by_key in pages.items():
            for key, page in by_key.items():
                if page.pk in self.created:
                    self.fill(page, data_by_key[key][language], by_key, image)

        self.choose_setting_page("privacy_page", pages["fr-ca"].get("privacy"))
        self.choose_setting_page("safety_page", pages["fr-ca"].get("safety"))
        load_trainings(pages["fr-ca"]["catalogue"], pages["en"]["catalogue"], stdout=self.stdout)
        self.load_campaigns(pages, locales, image)
        # The committees' side (issue 10): role accounts, last year's sessions with their
        # attendance (for the reports), certificates, a waiting list with a seat on offer.
        role_logins = roles.load(stdout=self.stdout)
        history.load(stdout=self.stdout)
        certificates.load(stdout=self.stdout)
        offers.load(stdout=self.stdout)
        meetings.load(pages["fr-ca"]["meetings"], pages["en"]["meetings"], stdout=self.stdout)
        # Membership (issue 12): the criteria page, applications to review, this year's dues.
        membership.load(pages, stdout=self.stdout)
        load_newsletter(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready ({len(self.created)} page(s) created).")
        )
        if settings.DEBUG:
            sign_in = absolute_url(reverse("members:login"))
            logins = [(*login, sign_in) for login in demo_logins()] + role_logins
            for email, password, role, address in logins:
                self.stdout.write(f"Demo {role}: sign in at {address} with {email} / {password}")

    # -- Awareness campaigns (demo/campaigns.py) ---------------------------------------------

    def load_campaigns(self, pages, locales, network_image):
        """A campaign index under each home, the demo campaigns in French and English, and the
        home pages' hero with the featured campaign. What exists is left as it is."""
        images = {
            key: self.ensure_library_image(key, data["title"])
            for key, data in campaigns.IMAGES.items()
        }
        images["network"] = network_image
        documents = {
            key: self.ensure_document(key, title) for key, title in campaigns.DOCUMENTS.items()
        }
        targets = {
            "images": images,
            "documents": documents,
            "organisations": {
                organisation.name: organisation.pk for organisation in Organisation.objects.all()
            },
            "themes": dict(Theme.objects.values_list("slug", "pk")),
        }
        english = locales["en"]
        home_fr, home_en = pages["fr-ca"]["home"], pages["en"]["home"]
        home_fr.refresh_from_db()
        index_fr = home_fr.get_children().type(CampaignIndexPage).first()
        if index_fr is None:
            index_fr = self.ensure_child(
                home_fr, CampaignIndexPage, campaigns.CAMPAIGN_INDEX["fr-ca"]
            )
        index_fr = index_fr.specific
        index_en = self.ensure_translation(index_fr, english, campaigns.CAMPAIGN_INDEX["en"])
        for page, home in ((index_fr, home_fr), (index_en, home_en)):
            if page.pk in self.created:
                # In the menu right after the catalogue: the public's two reasons to come.
                catalogue = home.get_children().type(CatalogueIndexPage).first()
                if catalogue is not None:
                    page.move(catalogue, pos="right")
                    page.refresh_from_db()
        for page, language in ((index_fr, "fr-ca"), (index_en, "en")):
            if page.pk in self.created:
                page.refresh_from_db()
                page.introduction = campaigns.CAMPAIGN_INDEX[language]["introduction"]
                page.save_revision().publish()
        pages["fr-ca"]["campaigns"], pages["en"]["campaigns"] = index_fr, index_en

        today = timezone.localdate(timezone=local_zone())
        featured = {}
        for key, data in campaigns.CAMPAIGNS:
            index_fr.refresh_from_db()
            campaign_fr = index_fr.get_children().filter(slug=data["fr-ca"]["slug"]).first()
            if campaign_fr is None:
                campaign_fr = self.create_campaign(index_fr, data, today, pages, targets)
            campaign_fr = campaign_fr.specific
            campaign_en = campaign_fr.get_translation_or_none(english)
            if campaign_en is None:
                campaign_en = self.translate_campaign(campaign_fr, english, data, pages, targets)
            featured[key] = {"fr-ca": campaign_fr, "en": campaign_en.specific}

        for home, language in ((home_fr, "fr-ca"), (home_en, "en")):
            self.set_home_hero(home, campaigns.HOME_HERO[language], featured, language, images)

    def campaign_fields(self, data, language, pages, targets, period):
        text = data[language]
        body = self.resolve_campaign(text["body"], pages[language], targets, language)
        for block in body:
            if block["type"] == "timeline":  # "start"/"end": the years of the campaign
                for milestone in block["value"]["milestones"]:
                    milestone["year"] = period[milestone["year"]].year
        return {
            "title": text["title"],
            "slug": text["slug"],
            "tagline": text["tagline"],
            "introduction": text["introduction"],
            "hero_image": targets["images"][data["hero_image"]],
            "hero_image_alt": campaigns.IMAGES[data["hero_image"]]["alt"][language],
            "body": body,
        }

    def create_campaign(self, index, data, today, pages, targets):
        # Dates relative to the day of loading, as for the demo sessions: see campaigns.py.
        period = {
            "start": today + datetime.timedelta(days=data["start_days"]),
            "end": today + datetime.timedelta(days=data["end_days"]),
        }
        page = CampaignPage(
            **self.campaign_fields(data, "fr-ca", pages, targets, period),
            start_date=period["start"],
            end_date=period["end"],
            short_name=data["short_name"],
            locale=index.locale,
            live=False,
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        self.created.append(page.pk)
        return page

    def translate_campaign(self, source, locale, data, pages, targets):
        """Wagtail's simple translation, as an editor would: copy, then write the English."""
        page = source.copy_for_translation(locale, copy_parents=True).specific
        period = {"start": source.start_date, "end": source.end_date}
        for field, value in self.campaign_fields(data, "en", pages, targets, period).items():
            setattr(page, field, value)
        page.save_revision().publish()
        self.created.append(page.pk)
        return page

    def set_home_hero(self, home, data, featured, language, images):
        """The hero of a home page and its featured campaign, once: only while none of the
        hero fields has been filled in (an editor's choice is kept)."""
        home.refresh_from_db()
        if home.hero_heading or home.hero_image_id or home.featured_campaign_id:
            return
        home.hero_heading = data["hero_heading"]
        home.hero_image = images[data["hero_image"]]
        home.hero_image_alt = data["hero_image_alt"]
        home.featured_campaign = featured[data["featured_campaign"]][language]
        home.save_revision().publish()

    def resolve_campaign(self, body, pages_in_language, targets, language):
        """Replace the keys of demo/campaigns.py by the ids of what they name."""
        body = copy.deepcopy(body)
        images, documents = targets["images"], targets["documents"]
        for block in body:
            kind, value = block["type"], block["value"]
            if kind == "image":
                value["image"] = images[value["image"]].pk
            elif kind == "gallery":
                for item in value["images"]:
                    item["image"] = images[item["image"]].pk
            elif kind == "video" and value["poster"]:
                value["poster"] = images[value["poster"]].pk
            elif kind == "call_to_action":
                if value["link_page"]:
                    value["link_page"] = pages_in_language[value["link_page"]].pk
                if value["link_document"]:
                    value["link_document"] = documents[value["link_document"]].pk
            elif kind == "resources":
                for item in value["resources"]:
                    item["document"] = documents[item["document"]].pk
            elif kind == "partners":
                value["organisations"] = [
                    targets["organisations"][name] for name in value["organisations"]
                ]
            elif kind == "related_trainings":
                value["trainings"] = [
                    self.training_in(slug, pages_in_language["catalogue"], language)
                    for slug in value["trainings"]
                ]
                if value["theme"]:
                    value["theme"] = targets["themes"][value["theme"]]
        return body

    def training_in(self, slug, catalogue, language):
        """The id of a demo training (known by its French slug) in the catalogue's language."""
        training = TrainingPage.objects.filter(slug=slug, locale__language_code="fr-ca").first()
        if training is None:
            raise ValueError(f"The demo training {slug!r} does not exist.")
        if language != "fr-ca":
            training = training.get_translation_or_none(catalogue.locale) or training
        return training.pk

    def ensure_library_image(self, filename, title, stored_as=None):
        return self.ensure_file(
            get_image_model(), ImageFile, IMAGES_DIR, filename, title, stored_as
        )

    def ensure_document(self, filename, title):
        return self.ensure_file(get_document_model(), File, DOCUMENTS_DIR, filename, title)

    @staticmethod
    def ensure_file(model, wrapper, folder, filename, title, stored_as=None):
        """An image or a document of the library, found by its title or uploaded once."""
        existing = model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        with open(folder / filename, "rb") as handle:
            item = model(title=title)
            item.file = wrapper(handle, name=stored_as or filename)
            item.save()
        return item

    def choose_setting_page(self, field, page):
        """Point a site setting (privacy page, safety page) at a demo page, unless chosen."""
        from home.models import SiteSettings

        site = Site.objects.get(is_default_site=True)
        site_settings = SiteSettings.for_site(site)
        if page is not None and getattr(site_settings, f"{field}_id") is None:
            setattr(site_settings, field, page)
            site_settings.save()

    def ensure_image(self):
        return self.ensure_library_image("network.png", DEMO_IMAGE_TITLE, "cqctp-reseau.png")

    def ensure_french_home(self, locale):
        home = HomePage.objects.filter(locale=locale, depth=2).first()
        if home is not None:
            return home
        root = Page.get_first_root_node()
        # Wagtail's initial migration leaves a "Welcome" page; the coalition's home replaces it.
        for welcome in root.get_children().filter(content_type__model="page", slug="home"):
            Site.objects.filter(root_page=welcome).update(root_page=root)
            welcome.delete()
        data = content.HOME["fr-ca"]
        home = HomePage(title=data["title"], slug=data["slug"], locale=locale)
        root.add_child(instance=home)
        self.created.append(home.pk)
        return home

    def point_default_site_at(self, home):
        """The default Site serves the French home, at the public address (PUBLIC_BASE_URL)."""
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            hostname, port = site_address()
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name="Formations CQCTP",
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.site_name = site.site_name or "Formations CQCTP"
            site.save()
        sync_site()

    def ensure_child(self, parent, model, data):
        existing = parent.get_children().filter(slug=data["slug"]).first()
        if existing is not None:
            return existing.specific
        page = model(
            title=data["title"],
            slug=data["slug"],
            show_in_menus=data.get("show_in_menus", True),
            locale=parent.locale,
        )
        parent.add_child(instance=page)
        self.created.append(page.pk)
        return page

    def ensure_catalogue(self, home):
        # One catalogue per home page (max_count_per_parent): found by type, whatever its slug.
        existing = home.get_children().type(CatalogueIndexPage).first()
        if existing is not None:
            return existing.specific
        return self.ensure_child(home, CatalogueIndexPage, content.CATALOGUE["fr-ca"])

    def move_to_first_place(self, page):
        if page.get_prev_sibling() is not None:
            page.move(page.get_parent(), pos="first-child")
            page.refresh_from_db()

    def ensure_translation(self, source, locale, data):
        existing = source.get_translation_or_none(locale)
        if existing is not None:
            return existing.specific
        page = source.copy_for_translation(locale, copy_parents=True).specific
        page.title = data["title"]
        page.slug = data["slug"]
        page.save()
        self.created.append(page.pk)
        return page

    def fill(self, page, data, pages_in_language, image):
        page.refresh_from_db()  # tree counters changed while children were added
        page.title = data["title"]
        page.introduction = data["introduction"]
        if "body" in data:  # the catalogue and the directory have an introduction only
            page.body = self.resolve(data["body"], pages_in_language, image)
        page.save_revision().publish()

    def resolve(self, body, pages_in_language, image):
        """Replace the placeholders of the content module by real ids."""
        body = copy.deepcopy(body)
        for block in body:
            value = block["value"]
            if block["type"] == "image":
                value["image"] = image.pk
            elif block["type"] == "call_to_action":
                value["link_page"] = pages_in_language[value["link_page"]].pk
        return body
