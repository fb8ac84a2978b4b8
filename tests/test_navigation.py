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
        "Deliveries",
        "Audit log",
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
