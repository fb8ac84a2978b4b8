"""The audit log's entry in the main navigation (collected by csweek.navigation)."""

from audit import permissions
from csweek.core.navigation import NavEntry

ENTRIES = [
    NavEntry("Audit log", "audit:entry_list", group="Admin", order=800, visible=permissions.can_view_audit),
]
