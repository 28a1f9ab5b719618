"""The anonymous page cache (home/page_cache.py): who gets a cached page, what is stored, and
that a published change or a seat change reaches the next anonymous visitor, in this process,
in another process sharing Redis, and on a CDN purged through Wagtail's frontend cache."""

import http.server
import json
import subprocess
import sys
import threading
import time
import uuid

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Locale, PageViewRestriction

from home import freshness
from home.page_cache import AnonymousPageCacheMiddleware, without_tracking
from home.signals import PRIVATE_SNIPPETS, SHOWN_SNIPPETS
from tests import factories as f
from trainings import services
from trainings.models import Enrolment, TrainingSession

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/1"  # helper A's Redis database


@pytest.fixture
def training(frozen_now):
    return f.training(title="Repérer l'exploitation", sessions=[f.session(10, capacity=1)])


def session_of(training):
    return TrainingSession.objects.of_training(training).get()


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


# -- Who gets a cached page -------------------------------------------------------------------


def test_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    client, training, django_assert_num_queries
):
    first = get(client, training.url)
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, training.url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Headers of the outer middlewares are added to cached pages too.
    assert second["X-Content-Type-Options"] == "nosniff"


def test_cacheable_page_says_so_to_browsers_and_cdns(client, training):
    response = get(client, training.url)
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert control == {"public", "max-age=5", "s-maxage=300"}
    assert "Cookie" in response["Vary"] and "Accept-Language" not in response["Vary"]
    # An address with a query cannot be purged from a CDN: it is kept there briefly only.
    searched = get(client, f.catalogue().url, data={"q": "exploitation"})
    assert "s-maxage=5" in searched["Cache-Control"]


def test_head_and_conditional_requests_use_the_stored_page(client, training):
    stored = get(client, training.url)
    head = client.head(training.url)
    assert head.status_code == 200 and head["X-Cache"] == "hit"
    again = client.get(training.url, HTTP_IF_NONE_MATCH=stored["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == stored["ETag"]


def test_a_head_request_does_not_store_the_page(client, training):
    assert client.head(training.url)["X-Cache"] == "miss"
    assert get(client, training.url)["X-Cache"] == "miss"


def test_a_session_or_a_message_means_a_fresh_private_page(client, training):
    get(client, training.url)
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        client.cookies.clear()
        client.cookies[cookie] = "something"
        response = get(client, training.url)
        assert response["X-Cache"] == "bypass"
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-cache"} <= control and "public" not in control


def test_a_csrf_cookie_alone_still_gets_the_cached_page(client, training):
    get(client, training.url)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    assert get(client, training.url)["X-Cache"] == "hit"


def test_signed_in_members_never_get_a_cached_page(client, training):
    anonymous = get(client, training.url)
    person = f.member()
    client.force_login(person)
    for _ in range(2):
        response = get(client, training.url)
        assert response["X-Cache"] == "bypass"
        assert "private" in response["Cache-Control"]
        assert response.content != anonymous.content  # the header knows who is there


def test_a_render_that_signed_someone_in_is_not_stored():
    """No cookie came in, yet the user turned out signed in (a view that authenticates)."""
    person = f.user()

    def view(request):
        request.user = person
        return HttpResponse("Bonjour " + person.email)

    middleware = AnonymousPageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(RequestFactory().get("/bonjour/"))
        assert response["X-Cache"] == "miss"
        assert "private" in response["Cache-Control"]


def test_post_is_never_cached(client, training):
    for _ in range(2):
        assert "X-Cache" not in client.post(training.url)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/login/",
        reverse("members:login"),  # the members' area, French
        "/en" + reverse("members:login"),  # and English
    ],
)
def test_admin_and_members_area_are_never_cached(client, url, db):
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Cache"] == "bypass"
        assert "public" not in response.get("Cache-Control", "")


def test_a_page_rendering_a_csrf_token_is_not_stored(client, training):
    """The password form of a protected page holds the visitor's CSRF token."""
    PageViewRestriction.objects.create(page=training, restriction_type="password", password="x")
    for _ in range(2):
        response = get(client, training.url)
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()
        assert response["X-Cache"] == "miss"
        assert "private" in response["Cache-Control"]


