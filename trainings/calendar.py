"""iCalendar (.ics) files of sessions, built with the icalendar library."""

from functools import lru_cache
from zoneinfo import ZoneInfo

from cqctp.links import page_url
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vText, vUri

from .models import SessionFormat
from .translations import content_language, sessions_in_language

MONTREAL = ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=8)
def time_zone_component(tzid):
    """The VTIMEZONE of `tzid`, built once per process: icalendar computes it from the zone's
    transitions from 1970 to 2038 (milliseconds each time; every confirmation e-mail carries a
    calendar). The same component serves every calendar: it is only ever read (to_ical)."""
    return Timezone.from_tzid(tzid)


def add_time_zones(calendar):
    """`calendar.add_missing_timezones()`, from the components built once: the VTIMEZONE of
    each zone its events use, before the events; unknown zones are left out, as there."""
    existing = len(calendar.timezones)
    for tzid in sorted(calendar.get_missing_tzids()):
        try:
            component = time_zone_component(tzid)
        except ValueError:
            continue
        calendar.subcomponents.insert(existing, component)
        existing += 1


def session_event(session, request=None, online_link=False):
    """One session as a VEVENT. `online_link`: the calendar belongs to a person who holds a
    confirmed seat, who alone may see the meeting link of an online or hybrid session."""
    page = session.page
    language = {"LANGUAGE": content_language(page.locale.language_code)}
    event = Event()
    event.add("uid", f"session-{session.pk}@formations.cqctp.org")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.start.astimezone(MONTREAL))
    event.add("dtend", session.end.astimezone(MONTREAL))
    event.add("summary", page.title, parameters=language)
    description = f"{page.summary}\n\n{page.provider.name}"
    remote = session.format != SessionFormat.IN_PERSON
    meeting = session.online_url if online_link and remote else ""
    if meeting:
        description += f"\n\n{_('Online link (for you only):')} {meeting}"
    event.add("description", description, parameters=language)
    url = page_url(page)
    if url:
        event.add("url", url)
    if session.format == SessionFormat.ONLINE:
        event.add("location", vText(meeting or str(SessionFormat.ONLINE.label)))
    else:
        place = ", ".join(p for p in (session.venue, session.address, session.city) if p)
        event.add("location", place or session.get_region_display())
    if meeting:  # RFC 7986: calendar programs offer a "join" button
        event.add("conference", vUri(meeting), parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def sessions_calendar(
    sessions, request=None, name="Formations CQCTP", language=None, online_links=False
):
    """The sessions as one calendar; `sessions` is a queryset or a list of sessions.

    `language`: name and link each training in that language (its translation, when live);
    without it, each session's page as it is. `online_links`: the calendar is the private one of
    a person with a confirmed seat in each session (see session_event)."""
    calendar = Calendar()
    calendar.add("prodid", "-//CQCTP//Formations//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if hasattr(sessions, "select_related"):
        sessions = sessions.select_related("page", "page__provider", "page__locale").order_by(
            "start"
        )
    if language:
        sessions = sessions_in_language(sessions, language)
    for session in sessions:
        calendar.add_component(session_event(session, request, online_links))
    add_time_zones(calendar)
    if not calendar.timezones:
        # RFC 5545 wants at least one component: a calendar with no session still describes
        # its time zone, so that it stays valid (and subscribed programs keep it).
        calendar.add_component(time_zone_component(settings.TIME_ZONE))
    return calendar.to_ical()
