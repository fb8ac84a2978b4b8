"""The theme of the day in chat: posted once per day from 08:00 in the week's zone, only for a
published week, only to the webhooks that take it."""

import pytest
import time_machine

from events.models import Week
from events.tasks import daily_theme_chat_due
from outbox import services as outbox_services
from outbox.models import Delivery
from tests.events.factories import DayThemeFactory, WeekFactory, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(coordinator):
    week = WeekFactory(year=2031, time_zone="America/Chicago")
    outbox_services.chat_webhook_create(
        by=coordinator,
        name="Floor",
        service="teams",
        url="https://x.webhook.office.com/t",
        topics=["theme_of_the_day"],
    )
    outbox_services.chat_webhook_create(
        by=coordinator, name="Awards", service="slack", url="https://hooks.slack.com/s/a", topics=["awards"]
    )
    return week


def test_theme_posts_once_from_eight_in_the_weeks_zone(week):
    theme = DayThemeFactory(
        week=week, date=week.starts_on, title="Listen first", description="Ask, then listen."
    )
    with time_machine.travel(local(week, 0, 7, 59), tick=False):
        assert daily_theme_chat_due.apply(throw=True).result == 0
    with time_machine.travel(local(week, 0, 8, 0), tick=False):
        assert daily_theme_chat_due.apply(throw=True).result == 1
    with time_machine.travel(local(week, 0, 8, 1), tick=False):
        assert daily_theme_chat_due.apply(throw=True).result == 0
    [post] = Delivery.objects.all()
    assert (post.kind, post.occurrence, post.address) == (
        "chat_theme_of_the_day",
        f"day_theme:{theme.pk}:{week.starts_on.isoformat()}",
        "Microsoft Teams: Floor",
    )
    assert post.payload == {
        "title": "Theme of the day: Listen first",
        "text": "Ask, then listen.",
        "url": "http://localhost:8000/schedule/2031/",
    }


def test_theme_of_a_draft_week_is_not_posted(week):
    Week.objects.filter(pk=week.pk).update(status=Week.Status.DRAFT)
    DayThemeFactory(week=week, date=week.starts_on)
    with time_machine.travel(local(week, 0, 9, 0), tick=False):
        assert daily_theme_chat_due.apply(throw=True).result == 0


def test_theme_found_after_noon_is_left_out(week):
    DayThemeFactory(week=week, date=week.starts_on)
    with time_machine.travel(local(week, 0, 12, 0), tick=False):
        assert daily_theme_chat_due.apply(throw=True).result == 0
    assert Delivery.objects.count() == 0
