"""Who may read the reports and the recap, and send the recap."""

from people import permissions as people_permissions


def can_view_reports(user) -> bool:
    """Coordinators see every team; managers their own teams only (the selectors narrow it)."""
    return people_permissions.is_coordinator(user) or people_permissions.is_manager(user)


def sees_all_teams(user) -> bool:
    return people_permissions.is_coordinator(user)


def can_manage_recap(user) -> bool:
    """Edit the thank-you note, preview before the week ends, and send the recap: coordinators."""
    return people_permissions.is_coordinator(user)
