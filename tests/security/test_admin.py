"""The admin back office: only a superuser grants admin powers, roles or passwords."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from people.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "tangerine-bicycle-harbour-7"


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
