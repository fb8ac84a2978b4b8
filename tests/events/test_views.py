"""Event pages: who may open what, htmx fragments, time zones, escaping and query counts."""

import datetime
import re
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.models import Activity, DayTheme, Registration, TeamCoverage, Week
from tests.events.factories import ActivityFactory, DayThemeFactory, RegistrationFactory, WeekFactory, local
from tests.factories import AgentFactory, CoordinatorFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ROLES = ["coordinator", "host", "agent", "other_agent", "manager", "other_manager", "anonymous"]


@pytest.fixture
def host(other_team):
    return AgentFactory(email="host@example.com", team=other_team)


@pytest.fixture
def team_activity(week, team, host):
    """An activity for the team `team` only, hosted by someone of another team."""
    return ActivityFactory(
        week=week,
        title="Team huddle",
        host=host,
        starts_at=local(week, 1, 10),
        capacity=5,
        audience_teams=[team],
    )


@pytest.fixture
def draft_week(db):
    return WeekFactory(year=2031, status=Week.Status.DRAFT)


def login_as(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


COORDINATOR_ONLY = {
    "host": 403,
    "agent": 403,
    "other_agent": 403,
    "manager": 403,
    "other_manager": 403,
    "anonymous": 302,
}
AUDIENCE = {
    "coordinator": 200,
    "host": 200,
    "agent": 200,
    "other_agent": 404,
    "manager": 200,
    "other_manager": 404,
    "anonymous": 302,
}


def _matrix():
    rows = [
        ("week_list GET", "events:week_list", "get", None, {"coordinator": 200, **COORDINATOR_ONLY}),
        ("week_list POST", "events:week_list", "post", None, {"coordinator": 302, **COORDINATOR_ONLY}),
        ("week_plan GET", "events:week_plan", "get", "year", {"coordinator": 200, **COORDINATOR_ONLY}),
        (
            "team_coverage POST",
            "events:team_coverage_edit",
            "post",
            "team",
            {"coordinator": 302, **COORDINATOR_ONLY},
        ),
        ("week_edit GET", "events:week_edit", "get", "year", {"coordinator": 200, **COORDINATOR_ONLY}),
        ("week_edit POST", "events:week_edit", "post", "year", {"coordinator": 302, **COORDINATOR_ONLY}),
        (
            "week_publish POST",
            "events:week_publish",
            "post",
            "year",
            {"coordinator": 302, **COORDINATOR_ONLY},
        ),
        (
            "week_unpublish POST",
            "events:week_unpublish",
            "post",
            "year",
            {"coordinator": 302, **COORDINATOR_ONLY},
        ),
        ("week_clone POST", "events:week_clone", "post", "year", {"coordinator": 302, **COORDINATOR_ONLY}),
        ("day_theme GET", "events:day_theme_edit", "get", "day", {"coordinator": 200, **COORDINATOR_ONLY}),
        ("day_theme POST", "events:day_theme_edit", "post", "day", {"coordinator": 302, **COORDINATOR_ONLY}),
        (
            "activity_create GET",
            "events:activity_create",
            "get",
            "year",
            {"coordinator": 200, **COORDINATOR_ONLY},
        ),
        (
            "activity_create POST",
            "events:activity_create",
            "post",
            "year",
            {"coordinator": 302, **COORDINATOR_ONLY},
        ),
        (
            "activity_edit GET",
            "events:activity_edit",
            "get",
            "activity",
            {"coordinator": 200, **COORDINATOR_ONLY},
        ),
        (
            "activity_edit POST",
            "events:activity_edit",
            "post",
            "activity",
            {"coordinator": 302, **COORDINATOR_ONLY},
        ),
        (
            "activity_cancel GET",
            "events:activity_cancel",
            "get",
            "activity",
            {"coordinator": 200, **COORDINATOR_ONLY},
        ),
        (
            "activity_cancel POST",
            "events:activity_cancel",
            "post",
            "activity",
            {"coordinator": 302, **COORDINATOR_ONLY},
        ),
        (
            "activity_delete POST",
            "events:activity_delete",
            "post",
            "activity",
            {"coordinator": 302, **COORDINATOR_ONLY},
        ),
        ("schedule GET", "events:schedule", "get", None, {**dict.fromkeys(ROLES, 200), "anonymous": 302}),
        (
            "schedule_year GET",
            "events:schedule_year",
            "get",
            "year",
            {**dict.fromkeys(ROLES, 200), "anonymous": 302},
        ),
        (
            "schedule_year draft GET",
            "events:schedule_year",
            "get",
            "draft_year",
            {**dict.fromkeys(ROLES, 404), "coordinator": 200, "anonymous": 302},
        ),
        ("activity_detail GET", "events:activity_detail", "get", "activity", AUDIENCE),
        (
            "activity_detail draft GET",
            "events:activity_detail",
            "get",
            "draft_activity",
            {**dict.fromkeys(ROLES, 404), "coordinator": 200, "anonymous": 302},
        ),
        ("activity_ics GET", "events:activity_ics", "get", "activity", AUDIENCE),
        (
            "registrants_csv GET",
            "events:activity_registrants_csv",
            "get",
            "activity",
            {**AUDIENCE, "agent": 403, "manager": 403},
        ),
        (
            "activity_signup POST",
            "events:activity_signup",
            "post",
            "activity",
            {**AUDIENCE, "coordinator": 403, "host": 403, "agent": 302, "manager": 302},
        ),
        (
            "activity_signup GET",
            "events:activity_signup",
            "get",
            "activity",
            {**dict.fromkeys(ROLES, 405), "anonymous": 302},
        ),
        (
            "activity_withdraw POST (nothing to withdraw)",
            "events:activity_withdraw",
            "post",
            "activity",
            {**AUDIENCE, "coordinator": 404, "host": 404, "agent": 404, "manager": 404},
        ),
        (
            "calendar_token_regenerate POST",
            "events:calendar_token_regenerate",
            "post",
            None,
            {**dict.fromkeys(ROLES, 302)},
        ),
    ]
    for action, name, method, target, statuses in rows:
        for role in ROLES:
            yield pytest.param(name, method, target, role, statuses[role], id=f"{action}-{role}")


def _args(request, target, week, team_activity, draft_week):
    if target is None:
        return []
    if target == "year":
        return [week.year]
    if target == "team":
        return [request.getfixturevalue("team").pk]
    if target == "draft_year":
        return [draft_week.year]
    if target == "day":
        return [week.year, week.starts_on.isoformat()]
    if target == "activity":
        return [team_activity.pk]
    if target == "draft_activity":
        return [ActivityFactory(week=draft_week, host=request.getfixturevalue("coordinator")).pk]
    raise AssertionError(target)


def _post_data(name, week, team_activity, request):
    if name == "events:week_list":
        return {"year": 2032, "time_zone": "Europe/London", "theme": "New"}
    if name == "events:week_edit":
        return {"theme": "Edited", "time_zone": "Europe/London", "starts_on": week.starts_on.isoformat()}
    if name == "events:team_coverage_edit":
        return {f"team-{request.getfixturevalue('team').pk}-max_away_percent": "40"}
    if name == "events:week_clone":
        return {"year": 2033}
    if name == "events:day_theme_edit":
        return {"title": "Typed theme"}
    if name in ("events:activity_create", "events:activity_edit"):
        return activity_post(week, host=request.getfixturevalue("coordinator"))
    return {}


def _state():
    return (
        sorted(Week.objects.values_list("year", "theme", "status")),
        sorted(DayTheme.objects.values_list("date", "title")),
        sorted(Activity.objects.values_list("title", "status", "sequence")),
        sorted(Registration.objects.values_list("user__email", "status")),
        sorted(TeamCoverage.objects.values_list("team__name", "max_away_percent")),
    )


@pytest.mark.parametrize(("name", "method", "target", "role", "expected"), list(_matrix()))
def test_events_url_answers_each_role_with_exact_status(
    client, request, coordinator, manager, other_manager, agent, other_agent, host, week, team_activity,
    draft_week, name, method, target, role, expected,
):  # fmt: skip
    url = reverse(name, args=_args(request, target, week, team_activity, draft_week))
    login_as(client, request, role)
    before = _state()
    if method == "post":
        response = client.post(url, _post_data(name, week, team_activity, request))
    else:
        response = client.get(url)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"] == f"{reverse('account_login')}?next={quote(url)}"
    if expected in (403, 404, 405) or role == "anonymous":
        assert _state() == before


def test_guessed_activity_id_is_404(client, coordinator, agent):
    client.force_login(agent)
    assert client.get(reverse("events:activity_detail", args=[987654])).status_code == 404
    client.force_login(coordinator)
    assert client.get(reverse("events:activity_edit", args=[987654])).status_code == 404


def test_unknown_week_is_404_for_coordinator(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("events:week_plan", args=[1999])).status_code == 404


# --- Coordinator pages ---------------------------------------------------------------------------


def activity_post(week, **changes):
    data = {
        "title": "Coffee with customers",
        "kind": Activity.Kind.CUSTOMER_APPRECIATION,
        "description": "",
        "day": (week.starts_on + datetime.timedelta(days=2)).isoformat(),
        "start_time": "14:00",
        "end_time": "15:00",
        "format": Activity.Format.ONSITE,
        "room": "Atrium",
        "join_url": "",
        "capacity": "",
        "signup_required": "on",
        "origin": (week.starts_on + datetime.timedelta(days=2)).isoformat(),
    }
    host = changes.pop("host", None)
    if host is not None:
        data["host"] = host.pk
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("today", "existing", "year", "starts_on"),
    [
        (datetime.date(2026, 6, 1), [], 2026, datetime.date(2026, 10, 5)),
        (datetime.date(2026, 11, 23), [], 2027, datetime.date(2027, 10, 4)),
        (datetime.date(2026, 11, 23), [2027, 2028], 2029, datetime.date(2029, 10, 1)),
    ],
)
def test_week_list_prefills_the_next_year_by_the_rule(client, coordinator, today, existing, year, starts_on):
    for existing_year in existing:
        WeekFactory(year=existing_year)
    client.force_login(coordinator)
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)):
        response = client.get(reverse("events:week_list"))
    form = response.context["form"]
    assert form["year"].value() == year
    assert form["starts_on"].value() == starts_on


