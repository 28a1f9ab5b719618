"""The meetings' part of a member's personal data (Law 25): their answers, in their data
export, and erased when they close their account. Registered with trainings.privacy from
MeetingsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from trainings.privacy import PersonalDataSection, iso, register_personal_data

from .models import MeetingResponse


def export(user):
    answers = MeetingResponse.objects.filter(user=user).select_related("meeting")
    return [
        {
            "meeting": answer.meeting.title,
            "starts_at": iso(answer.meeting.start),
            "answer": answer.answer,
            "answered_at": iso(answer.updated),
        }
        for answer in answers.order_by("meeting__start", "pk")
    ]


def erase(user):
    return MeetingResponse.objects.filter(user=user).delete()[0]


def register():
    register_personal_data(
        PersonalDataSection(
            name="meeting_answers",
            export=export,
            erase=erase,
            description=_("Your answers to the member meetings (whether you would attend)."),
        )
    )
