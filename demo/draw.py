"""Draw the demo illustrations of the awareness campaigns, and the demo reminder document.

The files in demo/images/ and demo/documents/ are committed; this script regenerates them, so anyone can
change a colour or a shape and draw them again (Pillow only, no font, no photo, no text in
the images: what they show is said in their alternative text, in demo/campaigns.py):

    .venv/bin/python -m demo.draw

Flat, calm shapes in the site's colours; nothing that shows a person being hurt. Each file
stays well under 150 KB. The drawing is deterministic (a seeded random generator), so a
second run gives the same pictures.
"""

import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

IMAGES_DIR = Path(__file__).resolve().parent / "images"
DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"
SCALE = 2  # drawn twice as large, then reduced: smooth edges without an anti-aliasing API

PAPER = (243, 241, 247)
BRAND = (75, 42, 123)
BRAND_DARK = (47, 26, 79)
LAVENDER = (112, 80, 173)
ACCENT = (155, 28, 58)
OCHRE = (200, 122, 42)
TEAL = (42, 122, 110)
NIGHT = (24, 20, 48)
SKIN_TONES = [(141, 85, 36), (198, 134, 66), (224, 172, 105), (241, 194, 125), (94, 60, 42)]


def canvas(width, height, colour):
    image = Image.new("RGB", (width * SCALE, height * SCALE), colour)
    return image, ImageDraw.Draw(image)


def s(*values):
    """Coordinates given at the final size, scaled to the drawing size."""
    return [value * SCALE for value in values]


def finish(image, width, height):
    return image.resize((width, height), Image.LANCZOS)


def vertical_gradient(image, top, bottom, start=0, end=None):
    draw = ImageDraw.Draw(image)
    end = image.height if end is None else end
    for y in range(start, end):
        t = (y - start) / max(1, end - start - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (image.width, y)], fill=colour)


def person(draw, x, y, height, body, head):
    """A standing person as two soft shapes: a head and a rounded body (x, y: feet centre)."""
    head_radius = height * 0.13
    body_width = height * 0.42
    body_top = y - height * 0.70
    draw.rounded_rectangle(
        s(x - body_width / 2, body_top, x + body_width / 2, y),
        radius=body_width * 0.45 * SCALE,
        fill=body,
    )
    head_y = body_top - head_radius * 1.25
    draw.ellipse(
        s(x - head_radius, head_y - head_radius, x + head_radius, head_y + head_radius), fill=head
    )


