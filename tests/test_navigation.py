"""The menu registry: every app's entries collected in order, each with its group."""

import pytest
from django.urls import reverse

from csweek.core.navigation import NavEntry, Navigation
from csweek.navigation import registry

pytestmark = pytest.mark.django_db


def test_navigation_registry_orders_entries_across_apps():
    assert [entry.label for entry in registry.entries()] == [
        "Dashboard",
        "Schedule",
        "Weeks",
        "Surveys",
        "Reports",
        "People",
        "Teams",
        "Import staff",
        "Wall",
        "Nominate",
        "My nominations",
        "Review",
        "Award categories",
        "Announcements",
        "Deliveries",
        "Audit log",
        "Organisation",
        "Slack & Teams",
        "Profile",
        "Admin",
    ]


def test_navigation_items_carry_their_group(client, coordinator):
    client.force_login(coordinator)
    items = client.get(reverse("dashboard")).context["nav_items"]
    groups = {item["label"]: item["group"] for item in items}
    assert (groups["Weeks"], groups["Teams"], groups["Review"], groups["Deliveries"]) == (
        "Plan",
        "People",
        "Recognition",
        "Email",
    )


def test_navigation_register_twice_keeps_one_entry():
    navigation = Navigation()
    entry = NavEntry("Wall", "recognition:wall", group="Recognition", order=1)
    navigation.register([entry])
    navigation.register([entry])
    assert navigation.entries() == [entry]


def _groups(response) -> list[tuple[str, list[str]]]:
    return [
        (group["name"], [item["label"] for item in group["items"]])
        for group in response.context["nav_groups"]
    ]


def test_navigation_groups_for_coordinator_keep_account_apart(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("dashboard"))
    assert _groups(response) == [
        ("Plan", ["Dashboard", "Schedule", "Weeks", "Surveys", "Reports"]),
        ("People", ["People", "Teams", "Import staff"]),
        ("Recognition", ["Wall", "Nominate", "My nominations", "Review", "Award categories"]),
        ("Email", ["Announcements", "Deliveries"]),
        ("Admin", ["Audit log", "Organisation", "Slack & Teams"]),
    ]
    assert [item["label"] for item in response.context["nav_account"]] == ["Profile"]


def test_navigation_groups_for_agent(client, agent):
    client.force_login(agent)
    response = client.get(reverse("recognition:wall"))
    assert _groups(response) == [
        ("Plan", ["Dashboard", "Schedule", "Surveys"]),
        ("Recognition", ["Wall", "Nominate", "My nominations"]),
    ]
    assert [group["current"] for group in response.context["nav_groups"]] == [False, True]


def test_navigation_renders_dropdowns_and_phone_menu(client, agent):
    client.force_login(agent)
    html = client.get(reverse("dashboard")).content.decode()
    assert html.count('<details class="menu') == 4  # Plan, Recognition, the account menu, the phone menu
    assert html.count('href="/nominations/mine/"') == 2  # the desktop dropdown and the phone menu


def test_a_page_owned_by_an_entry_under_another_entrys_prefix_is_that_entrys(client, coordinator):
    from tests.recognition.factories import WeekFactory

    week = WeekFactory()
    client.force_login(coordinator)
    response = client.get(reverse("recognition:categories", args=[week.year]))
    assert [item["label"] for item in response.context["nav_items"] if item["current"]] == [
        "Award categories"
    ]
    assert [group["name"] for group in response.context["nav_groups"] if group["current"]] == ["Recognition"]
    plan = client.get(reverse("events:week_list"))
    assert [item["label"] for item in plan.context["nav_items"] if item["current"]] == ["Weeks"]
