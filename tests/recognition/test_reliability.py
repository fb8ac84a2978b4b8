"""Recognition emails against real parts: a nomination approved while the broker is unreachable."""

import time

import pytest
from django.urls import reverse

from csweek.celery import app as celery_app
from outbox import services as outbox_services
from outbox.models import Delivery
from recognition import services
from recognition.models import Nomination
from tests.outbox.test_reliability import WORKER_ENV, broker_down, is_filesystem
from tests.recognition.factories import STORY
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
