from django.contrib import admin

from outbox.models import Delivery, EmailOptOut


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["kind", "address", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["address", "message_id"]
    raw_id_fields = ["recipient"]
    readonly_fields = [
        "recipient",
        "address",
        "kind",
        "content_type",
        "object_id",
        "occurrence",
        "attempts",
        "last_error",
        "queued_at",
        "claimed_at",
        "sent_at",
        "message_id",
        "created_at",
    ]
    exclude = ["payload"]  # may hold a password-reset link until sent


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    """The emails people switched off (outbox.preferences); people switch them on again on their profile."""

    list_display = ["user", "preference", "created_at"]
    list_filter = ["preference"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
