"""Validators every app shares for what people type: one-line fields and the limits of free text."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# The longest free texts people type, in characters; stated here so forms, models and services agree.
DESCRIPTION_MAX_LENGTH = 5000  # descriptions of weeks, day themes, activities, categories; announcements
COMMENT_MAX_LENGTH = 1000  # a reviewer's approve or decline comment

# Line breaks (CR, LF, and the Unicode ones: NEL, LINE and PARAGRAPH SEPARATOR) and other control
# characters. A tab is allowed: it is harmless in calendars, email headers and HTML.
NOT_ONE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
ONE_LINE_MESSAGE = "Keep this on one line: remove the line breaks and other control characters."


def validate_one_line(value: str) -> None:
    """Refuse line breaks and control characters in a field that is shown on one line (a title, a name):
    they break calendar files and email headers."""
    if isinstance(value, str) and NOT_ONE_LINE.search(value):
        raise ValidationError(ONE_LINE_MESSAGE, code="one_line")


def max_length_validator(limit: int) -> MaxLengthValidator:
    """The length limit of a free text, with a message that says what to do."""
    return MaxLengthValidator(
        limit,
        message=f"Keep this to {limit:,} characters (it has %(show_value)d).",
    )
