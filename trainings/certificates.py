"""Attendance certificates: who gets one, issuing it (a snapshot, once), its PDF, finding it by
its code for the public verification page, and revoking it.

Who gets one (THE rule, `is_eligible`): the person of a *confirmed* enrolment, still theirs (not
anonymised), in a session that is over and was not cancelled, of a training whose page says it
gives a certificate, marked **present on every day of the session** (Montréal's calendar,
`services.session_days`). A day not marked yet, or marked absent, means no certificate: the
committee marks every day first. A certificate is issued the first time its holder downloads it
and is the same one afterwards (same code, same text), even if the training page or the
person's name changes later; attendance corrected after that does not undo it: the committee
revokes it (with a reason, in the audit log), and the public page then says so.

The verification code: 16 characters in four groups of four, drawn with `secrets` from 31
letters and digits that cannot be mistaken for one another (no 0, O, 1, I or L): about 79 bits,
so codes cannot be guessed, and the public page limits checks per client address anyway.
"""

import io
import secrets
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from cqctp.links import absolute_url
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import audit
from .models import Attendance, Certificate, Enrolment, EnrolmentStatus, SessionStatus
from .services.committee import session_days
from .translations import in_language

ISSUE = audit.action("cqctp.certificate_issue", gettext_lazy("Issue an attendance certificate"))
REVOKE = audit.action("cqctp.certificate_revoke", gettext_lazy("Revoke an attendance certificate"))

# Letters and digits nobody confuses when reading a code aloud or typing it from paper.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 4, 4
CODE_LENGTH = GROUPS * GROUP_LENGTH  # log2(31) × 16 ≈ 79 bits

# The site's header and e-mails name the coalition in English on the English side: so does an
# English certificate (read in the certificate's language).
COALITION = gettext_lazy("Québec Coalition Against Human Trafficking")

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"


class NotEligible(Exception):
    """The enrolment does not (or no longer) give a certificate."""


class AlreadyRevoked(Exception):
    pass


# -- Codes ------------------------------------------------------------------------------------


def new_code():
    """A fresh code, e.g. "7KQM-3XWD-H9TR-PB4N"."""
    characters = "".join(secrets.choice(ALPHABET) for __ in range(CODE_LENGTH))
    return "-".join(characters[i : i + GROUP_LENGTH] for i in range(0, CODE_LENGTH, GROUP_LENGTH))


def normalise_code(text):
    """The code as stored ("ABCD-EFGH-…") from what a person typed (any case, spaces or
    hyphens anywhere), or "" when it cannot be a code (wrong length or characters)."""
    characters = "".join(c for c in str(text or "").upper() if c not in " -\t")
    if len(characters) != CODE_LENGTH or any(c not in ALPHABET for c in characters):
        return ""
    return "-".join(characters[i : i + GROUP_LENGTH] for i in range(0, CODE_LENGTH, GROUP_LENGTH))


def find(code):
    """The certificate with this (normalised) code, or None: one query by a unique index, the
    same for a real code and a forged one."""
    if not code:
        return None
    return Certificate.objects.filter(code=code).first()


# -- Who gets one -----------------------------------------------------------------------------


def present_days(enrolments):
    """{enrolment pk: set of days marked present}, in one query for all of them."""
    days = {}
    marks = Attendance.objects.filter(enrolment__in=[e.pk for e in enrolments], present=True)
    for enrolment_id, day in marks.values_list("enrolment_id", "day"):
        days.setdefault(enrolment_id, set()).add(day)
    return days


def could_have_one(enrolment, now=None):
    """Everything but attendance: a confirmed seat, still someone's, in a session that is over
    and was not cancelled, of a training that gives certificates."""
    session = enrolment.session
    return (
        enrolment.user_id is not None
        and enrolment.status == EnrolmentStatus.CONFIRMED
        and session.status != SessionStatus.CANCELLED
        and session.end <= (now or timezone.now())
        and session.page.certificate
    )


def is_eligible(enrolment, days_present, now=None):
    """THE rule (see the module's docstring): present on every day of the session."""
    return could_have_one(enrolment, now) and set(session_days(enrolment.session)) <= set(
        days_present
    )


