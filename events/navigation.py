"""Events' entries in the main navigation (collected by csweek.navigation)."""

from csweek.core.navigation import NavEntry


def _plans_weeks(user) -> bool:
    return user.is_active and user.is_coordinator


ENTRIES = [
    NavEntry("Schedule", "events:schedule", group="Plan", order=100),
    NavEntry("Weeks", "events:week_list", group="Plan", order=110, visible=_plans_weeks),
]
