"""The back office for people, teams and invitations."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from people.models import Invitation, Team, User

# Who may use the admin and with which powers, and the password: only a superuser changes these.
# Coordinators change roles in the people pages, under people/permissions.py's rules.
PRIVILEGED_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponseRedirect:
    """Replace the admin's own sign-in form, which knows neither rate limits nor a second factor.

    Anyone not yet signed in goes to allauth's sign-in page and comes back; a signed-in person who
    is not staff is refused rather than offered a form to sign in as someone else.
    """
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        raise PermissionDenied
    return HttpResponseRedirect(f"{resolve_url('account_login')}?{urlencode({'next': next_url})}")


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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # The password is not shown at all: its field links to the password page, refused below.
        return tuple(
            (name, {**options, "fields": tuple(f for f in options["fields"] if f != "password")})
            for name, options in fieldsets
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and not request.user.is_superuser:
            # UserChangeForm declares it, so leaving it out of the fieldsets does not drop it.
            form.base_fields.pop("password", None)
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            readonly += PRIVILEGED_FIELDS
        return readonly

    def has_change_permission(self, request, obj=None):
        # A superuser's record is only changed by a superuser: changing its email address would
        # otherwise let a coordinator reset its password and sign in as them.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        # The forms above never carry these flags for a non-superuser; this keeps it so if a form
        # or a fieldset changes later.
        if not request.user.is_superuser:
            stored = User.objects.filter(pk=obj.pk).values("is_staff", "is_superuser").first()
            if (obj.is_staff, obj.is_superuser) != (
                (stored["is_staff"], stored["is_superuser"]) if stored else (False, False)
            ):
                raise PermissionDenied
        super().save_model(request, obj, form, change)


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

    # Invitations are made by the people pages (person_invite), which only invite new people; in the
    # admin only a superuser may attach one to an account by hand.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser
