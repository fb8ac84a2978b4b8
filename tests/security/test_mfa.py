"""Two-factor authentication: enrolling an authenticator app, signing in with it, and who must."""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from people.middleware import MFA_SETUP_MESSAGE
from people.models import Role, Team
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
LOGOUT_URL = "/accounts/logout/"
MFA_AUTHENTICATE_URL = "/accounts/2fa/authenticate/"
TOTP_SETUP_URL = "/accounts/2fa/totp/activate/"
RECOVERY_CODES_URL = "/accounts/2fa/recovery-codes/"
REAUTHENTICATE_URL = "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
NOON = dt.datetime(2026, 10, 5, 12, 0, 0, tzinfo=dt.UTC)


def totp_code(secret: str, when: dt.datetime) -> str:
    """The code an authenticator app shows at `when` (30-second steps, 6 digits)."""
    return format_hotp_value(hotp_value(secret, int(when.timestamp()) // 30))


def session_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def enrol_totp(client, when: dt.datetime) -> str:
    """Activate an authenticator app through the real pages; returns its secret.

    Adding an authenticator asks for the password again first (allauth's reauthentication), so a
    borrowed session cannot add its own.
    """
    response = client.get(TOTP_SETUP_URL)
    assert (response.status_code, response["Location"]) == (302, REAUTHENTICATE_URL)
    response = client.post(REAUTHENTICATE_URL, {"password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, TOTP_SETUP_URL)
    page = client.get(TOTP_SETUP_URL)
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(TOTP_SETUP_URL, {"code": totp_code(secret, when)})
    assert (response.status_code, response["Location"]) == (302, RECOVERY_CODES_URL)
    return secret


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


# --- Enrolling and signing in -----------------------------------------------------------------


def test_mfa_agent_enrols_totp_then_signs_in_with_password_and_code(client, agent):
    with time_machine.travel(NOON, tick=False):
        assert sign_in(client, "agent@example.com").status_code == 302
        secret = enrol_totp(client, NOON)
        assert sorted(Authenticator.objects.filter(user=agent).values_list("type", flat=True)) == [
            Authenticator.Type.RECOVERY_CODES,
            Authenticator.Type.TOTP,
        ]
        client.post(LOGOUT_URL)
        assert session_user_id(client) is None

    later = NOON + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        response = sign_in(client, "agent@example.com")
        assert (response.status_code, response["Location"]) == (302, MFA_AUTHENTICATE_URL)
        assert session_user_id(client) is None
        response = client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(secret, later)})
        assert (response.status_code, response["Location"]) == (302, "/")
        assert session_user_id(client) == agent.pk


def test_mfa_wrong_code_does_not_sign_in(client, agent):
    secret = generate_totp_secret()
    TOTP.activate(agent, secret)
    with time_machine.travel(NOON, tick=False):
        sign_in(client, "agent@example.com")
        wrong = totp_code(secret, NOON + dt.timedelta(minutes=10))
        response = client.post(MFA_AUTHENTICATE_URL, {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["Incorrect code."]}
    assert session_user_id(client) is None


def test_mfa_sixth_code_after_five_wrong_ones_is_refused_even_if_right(client, agent):
    secret = generate_totp_secret()
    TOTP.activate(agent, secret)
    with time_machine.travel(NOON, tick=False):
        sign_in(client, "agent@example.com")
        wrong = totp_code(secret, NOON + dt.timedelta(minutes=10))
        for _ in range(5):
            client.post(MFA_AUTHENTICATE_URL, {"code": wrong})
        response = client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(secret, NOON)})
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["Too many failed login attempts. Try again later."]}
    assert session_user_id(client) is None


def test_mfa_superuser_reaches_admin_through_password_and_code(client, mfa_required):
    superuser = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(superuser, secret)
    with time_machine.travel(NOON, tick=False):
        response = client.get("/admin/", follow=True)
        assert response.redirect_chain[-1] == ("/accounts/login/?next=%2Fadmin%2F", 302)
        response = client.post(
            "/accounts/login/?next=%2Fadmin%2F", {"login": "root@example.com", "password": PASSWORD}
        )
        assert (response.status_code, response["Location"]) == (302, MFA_AUTHENTICATE_URL)
        assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
        response = client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(secret, NOON)})
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert client.get("/admin/").status_code == 200


def test_mfa_code_used_once_is_refused_the_second_time(client, agent):
    secret = generate_totp_secret()
    TOTP.activate(agent, secret)
    with time_machine.travel(NOON, tick=False):
        sign_in(client, "agent@example.com")
        assert client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(secret, NOON)}).status_code == 302
        client.post(LOGOUT_URL)
        sign_in(client, "agent@example.com")
        response = client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(secret, NOON)})
    assert response.status_code == 200
    assert session_user_id(client) is None


