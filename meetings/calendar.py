"""A meeting as an iCalendar file, for the member who asks (members only: it holds the link)."""

import re
from html import unescape

from cqctp.links import page_url
from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText, vUri

from trainings.calendar import MONTREAL, add_time_zones
from trainings.translations import content_language

BLOCK_ENDS = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|ol|ul)>", re.IGNORECASE)


def agenda_text(html):
    """The agenda as lines of text: one per paragraph or item ("- " before an item)."""
    html = re.sub(r"<li[^>]*>", "- ", html, flags=re.IGNORECASE)
    text = unescape(strip_tags(BLOCK_ENDS.sub("\n", html)))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def meeting_calendar(meeting):
    calendar = Calendar()
    calendar.add("prodid", "-//CQCTP//Rencontres//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    language = {"LANGUAGE": content_language(meeting.locale.language_code)}
    event = Event()
    # One event for both language versions: a calendar that has one replaces it.
    event.add("uid", f"meeting-{meeting.translation_key}@formations.cqctp.org")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start.astimezone(MONTREAL))
    event.add("dtend", meeting.end.astimezone(MONTREAL))
    event.add("summary", meeting.title, parameters=language)
    description = agenda_text(meeting.agenda)
    if meeting.online_link:
        description += f"\n\n{_('Online link:')} {meeting.online_link}"
    event.add("description", description.strip(), parameters=language)
    event.add("location", vText(meeting.place or _("Online")))
    if meeting.online_link:
        event.add(
            "conference",
            vUri(meeting.online_link),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO"},
        )
    url = page_url(meeting)
    if url:
        event.add("url", url)
    calendar.add_component(event)
    add_time_zones(calendar)
    return calendar.to_ical()
