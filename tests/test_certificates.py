"""Attendance certificates (issue 10, item 5): who gets one, the holder's download (issued once,
a snapshot), the PDF itself (read back), the public verification page (valid, forged, revoked,
both languages, nothing more than the certificate), the committee's admin (search, revoke,
audit), the member's data export and account closing, and the demo."""

import io
import json
import math
import re
import threading
from decimal import Decimal

import pypdf
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import Locale, ModelLogEntry

from members.models import Membership
from tests import factories as f
from trainings import certificate_views, certificates, privacy, services
from trainings.models import Certificate, Enrolment, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now(frozen_now):
    return frozen_now


@pytest.fixture(autouse=True)
def french_first():
    """Each test starts in French, whatever language an earlier request left active (reverse()
    prefixes /en/ otherwise)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


# -- Builders ---------------------------------------------------------------------------------


@pytest.fixture
def organisation(db):
    return f.organisation("Maison Passage")


@pytest.fixture
def provider(db):
    return f.organisation("Centre « L’Étape » d’Outaouais")


def person(organisation, first, last, email, language="fr-ca", role="member"):
    user = f.user(email, first_name=first, last_name=last)
    Membership.objects.create(user=user, organisation=organisation, role=role, language=language)
    return user


@pytest.fixture
def alice(organisation):
    return person(organisation, "Élise", "Côté-Nguyễn", "elise@example.org")


@pytest.fixture
def bob(organisation):
    return person(organisation, "Bob", "Smith", "bob@example.org", language="en")


@pytest.fixture
def committee_user(db):
    return f.user("comite@example.org", is_superuser=True, is_staff=True)


def training(provider, certificate=True, sessions=None, **fields):
    fields.setdefault("duration_hours", Decimal("6.5"))
    return f.training(
        title="Reconnaître la traite : intervenir",
        provider=provider,
        certificate=certificate,
        sessions=sessions if sessions is not None else [f.session(-10, hours=3)],
        **fields,
    )


@pytest.fixture
def page(provider):
    return training(provider)


@pytest.fixture
def session(page):
    return page.sessions.get()


def confirmed(user, session, status="confirmed"):
    return Enrolment.objects.create(session=session, user=user, status=status)


def mark(enrolment, present=True, by=None):
    for day in services.session_days(enrolment.session):
        services.mark_attendance(enrolment, day, present, by=by)
    return enrolment


def present(user, session):
    return mark(confirmed(user, session))


def my_trainings(client, user):
    client.force_login(user)
    response = client.get(reverse("enrolments:my_trainings"))
    assert response.status_code == 200
    return response.content.decode()


def download(client, enrolment):
    return client.get(reverse("certificates:download", args=[enrolment.pk]))


def pdf_text(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def urls_for(enrolments, viewer):
    enrolments = Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).select_related(
        "session__page__provider"
    )
    return certificates.download_urls(list(enrolments), viewer)


def english(page, title):
    locale = Locale.objects.get_or_create(language_code="en")[0]
    translation = page.copy_for_translation(locale, copy_parents=True)
    translation.title = title
    translation.slug = "en-" + page.slug
    translation.save_revision().publish()
    for ancestor in translation.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    return translation


# -- Codes ------------------------------------------------------------------------------------


def test_codes_are_long_readable_and_unambiguous():
    codes = {certificates.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}", code)
        assert not set(code) & set("01ILO")
    assert certificates.CODE_LENGTH * math.log2(len(certificates.ALPHABET)) >= 60
    assert len(set(certificates.ALPHABET)) == len(certificates.ALPHABET) == 31


def test_a_code_is_read_as_typed():
    code = "7KQM-3XWD-H9TR-PB4N"
    for typed in (
        code,
        code.lower(),
        "7kqm 3xwd h9tr pb4n",
        " 7KQM3XWDH9TRPB4N ",
        "7KQM-3XWD-H9TRPB4N",
    ):
        assert certificates.normalise_code(typed) == code
    for wrong in (
        "",
        None,
        "7KQM-3XWD-H9TR",
        "7KQM-3XWD-H9TR-PB4O",
        "7KQM-3XWD-H9TR-PB4N-2222",
        "é" * 16,
    ):
        assert certificates.normalise_code(wrong) == ""


# -- Who gets one -----------------------------------------------------------------------------


def test_only_presence_on_every_day_of_a_finished_session_of_a_certificate_training_counts(
    provider, organisation, page, session, alice, now
):
    two_days = training(provider, sessions=[f.session(-30, hours=32)]).sessions.get()
    no_certificate = training(provider, certificate=False).sessions.get()
    cancelled_session = training(provider, sessions=[f.session(-5, status="cancelled")])
    cancelled_session = cancelled_session.sessions.get()
    under_way = training(provider, sessions=[f.session(0, hour=8, hours=4)]).sessions.get()
    people = {
        name: person(organisation, name.title(), "Test", f"{name}@example.org")
        for name in (
            "present",
            "absent",
            "unmarked",
            "one_day_of_two",
            "both_days",
            "no_certificate",
            "waiting",
            "cancelled",
            "session_cancelled",
            "under_way",
            "anonymised",
        )
    }
    enrolments = {
        "present": present(people["present"], session),
        "absent": mark(confirmed(people["absent"], session), present=False),
        "unmarked": confirmed(people["unmarked"], session),
        "both_days": present(people["both_days"], two_days),
        "no_certificate": present(people["no_certificate"], no_certificate),
        "waiting": confirmed(people["waiting"], session, status="waiting"),
        "cancelled": confirmed(people["cancelled"], session, status="cancelled"),
        "session_cancelled": confirmed(people["session_cancelled"], cancelled_session),
        "under_way": present(people["under_way"], under_way),
    }
    one_of_two = confirmed(people["one_day_of_two"], two_days)
    first_day, second_day = services.session_days(two_days)
    services.mark_attendance(one_of_two, first_day, True)
    services.mark_attendance(one_of_two, second_day, False)
    enrolments["one_day_of_two"] = one_of_two
    anonymised = present(people["anonymised"], session)
    Enrolment.objects.filter(pk=anonymised.pk).update(user=None, anonymised_at=now)
    enrolments["anonymised"] = Enrolment.objects.get(pk=anonymised.pk)

    eligible = {
        name
        for name, enrolment in enrolments.items()
        if name != "anonymised"
        and urls_for([enrolment], people[name]).get(enrolment.pk)
        == reverse("certificates:download", args=[enrolment.pk])
    }
    assert eligible == {"present", "both_days"}
    days = certificates.present_days(list(enrolments.values()))
    assert not certificates.is_eligible(enrolments["anonymised"], days[anonymised.pk])


def test_only_the_holder_is_offered_the_certificate(organisation, session, alice):
    coordinator = person(organisation, "Chloé", "Coord", "chloe@example.org", role="coordinator")
    enrolment = present(alice, session)
    assert urls_for([enrolment], alice) == {
        enrolment.pk: reverse("certificates:download", args=[enrolment.pk])
    }
    assert urls_for([enrolment], coordinator) == {}


def test_my_trainings_links_the_certificate_with_its_format_and_size(client, session, alice):
    enrolment = present(alice, session)
    html = my_trainings(client, alice)
    url = reverse("certificates:download", args=[enrolment.pk])
    [link] = re.findall(rf'<a href="{url}"[^>]*>(.*?)</a>', html, re.S)
    assert "Télécharger mon attestation de participation" in link
    assert "Reconnaître la traite : intervenir" in link  # which one, for a screen reader
    announced = int(re.search(r"PDF, 1 page, environ (\d+) Ko", link).group(1))
    size = len(download(client, enrolment).content) / 1024
    assert announced / 2 <= size <= announced * 1.5


def test_no_link_without_attendance(client, session, alice):
    confirmed(alice, session)
    assert "/certificats/telecharger/" not in my_trainings(client, alice)


# -- Download: issued once, a snapshot ---------------------------------------------------------


def test_the_first_download_issues_the_certificate_and_later_ones_give_the_same(
    client, page, session, alice, provider
):
    enrolment = present(alice, session)
    client.force_login(alice)
    first = download(client, enrolment)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert "no-store" in first["Cache-Control"] and "noindex" in first["X-Robots-Tag"]
    certificate = Certificate.objects.get()
    assert first["Content-Disposition"] == (
        f'attachment; filename="attestation-participation-cqctp-{certificate.code}.pdf"'
    )
    assert certificate.enrolment == enrolment
    assert certificate.language == "fr"
    assert certificate.holder_name == "Élise Côté-Nguyễn"
    assert certificate.training_title == "Reconnaître la traite : intervenir"
    assert certificate.provider_name == "Centre « L’Étape » d’Outaouais"
    [day] = services.session_days(session)
    assert (certificate.first_day, certificate.last_day) == (day, day)
    assert certificate.duration_hours == Decimal("6.5")
    assert ModelLogEntry.objects.filter(
        action=certificates.ISSUE, object_id=str(certificate.pk), user=alice
    ).exists()

    # Later changes to the training or the person do not change what was issued.
    page.title = "Un autre titre"
    page.save_revision().publish()
    alice.first_name = "Elise"
    alice.save()
    second = download(client, enrolment)
    assert second.status_code == 200
    assert Certificate.objects.get() == certificate
    certificate.refresh_from_db()
    assert certificate.holder_name == "Élise Côté-Nguyễn"
    assert certificate.code in pdf_text(second.content)[1]
    assert ModelLogEntry.objects.filter(action=certificates.ISSUE).count() == 1


def test_issue_is_idempotent_and_refuses_what_gives_none(session, alice, bob):
    enrolment = present(alice, session)
    assert certificates.issue(enrolment) == certificates.issue(enrolment)
    with pytest.raises(certificates.NotEligible):
        certificates.issue(confirmed(bob, session))
    assert Certificate.objects.count() == 1


def test_an_issued_certificate_stays_downloadable_until_revoked(client, page, session, alice):
    enrolment = present(alice, session)
    certificate = certificates.issue(enrolment)
    page.certificate = False  # the training stops giving certificates: issued ones stay
    page.save_revision().publish()
    assert list(urls_for([enrolment], alice)) == [enrolment.pk]
    client.force_login(alice)
    assert certificate.code in pdf_text(download(client, enrolment).content)[1]


def test_someone_without_a_membership_gets_a_french_certificate(session):
    staff_member = f.user("staff@example.org", first_name="", last_name="", is_staff=True)
    certificate = certificates.issue(present(staff_member, session))
    assert certificate.language == "fr" and certificate.holder_name == "staff@example.org"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_downloads_at_once_issue_one_certificate(postgres_only, session, alice):
    enrolment = present(alice, session)
    barrier = threading.Barrier(6)
    codes, errors = [], []

    def first_download():
        try:
            barrier.wait()
            codes.append(certificates.issue(enrolment).code)
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_download) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(set(codes)) == 1 and len(codes) == 6
    assert Certificate.objects.count() == 1


def test_nobody_else_downloads_it(client, organisation, session, alice):
    enrolment = present(alice, session)
    coordinator = person(organisation, "Chloé", "Coord", "chloe@example.org", role="coordinator")
    stranger = person(f.organisation(), "Sam", "Autre", "sam@example.org")
    for other in (coordinator, stranger, f.user(is_staff=True)):
        client.force_login(other)
        assert download(client, enrolment).status_code == 404
    client.logout()
    anonymous = download(client, enrolment)
    assert anonymous.status_code == 302 and reverse("members:login") in anonymous["Location"]
    assert not Certificate.objects.exists()
    client.force_login(alice)
    assert client.get(reverse("certificates:download", args=[999999])).status_code == 404
    assert client.post(reverse("certificates:download", args=[enrolment.pk])).status_code == 405


def test_no_certificate_for_an_enrolment_that_gives_none(client, session, alice):
    enrolment = mark(confirmed(alice, session), present=False)
    client.force_login(alice)
    assert download(client, enrolment).status_code == 404
    assert not Certificate.objects.exists()


# -- The PDF ----------------------------------------------------------------------------------


def test_the_pdf_says_it_all_in_french(client, session, alice):
    enrolment = present(alice, session)
    client.force_login(alice)
    reader, text = pdf_text(download(client, enrolment).content)
    certificate = Certificate.objects.get()
    assert len(reader.pages) == 1
    for expected in (
        "Coalition québécoise contre la traite des personnes",
        "Attestation de participation",
        "Élise Côté-Nguyễn",
        "a participé à la formation",
        "Reconnaître la traite : intervenir",
        "donnée par Centre « L’Étape » d’Outaouais",
        "Le 5 juin 2026",
        "Durée : 6,5 heures",
        "Délivrée le 15 juin 2026",
        certificate.code,
    ):
        assert expected in text, expected
    url = certificates.verification_url(certificate)
    assert url.endswith(f"/certificats/{certificate.code}/") and "/en/" not in url
    assert url.startswith("http")
    links = [annotation.get_object()["/A"]["/URI"] for annotation in reader.pages[0]["/Annots"]]
    assert links == [url, url]  # the printed address and the QR code
    assert reader.metadata.title == "Attestation de participation — Élise Côté-Nguyễn"


def test_the_pdf_is_in_the_members_language(client, page, session, bob):
    english(page, "Recognising trafficking: taking action")
    two_days = training(page.provider, sessions=[f.session(-30, hours=32)]).sessions.get()
    client.force_login(bob)
    reader, text = pdf_text(download(client, present(bob, session)).content)
    for expected in (
        "Certificate of attendance",
        "Bob Smith",
        "attended the training",
        "Recognising trafficking: taking action",
        "On 5 June 2026",
        "Duration: 6.5 hours",
    ):
        assert expected in text, expected
    assert "/en/certificats/" in text
    assert Certificate.objects.get().training_title == "Recognising trafficking: taking action"
    _, text = pdf_text(download(client, present(bob, two_days)).content)
    assert "From 16 May 2026 to 17 May 2026" in text


def test_a_very_long_title_stays_on_one_page(provider, alice):
    page = f.training(
        title=("Intervenir " * 23).strip(),
        provider=provider,
        certificate=True,
        sessions=[f.session(-3)],
    )
    enrolment = present(alice, page.sessions.get())
    reader, text = pdf_text(certificates.render_pdf(certificates.issue(enrolment)))
    assert len(reader.pages) == 1
    assert "Élise Côté-Nguyễn" in text


# -- The public verification page --------------------------------------------------------------


@pytest.fixture
def certificate(session, alice):
    enrolment = present(alice, session)
    enrolment.accessibility_needs = "Fauteuil roulant"
    enrolment.comment = "Secret"
    enrolment.save()
    return certificates.issue(enrolment)


def verify(client, code, language=""):
    return client.get(f"{language}/certificats/{code}/")


def test_a_valid_code_shows_what_the_certificate_says_and_nothing_more(client, certificate):
    response = verify(client, certificate.code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Attestation valide" in html
    for shown in (
        "Élise Côté-Nguyễn",
        "Reconnaître la traite : intervenir",
        "Centre « L’Étape » d’Outaouais",
        "5 juin 2026",
        "6,5 heures",
        "Délivrée le",
        "15 juin 2026",
        certificate.code,
    ):
        assert shown in html, shown
    for hidden in ("elise@example.org", "Maison Passage", "Fauteuil roulant", "Secret"):
        assert hidden not in html, hidden
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]


def test_a_code_is_found_as_typed_in_the_form(client, certificate):
    typed = certificate.code.replace("-", " ").lower()
    response = client.get(reverse("certificates:verify"), {"code": typed})
    assert response.status_code == 200
    assert "Élise Côté-Nguyễn" in response.content.decode()


def test_the_form_works_without_a_code_and_says_what_a_code_is(client):
    response = client.get(reverse("certificates:verify"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="get"' in html and '<label for="id_code">Code de vérification</label>' in html
    assert 'aria-describedby="id_code_helptext"' in html
    empty = client.get(reverse("certificates:verify"), {"code": ""})
    assert empty.status_code == 400
    assert "Inscrivez le code imprimé sur l’attestation." in empty.content.decode()
    wrong = client.get(reverse("certificates:verify"), {"code": "ABC"})
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert "Ce n’est pas un code de vérification" in html and 'aria-invalid="true"' in html


def test_a_forged_code_is_unknown(client, certificate):
    forged = certificates.new_code()
    for response in (
        verify(client, forged),
        client.get(reverse("certificates:verify"), {"code": forged}),
        verify(client, "ABCD-EFGH"),  # a truncated QR scan
    ):
        assert response.status_code == 200  # as a found one: no timing difference
        html = response.content.decode()
        assert "Aucune attestation ne porte ce code" in html
        assert "Élise" not in html and certificate.code not in html


def test_a_forged_code_costs_the_same_queries_as_a_real_one(client, certificate):
    def queries(code):
        with CaptureQueriesContext(connection) as captured:
            verify(client, code)
        return [q["sql"].split(" WHERE ")[0] for q in captured.captured_queries]

    queries(certificate.code)  # the first request creates the site's settings
    assert queries(certificates.new_code()) == queries(certificate.code)
    assert len(queries(certificate.code)) <= 6  # one for the certificate, the rest the layout


def test_a_revoked_certificate_says_so_with_the_day_and_the_reason(
    client, certificate, committee_user
):
    certificates.revoke(certificate, "  Présence inscrite   par erreur ", by=committee_user)
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Présence inscrite par erreur"
    html = verify(client, certificate.code).content.decode()
    assert "Attestation révoquée" in html
    assert "Cette attestation a été révoquée le 15 juin 2026." in html
    assert "Motif : Présence inscrite par erreur" in html
    assert "Élise" not in html and "Attestation valide" not in html
    english = verify(client, certificate.code, "/en").content.decode()
    assert "This certificate was revoked on 15 June 2026." in english
    entry = ModelLogEntry.objects.get(action=certificates.REVOKE)
    assert entry.user == committee_user and entry.data["reason"] == certificate.revoked_reason
    with pytest.raises(certificates.AlreadyRevoked):
        certificates.revoke(certificate, "encore")
    with pytest.raises(ValueError):
        certificates.revoke(Certificate.objects.get(), "   ")


def test_a_revoked_certificate_is_no_longer_downloaded(client, certificate, alice):
    certificates.revoke(certificate, "Erreur")
    enrolment = certificate.enrolment
    assert urls_for([enrolment], alice) == {}
    client.force_login(alice)
    response = download(client, enrolment)
    assert response.status_code == 410
    assert "Votre attestation de participation a été révoquée le 15 juin 2026." in (
        response.content.decode()
    )
    assert Certificate.objects.count() == 1  # never issued again


def test_the_page_speaks_english_under_en(client, certificate):
    response = verify(client, certificate.code, "/en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Valid certificate" in html and "Issued on" in html and "5 June 2026" in html
    assert "6.5 hours" in html
    # The training's title is the certificate's own, in French: marked so.
    assert '<dd lang="fr">Reconnaître la traite : intervenir</dd>' in html
    unknown = verify(client, certificates.new_code(), "/en").content.decode()
    assert "No certificate has this code" in unknown


def test_checks_are_limited_per_client_address(client, certificate, monkeypatch):
    monkeypatch.setattr(certificate_views, "CHECKS_PER_HOUR", 3)
    for _ in range(3):
        assert "Aucune attestation" in verify(client, certificates.new_code()).content.decode()
    limited = verify(client, certificate.code)
    assert limited.status_code == 429
    assert "Trop de vérifications" in limited.content.decode()
    assert "Élise" not in limited.content.decode()
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert verify(other, certificate.code).status_code == 200
    assert client.get(reverse("certificates:verify")).status_code == 200  # the form itself


# -- Query counts -----------------------------------------------------------------------------


def test_my_trainings_costs_the_same_with_one_or_many_certificates(client, provider, alice):
    def queries():
        client.force_login(alice)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("enrolments:my_trainings")).status_code == 200
        return len(captured)

    present(alice, training(provider, sessions=[f.session(-3)]).sessions.get())
    queries()  # the first request reads what later ones find cached (site, settings)
    one = queries()
    for days in (-4, -5, -6, -7):
        present(alice, training(provider, sessions=[f.session(days)]).sessions.get())
    queries()  # the new pages bumped CONTENT: the shared header is rebuilt once
    assert queries() == one
    html = my_trainings(client, alice)
    assert html.count("/certificats/telecharger/") == 5


def test_download_urls_take_two_queries_at_most(provider, alice):
    enrolments = [
        present(alice, training(provider, sessions=[f.session(-d)]).sessions.get())
        for d in (3, 4, 5)
    ]
    listed = list(
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).select_related(
            "session__page__provider"
        )
    )
    with CaptureQueriesContext(connection) as captured:
        urls = certificates.download_urls(listed, alice)
    assert len(urls) == 3 and len(captured) <= 2


# -- The committee's admin --------------------------------------------------------------------


def staff(*codenames):
    user = f.user(is_staff=True)
    group = Group.objects.create(name="Groupe " + "-".join(codenames) + str(user.pk))
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    return user


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_committee_finds_a_certificate_by_code_or_name(certificate, session, bob):
    viewer = admin_client(staff("view_enrolment"))
    index = reverse("trainings_certificates:index")
    other = certificates.issue(present(bob, session))
    html = viewer.get(index).content.decode()
    assert certificate.code in html and other.code in html
    typed = certificate.code.replace("-", "").lower()
    for query in (typed, "côté", certificate.code):
        found = viewer.get(index, {"q": query}).content.decode()
        assert certificate.code in found and other.code not in found, query
    revoked_only = viewer.get(index, {"status": "revoked"}).content.decode()
    assert certificate.code not in revoked_only
    inspect = viewer.get(reverse("trainings_certificates:inspect", args=[certificate.pk]))
    assert inspect.status_code == 200 and "Élise Côté-Nguyễn" in inspect.content.decode()
    history = viewer.get(reverse("trainings_certificates:history", args=[certificate.pk]))
    assert history.status_code == 200


def test_who_may_see_and_revoke(certificate):
    index = reverse("trainings_certificates:index")
    revoke = reverse("trainings_certificates:revoke", args=[certificate.pk])
    nobody = admin_client(staff())
    assert nobody.get(index).status_code in (302, 403)
    viewer = admin_client(staff("view_enrolment"))
    assert viewer.get(index).status_code == 200
    assert revoke not in viewer.get(index).content.decode()
    assert viewer.post(revoke, {"reason": "Erreur"}).status_code in (302, 403)
    assert viewer.get(revoke).status_code in (302, 403)
    manager = admin_client(staff("change_enrolment"))
    assert manager.get(index).status_code == 200
    assert revoke in manager.get(index).content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_revoking_needs_a_reason_and_is_logged(certificate):
    user = staff("view_enrolment", "change_enrolment")
    manager = admin_client(user)
    revoke = reverse("trainings_certificates:revoke", args=[certificate.pk])
    form = manager.get(revoke)
    assert form.status_code == 200 and "Motif de la révocation" in form.content.decode()
    refused = manager.post(revoke, {"reason": "   "})
    assert refused.status_code == 200
    assert "Indiquez le motif" in refused.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    done = manager.post(revoke, {"reason": "Présence inscrite par erreur"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_reason == "Présence inscrite par erreur"
    entry = ModelLogEntry.objects.get(action=certificates.REVOKE)
    assert entry.user == user and entry.object_id == str(certificate.pk)
    again = manager.post(revoke, {"reason": "Encore"})
    assert again.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Présence inscrite par erreur"
    assert ModelLogEntry.objects.filter(action=certificates.REVOKE).count() == 1


def test_nobody_adds_edits_or_deletes_a_certificate(certificate):
    superuser = admin_client(f.user(is_superuser=True, is_staff=True))
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"trainings_certificates:{name}", args=[certificate.pk])
    for path in ("new/", f"edit/{certificate.pk}/", f"delete/{certificate.pk}/"):
        assert superuser.get(f"/admin/certificates/{path}").status_code == 404
    html = superuser.get(reverse("trainings_certificates:index")).content.decode()
    assert "/admin/certificates/new/" not in html
    assert certificate.code in html


# -- Privacy ----------------------------------------------------------------------------------


def test_the_data_export_holds_the_certificates_and_the_attendance(certificate, alice):
    data = json.loads(json.dumps(privacy.export_personal_data(alice)))
    [enrolment] = data["enrolments"]
    [day] = services.session_days(certificate.enrolment.session)
    assert enrolment["attendance"] == [{"day": day.isoformat(), "present": True}]
    [exported] = data["certificates"]
    assert exported["verification_code"] == certificate.code
    assert exported["verification_page"] == certificates.verification_url(certificate)
    assert exported["name"] == "Élise Côté-Nguyễn"
    assert exported["duration_hours"] == "6.5"
    assert exported["revoked_at"] is None


def test_closing_the_account_keeps_the_certificate_verifiable(client, certificate, alice):
    summary = privacy.close_account(alice)
    assert summary["certificates_kept"] == 1
    certificate.refresh_from_db()
    assert certificate.enrolment.user is None and certificate.enrolment.anonymised_at
    response = verify(client, certificate.code)
    assert response.status_code == 200 and "Élise Côté-Nguyễn" in response.content.decode()


# -- The demo ---------------------------------------------------------------------------------


def test_the_demo_member_can_download_a_certificate_and_codes_verify(demo, client):
    from django.contrib.auth import get_user_model

    from demo import certificates as demo_certificates

    member = get_user_model().objects.get(username=demo_certificates.MEMBER)
    html = my_trainings(client, member)
    [url] = re.findall(r'href="(/certificats/telecharger/\d+/)"', html)
    response = client.get(url)
    assert response.status_code == 200
    certificate = Certificate.objects.get(enrolment__user=member)
    assert certificate.holder_name == "Alex Membre"
    assert verify(client, certificate.code).status_code == 200
    revoked = Certificate.objects.get(revoked_at__isnull=False)
    assert "Attestation révoquée" in verify(client, revoked.code).content.decode()

    counts = (
        TrainingSession.objects.count(),
        Enrolment.objects.count(),
        Certificate.objects.count(),
        ModelLogEntry.objects.count(),
    )
    demo_certificates.load()
    assert counts == (
        TrainingSession.objects.count(),
        Enrolment.objects.count(),
        Certificate.objects.count(),
        ModelLogEntry.objects.count(),
    )
