"""Keep the 0 found by the independent audit: axe-core over every page type, in both languages,
members' pages included, in Debian's Chromium; any serious or critical violation fails.

axe-core comes from npm (package.json, installed by `make install` with `npm ci`). The test is
skipped, with the reason, only where node/npm are absent (or Chromium/Playwright, as every browser
test); with npm present and axe-core missing, it fails and says how to install it.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")
FAILING_IMPACTS = {"serious", "critical"}
RUN_AXE = """() => axe.run(document, {resultTypes: ["violations"]}).then(result =>
    result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
    })))"""


@pytest.fixture
def axe_source():
    if not AXE.exists():
        if shutil.which("npm") is None or shutil.which("node") is None:
            pytest.skip("node/npm are absent: the axe-core audit needs `apt-get install npm`")
        pytest.fail(f"axe-core is not installed: run `npm ci` (or `make install`); {AXE} missing")
    return AXE


def pages_to_audit():
    """Every page type, French then English; members' pages last (signed in)."""
    from trainings.models import TrainingSession

    session = (
        TrainingSession.objects.upcoming()
        .filter(page__locale__language_code="fr-ca", page__visibility="public", capacity__gt=3)
        .exclude(enrolments__user__email="membre@demo.cqctp.org")
        .order_by("start")
        .first()
    )
    training_fr = session.page
    training_en = training_fr.get_translation(
        training_fr.get_translations().get(locale__language_code="en").locale
    )
    public = []
    for prefix, training, paths in (
        (
            "",
            training_fr,
            {
                "home": "/",
                "standard page": "/a-propos/",
                "safety page": "/naviguer-en-securite/",
                "catalogue": "/formations/",
                "catalogue, no result": "/formations/?q=zzqxw",
                "directory": "/membres/repertoire/",
                "privacy": "/confidentialite/",
                "resource directory": "/membres/ressources/?service=hebergement&region=06",
                "document library, signed out": "/membres/bibliotheque/",
                "member meetings, signed out": "/membres/rencontres/",
                "newsletter archive": "/infolettre/",
                "newsletter issue": "/infolettre/dix-ans-de-concertation/",
                "membership application": "/espace-membres/adhesion/",
                "membership criteria": "/membres/criteres-adhesion/",
                "campaign index": "/campagnes/",
                "campaign": "/campagnes/grand-prix/",
                "past campaign": "/campagnes/travail-agricole/",
                "site search": "/recherche/?q=exploitation",
                "certificate check": "/certificats/",
                "certificate check, unknown code": "/certificats/?code=AAAA-BBBB-CCCC-DDDD",
            },
        ),
        (
            "/en",
            training_en,
            {
                "home": "/en/",
                "standard page": "/en/about/",
                "safety page": "/en/browse-safely/",
                "catalogue": "/en/trainings/",
                "catalogue, no result": "/en/trainings/?q=zzqxw",
                "directory": "/en/members/directory/",
                "privacy": "/en/privacy/",
                "resource directory": "/en/members/resources/?language=en",
                "document library, signed out": "/en/members/library/",
                "member meetings, signed out": "/en/members/meetings/",
                "newsletter archive": "/en/newsletter/",
                "newsletter issue": "/en/newsletter/ten-years-of-working-together/",
                "membership application": "/en/espace-membres/adhesion/",
                "membership criteria": "/en/members/membership-criteria/",
                "campaign index": "/en/campaigns/",
                "campaign": "/en/campaigns/grand-prix/",
                "past campaign": "/en/campaigns/farm-work/",
                "site search": "/en/recherche/?q=exploitation",
                "certificate check": "/en/certificats/",
                "certificate check, unknown code": "/en/certificats/?code=AAAA-BBBB-CCCC-DDDD",
            },
        ),
    ):
        language = "en" if prefix else "fr"
        for name, path in paths.items():
            public.append((f"{name} ({language})", path))
        public += [
            (f"training ({language})", training.url),
            (f"sign-in ({language})", f"{prefix}/espace-membres/connexion/"),
            (f"sign-up request ({language})", f"{prefix}/espace-membres/demande-de-compte/"),
            (f"password reset ({language})", f"{prefix}/espace-membres/mot-de-passe/"),
            (f"404 ({language})", f"{prefix}/cette-page-n-existe-pas/"),
        ]
    from members.models import Resource

    shelter = Resource.objects.filter(public=False, people_served__slug="mineurs").first()
    resources = {"fr": "/membres/ressources/", "en": "/members/resources/"}
    library = {"fr": "/membres/bibliotheque/", "en": "/members/library/"}
    meetings = {"fr": "/membres/rencontres/", "en": "/members/meetings/"}
    from wagtail.models import Locale

    from meetings.models import MeetingPage

    french = MeetingPage.objects.filter(locale__language_code="fr-ca").order_by("start")
    coming, past = french.filter(minutes="").first(), french.exclude(minutes="").first()
    locale = {
        "fr": Locale.objects.get(language_code="fr-ca"),
        "en": Locale.objects.get(language_code="en"),
    }
    members = []
    for prefix, language in (("", "fr"), ("/en", "en")):
        members += [
            (f"Mes formations ({language})", f"{prefix}/espace-membres/"),
            (f"enrolment form ({language})", f"{prefix}/espace-membres/inscription/{session.pk}/"),
            (f"resource directory, signed in ({language})", f"{prefix}{resources[language]}"),
            (f"resource sheet ({language})", f"{prefix}{resources[language]}{shelter.pk}/"),
            (f"document library, signed in ({language})", f"{prefix}{library[language]}"),
            (
                f"document library, filtered ({language})",
                f"{prefix}{library[language]}?kind=brief&year=abc",
            ),
            (f"member meetings ({language})", f"{prefix}{meetings[language]}"),
            (f"coming meeting ({language})", coming.get_translation(locale[language]).url),
            (f"past meeting, minutes ({language})", past.get_translation(locale[language]).url),
        ]
    return public, members


def audit(page, base, name, path):
    response = page.goto(f"{base}{path}")
    expected = 404 if name.startswith("404") else 200
    assert response.status == expected, (name, path, response.status)
    assert page.url == f"{base}{path}", (name, page.url)  # not sent to the sign-in page
    return page.evaluate(RUN_AXE)


def test_no_serious_or_critical_axe_violation_on_any_page_type(browser, live_server, axe_source):
    from django.contrib.auth import get_user_model

    call_command("load_demo", stdout=open(os.devnull, "w"))
    base = live_server.url
    public, members = pages_to_audit()
    context = browser.new_context()
    context.add_init_script(path=str(axe_source))  # injected by the browser, whatever the CSP
    page = context.new_page()
    results = {name: audit(page, base, name, path) for name, path in public}

    client = Client()
    client.force_login(get_user_model().objects.get(email="membre@demo.cqctp.org"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )
    results.update({name: audit(page, base, name, path) for name, path in members})
    # The audit is not blind: an image without a text alternative is reported as critical.
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    planted = page.evaluate(RUN_AXE)
    context.close()
    assert [v["impact"] for v in planted if v["id"] == "image-alt"] == ["critical"]

    assert len(results) == 68
    print("\naxe-core violations by page (all impacts):")
    for name, violations in results.items():
        print(f"  {name}: {len(violations)} {[v['id'] for v in violations] or ''}")
    failing = {
        name: [v for v in violations if v["impact"] in FAILING_IMPACTS]
        for name, violations in results.items()
    }
    failing = {name: found for name, found in failing.items() if found}
    assert not failing, failing
