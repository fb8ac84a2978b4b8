"""The back office for weeks, the theme library, activities, sign-ups and team coverage."""

from django.contrib import admin

from events.models import Activity, DayTheme, Registration, TeamCoverage, ThemeTemplate, Week
from events.signals import week_created


class DayThemeInline(admin.TabularInline):
    model = DayTheme
    extra = 0


@admin.register(Week)
class WeekAdmin(admin.ModelAdmin):
    list_display = ["year", "theme", "starts_on", "ends_on", "time_zone", "status"]
    list_filter = ["status"]
    search_fields = ["theme"]
    inlines = [DayThemeInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            # What events.services.week_create announces, once the day themes typed here are saved
            # too: other apps give the new week its defaults.
            week_created.send(sender=Week, week=form.instance)


@admin.register(ThemeTemplate)
class ThemeTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "default_weekday", "position"]
    list_editable = ["default_weekday", "position"]
    search_fields = ["title", "description"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "week", "kind", "format", "starts_at", "host", "capacity", "status"]
    list_filter = ["week", "kind", "format", "status"]
    search_fields = ["title", "description", "host__email"]
    list_select_related = ["week", "host"]
    raw_id_fields = ["host"]
    filter_horizontal = ["audience_teams"]
    readonly_fields = ["sequence", "created_at", "updated_at"]
    inlines = [RegistrationInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "activity", "status", "waitlist_reason", "created_at"]
    list_filter = ["status", "waitlist_reason", "activity__week"]
    search_fields = ["user__email", "activity__title"]
    list_select_related = ["user", "activity"]
    raw_id_fields = ["user", "activity"]


@admin.register(TeamCoverage)
class TeamCoverageAdmin(admin.ModelAdmin):
    list_display = ["team", "max_away_percent"]
    list_select_related = ["team"]
    autocomplete_fields = ["team"]
