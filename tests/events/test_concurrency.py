"""Simultaneous sign-ups on PostgreSQL: real threads, each with its own database connection."""

import threading

import pytest
from django.db import connection, connections

from events import services
from events.models import Registration
from tests.events.factories import ActivityFactory, WeekFactory
from tests.factories import AgentFactory, CoordinatorFactory, TeamFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite locks the whole database, so it cannot show row locking; run with "
        "DATABASE_URL=postgres://... (CI's PostgreSQL phase does).",
    ),
]


def sign_up_all_at_once(people, activity) -> list[BaseException]:
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def sign_up(person):
        try:
            barrier.wait(timeout=30)
            services.registration_create(user=person, activity=activity)
        except BaseException as error:  # noqa: BLE001 -- reported to the test thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_forty_simultaneous_signups_for_ten_seats_confirm_exactly_ten():
    team = TeamFactory(name="Crowd")
    activity = ActivityFactory(week=WeekFactory(year=2030), host=CoordinatorFactory(), capacity=10)
    people = [AgentFactory(team=team, email=f"crowd{i}@example.com") for i in range(40)]
    errors = sign_up_all_at_once(people, activity)
    assert errors == []
    statuses = list(Registration.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 30
    assert len(statuses) == 40
    # The waitlist is in sign-up order: every waiting place was taken after every confirmed one.
    ordered = list(Registration.objects.filter(activity=activity).order_by("created_at", "pk"))
    assert [r.status for r in ordered] == ["confirmed"] * 10 + ["waitlisted"] * 30


def test_simultaneous_signups_respect_team_coverage():
    coordinator = CoordinatorFactory()
    team = TeamFactory(name="Phones")
    services.team_coverage_set(by=coordinator, team=team, max_away_percent=50)
    activity = ActivityFactory(week=WeekFactory(year=2030), host=coordinator, capacity=None)
    people = [AgentFactory(team=team, email=f"phone{i}@example.com") for i in range(12)]
    errors = sign_up_all_at_once(people, activity)
    assert errors == []
    rows = list(Registration.objects.filter(activity=activity).values_list("status", "waitlist_reason"))
    assert rows.count(("confirmed", "")) == 6
    assert rows.count(("waitlisted", "coverage")) == 6
