"""An announced award's certificate: what it says (one dataclass for the page and the PDF) and the
PDF itself, drawn with fpdf2 in DejaVu Serif (shipped in recognition/fonts/) so every name prints."""

import datetime
import io
import logging
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from django.utils.formats import date_format
from fpdf import FPDF

from outbox.selectors import organisation_identity, organisation_logo
from recognition.models import Nomination

STORY_LINE_LIMIT = 160
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSerif"
# Landscape sheets, in millimetres.
PAPERS: dict[str, tuple[str, float, float]] = {
    "a4": ("A4", 297.0, 210.0),
    "letter": ("Letter", 279.4, 215.9),
}
PAPER_LABELS = {"a4": "A4", "letter": "US Letter"}
MARGIN = 18.0

logger = logging.getLogger(__name__)


def story_line(story: str, *, limit: int = STORY_LINE_LIMIT) -> str:
    """The story's first sentence when it is short enough, else its first `limit` characters cut
    at a word, with an ellipsis."""
    text = " ".join(story.split())
    sentence = re.match(r"(.+?[.!?])(?:\s|$)", text)
    if sentence and len(sentence.group(1)) <= limit:
        return sentence.group(1)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


@dataclass(frozen=True)
class Certificate:
    pk: int
    organisation: str
    accent_colour: str
    logo_path: str  # the page's <img>; empty when the organisation has no logo
    category: str
    nominee: str
    story_line: str
    announced_on: str  # the announcement's date in the week's zone, e.g. "8 October 2026"
    approver: str
    year: int
    announced: bool


def certificate_for(award: Nomination) -> Certificate:
    """What `award`'s certificate says. Before the announcement (a manager or coordinator printing
    ahead of the ceremony) it has no date yet: the page and the PDF say "To be announced"."""
    identity = organisation_identity()
    announced_on = ""
    if award.announced_at is not None:
        local: datetime.datetime = award.announced_at.astimezone(zoneinfo.ZoneInfo(award.week.time_zone))
        announced_on = date_format(local.date(), "j F Y")
    return Certificate(
        pk=award.pk,
        organisation=identity.name,
        accent_colour=identity.accent_colour,
        logo_path=identity.logo_path,
        category=award.category.name,
        nominee=award.nominee.name,
        story_line=story_line(award.story),
        announced_on=announced_on,
        approver=award.reviewed_by.name if award.reviewed_by else "",
        year=award.week.year,
        announced=award.announced_at is not None,
    )


