"""Recognition's entries in the main navigation (collected by csweek.navigation)."""

from csweek.core.navigation import NavEntry
from recognition import permissions
from recognition.announcements.permissions import can_manage_announcements

ENTRIES = [
    NavEntry("Wall", "recognition:wall", group="Recognition", order=400),
    NavEntry("Nominate", "recognition:nomination_new", group="Recognition", order=410),
    NavEntry("My nominations", "recognition:mine", group="Recognition", order=420),
    NavEntry(
        "Review", "recognition:review", group="Recognition", order=430, visible=permissions.can_open_review
    ),
    NavEntry(
        "Award categories",
        "recognition:categories_current",
        group="Recognition",
        order=440,
        visible=permissions.can_manage_categories,
        owns=(r"/weeks/\d+/categories/",),
    ),
    NavEntry(
        "Announcements",
        "recognition:announcement_list",
        group="Email",
        order=490,
        visible=can_manage_announcements,
    ),
]
