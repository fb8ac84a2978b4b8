"""Changes made in the admin back office land in the audit log, from the admin's own log entries."""

import contextvars

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.services import audit_record_admin

ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}

# Set while audit.admin's "delete selected" records its deletions itself: Django writes the admin
# log entries of several objects with bulk_create, which sends no post_save.
recording_bulk_deletion = contextvars.ContextVar("recording_bulk_deletion", default=False)


@receiver(post_save, sender=LogEntry, dispatch_uid="audit.admin_log_entry_saved")
def admin_log_entry_saved(sender, instance: LogEntry, created, raw=False, **kwargs):
    if not created or raw or recording_bulk_deletion.get():
        return
    action = ADMIN_ACTIONS.get(instance.action_flag)
    if action is None:
        return
    audit_record_admin(
        actor=instance.user,
        action=action,
        object_type=ContentType.objects.get_for_id(instance.content_type_id)
        if instance.content_type_id
        else None,
        object_id=instance.object_id,
        object_repr=instance.object_repr,
        message=instance.get_change_message(),
    )
