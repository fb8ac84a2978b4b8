"""seed_demo: the demo organisation, created once, never twice, and never by accident in production."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from people import permissions
from people.models import Role, Team, User

pytestmark = pytest.mark.django_db

REFUSAL = (
    "seed_demo creates accounts with a published password; it runs only with DJANGO_DEBUG on. "
    "Pass --force to run it anyway."
)


def seed(*args: str) -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row and field seed_demo may touch."""
    return {
        "users": sorted(User.objects.values_list()),
        "teams": sorted(Team.objects.values_list()),
        "managers": sorted(Team.managers.through.objects.values_list("team__name", "user__email")),
        "groups": sorted(User.groups.through.objects.values_list("user__email", "group__name")),
        "emails": sorted(EmailAddress.objects.values_list("user__email", "email", "verified", "primary")),
    }


def test_seed_demo_creates_the_documented_logins():
    seed()
    coordinator = User.objects.get(email="coordinator@example.com")
    manager = User.objects.get(email="manager@example.com")
    agent = User.objects.get(email="agent@example.com")
    assert (coordinator.role, manager.role, agent.role) == (Role.COORDINATOR, Role.MANAGER, Role.AGENT)
    assert [team.name for team in manager.managed_teams.all()] == ["Front Line Support"]
    assert agent.team.name == "Front Line Support"
    assert permissions.manages(manager, agent) is True
    for user in (coordinator, manager, agent):
        assert user.check_password(settings.DEMO_PASSWORD) is True
        assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
            (user.email, True, True)
        ]


def test_seed_demo_creates_more_teams_managers_and_agents():
    seed()
    assert list(Team.objects.order_by("name").values_list("name", flat=True)) == [
        "Billing and Accounts",
        "Customer Success",
        "Front Line Support",
        "Technical Support",
    ]
    assert {team.name: team.managers.count() for team in Team.objects.all()} == {
        "Billing and Accounts": 1,
        "Customer Success": 1,
        "Front Line Support": 1,
        "Technical Support": 1,
    }
    counts = {role: User.objects.filter(groups__name=role).count() for role in Role.values}
    assert counts == {Role.COORDINATOR: 1, Role.MANAGER: 4, Role.AGENT: 13}
    assert User.objects.filter(team__isnull=True).count() == 1  # the coordinator


def test_seed_demo_prints_logins_and_password():
    output = seed()
    assert output.splitlines() == [
        "Demo data ready (18 new people).",
        f"Sign in at /accounts/login/ with any of these (password for all: {settings.DEMO_PASSWORD}):",
        "  coordinator@example.com      coordinator",
        "  manager@example.com          manager of Front Line Support",
        "  agent@example.com            agent in Front Line Support",
    ]


def test_seed_demo_twice_changes_nothing():
    seed()
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert output.splitlines()[0] == "Demo data ready (0 new people)."


def test_seed_demo_scale_adds_agents_spread_over_teams():
    seed()
    output = seed("--scale", "40")
    assert output.splitlines()[0] == "Demo data ready (40 new people)."
    scaled = User.objects.filter(email__startswith="agent0")
    assert scaled.count() == 40
    assert {user.role for user in scaled.prefetch_related("groups")} == {Role.AGENT}
    per_team = {team.name: scaled.filter(team=team).count() for team in Team.objects.all()}
    assert per_team == {
        "Billing and Accounts": 10,
        "Customer Success": 10,
        "Front Line Support": 10,
        "Technical Support": 10,
    }
    assert EmailAddress.objects.filter(user__in=scaled, verified=True, primary=True).count() == 40


def test_seed_demo_scale_twice_changes_nothing():
    seed("--scale", "25")
    before = snapshot()
    output = seed("--scale", "25")
    assert snapshot() == before
    assert output.splitlines()[0] == "Demo data ready (0 new people)."


def test_seed_demo_larger_scale_adds_only_the_missing_agents():
    seed("--scale", "5")
    output = seed("--scale", "8")
    assert output.splitlines()[0] == "Demo data ready (3 new people)."
    assert User.objects.filter(email__startswith="agent0").count() == 8


def test_seed_demo_keeps_changes_made_since():
    seed()
    User.objects.filter(email="agent@example.com").update(first_name="Alexis")
    seed()
    assert User.objects.get(email="agent@example.com").first_name == "Alexis"


def test_seed_demo_refuses_without_debug():
    with override_settings(DEBUG=False), pytest.raises(CommandError) as excinfo:
        call_command("seed_demo", stdout=StringIO())
    assert str(excinfo.value) == REFUSAL
    assert User.objects.count() == 0
    assert Team.objects.count() == 0


def test_seed_demo_force_runs_without_debug():
    out = StringIO()
    with override_settings(DEBUG=False):
        call_command("seed_demo", "--force", stdout=out)
    assert out.getvalue().splitlines()[0] == "Demo data ready (18 new people)."
    assert User.objects.count() == 18


def test_seed_demo_negative_scale_is_refused():
    with override_settings(DEBUG=True), pytest.raises(CommandError) as excinfo:
        call_command("seed_demo", "--scale", "-1", stdout=StringIO())
    assert str(excinfo.value) == "--scale must be zero or more."
    assert User.objects.count() == 0


def test_seed_demo_restores_missing_role_groups():
    Group.objects.filter(name=Role.AGENT).delete()
    seed()
    assert User.objects.get(email="agent@example.com").role == Role.AGENT
    assert sorted(Group.objects.filter(name__in=Role.values).values_list("name", flat=True)) == sorted(
        Role.values
    )


def test_seed_demo_logins_work(client):
    seed()
    response = client.post(
        "/accounts/login/", {"login": "manager@example.com", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/people/").status_code == 200
