"""Build the demo page tree (French first, then English) from home/demo/content.py.

Idempotent: a page that already exists is left as it is, so editors' changes survive a second
`make run`. Later issues add their own demo content through the same command: the training
catalogue comes from trainings/demo/.
"""

import copy
from pathlib import Path

from cqctp.links import absolute_url, site_address, sync_site
from django.conf import settings
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from catalogue.models import CatalogueIndexPage, OrganisationDirectoryPage
from home.demo import content
from home.models import HomePage, StandardPage
from trainings.demo.loader import demo_logins, load_trainings

IMAGES_DIR = Path(content.__file__).resolve().parent / "images"
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

        # Bodies are filled last, once every page they link to exists.
        data_by_key = {
            "home": content.HOME,
            "catalogue": content.CATALOGUE,
            "directory": content.DIRECTORY,
            **dict(content.STANDARD_PAGES),
        }
        for language, by_key in pages.items():
            for key, page in by_key.items():
                if page.pk in self.created:
                    self.fill(page, data_by_key[key][language], by_key, image)

        self.choose_setting_page("privacy_page", pages["fr-ca"].get("privacy"))
        self.choose_setting_page("safety_page", pages["fr-ca"].get("safety"))
        load_trainings(pages["fr-ca"]["catalogue"], pages["en"]["catalogue"], stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready ({len(self.created)} page(s) created).")
        )
        if settings.DEBUG:
            sign_in = absolute_url(reverse("members:login"))
            for email, password, role in demo_logins():
                self.stdout.write(f"Demo {role}: sign in at {sign_in} with {email} / {password}")

    def choose_setting_page(self, field, page):
        """Point a site setting (privacy page, safety page) at a demo page, unless chosen."""
        from home.models import SiteSettings

        site = Site.objects.get(is_default_site=True)
        site_settings = SiteSettings.for_site(site)
        if page is not None and getattr(site_settings, f"{field}_id") is None:
            setattr(site_settings, field, page)
            site_settings.save()

    def ensure_image(self):
        Image = get_image_model()
        image = Image.objects.filter(title=DEMO_IMAGE_TITLE).first()
        if image is None:
            with open(IMAGES_DIR / "network.png", "rb") as handle:
                image = Image(title=DEMO_IMAGE_TITLE)
                image.file = ImageFile(handle, name="cqctp-reseau.png")
                image.save()
        return image

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
