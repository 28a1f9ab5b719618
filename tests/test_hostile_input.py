"""Hostile input never breaks the site: every URL parameter, path segment and form field of the
public site, the API, the feeds and the members' area, with values a database or a template may
choke on. PostgreSQL refuses NUL characters and integers beyond 64 bits where SQLite may not, so
this file runs on both (see README, PostgreSQL).

Rules checked here (cqctp.middleware.RejectUnreadableInputMiddleware):
- a control character in the path answers 404; in a query parameter, a form field, a header or
  a cookie 400;
- a whole number beyond the 64-bit range answers 404 as a path segment, 400 in a query parameter
  or a form field, except where people type text (searches, names, passwords, comments: there
  digits are text);
- anything else answers normally (never 500), and an HTML page never echoes markup unescaped;
- a refused form submission changes nothing in the database.
"""

import datetime
from urllib.parse import quote

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.timezone import make_aware

from catalogue.listing import FilterForm
from members.models import Invitation, Membership, SignUpRequest
from tests import factories as f
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db

NOW = make_aware(datetime.datetime(2026, 3, 2, 12, 0))
PASSWORD = "Un-mot-de-passe-solide-42"

# name -> value. "refused" values are answered 400 (404 in a path) before any view runs.
CONTROL = {"nul": "a\x00b", "escape": "\x1b[31mrouge", "bell": "\x07", "delete": "x\x7f"}
HUGE = {"int_30_digits": "9" * 30, "negative_30_digits": "-" + "9" * 30}
ODD = {
    "negative": "-1",
    "zero": "0",
    "int64_max": str(2**63 - 1),
    "date_far": "9999-12-31",
    "date_zero": "0000-00-00",
    "date_invalid": "2026-02-30",
    "overlong": "a" * 10_000,
    "rtl": "\u202eexe.fdp\u202c عربي",
    "emoji": "🚫👩🏽‍⚕️🇨🇦",
    "sql": "' OR 1=1; DROP TABLE wagtailcore_page; --",
    "html": '"><script>alert(1)</script><img src=x onerror=alert(2)>',
    "percent_00_text": "%00",
    "quote": '"',
    "search_syntax": "& | ! :* <-> (",
    "spaces": "   ",
    "empty": "",
}
HOSTILE = {**CONTROL, **HUGE, **ODD}
# Values Wagtail's API parameters read in their own way (operators, orderings, field lists,
# model names, page ids), sent to the API on top of HOSTILE.
API_ODD = {
    "operator": "xor",
    "operator_spaced": " or",
    "random": "random",
    "random_negated": "-random",
    "root": "root",
    "all_fields": "*",
    "no_fields": "_",
    "negated": "-title",
    "unclosed": "title(",
    "nested": "parent(*)",
    "other_model": "auth.User",
    "dotted": "a.b.c",
    "decimal": "1.5",
    "exponent": "1e3",
    "underscored": "1_0",
    "arabic_indic_digit": "\u0661",
}
API_HOSTILE = {**HOSTILE, **API_ODD}
# Also sent as the second value of an array (?x=1&x=<value>), where a view may take the first,
# the last or the list.
IN_ARRAYS = ("nul", "int_30_digits", "sql", "html", "overlong")
ALLOWED = {200, 301, 302, 303, 400, 403, 404, 405, 429}
FREE_TEXT = {"q", "search"}
# Form fields where people type text: a long number there (a file reference, a password) is
# text, not an id, and passes the edge.
TEXT_FIELDS = {
    "username",
    "password",
    "email",
    "first_name",
    "last_name",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
    "accessibility_needs",
    "interpretation_language",
    "comment",
}
MARKUP = b"<script>alert(1)</script>"

counted = {"requests": 0}


@pytest.fixture(scope="module", autouse=True)
def report_count(request):
    """Say how many hostile requests the file sent (the issue asks for the number)."""
    yield
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None and counted["requests"]:
        from django.db import connection

        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\ntest_hostile_input: {counted['requests']} hostile requests"
                f" on {connection.vendor}"
            )


