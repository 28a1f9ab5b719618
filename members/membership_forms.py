"""The forms of membership: the public application (members/membership_views.py) and the
note the committee may add to its decision (members/membership_admin.py)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MembershipApplication, Organisation, Region, Sector

PHONE_DIGITS = 7  # the fewest digits of a number one can call (local, without area code)


class MembershipApplicationForm(forms.ModelForm):
    """What the committee needs to decide, nothing more: the organisation (its public details),
    one contact person, why it wants to join, and its agreement with the criteria."""

    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    agrees = forms.BooleanField(
        label=_("Our organisation has read the membership criteria and agrees with them."),
        required=True,
        error_messages={
            "required": _("Tick this box to confirm that you agree with the membership criteria.")
        },
    )

    class Meta:
        model = MembershipApplication
        fields = [
            "organisation_name",
            "sector",
            "region",
            "website",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
            "motivation",
        ]
        labels = {
            "organisation_name": _("Name of the organisation"),
            "sector": _("Sector"),
            "region": _("Region of the main office"),
            "address": _("Mailing address"),
            # In the "Contact person" fieldset: its legend names whose these are.
            "contact_name": _("Name"),
            "contact_email": _("E-mail"),
            "contact_phone": _("Phone"),
            "motivation": _("Why does your organisation want to join?"),
        }
        help_texts = {
            "address": _(
                "Leave it empty if your address must stay confidential, as a shelter’s does."
            ),
            "contact_name": _("The person the committee writes to."),
            "contact_email": _(
                "A work address. If the application is accepted, this person receives the "
                "invitation to create the organisation’s coordinator account."
            ),
            "motivation": _(
                "In a few lines: how your organisation acts against human trafficking or helps "
                "the people it affects, and what it would bring to the coalition "
                "(2,000 characters at most)."
            ),
        }
        widgets = {
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "address": forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "motivation": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Choose a sector")), *Sector.choices]
        self.fields["region"].choices = [("", _("Choose a region")), *Region.choices]
        self.fields["region"].help_text = ""  # the label says it
        # Never echo what was sent: a hostile value has no place on the page.
        self.fields["sector"].error_messages["invalid_choice"] = _("Choose a sector in the list.")
        self.fields["region"].error_messages["invalid_choice"] = _("Choose a region in the list.")

    def clean_organisation_name(self):
        name = " ".join(self.cleaned_data["organisation_name"].split())
        if Organisation.objects.filter(name__iexact=name, active=True).exists():
            raise forms.ValidationError(
                _(
                    "“%(name)s” is already a member of the coalition: its staff can ask for an "
                    "account instead (“Ask for an account” in the members’ area)."
                ),
                params={"name": name},
            )
        return name

    def clean_contact_name(self):
        return " ".join(self.cleaned_data["contact_name"].split())

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and len(re.sub(r"\D", "", phone)) < PHONE_DIGITS:
            raise forms.ValidationError(
                _("Enter a phone number with its area code, e.g. 514 555-0123.")
            )
        return phone


class DecisionNoteForm(forms.Form):
    """The committee's own note on a decision; never sent to the applicant."""

    note = forms.CharField(
        label=_("Note for the committee (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the application, never sent to the applicant."),
    )
