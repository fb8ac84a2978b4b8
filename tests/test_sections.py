"""The shell wires the surveys' summary into the week recap (csweek/sections.py)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.surveys.conftest import answer, make_survey, team_of

pytestmark = pytest.mark.django_db


def test_recap_shows_the_weeks_survey_summary_to_coordinators_only(client, coordinator, agent):
    from tests.events.factories import WeekFactory

    week = WeekFactory(year=2030)
    survey = make_survey(by=coordinator, week=week, title="Pulse 2030")
    for person in team_of("Six", 6):
        answer(survey, person, number=5)
    day = week.ends_on + datetime.timedelta(days=3)
    with time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC), tick=False
    ):
        client.force_login(coordinator)
        page = client.get(reverse("insights:recap", args=[week.year])).content.decode()
        assert 'id="survey-summary-heading"' in page
        assert "Pulse 2030" in page
        client.force_login(agent)
        page = client.get(reverse("insights:recap", args=[week.year])).content.decode()
        assert 'id="survey-summary-heading"' not in page
