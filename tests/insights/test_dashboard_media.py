"""Dashboards link awards to their certificates (for those allowed) and show avatars."""

import pytest
from django.urls import reverse

from people.avatars import colour_index, initials
from tests.insights.conftest import approve, populate
from tests.insights.test_dashboards import on_tuesday
from tests.recognition.factories import NominationFactory, WeekFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(db):
    return WeekFactory(year=2030)


def test_dashboard_agent_gets_a_certificate_link_once_announced(
    client, week, coordinator, manager, team, other_team, agent
):
    data = populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2)
    award = approve(
        NominationFactory(category=data["category"], nominator=data["agents"][0], nominee=agent), manager
    )
    url = reverse("recognition:certificate", args=[award.pk])
    with on_tuesday(week):
        client.force_login(agent)
        assert url not in client.get(reverse("dashboard")).content.decode()
        award.announced_at = award.reviewed_at
        award.save()
        content = client.get(reverse("dashboard")).content.decode()
    assert url in content
    colour, letters = colour_index(agent), initials(agent)
    avatar = f'<span class="avatar avatar-sm avatar-c{colour}" aria-hidden="true">{letters}</span>'
    assert avatar in content  # "Latest awards"


def test_dashboard_manager_gets_certificate_links_for_their_people(
    client, week, coordinator, manager, team, other_team, agent
):
    data = populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2)
    award = approve(
        NominationFactory(category=data["category"], nominator=data["agents"][0], nominee=agent), manager
    )
    with on_tuesday(week):
        client.force_login(manager)
        content = client.get(reverse("dashboard")).content.decode()
    assert reverse("recognition:certificate", args=[award.pk]) in content
