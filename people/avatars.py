"""What stands for a person in lists: their photo, or their initials on a colour of their own."""

import zlib
from dataclasses import dataclass

from django.urls import reverse

# Backgrounds for white initials, each with a contrast ratio of at least 4.5:1 against white
# (tests/people/test_avatars.py measures them); the CSS classes avatar-c0... use the same order.
AVATAR_COLOURS = ("#1d4ed8", "#047857", "#b91c1c", "#6d28d9", "#9a3412", "#0f766e", "#be185d", "#374151")


def initials(person) -> str:
    """Up to two letters: first and last word of the name shown, or the address's first letter."""
    words = [word for word in (person.display_name or person.get_full_name()).split() if word[:1].isalnum()]
    if not words:
        return (person.email[:1] or "?").upper()
    if len(words) == 1:
        return words[0][:1].upper()
    return (words[0][:1] + words[-1][:1]).upper()


def colour_index(person) -> int:
    """The same colour for the same person on every page and every run (not Python's hash())."""
    return zlib.crc32(str(person.pk or person.email).encode()) % len(AVATAR_COLOURS)


def photo_url(person) -> str:
    """Where the person's photo is served (to signed-in people only), or "" when there is none."""
    if not person.photo:
        return ""
    token = person.photo.rsplit("/", 1)[-1].removesuffix(".jpg")
    return reverse("people:photo", kwargs={"pk": person.pk, "token": token})


@dataclass(frozen=True)
class Avatar:
    photo_url: str
    initials: str
    colour: int
    name: str


def avatar_for(person) -> Avatar:
    return Avatar(
        photo_url=photo_url(person), initials=initials(person), colour=colour_index(person), name=person.name
    )
