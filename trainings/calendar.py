"""iCalendar (.ics) files of sessions, built with the icalendar library."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import SessionFormat

MONTREAL = ZoneInfo(settings.TIME_ZONE)


def session_event(session, request=None):
    page = session.page
    event = Event()
    event.add("uid", f"session-{session.pk}@formations.cqctp.org")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.start.astimezone(MONTREAL))
    event.add("dtend", session.end.astimezone(MONTREAL))
    event.add("summary", page.title)
    event.add("description", f"{page.summary}\n\n{page.provider.name}")
    url = page.get_full_url(request)
    if url:
        event.add("url", url)
    if session.format == SessionFormat.ONLINE:
        event.add("location", vText(str(SessionFormat.ONLINE.label)))
    else:
        place = ", ".join(p for p in (session.venue, session.address, session.city) if p)
        event.add("location", place or session.get_region_display())
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def sessions_calendar(sessions, request=None, name="Formations CQCTP"):
    """The sessions as one calendar; `sessions` is a queryset or a list of sessions."""
    calendar = Calendar()
    calendar.add("prodid", "-//CQCTP//Formations//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if hasattr(sessions, "select_related"):
        sessions = sessions.select_related("page", "page__provider", "page__locale").order_by(
            "start"
        )
    for session in sessions:
        calendar.add_component(session_event(session, request))
    calendar.add_missing_timezones()
    return calendar.to_ical()
