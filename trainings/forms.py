from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class EnrolmentForm(forms.Form):
    """Only what the organisation needs to welcome the person, with the reason stated.

    Consent covers the optional answers, so it is asked only when an answer is given."""

    ANSWERS = ("accessibility_needs", "interpretation_language", "comment")
    answers_help = ""  # said to coordinators: whose answers these are

    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: step-free access, sign language, large print, breaks."),
    )
    interpretation_language = forms.CharField(
        label=_("Interpretation needed: which language?"),
        required=False,
        max_length=100,
        help_text=_("For example: LSQ, Spanish, Arabic."),
    )
    comment = forms.CharField(
        label=_("Comment for the organisers"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the committee and the organisation giving the training use these "
            "answers to welcome me, and keep them no longer than needed."
        ),
        required=False,
        help_text=_("Needed only if you answered one of the questions above."),
    )

    def __init__(self, *args, coordinator=None, session=None, coordinator_enrolled=False, **kwargs):
        super().__init__(*args, **kwargs)
        if coordinator is not None:
            colleagues = (
                get_user_model()
                .objects.filter(
                    membership__organisation=coordinator.membership.organisation,
                    is_active=True,
                )
                .exclude(pk=coordinator.pk)
                .order_by("last_name", "first_name", "email")
            )
            if session is not None:
                from .services import ACTIVE  # services imports the models, which import us

                # Colleagues already enrolled (or waiting) in this session are not offered.
                enrolled = session.enrolments.filter(status__in=ACTIVE).values("user_id")
                colleagues = colleagues.exclude(pk__in=enrolled)
            if not coordinator_enrolled:
                self.fields["include_me"] = forms.BooleanField(
                    label=_("Enrol me"), required=False, initial=True
                )
            self.fields["colleagues"] = forms.ModelMultipleChoiceField(
                label=_("Also enrol these colleagues"),
                queryset=colleagues,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Each person receives the confirmation e-mail themselves."),
            )
            # The answers below are the coordinator's own (services.enrol keeps none for a
            # colleague): say so, for the questions and for the consent.
            self.answers_help = _(
                "These questions concern you only, if you take part: nothing is passed on for "
                "the colleagues you enrol. Each of them can tell the organisation giving the "
                "training about their own needs."
            )
            self.fields["colleagues"].label_from_instance = lambda user: (
                f"{user.get_full_name() or user.email} ({user.email})"
            )

    def clean(self):
        data = super().clean()
        if (
            "colleagues" in self.fields
            and not data.get("include_me")
            and not data.get("colleagues")
        ):
            raise forms.ValidationError(_("Choose at least one person to enrol."))
        answered = any((data.get(name) or "").strip() for name in self.ANSWERS)
        if answered and "colleagues" in self.fields and not data.get("include_me"):
            # Only colleagues are enrolled: the coordinator's answers would be silently dropped.
            raise forms.ValidationError(
                _(
                    "The questions concern you only: leave them empty when you enrol only "
                    "colleagues."
                )
            )
        if answered and not data.get("consent"):
            self.add_error("consent", _("Please accept the use of your answers to enrol."))
        return data

    def people(self, user):
        if "colleagues" not in self.fields:
            return [user]
        chosen = list(self.cleaned_data.get("colleagues") or [])
        return ([user] if self.cleaned_data.get("include_me") else []) + chosen


class TrainingPageForm(WagtailAdminPageForm):
    """Sessions with enrolments are cancelled (status), never deleted: people must be told and
    the counts kept for reports. A person who writes for a member organisation (the role
    « Rédaction – organisme membre ») proposes trainings given by that organisation only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_provider()

    def limit_provider(self):
        """The provider's choices shrink to the writer's own organisation; any other value
        sent is refused with a message (trainings/permissions.py decides who is limited)."""
        from .permissions import organisation_limit

        page = self.instance if self.instance.pk else self.parent_page
        if self.for_user is None or page is None or "provider" not in self.fields:
            return
        organisation_id = organisation_limit(self.for_user, page)
        if organisation_id is None:
            return
        field = self.fields["provider"]
        field.empty_label = None
        field.widget = forms.Select()
        field.queryset = field.queryset.filter(pk=organisation_id)  # also the widget's choices
        field.error_messages["invalid_choice"] = _(
            "You can propose trainings for your own organisation only."
        )
        field.help_text = _("Trainings you propose are given by your organisation.")
        if not self.initial.get("provider"):
            self.initial["provider"] = organisation_id

    def clean(self):
        cleaned_data = super().clean()
        sessions = self.formsets.get("sessions")
        if sessions is not None:
            for form in sessions.deleted_forms:
                session = form.instance
                if session.pk and session.enrolments.exists():
                    form.add_error(
                        None,
                        _(
                            "This session has enrolments: set its status to “Cancelled” "
                            "instead of deleting it, so that people are told."
                        ),
                    )
                    self.add_error(
                        None, _("A session with enrolments cannot be deleted: cancel it.")
                    )
        return cleaned_data
