"""Reads of the audit log, already limited to who may see it."""

import datetime
import zoneinfo

from django.db.models import QuerySet

from audit import permissions
from audit.models import AuditEntry


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    if not permissions.can_view_audit(user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.all()


def _start_of(day: datetime.date, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def audit_entries_search(
    *,
    viewer,
    actor: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    zone: zoneinfo.ZoneInfo,
) -> QuerySet[AuditEntry]:
    """Newest first: entries by actors whose email contains `actor`, of one `action`, from the start
    of `date_from` to the end of `date_to` (both days included, in `zone`, the viewer's)."""
    entries = audit_entries_visible_to(viewer).select_related("object_type").order_by("-created_at", "-id")
    if actor:
        entries = entries.filter(actor_repr__icontains=actor)
    if action:
        entries = entries.filter(action=action)
    if date_from is not None:
        entries = entries.filter(created_at__gte=_start_of(date_from, zone))
    if date_to is not None:
        entries = entries.filter(created_at__lt=_start_of(date_to + datetime.timedelta(days=1), zone))
    return entries
