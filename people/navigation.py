"""People's entries in the main navigation (collected by csweek.navigation)."""

from csweek.core.navigation import NavEntry
from people import permissions

ENTRIES = [
    NavEntry("People", "people:person_list", group="People", order=300, visible=permissions.can_view_people),
    NavEntry("Teams", "people:team_list", group="People", order=310, visible=permissions.can_manage_teams),
    NavEntry(
        "Import staff", "people:staff_import", group="People", order=320, visible=permissions.can_import_staff
    ),
    NavEntry("Profile", "people:profile", group="Account", order=900),
]
