"""Teams: the services' rules, the list, the form, deleting after a confirmation, escaping, queries."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from people import selectors, services
from people.models import Role, Team, User
from tests.factories import AgentFactory, CoordinatorFactory, ManagerFactory, TeamFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = '"><img src=x onerror=alert(1)>'
IMG_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def team_names() -> list[str]:
    return list(Team.objects.order_by("name").values_list("name", flat=True))


# --- Services ---------------------------------------------------------------------------------


def test_team_create_strips_name_and_sets_managers(coordinator, manager):
    team = services.team_create(by=coordinator, name="  Night Shift  ", managers=[manager, coordinator])
    assert team.name == "Night Shift"
    assert set(team.managers.all()) == {manager, coordinator}


def test_team_create_name_taken_in_another_case_is_refused(coordinator, team):
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(by=coordinator, name="FRONT LINE")
    assert excinfo.value.message_dict == {
        "name": ["A team called “FRONT LINE” already exists; choose another name."]
    }
    assert team_names() == ["Front Line"]


def test_team_create_blank_name_is_refused(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(by=coordinator, name="   ")
    assert excinfo.value.message_dict == {"name": ["Give the team a name."]}
    assert Team.objects.count() == 0


def test_team_create_agent_as_manager_is_refused(coordinator, agent, team):
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(by=coordinator, name="Night Shift", managers=[agent])
    assert excinfo.value.message_dict == {
        "managers": [f"Only active managers and coordinators can manage a team; {agent.name} cannot."]
    }
    assert team_names() == ["Front Line"]


def test_team_create_inactive_manager_is_refused(coordinator):
    gone = ManagerFactory(is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(by=coordinator, name="Night Shift", managers=[gone])
    assert list(excinfo.value.message_dict) == ["managers"]


@pytest.mark.parametrize("who", ["manager", "agent"])
def test_team_create_by_non_coordinator_is_refused(request, who):
    with pytest.raises(PermissionDenied) as excinfo:
        services.team_create(by=request.getfixturevalue(who), name="Night Shift")
    assert str(excinfo.value) == "Only a coordinator can manage teams."
    assert Team.objects.filter(name="Night Shift").count() == 0


def test_team_update_renames_and_replaces_managers(coordinator, team, manager, other_manager):
    services.team_update(by=coordinator, team=team, name="Front Line EMEA", managers=[other_manager])
    team.refresh_from_db()
    assert team.name == "Front Line EMEA"
    assert list(team.managers.all()) == [other_manager]


def test_team_update_same_name_other_case_is_allowed(coordinator, team):
    services.team_update(by=coordinator, team=team, name="FRONT LINE", managers=[])
    assert team_names() == ["FRONT LINE"]


def test_team_update_name_of_another_team_is_refused(coordinator, team, other_team):
    with pytest.raises(ValidationError) as excinfo:
        services.team_update(by=coordinator, team=team, name="billing", managers=[])
    assert excinfo.value.message_dict == {
        "name": ["A team called “billing” already exists; choose another name."]
    }
    assert team_names() == ["Billing", "Front Line"]


def test_team_update_by_manager_is_refused(manager, team):
    with pytest.raises(PermissionDenied):
        services.team_update(by=manager, team=team, name="Mine now", managers=[manager])
    assert team_names() == ["Front Line"]


def test_team_delete_members_keep_their_accounts_without_team(coordinator, team, manager, agent):
    services.team_delete(by=coordinator, team=team)
    assert Team.objects.count() == 0
    agent.refresh_from_db()
    manager.refresh_from_db()
    assert (agent.team, agent.is_active, manager.team) == (None, True, None)
    assert list(manager.managed_teams.all()) == []


def test_team_delete_by_agent_is_refused(agent, team):
    with pytest.raises(PermissionDenied):
        services.team_delete(by=agent, team=team)
    assert team_names() == ["Front Line"]


# --- The list ---------------------------------------------------------------------------------


def test_team_list_shows_managers_and_active_member_counts(
    client, coordinator, team, manager, agent, other_team
):
    AgentFactory(team=team, is_active=False)
    client.force_login(coordinator)
    response = client.get(reverse("people:team_list"))
    rows = [(t.name, [m.email for m in t.managers.all()], t.member_count) for t in response.context["teams"]]
    assert rows == [("Billing", [], 0), ("Front Line", ["boss@example.com"], 2)]
    content = response.content.decode()
    assert f'href="{reverse("people:person_list")}?team={team.pk}">2</a>' in content
    assert reverse("people:team_edit", args=[team.pk]) in content
    assert reverse("people:team_delete", args=[team.pk]) in content


def test_team_list_empty_says_so(client, coordinator):
    client.force_login(coordinator)
    assert "No teams yet." in client.get(reverse("people:team_list")).content.decode()


# --- The form ---------------------------------------------------------------------------------


def test_team_create_form_offers_only_active_managers_and_coordinators(
    client, coordinator, manager, other_manager, agent
):
    ManagerFactory(email="gone@example.com", is_active=False)
    client.force_login(coordinator)
    response = client.get(reverse("people:team_create"))
    offered = sorted(user.email for user in response.context["form"].fields["managers"].queryset)
    assert offered == sorted([coordinator.email, manager.email, other_manager.email])


def test_team_create_post_creates_team_with_managers(client, coordinator, manager):
    client.force_login(coordinator)
    response = client.post(reverse("people:team_create"), {"name": "Night Shift", "managers": [manager.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:team_list")
    team = Team.objects.get(name="Night Shift")
    assert list(team.managers.all()) == [manager]


def test_team_create_duplicate_name_shows_clear_error_and_keeps_input(client, coordinator, team, manager):
    client.force_login(coordinator)
    response = client.post(reverse("people:team_create"), {"name": "front line", "managers": [manager.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["A team called “front line” already exists; choose another name."]
    }
    content = response.content.decode()
    assert 'value="front line"' in content
    assert f'value="{manager.pk}" id="id_managers_' in content
    assert response.context["form"]["managers"].value() == [str(manager.pk)]
    assert team_names() == ["Front Line"]


def test_team_create_agent_picked_as_manager_is_refused(client, coordinator, agent):
    client.force_login(coordinator)
    response = client.post(reverse("people:team_create"), {"name": "Night Shift", "managers": [agent.pk]})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["managers"]
    assert Team.objects.filter(name="Night Shift").count() == 0


def test_team_create_blank_name_is_required(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("people:team_create"), {"name": ""})
    assert response.context["form"].errors == {"name": ["This field is required."]}


def test_team_edit_shows_current_managers(client, coordinator, team, manager):
    client.force_login(coordinator)
    response = client.get(reverse("people:team_edit", args=[team.pk]))
    form = response.context["form"]
    assert (form["name"].value(), [u.pk for u in form.initial["managers"]]) == ("Front Line", [manager.pk])


def test_team_edit_post_renames_and_changes_managers(client, coordinator, team, manager, other_manager):
    client.force_login(coordinator)
    response = client.post(
        reverse("people:team_edit", args=[team.pk]), {"name": "Front Line 2", "managers": [other_manager.pk]}
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, list(team.managers.all())) == ("Front Line 2", [other_manager])


def test_team_edit_duplicate_name_keeps_heading_and_typed_name(client, coordinator, team, other_team):
    client.force_login(coordinator)
    response = client.post(reverse("people:team_edit", args=[team.pk]), {"name": "BILLING"})
    content = response.content.decode()
    assert re.findall(r"<h1>\s*(.*?)\s*</h1>", content) == ["Edit Front Line"]
    assert 'value="BILLING"' in content
    assert team_names() == ["Billing", "Front Line"]


def test_team_edit_unknown_id_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("people:team_edit", args=[987654])).status_code == 404


# --- Deleting ---------------------------------------------------------------------------------


def test_team_delete_get_asks_first_and_deletes_nothing(client, coordinator, team, agent, manager):
    client.force_login(coordinator)
    response = client.get(reverse("people:team_delete", args=[team.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Delete the team “Front Line”?" in content
    assert "Its 2 active members will stay in csweek without a team" in content
    assert '<button type="submit" class="contrast">Yes, delete the team</button>' in content
    assert team_names() == ["Front Line"]


def test_team_delete_post_deletes_and_members_keep_accounts(client, coordinator, team, agent, manager):
    client.force_login(coordinator)
    response = client.post(reverse("people:team_delete", args=[team.pk]), follow=True)
    assert response.redirect_chain == [(reverse("people:team_list"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Team “Front Line” is deleted; its members now have no team."
    ]
    assert team_names() == []
    assert list(User.objects.filter(pk__in=[agent.pk, manager.pk]).values_list("team", "is_active")) == [
        (None, True),
        (None, True),
    ]


def test_team_delete_unknown_id_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("people:team_delete", args=[987654])).status_code == 404


# --- Escaping ---------------------------------------------------------------------------------


@pytest.fixture
def hostile_team(coordinator):
    boss = ManagerFactory(first_name=SCRIPT, last_name=IMG)
    return services.team_create(by=coordinator, name=SCRIPT + IMG, managers=[boss])


def assert_escaped(content: str) -> None:
    assert SCRIPT not in content
    assert "<img src=x" not in content
    assert SCRIPT_ESCAPED in content
    assert IMG_ESCAPED in content


def test_team_list_escapes_team_and_manager_names(client, coordinator, hostile_team):
    client.force_login(coordinator)
    assert_escaped(client.get(reverse("people:team_list")).content.decode())


def test_team_edit_escapes_team_and_manager_names(client, coordinator, hostile_team):
    client.force_login(coordinator)
    assert_escaped(client.get(reverse("people:team_edit", args=[hostile_team.pk])).content.decode())


def test_team_delete_confirmation_escapes_team_name(client, coordinator, hostile_team):
    client.force_login(coordinator)
    assert_escaped(client.get(reverse("people:team_delete", args=[hostile_team.pk])).content.decode())


def test_team_create_with_errors_escapes_what_was_typed(client, coordinator, hostile_team):
    client.force_login(coordinator)
    content = client.post(reverse("people:team_create"), {"name": SCRIPT + IMG}).content.decode()
    assert_escaped(content)


def test_person_list_team_filter_escapes_team_name(client, coordinator, hostile_team):
    client.force_login(coordinator)
    assert_escaped(client.get(reverse("people:person_list")).content.decode())


# --- Query counts -----------------------------------------------------------------------------

TEAM_LIST_QUERIES = 5  # session, user, user's roles, teams with counts, their managers


@pytest.mark.parametrize("size", [3, 60])
def test_team_list_query_count_is_fixed(client, coordinator, django_assert_max_num_queries, size):
    for index in range(size):
        team = TeamFactory(name=f"Team {index:03d}")
        team.managers.add(ManagerFactory(team=team), CoordinatorFactory())
        AgentFactory.create_batch(2, team=team)
    client.force_login(coordinator)
    with django_assert_max_num_queries(TEAM_LIST_QUERIES):
        response = client.get(reverse("people:team_list"))
    assert len(response.context["teams"]) == size
    assert {team.member_count for team in response.context["teams"]} == {3}


def test_manager_candidates_leave_out_a_demoted_manager(coordinator, manager, other_manager):
    services.user_set_role(user=manager, role=Role.AGENT)
    assert sorted(user.email for user in selectors.manager_candidates()) == [
        "coord@example.com",
        "otherboss@example.com",
    ]
