"""Fixtures for surveys: a week, an open pulse survey, and people who answer it through the service."""

import datetime

import pytest
from django.utils import timezone

from surveys import services
from tests.events.factories import WeekFactory
from tests.factories import AgentFactory, TeamFactory


@pytest.fixture
def week(db):
    return WeekFactory(year=2030)


def make_survey(*, by, week, template="pulse", publish=True, **extra):
    now = timezone.now()
    survey = services.survey_create(
        by=by,
        week=week,
        title=extra.pop("title", "Service with Respect pulse"),
        template=template,
        opens_at=extra.pop("opens_at", now - datetime.timedelta(days=1)),
        closes_at=extra.pop("closes_at", now + datetime.timedelta(days=3)),
        **extra,
    )
    if publish:
        services.survey_publish(by=by, survey=survey)
    survey.refresh_from_db()
    return survey


@pytest.fixture
def survey(coordinator, week):
    return make_survey(by=coordinator, week=week)


def close(survey):
    """Close the survey now: results are shown only once it has closed."""
    services.survey_close(by=survey_coordinator(), survey=survey)
    survey.refresh_from_db()
    return survey


def survey_coordinator():
    """A coordinator already there (a new one would grow an everyone survey's audience)."""
    from django.contrib.auth import get_user_model

    from people.models import Role

    return get_user_model().objects.filter(groups__name=Role.COORDINATOR).order_by("pk").first()


def answer(survey, user, *, number=4, text="", **by_key):
    """Submit one person's answers: every agreement question `number` unless named in by_key."""
    values = {}
    for question in survey.questions.all():
        if question.kind == "text":
            values[question.pk] = text
        else:
            values[question.pk] = by_key.get(question.key, number)
    services.response_submit(survey=survey, user=user, values=values)


def team_of(name: str, size: int) -> list:
    team = TeamFactory(name=name)
    return [AgentFactory(team=team) for _ in range(size)]
