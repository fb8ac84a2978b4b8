"""Who may see and act on the outbox."""


def can_manage_deliveries(user) -> bool:
    """See /deliveries/, retry failed emails and send announcements: coordinators only."""
    # people.permissions.is_coordinator's rule, read from the user itself: the outbox sits below people.
    return bool(user.is_authenticated and user.is_active and user.is_coordinator)


def can_edit_organisation(user) -> bool:
    """Set the organisation's name, logo and accent colour: coordinators only."""
    return bool(user.is_authenticated and user.is_active and user.is_coordinator)


def can_manage_integrations(user) -> bool:
    """Add, change and remove the Slack and Teams webhooks: coordinators only."""
    return bool(user.is_authenticated and user.is_active and user.is_coordinator)
