"""Who may see and act on the outbox."""

from people.permissions import is_coordinator


def can_manage_deliveries(user) -> bool:
    """See /deliveries/, retry failed emails and send announcements: coordinators only."""
    return is_coordinator(user)
