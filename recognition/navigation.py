"""Recognition's entries in the main navigation (added by people.context_processors.navigation)."""

from django.urls import reverse

from recognition import permissions


def recognition_nav_items(user) -> list[tuple[str, str]]:
    items = [
        ("Wall", reverse("recognition:wall")),
        ("Nominate", reverse("recognition:nomination_new")),
        ("My nominations", reverse("recognition:mine")),
    ]
    if permissions.can_open_review(user):
        items.append(("Review", reverse("recognition:review")))
    return items
