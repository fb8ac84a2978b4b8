"""The admin back office for people, teams and invitations: lists with search and filters, change pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from people import services
from people.models import Role, Team, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def invitation(coordinator, team):
    return services.person_invite(by=coordinator, email="nina@example.com", first_name="Nina", team=team)


def changelist_objects(response) -> list:
    return list(response.context["cl"].result_list)


def test_user_changelist_search_finds_by_email(admin_client, agent, other_agent):
    response = admin_client.get(reverse("admin:people_user_changelist"), {"q": "otheragent"})
    assert response.status_code == 200
    assert changelist_objects(response) == [other_agent]


def test_user_changelist_filters_by_team_and_role(admin_client, team, manager, agent, other_agent):
    group = Group.objects.get(name=Role.AGENT)
    response = admin_client.get(
        reverse("admin:people_user_changelist"), {"team__id__exact": team.pk, "groups__id__exact": group.pk}
    )
    assert response.status_code == 200
    assert changelist_objects(response) == [agent]


def test_user_changelist_filters_by_active(admin_client, agent):
    agent.is_active = False
    agent.save()
    response = admin_client.get(reverse("admin:people_user_changelist"), {"is_active__exact": "0"})
    assert changelist_objects(response) == [agent]


def test_user_change_page_opens(admin_client, agent):
    response = admin_client.get(reverse("admin:people_user_change", args=[agent.pk]))
    assert response.status_code == 200
    assert response.context["original"] == agent


def test_user_add_page_creates_user_with_lowercased_email(admin_client):
    url = reverse("admin:people_user_add")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "email": "New.Person@Example.com",
            "usable_password": "true",
            "password1": "tangerine-bicycle-harbour-7",
            "password2": "tangerine-bicycle-harbour-7",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("tangerine-bicycle-harbour-7") is True


def test_team_changelist_search_and_manager_filter(admin_client, team, other_team, manager, other_manager):
    url = reverse("admin:people_team_changelist")
    searched = admin_client.get(url, {"q": "bill"})
    filtered = admin_client.get(url, {"managers__id__exact": manager.pk})
    by_manager_email = admin_client.get(url, {"q": "otherboss@"})
    assert (searched.status_code, filtered.status_code) == (200, 200)
    assert changelist_objects(searched) == [other_team]
    assert changelist_objects(filtered) == [team]
    assert changelist_objects(by_manager_email) == [other_team]


def test_team_change_page_opens(admin_client, team):
    response = admin_client.get(reverse("admin:people_team_change", args=[team.pk]))
    assert response.status_code == 200
    assert response.context["original"] == team


def test_team_autocomplete_used_by_user_page_answers(admin_client, team, other_team):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "people", "model_name": "user", "field_name": "team", "term": "fro"},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Front Line"]


def test_invitation_changelist_search_and_filter(admin_client, invitation, coordinator):
    url = reverse("admin:people_invitation_changelist")
    searched = admin_client.get(url, {"q": "nina"})
    pending = admin_client.get(url, {"accepted_at__isnull": "True"})
    accepted = admin_client.get(url, {"accepted_at__isnull": "False"})
    assert (searched.status_code, pending.status_code, accepted.status_code) == (200, 200, 200)
    assert changelist_objects(searched) == [invitation]
    assert changelist_objects(pending) == [invitation]
    assert changelist_objects(accepted) == []


def test_invitation_change_page_opens_without_showing_the_token(admin_client, invitation):
    response = admin_client.get(reverse("admin:people_invitation_change", args=[invitation.pk]))
    assert response.status_code == 200
    assert response.context["original"] == invitation
    assert invitation.token not in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    ["admin:people_user_changelist", "admin:people_team_changelist", "admin:people_invitation_changelist"],
)
def test_admin_changelists_refuse_non_staff_coordinator(client, coordinator, url_name):
    client.force_login(coordinator)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_staff_coordinator_may_change_teams_through_role_permissions(client, team):
    staff = UserFactory(email="staffcoord@example.com", is_staff=True, role=Role.COORDINATOR)
    client.force_login(staff)
    response = client.post(
        reverse("admin:people_team_change", args=[team.pk]), {"name": "Front Line Renamed", "managers": []}
    )
    assert response.status_code == 302
    assert Team.objects.get(pk=team.pk).name == "Front Line Renamed"


def test_admin_staff_agent_may_not_change_teams(client, team):
    staff = UserFactory(email="staffagent@example.com", is_staff=True, role=Role.AGENT)
    client.force_login(staff)
    response = client.post(
        reverse("admin:people_team_change", args=[team.pk]), {"name": "Hijacked", "managers": []}
    )
    assert response.status_code == 403
    assert Team.objects.get(pk=team.pk).name == "Front Line"
