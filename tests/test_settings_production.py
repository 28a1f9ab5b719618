"""Production settings come from the environment, pass check --deploy, and refuse to guess: each
variable is parsed, and a bad value stops the start with a message naming it. The gunicorn
config file reads its own variables the same way and logs no personal data; whitenoise serves
the collected static files, compressed and with hashed names."""

import gzip
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cqctp.settings.production",
    "SECRET_KEY": "x" * 20 + "a-long-and-random-production-secret-key-for-the-test",
    "ALLOWED_HOSTS": "formations.cqctp.org",
    "PUBLIC_BASE_URL": "https://formations.cqctp.org",
}
GUNICORN_CONFIG = Path(settings.BASE_DIR) / "site" / "gunicorn.conf.py"
# Variables of the test process's own environment that must not reach the settings under test.
NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "CACHE_DIR", "STATIC_ROOT", "MEDIA_ROOT")


def manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set for production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set for production" in result.stderr


def test_a_bad_value_base_py_reads_is_named_before_base_py_reads_it():
    """base.py reads some variables with int(): production.py checks them first, so the start
    stops on a sentence naming the variable, not on a bare ValueError."""
    result = manage("check", env={**PRODUCTION_ENV, "PERSONAL_DATA_RETENTION_YEARS": "trois"})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: The environment variable "
        "PERSONAL_DATA_RETENTION_YEARS must be a whole number, at least 1 (got 'trois'); "
        "see docs/deploy.md."
    )


def test_database_url_selects_postgresql():
    code = (
        "import django, os; from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cqctp_example"}
    base = {k: v for k, v in os.environ.items() if k not in env}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "cqctp_example"]


# -- Each variable, parsed (the settings module run in this process) --------------------------


def production_settings(monkeypatch, **env):
    """The names production.py defines when run with PRODUCTION_ENV and `env` (None: unset)."""
    for name in NOT_INHERITED:
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION_ENV, **env}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    # Run afresh, as another test may have imported it (put back after the test).
    monkeypatch.delitem(sys.modules, "cqctp.settings.production", raising=False)
    return runpy.run_module("cqctp.settings.production", run_name="production_under_test")


