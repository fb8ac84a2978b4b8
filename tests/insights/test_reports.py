"""Reports: the figures, who sees which teams, the exports and a flat query count."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from events.models import Activity, Registration, Week
from insights.selectors import report_for
from outbox.models import Delivery
from tests.events.factories import ActivityFactory, DayThemeFactory, WeekFactory, local
from tests.factories import AgentFactory
from tests.insights.conftest import approve, populate
from tests.recognition.factories import AwardCategoryFactory, NominationFactory

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
        ["Billing", 2, 1, "50.0", 1, "50.0", 0.0],
        ["Front Line", 7, 4, "57.1", 2, "28.6", 28.5],
    ]


def test_report_activities_fill_and_attendance(data, coordinator):
    report = report_for(viewer=coordinator, year=2030)
    assert [row[0:1] + row[2:] for row in rows(report, "activities")] == [
        ["Monday kick-off", "no limit", 2, "—", 0, 2, 2, "100.0", "Monday kick-off", 1, 1, 1, "100.0", 0.0],
        ["Tuesday quiz", 8, 3, "37.5", 0, 3, 1, "33.3", "Tuesday quiz", 2, 1, 0, "50.0", -16.7],
    ]
    assert [activity.title for activity in report.most_attended] == ["Monday kick-off", "Tuesday quiz"]


def test_report_nominations_and_headline(data, coordinator):
    report = report_for(viewer=coordinator, year=2030)
    assert rows(report, "nominations-categories") == [["Customer hero", 4, 2, 0, 2, "100.0", 2, 2, 1, 1]]
    headline = {name: (value, before) for name, value, before in report.headline}
    assert headline["Awards"] == ("2", "1")
    assert headline["Median time to decision"] == ("24.0 h", "24.0 h")
    assert headline["Recognised for the first time"] == ("2", "1")
    assert headline["Attendance"] == ("60.0 % (3 of 5)", "66.7 % (2 of 3)")


def test_report_for_a_manager_shows_their_teams_only(data, manager):
    report = report_for(viewer=manager, year=2030)
    assert [row[0] for row in rows(report, "participation-teams")] == ["Front Line"]
    assert report.table("emails") is None
    assert [row[0:1] + row[5:9] for row in rows(report, "activities")] == [
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
    # Last year's "Customer hero" has no namesake this year: it shows with nothing this year.
    assert response.content.decode().splitlines() == [
        "Category,Nominations,Approved,Declined,Waiting,Approval %,"
        "Nominations 2029,Nominations change,Approved 2029,Approved change",
        "'=HYPERLINK(1),4,2,0,2,100.0,0,4,0,2",
        "Customer hero,0,0,0,0,—,2,-2,1,-1",
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
        [
            "Category",
            "Nominations",
            "Approved",
            "Declined",
            "Waiting",
            "Approval %",
            "Nominations 2029",
            "Nominations change",
            "Approved 2029",
            "Approved change",
        ],
        ["'=HYPERLINK(1)", 4, 2, 0, 2, "100.0", 0, 4, 0, 2],
        ["Customer hero", 0, 0, 0, 0, "—", 2, -2, 1, -1],
    ]


@pytest.mark.parametrize(("key", "fmt"), [("nope", "csv"), ("activities", "pdf"), ("emails", "csv")])
def test_report_export_unknown_is_404(client, data, manager, key, fmt):
    client.force_login(manager)
    assert client.get(reverse("insights:report_export", args=[2030, key, fmt])).status_code == 404


@pytest.mark.parametrize(("viewer", "queries", "teams"), [("coordinator", 14, 2), ("manager", 13, 1)])
@pytest.mark.parametrize("n", [3, 300])
def test_report_query_count_is_flat(
    request,
    client,
    weeks,
    coordinator,
    manager,
    team,
    other_team,
    n,
    viewer,
    queries,
    teams,
    django_assert_num_queries,
):
    previous, week = weeks
    populate(previous, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=3)
    populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=n)
    client.force_login(request.getfixturevalue(viewer))
    # The cache starts empty (tests/conftest.py): the page cache has nothing stored, so this read
    # builds the report and renders the page.
    with django_assert_num_queries(queries):
        response = client.get(reverse("insights:report", args=[2030]))
    assert response.status_code == 200
    assert response.context is not None  # rendered, not served from the page cache
    rows = response.context["report"].table("participation-teams").rows
    assert len(rows) == teams
    front_line = next(row for row in rows if row[0] == "Front Line")
    assert front_line[2] == n


# --- Compared with the previous year's week --------------------------------------------------------


def test_report_matches_last_years_activities_by_kind_title_then_day_theme(weeks, coordinator, team):
    previous, week = weeks
    DayThemeFactory(
        week=previous, date=previous.starts_on + datetime.timedelta(days=2), title="Thank You Day"
    )
    DayThemeFactory(week=week, date=week.starts_on + datetime.timedelta(days=3), title="thank you  day")
    people = [AgentFactory(team=team) for _ in range(4)]

    def held(w, title, kind, day, attended: int, confirmed: int):
        activity = ActivityFactory(
            week=w, title=title, kind=kind, host=coordinator, starts_at=local(w, day, 10)
        )
        for index, person in enumerate(people[:confirmed]):
            Registration.objects.create(
                user=person, activity=activity, attended_at=timezone.now() if index < attended else None
            )
        return activity

    held(previous, "Trivia quiz", Activity.Kind.TEAM_BUILDING, 0, attended=1, confirmed=2)
    held(previous, "Thank-you lunch", Activity.Kind.CUSTOMER_APPRECIATION, 2, attended=2, confirmed=4)
    held(previous, "Escalations 101", Activity.Kind.TRAINING, 1, attended=3, confirmed=3)
    # Same kind, same title (case and spaces aside): compared.
    held(week, "TRIVIA  Quiz", Activity.Kind.TEAM_BUILDING, 1, attended=2, confirmed=2)
    # Same title again: last year's quiz is already taken, so this one is new.
    held(week, "Trivia quiz", Activity.Kind.TEAM_BUILDING, 4, attended=0, confirmed=1)
    # A new title on a day with last year's theme, same kind: compared with last year's lunch.
    held(week, "Customer breakfast", Activity.Kind.CUSTOMER_APPRECIATION, 3, attended=3, confirmed=3)
    # Same title, other kind: new.
    held(week, "Escalations 101", Activity.Kind.OTHER, 1, attended=1, confirmed=2)

    table = report_for(viewer=coordinator, year=2030).table("activities")
    assert table.header[9:] == [
        "Compared with (2029)",
        "Confirmed 2029",
        "Attended 2029",
        "Attended change",
        "Attendance % 2029",
        "Attendance % change (points)",
    ]
    assert [[row[0], *row[6:]] for row in table.rows] == [
        ["TRIVIA  Quiz", 2, 2, "100.0", "Trivia quiz", 2, 1, 1, "50.0", 50.0],
        ["Escalations 101", 2, 1, "50.0", "— (new)", "—", "—", "—", "—", "—"],
        ["Customer breakfast", 3, 3, "100.0", "Thank-you lunch", 4, 2, 1, "50.0", 50.0],
        ["Trivia quiz", 1, 0, "0.0", "— (new)", "—", "—", "—", "—", "—"],
    ]
    assert "same kind and the same title" in table.note
    assert table.chart["data"]["datasets"][2] == {
        "label": "Attended 2029",
        "data": [1, 0, 2, 0],
        "backgroundColor": "#43a047",
    }


def test_report_compares_categories_by_name_and_shows_every_change(data, coordinator, manager):
    week = data["category"].week
    kindness = AwardCategoryFactory(week=week, name="Kindness")
    approve(
        NominationFactory(category=kindness, nominator=data["outsider"], nominee=data["agents"][1]), manager
    )
    report = report_for(viewer=coordinator, year=2030)
    assert rows(report, "nominations-categories") == [
        ["Customer hero", 4, 2, 0, 2, "100.0", 2, 2, 1, 1],
        ["Kindness", 1, 1, 0, 0, "100.0", 0, 1, 0, 1],
    ]
    assert rows(report, "nominations-teams") == [
        ["Billing", 0, 0, "—", 0, 0, 0, 0],
        ["Front Line", 5, 3, "100.0", 2, 3, 1, 2],
    ]
    summary = report.table("summary")
    assert summary.header == ["Figure", "2030", "2029", "Change"]
    assert summary.rows == [
        ["Participation", "55.6 % (5 of 9)", "33.3 % (3 of 9)", 22.3],
        ["Attendance", "60.0 % (3 of 5)", "66.7 % (2 of 3)", -6.7],
        ["Nominations", "5", "2", 3],
        ["Approval rate", "100.0 %", "100.0 %", 0.0],
        ["Median time to decision", "24.0 h", "24.0 h", 0.0],
        ["Awards", "3", "1", 2],
        ["Recognised for the first time", "3", "1", 2],
    ]
    assert rows(report, "participation-days")[0] == ["Monday 7 Oct", 2, "22.2", 1, "11.1", 11.1]


def test_report_export_keeps_a_negative_change_a_number(data, coordinator, client):
    client.force_login(coordinator)
    response = client.get(reverse("insights:report_export", args=[2030, "summary", "csv"]))
    assert response.content.decode().splitlines()[2] == "Attendance,60.0 % (3 of 5),66.7 % (2 of 3),-6.7"
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("insights:report_export", args=[2030, "summary", "xlsx"])).content)
    ).active
    assert next(sheet.iter_rows(min_row=3, max_row=3, values_only=True)) == (
        "Attendance",
        "60.0 % (3 of 5)",
        "66.7 % (2 of 3)",
        -6.7,
    )


def test_report_without_an_earlier_week_has_no_comparison_columns(
    weeks, coordinator, manager, team, other_team
):
    _previous, week = weeks
    populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2)
    report = report_for(viewer=coordinator, year=2029)
    assert report.previous is None
    assert report.table("summary").header == ["Figure", "2029"]
    assert len(report.table("activities").header) == 9
    assert report.table("nominations-categories").header == [
        "Category",
        "Nominations",
        "Approved",
        "Declined",
        "Waiting",
        "Approval %",
    ]


# --- Every table as CSV and as XLSX ---------------------------------------------------------------

# The tables the report page offers for download, in its order, with each one's first column.
EXPORTED = {
    "summary": "Figure",
    "participation-teams": "Team",
    "participation-days": "Day",
    "activities": "Activity",
    "nominations-teams": "Team",
    "nominations-categories": "Category",
    "emails": "Email",
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What people typed that a spreadsheet would run as a formula, as each table shows it (by column).
NEUTRALISED = {
    "participation-teams": {0: {"'+Front Line", "'-Billing"}},
    "nominations-teams": {0: {"'+Front Line", "'-Billing"}},
    "activities": {0: {"'@Monday kick-off", "'=Tuesday quiz"}, 9: {"'@Monday kick-off", "'=Tuesday quiz"}},
    "nominations-categories": {0: {"'=HYPERLINK(1)", "Customer hero"}},
}


@pytest.fixture
def typed_by_users(data, weeks, team, other_team, coordinator):
    """Team names, activity titles (both years) and a category name that start like formulas, and
    emails of both years so that the email table has rows."""
    team.name, other_team.name = "+Front Line", "-Billing"
    team.save()
    other_team.save()
    for title, typed in (("Monday kick-off", "@Monday kick-off"), ("Tuesday quiz", "=Tuesday quiz")):
        for activity in Activity.objects.filter(title=title):
            activity.title = typed
            activity.save()
    data["category"].name = "=HYPERLINK(1)"
    data["category"].save()
    for year, status in (
        (2030, Delivery.Status.SENT),
        (2030, Delivery.Status.FAILED),
        (2029, Delivery.Status.SENT),
    ):
        Delivery.objects.create(
            recipient=coordinator,
            address=coordinator.email,
            kind="announcement",
            week_year=year,
            status=status,
        )
    return data


def exported_rows(response, fmt: str) -> list[list]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode())))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"] == []
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_exported(value, fmt: str):
    """A number stays a number in XLSX (CSV has only text); text that a spreadsheet would run as a
    formula gets a leading quote."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value if fmt == "xlsx" else str(value)
    text = str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def test_report_page_offers_every_table_in_both_formats(client, typed_by_users, coordinator):
    client.force_login(coordinator)
    body = client.get(reverse("insights:report", args=[2030])).content.decode()
    offered = re.findall(r'href="/reports/2030/([a-z-]+)\.(csv|xlsx)"', body)
    assert offered == [(key, fmt) for key in EXPORTED for fmt in ("csv", "xlsx")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("key", list(EXPORTED))
def test_report_export_of_every_table(client, typed_by_users, coordinator, key, fmt):
    table = report_for(viewer=coordinator, year=2030).table(key)
    client.force_login(coordinator)
    response = client.get(reverse("insights:report_export", args=[2030, key, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="csweek-2030-{key}.{fmt}"'
    header, *rows = exported_rows(response, fmt)
    assert header[0] == EXPORTED[key]
    assert header == table.header
    assert len(rows) == len(table.rows) > 0
    assert rows == [[as_exported(cell, fmt) for cell in row] for row in table.rows]
    for column, values in NEUTRALISED.get(key, {}).items():
        assert {row[column] for row in rows} == values
    if fmt == "xlsx":
        assert any(isinstance(cell, int | float) for row in rows for cell in row)


# --- Whose figures an export holds ----------------------------------------------------------------


@pytest.mark.parametrize("ask_for_theirs", [False, True], ids=["plain", "other-team-asked"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("role", "mine", "theirs"),
    [("manager", "Front Line", "Billing"), ("other_manager", "Billing", "Front Line")],
)
def test_report_export_for_a_manager_holds_their_teams_only(
    client, data, request, other_team, team, role, mine, theirs, fmt, ask_for_theirs
):
    client.force_login(request.getfixturevalue(role))
    # The address names no team: one asked for in the query string is not looked at.
    query = {"team": {"Front Line": team, "Billing": other_team}[theirs].pk} if ask_for_theirs else {}
    for key in EXPORTED:
        response = client.get(reverse("insights:report_export", args=[2030, key, fmt]), query)
        if key == "emails":
            assert response.status_code == 404  # the outbox's figures are for coordinators
            continue
        assert response.status_code == 200
        rows = exported_rows(response, fmt)
        assert [cell for row in rows for cell in row if theirs in str(cell)] == []
        if key in ("participation-teams", "nominations-teams"):
            assert [row[0] for row in rows[1:]] == [mine]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_export_for_a_manager_counts_their_teams_people_only(client, data, manager, fmt):
    client.force_login(manager)
    summary = exported_rows(client.get(reverse("insights:report_export", args=[2030, "summary", fmt])), fmt)
    # Front Line: 4 of its 7 people signed up, 2 of its 4 confirmed attended (everyone: 5 of 9, 3 of 5).
    assert summary[1][:2] == ["Participation", "57.1 % (4 of 7)"]
    assert summary[2][:2] == ["Attendance", "50.0 % (2 of 4)"]
    activities = exported_rows(
        client.get(reverse("insights:report_export", args=[2030, "activities", fmt])), fmt
    )
    # The quiz's outsider from Billing (confirmed, attended) takes a seat but is not counted.
    assert [row[0:1] + row[3:8] for row in activities[1:]] == [
        [as_exported(cell, fmt) for cell in row]
        for row in (["Monday kick-off", 2, "—", 0, 2, 2], ["Tuesday quiz", 3, "37.5", 0, 2, 0])
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_export_for_an_agent_is_403(client, data, agent, fmt):
    client.force_login(agent)
    response = client.get(reverse("insights:report_export", args=[2030, "participation-teams", fmt]))
    assert response.status_code == 403
    assert AuditEntry.objects.count() == 0


def test_report_export_for_an_anonymous_visitor_goes_to_sign_in(client, data):
    url = reverse("insights:report_export", args=[2030, "participation-teams", "csv"])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("manager", 404)])
def test_report_export_of_a_draft_week_is_for_coordinators_only(
    client, data, coordinator, manager, team, other_team, request, role, status
):
    draft = WeekFactory(year=2031, status=Week.Status.DRAFT)
    populate(draft, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2)
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("insights:report_export", args=[2031, "participation-teams", "csv"]))
    assert response.status_code == status
