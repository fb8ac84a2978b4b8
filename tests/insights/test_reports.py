"""Reports: the figures, who sees which teams, the exports and a flat query count."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from insights.selectors import report_for
from tests.insights.conftest import populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(weeks, coordinator, manager, team, other_team):
    previous, week = weeks
    populate(previous, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2)
    return populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=4)


def rows(report, key):
    return report.table(key).rows


def test_report_participation_by_team_for_a_coordinator(data, coordinator, manager):
    report = report_for(viewer=coordinator, year=2030)
    # Front Line: the manager, 2 agents of 2029 and 4 of 2030 (7 people; 4 signed up in 2030,
    # 2 in 2029). Billing: 2 outsiders and other teams' people do not exist here.
    assert rows(report, "participation-teams") == [
        ["Billing", 2, 1, "50.0", 1, "50.0"],
        ["Front Line", 7, 4, "57.1", 2, "28.6"],
    ]


def test_report_activities_fill_and_attendance(data, coordinator):
    report = report_for(viewer=coordinator, year=2030)
    assert [row[0:1] + row[2:] for row in rows(report, "activities")] == [
        ["Monday kick-off", "no limit", 2, "—", 0, 2, 2, "100.0"],
        ["Tuesday quiz", 8, 3, "37.5", 0, 3, 1, "33.3"],
    ]
    assert [activity.title for activity in report.most_attended] == ["Monday kick-off", "Tuesday quiz"]


def test_report_nominations_and_headline(data, coordinator):
    report = report_for(viewer=coordinator, year=2030)
    assert rows(report, "nominations-categories") == [["Customer hero", 4, 2, 0, 2, "100.0"]]
    headline = {name: (value, before) for name, value, before in report.headline}
    assert headline["Awards"] == ("2", "1")
    assert headline["Median time to decision"] == ("24.0 h", "24.0 h")
    assert headline["Recognised for the first time"] == ("2", "1")
    assert headline["Attendance"] == ("60.0 % (3 of 5)", "66.7 % (2 of 3)")


def test_report_for_a_manager_shows_their_teams_only(data, manager):
    report = report_for(viewer=manager, year=2030)
    assert [row[0] for row in rows(report, "participation-teams")] == ["Front Line"]
    assert report.table("emails") is None
    assert [row[0:1] + row[5:] for row in rows(report, "activities")] == [
        ["Monday kick-off", 0, 2, 2, "100.0"],
        ["Tuesday quiz", 0, 2, 0, "0.0"],
    ]


def test_report_for_an_agent_is_none(data, agent):
    assert report_for(viewer=agent, year=2030) is None


@pytest.mark.parametrize(
    ("role", "status"), [("coordinator", 200), ("manager", 200), ("agent", 403), ("other_manager", 200)]
)
def test_report_page_answers_each_role(client, data, request, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("insights:report", args=[2030]))
    assert response.status_code == status


def test_report_page_other_manager_does_not_see_front_line(client, data, other_manager):
    client.force_login(other_manager)
    response = client.get(reverse("insights:report", args=[2030]))
    assert [row[0] for row in response.context["report"].table("participation-teams").rows] == ["Billing"]
    assert "Front Line" not in response.content.decode()


def test_report_page_has_chart_and_table(client, data, coordinator):
    client.force_login(coordinator)
    body = client.get(reverse("insights:report", args=[2030])).content.decode()
    assert '<canvas data-chart="chart-participation-teams"' in body
    assert '<script id="chart-participation-teams" type="application/json">' in body
    assert '<table id="participation-teams-table">' in body
    assert "style=" not in body


def test_report_unknown_year_is_404(client, data, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("insights:report", args=[1999])).status_code == 404


def test_report_latest_redirects_to_the_newest_week(client, data, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("insights:report_latest"))
    assert response.url == reverse("insights:report", args=[2030])


def test_report_export_csv_is_formula_safe_and_audited(client, data, coordinator):
    data["category"].name = "=HYPERLINK(1)"
    data["category"].save()
    client.force_login(coordinator)
    response = client.get(reverse("insights:report_export", args=[2030, "nominations-categories", "csv"]))
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "Category,Nominations,Approved,Declined,Waiting,Approval %",
        "'=HYPERLINK(1),4,2,0,2,100.0",
    ]
    assert list(AuditEntry.objects.values_list("action", "detail")) == [
        ("export.report", {"format": "csv", "table": "nominations-categories"})
    ]


def test_report_export_xlsx_is_formula_safe(client, data, coordinator):
    data["category"].name = "=HYPERLINK(1)"
    data["category"].save()
    client.force_login(coordinator)
    response = client.get(reverse("insights:report_export", args=[2030, "nominations-categories", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Category", "Nominations", "Approved", "Declined", "Waiting", "Approval %"],
        ["'=HYPERLINK(1)", 4, 2, 0, 2, "100.0"],
    ]


@pytest.mark.parametrize(("key", "fmt"), [("nope", "csv"), ("activities", "pdf"), ("emails", "csv")])
def test_report_export_unknown_is_404(client, data, manager, key, fmt):
    client.force_login(manager)
    assert client.get(reverse("insights:report_export", args=[2030, key, fmt])).status_code == 404


@pytest.mark.parametrize("n", [3, 300])
def test_report_query_count_is_flat(
    client, weeks, coordinator, manager, team, other_team, n, django_assert_num_queries
):
    previous, week = weeks
    populate(previous, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=3)
    populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=n)
    client.force_login(coordinator)
    with django_assert_num_queries(14):
        response = client.get(reverse("insights:report", args=[2030]))
    assert response.status_code == 200
