"""Colour maths for the organisation's accent: the shades the design system needs, and WCAG contrast."""

import re

from django.core.exceptions import ValidationError

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
INK = "#0f172a"
# Links and buttons are drawn in the accent on white and with white text on the accent (WCAG AA).
MIN_CONTRAST = 4.5


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0, min(255, channel))):02x}" for channel in rgb)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` (0..1) of `other` mixed in."""
    return _hex(tuple(a * (1 - share) + b * share for a, b in zip(_rgb(colour), _rgb(other), strict=True)))


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_accent(value: str) -> None:
    """A colour as #rrggbb that white text and white pages can both be read against."""
    if not isinstance(value, str) or not HEX_COLOUR.match(value):
        raise ValidationError("Enter a colour as # and six hexadecimal digits, for example #4f46e5.")
    ratio = contrast(value.lower(), WHITE)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            f"This colour is too light to read on white ({ratio:.1f}:1, needs {MIN_CONTRAST}:1): "
            "choose a darker shade."
        )


def accent_shades(accent: str) -> dict[str, str]:
    """The design system's accent tokens (static/css/design.css) derived from one colour."""
    accent = accent.lower()
    return {
        "accent": accent,
        "accent-strong": mix(accent, "#000000", 0.25),
        "accent-soft": mix(accent, WHITE, 0.9),
        "accent-contrast": WHITE,
    }
