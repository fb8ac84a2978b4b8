"""The audit log's entry in the main navigation (added by people.context_processors.navigation)."""

from django.urls import reverse

from audit import permissions


def audit_nav_items(user) -> list[tuple[str, str]]:
    if permissions.can_view_audit(user):
        return [("Audit log", reverse("audit:entry_list"))]
    return []
