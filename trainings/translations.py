"""A training in the reader's language: its live translation when there is one, the page itself
otherwise. Sessions hang on one language version of a training (see TrainingSession.of_training),
so anything that names a training from a session looks its translation up here, in bulk."""

import copy

from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale


def content_language(language=None):
    """The Wagtail content language for `language` (the active one by default): "en", "fr-ca"."""
    try:
        return get_supported_content_language_variant(language or translation.get_language())
    except LookupError:
        return get_supported_content_language_variant(None)


def in_language(pages, language=None):
    """{translation_key: page} where each page of `pages` is replaced by its live translation in
    `language` (the active one by default) when it has one. One query for any number of pages
    (two when some have no translation). Each page returned gets `other_language`: its language
    code when it is not `language` (for a `lang` attribute), "" otherwise."""
    from .models import TrainingPage

    pages = list(pages)
    if not pages:
        return {}
    language = content_language(language)
    keys = {page.translation_key for page in pages}
    found = {
        page.translation_key: page
        for page in TrainingPage.objects.live()
        .filter(locale__language_code=language, translation_key__in=keys)
        .select_related("provider", "locale")
    }
    fallbacks = {page.translation_key: page for page in pages if page.translation_key not in found}
    if fallbacks:
        locales = Locale.objects.in_bulk()
        for page in fallbacks.values():
            page.locale = locales[page.locale_id]  # no query per page for its language
            page.other_language = page.locale.language_code
    for page in found.values():
        page.other_language = ""
    return {**fallbacks, **found}


def sessions_in_language(sessions, language=None):
    """Copies of `sessions` whose `page` is the training in `language` (the callers' objects are
    left as they are)."""
    sessions = list(sessions)
    pages = in_language((session.page for session in sessions), language)
    localized = []
    for session in sessions:
        session = copy.copy(session)
        session.page = pages[session.page.translation_key]
        localized.append(session)
    return localized
