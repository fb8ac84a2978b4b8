"""Who may read the audit log: coordinators (and superusers), and nobody may change it."""


def can_view_audit(user) -> bool:
    # `is_coordinator` is the user model's own property: the audit app sits below people.
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_coordinator", False))
