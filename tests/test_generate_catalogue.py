"""generate_catalogue: synthetic trainings for the benchmarks, served, searchable, removable."""

import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from wagtail.models import Page, Site
from wagtail.search.models import IndexEntry

from catalogue.models import CatalogueIndexPage
from members.models import Organisation
from trainings.models import TrainingPage, TrainingSession

pytestmark = pytest.mark.django_db

NO_PROBLEMS = ([], [], [], [], [])  # treebeard's find_problems() on a consistent tree


def generate(**options):
    with open(os.devnull, "w") as devnull:
        call_command("generate_catalogue", stdout=devnull, **options)


def synthetic():
    return TrainingPage.objects.filter(slug__startswith="synth-")


def test_trainings_sessions_and_a_consistent_tree(demo):
    generate(trainings=15, sessions=3, seed=1)

    pages = synthetic()
    assert pages.count() == 15
    assert pages.live().count() == 15
    # The first training has 10 sessions (the bench's long training page), the 14 others 3.
    assert TrainingSession.objects.filter(page__in=pages).count() == 10 + 14 * 3
    first = pages.order_by("path").first()
    assert first.slug.startswith("synth-00001-")
    assert first.sessions.count() == 10
    for page in pages.prefetch_related("themes", "audiences"):
        assert 1 <= len(page.themes.all()) <= 3
        assert 1 <= len(page.audiences.all()) <= 3
        assert page.provider.name.startswith("Organisme synthétique ")

    catalogue = CatalogueIndexPage.objects.get(locale__language_code="fr-ca")
    assert pages.child_of(catalogue).count() == 15
    assert Page.find_problems() == NO_PROBLEMS  # paths, depths and numchild all right
    # Wagtail's routing (which walks the tree) reaches the bulk-inserted pages.
    site = Site.objects.get(is_default_site=True)
    request = RequestFactory().get(first.url)
    route = site.root_page.specific.route(request, [catalogue.slug, first.slug])
    assert route.page.pk == first.pk


def test_a_second_run_adds_numbered_trainings(demo):
    generate(trainings=5, sessions=2)
    generate(trainings=5, sessions=2)

    slugs = sorted(synthetic().values_list("slug", flat=True))
    assert [slug[:11] for slug in slugs] == [f"synth-{n:05d}" for n in range(1, 11)]
    assert TrainingSession.objects.filter(page__in=synthetic()).count() == 10 + 9 * 2


def test_the_search_backend_finds_them(demo):
    generate(trainings=15, sessions=3)

    about_exploitation = {page.pk for page in synthetic() if "exploitation" in page.title}
    assert about_exploitation  # the first training is about "exploitation sexuelle"
    found = {page.pk for page in TrainingPage.objects.live().search("exploitation")}
    assert about_exploitation <= found
    assert not TrainingPage.objects.live().search("xylophone")


def test_clear_removes_them(demo):
    trainings_before = TrainingPage.objects.count()
    sessions_before = TrainingSession.objects.count()
    generate(trainings=15, sessions=3)
    ids = [str(pk) for pk in synthetic().values_list("pk", flat=True)]
    content_type = ContentType.objects.get_for_model(TrainingPage)
    assert IndexEntry.objects.filter(content_type=content_type, object_id__in=ids).count() == 15

    generate(clear=True)

    assert not synthetic().exists()
    assert TrainingPage.objects.count() == trainings_before
    assert TrainingSession.objects.count() == sessions_before
    assert not Organisation.objects.filter(name__startswith="Organisme synthétique").exists()
    assert not IndexEntry.objects.filter(content_type=content_type, object_id__in=ids).exists()
    assert Page.find_problems() == NO_PROBLEMS


def test_without_a_home_page_it_asks_for_the_demo(db):
    with pytest.raises(CommandError, match="load_demo"):
        generate(trainings=3)
    assert not synthetic().exists()
