"""Every response carries the Content-Security-Policy and Permissions-Policy; signed-in pages are private."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CoordinatorFactory

# django-csp joins the directives in no fixed order, so they are compared as a set.
CSP_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
# Emails are read in mail clients, not under our CSP: inline styles are what they need.
EMAIL_DIRS = (TEMPLATES_DIR / "emails", TEMPLATES_DIR / "account" / "email")


def csp_directives(response) -> list[str]:
    return sorted(response["Content-Security-Policy"].split("; "))


@pytest.fixture
def staff_client(client, db):
    client.force_login(CoordinatorFactory(email="staff@example.com", is_staff=True, is_superuser=True))
    return client


def _urls(agent) -> dict[str, tuple[str, int]]:
    return {
        "page": (reverse("dashboard"), 200),
        "not_found": ("/no-such-page/", 404),
        "calendar_feed": (reverse("events:calendar_feed", args=[agent.calendar_token]), 200),
        "admin_index": (reverse("admin:index"), 200),
        "admin_change_list": (reverse("admin:people_user_changelist"), 200),
        "admin_change_form": (reverse("admin:people_user_change", args=[agent.pk]), 200),
    }


@pytest.mark.parametrize(
    "name", ["page", "not_found", "calendar_feed", "admin_index", "admin_change_list", "admin_change_form"]
)
def test_response_has_csp_and_permissions_policy_when_signed_in(staff_client, agent, name):
    url, status = _urls(agent)[name]

    response = staff_client.get(url)

    assert response.status_code == status
    assert csp_directives(response) == sorted(CSP_DIRECTIVES)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.django_db
def test_login_page_has_csp_and_permissions_policy_when_anonymous(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert csp_directives(response) == sorted(CSP_DIRECTIVES)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.django_db
def test_json_response_has_csp_and_permissions_policy(client):
    response = client.get(reverse("healthz"))

    assert response["Content-Type"] == "application/json"
    assert csp_directives(response) == sorted(CSP_DIRECTIVES)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_csp_directives_have_no_unsafe_source():
    for directive in CSP_DIRECTIVES:
        assert "unsafe" not in directive
    assert set(settings.CONTENT_SECURITY_POLICY) == {"DIRECTIVES"}


def test_single_sign_on_provider_may_receive_the_login_form(tmp_path):
    # The SSO button posts to csweek, which redirects to the provider: form-action covers redirects.
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']))"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "csweek.settings",
        "DJANGO_DEBUG": "True",
        "CSWEEK_VAR_DIR": str(tmp_path),
        "OIDC_CLIENT_ID": "csweek",
        "OIDC_SERVER_URL": "https://login.example.com/tenant/v2.0",
        "CSP_EXTRA_FORM_ACTION": "https://sso.example.org",
    }
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)

    assert json.loads(result.stdout) == ["'self'", "https://login.example.com", "https://sso.example.org"]


# --- No inline code in page templates ---------------------------------------------------------

INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
INLINE_EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def _page_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES_DIR.rglob("*.html")
        if not any(path.is_relative_to(email_dir) for email_dir in EMAIL_DIRS)
    )


def _inline_code(text: str) -> list[str]:
    found = [match.group(0).strip() for match in INLINE_STYLE.finditer(text)]
    found += [match.group(0).strip() for match in INLINE_EVENT_HANDLER.finditer(text)]
    for match in SCRIPT_TAG.finditer(text):
        tag = match.group(0)
        if not re.search(r"\ssrc=", tag) and 'type="application/json"' not in tag:
            found.append(tag)
    return found


def test_page_templates_have_no_inline_style_or_script():
    offenders = {
        str(path.relative_to(TEMPLATES_DIR)): found
        for path in _page_templates()
        if (found := _inline_code(path.read_text()))
    }

    assert offenders == {}


def test_inline_code_finder_sees_each_kind():
    text = '<style>p{}</style><p style="x"><script>1</script><a onclick="x()"><script src="/a.js"></script>'

    assert _inline_code(text) == ["<style", "style=", "onclick=", "<script>"]
    assert _inline_code('<script id="d" type="application/json">{}</script>') == []


def test_page_templates_are_found():
    names = {str(path.relative_to(TEMPLATES_DIR)) for path in _page_templates()}

    assert {"base.html", "allauth/layouts/base.html", "400.html", "413.html"} <= names
    assert not any(name.startswith(("emails/", "account/email/")) for name in names)


# --- Caching of private pages -----------------------------------------------------------------


def test_signed_in_page_is_private_no_store(client, agent):
    client.force_login(agent)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_signed_in_ics_download_is_private_no_store(client, agent):
    client.force_login(agent)

    response = client.get(reverse("events:calendar_feed", args=[agent.calendar_token]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_anonymous_login_page_keeps_allauths_never_cache(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.django_db
def test_anonymous_page_gets_no_cache_control(client):
    # Nothing personal is on a page for an anonymous visitor; caching it is the view's decision.
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response.has_header("Cache-Control") is False


def test_anonymous_calendar_feed_keeps_its_own_cache_control(client, agent):
    response = client.get(reverse("events:calendar_feed", args=[agent.calendar_token]))

    assert response["Cache-Control"] == "private, no-store"


def test_view_cache_control_is_kept_for_signed_in(client, agent):
    client.force_login(agent)

    response = client.get(reverse("healthz"))

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
