"""seed_demo makes last year's week complete: attendance, decided nominations, a sent recap."""

import datetime

import pytest
import time_machine

from events.models import Registration
from insights.models import WeekRecap
from insights.selectors import report_for
from outbox.models import Delivery
from people.models import User
from tests.events.test_demo import seed

pytestmark = pytest.mark.django_db


def test_seed_demo_last_year_has_attendance_a_recap_and_its_emails():
    seed()
    confirmed = Registration.objects.filter(activity__week__year=2025, status="confirmed")
    attended = confirmed.filter(attended_at__isnull=False).count()
    assert 0 < attended < confirmed.count()
    assert Registration.objects.filter(activity__week__year=2027, attended_at__isnull=False).count() == 0
    recap = WeekRecap.objects.get()
    assert recap.week.year == 2025
    assert Delivery.objects.filter(kind="week_recap", status="sent").count() == User.objects.count()


def test_seed_demo_twice_changes_nothing_here():
    seed()
    before = (
        sorted(Registration.objects.values_list("pk", "attended_at")),
        Delivery.objects.count(),
        WeekRecap.objects.count(),
    )
    seed()
    after = (
        sorted(Registration.objects.values_list("pk", "attended_at")),
        Delivery.objects.count(),
        WeekRecap.objects.count(),
    )
    assert after == before


def test_seed_demo_report_of_last_year_is_full():
    seed()
    coordinator = User.objects.get(email="coordinator@example.com")
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC)):
        report = report_for(viewer=coordinator, year=2025)
    assert report.previous is None
    assert [row[0] for row in report.table("emails").rows] == ["Week recap"]
    headline = {name: value for name, value, _before in report.headline}
    assert headline["Awards"] == "8"
