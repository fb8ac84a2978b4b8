"""The data migration that gives deliveries made before the week filter the year of their week."""

import importlib

import pytest
from django.apps import apps

from outbox.models import Delivery
from tests.events.factories import ActivityFactory, WeekFactory
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

fill = importlib.import_module("outbox.migrations.0004_fill_delivery_week_year")


def test_fill_week_year_sets_the_year_of_the_object_each_delivery_is_about(coordinator):
    person = AgentFactory()
    activity = ActivityFactory(week=WeekFactory(year=2027), host=coordinator)
    week = WeekFactory(year=2028)
    about_activity = Delivery.objects.create(recipient=person, address=person.email, kind="x", about=activity)
    about_week = Delivery.objects.create(recipient=person, address=person.email, kind="y", about=week)
    about_nothing = Delivery.objects.create(recipient=person, address=person.email, kind="z")
    fill.fill_week_year(apps, None)
    assert [Delivery.objects.get(pk=d.pk).week_year for d in (about_activity, about_week, about_nothing)] == [
        2027,
        2028,
        None,
    ]