def test_week_list_post_creates_a_draft_week_with_default_themes(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("events:week_list"), {"year": 2028, "theme": "Mission Possible", "time_zone": "Europe/London"}
    )
    assert response["Location"] == reverse("events:week_plan", args=[2028])
    week = Week.objects.get(year=2028)
    assert (week.starts_on, week.status, week.day_themes.count()) == (datetime.date(2028, 10, 2), "draft", 5)


def test_week_list_post_not_a_monday_keeps_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("events:week_list"),
        {"year": 2028, "theme": "Typed theme", "starts_on": "2028-10-03", "time_zone": "Europe/London"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "starts_on": ["The week must start on a Monday; 3 October 2028 is a Tuesday."]
    }
    assert 'value="Typed theme"' in response.content.decode()
    assert not Week.objects.filter(year=2028).exists()


def test_week_plan_shows_days_themes_and_warnings(client, coordinator, week, team, host):
    DayThemeFactory(week=week, date=week.starts_on, title="Know Your Customer")
    ActivityFactory(
        week=week, title="Morning A", host=host, starts_at=local(week, 0, 10), audience_teams=[team]
    )
    ActivityFactory(
        week=week, title="Morning B", host=host, starts_at=local(week, 0, 10, 30), audience_teams=[team]
    )
    client.force_login(coordinator)
    response = client.get(reverse("events:week_plan", args=[week.year]))
    days = response.context["days"]
    assert [day.date for day in days] == week.days
    assert days[0].theme.title == "Know Your Customer"
    assert days[0].warnings == [
        f"{host.name} hosts both “Morning A” and “Morning B” at once.",
        "“Morning A” and “Morning B” overlap for Front Line.",
    ]
    assert "times in Europe/London" in response.content.decode()


