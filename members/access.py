"""Who counts as a member: a person whose account belongs to a member organisation.
Committee staff (Wagtail editors) see members-only content too."""


def membership_of(user):
    if not (user and user.is_authenticated and user.is_active):
        return None
    return getattr(user, "membership", None)


def is_member(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or membership_of(user) is not None
