"""The committee's dashboard (issue 10, item 6): panels on the Wagtail admin home for upcoming
sessions and their fill rate, full sessions with a waiting list, seats offered and their
deadline, pages awaiting approval and sign-up requests; each for those whose permission opens
the screen it leads to, each with a constant number of queries."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from committee import dashboard
from members.models import RequestStatus, SignUpRequest
from tests import factories as f
from trainings.models import Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db

PANELS = {
    "upcoming": "committee-upcoming-sessions",
    "full": "committee-full-sessions",
    "offers": "committee-pending-offers",
    "pages": "committee-pages-awaiting-approval",
    "sign_ups": "committee-sign-up-requests",
}


def panels_of(html):
    """{short name: the panel's HTML} for the committee's panels on the page."""
    found = {}
    for short, panel_id in PANELS.items():
        match = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', html, re.S)
        if match:
            found[short] = match.group(0)
    return found


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def enrol(session, status, **fields):
    return Enrolment.objects.create(session=session, user=f.user(**fields), status=status)


def participants_url(session):
    try:
        return reverse(dashboard.PARTICIPANTS_URL_NAME, args=[session.pk])
    except NoReverseMatch:
        return reverse("wagtailadmin_pages:edit", args=[session.page_id])


@pytest.fixture
def catalogue(frozen_now):
    """Sessions around frozen now (Monday 15 June 2026, 10:00 in Montréal)."""
    soon, full, later, cancelled, past, offered = (
        f.session(10, capacity=4),
        f.session(20, capacity=2),
        f.session(90, capacity=1),
        f.session(5, capacity=3, status="cancelled"),
        f.session(-3, capacity=3),
        f.session(30, capacity=2, waiting_list_policy="offer"),
    )
    f.training(title="Reconnaître l’exploitation", sessions=[soon, full, past, cancelled])
    f.training(title="Accompagner les victimes", sessions=[later, offered])
    sessions = dict(
        soon=soon, full=full, later=later, cancelled=cancelled, past=past, offered=offered
    )
    for session in sessions.values():
        session.refresh_from_db()
    for _ in range(3):
        enrol(sessions["soon"], EnrolmentStatus.CONFIRMED)
    enrol(sessions["soon"], EnrolmentStatus.CANCELLED)
    for _ in range(2):
        enrol(sessions["full"], EnrolmentStatus.CONFIRMED)
    for _ in range(2):
        enrol(sessions["full"], EnrolmentStatus.WAITING)
    enrol(sessions["later"], EnrolmentStatus.CONFIRMED)
    enrol(sessions["later"], EnrolmentStatus.WAITING)
    enrol(sessions["offered"], EnrolmentStatus.CONFIRMED)
    nour = enrol(
        sessions["offered"], EnrolmentStatus.OFFERED, first_name="Nour", last_name="Haddad"
    )
    nour.offered_at = frozen_now - datetime.timedelta(hours=44)
    nour.offer_expires_at = frozen_now + datetime.timedelta(hours=4)
    nour.save()
    enrol(sessions["offered"], EnrolmentStatus.WAITING)
    late = enrol(sessions["full"], EnrolmentStatus.OFFERED, first_name="Léa", last_name="Roy")
    late.offer_expires_at = frozen_now - datetime.timedelta(hours=1)
    late.save()
    return sessions


def sign_up(email, status=RequestStatus.PENDING, **fields):
    return SignUpRequest.objects.create(
        first_name=fields.pop("first_name", "Émilie"),
        last_name="Gagnon",
        email=email,
        organisation=fields.pop("organisation", None) or f.organisation(),
        status=status,
        **fields,
    )


@pytest.fixture
def reviewers(db):
    """An approval workflow of our own on a training, reviewed by the group "Relecture"."""
    group = Group.objects.create(name="Relecture")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    task = GroupApprovalTask.objects.create(name="Relecture du comité")
    task.groups.add(group)
    workflow = Workflow.objects.create(name="Approbation de test")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return group, workflow


def submit(page, workflow, by):
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    page.save_revision(user=by)
    return workflow.start(page, by)


@pytest.fixture
def superuser(client):
    user = get_user_model().objects.create_superuser("comite", "comite@example.org", "pw")
    client.force_login(user)
    return user


def home(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


# -- What the panels say -------------------------------------------------------------------


def test_the_sessions_panel_says_the_fill_rate_in_words_and_as_a_bar(client, superuser, catalogue):
    panel = panels_of(home(client))["upcoming"]
    words = text(panel)
    assert "Séances dans les 60 prochains jours" in words
    assert "3 séances commencent d’ici 60 jours" in words
    assert "Reconnaître l’exploitation" in words and "Accompagner les victimes" in words
    # The rate counts the seats taken, offers included, as the sessions list does.
    assert "3 confirmées sur 4 places, 75 %" in words and "2 confirmées sur 2 places" in words
    assert "1 confirmées sur 2 places, 100 %" in words  # one confirmed, one offered
    soon = catalogue["soon"]
    label = f"committee-upcoming-sessions-fill-{soon.pk}"
    assert re.search(rf'<meter[^>]* max="4" value="3" aria-labelledby="{label}"', panel)
    assert f'id="{label}"' in panel
    assert f'href="{participants_url(soon)}"' in panel
    assert "1 place offerte, en attente d’une réponse" in words  # the offered seat of "full"
    # Not in the next 60 days, cancelled or past: not here.
    for name in ("later", "cancelled", "past"):
        assert participants_url(catalogue[name]) not in panel, name


def test_full_sessions_with_a_waiting_list(client, superuser, catalogue):
    panel = panels_of(home(client))["full"]
    assert participants_url(catalogue["full"]) in panel
    assert participants_url(catalogue["later"]) in panel  # full, beyond 60 days
    assert participants_url(catalogue["offered"]) in panel  # the seat offered is held
    assert participants_url(catalogue["soon"]) not in panel  # a seat left, nobody waiting


def test_offers_show_their_deadline_plainly(client, superuser, catalogue):
    words = text(panels_of(home(client))["offers"])
    assert "Nour Haddad" in words
    assert "lundi 15 juin 2026, 14 h 00" in words
    assert re.search(r"dans 3 heures, 5\d minutes", words)  # the clock ticks
    assert "Léa Roy" in words
    assert "Échéance passée : la place revient à la personne suivante" in words
    assert words.index("Léa Roy") < words.index("Nour Haddad")  # the nearest deadline first


def test_sign_up_requests_awaiting_a_decision(client, superuser):
    organisation = f.organisation("Maison Le Phare")
    waiting = sign_up("alex@example.org", first_name="Alex", organisation=organisation)
    sign_up("ALEX@example.org", first_name="Alexandra", organisation=organisation)
    sign_up("vieux@example.org", RequestStatus.APPROVED, first_name="Ancien")
    panel = panels_of(home(client))["sign_ups"]
    words = text(panel)
    assert "Alex Gagnon" in words and "Alexandra Gagnon" in words and "Ancien" not in words
    assert "Même adresse qu’une autre demande" in words
    assert reverse("sign_up_requests:inspect", args=[waiting.pk]) in panel
    assert reverse("sign_up_requests:index") in panel


def test_pages_awaiting_approval_are_the_reviewers_queue(client, reviewers, frozen_now):
    group, workflow = reviewers
    provider = f.organisation("Le Phare des AffranchiEs")
    page = f.training(title="Intervenir auprès des jeunes", provider=provider)
    other = f.training(title="Une autre formation")
    editor = f.user("redaction@example.org", first_name="Rita", last_name="Dion", is_staff=True)
    submit(page, workflow, editor)
    submit(other, workflow, editor)
    reviewer = f.user("relecture@example.org", is_staff=True)
    reviewer.groups.add(group)
    client.force_login(reviewer)

    panel = panels_of(home(client))["pages"]
    words = text(panel)
    assert "2 pages attendent votre relecture" in words
    assert "Intervenir auprès des jeunes" in words and "Le Phare des AffranchiEs" in words
    assert "Relecture du comité" in words and "Rita Dion" in words
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in panel
    assert words.index("Intervenir") < words.index("Une autre formation")  # the oldest first

    # Sent back to the editor with changes asked for: off the queue.
    page.current_workflow_task_state.reject(user=reviewer)
    assert "Intervenir auprès des jeunes" not in text(panels_of(home(client))["pages"])


def test_empty_panels_say_so(client, superuser, frozen_now):
    panels = panels_of(home(client))
    assert set(panels) == set(PANELS)
    assert "Aucune séance dans les 60 prochains jours." in text(panels["upcoming"])
    assert "Aucune demande d’inscription n’attend de décision." in text(panels["sign_ups"])
    assert "Aucune page n’attend votre relecture." in text(panels["pages"])


def test_without_the_participants_screen_a_session_leads_to_its_training(
    client, superuser, catalogue, monkeypatch
):
    monkeypatch.setattr(dashboard, "PARTICIPANTS_URL_NAME", "no_such_screen:participants")
    panel = panels_of(home(client))["upcoming"]
    edit = reverse("wagtailadmin_pages:edit", args=[catalogue["soon"].page_id])
    assert f'href="{edit}"' in panel


# -- Who sees which panel -----------------------------------------------------------------------


def staff(client, *codenames, groups=()):
    user = f.user(f"staff{len(codenames)}-{len(groups)}@example.org", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    user.groups.add(*groups)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "codenames, shown",
    [
        ((), set()),
        (("view_enrolment",), {"upcoming", "full", "offers"}),
        (("change_enrolment",), {"upcoming", "full", "offers"}),
        (("change_signuprequest",), {"sign_ups"}),
        (("view_signuprequest",), set()),  # seeing is not deciding
    ],
)
def test_each_panel_follows_the_permission_of_its_screen(client, catalogue, codenames, shown):
    sign_up("alex@example.org")
    staff(client, *codenames)
    assert set(panels_of(home(client))) == shown


def test_a_reviewer_sees_the_pages_panel_only(client, reviewers, frozen_now):
    group, _workflow = reviewers
    staff(client, groups=[group])
    assert set(panels_of(home(client))) == {"pages"}


def test_a_member_never_reaches_the_dashboard(client, catalogue):
    client.force_login(f.member())
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# -- Constant queries -------------------------------------------------------------------------


def committee_panels_queries(user):
    """The queries of the committee's panels alone, drawn as the admin home draws them."""
    request = RequestFactory().get("/admin/")
    request.user = user
    panels = []
    dashboard.add_committee_panels(request, panels)
    with translation.override("fr-ca"), CaptureQueriesContext(connection) as queries:
        html = "".join(
            panel.render_html({"request": request, "csrf_token": ""}) for panel in panels
        )
    return len(queries), html


def add_many(frozen_now, reviewers, count):
    group, workflow = reviewers
    sessions = [f.session(2 + number, capacity=2) for number in range(count)]
    training = f.training(title=f"Formation nombreuse {count}", sessions=sessions)
    editor = f.user(f"editor{count}@example.org", is_staff=True)
    for session in training.sessions.all():
        enrol(session, EnrolmentStatus.CONFIRMED)
        enrol(session, EnrolmentStatus.CONFIRMED)
        enrol(session, EnrolmentStatus.WAITING)
        offer = enrol(session, EnrolmentStatus.OFFERED)
        offer.offer_expires_at = frozen_now + datetime.timedelta(hours=session.pk % 40 + 1)
        offer.save()
        sign_up(f"personne{session.pk}@example.org")
    for number in range(max(count // 10, 1)):
        submit(f.training(title=f"À relire {count}-{number}"), workflow, editor)


def test_the_panels_take_as_many_queries_for_many_sessions(superuser, frozen_now, reviewers):
    superuser.refresh_from_db()
    add_many(frozen_now, reviewers, 3)
    few, html = committee_panels_queries(superuser)
    assert html.count("<meter") == 3 + 3  # the upcoming and the full panels
    add_many(frozen_now, reviewers, 40)
    many, html = committee_panels_queries(superuser)
    assert many == few
    assert html.count("<meter") == 2 * dashboard.ROWS  # the first rows, and the total:
    # 43 upcoming and full sessions, offers and sign-up requests: 33 more of each.
    assert text(html).count("33 autres ne sont pas affichées ici.") == 4


def test_the_admin_home_takes_as_many_queries_for_many_sessions(client, superuser, frozen_now):
    def count():
        with CaptureQueriesContext(connection) as queries:
            home(client)
        return len(queries)

    training = f.training(title="Quelques sessions", sessions=[f.session(3, capacity=2)])
    for session in training.sessions.all():
        enrol(session, EnrolmentStatus.CONFIRMED)
    home(client)  # warm caches
    few = count()
    f.training(title="Beaucoup de sessions", sessions=[f.session(4 + n) for n in range(30)])
    for session in training.sessions.all():
        enrol(session, EnrolmentStatus.WAITING)
    assert count() == few
