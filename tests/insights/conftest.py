"""A finished week with sign-ups, attendance and decided nominations, and the year before it."""

import datetime

import pytest
from django.utils import timezone

from events.models import Registration
from recognition.models import Nomination
from tests.events.factories import ActivityFactory, WeekFactory, local
from tests.factories import AgentFactory
from tests.recognition.factories import AwardCategoryFactory, NominationFactory


def approve(nomination, by, *, hours: int = 24):
    nomination.status = Nomination.Status.APPROVED
    nomination.reviewed_by = by
    nomination.reviewed_at = nomination.created_at + datetime.timedelta(hours=hours)
    nomination.save()
    return nomination


def populate(week, *, host, team, other_team, reviewer, n: int) -> dict:
    """`n` agents in `team`, one in `other_team`; each signs up to one activity, half attend,
    one nomination per agent, every other one approved."""
    monday = ActivityFactory(
        week=week, title="Monday kick-off", host=host, starts_at=local(week, 0, 10), capacity=None
    )
    tuesday = ActivityFactory(
        week=week, title="Tuesday quiz", host=host, starts_at=local(week, 1, 10), capacity=2 * n
    )
    category = AwardCategoryFactory(week=week, name="Customer hero")
    agents = [AgentFactory(team=team) for _ in range(n)]
    outsider = AgentFactory(team=other_team)
    for index, person in enumerate(agents):
        Registration.objects.create(
            user=person,
            activity=monday if index % 2 == 0 else tuesday,
            attended_at=timezone.now() if index % 2 == 0 else None,
        )
    Registration.objects.create(user=outsider, activity=tuesday, attended_at=timezone.now())
    for index, person in enumerate(agents):
        nomination = NominationFactory(category=category, nominator=outsider, nominee=person)
        if index % 2 == 0:
            approve(nomination, reviewer)
    return {
        "monday": monday,
        "tuesday": tuesday,
        "agents": agents,
        "outsider": outsider,
        "category": category,
    }


@pytest.fixture
def weeks(db):
    return WeekFactory(year=2029), WeekFactory(year=2030)
