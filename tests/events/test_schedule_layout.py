"""The schedule's layout: a section per day with its theme, today and happening-now markers, and
filters by kind, format and my activities."""

import re

import pytest
import time_machine
from django.urls import reverse

from events.models import Activity
from tests.events.factories import ActivityFactory, DayThemeFactory, local
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def _titles(content: str) -> list[str]:
    return re.findall(r'<h3 id="activity-\d+-title">\s*<a href="[^"]+">([^<]+)</a>', content)


def test_schedule_marks_today_and_the_activity_happening_now(client, week, coordinator, team):
    ActivityFactory(
        week=week,
        title="Morning huddle",
        host=coordinator,
        starts_at=local(week, 1, 9),
        ends_at=local(week, 1, 10),
    )
    ActivityFactory(
        week=week,
        title="Afternoon quiz",
        host=coordinator,
        starts_at=local(week, 1, 15),
        ends_at=local(week, 1, 16),
    )
    viewer = AgentFactory(team=team, time_zone=week.time_zone)
    with time_machine.travel(local(week, 1, 9, 30), tick=False):
        client.force_login(viewer)  # signed in at that moment: a session from today would have expired
        content = client.get(reverse("events:schedule_year", args=[week.year])).content.decode()
    tuesday = week.days[1].isoformat()
    assert re.findall(r'class="schedule-day is-today"\s+id="day-([\d-]+)"', content) == [tuesday]
    assert content.count('<span class="badge badge-now">Happening now</span>') == 1
    assert content.index("Happening now") < content.index("Morning huddle") < content.index("Afternoon quiz")
    assert f'href="#day-{tuesday}"\n                       aria-current="date"' in content


def test_schedule_day_header_shows_the_theme(client, week, coordinator, agent):
    DayThemeFactory(week=week, date=week.days[0], title="Service with Respect Day")
    client.force_login(agent)
    content = client.get(reverse("events:schedule_year", args=[week.year])).content.decode()
    assert '<p class="day-theme">Service with Respect Day</p>' in content


def test_schedule_filters_by_format(client, week, coordinator, agent):
    ActivityFactory(week=week, title="Online quiz", host=coordinator, format=Activity.Format.ONLINE)
    ActivityFactory(
        week=week, title="Breakfast", host=coordinator, format=Activity.Format.ONSITE, room="Atrium"
    )
    client.force_login(agent)
    url = reverse("events:schedule_year", args=[week.year])
    assert _titles(client.get(url, {"format": "online"}).content.decode()) == ["Online quiz"]
    assert _titles(client.get(url, {"format": "nonsense"}).content.decode()) == ["Online quiz", "Breakfast"]
