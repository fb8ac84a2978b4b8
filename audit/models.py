"""The audit log: who did what to which object, and when; rows are only ever added."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from audit.actions import action_label

OBJECT_ID_MAX = 64
OBJECT_REPR_MAX = 200


class AuditEntryImmutableError(Exception):
    """Raised by any attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    # The base manager stays Django's: deleting a user sets `actor` to NULL through it.
    def update(self, **kwargs):
        raise AuditEntryImmutableError("Audit entries cannot be changed.")

    def delete(self):
        raise AuditEntryImmutableError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the (actor, -created_at) index serves lookups by actor
    )
    # The actor's email at the time, kept when the account is deleted; empty for the system.
    actor_repr = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=OBJECT_ID_MAX, blank=True)
    # What the object was called at the time, kept when it is deleted.
    object_repr = models.CharField(max_length=OBJECT_REPR_MAX, blank=True)
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_created_desc"),
            models.Index(fields=["action", "-created_at"], name="audit_action_created"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_created"),
        ]

    def __str__(self) -> str:
        who = self.actor_repr or "System"
        return f"{who}: {self.action_label} {self.object_repr}".strip()

    def save(self, *args, **kwargs):
        # A new instance carrying an existing id would otherwise UPDATE that row: only inserts.
        if not self._state.adding or self.pk is not None:
            raise AuditEntryImmutableError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryImmutableError("Audit entries cannot be deleted.")

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def detail_items(self) -> list[tuple[str, str]]:
        """The detail as (label, text) pairs for people to read: lists joined, keys in words, in
        alphabetical order (PostgreSQL's jsonb keeps no insertion order; "from" comes before "to")."""
        if not isinstance(self.detail, dict):
            return [("detail", str(self.detail))]
        items = []
        for key, value in sorted(self.detail.items()):
            if isinstance(value, list | tuple):
                text = ", ".join(str(item) for item in value) or "none"
            elif value is None or value == "":
                text = "none"
            else:
                text = str(value)
            items.append((str(key).replace("_", " "), text))
        return items

    @property
    def detail_text(self) -> str:
        return "; ".join(f"{key}: {text}" for key, text in self.detail_items)
