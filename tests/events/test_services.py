"""The rules of the week: creating, moving, cloning, validating, sign-ups, waitlist and coverage."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from events import selectors, services
from events.models import Activity, DayTheme, Registration, Week
from events.selectors import registrants_of
from events.signals import week_cloned
from tests.events.factories import ActivityFactory, DayThemeFactory, RegistrationFactory, WeekFactory, local
from tests.factories import AgentFactory, TeamFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def activity_data(week, **changes):
    data = {
        "title": "Coffee with customers",
        "starts_at": local(week, 2, 14),
        "ends_at": local(week, 2, 15),
        "host": changes.pop("host", None),
        "kind": Activity.Kind.CUSTOMER_APPRECIATION,
        "format": Activity.Format.ONSITE,
        "room": "Atrium",
        "join_url": "",
        "capacity": None,
    }
    data.update(changes)
    return data


# --- Weeks --------------------------------------------------------------------------------------


def test_week_create_uses_the_date_rule_and_default_themes(coordinator):
    week = services.week_create(
        by=coordinator, year=2027, theme="Mission Possible", time_zone="Europe/London"
    )
    assert (week.starts_on, week.ends_on) == (datetime.date(2027, 10, 4), datetime.date(2027, 10, 8))
    assert week.status == Week.Status.DRAFT
    assert list(week.day_themes.values_list("date", "title")) == [
        (datetime.date(2027, 10, 4), "The Changing World of Work"),
        (datetime.date(2027, 10, 5), "Service with Respect Day"),
        (datetime.date(2027, 10, 6), "Essential Customer Service Skills and Capabilities"),
        (datetime.date(2027, 10, 7), "Know Your Customer"),
        (datetime.date(2027, 10, 8), "Recognition Day"),
    ]


def test_week_create_moved_to_another_monday(coordinator):
    week = services.week_create(by=coordinator, year=2027, starts_on=datetime.date(2027, 11, 1))
    assert (week.starts_on, week.ends_on) == (datetime.date(2027, 11, 1), datetime.date(2027, 11, 5))


def test_week_create_refuses_a_start_that_is_not_monday(coordinator):
    with pytest.raises(ValidationError) as error:
        services.week_create(by=coordinator, year=2027, starts_on=datetime.date(2027, 10, 5))
    assert error.value.message_dict == {
        "starts_on": ["The week must start on a Monday; 5 October 2027 is a Tuesday."]
    }


def test_week_create_refuses_a_second_week_for_the_year(coordinator):
    services.week_create(by=coordinator, year=2027)
    with pytest.raises(ValidationError) as error:
        services.week_create(by=coordinator, year=2027)
    assert error.value.message_dict == {"year": ["There is already a week for 2027."]}


def test_week_create_refused_to_an_agent(agent):
    with pytest.raises(PermissionDenied):
        services.week_create(by=agent, year=2027)
    assert Week.objects.count() == 0


def test_week_update_move_keeps_weekday_and_local_time(coordinator, week, activity):
    DayThemeFactory(week=week, date=week.starts_on, title="Monday theme")
    before_local = activity.starts_at.astimezone(zoneinfo.ZoneInfo(week.time_zone))
    new_start = week.starts_on + datetime.timedelta(days=28)
    services.week_update(
        by=coordinator,
        week=week,
        theme="Moved",
        description="",
        time_zone=week.time_zone,
        starts_on=new_start,
    )
    activity.refresh_from_db()
    week.refresh_from_db()
    after_local = activity.starts_at.astimezone(zoneinfo.ZoneInfo(week.time_zone))
    assert week.ends_on == new_start + datetime.timedelta(days=4)
    assert after_local.date() == before_local.date() + datetime.timedelta(days=28)
    assert after_local.time() == before_local.time() == datetime.time(10, 0)
    assert activity.sequence == 1
    assert list(week.day_themes.values_list("date", "title")) == [(new_start, "Monday theme")]


def test_week_update_zone_change_keeps_local_times(coordinator, week, activity):
    assert week.time_zone == "Europe/London"
    services.week_update(
        by=coordinator,
        week=week,
        theme=week.theme,
        description="",
        time_zone="America/New_York",
        starts_on=week.starts_on,
    )
    activity.refresh_from_db()
    local_start = activity.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local_start.date(), local_start.time()) == (
        week.starts_on + datetime.timedelta(days=1),
        datetime.time(10, 0),
    )
    assert activity.sequence == 1


def test_week_update_without_a_move_or_zone_change_leaves_activities_alone(coordinator, week, activity):
    starts_at = activity.starts_at
    services.week_update(
        by=coordinator,
        week=week,
        theme="New theme",
        description="",
        time_zone=week.time_zone,
        starts_on=week.starts_on,
    )
    activity.refresh_from_db()
    assert (activity.starts_at, activity.sequence) == (starts_at, 0)


def test_week_publish_and_unpublish(coordinator):
    week = services.week_create(by=coordinator, year=2027)
    services.week_publish(by=coordinator, week=week)
    assert Week.objects.get(pk=week.pk).status == Week.Status.PUBLISHED
    services.week_unpublish(by=coordinator, week=week)
    assert Week.objects.get(pk=week.pk).status == Week.Status.DRAFT


def test_week_publish_refused_to_a_manager(manager, week):
    with pytest.raises(PermissionDenied):
        services.week_publish(by=manager, week=week)


def test_day_theme_set_typed_title(coordinator, week):
    services.day_theme_set(by=coordinator, week=week, date=week.starts_on, title="  Our own theme ")
    assert DayTheme.objects.get(week=week, date=week.starts_on).title == "Our own theme"


def test_day_theme_set_outside_the_week_refused(coordinator, week):
    with pytest.raises(ValidationError):
        services.day_theme_set(
            by=coordinator, week=week, date=week.ends_on + datetime.timedelta(days=1), title="X"
        )


# --- Clone --------------------------------------------------------------------------------------


def test_week_clone_copies_themes_and_activities_to_same_weekday_and_local_time(coordinator, team, agent):
    source = WeekFactory(year=2030, time_zone="America/New_York")
    DayThemeFactory(week=source, date=source.starts_on + datetime.timedelta(days=4), title="Recognition Day")
    original = ActivityFactory(
        week=source, host=coordinator, starts_at=local(source, 4, 15, 30), capacity=12, audience_teams=[team]
    )
    RegistrationFactory(activity=original, user=agent)
    received = []

    def listener(sender, source, target, **kwargs):
        received.append((sender, source.year, target.year, target.activities.count()))

    week_cloned.connect(listener)
    try:
        target = services.week_clone(by=coordinator, source=source, year=2031)
    finally:
        week_cloned.disconnect(listener)
    assert received == [(Week, 2030, 2031, 1)]
    assert target.status == Week.Status.DRAFT
    assert (target.starts_on, target.ends_on) == (datetime.date(2031, 10, 6), datetime.date(2031, 10, 10))
    assert list(target.day_themes.values_list("date", "title")) == [
        (datetime.date(2031, 10, 10), "Recognition Day")
    ]
    copy = target.activities.get()
    zone = zoneinfo.ZoneInfo("America/New_York")
    assert copy.starts_at.astimezone(zone).replace(tzinfo=None) == datetime.datetime(2031, 10, 10, 15, 30)
    assert copy.ends_at - copy.starts_at == datetime.timedelta(hours=1)
    assert copy.capacity == 12
    assert list(copy.audience_teams.all()) == [team]
    assert copy.registrations.count() == 0


def test_week_clone_across_a_dst_change_keeps_local_time(coordinator):
    # 2030's week was moved to November, after New York left daylight saving time (3 November 2030);
    # the copy lands on 2031's default October dates, in daylight saving time.
    zone = zoneinfo.ZoneInfo("America/New_York")
    source = WeekFactory(
        year=2030,
        time_zone="America/New_York",
        starts_on=datetime.date(2030, 11, 4),
        ends_on=datetime.date(2030, 11, 8),
    )
    ActivityFactory(week=source, host=coordinator, starts_at=local(source, 1, 10))
    assert source.activities.get().starts_at.astimezone(UTC).hour == 15  # 10:00 EST
    target = services.week_clone(by=coordinator, source=source, year=2031)
    copy = target.activities.get()
    assert copy.starts_at.astimezone(zone).replace(tzinfo=None) == datetime.datetime(2031, 10, 7, 10, 0)
    assert copy.starts_at.astimezone(UTC).hour == 14  # 10:00 EDT
    assert copy.ends_at.astimezone(zone).replace(tzinfo=None) == datetime.datetime(2031, 10, 7, 11, 0)


def test_week_clone_into_existing_year_refused(coordinator, week):
    WeekFactory(year=2031)
    with pytest.raises(ValidationError):
        services.week_clone(by=coordinator, source=week, year=2031)


# --- Activity validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"starts_at": "sat", "ends_at": "sat+1"},
            "starts_at",
            "The activity must take place during the week, between Monday 7 October "
            "and Friday 11 October 2030 (Europe/London).",
        ),
        ({"ends_at": "start-1"}, "ends_at", "The activity must end after it starts."),
        (
            {"format": Activity.Format.ONLINE, "room": ""},
            "join_url",
            "An online or hybrid activity needs a join link.",
        ),
        (
            {"format": Activity.Format.ONLINE, "join_url": "http://meet.example.com/x"},
            "join_url",
            "The join link must start with https://.",
        ),
        ({"room": "  "}, "room", "An on-site or hybrid activity needs a room or address."),
        (
            {"format": Activity.Format.HYBRID, "room": "", "join_url": "https://meet.example.com/x"},
            "room",
            "An on-site or hybrid activity needs a room or address.",
        ),
        ({"capacity": 0}, "capacity", "Capacity must be at least 1 (leave it empty for no limit)."),
    ],
)
def test_activity_create_validation(coordinator, week, changes, field, message):
    resolved = {}
    for name, value in changes.items():
        if value == "sat":
            value = local(week, 5, 10)
        elif value == "sat+1":
            value = local(week, 5, 11)
        elif value == "start-1":
            value = local(week, 2, 13)
        resolved[name] = value
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            by=coordinator, week=week, **activity_data(week, host=coordinator, **resolved)
        )
    assert error.value.message_dict == {field: [message]}
    assert Activity.objects.count() == 0


def test_activity_update_capacity_below_confirmed_refused(coordinator, activity):
    for _ in range(3):
        RegistrationFactory(activity=activity, user=AgentFactory())
    with pytest.raises(ValidationError) as error:
        services.activity_update(by=coordinator, activity=activity, capacity=2)
    assert error.value.message_dict == {
        "capacity": ["3 people are already confirmed; capacity cannot be lower than 3."]
    }


def test_activity_update_sequence_rises_on_time_place_status_only(coordinator, activity, week):
    services.activity_update(by=coordinator, activity=activity, title="New title")
    activity.refresh_from_db()
    assert (activity.title, activity.sequence) == ("New title", 0)
    services.activity_update(by=coordinator, activity=activity, room="Room 2")
    activity.refresh_from_db()
    assert activity.sequence == 1
    services.activity_update(
        by=coordinator, activity=activity, starts_at=local(week, 1, 11), ends_at=local(week, 1, 12)
    )
    activity.refresh_from_db()
    assert activity.sequence == 2
    services.activity_cancel(by=coordinator, activity=activity)
    activity.refresh_from_db()
    assert (activity.status, activity.sequence) == (Activity.Status.CANCELLED, 3)


def test_activity_cancel_tells_registrants(
    coordinator, activity, agent, django_capture_on_commit_callbacks, mailoutbox
):
    services.registration_create(user=agent, activity=activity)
    gone = AgentFactory(email="gone@example.com", team=agent.team)
    services.registration_cancel(
        by=gone, registration=services.registration_create(user=gone, activity=activity)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(by=coordinator, activity=activity)
    assert [m.to for m in mailoutbox] == [["agent@example.com"]]
    assert mailoutbox[0].subject == "Cancelled: Listening skills"
    assert "Tuesday 8 October 2030, 10:00 (Europe/London)" in mailoutbox[0].body


def test_activity_delete_refused_with_registrations(coordinator, activity, agent):
    services.registration_create(user=agent, activity=activity)
    with pytest.raises(ValidationError) as error:
        services.activity_delete(by=coordinator, activity=activity)
    assert error.value.messages == [
        "People have signed up for this activity: cancel it instead, so they are told."
    ]
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_activity_delete_without_registrations(coordinator, activity):
    services.activity_delete(by=coordinator, activity=activity)
    assert not Activity.objects.filter(pk=activity.pk).exists()


# --- Sign-ups and the waitlist ------------------------------------------------------------------


def test_registration_create_confirms_then_waitlists_when_full(coordinator, week, team):
    activity = ActivityFactory(week=week, host=coordinator, capacity=2)
    people = [AgentFactory(team=team) for _ in range(4)]
    statuses = [services.registration_create(user=p, activity=activity).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert Registration.objects.get(user=people[2]).waitlist_reason == Registration.Reason.FULL


def test_registration_create_twice_returns_the_same_place(activity, agent):
    first = services.registration_create(user=agent, activity=activity)
    second = services.registration_create(user=agent, activity=activity)
    assert first.pk == second.pk
    assert Registration.objects.count() == 1


def test_registration_create_outside_the_audience_refused(coordinator, week, team, other_agent):
    activity = ActivityFactory(week=week, host=coordinator, audience_teams=[team])
    with pytest.raises(PermissionDenied):
        services.registration_create(user=other_agent, activity=activity)


def test_registration_create_in_a_draft_week_refused(coordinator, agent):
    draft = WeekFactory(year=2031, status=Week.Status.DRAFT)
    activity = ActivityFactory(week=draft, host=coordinator)
    with pytest.raises(PermissionDenied):
        services.registration_create(user=agent, activity=activity)


def test_registration_create_without_signup_refused(coordinator, week, agent):
    activity = ActivityFactory(week=week, host=coordinator, signup_required=False)
    with pytest.raises(ValidationError) as error:
        services.registration_create(user=agent, activity=activity)
    assert error.value.messages == ["No sign-up is needed for this activity: just join."]


def test_registration_create_after_the_end_refused(activity, agent):
    with time_machine.travel(datetime.datetime(2030, 10, 9, tzinfo=UTC)), pytest.raises(ValidationError):
        services.registration_create(user=agent, activity=activity)


def test_registration_cancel_promotes_first_waitlisted_and_emails_them(
    coordinator, week, team, django_capture_on_commit_callbacks, mailoutbox
):
    activity = ActivityFactory(week=week, host=coordinator, capacity=1, title="Escape room")
    first = AgentFactory(team=team, email="first@example.com")
    second = AgentFactory(team=team, email="second@example.com")
    third = AgentFactory(team=team, email="third@example.com")
    held = services.registration_create(user=first, activity=activity)
    services.registration_create(user=second, activity=activity)
    services.registration_create(user=third, activity=activity)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(by=first, registration=held)
    assert dict(Registration.objects.values_list("user__email", "status")) == {
        "first@example.com": "cancelled",
        "second@example.com": "confirmed",
        "third@example.com": "waitlisted",
    }
    assert [m.to for m in mailoutbox] == [["second@example.com"]]
    assert mailoutbox[0].subject == "You have a place: Escape room"
    assert mailoutbox[0].alternatives[0][1] == "text/html"
    name, ics, mimetype = mailoutbox[0].attachments[0]
    assert (name, mimetype) == (f"activity-{activity.pk}.ics", "text/calendar")
    assert "SUMMARY:Escape room" in ics


def test_registration_cancel_of_a_waitlisted_place_promotes_nobody(coordinator, week, team, mailoutbox):
    activity = ActivityFactory(week=week, host=coordinator, capacity=1)
    first, second, third = (AgentFactory(team=team) for _ in range(3))
    services.registration_create(user=first, activity=activity)
    waiting = services.registration_create(user=second, activity=activity)
    services.registration_create(user=third, activity=activity)
    services.registration_cancel(by=second, registration=waiting)
    assert Registration.objects.get(user=third).status == "waitlisted"
    assert mailoutbox == []


def test_registration_cancel_of_someone_else_refused(activity, agent, other_agent):
    registration = services.registration_create(user=agent, activity=activity)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(by=other_agent, registration=registration)


def test_activity_update_more_seats_promotes_in_order(coordinator, week, team):
    activity = ActivityFactory(week=week, host=coordinator, capacity=1, audience_teams=[team])
    people = [AgentFactory(team=team) for _ in range(4)]
    for person in people:
        services.registration_create(user=person, activity=activity)
    services.activity_update(by=coordinator, activity=activity, capacity=3)
    assert list(activity.audience_teams.all()) == [team]  # not given, so not changed
    assert [Registration.objects.get(user=p).status for p in people] == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]


def test_signup_again_after_cancelling_goes_to_the_back_of_the_waitlist(coordinator, week, team):
    activity = ActivityFactory(week=week, host=coordinator, capacity=1)
    a, b, c = (AgentFactory(team=team) for _ in range(3))
    services.registration_create(user=a, activity=activity)
    reg_b = services.registration_create(user=b, activity=activity)
    services.registration_create(user=c, activity=activity)
    services.registration_cancel(by=b, registration=reg_b)
    services.registration_create(user=b, activity=activity)
    held = Registration.objects.get(user=a)
    services.registration_cancel(by=a, registration=held)
    assert Registration.objects.get(user=c).status == "confirmed"
    assert Registration.objects.get(user=b).status == "waitlisted"


# --- Team coverage -----------------------------------------------------------------------------


@pytest.fixture
def covered_team(coordinator):
    """Four agents; at most half of them away at once."""
    team = TeamFactory(name="Phones")
    services.team_coverage_set(by=coordinator, team=team, max_away_percent=50)
    return team, [AgentFactory(team=team, email=f"phone{i}@example.com") for i in range(4)]


def test_team_coverage_waitlists_the_third_agent_away_at_once(coordinator, week, covered_team):
    _team, agents = covered_team
    morning = ActivityFactory(week=week, host=coordinator, starts_at=local(week, 0, 9))
    overlapping = ActivityFactory(
        week=week, host=coordinator, starts_at=local(week, 0, 9, 30), ends_at=local(week, 0, 11)
    )
    afternoon = ActivityFactory(week=week, host=coordinator, starts_at=local(week, 0, 14))
    assert services.registration_create(user=agents[0], activity=morning).status == "confirmed"
    assert services.registration_create(user=agents[1], activity=overlapping).status == "confirmed"
    third = services.registration_create(user=agents[2], activity=morning)
    assert (third.status, third.waitlist_reason) == ("waitlisted", "coverage")
    assert third.get_waitlist_reason_display() == "team coverage"
    # Later in the day nobody is away: the same agent gets a place.
    assert services.registration_create(user=agents[2], activity=afternoon).status == "confirmed"
    # Someone already away at that time may join another overlapping activity.
    assert services.registration_create(user=agents[0], activity=overlapping).status == "confirmed"


def test_team_coverage_counts_people_away_at_the_same_time_not_over_the_whole_activity(
    coordinator, week, covered_team
):
    _team, agents = covered_team
    nine = ActivityFactory(
        week=week, host=coordinator, starts_at=local(week, 0, 9), ends_at=local(week, 0, 10)
    )
    ten = ActivityFactory(
        week=week, host=coordinator, starts_at=local(week, 0, 10), ends_at=local(week, 0, 11)
    )
    long = ActivityFactory(
        week=week, host=coordinator, starts_at=local(week, 0, 9), ends_at=local(week, 0, 11)
    )
    services.registration_create(user=agents[0], activity=nine)
    services.registration_create(user=agents[1], activity=ten)
    # At any moment from 9 to 11 only one of them is away: a second may go (the cap is 2 of 4).
    assert services.registration_create(user=agents[2], activity=long).status == "confirmed"
    # Now two are away at every moment of it: a third is one too many.
    fourth = services.registration_create(user=agents[3], activity=long)
    assert (fourth.status, fourth.waitlist_reason) == ("waitlisted", "coverage")
    # Someone away from 9 to 10 who joins the long one adds a person from 10 to 11: too many then.
    twice = services.registration_create(user=agents[0], activity=long)
    assert (twice.status, twice.waitlist_reason) == ("waitlisted", "coverage")


def test_away_slots_cut_the_time_where_the_set_of_people_changes(coordinator, week, covered_team):
    team, agents = covered_team
    nine = ActivityFactory(
        week=week, host=coordinator, starts_at=local(week, 0, 9), ends_at=local(week, 0, 10)
    )
    half_past = ActivityFactory(
        week=week, host=coordinator, starts_at=local(week, 0, 9, 30), ends_at=local(week, 0, 11)
    )
    afternoon = ActivityFactory(
        week=week, host=coordinator, starts_at=local(week, 0, 14), ends_at=local(week, 0, 15)
    )
    services.registration_create(user=agents[0], activity=nine)
    services.registration_create(user=agents[1], activity=half_past)
    services.registration_create(user=agents[0], activity=afternoon)
    away = selectors.away_slots(team_ids=[team.pk], starts_at=local(week, 0, 0), ends_at=local(week, 5, 0))
    slots = away.slots
    assert away.names == {agents[0].pk: agents[0].name, agents[1].pk: agents[1].name}
    assert len(away.places) == 3
    assert [(s.starts_at, s.ends_at, sorted(s.away)) for s in slots] == [
        (local(week, 0, 9), local(week, 0, 9, 30), [agents[0].pk]),
        (local(week, 0, 9, 30), local(week, 0, 10), [agents[0].pk, agents[1].pk]),
        (local(week, 0, 10), local(week, 0, 11), [agents[1].pk]),
        (local(week, 0, 14), local(week, 0, 15), [agents[0].pk]),
    ]
    assert selectors.coverage_allowed(agents=4, max_away_percent=50) == 2
    assert selectors.coverage_allowed(agents=4, max_away_percent=100) is None
    assert selectors.team_agent_counts([team.pk]) == {team.pk: 4}


def test_team_coverage_promotes_when_a_team_mate_cancels_elsewhere(
    coordinator, week, covered_team, django_capture_on_commit_callbacks, mailoutbox
):
    _team, agents = covered_team
    morning = ActivityFactory(week=week, host=coordinator, starts_at=local(week, 0, 9))
    overlapping = ActivityFactory(week=week, host=coordinator, starts_at=local(week, 0, 9, 30))
    services.registration_create(user=agents[0], activity=morning)
    away = services.registration_create(user=agents[1], activity=overlapping)
    waiting = services.registration_create(user=agents[2], activity=morning)
    assert waiting.status == "waitlisted"
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(by=agents[1], registration=away)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_reason) == ("confirmed", "")
    assert [m.to for m in mailoutbox] == [["phone2@example.com"]]


def test_team_coverage_promotes_when_an_overlapping_activity_is_cancelled(coordinator, week, covered_team):
    _team, agents = covered_team
    morning = ActivityFactory(week=week, host=coordinator, starts_at=local(week, 0, 9))
    overlapping = ActivityFactory(week=week, host=coordinator, starts_at=local(week, 0, 9, 30))
    services.registration_create(user=agents[0], activity=overlapping)
    services.registration_create(user=agents[1], activity=overlapping)
    waiting = services.registration_create(user=agents[2], activity=morning)
    assert (waiting.status, waiting.waitlist_reason) == ("waitlisted", "coverage")
    services.activity_cancel(by=coordinator, activity=overlapping)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_reason) == ("confirmed", "")


def test_team_coverage_at_100_percent_is_off(coordinator, week, team):
    services.team_coverage_set(by=coordinator, team=team, max_away_percent=100)
    activity = ActivityFactory(week=week, host=coordinator)
    agents = [AgentFactory(team=team) for _ in range(3)]
    assert [services.registration_create(user=a, activity=activity).status for a in agents] == [
        "confirmed"
    ] * 3


def test_team_coverage_does_not_count_other_teams(coordinator, week, covered_team, other_team):
    _team, agents = covered_team
    activity = ActivityFactory(week=week, host=coordinator)
    for other in [AgentFactory(team=other_team) for _ in range(3)]:
        assert services.registration_create(user=other, activity=activity).status == "confirmed"
    assert services.registration_create(user=agents[0], activity=activity).status == "confirmed"
    assert services.registration_create(user=agents[1], activity=activity).status == "confirmed"
    assert services.registration_create(user=agents[2], activity=activity).status == "waitlisted"


def test_calendar_token_regenerate_revokes_the_old_one(agent):
    old = agent.calendar_token
    new = services.calendar_token_regenerate(user=agent)
    agent.refresh_from_db()
    assert agent.calendar_token == new != old


def test_week_clone_leaves_cancelled_activities_behind(coordinator):
    source = WeekFactory(year=2030)
    kept = ActivityFactory(week=source, host=coordinator, starts_at=local(source, 1, 10, 0), title="Kept")
    ActivityFactory(
        week=source,
        host=coordinator,
        starts_at=local(source, 2, 10, 0),
        title="Called off",
        status=Activity.Status.CANCELLED,
    )
    target = services.week_clone(by=coordinator, source=source, year=2031)
    assert list(target.activities.values_list("title", flat=True)) == [kept.title]


def test_registrants_listed_confirmed_then_waitlist_then_cancelled(coordinator):
    activity = ActivityFactory(week=WeekFactory(year=2030), host=coordinator, capacity=1)
    first, second, third = (AgentFactory() for _ in range(3))
    gone = services.registration_create(user=first, activity=activity)
    services.registration_create(user=second, activity=activity)
    services.registration_create(user=third, activity=activity)
    services.registration_cancel(by=first, registration=gone)
    assert [(r.user_id, r.status) for r in registrants_of(activity)] == [
        (second.pk, Registration.Status.CONFIRMED),
        (third.pk, Registration.Status.WAITLISTED),
        (first.pk, Registration.Status.CANCELLED),
    ]
