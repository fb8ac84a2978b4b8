"""The outbox against real parts: a `celery worker` process, the configured broker, an SMTP server.

Runs on SQLite + the filesystem broker and on PostgreSQL + Redis (whichever the run is configured
with). Every message carries its delivery's Message-ID, so the SMTP sink counts duplicates.
"""

import os
import signal
import socket
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import kombu.pools
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from csweek.celery import app as celery_app
from outbox import services
from outbox.models import Delivery
from people.models import Invitation, User
from recognition.models import Announcement
from tests.support.smtp_sink import SmtpSink, free_port
from tests.support.worker import running_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

Status = Delivery.Status

# Short backoff and timeouts so the faults play out in seconds.
WORKER_ENV = {
    "OUTBOX_RETRY_BACKOFF": "0.2",
    "OUTBOX_RETRY_BACKOFF_MAX": "1",
    "OUTBOX_MAX_ATTEMPTS": "30",
    "EMAIL_TIMEOUT": "5",
}


def make_people(count: int) -> list[User]:
    User.objects.bulk_create(
        [User(email=f"person{i}@reliability.example", first_name=f"P{i}") for i in range(count)]
    )
    return list(User.objects.filter(email__endswith="@reliability.example").order_by("pk"))


def fan_out(people: list[User]) -> list[int]:
    announcement = Announcement.objects.create(subject="Week kick-off", body="See you at 10:00.")
    services.deliveries_create(kind="coordinator_announcement", recipients=people, about=announcement)
    return list(
        Delivery.objects.filter(object_id=announcement.pk).order_by("pk").values_list("pk", flat=True)
    )


def sent_count() -> int:
    return Delivery.objects.filter(status=Status.SENT).count()


@contextmanager
def sweeping(**kwargs):
    """Run the sweep over and over in a thread (as beat would, but far more often)."""
    stop = threading.Event()
    runs = []

    def loop():
        try:
            while not stop.is_set():
                runs.append(services.deliveries_sweep(**kwargs))
                stop.wait(0.2)
        finally:
            connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield runs
    finally:
        stop.set()
        thread.join(timeout=30)


@pytest.fixture
def sink():
    with SmtpSink() as running:
        yield running


def test_fan_out_twice_with_sweep_running_sends_each_message_once(sink, tmp_path):
    people = make_people(500)
    with running_worker(tmp_path / "mail", {**WORKER_ENV, "EMAIL_URL": sink.url}):
        # The sweep publishes every pending row again on each pass, while the fan-out runs twice.
        with sweeping(requeue_after=timedelta(0)) as runs:
            ids = fan_out(people)
            assert fan_out_again(people) == []
            services.deliveries_publish(ids=ids)
            wait_until(lambda: sent_count() == 500, timeout=120, message="500 deliveries sent")
        assert sum(run.requeued for run in runs) > 0
    assert (sink.received, sink.distinct, sink.duplicates) == (500, 500, 0)
    assert Delivery.objects.count() == 500
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def fan_out_again(people: list[User]) -> list[int]:
    announcement = Announcement.objects.get()
    return services.deliveries_create(kind="coordinator_announcement", recipients=people, about=announcement)


def test_worker_killed_during_fan_out_loses_nothing(sink, tmp_path):
    people = make_people(500)
    env = {**WORKER_ENV, "EMAIL_URL": sink.url}
    with running_worker(tmp_path / "mail", env) as worker:
        fan_out(people)
        wait_until(lambda: sink.received >= 150, timeout=120, message="the fan-out under way")
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.wait(timeout=10)
    killed_at = timezone.now()
    in_flight = Delivery.objects.filter(status=Status.SENDING).count()
    assert 0 < sent_count() < 500
    assert in_flight <= 100  # one chunk (the solo worker runs one task at a time)
    with running_worker(tmp_path / "mail", env):
        # What beat's sweep does once the sending timeout has passed for the dead worker's rows.
        services.deliveries_sweep(requeue_after=timedelta(0), sending_timeout=timezone.now() - killed_at)
        wait_until(lambda: sent_count() == 500, timeout=120, message="every delivery sent after the restart")
    assert sink.distinct == 500  # nothing lost
    assert sink.duplicates <= 1  # at most one per chunk in flight
    assert sink.received == 500 + sink.duplicates


