"""A request body over MAX_UPLOAD_MB gets a 413 page naming the limit; smaller ones go through."""

from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from csweek.middleware import _body_size


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def profile_data(**extra) -> dict:
    return {"first_name": "Ada", "last_name": "Lovelace", "time_zone": "UTC", **extra}


@override_settings(MAX_UPLOAD_MB=1)
def test_upload_over_limit_is_413_naming_the_limit(agent_client, agent):
    upload = SimpleUploadedFile("big.bin", b"x" * 1_500_000)

    response = agent_client.post(reverse("people:profile"), profile_data(file=upload))

    assert response.status_code == 413
    assert [t.name for t in response.templates][:1] == ["413.html"]
    assert "csweek accepts at most 1 MB in one request." in response.content.decode()
    agent.refresh_from_db()
    assert agent.first_name != "Ada"


@override_settings(MAX_UPLOAD_MB=1)
def test_urlencoded_body_over_limit_is_413(agent_client):
    response = agent_client.post(reverse("recognition:nomination_new"), {"story": "x" * 1_500_000})

    assert response.status_code == 413


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_572_864)
def test_form_fields_over_djangos_limit_are_413_naming_that_limit(agent_client):
    # Under MAX_UPLOAD_MB, but over what Django keeps in memory for fields other than files.
    response = agent_client.post(reverse("recognition:nomination_new"), {"story": "x" * 1_700_000})

    assert response.status_code == 413
    assert "csweek accepts at most 1.5 MB in one request." in response.content.decode()


@override_settings(MAX_UPLOAD_MB=1)
def test_upload_under_limit_passes_through(agent_client, agent):
    upload = SimpleUploadedFile("small.bin", b"x" * 500_000)

    response = agent_client.post(reverse("people:profile"), profile_data(file=upload))

    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.first_name == "Ada"


def test_default_limit_is_5_mb_and_django_limits_stay_below_it():
    assert settings.MAX_UPLOAD_MB == 5
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


def test_body_size_counts_a_buffered_body_longer_than_declared(rf):
    # Under ASGI a chunked body is buffered before Django sees it, with a short or no Content-Length.
    request = rf.post("/profile/", data=b"", content_type="application/octet-stream")
    request._stream = BytesIO(b"x" * 2048)

    assert _body_size(request) == 2048
    assert request._stream.tell() == 0


def test_body_size_ignores_a_malformed_content_length(rf):
    request = rf.get("/", CONTENT_LENGTH="lots")

    assert _body_size(request) == 0
