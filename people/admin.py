"""The back office for people, teams and invitations."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from people.models import Invitation, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "team", "time_zone", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups", "team"]
    search_fields = ["email", "first_name", "last_name", "display_name"]
    list_select_related = ["team"]
    autocomplete_fields = ["team"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("first_name", "last_name", "display_name", "team", "time_zone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created"]
    list_filter = [("managers", admin.RelatedOnlyFieldListFilter), "created"]
    search_fields = ["name", "managers__email"]
    filter_horizontal = ["managers"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "invited_by", "created", "expires_at", "sent_at", "accepted_at"]
    list_filter = ["accepted_at", "sent_at", "expires_at"]
    search_fields = ["user__email", "invited_by__email"]
    list_select_related = ["user", "invited_by"]
    raw_id_fields = ["user", "invited_by"]
    # The token is left out on purpose: whoever reads it can join as the invited person.
    readonly_fields = ["created", "sent_at", "accepted_at"]
