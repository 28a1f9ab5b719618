from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, AudienceViewSet)
    menu_icon = "tag"
    menu_label = _("Taxonomy")
    menu_name = "taxonomy"
    menu_order = 210


register_snippet(TaxonomyViewSetGroup)
