from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from members.access import is_member

from .calendar import sessions_calendar
from .models import TrainingPage


def calendar_response(sessions, request, name, filename):
    response = HttpResponse(
        sessions_calendar(sessions, request, name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def training_calendar(request, pk):
    """The upcoming sessions of one training, for a calendar program."""
    page = get_object_or_404(TrainingPage.objects.live().select_related("provider"), pk=pk)
    if page.is_members_only and not is_member(request.user):
        raise Http404
    return calendar_response(page.feed_sessions(), request, page.title, f"{page.slug}.ics")
