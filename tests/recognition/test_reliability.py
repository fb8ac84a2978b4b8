"""Recognition emails against real parts: a nomination approved while the broker is unreachable."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from csweek.celery import app as celery_app
from outbox import services as outbox_services
from outbox.models import Delivery
from outbox.selectors import opted_in
from people.models import User
from recognition import services, tasks
from recognition.models import AwardCategory, Nomination
from tests.outbox.test_reliability import WORKER_ENV, broker_down, is_filesystem
from tests.recognition.factories import STORY, AwardCategoryFactory, WeekFactory
from tests.support.smtp_sink import SmtpSink
from tests.support.worker import running_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

Status = Delivery.Status
DECISION_KINDS = ["award_received", "nomination_decided"]


def decision_deliveries() -> list[tuple[str, str, str]]:
    return sorted(Delivery.objects.filter(kind__in=DECISION_KINDS).values_list("kind", "address", "status"))


def test_broker_down_when_a_nomination_is_approved_request_returns_fast_and_sweep_sends_later(
    client, agent, nominee, category, manager, tmp_path
):
    nomination = services.nomination_create(nominator=agent, nominee=nominee, category=category, story=STORY)
    # Reviewed after the category's announcement moment: the award is announced at once, so the
    # approval itself queues the nominee's and the nominator's emails.
    now = timezone.now()
    AwardCategory.objects.filter(pk=category.pk).update(
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now - datetime.timedelta(hours=1),
        announce_at=now - datetime.timedelta(minutes=30),
    )
    with SmtpSink() as sink, running_worker(tmp_path / "mail", {**WORKER_ENV, "EMAIL_URL": sink.url}):
        client.force_login(manager)
        broker_uri_before = celery_app.connection_for_write().as_uri()
        with broker_down(tmp_path):
            assert celery_app.connection_for_write().as_uri() != broker_uri_before or is_filesystem()
            started = time.monotonic()
            response = client.post(reverse("recognition:approve", args=[nomination.pk]), {"comment": "Yes!"})
            elapsed = time.monotonic() - started
        assert response.status_code == 302
        assert elapsed < 3
        nomination.refresh_from_db()
        assert (nomination.status, nomination.review_comment) == (Nomination.Status.APPROVED, "Yes!")
        assert decision_deliveries() == [
            ("award_received", "nominee@example.com", Status.PENDING),
            ("nomination_decided", "agent@example.com", Status.PENDING),
        ]
        assert set(Delivery.objects.filter(kind__in=DECISION_KINDS).values_list("queued_at", flat=True)) == {
            None
        }
        assert celery_app.connection_for_write().as_uri() == broker_uri_before
        # The broker is back; beat's sweep publishes what was left pending.
        assert outbox_services.deliveries_sweep().requeued == 2
        wait_until(
            lambda: Delivery.objects.filter(kind__in=DECISION_KINDS, status=Status.SENT).count() == 2,
            timeout=60,
            message="the decision and the award emails sent",
        )
        assert (sink.received, sink.distinct, sink.duplicates) == (2, 2, 0)
        recipients = sorted(headers["To"] for headers in sink.headers)
        assert recipients == ["agent@example.com", "nominee@example.com"]
    assert decision_deliveries() == [
        ("award_received", "nominee@example.com", Status.SENT),
        ("nomination_decided", "agent@example.com", Status.SENT),
    ]


def test_beat_task_run_twice_by_a_real_worker_sends_the_notice_once(agent, nominee, tmp_path):
    """The beat task through the broker: JSON in and out, the deliveries it creates sent on commit."""
    week = WeekFactory(year=2026)
    AwardCategoryFactory(
        week=week,
        name="Customer Hero",
        opens_at=timezone.now() - datetime.timedelta(minutes=2),
        closes_at=timezone.now() + datetime.timedelta(days=7),
    )
    everyone = sorted(
        opted_in(User.objects.filter(is_active=True), "email_nomination_news").values_list("email", flat=True)
    )
    assert everyone == ["agent@example.com", "nominee@example.com"]
    with (
        SmtpSink() as sink,
        running_worker(tmp_path / "mail", {**WORKER_ENV, "EMAIL_URL": sink.url}) as worker,
    ):

        def runs_done() -> int:
            task = "recognition.nominations_due"
            return sum(task in line and "succeeded" in line for line in worker.output)

        tasks.nominations_due.delay()
        wait_until(lambda: runs_done() == 1, timeout=60, message="the first run")
        tasks.nominations_due.delay()
        wait_until(lambda: runs_done() == 2, timeout=60, message="the second run")
        wait_until(
            lambda: Delivery.objects.filter(kind="nominations_open", status=Status.SENT).count() == 2,
            timeout=60,
            message="the nominations-open notices sent",
        )
        assert (sink.received, sink.distinct, sink.duplicates) == (2, 2, 0)
    assert sorted(headers["To"] for headers in sink.headers) == everyone
    assert Delivery.objects.filter(kind="nominations_open").count() == 2
