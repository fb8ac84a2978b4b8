"""Per-request rules for the signed-in person: their time zone, and a second factor where required."""

import zoneinfo

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Send a coordinator, staff member or superuser without an authenticator to set one up.

    With MFA_REQUIRED_FOR_STAFF on, every other page waits until they have activated one; the
    pages needed to do so (allauth's MFA pages, re-entering the password, signing out) stay open.
    """

    # allauth's MFA pages are all named mfa_*; these are the other pages needed to get there.
    ALLOWED_URL_NAMES = frozenset(
        {
            "account_logout",
            "account_login",
            "account_reauthenticate",
            "account_confirm_email",
            "account_email",
            "account_email_verification_sent",
            "healthz",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MFA_REQUIRED_FOR_STAFF:
            return None
        user = request.user
        if not (user.is_authenticated and mfa_required(user)):
            return None
        match = request.resolver_match
        url_name = match.url_name or ""
        # allauth's pages have no namespace; the admin's pages for allauth's Authenticator model
        # are also named mfa_* but live in the "admin" namespace and must stay closed.
        if not match.namespaces and (url_name.startswith("mfa_") or url_name in self.ALLOWED_URL_NAMES):
            return None
        if is_mfa_enabled(user):
            return None
        setup_url = reverse("mfa_activate_totp")
        if request.htmx:
            return HttpResponseClientRedirect(setup_url)
        if request.method == "GET":
            messages.info(request, MFA_SETUP_MESSAGE, fail_silently=True)
        return HttpResponseRedirect(setup_url)


MFA_SETUP_MESSAGE = "Set up two-factor authentication to continue: coordinators and admin staff need it."


def mfa_required(user) -> bool:
    """Whose account must have a second factor: anyone who can change other people's data or the site."""
    return bool(user.is_staff or user.is_superuser or user.is_coordinator)
