"""Media on S3-compatible storage, against a real local S3 server (moto's server mode, over
HTTP): images are shown through signed addresses, documents only through the site's privacy
check, and nothing in the bucket is readable by an anonymous visitor.

No storage is mocked: django-storages talks to the server as it would to AWS or MinIO."""

import io
import re
import subprocess
import sys
import uuid
from html import unescape
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from cqctp.settings.storage import (
    media_origins,
    s3_options_from_environment,
    storages_from_environment,
)
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from PIL import Image as PillowImage
from storages.backends.s3 import S3Storage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from home.models import StandardPage
from tests import factories as f

S3_PORT = 8016
ENDPOINT = f"http://127.0.0.1:{S3_PORT}"
KEYS = {"AWS_ACCESS_KEY_ID": "cqctp-test", "AWS_SECRET_ACCESS_KEY": "cqctp-test-secret"}


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=S3_PORT, verbose=False)
    server.start()
    yield ENDPOINT
    server.stop()


@pytest.fixture
def bucket_environment(s3_server, settings):
    """A fresh private bucket, and the site's media in it, configured as production reads the
    environment (settings/storage.py)."""
    environ = {
        "AWS_STORAGE_BUCKET_NAME": f"cqctp-media-{uuid.uuid4().hex[:12]}",
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": "us-east-1",
        **KEYS,
    }
    s3_client(environ).create_bucket(Bucket=environ["AWS_STORAGE_BUCKET_NAME"])
    settings.STORAGES = storages_from_environment(environ, settings.STORAGES)
    assert isinstance(storages["default"], S3Storage)
    return environ


