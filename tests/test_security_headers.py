"""Production answers carry a strict Content-Security-Policy and the other security headers on
every kind of response, the Wagtail admin its own looser policy, and the set scores A+ by the
HTTP Observatory's published rules (developer.mozilla.org/en-US/observatory/docs/tests_and_scoring).
"""

import datetime
import importlib
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tests import factories as f

from .test_settings_production import PRODUCTION_ENV

pytestmark = pytest.mark.django_db

PRODUCTION_SETTINGS = re.compile(
    r"^(SECURE_|CSP_|CONTENT_SECURITY_POLICY|CROSS_ORIGIN_|PERMISSIONS_POLICY|X_FRAME_OPTIONS$"
    r"|SESSION_COOKIE_|CSRF_COOKIE_|MIDDLEWARE$)"
)
PUBLIC_POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    # The two privacy-enhanced video players, framed only after a click (home.blocks.VideoBlock).
    "frame-src": "https://www.youtube-nocookie.com https://player.vimeo.com",
    "manifest-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
ALWAYS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@pytest.fixture
def production(settings, monkeypatch, tmp_path):
    """The header settings and the middleware of cqctp.settings.production, read from the
    module itself with the environment production requires."""
    settings.STATIC_ROOT = tmp_path  # whitenoise, first in production, wants the folder
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    module = importlib.reload(importlib.import_module("cqctp.settings.production"))
    for name in dir(module):
        if PRODUCTION_SETTINGS.match(name):
            setattr(settings, name, getattr(module, name))
    return settings


