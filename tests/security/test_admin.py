"""The admin back office: only a superuser grants admin powers, roles or passwords."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import csweek.urls
from people.models import Role, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "tangerine-bicycle-harbour-7"
TOO_MANY_LOGINS = "Too many failed login attempts. Try again later."


@pytest.fixture
def staff_coordinator(db):
    return UserFactory(email="staffcoord@example.com", is_staff=True, role=Role.COORDINATOR)


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


def change_data(user: User, **extra) -> dict:
    """What the admin's change form posts for `user`, as a coordinator sees it."""
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "team": "",
        "time_zone": user.time_zone,
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        **extra,
    }


def test_admin_coordinator_ticking_superuser_on_own_record_stays_coordinator(client, staff_coordinator):
    client.force_login(staff_coordinator)
    agent_group = Group.objects.get(name=Role.AGENT)
    delete_user = Permission.objects.get(codename="delete_user")
    response = client.post(
        reverse("admin:people_user_change", args=[staff_coordinator.pk]),
        change_data(
            staff_coordinator,
            first_name="Renamed",
            is_superuser="on",
            is_staff="on",
            groups=[agent_group.pk],
            user_permissions=[delete_user.pk],
        ),
    )
    assert response.status_code == 302
    stored = User.objects.get(pk=staff_coordinator.pk)
    assert stored.first_name == "Renamed"
    assert stored.is_superuser is False
    assert stored.is_staff is True
    assert sorted(stored.groups.values_list("name", flat=True)) == [Role.COORDINATOR]
    assert list(stored.user_permissions.all()) == []
    client.force_login(stored)
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_admin_coordinator_cannot_make_an_agent_staff(client, staff_coordinator, agent):
    client.force_login(staff_coordinator)
    response = client.post(
        reverse("admin:people_user_change", args=[agent.pk]),
        change_data(agent, is_staff="on", is_superuser="on"),
    )
    assert response.status_code == 302
    stored = User.objects.get(pk=agent.pk)
    assert (stored.is_staff, stored.is_superuser) == (False, False)


def test_admin_coordinator_change_page_shows_privileges_read_only_and_no_password(
    client, staff_coordinator, agent
):
    client.force_login(staff_coordinator)
    response = client.get(reverse("admin:people_user_change", args=[agent.pk]))
    assert response.status_code == 200
    form_fields = set(response.context["adminform"].form.fields)
    assert form_fields & {"password", "is_staff", "is_superuser", "groups", "user_permissions"} == set()
    assert "first_name" in form_fields
    assert f"/admin/people/user/{agent.pk}/password/" not in response.content.decode()


def test_admin_coordinator_cannot_change_a_superuser(client, staff_coordinator, superuser):
    client.force_login(staff_coordinator)
    url = reverse("admin:people_user_change", args=[superuser.pk])
    response = client.post(url, change_data(superuser, email="mine@example.com"))
    assert response.status_code == 403
    assert User.objects.get(pk=superuser.pk).email == "root@example.com"


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_coordinator_password_page_refused(client, staff_coordinator, agent, method):
    client.force_login(staff_coordinator)
    url = reverse("admin:auth_user_password_change", args=[agent.pk])
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    response = getattr(client, method)(url, data if method == "post" else None)
    assert response.status_code == 403
    assert User.objects.get(pk=agent.pk).check_password(NEW_PASSWORD) is False


def test_admin_coordinator_own_password_page_refused(client, staff_coordinator):
    client.force_login(staff_coordinator)
    url = reverse("admin:auth_user_password_change", args=[staff_coordinator.pk])
    assert client.get(url).status_code == 403


