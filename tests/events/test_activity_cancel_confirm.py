"""Cancelling an activity asks first: how many people it will email (the whole audience when it
needs no sign-up) and one of the emails, rendered as it will be sent; nothing changes until then."""

import pytest
from django.urls import reverse

from events import services
from events.models import Activity
from outbox.models import Delivery
from tests.events.factories import ActivityFactory, local
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def test_cancel_of_an_activity_without_sign_up_counts_its_whole_audience(client, coordinator, week, team):
    open_to_all = ActivityFactory(
        week=week, title="Breakfast", host=coordinator, starts_at=local(week, 1, 9), signup_required=False
    )
    AgentFactory.create_batch(3, team=team)
    audience = services.reminder_recipients(open_to_all).count()
    client.force_login(coordinator)
    content = client.get(reverse("events:activity_cancel", args=[open_to_all.pk])).content.decode()
    assert f"This will email {audience} people" in content
    assert "its whole audience: it needs no sign-up" in content
    assert "<strong>Subject:</strong> Cancelled: Breakfast" in content
    assert (Activity.objects.get(pk=open_to_all.pk).status, Delivery.objects.count()) == ("scheduled", 0)


def test_cancel_of_an_activity_nobody_signed_up_for_emails_nobody(client, coordinator, activity):
    client.force_login(coordinator)
    content = client.get(reverse("events:activity_cancel", args=[activity.pk])).content.decode()
    assert "Nobody will be emailed." in content
    assert "Subject:" not in content


def test_cancel_preview_counts_confirmed_and_waiting(coordinator, week):
    small = ActivityFactory(week=week, title="Quiz", host=coordinator, capacity=1)
    first, second = AgentFactory(), AgentFactory()
    services.registration_create(user=first, activity=small)
    services.registration_create(user=second, activity=small)
    preview = services.activity_cancel_preview(activity=small)
    assert (preview.recipient_count, preview.subject) == (2, "Cancelled: Quiz")
