"""The outbox's entry in the main navigation (collected by csweek.navigation)."""

from csweek.core.navigation import NavEntry
from outbox import permissions

ENTRIES = [
    NavEntry(
        "Deliveries",
        "outbox:delivery_list",
        group="Email",
        order=500,
        visible=permissions.can_manage_deliveries,
    ),
]
