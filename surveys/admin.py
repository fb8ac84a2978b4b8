"""The back office for surveys and their questions.

Answers and the record of who answered are deliberately not registered: no admin screen shows a
person beside an answer, or either of them at all. Results are read on the results page only.
"""

from django.contrib import admin

from surveys.models import Question, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "text", "kind", "required", "choices", "key", "is_enps"]

    # Once published, answers refer to these questions: changing them would change what the
    # answers mean, so the back office shows them only.
    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "week", "status", "opens_at", "closes_at", "respondent_count"]
    list_filter = ["status", "week"]
    search_fields = ["title"]
    list_select_related = ["week"]
    readonly_fields = ["respondent_count", "invited", "reminded", "created_at"]
    raw_id_fields = ["previous", "day_theme"]
    filter_horizontal = ["audience_teams"]
    inlines = [QuestionInline]

    def get_readonly_fields(self, request, obj=None):
        """A published or closed survey keeps its status, window and audience: reopening a closed
        survey for one more answer, then closing it again, would show that answer by difference."""
        if obj is None or obj.is_draft:
            return self.readonly_fields
        return [
            *self.readonly_fields,
            "week",
            "status",
            "opens_at",
            "closes_at",
            "audience_teams",
            "audience_roles",
            "previous",
        ]

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)
