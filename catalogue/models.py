from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from members.access import is_member
from trainings.calendar import sessions_calendar

from .listing import CatalogueQuery, FilterForm

RESULTS_PER_PAGE = 20


class CatalogueIndexPage(RoutablePageMixin, Page):
    """The catalogue of trainings: search, filters and sort, all in the address (shareable)."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["trainings.TrainingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("training catalogue")
        verbose_name_plural = _("training catalogues")

    @path("")
    def index_route(self, request):
        form = FilterForm(request.GET or None)
        query = CatalogueQuery(self, form, member=is_member(request.user))
        paginator = Paginator(query.results(), RESULTS_PER_PAGE, allow_empty_first_page=True)
        page_obj = paginator.get_page(request.GET.get("page"))
        cards = query.cards(page_obj.object_list)
        return self.render(
            request,
            context_overrides={
                "form": form,
                "ignored": query.ignored,
                "page_obj": page_obj,
                "paginator": paginator,
                "cards": cards,
                "result_count": paginator.count,
                "active_filters": query.active_filters,
                "querystring_without_page": query.querystring_without_page(request.GET),
            },
        )

    @path("calendrier.ics", name="calendar")
    def calendar_route(self, request):
        from trainings.models import TrainingSession, Visibility

        sessions = TrainingSession.objects.upcoming().filter(
            page__in=self.get_children().live().type(self._training_model()).values("pk"),
            page__trainingpage__visibility=Visibility.PUBLIC,
        )
        body = sessions_calendar(sessions, request, name=self.title)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="formations-cqctp.ics"'
        return response

    @staticmethod
    def _training_model():
        from trainings.models import TrainingPage

        return TrainingPage