def s3_client(environ):
    return boto3.client(
        "s3",
        endpoint_url=environ["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id=environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=environ["AWS_SECRET_ACCESS_KEY"],
    )


def png_bytes(size=(320, 200)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (200, 40, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def upload_image():
    return get_image_model().objects.create(
        title="Affiche", file=ImageFile(io.BytesIO(png_bytes()), name="affiche.png")
    )


def upload_document(name, content, collection=None):
    fields = {"collection": collection} if collection else {}
    return get_document_model().objects.create(
        title=name, file=ContentFile(content, name=name), **fields
    )


def members_only_collection():
    members = Collection.get_first_root_node().add_child(name="Membres")
    CollectionViewRestriction.objects.create(collection=members, restriction_type="login")
    return members


def page_showing(image, document):
    page = StandardPage(
        title="Ressources",
        slug="ressources",
        body=[
            ("image", {"image": image, "alt_text": "Une affiche", "caption": ""}),
            (
                "call_to_action",
                {"title": "Le guide", "link_label": "Télécharger", "link_document": document},
            ),
        ],
    )
    f.home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


def downloaded(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def anonymous_get(environ, key):
    """What anyone on the Internet gets for the object's plain bucket address."""
    return requests.get(
        f"{environ['AWS_S3_ENDPOINT_URL']}/{environ['AWS_STORAGE_BUCKET_NAME']}/{key}", timeout=10
    )


@pytest.mark.django_db
def test_a_page_shows_its_image_renditions_from_the_private_bucket(client, bucket_environment):
    image = upload_image()
    guide = upload_document("guide.pdf", b"%PDF-1.4\n" + b"g" * 300)
    page = page_showing(image, guide)

    html = client.get(page.url).content.decode()
    sources = {
        unescape(address)
        for srcset in re.findall(r'srcset="([^"]+)"', html)
        for address in re.findall(r"(\S+)\s+\d+w", srcset)
    } | {unescape(address) for address in re.findall(r'<img[^>]* src="([^"]+)"', html)}
    from_bucket = {a for a in sources if bucket_environment["AWS_STORAGE_BUCKET_NAME"] in a}
    assert from_bucket, html
    renditions = {r.file.name: r for r in image.renditions.all()}
    assert renditions, "the page made no rendition"
    for address in from_bucket:
        assert "X-Amz-Signature=" in address  # signed: the bucket itself is private
        assert f"{urlsplit_origin(address)}" in media_origins(bucket_environment)
        fetched = requests.get(address, timeout=10)
        assert fetched.status_code == 200, address
        [name] = [name for name in renditions if name in address]
        with renditions[name].file.open("rb") as stored:
            assert fetched.content == stored.read()
        assert PillowImage.open(io.BytesIO(fetched.content)).width > 0  # an image, readable
        # Without its signature the same object is refused.
        assert requests.get(address.split("?")[0], timeout=10).status_code == 403
    # The document's button leads to the site, never to the bucket.
    assert f'href="{guide.url}"' in html and guide.url.startswith("/documents/")


def urlsplit_origin(address):
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.django_db
def test_a_public_document_downloads_through_the_site(client, bucket_environment):
    content = b"%PDF-1.4\n" + bytes(range(256)) * 8
    document = upload_document("aide-memoire.pdf", content)
    response = client.get(document.url)
    assert response.status_code == 200  # streamed by Django, not a redirect to the bucket
    assert downloaded(response) == content
    assert anonymous_get(bucket_environment, document.file.name).status_code == 403


@pytest.mark.django_db
def test_a_private_document_is_served_to_members_only(client, bucket_environment):
    content = b"%PDF-1.4\n" + b"confidentiel " * 100
    document = upload_document("note-interne.pdf", content, members_only_collection())
    key = document.file.name
    listed = s3_client(bucket_environment).list_objects_v2(
        Bucket=bucket_environment["AWS_STORAGE_BUCKET_NAME"]
    )
    assert key in [item["Key"] for item in listed["Contents"]]

    anonymous = client.get(document.url)
    # A 404, never the bucket's address (nor a sign-in page that tells the file exists).
    assert anonymous.status_code == 404 and "Location" not in anonymous

    client.force_login(f.member())
    signed_in = client.get(document.url)
    assert signed_in.status_code == 200
    assert downloaded(signed_in) == content

    # The object itself: no public ACL, and its bucket address refuses an anonymous visitor.
    grants = s3_client(bucket_environment).get_object_acl(
        Bucket=bucket_environment["AWS_STORAGE_BUCKET_NAME"], Key=key
    )["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]
    assert anonymous_get(bucket_environment, key).status_code == 403


@pytest.mark.django_db
def test_the_bucket_check_would_see_a_public_object(bucket_environment):
    """The server does enforce ACLs: an object written public-read is readable by anyone, so
    the 403s above come from the storage's private settings, not from the server."""
    s3_client(bucket_environment).put_object(
        Bucket=bucket_environment["AWS_STORAGE_BUCKET_NAME"],
        Key="documents/public.pdf",
        Body=b"%PDF-1.4\n",
        ACL="public-read",
    )
    assert anonymous_get(bucket_environment, "documents/public.pdf").status_code == 200


# -- reading the environment --------------------------------------------------------------------

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
AWS = {"AWS_STORAGE_BUCKET_NAME": "cqctp-media", "AWS_S3_REGION_NAME": "ca-central-1"}


def test_without_a_bucket_media_stay_on_the_disk():
    assert storages_from_environment({}, STORAGES) is STORAGES
    assert media_origins({}) == []


def test_a_bucket_makes_the_media_private_s3_and_leaves_static_files_alone():
    storages = storages_from_environment({**AWS, **KEYS}, STORAGES)
    assert storages["staticfiles"] == STORAGES["staticfiles"]
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storages["default"]["OPTIONS"]
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["querystring_expire"] == 24 * 60 * 60
    assert options["access_key"] == "cqctp-test" and options["region_name"] == "ca-central-1"


def test_the_machine_role_may_stand_for_the_keys_on_aws():
    options = s3_options_from_environment(AWS)
    assert "access_key" not in options and "secret_key" not in options


def test_a_custom_domain_is_where_images_come_from():
    environ = {**AWS, "AWS_S3_CUSTOM_DOMAIN": "media.formations.cqctp.org"}
    assert s3_options_from_environment(environ)["custom_domain"] == "media.formations.cqctp.org"
    assert media_origins(environ) == ["https://media.formations.cqctp.org"]


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({"AWS_S3_ENDPOINT_URL": "https://s3.example.org"}, "AWS_S3_ENDPOINT_URL"),
        (KEYS, "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"),
        ({"AWS_S3_CUSTOM_DOMAIN": "media.example.org"}, "AWS_S3_CUSTOM_DOMAIN"),
        ({**AWS, "AWS_ACCESS_KEY_ID": "k"}, "AWS_SECRET_ACCESS_KEY is missing"),
        ({**AWS, "AWS_SECRET_ACCESS_KEY": "s"}, "AWS_ACCESS_KEY_ID is missing"),
        ({"AWS_STORAGE_BUCKET_NAME": "cqctp-media"}, "AWS_S3_REGION_NAME is required"),
        (
            {"AWS_STORAGE_BUCKET_NAME": "b-1", "AWS_S3_ENDPOINT_URL": "https://s3.example.org"},
            "required with AWS_S3_ENDPOINT_URL",
        ),
        ({**AWS, "AWS_STORAGE_BUCKET_NAME": "Media_CQCTP"}, "AWS_STORAGE_BUCKET_NAME must be"),
        ({**AWS, **KEYS, "AWS_S3_ENDPOINT_URL": "http://s3.example.org"}, "must use https"),
        ({**AWS, **KEYS, "AWS_S3_ENDPOINT_URL": "https://s3.example.org/b"}, "without a path"),
        ({**AWS, **KEYS, "AWS_S3_ENDPOINT_URL": "s3.example.org"}, "must be an address"),
        ({**AWS, "AWS_S3_CUSTOM_DOMAIN": "https://cdn.example.org"}, "host name alone"),
        ({**AWS, "AWS_QUERYSTRING_EXPIRE": "30"}, "between 60 and 604800"),
        ({**AWS, "AWS_QUERYSTRING_EXPIRE": "1 day"}, "between 60 and 604800"),
        ({**AWS, "AWS_S3_ADDRESSING_STYLE": "dns"}, "path, virtual or auto"),
        ({**AWS, "AWS_S3_REGION_NAME": "Canada Central"}, "AWS_S3_REGION_NAME must be"),
    ],
)
def test_half_or_malformed_configurations_are_refused_by_name(environ, names):
    with pytest.raises(ImproperlyConfigured) as refused:
        storages_from_environment(environ, STORAGES)
    assert names in str(refused.value)


def test_production_settings_read_the_bucket_from_the_environment(tmp_path):
    environ = {
        "DJANGO_SETTINGS_MODULE": "cqctp.settings.production",
        "CACHE_DIR": str(tmp_path),  # not the repository's default cache folder
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "formations.cqctp.org",
        "PUBLIC_BASE_URL": "https://formations.cqctp.org",
        "PATH": "/usr/bin:/bin",
        **AWS,
        **KEYS,
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND'], settings.WAGTAILDOCS_SERVE_METHOD, "
        "*settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    backend, serve_method, *image_sources = result.stdout.split()
    assert (backend, serve_method) == ("storages.backends.s3.S3Storage", "serve_view"), (
        result.stderr
    )
    # The pages may show images from the bucket: its origin is in the Content-Security-Policy.
    assert set(media_origins(AWS)) <= set(image_sources)
    half = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={**environ, "AWS_SECRET_ACCESS_KEY": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert half.returncode != 0
    assert "AWS_SECRET_ACCESS_KEY is missing" in half.stderr
