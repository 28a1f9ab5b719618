"""Days as a person in Montréal counts them.

"The day before a session at 9:00" is 9:00 the day before, and "in 3 days" is a date on the
calendar, even when a daylight-saving change makes a day 23 or 25 hours long. So offsets in
days are taken on the local wall clock (settings.TIME_ZONE), never as multiples of 24 hours.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def at_local(day, time):
    """The moment `day` at wall-clock `time` in Montréal, in UTC.

    A time skipped by the spring change (2:30 on that Sunday) is read with the winter offset,
    so it lands an hour later (3:30); a time that occurs twice in the autumn is the first."""
    local = datetime.datetime.combine(day, time, tzinfo=local_zone())
    return local.astimezone(datetime.UTC)


def days_later(moment, days):
    """`moment` moved by `days` calendar days (negative: earlier), same Montréal wall-clock time."""
    local = timezone.localtime(moment, local_zone())
    day = local.date() + datetime.timedelta(days=days)
    return at_local(day, local.time().replace(tzinfo=None))


def end_of_local_day(moment, days=0):
    """The first moment of the Montréal day after the day `days` after `moment`'s day: sessions
    starting before it start on that day or earlier."""
    local = timezone.localtime(moment, local_zone())
    return at_local(local.date() + datetime.timedelta(days=days + 1), datetime.time.min)
