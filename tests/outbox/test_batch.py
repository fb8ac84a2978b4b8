"""deliveries_batch: the deliveries created inside the block are published once, after the commit."""

import pytest
from django.db import transaction

from csweek.core.versions import without_bumps
from outbox import services
from outbox.models import Delivery
from recognition.models import Announcement
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def announce(subject: str, people) -> list[int]:
    announcement = Announcement.objects.create(subject=subject, body="Body.")
    return services.deliveries_create(kind="coordinator_announcement", recipients=people, about=announcement)


def test_batch_publishes_every_delivery_in_one_callback(mailoutbox, django_capture_on_commit_callbacks):
    people = AgentFactory.create_batch(2)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
        services.deliveries_batch(),
    ):
        announce("One", people)
        with services.deliveries_batch():  # a nested block joins the outer one
            announce("Two", people)
    assert len(without_bumps(callbacks)) == 1
    assert sorted(m.subject for m in mailoutbox) == ["One", "One", "Two", "Two"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_batch_left_by_an_error_queues_nothing_and_ends(django_capture_on_commit_callbacks):
    people = AgentFactory.create_batch(1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(RuntimeError), services.deliveries_batch():
            announce("Lost with its transaction", people)
            raise RuntimeError("the service failed")
        assert callbacks == []
        announce("After", people)  # outside any batch: queued on its own again
    assert len(without_bumps(callbacks)) == 1
