"""Calendar files parsed back with icalendar: UID, SEQUENCE, cancellations, join links, the feed."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from events import services
from events.models import Activity
from tests.events.factories import ActivityFactory, DayThemeFactory, local
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def events_of(response) -> list:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//csweek//Customer Service Week//EN"
    return list(calendar.walk("VEVENT"))


@pytest.fixture
def online(week, coordinator):
    DayThemeFactory(
        week=week, date=week.starts_on + datetime.timedelta(days=1), title="Service with Respect Day"
    )
    return ActivityFactory(
        week=week,
        title="Webinar",
        host=coordinator,
        starts_at=local(week, 1, 14),
        format=Activity.Format.ONLINE,
        room="",
        join_url="https://meet.example.com/webinar",
    )


def test_activity_ics_has_uid_sequence_times_and_theme(client, agent, online):
    services.registration_create(user=agent, activity=online)
    client.force_login(agent)
    (event,) = events_of(client.get(reverse("events:activity_ics", args=[online.pk])))
    assert str(event["UID"]) == f"activity-{online.pk}@localhost"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == datetime.datetime(2030, 10, 8, 13, 0, tzinfo=datetime.UTC)
    assert event.decoded("DTEND") == datetime.datetime(2030, 10, 8, 14, 0, tzinfo=datetime.UTC)
    assert "DTSTAMP" in event
    assert str(event["STATUS"]) == "CONFIRMED"
    # csweek's join link (it counts the person as attending), not the meeting's own address.
    assert str(event["URL"]) == f"http://localhost:8000/activities/{online.pk}/join/"
    assert str(event["LOCATION"]) == f"http://localhost:8000/activities/{online.pk}/join/"
    assert str(event["DESCRIPTION"]).startswith("Theme of the day: Service with Respect Day\n")


def test_activity_ics_hides_join_link_from_the_unregistered(client, agent, online):
    client.force_login(agent)
    (event,) = events_of(client.get(reverse("events:activity_ics", args=[online.pk])))
    assert str(event["URL"]) == f"http://localhost:8000/activities/{online.pk}/"
    assert "LOCATION" not in event
    assert (
        "meet.example.com"
        not in client.get(reverse("events:activity_ics", args=[online.pk])).content.decode()
    )


def test_activity_ics_after_change_and_cancel_keeps_uid_raises_sequence(
    client, coordinator, agent, online, week
):
    client.force_login(agent)
    url = reverse("events:activity_ics", args=[online.pk])
    (before,) = events_of(client.get(url))
    services.activity_update(
        by=coordinator, activity=online, starts_at=local(week, 1, 15), ends_at=local(week, 1, 16)
    )
    services.activity_cancel(by=coordinator, activity=online)
    (after,) = events_of(client.get(url))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 2
    assert str(after["STATUS"]) == "CANCELLED"


def test_feed_has_confirmed_and_all_hands_only(client, week, coordinator, team, other_team, agent):
    confirmed = ActivityFactory(week=week, title="Mine", host=coordinator)
    waiting_for = ActivityFactory(week=week, title="Full", host=coordinator, capacity=1)
    ActivityFactory(week=week, title="Not signed up", host=coordinator)
    ActivityFactory(week=week, title="All hands", host=coordinator, signup_required=False)
    ActivityFactory(
        week=week, title="Team all hands", host=coordinator, signup_required=False, audience_teams=[team]
    )
    ActivityFactory(
        week=week,
        title="Billing all hands",
        host=coordinator,
        signup_required=False,
        audience_teams=[other_team],
    )
    services.registration_create(user=agent, activity=confirmed)
    services.registration_create(user=AgentFactory(team=team), activity=waiting_for)
    services.registration_create(user=agent, activity=waiting_for)
    cancelled = ActivityFactory(week=week, title="Called off", host=coordinator)
    services.registration_create(user=agent, activity=cancelled)
    services.activity_cancel(by=coordinator, activity=cancelled)

    response = client.get(reverse("events:calendar_feed", args=[agent.calendar_token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    events = events_of(response)
    assert sorted((str(e["SUMMARY"]), str(e["STATUS"])) for e in events) == [
        ("All hands", "CONFIRMED"),
        ("Called off", "CANCELLED"),
        ("Mine", "CONFIRMED"),
        ("Team all hands", "CONFIRMED"),
    ]


def test_feed_carries_csweeks_join_link_not_the_meeting_address(client, agent, online):
    services.registration_create(user=agent, activity=online)
    response = client.get(reverse("events:calendar_feed", args=[agent.calendar_token]))
    (event,) = events_of(response)
    join = f"http://localhost:8000/activities/{online.pk}/join/"
    assert (str(event["URL"]), str(event["LOCATION"])) == (join, join)
    assert "meet.example.com" not in response.content.decode()


def test_feed_leaves_out_draft_weeks(client, coordinator, agent):
    from tests.events.factories import WeekFactory

    draft = WeekFactory(year=2031, status="draft")
    ActivityFactory(week=draft, host=coordinator, signup_required=False)
    response = client.get(reverse("events:calendar_feed", args=[agent.calendar_token]))
    assert events_of(response) == []


def test_feed_regenerated_token_revokes_the_old_address(client, agent):
    old = agent.calendar_token
    client.force_login(agent)
    response = client.post(reverse("events:calendar_token_regenerate"))
    assert response["Location"] == reverse("people:profile")
    client.logout()
    assert client.get(reverse("events:calendar_feed", args=[old])).status_code == 404
    agent.refresh_from_db()
    assert client.get(reverse("events:calendar_feed", args=[agent.calendar_token])).status_code == 200


def test_feed_of_an_inactive_person_is_404(client, agent):
    agent.is_active = False
    agent.save()
    assert client.get(reverse("events:calendar_feed", args=[agent.calendar_token])).status_code == 404


def test_profile_shows_the_feed_address(client, agent):
    client.force_login(agent)
    content = client.get(reverse("people:profile")).content.decode()
    assert f"http://testserver/calendar/{agent.calendar_token}.ics" in content