def grand_prix():
    """Montréal by night: a skyline with lit windows, a river, and the curve of a race track."""
    width, height = 1600, 900
    rng = random.Random(2017)
    image, draw = canvas(width, height, NIGHT)
    vertical_gradient(image, (20, 16, 44), (75, 42, 123), 0, int(height * 0.70 * SCALE))
    for _ in range(90):  # a few stars
        x, y = rng.uniform(0, width), rng.uniform(0, height * 0.45)
        r = rng.choice((0.8, 1.0, 1.4))
        draw.ellipse(s(x - r, y - r, x + r, y + r), fill=(230, 225, 245))
    draw.ellipse(s(1310, 90, 1400, 180), fill=(250, 240, 210))  # the moon
    draw.ellipse(s(1335, 80, 1420, 165), fill=(38, 28, 70))
    # The mountain behind the city.
    draw.polygon(
        s(0, 560, 220, 470, 420, 430, 640, 455, 820, 520, 1000, 560, 0, 560), fill=(52, 36, 92)
    )
    # Towers, far then near.
    skyline_base = 610
    for layer, colour, lit in ((0, (58, 40, 100), 0.10), (1, BRAND_DARK, 0.22)):
        x = -20
        while x < width:
            w = rng.randint(50, 120)
            h = rng.randint(90, 260) + (60 if layer == 0 else 0)
            if layer == 1 and 640 < x < 900:
                h += 110  # a few taller towers downtown
            top = skyline_base - h
            draw.rectangle(s(x, top, x + w, skyline_base), fill=colour)
            for wy in range(int(top) + 14, skyline_base - 12, 18):
                for wx in range(x + 8, x + w - 10, 16):
                    if rng.random() < lit:
                        draw.rectangle(s(wx, wy, wx + 7, wy + 9), fill=(255, 214, 130))
            x += w + rng.randint(2, 14)
    # The river, with reflections.
    draw.rectangle(s(0, skyline_base, width, height), fill=(30, 30, 70))
    for _ in range(160):
        x, y = rng.uniform(0, width), rng.uniform(skyline_base + 6, skyline_base + 120)
        length = rng.uniform(8, 30)
        colour = rng.choice([(255, 214, 130), (170, 150, 220), (120, 110, 190)])
        draw.line(s(x, y, x + length, y), fill=colour, width=2 * SCALE)
    # The track: a wide grey curve with a red and white kerb, on the island in the front.
    draw.polygon(s(0, 760, 400, 700, 900, 690, 1600, 730, 1600, 900, 0, 900), fill=(30, 62, 58))
    points = []
    for i in range(0, 101):
        t = i / 100
        x = -100 + 1800 * t
        y = 900 - 120 * math.sin(math.pi * t) + 40 * t
        points.append((x, y))
    draw.line([(x * SCALE, y * SCALE) for x, y in points], fill=(70, 70, 88), width=70 * SCALE)
    kerb = [(x, y - 38) for x, y in points]
    for i in range(len(kerb) - 1):
        colour = ACCENT if i % 2 else (240, 236, 245)
        draw.line(
            [
                (kerb[i][0] * SCALE, kerb[i][1] * SCALE),
                (kerb[i + 1][0] * SCALE, kerb[i + 1][1] * SCALE),
            ],
            fill=colour,
            width=10 * SCALE,
        )
    # Soft lights along the track.
    glow = Image.new("RGB", image.size, (0, 0, 0))
    glow_draw = ImageDraw.Draw(glow)
    for i in range(5, 100, 12):
        x, y = points[i]
        glow_draw.ellipse(s(x - 26, y - 120, x + 26, y - 68), fill=(120, 90, 40))
        draw.line(s(x, y - 40, x, y - 94), fill=(90, 90, 110), width=3 * SCALE)
        draw.ellipse(s(x - 6, y - 100, x + 6, y - 88), fill=(255, 220, 150))
    glow = glow.filter(ImageFilter.GaussianBlur(18 * SCALE))
    image = ImageChops.add(image, glow)
    return finish(image, width, height)


