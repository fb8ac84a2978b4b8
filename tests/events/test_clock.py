"""Times of day follow the viewer's locale: 24-hour by default, 12-hour for a 12-hour region."""

import datetime

import pytest
from django.urls import reverse

from csweek.core.clock import prefers_twelve_hour

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "twelve"),
    [
        ("en-US,en;q=0.9", True),
        ("en-GB,en;q=0.9", False),
        ("fr-CA", True),
        ("de-DE,en-US;q=0.8", False),
        ("en", False),
        ("", False),
    ],
)
def test_prefers_twelve_hour_follows_the_first_language(header, twelve):
    assert prefers_twelve_hour(header) is twelve


@pytest.mark.parametrize(
    ("header", "starts", "ends", "absent"),
    [("en-US", "10:00 am", "11:00 am", "10:00–"), ("en-GB", "10:00", "11:00", "10:00 am")],
)
def test_schedule_and_week_board_times_follow_the_viewers_locale(
    client, coordinator, week, activity, header, starts, ends, absent
):
    assert activity.starts_at.astimezone(datetime.UTC).hour == 9  # 10:00 in London, summer time
    client.force_login(coordinator)
    for url in (
        reverse("events:schedule_year", args=[week.year]),
        reverse("events:week_plan", args=[week.year]),
    ):
        content = client.get(url, HTTP_ACCEPT_LANGUAGE=header).content.decode()
        assert (starts in content, ends in content, absent in content) == (True, True, False)
