"""seed_demo's weeks: last, this and next year, themed, with every kind and format, and a waitlist."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings

from events.models import Activity, Registration, TeamCoverage, Week

pytestmark = pytest.mark.django_db


def seed(*args):
    with (
        override_settings(DEBUG=True),
        time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC)),
    ):
        call_command("seed_demo", *args, stdout=StringIO())


def rows():
    return (
        sorted(Week.objects.values_list("year", "status", "starts_on")),
        sorted(Activity.objects.values_list("week__year", "title", "starts_at", "capacity")),
        sorted(
            Registration.objects.values_list(
                "activity__week__year", "activity__title", "user__email", "status"
            )
        ),
    )


def test_seed_demo_adds_three_published_weeks_with_themes_and_activities():
    seed()
    assert list(Week.objects.order_by("year").values_list("year", "status", "starts_on")) == [
        (2025, "published", datetime.date(2025, 10, 6)),
        (2026, "published", datetime.date(2026, 10, 5)),
        (2027, "published", datetime.date(2027, 10, 4)),
    ]
    week = Week.objects.get(year=2026)
    titles = list(week.day_themes.values_list("title", flat=True))
    assert "Service with Respect Day" in titles
    assert "Recognition Day" in titles
    assert week.activities.count() == 15
    assert set(week.activities.values_list("kind", flat=True)) == set(Activity.Kind.values)
    assert set(week.activities.values_list("format", flat=True)) == set(Activity.Format.values)
    workshop = week.activities.get(title="De-escalation workshop")
    assert list(workshop.registrations.order_by("created_at").values_list("user__email", "status")) == [
        ("agent@example.com", "confirmed"),
        ("jamie.chen@example.com", "confirmed"),
        ("aisha.bello@example.com", "confirmed"),
        ("ravi.sharma@example.com", "waitlisted"),
        ("grace.mensah@example.com", "waitlisted"),
    ]


def test_seed_demo_caps_front_lines_coverage_and_keeps_a_coordinators_change():
    seed()
    assert list(TeamCoverage.objects.values_list("team__name", "max_away_percent")) == [
        ("Front Line Support", 25)
    ]
    TeamCoverage.objects.update(max_away_percent=40)
    seed()
    assert list(TeamCoverage.objects.values_list("max_away_percent", flat=True)) == [40]


def test_seed_demo_twice_changes_no_event_rows():
    seed()
    before = rows()
    seed()
    assert rows() == before


def test_seed_demo_scale_signs_added_agents_up():
    seed("--scale", "8")
    scaled = Registration.objects.filter(user__email__startswith="agent0", activity__week__year=2027)
    # "Team trivia" and "Closing celebration" are open to everyone without a seat limit.
    assert scaled.count() == 16
    assert set(scaled.values_list("status", flat=True)) == {"confirmed"}


def test_seed_demo_scale_fills_the_outbox_five_emails_per_added_agent():
    from outbox.models import Delivery

    seed("--scale", "8")
    # The activity emails the sign-ups leave (other apps' demo adds its own, e.g. last year's recap).
    scaled = Delivery.objects.filter(
        recipient__email__startswith="agent0", kind__in=["activity_changed", "activity_reminder"]
    )
    per_person = sorted(
        scaled.values_list("recipient__email").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    assert per_person == [5] * 8
    assert sorted(scaled.values_list("status").annotate(n=Count("pk")).values_list("status", "n")) == [
        ("failed", 1),
        ("sent", 39),
    ]
    assert set(scaled.values_list("week_year", flat=True)) <= {2025, 2026, 2027}
    everything = Delivery.objects.filter(recipient__email__startswith="agent0").count()
    seed("--scale", "8")
    assert (scaled.count(), Delivery.objects.filter(recipient__email__startswith="agent0").count()) == (
        40,
        everything,
    )
