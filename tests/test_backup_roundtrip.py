"""Backups: deploy/backup.sh then deploy/restore.sh into a fresh database and media folder, and
a server on the copies serves the same pages, the same enrolments, the same signed-in member,
and the same media files, byte for byte.

The source is a copy (pg_dump | pg_restore) of this run's test database once the content
is written; both databases are created and dropped here (cqctp_f_src, cqctp_f_restored)."""

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection, connections
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from home.models import StandardPage
from tests import app_servers
from tests import factories as f
from trainings import services

SOURCE_DB = "cqctp_f_src"
RESTORED_DB = "cqctp_f_restored"
SOURCE_PORT, RESTORED_PORT = 8017, 8018
DEPLOY = app_servers.REPOSITORY / "deploy"
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


@pytest.fixture
def postgresql_tools():
    app_servers.needs_postgresql()
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump and pg_restore are not installed (postgresql-client)")


@pytest.fixture
def scratch_databases(postgresql_tools):
    """cqctp_f_src and cqctp_f_restored do not exist before the test, and not after it."""

    def drop_both():
        with admin_connection() as admin:
            for name in (SOURCE_DB, RESTORED_DB):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop_both()
    yield
    drop_both()


def admin_connection():
    return psycopg.connect(app_servers.database_url("postgres"), autocommit=True)


def copy_database(admin, source, target):
    """A copy through pg_dump | pg_restore, not CREATE DATABASE … TEMPLATE: a template must have
    no other connection, and closing the ones this run holds (the live server's thread, say)
    would break the tests that come after."""
    admin.execute(f'CREATE DATABASE "{target}"')
    dump = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", app_servers.database_url(source)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", app_servers.database_url(target)],
        input=dump.stdout,
        capture_output=True,
        timeout=180,
        check=True,
    )


def rows(name, query):
    with psycopg.connect(app_servers.database_url(name)) as db:
        return db.execute(query).fetchall()


