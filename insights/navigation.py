"""Insights' entry in the main navigation (collected by csweek.navigation)."""

from csweek.core.navigation import NavEntry
from insights import permissions

ENTRIES = [
    NavEntry(
        "Reports", "insights:report_latest", group="Plan", order=150, visible=permissions.can_view_reports
    ),
]
