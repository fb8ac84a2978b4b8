"""The audit log in the back office: readable by superusers, changeable by nobody. Also makes the
admin's "Delete selected" action record every deletion, as single deletions are."""

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.db import transaction

from audit.models import AuditEntry
from audit.receivers import recording_bulk_deletion
from audit.services import audit_record


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_repr", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_repr", "object_repr"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "actor",
        "actor_repr",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "detail",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.action(permissions=["delete"], description=delete_selected.short_description)
def delete_selected_audited(modeladmin, request, queryset):
    """Django's "Delete selected", with one audit entry per deleted object, in one transaction."""
    with transaction.atomic():
        # Read before the action runs: afterwards the rows are gone.
        objects = list(queryset) if request.POST.get("post") else []
        token = recording_bulk_deletion.set(True)
        try:
            response = delete_selected(modeladmin, request, queryset)
        finally:
            recording_bulk_deletion.reset(token)
        if response is None:  # the objects were deleted (a page back means nothing was)
            for obj in objects:
                audit_record(actor=request.user, action="admin.delete", obj=obj)
    return response


admin.site.add_action(delete_selected_audited, "delete_selected")
