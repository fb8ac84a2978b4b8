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
