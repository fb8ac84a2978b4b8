"""seed_demo makes last year's week complete: attendance, decided nominations, a sent recap."""

import datetime

import pytest
import time_machine

from events.models import Registration
from insights.models import WeekRecap
from insights.selectors import report_for
from outbox.deliveries import ANNOUNCEMENTS
from outbox.models import Delivery, EmailOptOut
from people.models import User
from tests.events.test_demo import seed
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_last_year_has_attendance_a_recap_and_its_emails():
    quiet = AgentFactory(email="quiet@example.com")
    EmailOptOut.objects.create(user=quiet, preference=ANNOUNCEMENTS.key)
    AgentFactory(email="gone@example.com", is_active=False)
    seed()
    confirmed = Registration.objects.filter(activity__week__year=2025, status="confirmed")
    attended = confirmed.filter(attended_at__isnull=False).count()
    assert 0 < attended < confirmed.count()
    assert Registration.objects.filter(activity__week__year=2027, attended_at__isnull=False).count() == 0
    recap = WeekRecap.objects.get()
    assert recap.week.year == 2025
    # As the real send: active people who keep announcements on.
    assert sorted(
        Delivery.objects.filter(kind="week_recap", status="sent").values_list("recipient__email", flat=True)
    ) == sorted(User.objects.filter(is_active=True).exclude(pk=quiet.pk).values_list("email", flat=True))


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
