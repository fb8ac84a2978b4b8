"""The back office for award categories, nominations and reactions."""

from django.contrib import admin

from recognition.models import AwardCategory, Nomination, Reaction


@admin.register(AwardCategory)
class AwardCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "week", "opens_at", "closes_at", "award_limit", "position"]
    list_filter = ["week"]
    search_fields = ["name"]
    list_select_related = ["week"]
    ordering = ["-week__year", "position", "name"]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = [
        "nominee",
        "category",
        "week",
        "nominator",
        "status",
        "anonymous",
        "created_at",
        "reviewed_at",
    ]
    list_filter = ["status", "week", "anonymous", "category__name"]
    search_fields = [
        "nominee__email",
        "nominee__first_name",
        "nominee__last_name",
        "nominator__email",
        "story",
    ]
    list_select_related = ["nominee", "nominator", "category", "week"]
    raw_id_fields = ["nominator", "nominee", "reviewed_by", "category"]
    readonly_fields = ["created_at", "reviewed_at", "withdrawn_at", "announced_at"]
    date_hierarchy = "created_at"


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    list_display = ["nomination", "user", "kind", "created_at"]
    list_filter = ["kind"]
    list_select_related = [
        "nomination__nominee",
        "nomination__category",
        "nomination__category__week",
        "user",
    ]
    raw_id_fields = ["nomination", "user"]
