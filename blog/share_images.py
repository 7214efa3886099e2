"""Share images: the PNG a link preview shows for a post or a compilation, drawn with Pillow.

Plain drawing, no database: the view (blog/views.py) reads the page and keeps the bytes per
content version. The fonts are DejaVu Sans when the system has it (Debian's fonts-dejavu-core)
and Pillow's own scalable default font otherwise, so an image is drawn everywhere.
"""

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
LOGO_SIZE = 512
MARGIN = 80
BACKGROUND = "#ffffff"
TEXT = "#1d232a"
MUTED = "#4f5b66"
ACCENT = "#0b6e4f"
TITLE_SIZES = (64, 56, 48)  # the largest whose lines fit; four lines of any fit above the footer
MAX_TITLE_LINES = 4
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


@lru_cache(maxsize=16)
def _font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def _wrap(draw, text, font, width):
    """The text's lines, broken between words to fit `width` (a word too long is cut)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while draw.textlength(word, font=font) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _title_lines(draw, title, width):
    """(font, lines): the largest title size whose lines fit, the last line ellipsised if even
    the smallest does not."""
    for size in TITLE_SIZES:
        font = _font(size, bold=True)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= MAX_TITLE_LINES:
            return font, lines
    lines = lines[:MAX_TITLE_LINES]
    last = lines[-1]
    while last and draw.textlength(f"{last}…", font=font) > width:
        last = last[:-1].rstrip()
    lines[-1] = f"{last}…"
    return font, lines


def _mark(draw, left, top, size):
    """The site's mark (the favicon's rounded square with a D), `size` pixels square."""
    draw.rounded_rectangle((left, top, left + size, top + size), radius=size * 6 // 32, fill=ACCENT)
    font = _font(size * 3 // 4, bold=True)
    draw.text((left + size / 2, top + size / 2), "D", font=font, fill="#ffffff", anchor="mm")


def _png(image):
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def share_image(title, label, site_name):
    """PNG bytes, WIDTH x HEIGHT: `label` (the topic, or "Compilation") above the title, the
    site's mark and name at the bottom."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 16), fill=ACCENT)
    width = WIDTH - 2 * MARGIN
    top = MARGIN
    if label:
        label_font = _font(34, bold=True)
        label = _wrap(draw, label.upper(), label_font, width)[0]
        draw.text((MARGIN, top), label, font=label_font, fill=ACCENT)
        top += 70
    font, lines = _title_lines(draw, title, width)
    line_height = int(font.size * 1.22)
    for line in lines:
        draw.text((MARGIN, top), line, font=font, fill=TEXT)
        top += line_height
    mark = 64
    bottom = HEIGHT - MARGIN - mark
    _mark(draw, MARGIN, bottom, mark)
    draw.text(
        (MARGIN + mark + 24, bottom + mark / 2),
        site_name,
        font=_font(36, bold=True),
        fill=MUTED,
        anchor="lm",
    )
    return _png(image)


def logo():
    """PNG bytes of the site's mark, LOGO_SIZE square (the publisher's logo in JSON-LD)."""
    image = Image.new("RGBA", (LOGO_SIZE, LOGO_SIZE), (0, 0, 0, 0))
    _mark(ImageDraw.Draw(image), 0, 0, LOGO_SIZE)
    return _png(image)