def agriculture():
    """Fields in rows towards a sunrise, a greenhouse and a farm in the distance."""
    width, height = 1600, 900
    rng = random.Random(2025)
    image, draw = canvas(width, height, (118, 150, 72))
    horizon = 442
    sun_x, sun_y = 1080, 430
    # The rows of the field, converging towards the sun (their tops are hidden by the sky).
    for row in range(-90, 110):
        draw.line(s(sun_x, sun_y - 40, row * 60, height + 40), fill=(92, 124, 56), width=14 * SCALE)
    # The sky and the rising sun, half hidden by the horizon.
    sky = Image.new("RGB", (width * SCALE, horizon * SCALE))
    vertical_gradient(sky, (250, 214, 170), (253, 240, 220))
    sky_draw = ImageDraw.Draw(sky)
    for radius, colour in ((220, (252, 226, 180)), (150, (250, 200, 130)), (95, (240, 160, 70))):
        sky_draw.ellipse(
            s(sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=colour
        )
    image.paste(sky, (0, 0))
    draw.rectangle(s(0, horizon, width, horizon + 4), fill=(118, 150, 72))
    # Hills and a tree line.
    draw.polygon(
        s(0, 400, 300, 360, 620, 390, 900, 370, 1250, 395, 1600, 365, 1600, horizon, 0, horizon),
        fill=(150, 170, 120),
    )
    for x in range(0, width, 26):
        r = rng.randint(12, 22)
        draw.ellipse(s(x - r, 424 - 2 * r, x + r, 436), fill=(90, 120, 80))
    # The farm: a barn, a long greenhouse and a small house.
    draw.rectangle(s(250, 370, 330, horizon), fill=ACCENT)
    draw.polygon(s(240, 372, 290, 335, 340, 372), fill=(120, 20, 45))
    draw.rectangle(s(360, 395, 560, horizon), fill=(225, 232, 236))
    for x in range(370, 560, 22):
        draw.line(s(x, 397, x, horizon), fill=(180, 195, 205), width=2 * SCALE)
    draw.rectangle(s(1390, 395, 1450, horizon), fill=(235, 225, 210))
    draw.polygon(s(1383, 397, 1420, 370, 1457, 397), fill=BRAND)
    # Small plants along the rows, larger in front.
    for row in range(-90, 110):
        for step in range(1, 14):
            t = (step / 14) ** 1.6
            x = sun_x + (row * 60 - sun_x) * t
            y = horizon + (height - horizon) * t
            if not 0 <= x <= width or y < horizon + 4:
                continue
            r = 2 + 16 * t
            draw.ellipse(s(x - r, y - r * 0.8, x + r, y + r * 0.4), fill=(70, 112, 52))
    return finish(image, width, height)


def people():
    """A group of people of different ages and skin tones, standing side by side."""
    width, height = 1200, 800
    rng = random.Random(11)
    image, draw = canvas(width, height, PAPER)
    draw.ellipse(s(160, 120, 1040, 1000), fill=(232, 226, 242))
    colours = [BRAND, TEAL, ACCENT, OCHRE, LAVENDER, BRAND_DARK, TEAL, OCHRE, ACCENT]
    back_row = [(250, 560, 300), (420, 540, 320), (600, 550, 330), (780, 540, 320), (950, 560, 300)]
    front_row = [(330, 720, 330), (510, 730, 290), (690, 730, 350), (870, 720, 310)]
    for index, (x, y, h) in enumerate(back_row + front_row):
        person(draw, x, y, h, colours[index], rng.choice(SKIN_TONES))
    draw.rectangle(s(0, 730, width, height), fill=(226, 220, 236))
    return finish(image, width, height)


def phone():
    """A hand holding a phone with a call under way: asking for help."""
    width, height = 1200, 800
    image, draw = canvas(width, height, (236, 242, 240))
    draw.ellipse(s(300, 60, 900, 660), fill=(214, 232, 226))
    # Phone.
    draw.rounded_rectangle(s(470, 130, 730, 660), radius=36 * SCALE, fill=BRAND_DARK)
    draw.rounded_rectangle(s(488, 170, 712, 610), radius=14 * SCALE, fill=(250, 248, 252))
    draw.rounded_rectangle(s(565, 145, 635, 155), radius=5 * SCALE, fill=(90, 70, 130))
    # Call screen: a round avatar, waves, and the green and red buttons.
    draw.ellipse(s(545, 220, 655, 330), fill=(220, 210, 236))
    draw.ellipse(s(578, 240, 622, 284), fill=LAVENDER)
    draw.rounded_rectangle(s(565, 284, 635, 330), radius=20 * SCALE, fill=LAVENDER)
    for offset in (0, 1, 2):
        box = s(520 - offset * 22, 200 - offset * 22, 680 + offset * 22, 360 + offset * 22)
        draw.arc(box, start=-40, end=40, fill=TEAL, width=5 * SCALE)
        draw.arc(box, start=140, end=220, fill=TEAL, width=5 * SCALE)
    draw.rounded_rectangle(s(530, 390, 670, 410), radius=8 * SCALE, fill=(200, 196, 214))
    draw.rounded_rectangle(s(555, 425, 645, 440), radius=7 * SCALE, fill=(220, 216, 230))
    draw.ellipse(s(530, 510, 590, 570), fill=ACCENT)
    draw.ellipse(s(610, 510, 670, 570), fill=TEAL)
    # Hand: a rounded palm and fingers around the phone.
    hand = (198, 134, 66)
    draw.rounded_rectangle(s(400, 520, 600, 800), radius=70 * SCALE, fill=hand)
    for y in (470, 530, 590):
        draw.rounded_rectangle(s(690, y, 790, y + 48), radius=24 * SCALE, fill=hand)
    draw.rounded_rectangle(s(430, 430, 500, 600), radius=35 * SCALE, fill=hand)
    # Speech bubbles: someone answers.
    draw.rounded_rectangle(s(790, 180, 1010, 280), radius=30 * SCALE, fill=TEAL)
    draw.polygon(s(820, 270, 800, 320, 860, 275), fill=TEAL)
    for x in (850, 900, 950):
        draw.ellipse(s(x - 10, 220, x + 10, 240), fill=(236, 242, 240))
    draw.rounded_rectangle(s(180, 300, 380, 380), radius=26 * SCALE, fill=BRAND)
    draw.polygon(s(350, 370, 400, 410, 330, 378), fill=BRAND)
    for x in (230, 280, 330):
        draw.ellipse(s(x - 9, 331, x + 9, 349), fill=(236, 242, 240))
    return finish(image, width, height)


def documents():
    """A passport and a key held in an open hand: your documents belong to you."""
    width, height = 1200, 800
    image, draw = canvas(width, height, (247, 240, 228))
    draw.ellipse(s(280, 80, 920, 720), fill=(240, 226, 204))
    hand = (141, 85, 36)
    draw.rounded_rectangle(s(330, 500, 870, 640), radius=60 * SCALE, fill=hand)
    for x in (330, 410, 490, 570):
        draw.rounded_rectangle(s(x, 450, x + 70, 560), radius=35 * SCALE, fill=hand)
    draw.rounded_rectangle(s(790, 420, 880, 600), radius=42 * SCALE, fill=hand)
    # Passport.
    draw.rounded_rectangle(s(470, 200, 700, 520), radius=14 * SCALE, fill=BRAND)
    draw.ellipse(s(540, 280, 630, 370), outline=OCHRE, width=6 * SCALE)
    draw.line(s(585, 280, 585, 370), fill=OCHRE, width=4 * SCALE)
    draw.line(s(540, 325, 630, 325), fill=OCHRE, width=4 * SCALE)
    draw.rounded_rectangle(s(520, 410, 650, 425), radius=6 * SCALE, fill=OCHRE)
    draw.rounded_rectangle(s(545, 445, 625, 458), radius=6 * SCALE, fill=OCHRE)
    # Key.
    draw.ellipse(s(700, 250, 800, 350), outline=TEAL, width=18 * SCALE)
    draw.line(s(790, 330, 930, 470), fill=TEAL, width=18 * SCALE)
    draw.line(s(880, 420, 910, 390), fill=TEAL, width=16 * SCALE)
    draw.line(s(905, 445, 935, 415), fill=TEAL, width=16 * SCALE)
    return finish(image, width, height)


def housing():
    """Two houses, one lit: a safe place to live, with a path and a door open."""
    width, height = 1200, 800
    image, draw = canvas(width, height, (226, 236, 244))
    vertical_gradient(image, (206, 222, 238), (240, 244, 248), 0, 560 * SCALE)
    draw = ImageDraw.Draw(image)
    draw.rectangle(s(0, 560, width, height), fill=(150, 178, 118))
    draw.polygon(s(520, 800, 600, 560, 640, 560, 760, 800), fill=(222, 206, 176))
    for x0, roof, wall in ((260, BRAND, (245, 238, 226)), (700, ACCENT, (250, 244, 232))):
        draw.rectangle(s(x0, 380, x0 + 260, 570), fill=wall)
        draw.polygon(s(x0 - 30, 390, x0 + 130, 270, x0 + 290, 390), fill=roof)
        draw.rectangle(s(x0 + 30, 420, x0 + 90, 480), fill=(255, 214, 130))
        draw.rectangle(s(x0 + 170, 420, x0 + 230, 480), fill=(255, 214, 130))
        draw.line(s(x0 + 60, 420, x0 + 60, 480), fill=wall, width=4 * SCALE)
        draw.line(s(x0 + 200, 420, x0 + 200, 480), fill=wall, width=4 * SCALE)
    draw.rectangle(s(590, 470, 650, 570), fill=TEAL)  # a door between them, in a wall
    draw.rectangle(s(520, 460, 700, 470), fill=(200, 190, 170))
    for x, r in ((120, 60), (1100, 70)):
        draw.rectangle(s(x - 10, 480, x + 10, 570), fill=(110, 80, 50))
        draw.ellipse(s(x - r, 480 - 2 * r + 20, x + r, 500), fill=(90, 130, 80))
    return finish(image, width, height)


PICTURES = {
    "campagne-grand-prix.jpg": grand_prix,
    "campagne-agriculture.jpg": agriculture,
    "ensemble.png": people,
    "appeler-a-l-aide.png": phone,
    "documents-a-soi.png": documents,
    "logement.png": housing,
}


def save(image, path):
    if path.suffix == ".jpg":
        image.save(path, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        # Flat colours: a palette of 64 colours keeps the PNG small without visible bands.
        image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


# The reminder document: a real PDF with selectable text (readers, screen readers and search
# can use it), written by hand with the PDF's standard Helvetica font, one page, A4.
REMINDER_TEXT = {
    "aide-memoire-reconnaitre-les-signes.pdf": (
        "Aide-mémoire : reconnaître les signes de la traite",
        [
            "Coalition québécoise contre la traite des personnes (CQCTP)",
            "",
            "Une personne pourrait vivre une situation de traite si :",
            "- elle n'a pas ses papiers d'identité : quelqu'un d'autre les garde ;",
            "- elle doit une dette qui ne diminue jamais ;",
            "- elle ne peut pas aller et venir librement, ou elle est toujours accompagnée ;",
            "- quelqu'un d'autre parle à sa place ou garde son argent ;",
            "- elle est logée par la personne qui la fait travailler et ne peut pas partir ;",
            "- elle a peur, semble surveillée ou ne sait pas où elle se trouve.",
            "",
            "Ce que vous pouvez faire :",
            "- ne confrontez pas la personne qui semble l'exploiter ;",
            "- si quelqu'un est en danger immédiat, composez le 911 ;",
            "- sinon, appelez la Ligne d'urgence canadienne contre la traite des personnes,",
            "  gratuite et confidentielle, 24 h sur 24, 7 jours sur 7 : 1-833-900-1010.",
            "",
            "Une personne victime a des droits, quel que soit son statut.",
            "Elle décide elle-même de la suite : respectez son rythme et ses choix.",
        ],
    ),
    "reminder-recognising-the-signs.pdf": (
        "Reminder: recognising the signs of human trafficking",
        [
            "Quebec Coalition Against Human Trafficking (CQCTP)",
            "",
            "A person may be in a trafficking situation if:",
            "- they do not have their identity papers: someone else keeps them;",
            "- they owe a debt that never gets smaller;",
            "- they cannot come and go freely, or are always accompanied;",
            "- someone else speaks for them or keeps their money;",
            "- they live where the person who makes them work decides, and cannot leave;",
            "- they seem afraid, watched, or do not know where they are.",
            "",
            "What you can do:",
            "- do not confront the person who seems to exploit them;",
            "- if someone is in immediate danger, call 911;",
            "- otherwise, call the Canadian Human Trafficking Hotline,",
            "  free and confidential, 24 hours a day, 7 days a week: 1-833-900-1010.",
            "",
            "A victim has rights, whatever their status.",
            "They decide what happens next: respect their pace and their choices.",
        ],
    ),
}


def pdf_text(text):
    encoded = text.encode("cp1252")
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def reminder_pdf(title, lines):
    """One A4 page of text in Helvetica (WinAnsi encoding: French accents), as PDF bytes."""
    content = [b"BT", b"/F2 17 Tf", b"56 770 Td", b"(" + pdf_text(title) + b") Tj", b"/F1 11.5 Tf"]
    content.append(b"0 -34 Td")
    for line in lines:
        content.append(b"(" + pdf_text(line) + b") Tj")
        content.append(b"0 -19 Td")
    content.append(b"ET")
    stream = b"\n".join(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang ("
        + (b"fr-CA" if "Aide" in title else b"en-CA")
        + b") >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + pdf_text(title) + b") /Author (CQCTP) >>",
    ]
    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        output += f"{offset:010d} 00000 n \n".encode()
    output += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(output)


def main():
    IMAGES_DIR.mkdir(exist_ok=True)
    for name, draw_picture in PICTURES.items():
        path = IMAGES_DIR / name
        save(draw_picture(), path)
        print(f"{path.name}: {path.stat().st_size // 1024} KB")
    DOCUMENTS_DIR.mkdir(exist_ok=True)
    for name, (title, lines) in REMINDER_TEXT.items():
        path = DOCUMENTS_DIR / name
        path.write_bytes(reminder_pdf(title, lines))
        print(f"{path.name}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
