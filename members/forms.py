from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .models import Membership, Organisation, Role, SignUpRequest


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in by e-mail; the error never says whether the address has an account. No
    autofocus: it would skip the skip link and the quick exit."""

    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("This e-mail and password do not match. Please try again."),
        "inactive": _("This e-mail and password do not match. Please try again."),
    }


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form, matching the address without regard to case."""

    def get_users(self, email):
        User = get_user_model()
        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if user.has_usable_password() or not user.last_login
        )


class SignUpRequestForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Member organisation"),
        queryset=Organisation.objects.filter(active=True),
        empty_label=_("Choose your organisation"),
    )

    class Meta:
        model = SignUpRequest
        fields = ["first_name", "last_name", "email", "organisation", "role"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "email": _("Your work address: the committee uses it to check your membership."),
            "role": _("Coordinators enrol their colleagues and invite them to the site."),
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Your colleague's e-mail"))


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LanguagePreferenceForm(forms.ModelForm):
    """The language of one's e-mails and private calendar, changed by the member themselves."""

    class Meta:
        model = Membership
        fields = ["language"]
        labels = {"language": _("Language of my e-mails and calendar")}
        widgets = {"language": forms.RadioSelect}


ROLE_CHOICES = Role.choices


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's sign-in form gives its password field no label, so Django shows the field's
    name, in English, on the French screen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
