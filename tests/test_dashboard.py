"""The dashboard and the navigation: each role is greeted and shown only what it may use."""

import re

import pytest
from django.urls import reverse

from csweek.views import error_500
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'

RECOGNITION = ["Wall", "Nominate", "My nominations"]
NAV = {
    "coordinator": [
        "Dashboard",
        "Schedule",
        "Weeks",
        "Surveys",
        "Reports",
        "People",
        "Teams",
        "Import staff",
        *RECOGNITION,
        "Review",
        "Award categories",
        "Announcements",
        "Deliveries",
        "Audit log",
        "Organisation",
        "Slack & Teams",
        "Profile",
    ],
    "manager": ["Dashboard", "Schedule", "Surveys", "Reports", "People", *RECOGNITION, "Review", "Profile"],
    "other_manager": [
        "Dashboard",
        "Schedule",
        "Surveys",
        "Reports",
        "People",
        *RECOGNITION,
        "Review",
        "Profile",
    ],
    "agent": ["Dashboard", "Schedule", "Surveys", *RECOGNITION, "Profile"],
}


def nav_labels(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"]]


def main_nav(content: str) -> str:
    return content.split('aria-label="Main">', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("role", sorted(NAV))
def test_navigation_shows_each_role_what_it_may_use(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("dashboard"))
    assert nav_labels(response) == NAV[role]


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        ("agent", ["people:person_list", "people:team_list", "people:staff_import"]),
        ("manager", ["people:team_list", "people:staff_import"]),
    ],
)
def test_navigation_hides_links_a_role_may_not_use(client, request, role, hidden):
    client.force_login(request.getfixturevalue(role))
    nav = main_nav(client.get(reverse("dashboard")).content.decode())
    assert [name for name in hidden if f'href="{reverse(name)}"' in nav] == []


def test_navigation_staff_member_also_sees_admin(client):
    staff = CoordinatorFactory(is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("dashboard"))
    assert nav_labels(response) == [*NAV["coordinator"], "Admin"]


def test_navigation_anonymous_sees_only_sign_in(client):
    response = client.get(reverse("account_login"))
    nav = main_nav(response.content.decode())
    assert re.findall(r'href="([^"]+)"', nav) == [reverse("account_login")]


@pytest.mark.parametrize(
    ("path_name", "current"),
    [
        ("dashboard", "Dashboard"),
        ("people:person_list", "People"),
        ("people:staff_import", "Import staff"),
        ("people:person_invite", "People"),
        ("people:team_create", "Teams"),
        ("recognition:nomination_new", "Nominate"),
        ("recognition:mine", "My nominations"),
        ("recognition:review", "Review"),
    ],
)
def test_navigation_marks_exactly_one_current_page(client, coordinator, path_name, current):
    client.force_login(coordinator)
    response = client.get(reverse(path_name))
    assert [item["label"] for item in response.context["nav_items"] if item["current"]] == [current]
    assert main_nav(response.content.decode()).count('aria-current="page"') == 1


def test_base_has_skip_link_to_main(client, agent):
    client.force_login(agent)
    content = client.get(reverse("dashboard")).content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in content
    assert content.index("skip-link") < content.index('<nav class="site-nav" aria-label="Main">')
    assert '<main id="main" class="container" tabindex="-1">' in content


def test_error_500_page_renders_without_request_context(rf):
    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in response.content.decode()