def test_language_and_query_string_are_cached_separately(client, training):
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = training.copy_for_translation(english, copy_parents=True)
    translation.title = "Spotting exploitation"
    translation.save_revision().publish()
    for page in translation.get_ancestors().filter(depth__gt=1, live=False):
        page.specific.save_revision().publish()
    catalogue = f.catalogue()
    catalogue_en = type(catalogue).objects.get(locale=english)

    french = get(client, catalogue.url)
    assert get(client, catalogue.url)["X-Cache"] == "hit"
    english_page = get(client, catalogue_en.url)
    assert english_page["X-Cache"] == "miss"
    assert "Spotting exploitation" in english_page.content.decode()
    assert english_page.content != french.content
    searched = get(client, catalogue.url, data={"q": "rien-de-tel"})
    assert searched["X-Cache"] == "miss" and searched.content != french.content
    assert get(client, catalogue.url, data={"q": "rien-de-tel"})["X-Cache"] == "hit"
    assert get(client, catalogue.url, data={"sort": "title"})["X-Cache"] == "miss"


def test_an_address_with_a_parameter_no_page_reads_is_answered_but_not_stored(client, training):
    """Made-up addresses (`/?r=<random>`) would otherwise fill the cache with copies."""
    for _ in range(2):
        response = get(client, training.url + "?r=12345")
        assert response["X-Cache"] == "miss" and "private" in response["Cache-Control"]
    catalogue = f.catalogue()
    get(client, catalogue.url + "?theme=x&page=2&r=1")
    assert get(client, catalogue.url + "?theme=x&page=2&r=1")["X-Cache"] == "miss"
    get(client, catalogue.url + "?theme=x&page=2")
    assert get(client, catalogue.url + "?theme=x&page=2")["X-Cache"] == "hit"


def test_every_catalogue_filter_is_a_known_parameter():
    from catalogue.listing import FilterForm

    assert set(FilterForm.base_fields) | {"page"} <= settings.PAGE_CACHE_QUERY_PARAMETERS


def test_tracking_parameters_of_shared_links_get_the_plain_page(client, training):
    plain = get(client, training.url)
    shared = get(client, training.url + "?utm_source=journal&utm_medium=social&fbclid=AbC")
    assert shared["X-Cache"] == "hit"
    assert shared.content == plain.content
    # Rendered first with them, the page neither shows them nor differs from the plain one.
    catalogue = f.catalogue()
    first = get(client, catalogue.url + "?theme=x&utm_campaign=grandprix")
    assert "utm_campaign" not in first.content.decode()
    assert get(client, catalogue.url + "?theme=x")["X-Cache"] == "hit"
    assert without_tracking("a=1&utm_source=x&gclid=2&b=") == "a=1&b="


def test_no_page_is_served_longer_than_page_cache_seconds(client, training):
    """What changes with the clock alone (a session that started closes its enrolment) shows
    within PAGE_CACHE_SECONDS, whichever copy (this process's or the shared one) held it."""
    get(client, training.url)
    rendered = time.time()
    assert get(client, training.url)["X-Cache"] == "hit"
    with time_machine.travel(rendered + 299, tick=False):
        assert get(client, training.url)["X-Cache"] == "hit"
    with time_machine.travel(rendered + 301, tick=False):
        assert get(client, training.url)["X-Cache"] == "miss"