def download_urls(enrolments, viewer, now=None):
    """{enrolment pk: address of its certificate} for those `viewer` may download: their own
    enrolments with a certificate issued and not revoked, or that give one (`is_eligible`);
    never a colleague's. Two queries at most, whatever the number of enrolments (sessions and
    pages are those the caller selected with the enrolments)."""
    own = [e for e in enrolments if viewer.is_authenticated and e.user_id == viewer.pk]
    if not own:
        return {}
    issued = dict(
        Certificate.objects.filter(enrolment__in=[e.pk for e in own]).values_list(
            "enrolment_id", "revoked_at"
        )
    )
    waiting = [e for e in own if e.pk not in issued and could_have_one(e, now)]
    days = present_days(waiting) if waiting else {}
    urls = {}
    for enrolment in own:
        if enrolment.pk in issued:
            usable = issued[enrolment.pk] is None
        else:
            usable = is_eligible(enrolment, days.get(enrolment.pk, ()), now)
        if usable:
            urls[enrolment.pk] = reverse("certificates:download", args=[enrolment.pk])
    return urls


# -- Issuing and revoking ---------------------------------------------------------------------


def holder_name(user):
    return user.get_full_name().strip() or user.email or user.get_username()


def certificate_language(user):
    """The member's language (Membership.language), as two letters: "fr" or "en"."""
    membership = getattr(user, "membership", None)
    language = membership.language if membership is not None else settings.LANGUAGE_CODE
    return "en" if language.startswith("en") else "fr"


def issue(enrolment, *, now=None):
    """The enrolment's certificate, issued now if it has none yet (NotEligible if it gives
    none). A revoked certificate is returned as it is: it is never issued again."""
    now = now or timezone.now()
    with transaction.atomic():
        # Two first downloads at once: the second waits here, then finds the first one's.
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("session__page__provider", "user__membership")
            .get(pk=enrolment.pk)
        )
        existing = Certificate.objects.filter(enrolment=enrolment).first()
        if existing is not None:
            return existing
        if not is_eligible(enrolment, present_days([enrolment]).get(enrolment.pk, ()), now):
            raise NotEligible
        session = enrolment.session
        days = session_days(session)
        language = certificate_language(enrolment.user)
        training = in_language([session.page], language)[session.page.translation_key]
        certificate = Certificate.objects.create(
            enrolment=enrolment,
            code=_unused_code(),
            language=language,
            holder_name=holder_name(enrolment.user),
            training_title=training.title,
            provider_name=session.page.provider.name,
            first_day=days[0],
            last_day=days[-1],
            duration_hours=session.page.duration_hours,
            issued_at=now,
        )
        audit.record(certificate, ISSUE, by=enrolment.user, enrolment=enrolment.pk)
    return certificate


def _unused_code():
    """A new code; a clash (about 2⁻⁷⁹ per code) is drawn again rather than failing."""
    while True:
        code = new_code()
        if not Certificate.objects.filter(code=code).exists():
            return code


def revoke(certificate, reason, *, by=None, now=None):
    """Revoke with a reason (required; shown on the public page). The certificate stays, so
    that its code says "revoked" instead of "unknown"; the audit log keeps who and when."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValueError("A reason is required.")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.is_revoked:
            raise AlreadyRevoked
        certificate.revoked_at = now or timezone.now()
        certificate.revoked_reason = reason[
            : Certificate._meta.get_field("revoked_reason").max_length
        ]
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
        audit.record(certificate, REVOKE, by=by, reason=certificate.revoked_reason)
    return certificate


# -- What a certificate says ------------------------------------------------------------------


def django_language(language):
    """The Django language for a certificate's two letters."""
    return "en" if language == "en" else "fr-ca"


def long_date(day):
    """ "12 mars 2026" ("1er mars 2026"), "12 March 2026": the site's one date style, in the
    active language."""
    if day.day == 1 and not (translation.get_language() or "").startswith("en"):
        return dateformat.format(day, "1\\e\\r F Y")
    return dateformat.format(day, "j F Y")


