"""{% avatar person %}: the one way every page shows a person's photo or initials."""

from django import template

from people.avatars import avatar_for

register = template.Library()

SIZES = {"sm": 32, "md": 48, "lg": 96}


@register.inclusion_tag("includes/avatar.html")
def avatar(person, size: str = "sm"):
    """The photo (alt text empty: the name is always written beside it) or the initials."""
    return {
        "avatar": avatar_for(person),
        "size": size if size in SIZES else "sm",
        "pixels": SIZES.get(size, 32),
    }
