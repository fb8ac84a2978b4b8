"""Per-request rules for the signed-in person: their time zone, and a second factor where required."""

import zoneinfo

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
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


# Every page a coordinator opens asks whether they have an authenticator. Once they have, the
# answer is kept in the shared cache for a few minutes instead of a query per request; adding or
# removing an authenticator forgets it at once (people.apps connects `mfa_enabled_forget`).
MFA_ENABLED_KEY = "people:mfa-enabled:{pk}"
MFA_ENABLED_SECONDS = 300


def mfa_enabled(user) -> bool:
    key = MFA_ENABLED_KEY.format(pk=user.pk)
    if cache.get(key):
        return True
    enabled = is_mfa_enabled(user)
    if enabled:
        cache.set(key, True, MFA_ENABLED_SECONDS)
    return enabled


def mfa_enabled_forget(sender, instance, **kwargs) -> None:
    """An authenticator was added or removed: the next page asks the database again (forgotten
    again at commit, so a page read in between cannot keep the old answer)."""
    key = MFA_ENABLED_KEY.format(pk=instance.user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


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
        if mfa_enabled(user):
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
