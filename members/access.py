"""Who may see what. Who counts as a member: a person whose account belongs to a member
organisation (committee staff, Wagtail editors, see members-only content too). Which pages
Wagtail's page privacy lets a visitor see: `allowed_pages`, used by every listing, search, feed
and API of the site, and `page_allowed`, its answer for one page."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, PageViewRestriction


def membership_of(user):
    if not (user and user.is_authenticated and user.is_active):
        return None
    return getattr(user, "membership", None)


def is_member(user):
    """Staff of a member organisation, or someone who works in the admin (the committees'
    accounts: Wagtail's user form gives admin access by permission, not `is_staff`)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return (
        user.is_staff
        or membership_of(user) is not None
        or user.has_perm("wagtailadmin.access_admin")
    )


def passed_passwords(request):
    """Ids of the password restrictions this browser session has passed (Wagtail's record)."""
    session = getattr(request, "session", None)
    if session is None:
        return []
    passed = session.get(PageViewRestriction.passed_view_restrictions_session_key, [])
    return [pk for pk in passed if isinstance(pk, int)] if isinstance(passed, list) else []


def audience_of(user, request=None):
    """What decides which pages `allowed_pages` (and members-only visibility) leave to this
    visitor: two visitors with the same audience see the same listings, so a listing kept in
    the shared cache is keyed by it. One query for a signed-in person (their groups)."""
    passed = tuple(sorted(passed_passwords(request)))
    if not (user and user.is_authenticated):
        return ("anonymous", passed)
    groups = tuple(sorted(user.groups.values_list("pk", flat=True)))
    return ("signed in", user.is_superuser, is_member(user), groups, passed)


def refused_restrictions(user, passed=()):
    """The view restrictions that keep `user` out: Wagtail's `accept_request` written in SQL
    (superusers pass group restrictions, as in Wagtail). A shared password counts only once
    the browser session has passed it (`passed`): feeds and e-mails have no session."""
    restriction = PageViewRestriction
    refused = Q(restriction_type=restriction.PASSWORD)
    if passed:
        refused &= ~Q(pk__in=list(passed))
    if not (user and user.is_authenticated):
        refused |= Q(restriction_type__in=[restriction.LOGIN, restriction.GROUPS])
    elif not user.is_superuser:
        in_group = restriction.groups.through.objects.filter(
            pageviewrestriction=OuterRef("pk"), group__in=user.groups.all()
        )
        refused |= Q(restriction_type=restriction.GROUPS) & ~Exists(in_group)
    return restriction.objects.filter(refused)


def allowed_pages(pages, user=None, request=None, *, ask_first=True):
    """`pages` without those Wagtail's page privacy keeps from `user` (None: anonymous): a
    password, login or group restriction on the page, an ancestor, or its French version (the
    source a translation shares its sessions and status with). A password counts only with the
    `request` whose session passed it: feeds, the API and e-mails never show such a page.

    One query, whatever the number of restrictions: a restriction covers a page when its
    page's tree path is a prefix of the page's path (a correlated subquery). When no
    restriction anywhere refuses this visitor (most sites, most of the time), `pages` come
    back as they are: a small query (once per request) spares building and running that
    subquery in every listing, which cost more. (`ask_first=False`: the caller knows a
    restriction is there, the question would be one query more.)"""
    passed = passed_passwords(request)
    refused = refused_restrictions(user, passed)
    if ask_first and not refuses_anything(refused, user, passed, request):
        return pages
    covering = refused.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    source = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    governing = (
        Page.objects.filter(translation_key=OuterRef("translation_key"))
        .filter(Q(pk=OuterRef("pk")) | Q(locale__language_code=source))
        .filter(Exists(covering))
    )
    return pages.exclude(Exists(governing))


def refuses_anything(refused, user, passed, request):
    """Whether any view restriction refuses this visitor, anywhere: asked once per request
    (and per visitor and passed passwords, which a request can change by signing in)."""
    if request is None:
        return refused.exists()
    identity = (getattr(user, "pk", None), getattr(user, "is_superuser", False), tuple(passed))
    memo = request.__dict__.setdefault("_refuses_anything", {})
    if identity not in memo:
        memo[identity] = refused.exists()
    return memo[identity]


def restrictions_over(page):
    """Every view restriction `allowed_pages` could hold against `page`, whomever it refuses:
    those on the page or an ancestor, or on its French version or an ancestor of that one (the
    pages `allowed_pages` calls governing). A queryset; finding those pages' paths is one query.

    A restriction covers a page when its page's tree path is a prefix of the page's path, as in
    `allowed_pages`: here the prefixes are listed in Python rather than compared in SQL."""
    source = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    governing = Page.objects.filter(translation_key=page.translation_key).filter(
        Q(pk=page.pk) | Q(locale__language_code=source)
    )
    paths = governing.values_list("path", flat=True)
    prefixes = {path[:end] for path in paths for end in range(1, len(path) + 1)}
    return PageViewRestriction.objects.filter(page__path__in=prefixes)


def page_allowed(page, user=None, request=None, pages=None):
    """Whether `page` is among `allowed_pages(pages, user, request)` (`pages`: all pages, or a
    queryset the page must also belong to): the same answer, usually for less.

    Most pages have no view restriction over them (`restrictions_over`): page privacy keeps
    them for everyone, whoever asks, and a query without `allowed_pages`' correlated
    subqueries answers (Django takes a millisecond or two of CPU to build those, and every
    enrolment e-mail checks its link). That query also says whether any restriction does sit
    over the page; only then is `allowed_pages` asked, which decides who it refuses. Two
    queries, three when a restriction sits over the page."""
    pages = (Page.objects.all() if pages is None else pages).filter(pk=page.pk)
    restricted = Exists(restrictions_over(page))
    found = list(pages.annotate(restricted=restricted).values_list("restricted", flat=True))
    if not found:
        return False  # not in `pages`: nor, then, in what `allowed_pages` keeps of them
    if not found[0]:
        return True
    return allowed_pages(pages, user, request, ask_first=False).exists()


class OneQueryViewRestrictions:
    """Wagtail reads a page's ancestors, then their privacy restrictions, on every page it
    serves: the ancestors' paths are prefixes of the page's own, so one query does both. The
    same restrictions as Wagtail's: those of the page and of each ancestor, an alias counting
    as the page it copies, followed to the end of a chain of aliases (a recursive query)."""

    def get_view_restrictions(self):
        steplen = self.steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        table = Page._meta.db_table
        placeholders = ", ".join(["%s"] * len(paths))
        # UNION, not UNION ALL: a loop of aliases ends when no new page is found.
        sources = RawSQL(
            f"""WITH RECURSIVE chain(id, alias_of_id) AS (
                    SELECT id, alias_of_id FROM {table} WHERE path IN ({placeholders})
                    UNION
                    SELECT page.id, page.alias_of_id FROM {table} page
                    INNER JOIN chain ON page.id = chain.alias_of_id
                )
                SELECT id FROM chain WHERE alias_of_id IS NULL""",
            paths,
        )
        return PageViewRestriction.objects.filter(page_id__in=sources)
