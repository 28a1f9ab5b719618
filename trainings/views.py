from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .calendar import sessions_calendar
from .models import TrainingPage


def calendar_response(sessions, request, name, filename, **options):
    """`options`: those of sessions_calendar (language, online_links)."""
    response = HttpResponse(
        sessions_calendar(sessions, request, name=name, **options),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def training_calendar(request, pk):
    """The upcoming sessions of one training, for a calendar program: only if `listed()` for
    this person (calendar programs have no session, so a shared password never opens it)."""
    trainings = TrainingPage.objects.listed(request.user).select_related("provider")
    page = get_object_or_404(trainings, pk=pk)
    return calendar_response(page.feed_sessions(), request, page.title, f"{page.slug}.ics")
