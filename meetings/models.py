"""Member meetings: the coalition's members meet four times a year. Each meeting is a page
(date, place or online link, agenda, then the minutes), for members only; members say whether
they come and take the meeting into their calendar.

Why not the enrolment service: a meeting has no seats, no waiting list and no cancellation
rules; a member's answer is one row per person and meeting, changed at will. It follows the
same habits: the answer is written by one service function (`meetings.services.respond`),
one row whatever the number of clicks (a unique constraint), and the answers of a meeting's
French and English pages are one list (kept on the French page, as sessions are)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from members.access import OneQueryViewRestrictions, allowed_pages, is_member

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class Answer(models.TextChoices):
    IN_PERSON = "in-person", _("I will attend in person")
    ONLINE = "online", _("I will attend online")
    ABSENT = "absent", _("I will not attend")


class MeetingQuerySet(PageQuerySet):
    def visible_to(self, user, request=None):
        """THE definition of the meetings `user` may see (None: anonymous): members only,
        live, and within what Wagtail's page privacy lets them see."""
        if not is_member(user):
            return self.none()
        return allowed_pages(self.live(), user, request)


MeetingManager = PageManager.from_queryset(MeetingQuerySet)


class MeetingIndexPage(OneQueryViewRestrictions, Page):
    """The list of member meetings: the coming ones, then the past ones with their minutes."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["meetings.MeetingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("meeting index")
        verbose_name_plural = _("meeting indexes")

    def get_sitemap_urls(self, request=None):
        return []  # members only

    def get_context(self, request, *args, **kwargs):
        from members.models import sign_in_url

        from .services import answers_of

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        meetings = list(
            MeetingPage.objects.visible_to(request.user, request).child_of(self).order_by("start")
        )
        answers = answers_of(request.user, meetings)
        labels = dict(Answer.choices)
        for meeting in meetings:
            meeting.my_answer = labels.get(answers.get(meeting.translation_key))
        context.update(
            upcoming=[meeting for meeting in meetings if meeting.end >= now],
            past=[meeting for meeting in reversed(meetings) if meeting.end < now],
            is_member=is_member(request.user),
            sign_in_url=sign_in_url(request),
        )
        return context


class MeetingPage(RoutablePageMixin, OneQueryViewRestrictions, Page):
    """One meeting of the members. Members only: someone not signed in is sent to sign in,
    someone signed in who is not a member gets a 404."""

    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("Room and address. Leave empty for a meeting held online only."),
    )
    online_link = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("The video-conference address: shown to signed-in members only."),
    )
    agenda = RichTextField(_("agenda"), features=TEXT_FEATURES, blank=True)
    minutes = RichTextField(
        _("minutes"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("After the meeting: what was said and decided. Members only."),
    )
    minutes_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("minutes (file)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The signed minutes, from the members' private collection."),
    )

    objects = MeetingManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("place"),
                FieldPanel("online_link"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("agenda"),
        MultiFieldPanel(
            [FieldPanel("minutes"), FieldPanel("minutes_document")], heading=_("Minutes")
        ),
    ]
    parent_page_types = ["meetings.MeetingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("member meeting")
        verbose_name_plural = _("member meetings")

    def clean(self):
        super().clean()
        from members.documents import in_public_collection

        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must come after the start.")})
        if not self.place and not self.online_link:
            raise ValidationError({"place": _("Give a place, an online link, or both.")})
        if self.minutes_document_id and in_public_collection(self.minutes_document):
            raise ValidationError(
                {
                    "minutes_document": _(
                        "This file is in a collection anyone can download from: move it to "
                        "the members' collection."
                    )
                }
            )

    def get_sitemap_urls(self, request=None):
        return []  # members only

    @property
    def has_ended(self):
        return self.end < timezone.now()

    def refuse(self, request):
        """None when `request`'s visitor may see this meeting; else the answer to give."""
        from django.contrib.auth.views import redirect_to_login

        user = request.user
        if not (user and user.is_authenticated):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not MeetingPage.objects.visible_to(user, request).filter(pk=self.pk).exists():
            raise Http404
        return None

    @path("")
    def meeting(self, request):
        refused = self.refuse(request)
        if refused is not None:
            return refused
        from .forms import AnswerForm
        from .services import answers_of, attendance_count

        answer = answers_of(request.user, [self]).get(self.translation_key)
        return self.render(
            request,
            context_overrides={
                "form": AnswerForm(initial={"answer": answer}),
                "my_answer": dict(Answer.choices).get(answer),
                "counts": attendance_count(self),
            },
        )

    @path("reponse/")
    def answer(self, request):
        """The member's answer (POST only): one row per member and meeting, changed at will."""
        refused = self.refuse(request)
        if refused is not None:
            return refused
        from django.contrib import messages
        from django.http import HttpResponseNotAllowed

        from .forms import AnswerForm
        from .services import MeetingOver, attendance_count, respond

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                respond(request.user, self, form.cleaned_data["answer"])
            except MeetingOver:  # sent just as the meeting ended: the page says it is over
                messages.error(request, _("This meeting is over: answers are closed."))
                return HttpResponseRedirect(self.get_url(request))
            messages.success(request, _("Your answer is saved."))
            return HttpResponseRedirect(self.get_url(request) + "#answer")
        response = self.render(
            request,
            context_overrides={"form": form, "my_answer": None, "counts": attendance_count(self)},
        )
        response.status_code = 400
        return response

    @path("calendrier/")
    def calendar(self, request):
        refused = self.refuse(request)
        if refused is not None:
            return refused
        from django.http import HttpResponse

        from .calendar import meeting_calendar

        response = HttpResponse(meeting_calendar(self), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.ics"'
        response["Cache-Control"] = "private, no-store"
        return response


class MeetingResponse(models.Model):
    """A member's answer to a meeting, kept on the meeting's French page (both languages'
    pages share it)."""

    meeting = models.ForeignKey(
        MeetingPage,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="meeting_responses",
    )
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices)
    updated = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("meeting answer")
        verbose_name_plural = _("meeting answers")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_answer_per_member")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_answer_display()}"
