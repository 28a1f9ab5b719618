from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailBackend(ModelBackend):
    """Sign in with the e-mail address (any case) or, for the admin's staff, the username.

    Exactly one password is hashed per try, whether the account exists, is deactivated, has
    no password yet or does not exist: the answer's timing tells nothing. It is the only
    password backend (Django's ModelBackend after it would hash again for unknown names).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = find_account(username.strip())
        if user is None or not user.has_usable_password():
            get_user_model()().set_password(password)  # the same work as a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def find_account(identifier):
    """The active account for an address (any case) or an exact username; when two match
    (a staff username that is someone's address), the one whose username it is."""
    User = get_user_model()
    candidates = list(
        User.objects.filter(
            Q(email__iexact=identifier) | Q(username=identifier), is_active=True
        ).order_by("pk")[:2]
    )
    for user in candidates:
        if user.username.lower() == identifier.lower():
            return user
    return candidates[0] if candidates else None


def lockout_username(request, credentials):
    """The address django-axes counts failures for: trimmed and lower-cased."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return (value or "").strip().lower()
