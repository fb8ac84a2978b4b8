"""The one writer of the audit log, called by every service that does something accountable."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.actions import ACTIONS
from audit.models import OBJECT_ID_MAX, OBJECT_REPR_MAX, AuditEntry


def _describe(obj: models.Model) -> str:
    # People are named by their email, as actors are: names change and repeat.
    text = obj.get_username() if isinstance(obj, AbstractBaseUser) else str(obj)
    return text[:OBJECT_REPR_MAX]


def _entry_save(*, actor, action: str, detail: dict[str, Any] | None, **object_fields) -> AuditEntry:
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}; add it to audit.actions.ACTIONS.")
    if actor is not None and not actor.is_authenticated:
        actor = None
    entry = AuditEntry(
        actor=actor,
        actor_repr=actor.get_username() if actor is not None else "",
        action=action,
        detail=detail or {},
        **object_fields,
    )
    entry.save()
    return entry


# No atomic block of its own: an entry is one INSERT, made in the caller's transaction (so it
# commits or rolls back with the change); a savepoint would cost two queries and protect nothing.
def audit_record(
    *, actor, action: str, obj: models.Model | None = None, detail: dict[str, Any] | None = None
) -> AuditEntry:
    """Record that `actor` did `action` (to `obj`). Call it inside the transaction of the change it
    records, so the entry commits or rolls back with it; `obj` may be about to be deleted."""
    object_fields = {}
    if obj is not None:
        object_fields = {
            "object_type": ContentType.objects.get_for_model(obj, for_concrete_model=False),
            "object_id": "" if obj.pk is None else str(obj.pk),
            "object_repr": _describe(obj),
        }
    return _entry_save(actor=actor, action=action, detail=detail, **object_fields)


def audit_record_admin(
    *, actor, action: str, object_type: ContentType | None, object_id, object_repr: str, message: str
) -> AuditEntry:
    """An entry for a change made in the admin back office, from what Django's admin log holds
    (the object may be gone already)."""
    return _entry_save(
        actor=actor,
        action=action,
        detail={"change": message} if message else {},
        object_type=object_type,
        object_id="" if object_id is None else str(object_id)[:OBJECT_ID_MAX],
        object_repr=(object_repr or "")[:OBJECT_REPR_MAX],
    )
