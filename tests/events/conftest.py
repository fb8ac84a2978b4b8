"""Fixtures for events: a published week in the future with one activity for everyone."""

import pytest

from tests.events.factories import ActivityFactory, WeekFactory, local


@pytest.fixture
def week(db):
    return WeekFactory(year=2030)


@pytest.fixture
def activity(week, coordinator):
    return ActivityFactory(
        week=week, title="Listening skills", host=coordinator, starts_at=local(week, 1, 10), capacity=10
    )
