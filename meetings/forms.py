from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Answer

CHOOSE = _("Choose an answer.")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
