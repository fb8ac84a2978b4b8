"""Moving a week asks first: "This will email N people", with one of the emails, and goes ahead only
when confirmed."""

import datetime

import pytest
from django.urls import reverse

from events import services
from events.models import Week
from outbox.models import Delivery
from tests.events.factories import ActivityFactory, local
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def _form(week: Week, **changes) -> dict:
    data = {
        "theme": week.theme,
        "description": week.description,
        "time_zone": week.time_zone,
        "starts_on": week.starts_on.isoformat(),
    }
    return {**data, **changes}


@pytest.fixture
def signed_up(week, coordinator, team):
    first = ActivityFactory(week=week, title="Quiz", host=coordinator, starts_at=local(week, 1, 10))
    second = ActivityFactory(week=week, title="Breakfast", host=coordinator, starts_at=local(week, 2, 9))
    people = [AgentFactory(team=team, first_name=name, time_zone=week.time_zone) for name in ("Ana", "Ben")]
    for person in people:
        services.registration_create(user=person, activity=first)
    services.registration_create(user=people[0], activity=second)
    return people


def test_week_move_asks_first_and_names_how_many(client, coordinator, week, signed_up):
    client.force_login(coordinator)
    later = week.starts_on + datetime.timedelta(days=7)
    response = client.post(
        reverse("events:week_edit", args=[week.year]), _form(week, starts_on=later.isoformat())
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["preview"].recipient_count == 2
    assert response.context["preview"].subject == "Changed: Quiz"
    assert "This will email 2 people." in content
    tuesday = later + datetime.timedelta(days=1)
    assert (
        f"When: {tuesday:%A} {tuesday.day} {tuesday:%B %Y}, 10:00–11:00" in response.context["preview"].body
    )
    assert Week.objects.get(pk=week.pk).starts_on == week.starts_on
    assert Delivery.objects.filter(kind="activity_changed").count() == 0


def test_week_move_confirmed_moves_and_emails(
    client, coordinator, week, signed_up, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    later = week.starts_on + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("events:week_edit", args=[week.year]),
            {**_form(week, starts_on=later.isoformat()), "confirmed": "1"},
        )
    assert response.status_code == 302
    assert Week.objects.get(pk=week.pk).starts_on == later
    assert Delivery.objects.filter(kind="activity_changed").count() == 3  # Ana for both, Ben for one


def test_week_edit_without_a_move_saves_at_once(client, coordinator, week, signed_up):
    client.force_login(coordinator)
    response = client.post(reverse("events:week_edit", args=[week.year]), _form(week, theme="Service stars"))
    assert response.status_code == 302
    assert Week.objects.get(pk=week.pk).theme == "Service stars"
