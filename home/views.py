"""The site search page (/recherche/, /en/recherche/)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .search import MAX_QUERY_LENGTH, SiteSearch, clean_query


@require_safe
def site_search(request):
    """Campaigns, trainings, pages and member organisations matching `q`, as the visitor may
    see them, in the visitor's language. Never a 500: bad input gives a message."""
    query, shortened = clean_query(request.GET.get("q", ""))
    search = SiteSearch(request, query).run()
    context = {
        "query": query,
        "shortened": shortened,
        "max_length": MAX_QUERY_LENGTH,
        "search": search,
    }
    return render(request, "home/search_results.html", context)