def test_admin_staff_with_add_permission_cannot_create_staff_or_superuser(client, staff_coordinator):
    staff_coordinator.user_permissions.add(Permission.objects.get(codename="add_user"))
    client.force_login(User.objects.get(pk=staff_coordinator.pk))
    response = client.post(
        reverse("admin:people_user_add"),
        {
            "email": "sneaky@example.com",
            "usable_password": "false",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(email="sneaky@example.com")
    assert (created.is_staff, created.is_superuser) == (False, False)


def test_admin_superuser_makes_a_coordinator_superuser(client, superuser, staff_coordinator):
    client.force_login(superuser)
    group = Group.objects.get(name=Role.COORDINATOR)
    response = client.post(
        reverse("admin:people_user_change", args=[staff_coordinator.pk]),
        change_data(staff_coordinator, is_staff="on", is_superuser="on", groups=[group.pk]),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=staff_coordinator.pk).is_superuser is True


def test_admin_superuser_sets_a_password(client, superuser, agent):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[agent.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=agent.pk).check_password(NEW_PASSWORD) is True


# --- Signing in to the admin goes through allauth ---------------------------------------------


def session_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_admin_index_anonymous_is_sent_to_allauth_login_and_back(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        ("/accounts/login/?next=%2Fadmin%2F", 302),
    ]
    assert response.templates[0].name == "account/login.html"


def test_admin_login_post_with_right_password_does_not_sign_in(client, superuser):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "root@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert session_user_id(client) is None


def test_admin_login_never_forwards_to_another_site(client):
    response = client.get("/admin/login/", {"next": "https://evil.example.com/"})
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_admin_login_signed_in_staff_goes_to_next(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/login/", {"next": "/admin/people/user/"})
    assert (response.status_code, response["Location"]) == (302, "/admin/people/user/")


def test_admin_login_signed_in_non_staff_is_refused(client, agent):
    client.force_login(agent)
    assert client.get("/admin/login/", {"next": "/admin/"}).status_code == 403


def test_admin_superuser_signs_in_through_allauth_and_reaches_admin(client, superuser):
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": "root@example.com", "password": PASSWORD}
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert session_user_id(client) == superuser.pk
    assert client.get("/admin/").status_code == 200


def test_admin_sign_in_sixth_attempt_refused_even_with_right_password(client, superuser):
    url = "/accounts/login/?next=/admin/"
    for _ in range(5):
        client.post(url, {"login": "root@example.com", "password": "wrong-password"})
    response = client.post(url, {"login": "root@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [TOO_MANY_LOGINS]
    assert session_user_id(client) is None
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_admin_url_setting_moves_the_admin(client, superuser):
    client.force_login(superuser)
    try:
        with override_settings(ADMIN_URL="back-office/"):
            importlib.reload(csweek.urls)
            clear_url_caches()
            assert reverse("admin:index") == "/back-office/"
            assert client.get("/back-office/").status_code == 200
            assert client.get("/admin/").status_code == 404
            assert client.get("/back-office/login/")["Location"] == "/back-office/"
    finally:
        importlib.reload(csweek.urls)
        clear_url_caches()
    assert reverse("admin:index") == "/admin/"


# --- Site administrators are out of reach of coordinators outside the admin too -----------------


def test_people_page_coordinator_cannot_edit_or_deactivate_a_superuser(client, coordinator, superuser):
    client.force_login(coordinator)
    url = reverse("people:person_edit", args=[superuser.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"first_name": "X", "role": Role.AGENT, "time_zone": "UTC"})
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert (superuser.is_active, superuser.first_name != "X") == (True, True)


def test_person_update_coordinator_on_a_superuser_is_refused(coordinator, superuser):
    from django.core.exceptions import PermissionDenied

    from people.services import person_update

    with pytest.raises(PermissionDenied):
        person_update(
            by=coordinator,
            person=superuser,
            first_name="X",
            last_name="",
            display_name="",
            team=None,
            role=Role.AGENT,
            time_zone="UTC",
            is_active=False,
        )
    assert User.objects.get(pk=superuser.pk).is_active is True


def test_staff_import_row_changing_a_superuser_is_an_error(coordinator, superuser):
    from people.staff_import import staff_import_parse

    content = (
        f"email,first_name,last_name,team,role,manager_email,time_zone\n{superuser.email},Mallory,,,Agent,,\n"
    )
    plan = staff_import_parse(content, by=coordinator)
    assert [(error.email, error.reason) for error in plan.errors] == [
        (
            superuser.email,
            f"{superuser.email} is a site administrator: change them in the admin, not by import.",
        )
    ]
    assert plan.rows == []


def test_invitation_accept_never_resets_an_account_in_use(agent, coordinator):
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from people.models import Invitation
    from people.services import invitation_accept

    invitation = Invitation.objects.create(
        user=agent, invited_by=coordinator, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as caught:
        invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    assert caught.value.messages == ["This account is already set up. Sign in with your email and password."]
    agent.refresh_from_db()
    assert (agent.check_password(PASSWORD), invitation.accepted_at) == (True, None)
