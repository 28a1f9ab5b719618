from django.utils.translation import gettext as _
from wagtail.models import Locale

from trainings.models import TrainingPage, TrainingSession, Visibility
from trainings.views import calendar_response


def catalogue_calendar(request):
    """Every upcoming session of the public trainings in the visitor's language."""
    public = TrainingPage.objects.live().filter(
        visibility=Visibility.PUBLIC, provider__active=True, locale=Locale.get_active()
    )
    sessions = TrainingSession.objects.in_feeds().filter(page__in=public.values("pk"))
    return calendar_response(sessions, request, _("CQCTP trainings"), "formations-cqctp.ics")
