"""The calendar feed is built once per version of the week data, and every change a person's
calendar shows (a sign-up, a cancellation, an activity moved or renamed, a week unpublished, a new
team) is in the next fetch."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from events import services
from tests.events.factories import ActivityFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def summaries(client, person) -> list[tuple[str, str]]:
    response = client.get(reverse("events:calendar_feed", args=[person.calendar_token]))
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return sorted((str(event["SUMMARY"]), str(event["STATUS"])) for event in events)


def test_feed_second_fetch_is_built_from_the_cache(
    client, week, coordinator, agent, django_assert_num_queries
):
    activity = ActivityFactory(week=week, title="Quiz", host=coordinator)
    services.registration_create(user=agent, activity=activity)
    assert summaries(client, agent) == [("Quiz", "CONFIRMED")]
    with django_assert_num_queries(1):  # whose token it is; the calendar itself is cached
        assert summaries(client, agent) == [("Quiz", "CONFIRMED")]


def test_feed_shows_a_sign_up_and_a_cancellation(client, week, coordinator, agent):
    activity = ActivityFactory(week=week, title="Quiz", host=coordinator)
    assert summaries(client, agent) == []
    services.registration_create(user=agent, activity=activity)
    assert summaries(client, agent) == [("Quiz", "CONFIRMED")]
    services.activity_cancel(by=coordinator, activity=activity)
    assert summaries(client, agent) == [("Quiz", "CANCELLED")]


def test_feed_shows_a_renamed_activity(client, week, coordinator, agent):
    activity = ActivityFactory(week=week, title="Quiz", host=coordinator, signup_required=False)
    assert summaries(client, agent) == [("Quiz", "CONFIRMED")]
    activity.title = "Big quiz"
    activity.save()
    assert summaries(client, agent) == [("Big quiz", "CONFIRMED")]


def test_feed_follows_the_persons_team(client, week, coordinator, agent):
    billing = TeamFactory(name="Billing")
    ActivityFactory(
        week=week, title="Billing huddle", host=coordinator, signup_required=False, audience_teams=[billing]
    )
    assert summaries(client, agent) == []
    agent.team = billing
    agent.save()
    assert summaries(client, agent) == [("Billing huddle", "CONFIRMED")]


def test_feed_leaves_out_a_week_unpublished(client, week, coordinator, agent):
    ActivityFactory(week=week, title="All hands", host=coordinator, signup_required=False)
    assert summaries(client, agent) == [("All hands", "CONFIRMED")]
    services.week_unpublish(by=coordinator, week=week)
    assert summaries(client, agent) == []


def test_feed_is_not_shared_between_people(client, week, coordinator, agent, manager):
    activity = ActivityFactory(week=week, title="Quiz", host=coordinator)
    services.registration_create(user=agent, activity=activity)
    assert summaries(client, agent) == [("Quiz", "CONFIRMED")]
    assert summaries(client, manager) == []