def fitted(
    pdf: FPDF, text: str, *, style: str, width: float, largest: float, smallest: float
) -> tuple[str, float]:
    """The largest font size from `largest` down to `smallest` at which `text` fits in `width`
    millimetres; at the smallest size, the text is cut at a word (with an ellipsis) until it fits."""
    size = largest
    while size > smallest:
        pdf.set_font(FONT, style, size)
        if pdf.get_string_width(text) <= width:
            return text, size
        size -= 1
    size = smallest
    pdf.set_font(FONT, style, size)
    while pdf.get_string_width(text) > width and len(text) > 1:
        shorter = text[:-1].rsplit(" ", 1)[0] if " " in text[:-1] else text[:-2]
        text = shorter.rstrip(" ,;:-–—…") + "…"
    return text, size


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy word wrap at the current font (a word wider than `width` gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and pdf.get_string_width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def fitted_lines(
    pdf: FPDF, text: str, *, style: str, width: float, largest: float, smallest: float, max_lines: int = 2
) -> tuple[list[str], float]:
    """The largest size at which `text` fits in `max_lines` lines of `width` millimetres: a long
    name goes onto a second line before it gets small, and is cut (with an ellipsis) only when it
    cannot fit in `max_lines` lines even at `smallest`."""
    size = largest
    while size >= smallest:
        pdf.set_font(FONT, style, size)
        lines = _wrap(pdf, text, width)
        if len(lines) <= max_lines and all(pdf.get_string_width(line) <= width for line in lines):
            return lines, size
        size -= 1
    pdf.set_font(FONT, style, smallest)
    lines = _wrap(pdf, text, width)
    kept = lines[: max_lines - 1]
    rest = " ".join(lines[max_lines - 1 :])
    cut = [
        fitted(pdf, line, style=style, width=width, largest=smallest, smallest=smallest)[0] for line in kept
    ]
    last, _ = fitted(pdf, rest, style=style, width=width, largest=smallest, smallest=smallest)
    if len(lines) > max_lines and not last.endswith("…"):
        last = fitted(pdf, last + " …", style=style, width=width, largest=smallest, smallest=smallest)[0]
    return [*cut, last], smallest


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", colour):
        return (79, 70, 229)
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _centred(
    pdf: FPDF, text: str, *, y: float, style: str, largest: float, smallest: float, max_lines: int = 1
) -> float:
    """Write `text` centred from `y` on at most `max_lines` lines that never run past the margins;
    return the height used."""
    width = pdf.w - 2 * MARGIN - 8
    lines, size = fitted_lines(
        pdf, text, style=style, width=width, largest=largest, smallest=smallest, max_lines=max_lines
    )
    height = size * 0.3528 * 1.3  # points to millimetres, plus leading
    for number, line in enumerate(lines):
        pdf.set_xy(MARGIN + 4, y + number * height)
        pdf.cell(width, height, line, align="C")
    return height * len(lines)


def certificate_pdf(certificate: Certificate, *, paper: str = "a4") -> bytes:
    """The certificate as a one-page landscape PDF on A4 or Letter."""
    format_name, page_width, page_height = PAPERS.get(paper, PAPERS["a4"])
    pdf = FPDF(orientation="landscape", unit="mm", format=format_name)
    pdf.set_title(f"Certificate: {certificate.nominee}, {certificate.category} {certificate.year}")
    pdf.set_author(certificate.organisation)
    pdf.set_creator("csweek")
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
    pdf.add_page()
    accent = _hex_rgb(certificate.accent_colour)
    pdf.set_draw_color(*accent)
    pdf.set_line_width(1.2)
    pdf.rect(MARGIN / 2, MARGIN / 2, page_width - MARGIN, page_height - MARGIN)
    pdf.set_line_width(0.3)
    pdf.rect(MARGIN / 2 + 2.5, MARGIN / 2 + 2.5, page_width - MARGIN - 5, page_height - MARGIN - 5)

    y = MARGIN + 8
    logo = organisation_logo() if certificate.logo_path else None
    if logo is not None:
        try:
            pdf.image(io.BytesIO(logo[0]), x=(page_width - 60) / 2, y=y, w=60, h=18, keep_aspect_ratio=True)
            y += 21
        # A logo fpdf2 cannot draw leaves the organisation's name alone on the page, never a 500.
        except Exception:
            logger.warning("The organisation's logo could not be drawn on a certificate.", exc_info=True)
    pdf.set_text_color(60, 60, 60)
    y += _centred(pdf, certificate.organisation, y=y, style="B", largest=15, smallest=9)
    y += 6
    pdf.set_text_color(*accent)
    y += _centred(pdf, "Certificate of recognition", y=y, style="B", largest=30, smallest=18)
    y += 6
    pdf.set_text_color(60, 60, 60)
    y += _centred(
        pdf, f"Customer Service Week {certificate.year} · awarded to", y=y, style="", largest=13, smallest=9
    )
    y += 5
    pdf.set_text_color(17, 17, 17)
    y += _centred(pdf, certificate.nominee, y=y, style="B", largest=34, smallest=16, max_lines=2)
    y += 4
    pdf.set_text_color(60, 60, 60)
    y += _centred(pdf, "for", y=y, style="", largest=13, smallest=9)
    pdf.set_text_color(*accent)
    y += _centred(pdf, certificate.category, y=y, style="B", largest=22, smallest=12, max_lines=2)
    y += 8
    pdf.set_text_color(60, 60, 60)
    pdf.set_font(FONT, "", 12)
    pdf.set_xy(MARGIN + 20, y)
    # At most 160 characters: three lines at 12 pt fit in any of the two widths.
    pdf.multi_cell(
        page_width - 2 * MARGIN - 40, 6, f"“{certificate.story_line}”", align="C", max_line_height=6
    )

    bottom = page_height - MARGIN - 14
    half = (page_width - 2 * MARGIN - 8) / 2
    pdf.set_text_color(17, 17, 17)
    date_text = certificate.announced_on or "To be announced"
    for x, label, value in (
        (MARGIN + 4, "Date", date_text),
        (MARGIN + 4 + half, "Approved by", certificate.approver or "—"),
    ):
        value, _size = fitted(pdf, value, style="B", width=half - 10, largest=13, smallest=8)
        pdf.set_xy(x, bottom)
        pdf.cell(half, 6, value, align="C")
        pdf.set_draw_color(150, 150, 150)
        pdf.line(x + 15, bottom + 7, x + half - 15, bottom + 7)
        pdf.set_font(FONT, "", 9)
        pdf.set_xy(x, bottom + 8)
        pdf.cell(half, 5, label, align="C")
    return bytes(pdf.output())
