"""Every rule in people/permissions.py, for each kind of user, and the role groups behind them."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError

from people import permissions
from people.models import Role, User
from people.services import ROLE_PERMISSIONS, roles_ensure, user_set_role
from tests.factories import AgentFactory, CoordinatorFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(coordinator, manager, other_manager, agent, other_agent, team):
    """Everyone a rule can be asked about, by a short name."""
    inactive_coordinator = CoordinatorFactory(email="gone-coord@example.com", is_active=False)
    inactive_manager = ManagerFactory(email="gone-boss@example.com", team=team, is_active=False)
    team.managers.add(inactive_manager)
    return {
        "coordinator": coordinator,
        "manager": manager,
        "other_manager": other_manager,
        "agent": agent,
        "other_agent": other_agent,
        "anonymous": AnonymousUser(),
        "inactive_coordinator": inactive_coordinator,
        "inactive_manager": inactive_manager,
        "superuser": UserFactory(email="root@example.com", is_superuser=True, role=Role.AGENT),
        "teamless_agent": AgentFactory(email="loner@example.com", team=None),
    }


# who -> expected answer, for the rules that do not depend on the person acted on.
USER_RULES = {
    "is_coordinator": {"coordinator", "superuser"},
    "is_manager": {"manager", "other_manager"},
    "can_view_people": {"coordinator", "superuser", "manager", "other_manager"},
    "can_manage_people": {"coordinator", "superuser"},
    "can_invite": {"coordinator", "superuser"},
    "can_import_staff": {"coordinator", "superuser"},
    "can_manage_teams": {"coordinator", "superuser"},
}
EVERYONE = [
    "coordinator",
    "manager",
    "other_manager",
    "agent",
    "other_agent",
    "anonymous",
    "inactive_coordinator",
    "inactive_manager",
    "superuser",
    "teamless_agent",
]


@pytest.mark.parametrize("rule", sorted(USER_RULES))
def test_user_rule_answers_exactly_for_each_kind_of_user(people, rule):
    check = getattr(permissions, rule)
    allowed = {who for who in EVERYONE if check(people[who])}
    assert allowed == USER_RULES[rule]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator", {"agent", "other_agent", "manager", "other_manager", "teamless_agent"}),
        ("superuser", {"agent", "other_agent", "manager", "other_manager", "teamless_agent"}),
        ("manager", {"agent"}),
        ("other_manager", {"other_agent"}),
        ("agent", set()),
        ("other_agent", set()),
        ("anonymous", set()),
        ("inactive_coordinator", set()),
        ("inactive_manager", set()),
    ],
)
def test_can_view_person_each_viewer_sees_exactly_these_people(people, who, expected):
    targets = ["agent", "other_agent", "manager", "other_manager", "teamless_agent"]
    seen = {target for target in targets if permissions.can_view_person(people[who], people[target])}
    assert seen == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator", {"agent", "other_agent", "manager", "other_manager", "teamless_agent"}),
        ("manager", set()),
        ("other_manager", set()),
        ("agent", set()),
        ("anonymous", set()),
        ("inactive_coordinator", set()),
    ],
)
def test_can_edit_person_only_coordinators_edit_people(people, who, expected):
    targets = ["agent", "other_agent", "manager", "other_manager", "teamless_agent"]
    editable = {target for target in targets if permissions.can_edit_person(people[who], people[target])}
    assert editable == expected


@pytest.mark.parametrize(
    ("who", "expected_emails"),
    [
        (
            "coordinator",
            {
                "coord@example.com",
                "boss@example.com",
                "otherboss@example.com",
                "agent@example.com",
                "otheragent@example.com",
                "gone-coord@example.com",
                "gone-boss@example.com",
                "root@example.com",
                "loner@example.com",
            },
        ),
        # The inactive manager is a member of the manager's team too, and so visible to them.
        ("manager", {"agent@example.com", "gone-boss@example.com"}),
        ("other_manager", {"otheragent@example.com"}),
        ("agent", set()),
        ("anonymous", set()),
        ("inactive_coordinator", set()),
        ("inactive_manager", set()),
    ],
)
def test_people_visible_filter_matches_can_view_person(people, who, expected_emails):
    viewer = people[who]
    emails = set(
        User.objects.filter(permissions.people_visible_filter(viewer)).values_list("email", flat=True)
    )
    assert emails == expected_emails


def test_manages_manager_manages_member_of_their_team(manager, agent):
    assert permissions.manages(manager, agent) is True


def test_manages_manager_does_not_manage_another_teams_member(manager, other_agent):
    assert permissions.manages(manager, other_agent) is False


def test_manages_manager_does_not_manage_themself(manager):
    assert permissions.manages(manager, manager) is False


def test_manages_person_without_team_is_managed_by_nobody(manager):
    loner = AgentFactory(team=None)
    assert permissions.manages(manager, loner) is False


def test_manages_coordinator_is_not_a_manager_of_anyone(coordinator, agent):
    assert permissions.manages(coordinator, agent) is False


def test_manages_agent_manages_nobody(agent, team):
    colleague = AgentFactory(team=team)
    assert permissions.manages(agent, colleague) is False


def test_manages_demoted_manager_still_listed_on_team_manages_nobody(manager, agent):
    user_set_role(user=manager, role=Role.AGENT)
    assert permissions.manages(manager, agent) is False


def test_manages_inactive_manager_manages_nobody(manager, agent):
    manager.is_active = False
    manager.save()
    assert permissions.manages(manager, agent) is False


def test_manages_anonymous_manages_nobody(agent):
    assert permissions.manages(AnonymousUser(), agent) is False


def test_can_demote_or_deactivate_coordinator_may_not_for_themself(coordinator):
    assert permissions.can_demote_or_deactivate(coordinator, coordinator) is False


def test_can_demote_or_deactivate_coordinator_may_for_another_coordinator(coordinator):
    colleague = CoordinatorFactory()
    assert permissions.can_demote_or_deactivate(coordinator, colleague) is True


@pytest.mark.parametrize("who", ["manager", "agent", "anonymous", "inactive_coordinator"])
def test_can_demote_or_deactivate_non_coordinator_may_not(people, who):
    assert permissions.can_demote_or_deactivate(people[who], people["other_agent"]) is False


@pytest.mark.parametrize("role", Role.values)
def test_roles_ensure_migrate_created_each_group_with_its_permissions(role):
    group = Group.objects.get(name=role)
    names = {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }
    assert names == set(ROLE_PERMISSIONS[role])


def test_roles_ensure_run_twice_changes_nothing():
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    roles_ensure()
    roles_ensure()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert after == before
    assert Group.objects.filter(name__in=Role.values).count() == 3


def test_roles_ensure_recreates_a_deleted_group():
    Group.objects.filter(name=Role.MANAGER).delete()
    roles_ensure()
    assert set(Group.objects.get(name=Role.MANAGER).permissions.values_list("codename", flat=True)) == {
        "view_user",
        "view_team",
    }


def test_coordinator_group_gives_django_permissions(coordinator):
    fresh = User.objects.get(pk=coordinator.pk)
    assert fresh.has_perm("people.change_team") is True
    assert fresh.has_perm("people.import_staff") is True


def test_agent_group_gives_no_change_permissions(agent):
    fresh = User.objects.get(pk=agent.pk)
    assert fresh.has_perm("people.change_user") is False
    assert fresh.has_perm("people.view_team") is True


def test_user_set_role_leaves_exactly_one_role(agent):
    user_set_role(user=agent, role=Role.MANAGER)
    user_set_role(user=agent, role=Role.COORDINATOR)
    assert list(agent.groups.values_list("name", flat=True)) == [Role.COORDINATOR]
    assert agent.role == Role.COORDINATOR


def test_user_set_role_unknown_role_is_refused(agent):
    with pytest.raises(ValidationError) as excinfo:
        user_set_role(user=agent, role="Overlord")
    assert excinfo.value.messages == ["Unknown role “Overlord”. Choose Coordinator, Manager or Agent."]
    assert list(agent.groups.values_list("name", flat=True)) == [Role.AGENT]
