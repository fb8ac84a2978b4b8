"""Who may write and send announcements."""

from people.permissions import is_coordinator


def can_manage_announcements(user) -> bool:
    """Write, schedule, send and cancel announcements: coordinators only."""
    return bool(user.is_authenticated and user.is_active and is_coordinator(user))