def days_label(first, last):
    if first == last:
        return long_date(first)
    return _("from %(first)s to %(last)s") % {"first": long_date(first), "last": long_date(last)}


def hours_label(hours):
    if hours is None:
        return ""
    hours = Decimal(hours)
    whole = hours == hours.to_integral_value()
    number = formats.number_format(int(hours) if whole else hours)
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if hours == 1 else 2) % {"hours": number}


def verification_url(certificate):
    """The public page of this code, in the certificate's language (what the QR code holds)."""
    with translation.override(django_language(certificate.language)):
        return absolute_url(reverse("certificates:verify_code", args=[certificate.code]))


def facts(certificate):
    """What the certificate says, as (label, value) pairs, in the active language: the PDF and
    the public page show the same and nothing more."""
    issued = timezone.localtime(certificate.issued_at).date()
    rows = [
        (_("Name"), certificate.holder_name),
        (_("Training"), certificate.training_title),
        (_("Given by"), certificate.provider_name),
        (
            _("Date") if certificate.first_day == certificate.last_day else _("Dates"),
            days_label(certificate.first_day, certificate.last_day),
        ),
    ]
    if certificate.duration_hours is not None:
        rows.append((_("Duration"), hours_label(certificate.duration_hours)))
    rows.append((_("Issued on"), long_date(issued)))
    rows.append((_("Verification code"), certificate.code))
    return rows


def filename(certificate):
    with translation.override(django_language(certificate.language)):
        return _("attendance-certificate-cqctp-%(code)s.pdf") % {"code": certificate.code}


# -- The PDF ----------------------------------------------------------------------------------

_fonts_registered = False


def _register_fonts():
    """DejaVu Sans, shipped in trainings/fonts (its licence beside it): every Latin accent,
    « guillemets » and the names of people from anywhere, embedded as subsets."""
    global _fonts_registered
    if _fonts_registered:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    _fonts_registered = True


BRAND = "#4b2a7b"  # the site's --brand
INK = "#1b1f2a"
MUTED = "#4a5160"


def _draw_logo(canvas, x, y, size):
    """The site's logo (site/static/img/logo.svg, a 64-unit square) drawn at (x, y)."""
    from reportlab.lib.colors import HexColor

    scale = size / 64

    def point(px, py):  # SVG's y runs down, PDF's up
        return x + px * scale, y + (64 - py) * scale

    canvas.saveState()
    brand = HexColor(BRAND)
    canvas.setStrokeColor(brand)
    canvas.setFillColor(brand)
    canvas.setLineWidth(3 * scale)
    canvas.setLineJoin(1)
    ring = [(32, 10), (51.1, 21), (51.1, 43), (32, 54), (12.9, 43), (12.9, 21)]
    path = canvas.beginPath()
    path.moveTo(*point(*ring[0]))
    for corner in ring[1:]:
        path.lineTo(*point(*corner))
    path.close()
    canvas.drawPath(path, stroke=1, fill=0)
    for cx, cy in [*ring, (32, 26)]:
        canvas.circle(*point(cx, cy), 5.5 * scale, stroke=0, fill=1)
    body = canvas.beginPath()
    body.moveTo(*point(22.5, 43.5))
    body.curveTo(*point(22.5, 37.3), *point(26.8, 33.5), *point(32, 33.5))
    body.curveTo(*point(37.2, 33.5), *point(41.5, 37.3), *point(41.5, 43.5))
    body.close()
    canvas.drawPath(body, stroke=0, fill=1)
    canvas.restoreState()


