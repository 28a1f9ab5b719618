from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign in with the e-mail address (any case) and the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        users = User.objects.filter(email__iexact=username.strip(), is_active=True)
        for user in users[:2]:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        # Same work whether or not the address exists: no timing hint.
        User().set_password(password)
        return None


def lockout_username(request, credentials):
    """The address django-axes counts failures for: trimmed and lower-cased."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return (value or "").strip().lower()
