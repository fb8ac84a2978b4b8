"""Each role's dashboard: what it shows, escaping, and a flat query count."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from events.models import Registration, TeamCoverage
from people.models import Role
from tests.events.factories import DayThemeFactory, WeekFactory
from tests.factories import AgentFactory, ManagerFactory, TeamFactory
from tests.insights.conftest import approve, populate
from tests.recognition.factories import NominationFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def headings(content: str) -> list[str]:
    return [re.sub(r"\s+", " ", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", content, re.S)]


def on_tuesday(week):
    day = week.starts_on + datetime.timedelta(days=1)
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 7, tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture
def week(db):
    return WeekFactory(year=2030)


def test_dashboard_without_a_week_says_what_comes_next(client, agent):
    client.force_login(agent)
    content = client.get(reverse("dashboard")).content.decode()
    assert "You are an agent." in content
    assert "You will see its schedule here once the coordinators publish it." in content
    assert headings(content) == []


def test_dashboard_agent_before_the_week_counts_down(client, week, agent):
    day = week.starts_on - datetime.timedelta(days=3)
    with time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC), tick=False
    ):
        client.force_login(agent)
        content = client.get(reverse("dashboard")).content.decode()
    assert headings(content) == [
        "3 days to go",
        "Your next activity",
        "Your sign-ups",
        "Nominations you sent",
        "Your awards",
        "Latest awards",
    ]


def test_dashboard_agent_during_the_week(client, week, coordinator, manager, team, other_team, agent):
    data = populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2)
    Registration.objects.create(user=agent, activity=data["tuesday"])
    DayThemeFactory(
        week=week, date=week.starts_on + datetime.timedelta(days=1), title="Recognition " + SCRIPT
    )
    colleague = data["agents"][0]
    award = approve(NominationFactory(category=data["category"], nominator=colleague, nominee=agent), manager)
    award.announced_at = award.reviewed_at
    award.save()
    NominationFactory(category=data["category"], nominator=agent, nominee=data["agents"][1])
    with on_tuesday(week):
        client.force_login(agent)
        response = client.get(reverse("dashboard"))
    content = response.content.decode()
    assert headings(content)[0] == "Today: Recognition &lt;script&gt;alert(1)&lt;/script&gt;"
    panel = response.context["agent"]
    assert panel.next_activity.activity == data["tuesday"]
    assert [n.nominee for n in panel.sent] == [data["agents"][1]]
    assert [n.pk for n in panel.awards] == [award.pk]
    assert [n.pk for n in panel.announced] == [award.pk]
    assert SCRIPT not in content


def test_dashboard_manager_sees_waiting_coverage_and_missing(
    client, week, coordinator, manager, team, other_team
):
    data = populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=4)
    TeamCoverage.objects.create(team=team, max_away_percent=20)
    idle = AgentFactory(team=team, first_name="Idle", last_name=SCRIPT)
    with on_tuesday(week):
        client.force_login(manager)
        response = client.get(reverse("dashboard"))
    panel = response.context["manager"]
    assert panel.waiting == 2
    (front,) = panel.teams
    assert (front.name, front.size, front.agents, front.cap_percent, front.cap) == ("Front Line", 6, 5, 20, 1)
    assert [(day.signed_up, day.most_away, day.over) for day in front.days] == [
        (2, 2, True),
        (2, 2, True),
        (0, 0, False),
        (0, 0, False),
        (0, 0, False),
    ]
    monday, tuesday = data["monday"], data["tuesday"]
    assert [(slot.starts_at, slot.ends_at, slot.away, slot.names) for slot in front.over_cap] == [
        (monday.starts_at, monday.ends_at, 2, sorted([data["agents"][0].name, data["agents"][2].name])),
        (tuesday.starts_at, tuesday.ends_at, 2, sorted([data["agents"][1].name, data["agents"][3].name])),
    ]
    assert front.over_cap_count == 2
    assert [person.pk for person in panel.not_signed_up] == [idle.pk]
    assert panel.not_signed_up_count == 1
    assert len(panel.awards) == 2
    content = response.content.decode()
    assert "Monday" in content and f"2 away (cap 1): {', '.join(front.over_cap[0].names)}" in content
    assert headings(content)[:4] == [
        "Waiting for your review",
        "Your teams this week",
        "Not signed up yet",
        "Your people's awards",
    ]
    assert SCRIPT not in content
    assert data["agents"][0].name not in [p.name for p in panel.not_signed_up]


def test_dashboard_manager_of_another_team_sees_only_theirs(
    client, week, coordinator, manager, other_manager, team, other_team
):
    populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2)
    with on_tuesday(week):
        client.force_login(other_manager)
        panel = client.get(reverse("dashboard")).context["manager"]
    assert [t.name for t in panel.teams] == ["Billing"]
    assert panel.waiting == 0
    assert panel.awards == []


def test_dashboard_manager_without_team_is_told_how_to_get_one(client, week):
    with on_tuesday(week):
        client.force_login(ManagerFactory(team=None))
        content = client.get(reverse("dashboard")).content.decode()
    assert "You do not manage a team yet; a coordinator can add you to one." in content


def test_dashboard_coordinator_checklist(client, week, coordinator, manager, team, other_team):
    populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2)
    with on_tuesday(week):
        client.force_login(coordinator)
        response = client.get(reverse("dashboard"))
    panel = response.context["coordinator"]
    assert [(item.label, item.done) for item in panel.checklist] == [
        ("Themes set for each day", False),
        ("Activities on each day", False),
        ("Award categories with their windows", True),
        ("Published", True),
        ("Invitations accepted", True),
    ]
    assert (panel.seats_taken, panel.seats) == (3, None)
    assert panel.nominations == [
        ("Waiting for review", 1),
        ("Approved", 1),
        ("Declined", 0),
        ("Withdrawn", 0),
    ]
    assert headings(response.content.decode())[:2] == ["Customer Service Week 2030: published", "At a glance"]


def test_dashboard_coordinator_counts_emails_pending_and_failed(client, week, coordinator):
    from outbox import services as outbox_services
    from outbox.models import Delivery
    from recognition.models import Announcement

    announcement = Announcement.objects.create(subject="Kick-off", body="At 10:00.", sent_by=coordinator)
    outbox_services.deliveries_create(
        kind="coordinator_announcement", recipients=AgentFactory.create_batch(6), about=announcement
    )
    deliveries = list(Delivery.objects.order_by("pk"))
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries[:2]]).update(status=Delivery.Status.FAILED)
    Delivery.objects.filter(pk=deliveries[2].pk).update(status=Delivery.Status.SENT)
    with on_tuesday(week):
        client.force_login(coordinator)
        response = client.get(reverse("dashboard"))
    panel = response.context["coordinator"]
    assert (panel.emails_pending, panel.emails_failed) == (3, 2)
    content = re.sub(r"\s+", " ", response.content.decode())
    assert "3</span> emails pending" in content
    assert f'emails failed: <a href="{reverse("outbox:delivery_list")}">retry</a>' in content


def test_dashboard_escapes_team_names(client, week):
    team = TeamFactory(name=SCRIPT)
    user = AgentFactory(first_name=SCRIPT, team=team, role=Role.MANAGER)
    team.managers.add(user)
    with on_tuesday(week):
        client.force_login(user)
        content = client.get(reverse("dashboard")).content.decode()
    assert SCRIPT not in content
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in content


@pytest.mark.parametrize("n", [3, 300])
@pytest.mark.parametrize(("role", "queries"), [("agent", 10), ("manager", 14), ("coordinator", 15)])
def test_dashboard_query_count_is_flat(
    client, request, week, coordinator, manager, team, other_team, n, role, queries, django_assert_num_queries
):
    data = populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=n)
    TeamCoverage.objects.create(team=team, max_away_percent=20)  # every slot is over the cap
    for person in data["agents"][: min(n, 20)]:
        approve(
            NominationFactory(category=data["category"], nominator=person, nominee=data["outsider"]), manager
        )
    user = data["agents"][0] if role == "agent" else request.getfixturevalue(role)
    with on_tuesday(week):
        client.force_login(user)
        with django_assert_num_queries(queries):
            response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    if role == "manager":
        # Monday's kick-off takes half of the team away at once: named up to a limit, then counted.
        slot = response.context["manager"].teams[0].over_cap[0]
        away = (n + 1) // 2
        assert (slot.away, len(slot.names), slot.more) == (away, min(away, 8), max(0, away - 8))
