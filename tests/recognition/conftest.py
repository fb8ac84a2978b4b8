"""Recognition fixtures: this year's week with an open category, and the people around a nomination."""

import pytest

from recognition import services
from tests.factories import AgentFactory
from tests.recognition.factories import STORY, AwardCategoryFactory, WeekFactory


@pytest.fixture
def week(db):
    return WeekFactory(year=2026)


@pytest.fixture
def category(week):
    return AwardCategoryFactory(week=week, name="Customer Hero", award_limit=3)


@pytest.fixture
def nominee(team):
    """A colleague in the manager's team."""
    return AgentFactory(email="nominee@example.com", first_name="Nia", last_name="Okafor", team=team)


@pytest.fixture
def nomination(agent, nominee, category, manager):
    """A submitted nomination by `agent` about `nominee` (in `manager`'s team)."""
    return services.nomination_create(nominator=agent, nominee=nominee, category=category, story=STORY)
