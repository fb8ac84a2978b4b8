"""Changes made in the admin back office land in the audit log, one entry per admin log entry."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import AuditEntry
from people.models import Team
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def rows() -> list[tuple]:
    return list(
        AuditEntry.objects.order_by("id").values_list(
            "actor_repr", "action", "object_type", "object_id", "object_repr", "detail"
        )
    )


def test_admin_add_is_recorded(admin_client):
    response = admin_client.post(reverse("admin:people_team_add"), {"name": "Escalations", "managers": []})
    assert response.status_code == 302
    team = Team.objects.get(name="Escalations")
    team_type = ContentType.objects.get_for_model(Team).pk
    assert rows() == [
        ("root@example.com", "admin.add", team_type, str(team.pk), "Escalations", {"change": "Added."})
    ]


def test_admin_change_is_recorded_with_the_change_message(admin_client, team):
    response = admin_client.post(
        reverse("admin:people_team_change", args=[team.pk]), {"name": "Front Desk", "managers": []}
    )
    assert response.status_code == 302
    team_type = ContentType.objects.get_for_model(Team).pk
    assert rows() == [
        (
            "root@example.com",
            "admin.change",
            team_type,
            str(team.pk),
            "Front Desk",
            {"change": "Changed Name."},
        )
    ]


def test_admin_delete_is_recorded(admin_client, team):
    pk = team.pk
    response = admin_client.post(reverse("admin:people_team_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert Team.objects.filter(pk=pk).exists() is False
    team_type = ContentType.objects.get_for_model(Team).pk
    assert rows() == [("root@example.com", "admin.delete", team_type, str(pk), "Front Line", {})]


@pytest.mark.parametrize("count", [1, 3])
def test_admin_delete_selected_records_each_deletion_once(admin_client, count):
    teams = [TeamFactory(name=f"Team {i}") for i in range(count)]
    response = admin_client.post(
        reverse("admin:people_team_changelist"),
        {"action": "delete_selected", "_selected_action": [t.pk for t in teams], "post": "yes"},
    )
    assert response.status_code == 302
    assert Team.objects.count() == 0
    assert sorted((action, object_repr) for _, action, _, _, object_repr, _ in rows()) == [
        ("admin.delete", f"Team {i}") for i in range(count)
    ]


def test_admin_delete_selected_confirmation_page_records_nothing(admin_client, team):
    response = admin_client.post(
        reverse("admin:people_team_changelist"), {"action": "delete_selected", "_selected_action": [team.pk]}
    )
    assert response.status_code == 200
    assert Team.objects.count() == 1
    assert rows() == []