def test_defaults(monkeypatch):
    production = production_settings(monkeypatch)
    database = production["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"].get("CONN_HEALTH_CHECKS") is not True  # not shared
    (cache,) = production["CACHES"].values()
    assert cache["BACKEND"] == "cqctp.settings.caches.SharedFileCache"
    assert production["PROXY_COUNT"] == 1 and production["AXES_IPWARE_PROXY_COUNT"] == 0
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert production["EMAIL_PORT"] == 25 and production["EMAIL_TIMEOUT"] == 10
    assert (production["EMAIL_USE_TLS"], production["EMAIL_USE_SSL"]) == (False, False)
    assert production["OUTBOX_DELIVERY_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert production["WAGTAILADMIN_BASE_URL"] == "https://formations.cqctp.org"
    assert production["LOGGING"]["root"]["level"] == "INFO"
    assert production["CSRF_TRUSTED_ORIGINS"] == []


def test_each_variable_is_read(monkeypatch):
    production = production_settings(
        monkeypatch,
        ALLOWED_HOSTS=" formations.cqctp.org, www.cqctp.org ,",
        CSRF_TRUSTED_ORIGINS="https://cqctp.org,https://www.cqctp.org",
        DB_CONN_MAX_AGE="0",
        DATABASE_URL="postgres://site:mot-de-passe@db.internal:6432/cqctp?sslmode=require",
        PROXY_COUNT="2",
        SECURE_SSL_REDIRECT="False",
        SECURE_HSTS_SECONDS="0",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="site",
        EMAIL_HOST_PASSWORD=" with spaces ",
        EMAIL_USE_TLS="yes",
        EMAIL_TIMEOUT="30",
        OUTBOX_DELIVERY_BACKEND="django.core.mail.backends.console.EmailBackend",
        WAGTAILADMIN_BASE_URL="https://admin.cqctp.org/",
        LOG_LEVEL="warning",
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert production["ALLOWED_HOSTS"] == ["formations.cqctp.org", "www.cqctp.org"]
    assert production["CSRF_TRUSTED_ORIGINS"] == ["https://cqctp.org", "https://www.cqctp.org"]
    assert production["DATABASES"]["default"]["CONN_MAX_AGE"] == 0
    assert production["PROXY_COUNT"] == 2 and production["AXES_IPWARE_PROXY_COUNT"] == 1
    assert production["SECURE_SSL_REDIRECT"] is False and production["SECURE_HSTS_SECONDS"] == 0
    assert (production["EMAIL_HOST"], production["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert production["EMAIL_HOST_USER"] == "site"
    assert production["EMAIL_HOST_PASSWORD"] == " with spaces "  # a password is taken as is
    assert production["EMAIL_USE_TLS"] is True and production["EMAIL_TIMEOUT"] == 30
    assert production["OUTBOX_DELIVERY_BACKEND"].endswith("console.EmailBackend")
    assert production["WAGTAILADMIN_BASE_URL"] == "https://admin.cqctp.org"
    assert production["LOGGING"]["root"]["level"] == "WARNING"
    (cache,) = production["CACHES"].values()
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/5"


@pytest.mark.parametrize(
    "word, meaning", [("TRUE", True), ("1", True), ("on", True), ("no", False)]
)
def test_yes_and_no_in_the_usual_words(monkeypatch, word, meaning):
    assert production_settings(monkeypatch, EMAIL_USE_SSL=word)["EMAIL_USE_SSL"] is meaning


BAD_VALUES = [
    ({"DB_CONN_MAX_AGE": "soixante"}, "DB_CONN_MAX_AGE must be a whole number"),
    ({"DB_CONN_MAX_AGE": "-1"}, "DB_CONN_MAX_AGE must be a whole number, at least 0"),
    ({"PROXY_COUNT": "un"}, "PROXY_COUNT must be a whole number"),
    ({"PAGE_CACHE_SECONDS": "5m"}, "PAGE_CACHE_SECONDS must be a whole number"),
    ({"PERSONAL_DATA_RETENTION_YEARS": "0"}, "PERSONAL_DATA_RETENTION_YEARS must be a whole"),
    ({"REMINDER_DAYS_BEFORE": "trois"}, "REMINDER_DAYS_BEFORE must be a whole number"),
    ({"SECURE_SSL_REDIRECT": "peut-être"}, "SECURE_SSL_REDIRECT must be true or false"),
    ({"SECURE_HSTS_SECONDS": "1y"}, "SECURE_HSTS_SECONDS must be a whole number"),
    ({"EMAIL_PORT": "70000"}, "EMAIL_PORT must be a whole number, at least 1 and at most 65535"),
    ({"EMAIL_USE_TLS": "oui"}, "EMAIL_USE_TLS must be true or false"),
    ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_USE_TLS must be false when"),
    ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT must be a whole number, at least 1"),
    ({"CSRF_TRUSTED_ORIGINS": "cqctp.org"}, "CSRF_TRUSTED_ORIGINS must be origins with their"),
    ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must be host names separated by commas"),
    ({"DATABASE_URL": "mysql://u@h/cqctp"}, "DATABASE_URL must be postgres://"),
    ({"DATABASE_URL": "postgres://h:5432/"}, "DATABASE_URL must be postgres://"),
    ({"STATIC_ROOT": "staticfiles"}, "STATIC_ROOT must be an absolute path"),
    ({"MEDIA_ROOT": "media"}, "MEDIA_ROOT must be an absolute path"),
    ({"DEFAULT_FROM_EMAIL": "Formations CQCTP"}, "DEFAULT_FROM_EMAIL must be an e-mail address"),
    ({"SERVER_EMAIL": "root@"}, "SERVER_EMAIL must be an e-mail address"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be DEBUG or INFO"),
    ({"PUBLIC_BASE_URL": "http://formations.cqctp.org"}, "PUBLIC_BASE_URL must be an https"),
    ({"WAGTAILADMIN_BASE_URL": "https://cqctp.org/admin"}, "WAGTAILADMIN_BASE_URL must be an"),
    (
        {"OUTBOX_DELIVERY_BACKEND": "trainings.outbox_backend.OutboxBackend"},
        "OUTBOX_DELIVERY_BACKEND must be a real mail backend",
    ),
    ({"SECRET_KEY": "  "}, "SECRET_KEY must be set for production"),
    # Read by settings/caches.py (helper A) and settings/storage.py (helper F): same rule.
    ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL must start with redis://"),
    ({"CACHE_DIR": "cache"}, "CACHE_DIR must be an absolute path"),
    ({"AWS_S3_ENDPOINT_URL": "https://s3.example.org"}, "AWS_STORAGE_BUCKET_NAME is not"),
]


@pytest.mark.parametrize("env, message", BAD_VALUES, ids=[next(iter(env)) for env, _ in BAD_VALUES])
def test_a_bad_value_stops_the_start_naming_the_variable(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(".", r"\.")):
        production_settings(monkeypatch, **env)


def test_a_database_password_is_never_repeated_in_the_message(monkeypatch):
    for url in ("postgres://site:Tr3s-secret@db:notaport/cqctp", "mongodb://site:Tr3s-secret@db/x"):
        with pytest.raises(ImproperlyConfigured) as refused:
            production_settings(monkeypatch, DATABASE_URL=url)
        assert "DATABASE_URL" in str(refused.value)
        assert "Tr3s-secret" not in str(refused.value)


def test_compression_is_left_to_the_proxy(monkeypatch):
    """docs/deploy.md, "Compression": no GZipMiddleware (the proxy compresses, and leaves the
    signed-in areas alone); static files are compressed once, by collectstatic."""
    production = production_settings(monkeypatch)
    middleware = production["MIDDLEWARE"]
    assert "django.middleware.gzip.GZipMiddleware" not in middleware
    headers = middleware.index("cqctp.middleware.SecurityHeadersMiddleware")
    assert middleware[headers + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert production["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


# -- gunicorn.conf.py -------------------------------------------------------------------------


def gunicorn_config(monkeypatch, **env):
    for name in ("BIND", "PORT", "WEB_CONCURRENCY", "ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONFIG))


def test_gunicorn_listens_on_this_machine_only_unless_told(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert config["bind"] == ["127.0.0.1:8000"]
    assert 1 <= config["workers"] <= 8
    assert config["preload_app"] is False and config["worker_class"] == "sync"
    assert config["timeout"] == 30 and config["graceful_timeout"] == 30
    assert config["accesslog"] == "-" and config["control_socket_disable"] is True
    assert gunicorn_config(monkeypatch, PORT="8015")["bind"] == ["127.0.0.1:8015"]
    both = gunicorn_config(monkeypatch, BIND="0.0.0.0:9000, unix:/run/cqctp/web.sock", PORT="1")
    assert both["bind"] == ["0.0.0.0:9000", "unix:/run/cqctp/web.sock"]
    assert gunicorn_config(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3
    assert gunicorn_config(monkeypatch, ACCESS_LOG="off")["accesslog"] is None


@pytest.mark.parametrize(
    "env", [{"WEB_CONCURRENCY": "0"}, {"WEB_CONCURRENCY": "deux"}, {"PORT": "80000"}]
)
def test_gunicorn_refuses_a_bad_value_naming_it(monkeypatch, env):
    (name,) = env
    with pytest.raises(ValueError, match=f"^{name} must be a whole number"):
        gunicorn_config(monkeypatch, **env)


# Routes whose address holds a secret or a person's file name, masked in the access log.
MASKED_ROUTES = {
    "members:password_reset_confirm": ("MTIz", "cb1d2x-4f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c"),
    "members:accept_invitation": ("Zr9Xw2ZrQ4-invitation-token_0123456789abcdef",),
    "enrolments:private_calendar": ("Kx8Yq1-calendar-token_0123456789abcdefghij",),
    "certificates:verify_code": ("CQCTP-7H3K-9QZ2",),
    "wagtaildocs_serve": (12, "cv-marie-tremblay.pdf"),
    "wagtailadmin_password_reset_confirm": ("MTIz", "cb1d2x-4f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c"),
    "newsletter:confirm": ("Qm3-newsletter-token_0123456789abcdefghijklmn",),
    "newsletter:unsubscribe": ("Pz7-newsletter-token_0123456789abcdefghijklmn",),
}


def route_names(patterns, namespace="", prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern.url_patterns, inner, route)
        else:
            yield route, f"{namespace}{pattern.name}"


def takes_free_text(route):
    route = route.replace("<id:", "").replace("<int:", "").replace(r"(\d+)", "")
    return bool(route.count("<") + route.count("(.*)") + route.count("(?P<"))


def test_every_route_with_a_secret_in_its_address_is_masked():
    """A new route taking a token (not a number) must be added to the log's masks. The admin's
    routes take names, not secrets, except the editors' password reset, which opens an account."""
    free_text = {
        name
        for route, name in route_names(get_resolver().url_patterns)
        if takes_free_text(route)
        and name != "wagtail_serve"  # page slugs
        and (
            not route.startswith(("admin/", "api/v2/", "_util/"))
            or "password_reset_confirm" in name
        )
    }
    assert free_text == set(MASKED_ROUTES)


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_access_log_masks_the_secrets_in_paths(monkeypatch, language):
    masked_path = gunicorn_config(monkeypatch)["masked_path"]
    with translation.override(language):
        for name, args in MASKED_ROUTES.items():
            path = reverse(name, args=args)
            masked = masked_path(path)
            for secret in args:
                if not isinstance(secret, int):
                    assert str(secret) not in masked, (path, masked)
            assert masked.count("*") >= 1
        public = [
            "/",
            "/catalogue/formations/premiers-soins-2026/",
            reverse("members:password_reset_done"),
            reverse("members:password_reset_complete"),
            reverse("enrolments:renew_calendar"),
            reverse("certificates:download", args=[12]),
            reverse("certificates:verify"),
            reverse("catalogue_calendar"),
            reverse("enrolments:cancel", args=[34]),
        ]
        for path in public:
            assert masked_path(path) == path


# -- collectstatic, whitenoise and gunicorn, as production runs them -------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """`manage.py collectstatic` with the production settings into a folder of the test's."""
    folder = tmp_path_factory.mktemp("static")
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(folder), "CACHE_DIR": str(folder.parent / "c")}
    result = manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def test_collectstatic_writes_hashed_names_and_compressed_copies(collected):
    manifest = collected / "staticfiles.json"
    assert manifest.exists()
    css = sorted((collected / "css").glob("site.*.css"))
    assert css, "no hashed copy of css/site.css"
    assert (collected / "css" / f"{css[0].name}.gz").exists()
    assert gzip.decompress((collected / "css" / f"{css[0].name}.gz").read_bytes()) == (
        css[0].read_bytes()
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(port, path, headers):
    """(status, headers, body) of one GET; a redirect is returned, not followed."""
    opener = urllib.request.build_opener(NoRedirect)
    address = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with opener.open(address, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


def test_the_documented_gunicorn_command_serves_the_site(collected, tmp_path):
    """`gunicorn -c site/gunicorn.conf.py cqctp.wsgi`, production settings: the redirect to
    https, a static file from whitenoise (gzip, cached a year), an access log without the
    visitor's address, the query string or the token in the path."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in (*NOT_INHERITED, *PRODUCTION_ENV)}
    env.update(
        PRODUCTION_ENV,
        STATIC_ROOT=str(collected),
        CACHE_DIR=str(tmp_path / "cache"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",  # these answers need none
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    log = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log, "w") as output:
        server = subprocess.Popen(
            [str(gunicorn), "-c", str(GUNICORN_CONFIG), "cqctp.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while "Booting worker" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        host = {"Host": "formations.cqctp.org"}
        for _ in range(100):  # the worker imports the site before it answers
            try:
                status, headers, _ = request(
                    port, "/espace-membres/invitation/Zr9Xw2ZrQ4secret/?courriel=ana", host
                )
                break
            except OSError:
                time.sleep(0.2)
        assert status == 301
        assert headers["Location"].startswith("https://formations.cqctp.org/espace-membres/")

        css = sorted((collected / "css").glob("site.*.css"))[0].name
        status, headers, body = request(
            port,
            f"/static/css/{css}",
            {**host, "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
        )
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        assert gzip.decompress(body) == (collected / "css" / css).read_bytes()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    text = log.read_text()
    assert server.returncode == 0, text
    assert '"GET /espace-membres/invitation/*/" 301' in text
    assert f'"GET /static/css/{css}" 200' in text
    for private in ("Zr9Xw2ZrQ4secret", "courriel=ana", "127.0.0.1 -", "Python-urllib"):
        assert private not in text.replace(f"127.0.0.1:{port}", "")


# -- docs/deploy.md lists every variable the settings read ------------------------------------

RECORD_READS = r"""
import json, os, runpy, sys
import csp.constants, dj_database_url, django.core.validators, email.utils  # imported unrecorded
from gunicorn import glogging

read = set()


class Recording(dict):
    def get(self, key, default=None):
        read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        read.add(key)
        return super().__contains__(key)


base_env = dict(os.environ)
for extra in json.loads(sys.argv[1]):
    os.environ = Recording({**base_env, **extra})
    for name in ("cqctp.settings.base", "cqctp.settings.production"):
        runpy.run_module(name, run_name="recorded")
    runpy.run_path("site/gunicorn.conf.py")
print(json.dumps(sorted(read)))
"""

# Each way the settings can go: the variables some read only in that case.
CONFIGURATIONS = [
    {},
    {"FRONTEND_CACHE_BACKEND": "http", "FRONTEND_CACHE_LOCATION": "http://127.0.0.1:6081"},
    {
        "FRONTEND_CACHE_BACKEND": "cloudflare",
        "CLOUDFLARE_ZONE_ID": "z",
        "CLOUDFLARE_API_TOKEN": "t",
    },
    {
        "FRONTEND_CACHE_BACKEND": "cloudflare",
        "CLOUDFLARE_ZONE_ID": "z",
        "CLOUDFLARE_EMAIL": "a@example.org",
        "CLOUDFLARE_API_KEY": "k",
    },
    {"FRONTEND_CACHE_BACKEND": "cloudfront", "CLOUDFRONT_DISTRIBUTION_ID": "d"},
    {
        "AWS_STORAGE_BUCKET_NAME": "cqctp-media",
        "AWS_S3_REGION_NAME": "ca-central-1",
        "AWS_S3_CUSTOM_DOMAIN": "media.formations.cqctp.org",
    },
    {"OUTBOX_DELIVERY_BACKEND": ""},
]


def documented_variables():
    guide = (Path(settings.BASE_DIR) / "docs" / "deploy.md").read_text()
    table = guide[guide.index("## Environment variables") :]
    names = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(part.strip(" `") for part in first_cell.split(","))
    return names


def test_the_deployment_guide_lists_every_variable_the_settings_read():
    import json

    env = {k: v for k, v in os.environ.items() if k not in (*NOT_INHERITED, *PRODUCTION_ENV)}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            "ignore::RuntimeWarning",
            "-c",
            RECORD_READS,
            json.dumps(CONFIGURATIONS),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    read = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "AWS_S3_ADDRESSING_STYLE" in read and "CLOUDFRONT_DISTRIBUTION_ID" in read  # reached
    assert read - documented_variables() == set()