def build_site():
    """Pages with an image and a document, a training whose session has confirmed and waiting
    people, and a member signed in (a session row)."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", (640, 400), (30, 90, 160)).save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="Affiche", file=ImageFile(buffer, name="affiche.png")
    )
    guide = get_document_model().objects.create(
        title="Guide", file=ContentFile(b"%PDF-1.4\n" + bytes(range(256)) * 40, name="guide.pdf")
    )
    about = StandardPage(
        title="Ressources",
        slug="ressources",
        introduction="Des outils pour agir.",
        body=[
            ("image", {"image": image, "alt_text": "Une affiche", "caption": "L'affiche"}),
            ("call_to_action", {"title": "Guide", "link_label": "Lire", "link_document": guide}),
        ],
    )
    f.home_page().add_child(instance=about)
    about.save_revision().publish()
    training = f.training(title="Reconnaître la traite", sessions=[f.session(12, capacity=2)])
    session = training.sessions.get()
    people = [f.member() for _ in range(4)]
    for person in people:
        services.enrol(person, session, consent=True)
    return {"pages": [f.home_page(), f.catalogue(), training, about], "member": people[0]}


def fetch(server, pages, member_cookie):
    """What the server answers: each page's HTML (CSRF tokens set aside), the member's own
    page, and the document streamed through the site."""
    answers = {}
    for page in pages:
        response = requests.get(server.url + page.url, timeout=30, allow_redirects=False)
        assert response.status_code == 200, (page.url, response.status_code)
        answers[page.url] = CSRF.sub(r"\1…\2", response.text)
    mine = requests.get(
        server.url + "/espace-membres/",
        cookies={"sessionid": member_cookie},
        timeout=30,
        allow_redirects=False,
    )
    assert mine.status_code == 200 and "Reconnaître la traite" in mine.text
    answers["mine"] = CSRF.sub(r"\1…\2", mine.text)
    document = get_document_model().objects.get()
    answers["document"] = requests.get(server.url + document.url, timeout=30).content
    return answers


def file_digests(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def run(script, *args, env):
    return subprocess.run(
        [str(DEPLOY / script), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.postgres
@pytest.mark.servers
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_serves_the_same_site(scratch_databases, client, settings, tmp_path):
    site = build_site()
    client.force_login(site["member"])
    member_cookie = client.cookies["sessionid"].value
    source_media = Path(settings.MEDIA_ROOT)
    restored_media = tmp_path / "media-restored"
    # One machine's cache folder, as production's default: the restore must empty it.
    cache = tmp_path / "cache"

    # The source database: this test database as it is now, under its own name.
    test_database = connection.settings_dict["NAME"]
    connections.close_all()
    with admin_connection() as admin:
        copy_database(admin, test_database, SOURCE_DB)

    source_env = app_servers.environment(
        DATABASE_URL=app_servers.database_url(SOURCE_DB), MEDIA_ROOT=source_media, CACHE_DIR=cache
    )
    source = app_servers.AppServer(SOURCE_PORT, source_env, tmp_path, workers=1).start()
    try:
        source.wait_until_ready()
        before = fetch(source, site["pages"], member_cookie)  # renditions made and stored
    finally:
        source.stop()
    assert "/media/images/" in before[site["pages"][-1].url]  # the page shows a rendition
    assert list(cache.glob("*.djcache")), "the anonymous pages were not cached"

    made = run("backup.sh", tmp_path / "backups", env=source_env)
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in backup.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "manifest.txt",
        "media.tar.gz",
    ]
    assert not list(backup.parent.glob("*.partial"))
    assert oct(backup.joinpath("database.dump").stat().st_mode & 0o777) == "0o600"

    # A damaged copy is refused before anything is touched.
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    with open(damaged / "media.tar.gz", "r+b") as archive:
        archive.seek(100)
        archive.write(b"\x00\x01\x02")
    restored_env = app_servers.environment(
        DATABASE_URL=app_servers.database_url(RESTORED_DB),
        MEDIA_ROOT=restored_media,
        CACHE_DIR=cache,
    )
    refused = run("restore.sh", damaged, env=restored_env)
    assert refused.returncode != 0 and "SHA256SUMS" in refused.stderr

    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{RESTORED_DB}"')
    restored = run("restore.sh", backup, env=restored_env)
    assert restored.returncode == 0, restored.stderr
    assert not list(cache.glob("*.djcache")), "pages cached before the restore are still there"

    # The same rows where it matters: enrolments (status and order), sessions, documents.
    for query in (
        "SELECT id, session_id, user_id, status, created FROM trainings_enrolment ORDER BY id",
        "SELECT session_key, session_data, expire_date FROM django_session ORDER BY 1",
        "SELECT id, path, title, live, latest_revision_id FROM wagtailcore_page ORDER BY id",
        "SELECT id, file FROM wagtailimages_rendition ORDER BY id",
    ):
        assert rows(RESTORED_DB, query) == rows(SOURCE_DB, query), query
    statuses = [r[0] for r in rows(RESTORED_DB, "SELECT status FROM trainings_enrolment")]
    assert sorted(statuses) == ["confirmed", "confirmed", "waiting", "waiting"]

    # The media, byte for byte (originals, renditions, the document).
    assert file_digests(restored_media) == file_digests(source_media)
    assert any(name.startswith("images/") for name in file_digests(restored_media))

    # A server on the copies serves the same pages, and the member is still signed in.
    server = app_servers.AppServer(RESTORED_PORT, restored_env, tmp_path, workers=1).start()
    try:
        server.wait_until_ready()
        after = fetch(server, site["pages"], member_cookie)
    finally:
        server.stop()
    assert after.keys() == before.keys()
    for address in before:
        assert after[address] == before[address], address

    # A restore never writes over a database that has tables.
    again = run("restore.sh", backup, env={**restored_env, "MEDIA_ROOT": tmp_path / "other"})
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.postgres
@pytest.mark.django_db
def test_with_media_in_a_bucket_the_backup_is_the_database_and_a_note(postgresql_tools, tmp_path):
    env = app_servers.environment(
        DATABASE_URL=app_servers.database_url(),
        AWS_STORAGE_BUCKET_NAME="cqctp-media",
        AWS_S3_REGION_NAME="ca-central-1",
    )
    made = run("backup.sh", tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert not (backup / "media.tar.gz").exists()
    note = (backup / "media.txt").read_text()
    assert "s3://cqctp-media" in note and "docs/backups.md" in note
    manifest = (backup / "manifest.txt").read_text()
    assert "in the bucket cqctp-media" in manifest


def test_backup_refuses_what_it_cannot_back_up(tmp_path):
    env = app_servers.environment(DATABASE_URL="sqlite:///db.sqlite3", MEDIA_ROOT=tmp_path)
    refused = run("backup.sh", tmp_path, env=env)
    assert refused.returncode != 0 and "PostgreSQL" in refused.stderr
    env["DATABASE_URL"] = "postgres://127.0.0.1:5432/unreached"  # refused before connecting
    env["MEDIA_ROOT"] = str(tmp_path / "missing")
    refused = run("backup.sh", tmp_path, env=env)
    assert refused.returncode != 0 and "is not a folder" in refused.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written
