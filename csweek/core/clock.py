"""12- or 24-hour times, as the viewer's locale prefers (their browser's first language)."""

import contextvars

from django.utils import dateformat
from django.utils.timezone import localtime
from django.utils.translation.trans_real import parse_accept_lang_header

# Regions whose everyday clock is 12-hour (CLDR's preferred hour cycle "h").
TWELVE_HOUR_REGIONS = frozenset(
    {"US", "CA", "AU", "NZ", "IN", "PH", "PK", "BD", "EG", "SA", "JO", "MY", "CO", "SV", "HN", "NI"}
)

_twelve_hour: contextvars.ContextVar[bool] = contextvars.ContextVar("twelve_hour", default=False)


def prefers_twelve_hour(accept_language: str) -> bool:
    """Whether the first language of an Accept-Language header names a 12-hour region (en-US)."""
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        parts = tag.replace("_", "-").split("-")
        return len(parts) > 1 and parts[-1].upper() in TWELVE_HOUR_REGIONS
    return False


def activate(twelve_hour: bool) -> contextvars.Token:
    return _twelve_hour.set(twelve_hour)


def deactivate(token: contextvars.Token) -> None:
    _twelve_hour.reset(token)


def format_time(value) -> str:
    """'14:30', or '2:30 pm' for a viewer whose locale uses a 12-hour clock (in the current zone)."""
    if value is None or value == "":
        return ""
    if getattr(value, "tzinfo", None) is not None:
        value = localtime(value)
    if _twelve_hour.get():
        return dateformat.format(value, "g:i a").replace("a.m.", "am").replace("p.m.", "pm")
    return dateformat.format(value, "H:i")


def twelve_hour() -> bool:
    """Whether the current request's viewer reads a 12-hour clock (for keys of cached pages)."""
    return _twelve_hour.get()
