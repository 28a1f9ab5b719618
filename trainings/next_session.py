"""The next upcoming session of each training, kept on the page (`next_session_start`).

The catalogue sorts thousands of trainings by their next session and hides those without one:
a subquery over the sessions for every training cost more than the rest of the page. The
column holds the start of the earliest *scheduled* session that has not ended yet (the
catalogue's "upcoming": a session under way still counts), shared by every language version
of the training, since they share their sessions (`page__translation_key`).

Who keeps it current: the signals (trainings/signals.py) when a session is saved or deleted or
a training page saved (publish, copy, translation); the worker (`refresh_all`) as sessions end;
`generate_catalogue` after its bulk inserts. As time passes between two rounds of the worker,
the value can only lag on trainings whose session started: `has_upcoming_session` and
`next_session_start` read the column and look at the sessions only for those, so the
catalogue stays exact between two rounds.
"""

from django.db import connection
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from wagtail.models import Page

from .models import SessionStatus, TrainingPage, TrainingSession


def refresh(translation_keys, now=None):
    """Recompute the column for the trainings with these translation keys (a list, or a
    queryset of keys); returns how many pages changed."""
    if isinstance(translation_keys, list | tuple | set | frozenset) and not translation_keys:
        return 0
    keys = Page.objects.filter(translation_key__in=translation_keys).values("translation_key")
    keys_sql, keys_params = keys.query.sql_with_params()
    return _update(f"WHERE this_page.translation_key IN ({keys_sql})", keys_params, now)


def refresh_all(now=None):
    """Recompute the column for every training, in one UPDATE that writes only the rows whose
    value changed (the worker runs it every few minutes: most rounds write nothing)."""
    return _update("", [], now)


def first_upcoming_start(sessions, now):
    """The column's value for sessions in memory (what `refresh` computes in SQL): for bulk
    inserts, which send no signals."""
    starts = [s.start for s in sessions if s.status == SessionStatus.SCHEDULED and s.end >= now]
    return min(starts, default=None)


def upcoming_sessions(now):
    """The sessions the column is made of, for the training of the outer query."""
    return TrainingSession.objects.filter(
        status=SessionStatus.SCHEDULED,
        end__gte=now,
        page__translation_key=OuterRef("translation_key"),
    )


def started_but_upcoming(now):
    """Translation keys of the trainings whose recorded next session has started (under way,
    or ended since the last refresh) and which still have a session not over: found through
    the column's index among a handful of trainings, and computed once per query, not once
    per training."""
    started = TrainingPage.objects.filter(next_session_start__lte=now).values("translation_key")
    return TrainingSession.objects.filter(
        status=SessionStatus.SCHEDULED, end__gte=now, page__translation_key__in=started
    ).values("page__translation_key")


def has_upcoming_session(now):
    """Trainings with a scheduled session not over at `now`, read from the column: a next
    session starting after `now` is certainly still to come; only the trainings whose recorded
    session has started look at their sessions. (None recorded: none to come.)"""
    started = Q(next_session_start__lte=now, translation_key__in=started_but_upcoming(now))
    return Q(next_session_start__gt=now) | started


def lacks_upcoming_session(now):
    """The exact complement of `has_upcoming_session` (the trainings offered on request),
    written so that the index on the column finds them."""
    started = Q(next_session_start__lte=now) & ~Q(translation_key__in=started_but_upcoming(now))
    return Q(next_session_start__isnull=True) | started


def next_session_start(now):
    """The start of the next session at `now` (None without one), exact like
    `has_upcoming_session`: the column, or the sessions only where it has started."""
    first = upcoming_sessions(now).order_by("start").values("start")[:1]
    return Case(
        When(next_session_start__isnull=True, then=Value(None)),
        When(next_session_start__gt=now, then=F("next_session_start")),
        default=Subquery(first),
    )


def _update(where, where_params, now):
    """One UPDATE … FROM a grouped query (PostgreSQL, and SQLite since 3.33): the first
    session of every training in one pass over the sessions, not a subquery per page."""
    now = now or timezone.now()
    quote = connection.ops.quote_name
    training = quote(TrainingPage._meta.db_table)
    column = quote("next_session_start")
    # A null-safe "changed": PostgreSQL's IS DISTINCT FROM is SQLite's IS NOT.
    changed = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    fresh = (
        f"SELECT this_page.id AS page_id, MIN(s.{quote('start')}) AS first_start "
        f"FROM {quote(Page._meta.db_table)} this_page "
        f"INNER JOIN {training} t ON t.page_ptr_id = this_page.id "
        f"INNER JOIN {quote(Page._meta.db_table)} session_page "
        f"ON session_page.translation_key = this_page.translation_key "
        f"LEFT OUTER JOIN {quote(TrainingSession._meta.db_table)} s "
        f"ON s.page_id = session_page.id AND s.status = %s AND s.{quote('end')} >= %s "
        f"{where} GROUP BY this_page.id"
    )
    params = [SessionStatus.SCHEDULED.value, connection.ops.adapt_datetimefield_value(now)]
    sql = (
        f"UPDATE {training} SET {column} = fresh.first_start FROM ({fresh}) fresh "
        f"WHERE fresh.page_id = {training}.page_ptr_id "
        f"AND {training}.{column} {changed} fresh.first_start"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + list(where_params))
        return cursor.rowcount
