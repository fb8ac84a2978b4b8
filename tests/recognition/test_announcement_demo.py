"""The announcements demo: one sent after last year's week with its emails, one scheduled in the
coming days, no chat webhook; running the demo again adds nothing."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from outbox.models import ChatWebhook, Delivery
from recognition.models import Announcement

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


def seed() -> None:
    with override_settings(DEBUG=True), time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", stdout=StringIO())


def test_demo_announcements_sent_last_year_and_scheduled_next_days_and_idempotent():
    seed()
    rows = list(
        Announcement.objects.order_by("pk").values_list("subject", "status", "sent_at", "scheduled_at")
    )
    assert rows == [
        (
            "Thank you for Customer Service Week 2025",
            "sent",
            datetime.datetime(2025, 10, 13, 9, 0, tzinfo=datetime.UTC),
            None,
        ),
        (
            "Customer Service Week is coming: nominate and sign up",
            "scheduled",
            None,
            datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC),
        ),
    ]
    sent = Announcement.objects.get(status="sent")
    emails = Delivery.objects.filter(kind="coordinator_announcement", object_id=sent.pk)
    assert emails.count() == sent.recipient_count > 0
    assert set(emails.values_list("status", flat=True)) == {"sent"}
    assert ChatWebhook.objects.count() == 0
    before = (list(Announcement.objects.values_list()), Delivery.objects.count())
    seed()
    assert (list(Announcement.objects.values_list()), Delivery.objects.count()) == before
