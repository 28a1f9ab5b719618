"""Where media files live: the local disk by default, S3-compatible storage when configured.

Several app servers share no disk: with AWS_STORAGE_BUCKET_NAME set, uploaded images and
documents go to a bucket (AWS S3, or any S3-compatible service through AWS_S3_ENDPOINT_URL).
The bucket stays private: objects are written without a public ACL and images are shown through
signed, expiring addresses (or through AWS_S3_CUSTOM_DOMAIN, a CDN the operator lets read the
image folders only). Documents never leave through a bucket address: Wagtail streams them
through Django after its collection privacy check (WAGTAILDOCS_SERVE_METHOD = "serve_view" in
base.py), so a private document is only ever served to those its collection admits.

Environment (docs/backups.md lists it too):
  AWS_STORAGE_BUCKET_NAME   the bucket; nothing below is read without it
  AWS_S3_ENDPOINT_URL       an S3-compatible service (https://…; http only on this machine)
  AWS_S3_REGION_NAME        the bucket's region (required on AWS, i.e. without an endpoint)
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   both or neither (neither: the machine's role,
                            AWS only)
  AWS_S3_CUSTOM_DOMAIN      optional host name (a CDN) that serves the image folders
  AWS_QUERYSTRING_EXPIRE    seconds a signed image address stays valid (default one day: it
                            must outlive every cached copy of a page that shows it)
  AWS_LOCATION              optional folder inside the bucket (several sites, one bucket)
  AWS_S3_ADDRESSING_STYLE   optional: path or virtual (the service's documentation says which)
"""

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
BUCKET = "AWS_STORAGE_BUCKET_NAME"
# Settings that mean something only with a bucket: one of them alone is half a configuration.
NEEDS_A_BUCKET = (
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_QUERYSTRING_EXPIRE",
    "AWS_LOCATION",
    "AWS_S3_ADDRESSING_STYLE",
)
DEFAULT_SIGNED_URL_SECONDS = 24 * 60 * 60
# S3's signature version 4 refuses addresses valid longer than seven days.
LONGEST_SIGNED_URL_SECONDS = 7 * 24 * 60 * 60
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
HOST_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$")
REGION_NAME = re.compile(r"^[a-z0-9-]+$")


def _value(environ, name):
    return (environ.get(name) or "").strip()


def _refuse(message):
    raise ImproperlyConfigured(f"Media storage: {message} (see docs/backups.md).")