def test_day_theme_htmx_post_returns_the_day_fragment(client, coordinator, week):
    client.force_login(coordinator)
    url = reverse("events:day_theme_edit", args=[week.year, week.starts_on.isoformat()])
    response = client.post(url, {"title": "Recognition Day"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<section id="day-{week.starts_on.isoformat()}"')
    assert "<html" not in content
    theme = DayTheme.objects.get(week=week, date=week.starts_on)
    # Picked from the library: its description comes along.
    assert (theme.title, theme.description) == (
        "Recognition Day",
        "Thank the people who serve our customers: awards, kudos and celebration.",
    )


def test_day_theme_empty_title_keeps_form_with_message(client, coordinator, week):
    client.force_login(coordinator)
    url = reverse("events:day_theme_edit", args=[week.year, week.starts_on.isoformat()])
    response = client.post(url, {"title": "", "description": "Kept text"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Give the day a theme, or pick one from the library." in content
    assert "Kept text" in content


def test_activity_create_htmx_adds_to_the_day(client, coordinator, week, team):
    client.force_login(coordinator)
    response = client.post(
        reverse("events:activity_create", args=[week.year]),
        activity_post(week, host=coordinator, audience_teams=[team.pk], capacity="20"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Coffee with customers" in response.content.decode()
    activity = Activity.objects.get()
    assert activity.starts_at == datetime.datetime(2030, 10, 9, 13, 0, tzinfo=datetime.UTC)  # 14:00 BST
    assert (activity.capacity, list(activity.audience_teams.all())) == (20, [team])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"day": "2030-10-12"},
            "day",
            "Choose a day of the week: Monday 7 October to Friday 11 October 2030.",
        ),
        ({"end_time": "13:00"}, "end_time", "The activity must end after it starts."),
        (
            {"format": "online", "room": "", "join_url": "http://meet.example.com/a"},
            "join_url",
            "The join link must start with https://.",
        ),
        ({"room": ""}, "room", "An on-site or hybrid activity needs a room or address."),
        ({"capacity": "0"}, "capacity", "Capacity must be at least 1 (leave it empty for no limit)."),
    ],
)
def test_activity_form_errors_keep_what_was_typed(client, coordinator, week, changes, field, message):
    client.force_login(coordinator)
    data = activity_post(week, host=coordinator, title="Typed title <b>", **changes)
    response = client.post(reverse("events:activity_create", args=[week.year]), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert 'value="Typed title &lt;b&gt;"' in response.content.decode()
    # Inline (htmx), the same form comes back in place of the day, with the message.
    inline = client.post(reverse("events:activity_create", args=[week.year]), data, HTTP_HX_REQUEST="true")
    content = inline.content.decode()
    assert content.lstrip().startswith('<section id="day-2030-10-09"')
    assert message.replace("’", "&#x27;") in content or message in content
    assert Activity.objects.count() == 0


def test_activity_edit_capacity_below_confirmed_is_refused_on_the_form(
    client, coordinator, week, team_activity
):
    for _ in range(3):
        RegistrationFactory(activity=team_activity, user=AgentFactory())
    client.force_login(coordinator)
    data = activity_post(week, host=coordinator, capacity="2")
    response = client.post(reverse("events:activity_edit", args=[team_activity.pk]), data)
    assert response.context["form"].errors == {
        "capacity": ["3 people are already confirmed; capacity cannot be lower than 3."]
    }


def test_activity_cancel_get_asks_first_and_changes_nothing(client, coordinator, team_activity):
    client.force_login(coordinator)
    response = client.get(reverse("events:activity_cancel", args=[team_activity.pk]), HTTP_HX_REQUEST="true")
    assert "Cancel “Team huddle”?" in response.content.decode()
    team_activity.refresh_from_db()
    assert team_activity.status == "scheduled"


def test_activity_delete_with_registrations_is_refused_with_reason(client, coordinator, team_activity, agent):
    services.registration_create(user=agent, activity=team_activity)
    client.force_login(coordinator)
    response = client.post(reverse("events:activity_delete", args=[team_activity.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "cancel it instead, so they are told." in response.content.decode()
    assert Activity.objects.filter(pk=team_activity.pk).exists()


def test_week_publish_makes_it_visible_to_agents(client, coordinator, agent, draft_week):
    client.force_login(agent)
    assert client.get(reverse("events:schedule_year", args=[draft_week.year])).status_code == 404
    client.force_login(coordinator)
    client.post(reverse("events:week_publish", args=[draft_week.year]))
    client.force_login(agent)
    assert client.get(reverse("events:schedule_year", args=[draft_week.year])).status_code == 200


def test_week_clone_post_redirects_to_the_new_draft(client, coordinator, week, team_activity):
    client.force_login(coordinator)
    response = client.post(reverse("events:week_clone", args=[week.year]), {"year": 2034})
    assert response["Location"] == reverse("events:week_plan", args=[2034])
    assert Week.objects.get(year=2034).activities.count() == 1


def test_week_clone_into_a_taken_year_keeps_the_year_and_says_why(client, coordinator, week):
    WeekFactory(year=2034)
    client.force_login(coordinator)
    response = client.post(reverse("events:week_clone", args=[week.year]), {"year": "2034"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is already a week for 2034; choose another year." in page
    assert 'value="2034"' in page
    assert Week.objects.count() == 2


# --- The schedule ---------------------------------------------------------------------------------


def test_schedule_picks_the_current_or_next_published_week(client, agent):
    WeekFactory(year=2025)
    WeekFactory(year=2027)
    WeekFactory(year=2028, status=Week.Status.DRAFT)
    client.force_login(agent)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC)):
        assert client.get(reverse("events:schedule")).context["week"].year == 2027
    with time_machine.travel(datetime.datetime(2027, 10, 8, 12, tzinfo=datetime.UTC)):
        client.force_login(agent)  # a year later the first session has expired
        assert client.get(reverse("events:schedule")).context["week"].year == 2027


def test_schedule_falls_back_to_the_most_recent_week(client, agent):
    WeekFactory(year=2024)
    WeekFactory(year=2025)
    client.force_login(agent)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC)):
        assert client.get(reverse("events:schedule")).context["week"].year == 2025


def test_schedule_without_any_week_says_so(client, agent):
    client.force_login(agent)
    assert "The week is not published yet." in client.get(reverse("events:schedule")).content.decode()


def test_schedule_shows_only_activities_for_the_viewers_team(
    client, week, team, other_team, coordinator, agent
):
    ActivityFactory(week=week, title="For everyone", host=coordinator)
    ActivityFactory(week=week, title="For my team", host=coordinator, audience_teams=[team])
    ActivityFactory(week=week, title="For billing", host=coordinator, audience_teams=[other_team])
    client.force_login(agent)
    response = client.get(reverse("events:schedule_year", args=[week.year]))
    titles = [a.title for day in response.context["days"] for a in day.activities]
    assert titles == ["For everyone", "For my team"]


def test_schedule_filter_by_kind_and_mine(client, week, coordinator, agent):
    ActivityFactory(week=week, title="Training", host=coordinator, kind=Activity.Kind.TRAINING)
    party = ActivityFactory(week=week, title="Party", host=coordinator, kind=Activity.Kind.TEAM_BUILDING)
    client.force_login(agent)
    url = reverse("events:schedule_year", args=[week.year])
    response = client.get(url, {"kind": Activity.Kind.TEAM_BUILDING})
    assert [a.title for day in response.context["days"] for a in day.activities] == ["Party"]
    services.registration_create(user=agent, activity=party)
    response = client.get(url, {"mine": "1"})
    assert [a.title for day in response.context["days"] for a in day.activities] == ["Party"]
    assert [a.title for a in response.context["my_activities"]] == ["Party"]


def test_schedule_signup_by_htmx_returns_the_body_with_my_activity(client, agent, team_activity):
    client.force_login(agent)
    response = client.post(
        reverse("events:activity_signup", args=[team_activity.pk]),
        {"kind": "", "mine": ""},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="schedule-body">')
    assert "You are signed up for “Team huddle”." in content
    assert "4 seats left" in content
    mine = content.split('<section aria-labelledby="mine-heading"', 1)[1].split("</section>", 1)[0]
    assert f'<a href="/activities/{team_activity.pk}/">Team huddle</a>' in mine
    assert Registration.objects.get(user=agent).status == "confirmed"


def test_schedule_waitlist_positions_break_ties_by_sign_up_order(client, week, coordinator, team):
    activity = ActivityFactory(week=week, host=coordinator, capacity=1, title="Tiny")
    people = [AgentFactory(team=team) for _ in range(4)]
    with time_machine.travel(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        for person in people:  # all in the same instant: the id decides, as it does for promotion
            services.registration_create(user=person, activity=activity)
    positions = []
    for person in people[1:]:
        client.force_login(person)
        content = client.get(reverse("events:schedule_year", args=[week.year])).content.decode()
        positions.append(next(p for p in (1, 2, 3) if f"Waitlist position {p}" in content))
    assert positions == [1, 2, 3]


def test_schedule_counts_the_people_ahead_in_the_database_not_by_reading_each(
    client, settings, week, coordinator, team
):
    """A waitlist for team coverage can hold thousands: the viewer's place is one grouped count."""
    settings.PAGE_CACHE = False
    activities = [
        ActivityFactory(week=week, host=coordinator, capacity=1, title=f"Tiny {n}") for n in range(2)
    ]
    people = [AgentFactory(team=team) for _ in range(6)]
    for activity in activities:
        for person in people:
            services.registration_create(user=person, activity=activity)
    client.force_login(people[4])
    with CaptureQueriesContext(connection) as queries:
        content = client.get(reverse("events:schedule_year", args=[week.year])).content.decode()
    assert content.count("Waitlist position 4") == 2
    waitlist_queries = [
        q["sql"] for q in queries if 'FROM "events_registration"' in q["sql"] and 'created_at" <' in q["sql"]
    ]
    assert len(waitlist_queries) == 1
    assert "COUNT(" in waitlist_queries[0] and "GROUP BY" in waitlist_queries[0]


def test_schedule_shows_waitlist_position_and_coverage_reason(client, week, coordinator, team):
    activity = ActivityFactory(week=week, host=coordinator, capacity=1, title="Tiny")
    first, second, third = (AgentFactory(team=team) for _ in range(3))
    for person in (first, second, third):
        services.registration_create(user=person, activity=activity)
    client.force_login(third)
    content = client.get(reverse("events:schedule_year", args=[week.year])).content.decode()
    assert "Waitlist position 2" in content
    assert "because the activity is full." in content

    covered = AgentFactory(team=team)
    services.team_coverage_set(by=coordinator, team=team, max_away_percent=1)
    other = ActivityFactory(week=week, host=coordinator, title="Other", starts_at=local(week, 3, 10))
    services.registration_create(user=covered, activity=other)
    client.force_login(covered)
    content = client.get(reverse("events:schedule_year", args=[week.year])).content.decode()
    assert "because of team coverage" in content


def test_schedule_join_link_only_for_the_registered(client, week, coordinator, agent):
    ActivityFactory(
        week=week,
        host=coordinator,
        format=Activity.Format.ONLINE,
        room="",
        join_url="https://meet.example.com/j",
    )
    client.force_login(agent)
    url = reverse("events:schedule_year", args=[week.year])
    join = reverse("events:activity_join", args=[Activity.objects.get().pk])
    assert join not in client.get(url).content.decode()
    services.registration_create(user=agent, activity=Activity.objects.get())
    # csweek's own join link, which records attendance and goes on to the meeting.
    assert f'<a href="{join}" rel="noopener">Join link</a>' in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("America/New_York", '<time datetime="2030-10-08T10:00:00-04:00">10:00</time>'),
        ("Europe/London", '<time datetime="2030-10-08T15:00:00+01:00">15:00</time>'),
        ("Asia/Kolkata", '<time datetime="2030-10-08T19:30:00+05:30">19:30</time>'),
    ],
)
def test_schedule_shows_the_same_activity_in_each_viewers_zone(client, week, coordinator, team, zone, shown):
    ActivityFactory(
        week=week,
        host=coordinator,
        starts_at=datetime.datetime(2030, 10, 8, 14, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 10, 8, 15, 0, tzinfo=datetime.UTC),
    )
    viewer = AgentFactory(team=team, time_zone=zone)
    client.force_login(viewer)
    content = client.get(reverse("events:schedule_year", args=[week.year])).content.decode()
    assert shown in content
    assert f"Times are shown in your time zone, <strong>{zone}</strong>" in content


def test_user_text_is_escaped_on_every_page(client, week, coordinator, agent):
    activity = ActivityFactory(week=week, title=SCRIPT, description=SCRIPT, room=SCRIPT, host=coordinator)
    DayThemeFactory(week=week, date=week.starts_on, title=SCRIPT, description=SCRIPT)
    RegistrationFactory(activity=activity, user=AgentFactory(team=agent.team, display_name=SCRIPT))
    client.force_login(coordinator)
    for url in [
        reverse("events:week_plan", args=[week.year]),
        reverse("events:schedule_year", args=[week.year]),
        reverse("events:activity_detail", args=[activity.pk]),
    ]:
        content = client.get(url).content.decode()
        assert SCRIPT not in content
        assert SCRIPT_ESCAPED in content


# --- Activity detail and CSV -------------------------------------------------------------------------


def test_schedule_offers_sign_up_only_to_the_audience(client, team_activity, agent, host, coordinator):
    signup = reverse("events:activity_signup", args=[team_activity.pk])
    url = reverse("events:schedule_year", args=[team_activity.week.year])
    client.force_login(agent)
    assert f'action="{signup}"' in client.get(url).content.decode()
    client.force_login(host)  # hosts it, but is not in the team it is for
    page = client.get(url).content.decode()
    assert f'action="{signup}"' not in page
    assert "You are hosting it; sign-up is for the teams it is meant for." in page
    assert client.post(signup).status_code == 403
    client.force_login(coordinator)  # sees every activity, belongs to no audience team
    page = client.get(url).content.decode()
    assert f'action="{signup}"' not in page
    assert "sign-up is for the teams it is meant for." in page


def test_activity_detail_registrants_for_host_not_for_agent(client, team_activity, agent, host):
    services.registration_create(user=agent, activity=team_activity)
    client.force_login(host)
    response = client.get(reverse("events:activity_detail", args=[team_activity.pk]))
    assert [r.user.email for r in response.context["registrants_page"]] == ["agent@example.com"]
    client.force_login(agent)
    response = client.get(reverse("events:activity_detail", args=[team_activity.pk]))
    assert response.context["registrants_page"] is None
    assert "Who signed up" not in response.content.decode()


def test_registrants_csv_exact_rows(client, coordinator, team_activity, agent):
    agent.first_name, agent.last_name = "=cmd", "Smith"
    agent.save()
    services.registration_create(user=agent, activity=team_activity)
    client.force_login(coordinator)
    response = client.get(reverse("events:activity_registrants_csv", args=[team_activity.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "name,email,team,status,waitlist reason,signed up at (Europe/London)"
    assert lines[1].startswith("'=cmd Smith,agent@example.com,Front Line,confirmed,,")
    assert len(lines) == 2


# --- Query counts ------------------------------------------------------------------------------------


def _populate(week, size, team, viewer):
    coordinator = CoordinatorFactory()
    registrants = [AgentFactory(team=team) for _ in range(3)]
    activities = []
    for i in range(size):
        activity = ActivityFactory(
            week=week,
            host=coordinator,
            starts_at=local(week, i % 5, 8 + (i % 10)),
            capacity=2,
            audience_teams=[team] if i % 2 else [],
        )
        activities.append(activity)
        for person in registrants:
            services.registration_create(user=person, activity=activity)
    services.registration_create(user=viewer, activity=activities[0])
    return activities


@pytest.mark.parametrize("size", [3, 300])
def test_schedule_query_count_does_not_grow(client, django_assert_max_num_queries, week, team, agent, size):
    _populate(week, size, team, agent)
    client.force_login(agent)
    # 8, plus the week's sign-up counts (its activity ids, then one grouped count), plus the "open
    # surveys" link the schedule shows (csweek.context_processors).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("events:schedule_year", args=[week.year]))
    assert sum(len(day.activities) for day in response.context["days"]) == size


@pytest.mark.parametrize("url_name", ["events:schedule_year", "events:week_plan"])
def test_the_weeks_sign_up_counts_are_counted_once_per_change_of_sign_ups(
    client, settings, week, team, agent, url_name
):
    settings.PAGE_CACHE = False  # every read renders: only the shared counts are cached
    activities = _populate(week, 4, team, agent)
    client.force_login(CoordinatorFactory() if url_name == "events:week_plan" else agent)
    url = reverse(url_name, args=[week.year])

    def read() -> tuple[int, int]:
        """(queries counting sign-ups, sign-ups shown for the third activity: full, so waitlisted)"""
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        shown = {a.pk: a for day in response.context["days"] for a in day.activities}
        # The week's counts, not the viewer's own waitlist place (counted apart, by sign-up time).
        counting = sum(
            'FROM "events_registration"' in q["sql"] and "COUNT(" in q["sql"] and "created_at" not in q["sql"]
            for q in queries
        )
        return counting, shown[activities[2].pk].waitlisted_count

    counting, waitlisted = read()
    assert counting == 1
    assert read() == (0, waitlisted)  # the same counts, read from the cache
    services.registration_create(user=AgentFactory(team=team), activity=activities[2])
    assert read() == (1, waitlisted + 1)  # a sign-up: counted again, and shown


def _grouped_activity_queries(queries) -> list[str]:
    """Queries that group rows while reading activities: the join that made PostgreSQL misjudge."""
    return [
        q["sql"] for q in queries if 'FROM "events_activity"' in q["sql"] and "GROUP BY" in q["sql"].upper()
    ]


@pytest.mark.parametrize("url_name", ["events:schedule_year", "events:week_plan"])
def test_schedule_counts_sign_ups_apart_from_the_activities(client, week, team, agent, url_name):
    activities = _populate(week, 4, team, agent)
    client.force_login(CoordinatorFactory() if url_name == "events:week_plan" else agent)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name, args=[week.year]))
    assert _grouped_activity_queries(queries.captured_queries) == []
    shown = {a.pk: a for day in response.context["days"] for a in day.activities}
    assert (shown[activities[0].pk].confirmed_count, shown[activities[0].pk].waitlisted_count) == (2, 2)
    assert (shown[activities[1].pk].confirmed_count, shown[activities[1].pk].waitlisted_count) == (2, 1)


@pytest.mark.parametrize("size", [3, 300])
def test_week_plan_query_count_does_not_grow(client, django_assert_max_num_queries, week, team, agent, size):
    _populate(week, size, team, agent)
    client.force_login(CoordinatorFactory())
    with django_assert_max_num_queries(10):  # the week's sign-up counts take two (see above)
        response = client.get(reverse("events:week_plan", args=[week.year]))
    assert sum(len(day.activities) for day in response.context["days"]) == size


@pytest.mark.parametrize("size", [3, 300])
def test_activity_detail_query_count_does_not_grow(
    client, django_assert_max_num_queries, week, coordinator, team, size
):
    activity = ActivityFactory(week=week, host=coordinator, audience_teams=[team])
    for _ in range(size):
        RegistrationFactory(activity=activity, user=AgentFactory(team=team))
    client.force_login(coordinator)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("events:activity_detail", args=[activity.pk]))
    assert len(response.context["registrants_page"]) == min(size, 50)
    assert response.context["registrant_counts"] == {"confirmed": size, "waitlisted": 0, "cancelled": 0}


def test_activity_detail_registrants_paginated_with_counts(client, week, coordinator, team):
    activity = ActivityFactory(week=week, host=coordinator, audience_teams=[team], capacity=100)
    people = [AgentFactory(team=team) for _ in range(120)]
    for person in people:
        services.registration_create(user=person, activity=activity)
    services.registration_cancel(by=people[0], registration=activity.registrations.get(user=people[0]))
    client.force_login(coordinator)
    url = reverse("events:activity_detail", args=[activity.pk])
    first = client.get(url)
    assert len(first.context["registrants_page"]) == 50
    assert first.context["registrant_counts"] == {"confirmed": 100, "waitlisted": 19, "cancelled": 1}
    page = first.content.decode()
    assert "100 confirmed · 19 on the waitlist · 1 cancelled" in page
    assert "Page 1 of 3" in page
    last = client.get(url, {"page": "3"})
    assert [r.user.email for r in last.context["registrants_page"]][-1] == people[0].email  # cancelled last
    assert len(last.context["registrants_page"]) == 20
    assert len(client.get(url, {"page": "nonsense"}).context["registrants_page"]) == 50


# --- Team coverage on /weeks/ ---------------------------------------------------------------------


def test_team_coverage_htmx_saves_and_returns_the_row(client, coordinator, team):
    client.force_login(coordinator)
    response = client.post(
        reverse("events:team_coverage_edit", args=[team.pk]),
        {f"team-{team.pk}-max_away_percent": "30"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="coverage-{team.pk}">')
    assert 'value="30"' in content
    assert "Saved." in content
    assert TeamCoverage.objects.get(team=team).max_away_percent == 30


def test_team_coverage_out_of_range_keeps_what_was_typed(client, coordinator, team):
    client.force_login(coordinator)
    response = client.post(
        reverse("events:team_coverage_edit", args=[team.pk]),
        {f"team-{team.pk}-max_away_percent": "150"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert 'value="150"' in content
    assert "Ensure this value is less than or equal to 100." in content
    assert not TeamCoverage.objects.filter(team=team).exists()


def test_team_coverage_without_htmx_keeps_what_was_typed(client, coordinator, team):
    client.force_login(coordinator)
    response = client.post(
        reverse("events:team_coverage_edit", args=[team.pk]), {f"team-{team.pk}-max_away_percent": "150"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Ensure this value is less than or equal to 100.") == 1
    assert 'value="150"' in page
    assert "<h1" in page  # the whole weeks page, not a fragment
    assert not TeamCoverage.objects.filter(team=team).exists()


def test_team_coverage_unknown_team_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("events:team_coverage_edit", args=[987654])).status_code == 404


@pytest.mark.parametrize("size", [3, 60])
def test_week_list_query_count_does_not_grow(client, django_assert_max_num_queries, coordinator, size):
    from tests.factories import TeamFactory

    for i in range(size):
        WeekFactory(year=2040 + i)
        team = TeamFactory(name=f"Team {i:03d}")
        services.team_coverage_set(by=coordinator, team=team, max_away_percent=50)
    client.force_login(coordinator)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("events:week_list"))
    assert len(response.context["coverage_rows"]) == size


def test_two_inline_forms_on_the_board_have_distinct_ids(client, coordinator, week, activity):
    client.force_login(coordinator)
    monday, friday = week.days[0], week.days[4]
    new = client.get(
        reverse("events:activity_create", args=[week.year]),
        {"day": monday.isoformat()},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    edit = client.get(
        reverse("events:activity_edit", args=[activity.pk]),
        {"day": friday.isoformat()},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    theme = client.get(
        reverse("events:day_theme_edit", args=[week.year, week.days[2].isoformat()]), HTTP_HX_REQUEST="true"
    ).content.decode()
    ids = [re.findall(r'\bid="([^"]+)"', fragment) for fragment in (new, edit, theme)]
    assert all(ids)
    everything = [i for fragment_ids in ids for i in fragment_ids]
    assert len(everything) == len(set(everything))
    assert f'for="new-{monday}-title"' in new
    assert f'for="activity-{activity.pk}-title"' in edit
