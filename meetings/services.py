"""Members' answers to meetings: written here only (the page's form, the tests and any
command share it), one row per member and meeting."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from wagtail.coreutils import get_supported_content_language_variant

from .models import Answer, MeetingPage, MeetingResponse


class MeetingOver(Exception):
    """Answers close when the meeting ends."""


def source_of(meeting):
    """The French page of `meeting` (the one its answers are kept on), or the page itself
    when it has no French version."""
    source = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    found = (
        MeetingPage.objects.filter(
            translation_key=meeting.translation_key, locale__language_code=source
        )
        .only("pk")
        .first()
    )
    return found or meeting


def respond(user, meeting, answer):
    """Record `user`'s answer to `meeting` (any of its language versions), replacing the one
    they gave before. Two clicks at once leave one row: the second insert meets the unique
    constraint and becomes an update."""
    if answer not in Answer.values:
        raise ValueError(f"Unknown answer: {answer!r}")
    if meeting.has_ended:
        raise MeetingOver
    source = source_of(meeting)
    try:
        with transaction.atomic():
            response, _ = MeetingResponse.objects.update_or_create(
                meeting_id=source.pk, user=user, defaults={"answer": answer}
            )
    except IntegrityError:
        with transaction.atomic():
            response = MeetingResponse.objects.select_for_update().get(
                meeting_id=source.pk, user=user
            )
            response.answer = answer
            response.save(update_fields=["answer", "updated"])
    return response


def answers_of(user, meetings):
    """{translation_key: answer} of `user` for `meetings`: one query."""
    if not (user and user.is_authenticated) or not meetings:
        return {}
    keys = {meeting.translation_key for meeting in meetings}
    rows = MeetingResponse.objects.filter(user=user, meeting__translation_key__in=keys).values_list(
        "meeting__translation_key", "answer"
    )
    return dict(rows)


def attendance_count(meeting):
    """How many members answered each way: {"in_person": n, "online": n, "absent": n} (names a
    template can read)."""
    rows = (
        MeetingResponse.objects.filter(meeting__translation_key=meeting.translation_key)
        .values_list("answer")
        .annotate(count=Count("pk"))
    )
    counts = dict.fromkeys(Answer.values, 0) | dict(rows)
    return {answer.replace("-", "_"): count for answer, count in counts.items()}