@pytest.fixture
def site(db):
    """Dates fixed: the session is upcoming whatever today is."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 17, 0, tzinfo=datetime.UTC)):
        return build_site()


def build_site():
    training = f.training(title="Repérer la traite", sessions=[f.session(10)])
    member = f.member(email="membre@example.org")
    return {"training": training, "member": member}


def policy(response, header="Content-Security-Policy"):
    value = response.get(header)
    assert value, f"no {header} on {response.status_code} {response.get('Content-Type')}"
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in value.split(";") if part.strip()
    )


def assert_production_headers(response, csp=PUBLIC_POLICY):
    for header, value in ALWAYS.items():
        assert response.get(header) == value, header
    features = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in features
    # The click-to-load video plays at the click that framed it, from the two players only.
    assert 'autoplay=(self "https://www.youtube-nocookie.com" "https://player.vimeo.com")' in (
        features
    )
    assert policy(response) == csp


def get(client, url, **extra):
    return client.get(url, secure=True, **extra)


def test_public_page(client, production, site):
    response = get(client, site["training"].url)
    assert response.status_code == 200
    assert_production_headers(response)
    assert response["X-Frame-Options"] == "DENY"


def test_catalogue_and_home_page(client, production, site):
    for url in ("/", site["training"].get_parent().url):
        response = get(client, url)
        assert response.status_code == 200, url
        assert_production_headers(response)


def test_members_page(client, production, site):
    client.force_login(site["member"])
    response = get(client, "/espace-membres/")
    assert response.status_code == 200
    assert_production_headers(response)
    sign_in = get(client, "/espace-membres/connexion/")
    assert_production_headers(sign_in)


def test_not_found_and_bad_request(client, production, site):
    missing = get(client, "/page-inexistante/")
    assert missing.status_code == 404
    assert_production_headers(missing)
    refused = get(client, "/", data={"q": "\x00"})
    assert refused.status_code == 400
    assert_production_headers(refused)


def test_api_and_calendar_feeds(client, production, site):
    for url in (
        "/api/v2/trainings/",
        f"/api/v2/trainings/{site['training'].pk}/",
        "/calendrier/formations.ics",
        f"/calendrier/formation-{site['training'].pk}.ics",
        f"/espace-membres/calendrier/{site['member'].membership.calendar_token}.ics",
    ):
        response = get(client, url)
        assert response.status_code == 200, url
        assert_production_headers(response)


def test_plain_http_is_redirected_to_https_on_the_same_host(client, production, site):
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 301
    assert response["Location"] == "https://localhost/"


def test_admin_has_its_own_looser_policy(client, production, site):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    for url in ("/admin/", f"/admin/pages/{site['training'].pk}/edit/"):
        response = get(client, url)
        assert response.status_code == 200, url
        csp = policy(response)
        assert csp["default-src"] == "'self'"
        assert "'unsafe-inline'" in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
        assert csp["object-src"] == "'none'"
        assert csp["frame-ancestors"] == "'self'"  # the page preview is framed by the editor
        assert csp["form-action"] == "'self'" and csp["base-uri"] == "'self'"
        for header, value in ALWAYS.items():
            assert response.get(header) == value
    # The admin's sign-in page too; and nothing outside /admin/ gets the admin policy.
    client.logout()
    assert "'unsafe-inline'" in policy(get(client, "/admin/login/"))["script-src"]
    assert policy(get(client, "/administration/"))["script-src"] == "'self'"


def test_no_header_outside_production(client, site):
    """Development and tests send no policy: the middleware is there, the policy is not."""
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "Permissions-Policy" not in response


# -- What the strict policy would block: none of it in the public templates -------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.I)


def test_public_templates_have_no_inline_script_style_or_handler(client, production, site):
    client.force_login(site["member"])
    session = site["training"].sessions.get()
    pages = [
        "/",
        "/en/",
        site["training"].url,
        site["training"].get_parent().url + "?q=traite&format=online",
        "/espace-membres/",
        f"/espace-membres/inscription/{session.pk}/",
        "/espace-membres/fermer-mon-compte/",
        "/page-inexistante/",
    ]
    client_anonymous = type(client)()
    anonymous = [
        "/espace-membres/connexion/",
        "/espace-membres/demande-de-compte/",
        "/espace-membres/mot-de-passe/",
    ]
    responses = [(url, get(client, url)) for url in pages]
    responses += [(url, get(client_anonymous, url)) for url in anonymous]
    responses.append(("400", get(client, "/", data={"q": "\x00"})))
    for url, response in responses:
        html = response.content.decode()
        assert response.status_code in (200, 400, 404), url
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group())
        assert not INLINE_STYLE.search(html), (url, INLINE_STYLE.search(html).group())
        assert not EVENT_HANDLER.search(html), (url, EVENT_HANDLER.search(html).group())


# -- The HTTP Observatory's score for the production header set ---------------------------------


def observatory_score(response, redirect):
    """The published modifiers (MDN HTTP Observatory, 2024 rules) for what one answer shows:
    penalties first, bonuses only when the result is 90 or more. HSTS preloading (+5) depends on
    the browsers' list, not on the headers, and is not counted."""
    penalties, bonuses = [], []
    csp = policy(response)
    script = csp.get("script-src", csp.get("default-src", "*")).split()
    style = csp.get("style-src", csp.get("default-src", "*")).split()
    if {"'unsafe-inline'", "data:", "*", "https:", "http:"} & set(script):
        penalties.append(("csp-implemented-with-unsafe-inline", -20))
    elif "'unsafe-eval'" in script + style:
        penalties.append(("csp-implemented-with-unsafe-eval", -10))
    elif {"'unsafe-inline'", "data:"} & set(style):
        pass  # csp-implemented-with-unsafe-inline-in-style-src-only: 0
    elif csp.get("default-src") == "'none'":
        bonuses.append(("csp-implemented-with-no-unsafe-default-src-none", 10))
    else:
        bonuses.append(("csp-implemented-with-no-unsafe", 5))
    cookies = list(response.cookies.values())
    if any(not c["secure"] for c in cookies):
        penalties.append(("cookies-without-secure-flag", -20))
    elif cookies and all(c["samesite"] in ("Lax", "Strict") for c in cookies):
        bonuses.append(("cookies-secure-with-httponly-sessions-and-samesite", 5))
    if response.get("Access-Control-Allow-Origin"):
        penalties.append(("cross-origin-resource-sharing-implemented", -50))
    if not (redirect.status_code in (301, 302) and redirect["Location"].startswith("https://")):
        penalties.append(("redirection-missing", -20))
    if response.get("Referrer-Policy") in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    ):
        bonuses.append(("referrer-policy-private", 5))
    hsts = re.search(r"max-age=(\d+)", response.get("Strict-Transport-Security", ""))
    if not hsts:
        penalties.append(("hsts-not-implemented", -20))
    elif int(hsts.group(1)) < 15768000:
        penalties.append(("hsts-implemented-max-age-less-than-six-months", -10))
    html = response.content.decode()
    if re.search(r"<script[^>]+src=[\"'](https?:)?//", html):
        penalties.append(("sri-not-implemented-but-external-scripts-loaded-securely", -5))
    if response.get("X-Content-Type-Options") != "nosniff":
        penalties.append(("x-content-type-options-not-implemented", -5))
    if csp.get("frame-ancestors") in ("'none'", "'self'"):
        bonuses.append(("x-frame-options-implemented-via-csp", 5))
    elif response.get("X-Frame-Options") not in ("DENY", "SAMEORIGIN"):
        penalties.append(("x-frame-options-not-implemented", -20))
    if response.get("Cross-Origin-Resource-Policy") in ("same-origin", "same-site"):
        bonuses.append(("cross-origin-resource-policy-implemented-with-same-origin", 10))
    score = 100 + sum(modifier for _, modifier in penalties)
    if score >= 90:
        score += sum(modifier for _, modifier in bonuses)
    return score, penalties + bonuses


def test_observatory_score_is_a_plus(client, production, site):
    home = get(client, "/")
    redirect = client.get("/", HTTP_HOST="localhost")
    score, modifiers = observatory_score(home, redirect)
    assert score >= 100, modifiers  # A+
    assert score == 130, modifiers  # 100 + CSP 10 + Referrer 5 + frame-ancestors 5 + CORP 10
