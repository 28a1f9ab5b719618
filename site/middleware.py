"""Checks and headers every response needs, whatever view answers it.

- `RejectUnreadableInputMiddleware` refuses, before any view runs, input that no page of the
  site can mean and that databases cannot hold: control characters (PostgreSQL refuses NUL in
  text) and whole numbers beyond 64 bits (PostgreSQL's bigint, SQLite's integer) wherever a
  number may be read as one (not in the text people type: FREE_TEXT_FIELDS). One check at the
  edge, instead of one in each view, Wagtail's API and admin and django-axes included.
- `ContentSecurityPolicyMiddleware` is django-csp's, with a looser policy for the Wagtail admin,
  which still needs inline scripts and styles.
- `SecurityHeadersMiddleware` adds the headers Django does not set itself.
"""

import re

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect

# Text may hold tabs and line breaks (a textarea does); no other C0 control, nor DEL.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# No address of the site contains a control character at all.
PATH_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
INTEGER_RANGE = range(-(2**63), 2**63)  # what PostgreSQL's bigint and SQLite's integer hold
# Parameters and form fields where people type text: digits there are text (a file reference,
# a password), never an id. Searches (catalogue, API), then the fields of the site's forms.
# Any other name may be read as an integer (ids of choices, pages, offsets), so a number beyond
# 64 bits there is refused: a text field missing here only refuses a 21-digit number.
FREE_TEXT_FIELDS = frozenset(
    {
        "q",
        "search",
        "username",
        "email",
        "first_name",
        "last_name",
        "password",
        "password1",
        "password2",
        "new_password1",
        "new_password2",
        "accessibility_needs",
        "interpretation_language",
        "comment",
    }
)
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UnreadableInput(SuspiciousOperation):
    """Answered 400 with templates/400.html, logged as django.security.UnreadableInput."""


def out_of_range(value):
    """True for a whole number (as `int()` reads it: signs, spaces, underscores, any script's
    digits) that no database integer holds; False for anything else."""
    try:
        number = int(value)
    except ValueError:  # not a number, or longer than Python converts (4,300 digits)
        return len(value) > 4300 and value.strip().lstrip("+-").isdigit()
    return number not in INTEGER_RANGE


def unreadable(request):
    """Why the request cannot be read, or "" when it can."""
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and CONTROL_CHARACTER.search(value):
            return f"control character in the {key} header"
    # Cookie values are unquoted ("\000" becomes NUL), so they are checked after parsing.
    for name, value in request.COOKIES.items():
        if CONTROL_CHARACTER.search(name) or CONTROL_CHARACTER.search(value):
            return f"control character in the cookie {name[:40]!r}"
    fields = [("query parameter", request.GET)]
    # Forms: Django parses these bodies anyway (the CSRF check reads them); other bodies
    # (JSON in the admin) are left to their views.
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        fields.append(("form field", request.POST))
    for kind, data in fields:
        for key, values in data.lists():
            if CONTROL_CHARACTER.search(key) or any(CONTROL_CHARACTER.search(v) for v in values):
                return f"control character in the {kind} {key[:40]!r}"
            if key not in FREE_TEXT_FIELDS and any(out_of_range(v) for v in values):
                return f"number out of range in the {kind} {key[:40]!r}"
    if len(fields) > 1:
        for upload in request.FILES.values():
            if PATH_CONTROL_CHARACTER.search(upload.name or ""):
                return "control character in the name of an uploaded file"
    return ""


class RejectUnreadableInputMiddleware:
    """A control character, or a whole number beyond 64 bits as a path segment, in the address
    answers 404 (no such page, no such id); a control character in a query parameter, a form
    field, a header or a cookie, or a number beyond 64 bits in a parameter or a form field that
    may be read as an integer (ids of choices, offsets, pages), answers 400. No id, page or offset
    is a 20-digit number; in text people type (FREE_TEXT_FIELDS: searches, names, passwords,
    comments) such digits are text and pass.

    Placed after LocaleMiddleware, so that the 400 page is in the visitor's language, and before
    anything that reads the session, the database or the parameters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if PATH_CONTROL_CHARACTER.search(request.path_info):
            raise Http404("control character in the address")
        if any(s.isdigit() and out_of_range(s) for s in request.path_info.split("/")):
            raise Http404("number out of range in the address")  # no id that large exists
        reason = unreadable(request)
        if reason:
            raise UnreadableInput(reason)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware: CONTENT_SECURITY_POLICY everywhere, except under the Wagtail admin
    (CSP_ADMIN_PATH_PREFIX), which gets CONTENT_SECURITY_POLICY_ADMIN. A view's own
    @csp_override still wins. Without CONTENT_SECURITY_POLICY (development), no header."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin_policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None)
        prefix = getattr(settings, "CSP_ADMIN_PATH_PREFIX", "/admin/")
        if (
            not report_only
            and parts.config is None
            and admin_policy
            and getattr(settings, "CONTENT_SECURITY_POLICY", None)
            and request.path_info.startswith(prefix)
        ):
            parts.config = default_config(admin_policy["DIRECTIVES"])
        return parts


class SecurityHeadersMiddleware:
    """Cross-Origin-Resource-Policy and Permissions-Policy, from the settings of the same names
    (CROSS_ORIGIN_RESOURCE_POLICY, PERMISSIONS_POLICY); a header a view set is kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        headers = {
            "Cross-Origin-Resource-Policy": getattr(settings, "CROSS_ORIGIN_RESOURCE_POLICY", ""),
            "Permissions-Policy": permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {})),
        }
        for name, value in headers.items():
            if value and name not in response:
                response[name] = value
        return response


def permissions_policy(features):
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in features.items())


class ShortAddressAnyCaseMiddleware:
    """Short addresses printed on posters are typed as people see them ("/GrandPrix"): a path
    that is not found, but whose lowercase form is a redirect of the site, is sent there (the
    query kept). Only 404s with capitals cost a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        if response.status_code != 404 or path == path.lower() or path.startswith("//"):
            return response
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.models import Site

        lowered = Redirect.normalise_path(path.lower())
        site = Site.find_for_request(request)
        if not Redirect.get_for_site(site).filter(old_path=lowered).exists():
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{path.lower()}?{query}" if query else path.lower())
