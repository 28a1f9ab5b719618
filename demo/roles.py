"""One demo account per role of the admin (committee/roles.py), to try what each one sees.

Idempotent: accounts are found by e-mail and only what is missing is added (group, membership);
a password is set only when the account is created, and only with DEBUG (development): in any
other setting the accounts cannot sign in. The catalogue and directory pages, created by
load_demo after the migrations, get the roles' page permissions and the approval workflow
(committee/signals.py does it on creation; this covers pages made before the roles existed).
"""

from cqctp.links import absolute_url
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse

from catalogue.models import CatalogueIndexPage, OrganisationDirectoryPage
from committee import roles
from members.models import Membership, Organisation

from .trainings import DEMO_ORGANISATION, DEMO_PASSWORD

# The "Rédaction" account writes for the demo organisation, which gives several trainings.
ACCOUNTS = [
    {
        "email": "comite.formation@demo.cqctp.org",
        "first_name": "Claude",
        "last_name": "Comité formation",
        "role": roles.TRAINING_COMMITTEE,
        "staff": True,
        "organisation": None,
    },
    {
        "email": "comite.sensibilisation@demo.cqctp.org",
        "first_name": "Maxime",
        "last_name": "Comité sensibilisation",
        "role": roles.AWARENESS_COMMITTEE,
        "staff": True,
        "organisation": None,
    },
    {
        "email": "redaction@demo.cqctp.org",
        "first_name": "Sacha",
        "last_name": "Rédaction",
        "role": roles.ORGANISATION_EDITORS,
        "staff": False,
        "organisation": DEMO_ORGANISATION,
    },
]


@transaction.atomic
def load(stdout=None):
    """Create what is missing; return [(e-mail, password, role label, where to sign in)] for
    load_demo: the admin, which signs in by e-mail (members.backends)."""
    for page in CatalogueIndexPage.objects.all():
        roles.set_up_page(page)
    for page in OrganisationDirectoryPage.objects.all():
        roles.set_up_page(page)

    User = get_user_model()
    created = 0
    for data in ACCOUNTS:
        user = User.objects.filter(username=data["email"]).first()
        if user is None:
            user = User(
                username=data["email"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                # Coalition staff see members-only trainings (members.access.is_member).
                is_staff=data["staff"],
            )
            if settings.DEBUG:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
            created += 1
        group = Group.objects.filter(name=data["role"]).first()
        if group is not None:
            user.groups.add(group)
        if data["organisation"]:
            Membership.objects.get_or_create(
                user=user,
                defaults={"organisation": Organisation.objects.get(name=data["organisation"])},
            )
    if stdout is not None:
        stdout.write(f"Roles: {created} demo account(s) created.")
    cms = absolute_url(reverse("wagtailadmin_home"))
    return [(data["email"], DEMO_PASSWORD, f"« {data['role']} »", cms) for data in ACCOUNTS]