def render_pdf(certificate):
    """The certificate as a one-page PDF (US Letter, landscape), in its holder's language."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import KeepInFrame, Paragraph

    _register_fonts()
    language = django_language(certificate.language)
    url = verification_url(certificate)
    buffer = io.BytesIO()
    width, height = landscape(letter)
    with translation.override(language):
        title = _("Certificate of attendance")
        canvas = Canvas(
            buffer,
            pagesize=(width, height),
            lang="fr-CA" if language == "fr-ca" else "en-CA",
            initialFontName=FONT,
        )
        canvas.setTitle(f"{title} — {certificate.holder_name}")
        canvas.setAuthor(str(COALITION))
        canvas.setSubject(certificate.training_title)
        canvas.setCreator("Formations CQCTP")
        canvas.setKeywords(certificate.code)

        # A double frame in the brand's colour.
        canvas.setStrokeColor(HexColor(BRAND))
        canvas.setLineWidth(2.5)
        canvas.rect(0.8 * cm, 0.8 * cm, width - 1.6 * cm, height - 1.6 * cm)
        canvas.setLineWidth(0.75)
        canvas.rect(1.05 * cm, 1.05 * cm, width - 2.1 * cm, height - 2.1 * cm)

        logo = 1.6 * cm
        _draw_logo(canvas, (width - logo) / 2, height - 1.6 * cm - logo, logo)

        def style(name, size, font=FONT, color=INK, after=0, leading=None):
            return ParagraphStyle(
                name,
                fontName=font,
                fontSize=size,
                leading=leading or size * 1.25,
                alignment=TA_CENTER,
                textColor=HexColor(color),
                spaceAfter=after,
            )

        coalition = style("coalition", 12, FONT_BOLD, BRAND, after=14)
        heading = style("heading", 28, FONT_BOLD, BRAND, after=16)
        text = style("text", 13, color=MUTED, after=6)
        name = style("name", 24, FONT_BOLD, after=10)
        training = style("training", 17, FONT_BOLD, after=8)
        details = style("details", 12.5, after=4)

        hours = hours_label(certificate.duration_hours)
        when = days_label(certificate.first_day, certificate.last_day)
        if certificate.first_day == certificate.last_day:
            when = _("on %(day)s") % {"day": when}
        story = [
            Paragraph(escape(str(COALITION)), coalition),
            Paragraph(escape(title), heading),
            Paragraph(escape(_("This is to certify that")), text),
            Paragraph(escape(certificate.holder_name), name),
            Paragraph(escape(_("attended the training")), text),
            Paragraph(escape(certificate.training_title), training),
            Paragraph(
                escape(_("given by %(provider)s") % {"provider": certificate.provider_name}),
                details,
            ),
            Paragraph(escape(when[:1].upper() + when[1:]), details),
        ]
        if hours:
            story.append(Paragraph(escape(_("Duration: %(hours)s") % {"hours": hours}), details))
        top = height - 1.6 * cm - logo - 0.4 * cm
        bottom = 4.4 * cm
        # Centred in the space between the logo and the foot; a very long name or title is made
        # smaller rather than cut or sent to a second page.
        block = KeepInFrame(width - 5 * cm, top - bottom, story, mode="shrink")
        used = block.wrapOn(canvas, width - 5 * cm, top - bottom)[1]
        block.drawOn(canvas, 2.5 * cm, bottom + (top - bottom - used) / 2)

        # The foot: issue date and code on the left, the QR code to the public page on the right.
        qr_size = 2.9 * cm
        qr_x, qr_y = width - 2 * cm - qr_size, 1.7 * cm
        widget = QrCodeWidget(url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(
            qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0]
        )
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, qr_x, qr_y)

        issued = timezone.localtime(certificate.issued_at).date()
        left = 2.3 * cm
        canvas.setFillColor(HexColor(INK))
        canvas.setFont(FONT, 10)
        canvas.drawString(left, 3.3 * cm, _("Issued on %(day)s") % {"day": long_date(issued)})
        canvas.setFont(FONT, 10)
        label = _("Verification code:") + " "
        canvas.drawString(left, 2.7 * cm, label)
        canvas.setFont(FONT_BOLD, 12)
        canvas.drawString(left + canvas.stringWidth(label, FONT, 10), 2.7 * cm, certificate.code)
        canvas.setFont(FONT, 9)
        canvas.setFillColor(HexColor(MUTED))
        canvas.drawString(left, 2.1 * cm, _("Anyone can check this certificate at:"))
        canvas.drawString(left, 1.7 * cm, url)
        canvas.linkURL(url, (left, 1.55 * cm, left + canvas.stringWidth(url, FONT, 9), 2.0 * cm))
        canvas.linkURL(url, (qr_x, qr_y, qr_x + qr_size, qr_y + qr_size))
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()