@pytest.fixture
def world(db):
    """A catalogue, a member, a coordinator with a colleague, an enrolment and an invitation."""
    with time_machine.travel(NOW, tick=False):
        catalogue = f.catalogue()
        theme = f.theme("Identifier les victimes", "Identifying victims", "identifier")
        audience = f.audience("Policiers", "Police", "police")
        organisation = f.organisation("Maison Le Phare")
        training = f.training(
            catalogue,
            "Repérer la traite",
            provider=organisation,
            themes=[theme],
            audiences=[audience],
            sessions=[f.session(10, capacity=5), f.session(20, format="online", region="")],
        )
        session = training.sessions.order_by("start").first()
        member = f.member(organisation, email="membre@example.org")
        coordinator = f.member(organisation, role="coordinator", email="coord@example.org")
        for person in (member, coordinator):
            person.set_password(PASSWORD)
            person.save()
        enrolment = Enrolment.objects.create(session=session, user=member, status="confirmed")
        invitation = Invitation.objects.create(
            organisation=organisation, email="nouvelle@example.org", invited_by=coordinator
        )
    traveller = time_machine.travel(NOW, tick=True)
    traveller.start()
    yield {
        "catalogue": catalogue,
        "training": training,
        "session": session,
        "member": member,
        "coordinator": coordinator,
        "enrolment": enrolment,
        "invitation": invitation,
        "organisation": organisation,
    }
    traveller.stop()


def snapshot():
    """What a form could change: accounts, memberships, requests, invitations, enrolments."""
    User = get_user_model()
    return {
        "users": list(
            User.objects.order_by("pk").values_list(
                "pk", "email", "password", "first_name", "last_name", "is_active", "last_login"
            )
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list(
                "pk", "user_id", "organisation_id", "role", "calendar_token"
            )
        ),
        "sign_ups": list(SignUpRequest.objects.order_by("pk").values_list("pk", "email", "status")),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list("pk", "email", "accepted_at")
        ),
        "enrolments": list(
            Enrolment.objects.order_by("pk").values_list(
                "pk",
                "user_id",
                "status",
                "accessibility_needs",
                "interpretation_language",
                "comment",
            )
        ),
    }


def send(client, method, url, data=None):
    """One hostile request, undone afterwards so that the next one starts from the same data."""
    counted["requests"] += 1
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return response


def problems_with(response, label, refused=None):
    """The broken promises of one answer, as text (empty when all is well)."""
    problems = []
    if response.status_code not in ALLOWED:
        problems.append(f"{label}: status {response.status_code}")
    if refused is not None and response.status_code != refused:
        problems.append(f"{label}: expected {refused}, got {response.status_code}")
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html") and MARKUP in response.content:
        problems.append(f"{label}: markup echoed unescaped")
    return problems


def expected_for_query(parameter, name):
    if name in CONTROL:
        return 400
    if name in HUGE and parameter not in FREE_TEXT:
        return 400
    return None


def shapes(name, value):
    yield "single", value
    if name in IN_ARRAYS:
        yield "array", ["1", value]


def try_parameter(client, url, parameter, method="get", base=None, values=HOSTILE):
    """Each hostile value alone, then as an array (?x=1&x=<value>), in one parameter."""
    problems = []
    for name, value in values.items():
        for shape, sent in shapes(name, value):
            data = {**(base or {}), parameter: sent}
            response = send(client, method, url, data)
            problems += problems_with(
                response, f"{url} {parameter}={name} ({shape})", expected_for_query(parameter, name)
            )
    return problems


# -- Catalogue ---------------------------------------------------------------------------------

# Every field of the catalogue's filter form (a new filter is covered as soon as it exists), plus
# the page number and the old "upcoming" switch that shared addresses may still carry.
CATALOGUE_PARAMETERS = [*FilterForm.base_fields, "page", "upcoming"]


@pytest.mark.parametrize("parameter", CATALOGUE_PARAMETERS)
def test_catalogue_parameters(client, world, parameter):
    # With other filters around it, as shared addresses often are.
    base = {"free": "on"} if parameter != "free" else {"q": "traite"}
    assert try_parameter(client, world["catalogue"].url, parameter, base=base) == []


