from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The consent exactly as the box shows it; services.subscribe stores it as shown, in the
# language of the page. Law 25: what is collected, why, and how to withdraw, in plain words.
CONSENT_TEXT = _(
    "I agree that the Québec Coalition Against Human Trafficking keeps my e-mail address and "
    "the language I chose, only to send me its newsletter. I can unsubscribe at any time with "
    "the link in every message."
)


class SubscribeForm(forms.Form):
    """The newsletter's sign-up: an address, the language of the messages (the page's by
    default) and the consent box, never ticked in advance."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, for example nom@exemple.org."),
            "max_length": _("An e-mail address has at most 254 characters."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the messages"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the language of the messages."),
            "invalid_choice": _("Choose French or English for the messages."),
        },
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("To subscribe, tick the box to give your consent. Nothing was recorded.")
        },
    )

    def __init__(self, *args, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = {code for code, _name in settings.LANGUAGES}
        self.fields["language"].initial = language if language in codes else None
        if self.fields["language"].initial is None:
            self.fields["language"].initial = settings.LANGUAGE_CODE
