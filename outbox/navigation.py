"""The outbox's entries in the main navigation (collected by csweek.navigation)."""

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
    NavEntry(
        "Slack & Teams",
        "outbox:chat_webhook_list",
        group="Admin",
        order=860,
        visible=permissions.can_manage_integrations,
    ),
    NavEntry(
        "Organisation",
        "outbox:organisation_edit",
        group="Admin",
        order=850,
        visible=permissions.can_edit_organisation,
    ),
]
