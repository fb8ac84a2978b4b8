from django.contrib import admin

from insights.models import WeekRecap


@admin.register(WeekRecap)
class WeekRecapAdmin(admin.ModelAdmin):
    list_display = ["week", "sent_at", "sent_by"]
    readonly_fields = ["sent_at", "sent_by", "updated_at"]
