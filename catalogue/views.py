from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from wagtail.models import Locale

from trainings.models import TrainingPage, TrainingSession
from trainings.views import calendar_response

# Building a calendar of thousands of sessions takes a second: calendar programs poll feeds,
# so a copy a few minutes old (shared through Redis in production) is served meanwhile.
FEED_CACHE_SECONDS = 60 * 10


@cache_page(FEED_CACHE_SECONDS)
def catalogue_calendar(request):
    """Every upcoming session of the public trainings in the visitor's language. The feed is
    cached and shared: it is the anonymous public's view (`listed()` without a user)."""
    public = TrainingPage.objects.listed().filter(locale=Locale.get_active())
    sessions = list(
        TrainingSession.objects.in_feeds()
        .filter(page__translation_key__in=public.values("translation_key"))
        .select_related("page")
        .order_by("start")
    )
    # Show each session under the training's page in the visitor's language.
    keys = {session.page.translation_key for session in sessions}
    pages = {
        page.translation_key: page
        for page in public.filter(translation_key__in=keys).select_related("provider", "locale")
    }
    for session in sessions:
        session.page = pages[session.page.translation_key]
    return calendar_response(sessions, request, _("CQCTP trainings"), "formations-cqctp.ics")