def test_smtp_down_then_back_delivers_each_message_once_with_attempts_recorded(tmp_path):
    port = free_port()
    down = SmtpSink(port=port)  # not started: connections are refused
    people = make_people(150)
    with running_worker(tmp_path / "mail", {**WORKER_ENV, "EMAIL_URL": down.url}):
        fan_out(people)
        wait_until(
            lambda: Delivery.objects.filter(attempts__gte=3).count() == 150,
            timeout=60,
            message="three refused attempts on every delivery",
        )
        assert Delivery.objects.filter(status=Status.SENT).count() == 0
        with down:
            wait_until(lambda: sent_count() == 150, timeout=60, message="every delivery sent")
            assert (down.received, down.distinct, down.duplicates) == (150, 150, 0)
    attempts = list(Delivery.objects.values_list("attempts", flat=True))
    assert min(attempts) >= 4  # three refused, then the one that went through
    errors = set(Delivery.objects.values_list("last_error", flat=True))
    assert all("Connection refused" in error for error in errors)


# --- Broker down -----------------------------------------------------------------------------


def is_filesystem() -> bool:
    return celery_app.conf.broker_url.startswith("filesystem")


@contextmanager
def silent_tcp_server():
    """Accepts connections and never answers: worse than a refused port, it tests the timeouts."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(50)
        yield server.getsockname()[1]


@contextmanager
def broker_down(tmp_path):
    """Point this process's publishing at a broker that cannot take messages."""
    conf = celery_app.conf
    saved = (conf.broker_url, dict(conf.broker_transport_options or {}), conf.broker_write_url)

    def reset_pools():
        kombu.pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    with silent_tcp_server() as port:
        reset_pools()
        if saved[0].startswith("redis"):
            conf.broker_url = conf.broker_write_url = f"redis://127.0.0.1:{port}/5"
        else:
            blocker = tmp_path / "not-a-folder"
            blocker.write_text("the queue folder is unusable")
            conf.broker_transport_options = {
                **saved[1],
                "data_folder_in": str(blocker / "in"),
                "data_folder_out": str(blocker / "out"),
            }
        try:
            yield
        finally:
            reset_pools()
            conf.broker_url, conf.broker_transport_options, conf.broker_write_url = saved


def test_broker_down_request_returns_fast_and_sweep_sends_later(client, coordinator, team, sink, tmp_path):
    with running_worker(tmp_path / "mail", {**WORKER_ENV, "EMAIL_URL": sink.url}):
        client.force_login(coordinator)
        broker_uri_before = celery_app.connection_for_write().as_uri()
        with broker_down(tmp_path):
            assert celery_app.connection_for_write().as_uri() != broker_uri_before or is_filesystem()
            started = time.monotonic()
            response = client.post(
                reverse("people:person_invite"),
                {
                    "email": "new.starter@example.com",
                    "first_name": "Nia",
                    "last_name": "Hart",
                    "team": team.pk,
                    "role": "Agent",
                    "time_zone": "Asia/Kolkata",
                },
            )
            elapsed = time.monotonic() - started
        assert response.status_code == 302
        assert elapsed < 3
        invitation = Invitation.objects.get(user__email="new.starter@example.com")
        delivery = Delivery.objects.get(kind="invitation")
        assert (delivery.status, delivery.queued_at) == (Status.PENDING, None)
        assert celery_app.connection_for_write().as_uri() == broker_uri_before
        # The broker is back; beat's sweep publishes what was left pending.
        result = services.deliveries_sweep()
        assert result.requeued == 1
        wait_until(lambda: sent_count() == 1, timeout=60, message="the invitation sent")
    assert sink.received == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
