"""GET /healthz: database and broker, no login, no secrets, never hanging."""

import socket
import threading
import time

import pytest
from django.db import OperationalError
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_all_up_returns_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_broker_refusing_connections_returns_503(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_BROKER_TRANSPORT_OPTIONS={}):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers: a hung broker."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.django_db
def test_healthz_hung_broker_times_out_with_503(client, silent_server):
    url = f"redis://127.0.0.1:{silent_server}/0"
    with override_settings(CELERY_BROKER_URL=url, CELERY_BROKER_TRANSPORT_OPTIONS={}):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}
    # A guard against hanging, not a performance figure: the check's own timeout is 2 s.
    assert elapsed < 10


@pytest.mark.django_db
def test_healthz_database_down_returns_503(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    from django.db import connections

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_shows_no_secrets(client):
    with override_settings(
        CELERY_BROKER_URL="redis://:hunter2@127.0.0.1:1/0", CELERY_BROKER_TRANSPORT_OPTIONS={}
    ):
        response = client.get("/healthz")
    assert b"hunter2" not in response.content
    assert b"127.0.0.1" not in response.content