def test_disabled_cache_stores_nothing(client, training, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        response = get(client, training.url)
        assert "X-Cache" not in response and "public" not in response.get("Cache-Control", "")


# -- Done when: a published change and a seat change reach the next anonymous visitor ---------


def full(html):
    return "badge--full" in html


@pytest.fixture
def after_commit_only(settings):
    """As in production: changes reach the page cache when their transaction commits, and
    these tests commit for real (transactional database)."""
    settings.PAGE_CACHE_BUMP_BEFORE_COMMIT = False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_published_change_is_visible_to_the_next_anonymous_visitor(
    client, training, after_commit_only
):
    catalogue = f.catalogue()
    get(client, training.url)
    get(client, catalogue.url)
    assert get(client, catalogue.url)["X-Cache"] == "hit"
    training.title = "Titre publié à l'instant"
    training.save_revision().publish()
    page = get(client, training.url)
    assert page["X-Cache"] == "miss" and "Titre publié à l&#x27;instant" in page.content.decode()
    assert "Titre publié à l&#x27;instant" in get(client, catalogue.url).content.decode()
    # A new training appears in the catalogue at once.
    f.training(title="Toute nouvelle formation", sessions=[f.session(12)])
    assert "Toute nouvelle formation" in get(client, catalogue.url).content.decode()
    # Unpublished: gone for the next visitor.
    training.unpublish()
    assert client.get(training.url).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_filling_the_last_seat_and_cancelling_show_at_once(client, training, after_commit_only):
    home, catalogue = f.home_page(), f.catalogue()
    pages = [training.url, catalogue.url, home.url]
    for url in pages:
        assert not full(get(client, url).content.decode())
        assert get(client, url)["X-Cache"] == "hit"
    enrolment = services.enrol(f.member(), session_of(training), consent=True)
    assert enrolment.status == "confirmed"
    for url in pages:
        response = get(client, url)
        assert response["X-Cache"] == "miss", url
        assert full(response.content.decode()), url
    services.cancel(enrolment)
    for url in pages:
        assert not full(get(client, url).content.decode()), url


def test_inside_a_test_transaction_changes_show_too(client, training):
    """PAGE_CACHE_BUMP_BEFORE_COMMIT (test settings): the suite's other tests, which never
    commit, see their changes on the next request."""
    get(client, training.url)
    services.enrol(f.member(), session_of(training), consent=True)
    assert full(get(client, training.url).content.decode())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seat_changes_are_announced_after_the_commit_once_per_transaction(
    frozen_now, after_commit_only
):
    """Nothing inside the transaction (it may hold the session's lock), once after the real
    commit whatever the number of rows written."""
    training = f.training(sessions=[f.session(10, capacity=1)])
    tag = freshness.seats_of(training.translation_key)
    session = session_of(training)
    with transaction.atomic():
        before = freshness.stamps(tag)
        session.capacity = 5
        session.save()
        for _ in range(3):
            Enrolment.objects.create(session_id=session.pk, user=f.user(), status="confirmed")
        during = freshness.stamps(tag)
        idents = [func.ident for _, func, _ in connection.run_on_commit if hasattr(func, "ident")]
        assert idents.count(("seats", training.translation_key)) == 1
        assert idents.count(("seats of session", session.pk)) == 1
    assert during == before
    assert freshness.stamps(tag) != during


def test_a_change_that_does_not_touch_seats_keeps_the_cached_pages(client, training):
    enrolment = Enrolment.objects.create(
        session=session_of(training), user=f.user(), status="confirmed"
    )
    get(client, training.url)
    enrolment.reminder_sent_at = enrolment.created
    enrolment.save(update_fields=["reminder_sent_at"])
    assert get(client, training.url)["X-Cache"] == "hit"


def test_a_snippet_shown_on_the_page_renamed_shows_at_once(client, training):
    get(client, training.url)
    provider = training.provider
    provider.name = "Organisme renommé"
    provider.save()
    assert "Organisme renommé" in get(client, training.url).content.decode()


def test_a_new_view_restriction_hides_the_cached_page(client, training):
    get(client, training.url)
    restriction = PageViewRestriction.objects.create(page=training, restriction_type="login")
    assert client.get(training.url).status_code == 302  # to the sign-in page
    restriction.delete()
    assert get(client, training.url)["X-Cache"] == "miss"


def test_moving_a_page_drops_the_listing_that_showed_it(client, frozen_now):
    catalogue = f.catalogue()
    other = f.catalogue("autre-catalogue")
    training = f.training(parent=other, title="Formation déplacée", sessions=[f.session(8)])
    assert "Formation déplacée" not in get(client, catalogue.url).content.decode()
    training.move(catalogue, pos="last-child")
    assert "Formation déplacée" in get(client, catalogue.url).content.decode()


def test_every_snippet_and_setting_is_known_as_shown_or_private():
    from wagtail.contrib.settings.registry import registry
    from wagtail.snippets.models import get_snippet_models

    from home.signals import shown_models

    known = set(SHOWN_SNIPPETS) | set(PRIVATE_SNIPPETS)
    assert {m._meta.label for m in get_snippet_models()} <= known
    assert set(registry) <= shown_models()


# -- Several processes: the cache they share is Redis ------------------------------------------


@pytest.fixture
def redis_cache(settings):
    """The default cache in Redis (database 1) under a prefix of this test's own, removed after.
    Skipped when no Redis answers."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"cqctp-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield settings.CACHES
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


OTHER_PROCESS = """
import json, sys
import django
django.setup()
from django.test import Client, override_settings
with override_settings(CACHES=json.loads(sys.argv[1])):
    from home import signals
    response = Client().get(sys.argv[2])
    print(json.dumps({"cache": response.get("X-Cache"), "length": len(response.content)}))
    signals.seats_changed(sys.argv[3])  # what a seat change there does after its commit
"""


def test_an_invalidation_in_another_process_reaches_this_one_through_redis(
    client, training, redis_cache
):
    stored = get(client, training.url)
    assert stored["X-Cache"] == "miss"
    # The seat is taken without a word to this process's cache (as on another server).
    Enrolment.objects.bulk_create(
        [Enrolment(session=session_of(training), user=f.user(), status="confirmed")]
    )
    assert not full(get(client, training.url).content.decode())  # still the stored page
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            OTHER_PROCESS,
            json.dumps(redis_cache),
            training.url,
            str(training.translation_key),
        ],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "cqctp.settings.test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 0, other.stderr
    seen = json.loads(other.stdout.strip().splitlines()[-1])
    # The other process served this process's page from Redis, then announced the change.
    assert seen == {"cache": "hit", "length": len(stored.content)}
    response = get(client, training.url)
    assert response["X-Cache"] == "miss"
    assert full(response.content.decode())


# -- A CDN in front: Wagtail's frontend cache sends PURGE requests ------------------------------


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """A caching proxy's purge endpoint: records what it is asked to forget."""

    received = None

    def do_PURGE(self):  # noqa: N802  (the HTTP method's name)
        self.received.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server(settings):
    received = []
    handler = type("Recorder", (PurgeRecorder,), {"received": received})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield received
    server.shutdown()
    server.server_close()


def test_publishing_purges_the_page_and_its_indexes_from_the_cdn(
    training, purge_server, django_capture_on_commit_callbacks
):
    catalogue, home = f.catalogue(), f.home_page()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        training.title = "Nouveau titre"
        training.save_revision().publish()
    assert purge_server == []  # nothing before the commit
    for callback in callbacks:
        callback()
    paths = {path for _, path in purge_server}
    assert {training.url, catalogue.url, home.url} <= paths
    assert {host for host, _ in purge_server} == {"localhost"}  # the Site's host name


def test_a_seat_change_purges_the_training_and_the_listings_from_the_cdn(
    training, purge_server, django_capture_on_commit_callbacks
):
    catalogue, home = f.catalogue(), f.home_page()
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(f.member(), session_of(training), consent=True)
    paths = {path for _, path in purge_server}
    assert {training.url, catalogue.url, home.url} <= paths


def test_a_snippet_change_purges_the_home_and_menu_pages_from_the_cdn(
    training, purge_server, django_capture_on_commit_callbacks
):
    catalogue, home = f.catalogue(), f.home_page()
    with django_capture_on_commit_callbacks(execute=True):
        training.provider.name = "Nouveau nom"
        training.provider.save()
    assert {catalogue.url, home.url} <= {path for _, path in purge_server}


def calendar_paths(page):
    from django.utils import translation

    paths = set()
    for language in ("fr-ca", "en"):
        with translation.override(language):
            paths |= {reverse("catalogue_calendar"), reverse("training_calendar", args=[page.pk])}
    return paths


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # commits, as requests do
def test_making_a_training_private_purges_it_in_every_language_and_where_it_is_listed(
    training, purge_server
):
    """The English version follows the French page's privacy: a CDN must forget both, and the
    catalogues and home pages that showed its title, and the feeds."""
    catalogue, home = f.catalogue(), f.home_page()
    english = f.translation(training, "Spotting exploitation", "spotting-exploitation")
    purge_server.clear()
    PageViewRestriction.objects.create(page=training, restriction_type=PageViewRestriction.LOGIN)
    paths = {path for _, path in purge_server}
    assert {training.url, english.url, catalogue.url, home.url} <= paths
    assert calendar_paths(training) <= paths


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # commits, as requests do
def test_publishing_a_training_members_only_purges_its_english_version_too(
    frozen_now, purge_server
):
    """Without sessions (no seat purge to cover it by chance): the publish itself must."""
    training = f.training(title="Sur demande")
    english = f.translation(training, "On request", "on-request")
    purge_server.clear()
    training.visibility = "members"
    training.save_revision().publish()
    assert {training.url, english.url} <= {path for _, path in purge_server}


def test_a_seat_change_purges_the_calendar_feeds_from_the_cdn(
    training, purge_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(f.member(), session_of(training), consent=True)
    assert calendar_paths(training) <= {path for _, path in purge_server}


# -- Settings from the environment -------------------------------------------------------------


def test_cache_settings_follow_the_environment(tmp_path):
    from cqctp.settings.caches import DEFAULT_CACHE_DIR, caches_from_environment

    def backend(environ, production=False):
        return caches_from_environment(environ, production)["default"]

    redis = backend({"REDIS_URL": "redis://cache:6379/0", "CACHE_DIR": str(tmp_path)})
    assert redis["BACKEND"].endswith("RedisCache") and redis["LOCATION"] == "redis://cache:6379/0"
    files = backend({"CACHE_DIR": str(tmp_path)})
    assert files["BACKEND"].endswith("SharedFileCache") and files["LOCATION"] == str(tmp_path)
    # Production without Redis: a file cache its workers share, never one memory per worker.
    production = backend({}, production=True)
    assert production["BACKEND"].endswith("SharedFileCache")
    assert production["LOCATION"] == str(DEFAULT_CACHE_DIR)
    assert backend({})["BACKEND"].endswith("LocMemCache")
    assert backend({"CACHE_KEY_PREFIX": "site2"})["KEY_PREFIX"] == "site2"
    for wrong in ({"REDIS_URL": "cache:6379"}, {"CACHE_DIR": "relative/folder"}):
        with pytest.raises(Exception, match="Cache:"):
            backend(wrong)


def test_frontend_cache_settings_follow_the_environment():
    from cqctp.settings.caches import frontend_cache_from_environment as frontend

    assert frontend({}) == {}
    http_cdn = frontend(
        {
            "FRONTEND_CACHE_BACKEND": "http",
            "FRONTEND_CACHE_LOCATION": "http://127.0.0.1:6081",
            "FRONTEND_CACHE_HOSTNAMES": "formations.cqctp.org, www.cqctp.org",
        }
    )["default"]
    assert http_cdn == {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://127.0.0.1:6081",
        "HOSTNAMES": ["formations.cqctp.org", "www.cqctp.org"],
    }
    cloudflare = frontend(
        {
            "FRONTEND_CACHE_BACKEND": "cloudflare",
            "CLOUDFLARE_ZONE_ID": "zone",
            "CLOUDFLARE_API_TOKEN": "token",
        }
    )["default"]
    assert cloudflare["BEARER_TOKEN"] == "token" and cloudflare["ZONEID"] == "zone"
    cloudfront = frontend(
        {"FRONTEND_CACHE_BACKEND": "CloudFront", "CLOUDFRONT_DISTRIBUTION_ID": "E123"}
    )["default"]
    assert cloudfront["DISTRIBUTION_ID"] == "E123"
    for wrong in (
        {"FRONTEND_CACHE_BACKEND": "varnish"},
        {"FRONTEND_CACHE_BACKEND": "http"},
        {"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_ZONE_ID": "zone"},
        {"FRONTEND_CACHE_BACKEND": "cloudfront"},
    ):
        with pytest.raises(Exception, match="Cache:"):
            frontend(wrong)


def test_the_file_cache_lists_its_folder_once_a_minute_not_at_every_write(tmp_path):
    from cqctp.settings.caches import CULL_INTERVAL_SECONDS, SharedFileCache

    files = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 6}})
    for number in range(20):
        files.set(f"page-{number}", b"x")
    assert len(list(tmp_path.glob("*.djcache"))) == 20  # no listing between writes
    files._last_cull -= CULL_INTERVAL_SECONDS  # a minute later
    files.set("one-more", b"x")
    assert len(list(tmp_path.glob("*.djcache"))) < 20  # culled as Django's file cache does
    assert files.get("one-more") == b"x"