def test_catalogue_reports_refused_values_on_a_translated_page(client, world):
    response = client.get(world["catalogue"].url, {"q": "a\x00b"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="fr-ca">' in html
    assert "Requête invalide" in html
    assert "Traceback" not in html
    english = client.get("/en/", {"q": "a\x00b"}).content.decode()
    assert '<html lang="en">' in english and "Bad request" in english


# -- Other public pages, the API and the feeds ------------------------------------------------

API_LISTING_PARAMETERS = [
    "limit",
    "offset",
    "fields",
    "order",
    "search",
    "search_operator",
    "rich_text_format",
    "_",
    "format",
    "type",
    "child_of",
    "ancestor_of",
    "descendant_of",
    "translation_of",
    "locale",
    "site",
    # Field filters: every database field the endpoint exposes.
    "id",
    "title",
    "slug",
    "show_in_menus",
    "seo_title",
    "search_description",
    "first_published_at",
    "last_published_at",
    "summary",
    "duration_hours",
    "price",
    "certificate",
    "unknown_parameter",
]


@pytest.mark.parametrize("parameter", API_LISTING_PARAMETERS)
def test_api_listing_parameters(client, world, parameter):
    assert try_parameter(client, "/api/v2/trainings/", parameter, values=API_HOSTILE) == []


# While searching, Wagtail reads these through the search backend, which raises its own errors
# (an unknown ?search_operator= was a 500).
API_SEARCH_PARAMETERS = [
    "search_operator",
    "order",
    "fields",
    "type",
    "locale",
    "limit",
    "offset",
    "child_of",
    "descendant_of",
    "translation_of",
    "title",
]


@pytest.mark.parametrize("parameter", API_SEARCH_PARAMETERS)
def test_api_parameters_while_searching(client, world, parameter):
    url, base = "/api/v2/trainings/", {"search": "traite"}
    assert try_parameter(client, url, parameter, base=base, values=API_HOSTILE) == []


def test_api_refuses_an_unknown_search_operator(client, world):
    def search(operator):
        return client.get("/api/v2/trainings/", {"search": "traite", "search_operator": operator})

    for operator in ("xor", " or", "or,and"):
        response = search(operator)
        assert response.status_code == 400
        assert "search_operator" in response.json()["message"]
    for operator in ("or", "AND", ""):
        assert search(operator).status_code == 200


@pytest.mark.parametrize("parameter", ["html_path", "id", "fields", "locale", "type"])
def test_api_find_parameters(client, world, parameter):
    url = "/api/v2/trainings/find/"
    assert try_parameter(client, url, parameter, values=API_HOSTILE) == []


@pytest.mark.parametrize("parameter", ["fields", "rich_text_format", "type"])
def test_api_detail_parameters(client, world, parameter):
    url = f"/api/v2/trainings/{world['training'].pk}/"
    assert try_parameter(client, url, parameter, values=API_HOSTILE) == []


def public_pages(world):
    training = world["training"]
    return [
        "/",
        "/en/",
        training.url,
        "/calendrier/formations.ics",
        f"/calendrier/formation-{training.pk}.ics",
        "/en/calendrier/formations.ics",
        "/espace-membres/connexion/",
        "/espace-membres/demande-de-compte/",
        "/espace-membres/mot-de-passe/",
        f"/espace-membres/invitation/{world['invitation'].token}/",
        f"/espace-membres/calendrier/{world['member'].membership.calendar_token}.ics",
    ]


def test_unexpected_parameters_on_public_pages_and_feeds(client, world):
    problems = []
    for url in public_pages(world):
        problems += try_parameter(client, url, "x")
    problems += try_parameter(client, "/espace-membres/connexion/", "next")
    problems += try_parameter(client, "/espace-membres/demande-de-compte/", "next")
    problems += try_parameter(client, "/en/", "page")
    assert problems == []


def member_pages(world):
    enrolment = world["enrolment"]
    return [
        "/espace-membres/",
        f"/espace-membres/inscription/{world['session'].pk}/",
        f"/espace-membres/inscriptions/{enrolment.pk}/calendrier.ics",
        "/espace-membres/mes-donnees.json",
        "/espace-membres/fermer-mon-compte/",
        "/espace-membres/inviter/",
    ]


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_unexpected_parameters_on_members_pages(client, world, who):
    client.force_login(world[who])
    problems = []
    for url in member_pages(world):
        problems += try_parameter(client, url, "x")
    assert problems == []


def path_templates(world):
    member_token = world["member"].membership.calendar_token
    return [
        ("/espace-membres/calendrier/{}.ics", None),
        ("/espace-membres/invitation/{}/", None),
        ("/espace-membres/mot-de-passe/{}/set-password/", None),
        ("/espace-membres/mot-de-passe/MQ/{}/", None),
        ("/espace-membres/inscription/{}/", "member"),
        ("/espace-membres/inscriptions/{}/calendrier.ics", "member"),
        ("/calendrier/formation-{}.ics", None),
        ("/api/v2/trainings/{}/", None),
        ("/documents/{}/nom.pdf", None),
        ("/{}/", None),
        (world["catalogue"].url + "{}/", None),
        ("/en/{}/", None),
        (f"/espace-membres/calendrier/{member_token}{{}}.ics", None),
    ]


def test_hostile_path_segments_are_not_found(client, world):
    problems = []
    for template, who in path_templates(world):
        if who:
            client.force_login(world[who])
        else:
            client.logout()
        for name, value in HOSTILE.items():
            if not value.strip():
                continue  # an empty segment is another address, tested elsewhere
            url = template.format(quote(value, safe=""))
            response = send(client, "get", url)
            # A control character, or a number no database holds as a segment: no such page.
            refused = 404 if name in CONTROL or name == "int_30_digits" else None
            problems += problems_with(response, f"{template} <- {name}", refused)
    assert problems == []


def test_hostile_headers_and_cookies(client, world):
    problems = []
    for header in ("HTTP_USER_AGENT", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_REFERER"):
        for name, value in HOSTILE.items():
            counted["requests"] += 1
            response = client.get("/espace-membres/connexion/", **{header: value})
            problems += problems_with(
                response, f"{header}={name}", 400 if name in CONTROL else None
            )
            # A failed sign-in records the header (django-axes): it must not break either.
            counted["requests"] += 1
            response = client.post(
                "/espace-membres/connexion/",
                {"username": "membre@example.org", "password": "faux"},
                **{header: value},
            )
            problems += problems_with(
                response, f"sign-in with {header}={name}", 400 if name in CONTROL else None
            )
            AccessAttempt.objects.all().delete()
    for cookie in ("sessionid", "csrftoken", "django_language"):
        for name, value in CONTROL.items():
            client.cookies[cookie] = value
            counted["requests"] += 1
            problems += problems_with(client.get("/"), f"cookie {cookie}={name}", 400)
            del client.cookies[cookie]
    client.cookies["sessionid"] = "\x00" * 32
    counted["requests"] += 1
    problems += problems_with(client.get("/espace-membres/"), "session cookie of NULs", 400)
    assert problems == []


# -- Forms of the members' area: never 500, and a refused submission changes nothing ----------


def try_form(client, url, valid, fields, bounded=None, login=None):
    """Each field of the form, in turn, given each hostile value (the others stay valid).

    `bounded` fields have a maximum length (all fields unless told): 10,000 characters there
    must be refused like a control character. `login` signs in again before each request
    (a request may sign out, and its session is undone with the rest).
    """
    bounded = fields if bounded is None else bounded
    problems = []
    for field in fields:
        for name, value in HOSTILE.items():
            for shape, sent in shapes(name, value):
                counted["requests"] += 1
                if login is not None:
                    client.force_login(login)
                data = {**valid, field: sent}
                with transaction.atomic():
                    before = snapshot()
                    response = client.post(url, data)
                    after = snapshot()
                    transaction.set_rollback(True)
                label = f"POST {url} {field}={name} ({shape})"
                at_the_edge = name in CONTROL or (name in HUGE and field not in TEXT_FIELDS)
                refused = at_the_edge or (name == "overlong" and field in bounded)
                problems += problems_with(response, label, 400 if at_the_edge else None)
                if refused and before != after:
                    problems.append(f"{label}: the database changed")
                AccessAttempt.objects.all().delete()
    return problems


def test_sign_in_form(client, world):
    valid = {"username": "membre@example.org", "password": PASSWORD}
    fields = ["username", "password", "next"]
    bounded = ["username", "password"]  # too long to be an account: nobody signs in
    assert try_form(client, "/espace-membres/connexion/", valid, fields, bounded=bounded) == []


def test_sign_up_form(client, world):
    valid = {
        "first_name": "Alex",
        "last_name": "Tremblay",
        "email": "alex@example.org",
        "organisation": str(world["organisation"].pk),
        "role": "member",
    }
    fields = list(valid) + ["unknown_field"]  # ignored by the form: no maximum length
    url = "/espace-membres/demande-de-compte/"
    assert try_form(client, url, valid, fields, bounded=list(valid)) == []


def test_password_reset_forms(client, world):
    valid = {"email": "membre@example.org"}
    assert try_form(client, "/espace-membres/mot-de-passe/", valid, ["email"]) == []
    member = world["member"]
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    token = default_token_generator.make_token(member)
    response = client.get(f"/espace-membres/mot-de-passe/{uid}/{token}/")
    assert response.status_code == 302  # the token moves into the session
    url = response["Location"]
    new = "Un-autre-mot-de-passe-77"
    valid = {"new_password1": new, "new_password2": new}
    fields = ["new_password1", "new_password2"]
    assert try_form(client, url, valid, fields, bounded=()) == []


def test_invitation_form(client, world):
    url = f"/espace-membres/invitation/{world['invitation'].token}/"
    valid = {"first_name": "Nour", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD}
    names = ["first_name", "last_name"]  # passwords have no maximum length
    assert try_form(client, url, valid, list(valid), bounded=names) == []


def test_invite_form(client, world):
    url, valid = "/espace-membres/inviter/", {"email": "autre@example.org"}
    assert try_form(client, url, valid, ["email"], login=world["coordinator"]) == []


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_enrol_form(client, world, who):
    person = world[who]
    session = world["session"]
    if who == "member":
        Enrolment.objects.filter(user=person).delete()
    valid = {
        "consent": "on",
        "accessibility_needs": "Accès sans marche",
        "interpretation_language": "LSQ",
        "comment": "Merci",
    }
    fields = list(valid)
    if who == "coordinator":
        valid["include_me"] = "on"
        fields += ["include_me", "colleagues"]
    url = f"/espace-membres/inscription/{session.pk}/"
    bounded = ["accessibility_needs", "interpretation_language", "comment"]
    assert try_form(client, url, valid, fields, bounded=bounded, login=person) == []


LONG_NUMBERS = [
    "123456789012345678901",
    "Référence de dossier 123456789012345678901",
    "1_000_000_000_000_000_000_000",  # 10**21, as int() reads it
    "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660" * 2 + "\u0661",
]


@pytest.mark.parametrize("number", LONG_NUMBERS)
def test_long_numbers_are_text_where_people_type_text(client, world, number):
    """A reference number in a comment or a search is text; beyond 64 bits it is refused only
    where the site reads it as a number (an id of a colleague, a page)."""
    member, coordinator, session = world["member"], world["coordinator"], world["session"]
    assert client.get(world["catalogue"].url, {"q": number}).status_code == 200
    assert client.get("/api/v2/trainings/", {"search": number}).status_code == 200
    Enrolment.objects.filter(user=member).delete()
    client.force_login(member)
    url = f"/espace-membres/inscription/{session.pk}/"
    response = client.post(url, {"consent": "on", "comment": number, "accessibility_needs": number})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=member, session=session)
    assert enrolment.comment == number and enrolment.accessibility_needs == number
    client.force_login(coordinator)
    chosen = {"consent": "on", "include_me": "on", "colleagues": [str(member.pk), number]}
    expected = 200 if number.startswith("R") else 400  # not a number at all: an unknown choice
    assert client.post(url, chosen).status_code == expected


def test_cancel_renew_and_close_account_forms(client, world):
    member = world["member"]
    cancel = f"/espace-membres/inscriptions/{world['enrolment'].pk}/annuler/"
    problems = try_form(client, cancel, {}, ["confirm", "x"], bounded=(), login=member)
    renew = "/espace-membres/calendrier/nouvelle-adresse/"
    problems += try_form(client, renew, {}, ["x"], bounded=(), login=member)
    close = "/espace-membres/fermer-mon-compte/"
    problems += try_form(client, close, {}, ["understood"], bounded=(), login=member)
    assert problems == []