def test_mfa_coordinator_signing_in_is_sent_to_setup_and_then_gets_in(client, coordinator, mfa_required):
    with time_machine.travel(NOON, tick=False):
        response = sign_in(client, "coord@example.com")
        assert (response.status_code, response["Location"]) == (302, "/")
        response = client.get("/", follow=True)
        assert response.redirect_chain == [(TOTP_SETUP_URL, 302), (REAUTHENTICATE_URL, 302)]
        assert [str(m) for m in response.context["messages"]] == [
            f"Successfully signed in as {coordinator.name}.",
            MFA_SETUP_MESSAGE,
        ]
        enrol_totp(client, NOON)
        assert client.get("/").status_code == 200
        assert client.get("/people/").status_code == 200


# --- Who must have it -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/people/", "/teams/", "/admin/"])
def test_mfa_required_coordinator_without_authenticator_is_sent_to_setup(
    client, coordinator, mfa_required, path
):
    client.force_login(coordinator)
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, TOTP_SETUP_URL)


def test_mfa_required_coordinator_post_is_not_carried_out(client, coordinator, mfa_required):
    client.force_login(coordinator)
    response = client.post(reverse("people:team_create"), {"name": "Night Shift"})
    assert (response.status_code, response["Location"]) == (302, TOTP_SETUP_URL)
    assert Team.objects.filter(name="Night Shift").count() == 0


def test_mfa_required_htmx_request_redirects_the_whole_page(client, coordinator, mfa_required):
    client.force_login(coordinator)
    response = client.get("/people/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == TOTP_SETUP_URL


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: UserFactory(email="root@example.com", is_staff=True, is_superuser=True),
        lambda: UserFactory(email="staffagent@example.com", is_staff=True, role=Role.AGENT),
    ],
    ids=["superuser", "staff"],
)
def test_mfa_required_superuser_and_staff_are_sent_to_setup(client, mfa_required, make_user):
    client.force_login(make_user())
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, TOTP_SETUP_URL)


@pytest.mark.parametrize("user_fixture", ["agent", "manager"])
def test_mfa_required_agent_and_manager_are_not_sent_to_setup(client, mfa_required, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get("/").status_code == 200


def test_mfa_required_coordinator_with_authenticator_gets_in(client, coordinator, mfa_required):
    TOTP.activate(coordinator, generate_totp_secret())
    client.force_login(coordinator)
    assert client.get("/").status_code == 200
    assert client.get("/people/").status_code == 200


def test_mfa_required_coordinator_asks_for_the_authenticator_once_not_on_every_page(
    client, coordinator, mfa_required
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TOTP.activate(coordinator, generate_totp_secret())
    client.force_login(coordinator)

    def authenticator_queries(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return sum('"mfa_authenticator"' in q["sql"] for q in queries)

    assert authenticator_queries("/") == 1
    assert (authenticator_queries("/people/"), authenticator_queries("/")) == (0, 0)


def test_mfa_required_coordinator_removing_their_authenticator_is_sent_to_setup_at_once(
    client, coordinator, mfa_required, django_capture_on_commit_callbacks
):
    TOTP.activate(coordinator, generate_totp_secret())
    client.force_login(coordinator)
    assert client.get("/people/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Authenticator.objects.filter(user=coordinator).delete()
    response = client.get("/people/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/totp/activate/")


def test_mfa_required_off_lets_coordinator_in(client, coordinator, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(coordinator)
    assert client.get("/people/").status_code == 200


def test_mfa_required_coordinator_may_still_reach_setup_and_sign_out(client, coordinator, mfa_required):
    client.force_login(coordinator)
    response = client.get(TOTP_SETUP_URL)
    assert (response.status_code, response["Location"]) == (302, REAUTHENTICATE_URL)
    assert client.get(REAUTHENTICATE_URL).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    response = client.post(LOGOUT_URL)
    assert response.status_code == 302
    assert session_user_id(client) is None


# --- Pages ------------------------------------------------------------------------------------


def test_mfa_profile_links_to_two_factor_settings(client, agent):
    client.force_login(agent)
    html = client.get(reverse("people:profile")).content.decode()
    assert f'<a href="{reverse("mfa_index")}">Two-factor authentication settings</a>' in html


@pytest.mark.parametrize("url_name", ["mfa_index", "mfa_activate_totp"])
def test_mfa_pages_render_in_site_layout_without_inline_styles(client, agent, url_name):
    with time_machine.travel(NOON, tick=False):
        sign_in(client, "agent@example.com")
        client.post(REAUTHENTICATE_URL, {"password": PASSWORD})
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    names = [template.name for template in response.templates]
    assert "allauth/layouts/manage.html" in names
    assert "base.html" in names
    html = response.content.decode()
    assert " style=" not in html
    assert html.count("<script") == html.count("<script src=")


@pytest.mark.parametrize(
    "path",
    ["/admin/mfa/authenticator/", "/admin/mfa/authenticator/add/", "/admin/mfa/authenticator/1/change/"],
)
def test_mfa_required_superuser_cannot_reach_the_admins_mfa_pages_without_mfa(client, mfa_required, path):
    """The admin's pages for allauth's Authenticator model are also named mfa_*: they stay closed."""
    client.force_login(UserFactory(email="root@example.com", is_superuser=True, is_staff=True))
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, TOTP_SETUP_URL)