def _is_this_machine(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def s3_options_from_environment(environ):
    """The S3Storage options the environment asks for, checked; None without a bucket.
    Raises ImproperlyConfigured on a half or malformed configuration, naming the variable."""
    bucket = _value(environ, BUCKET)
    if not bucket:
        stray = [name for name in NEEDS_A_BUCKET if _value(environ, name)]
        if stray:
            _refuse(
                f"{', '.join(stray)} {'is' if len(stray) == 1 else 'are'} set but {BUCKET} is "
                "not: set the bucket too, or remove them (media would stay on the local disk)"
            )
        return None
    if not BUCKET_NAME.match(bucket) or ".." in bucket:
        _refuse(f"{BUCKET} must be a bucket name such as cqctp-media (got {bucket!r})")

    options = {
        "bucket_name": bucket,
        # Private by default: no ACL is sent (the bucket's own, private, applies), every address
        # is signed, and an upload never replaces another file of the same name.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }

    endpoint = _value(environ, "AWS_S3_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            _refuse(
                "AWS_S3_ENDPOINT_URL must be an address such as https://s3.ca-central-1."
                f"amazonaws.com (got {endpoint!r})"
            )
        if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
            _refuse(
                "AWS_S3_ENDPOINT_URL is the service's address alone, without a path, a bucket "
                f"or credentials (got {endpoint!r})"
            )
        if parts.scheme == "http" and not _is_this_machine(parts.hostname):
            _refuse(
                "AWS_S3_ENDPOINT_URL must use https (plain http is accepted only for a service "
                f"on this machine; got {endpoint!r})"
            )
        options["endpoint_url"] = f"{parts.scheme}://{parts.netloc}"

    region = _value(environ, "AWS_S3_REGION_NAME")
    if region:
        if not REGION_NAME.match(region):
            _refuse(f"AWS_S3_REGION_NAME must be a region such as ca-central-1 (got {region!r})")
        options["region_name"] = region
    elif not endpoint:
        _refuse(
            "AWS_S3_REGION_NAME is required on AWS (without AWS_S3_ENDPOINT_URL), such as "
            "ca-central-1: signed image addresses depend on it"
        )

    access_key = _value(environ, "AWS_ACCESS_KEY_ID")
    secret_key = _value(environ, "AWS_SECRET_ACCESS_KEY")
    if bool(access_key) != bool(secret_key):
        missing = "AWS_SECRET_ACCESS_KEY" if access_key else "AWS_ACCESS_KEY_ID"
        _refuse(f"{missing} is missing: give both keys, or neither (the machine's AWS role)")
    if endpoint and not access_key:
        _refuse(
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required with AWS_S3_ENDPOINT_URL "
            "(an S3-compatible service has no machine role)"
        )
    if access_key:
        options["access_key"] = access_key
        options["secret_key"] = secret_key

    custom_domain = _value(environ, "AWS_S3_CUSTOM_DOMAIN")
    if custom_domain:
        if not HOST_NAME.match(custom_domain):
            _refuse(
                "AWS_S3_CUSTOM_DOMAIN is a host name alone, such as media.formations.cqctp.org, "
                f"without https:// or a path (got {custom_domain!r})"
            )
        options["custom_domain"] = custom_domain

    expire = _value(environ, "AWS_QUERYSTRING_EXPIRE")
    if expire:
        if not expire.isdigit() or not 60 <= int(expire) <= LONGEST_SIGNED_URL_SECONDS:
            _refuse(
                "AWS_QUERYSTRING_EXPIRE is a number of seconds between 60 and "
                f"{LONGEST_SIGNED_URL_SECONDS} (got {expire!r})"
            )
    options["querystring_expire"] = int(expire) if expire else DEFAULT_SIGNED_URL_SECONDS

    location = _value(environ, "AWS_LOCATION").strip("/")
    if location:
        if ".." in location.split("/"):
            _refuse(f"AWS_LOCATION is a folder inside the bucket (got {location!r})")
        options["location"] = location

    addressing_style = _value(environ, "AWS_S3_ADDRESSING_STYLE")
    if addressing_style:
        if addressing_style not in ("path", "virtual", "auto"):
            _refuse(f"AWS_S3_ADDRESSING_STYLE is path, virtual or auto (got {addressing_style!r})")
        options["addressing_style"] = addressing_style
    return options


def storages_from_environment(environ, storages):
    """STORAGES with the media ("default") on S3-compatible storage when its settings are given
    in `environ`; unchanged otherwise. Static files are not concerned (whitenoise serves them)."""
    options = s3_options_from_environment(environ)
    if options is None:
        return storages
    return {**storages, "default": {"BACKEND": S3_BACKEND, "OPTIONS": options}}


def media_origins(environ):
    """The origins images are shown from (for the Content-Security-Policy's img-src): the
    custom domain, else the origin of a signed address, computed the way the storage computes
    it (botocore signs locally: no request leaves). Empty with media on the local disk."""
    options = s3_options_from_environment(environ)
    if options is None:
        return []
    if "custom_domain" in options:
        return [f"https://{options['custom_domain']}"]
    import boto3
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=options.get("endpoint_url"),
        region_name=options.get("region_name"),
        aws_access_key_id=options.get("access_key", "signing-only"),
        aws_secret_access_key=options.get("secret_key", "signing-only"),
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": options.get("addressing_style")},
        ),
    )
    address = client.generate_presigned_url(
        "get_object", Params={"Bucket": options["bucket_name"], "Key": "origin"}, ExpiresIn=60
    )
    parts = urlsplit(address)
    return [f"{parts.scheme}://{parts.netloc}"]
