"""Who counts as a member. Accounts and roles arrive with the enrolment issue; until then any
active signed-in account of the site is a member's account."""


def is_member(user):
    return bool(user and user.is_authenticated and user.is_active)
