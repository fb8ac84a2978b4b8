"""/deliveries/' counts by kind and status: counted once per version of the outbox, and every
change the services make (in bulk or one by one) shows on the next read."""

import pytest

from outbox import services
from outbox.models import Delivery
from outbox.selectors import delivery_counts
from recognition.models import Announcement
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

Status = Delivery.Status


@pytest.fixture
def announcement(coordinator):
    return Announcement.objects.create(subject="Kick-off", body="At 10:00.", sent_by=coordinator)


def counts(viewer, week_year=None) -> dict[str, int]:
    (row,) = delivery_counts(viewer=viewer, week_year=week_year)
    return {status: n for status, n in zip(Status.values, row["counts"], strict=True) if n}


def test_counts_second_read_comes_from_the_cache(coordinator, announcement, django_assert_num_queries):
    services.deliveries_create(
        kind="coordinator_announcement", recipients=AgentFactory.create_batch(3), about=announcement
    )
    assert counts(coordinator) == {Status.PENDING: 3}
    with django_assert_num_queries(0):
        assert counts(coordinator) == {Status.PENDING: 3}


def test_counts_follow_new_deliveries(coordinator, announcement):
    services.deliveries_create(
        kind="coordinator_announcement", recipients=[AgentFactory()], about=announcement
    )
    assert counts(coordinator) == {Status.PENDING: 1}
    services.deliveries_create(
        kind="coordinator_announcement", recipients=AgentFactory.create_batch(2), about=announcement
    )
    assert counts(coordinator) == {Status.PENDING: 3}


def test_counts_follow_sending(coordinator, announcement, counting_backend):
    ids = services.deliveries_create(
        kind="coordinator_announcement", recipients=AgentFactory.create_batch(2), about=announcement
    )
    assert counts(coordinator) == {Status.PENDING: 2}
    assert services.deliveries_send(ids=ids).sent == 2
    assert counts(coordinator) == {Status.SENT: 2}


def test_counts_follow_a_retry(coordinator, announcement):
    person = AgentFactory()
    delivery = Delivery.objects.create(
        recipient=person,
        address=person.email,
        kind="coordinator_announcement",
        about=announcement,
        status=Status.FAILED,
    )
    assert counts(coordinator) == {Status.FAILED: 1}
    services.delivery_retry(by=coordinator, delivery=delivery)
    assert counts(coordinator) == {Status.PENDING: 1}


def test_counts_of_a_week_are_kept_apart(coordinator, announcement):
    person = AgentFactory()
    Delivery.objects.create(
        recipient=person,
        address=person.email,
        kind="coordinator_announcement",
        week_year=2030,
        status=Status.SENT,
    )
    Delivery.objects.create(
        recipient=person,
        address="b@example.com",
        kind="coordinator_announcement",
        week_year=2031,
        status=Status.FAILED,
    )
    assert counts(coordinator, 2030) == {Status.SENT: 1}
    assert counts(coordinator, 2031) == {Status.FAILED: 1}
    assert counts(coordinator) == {Status.SENT: 1, Status.FAILED: 1}


def test_counts_are_for_coordinators_only(coordinator, agent, announcement):
    services.deliveries_create(kind="coordinator_announcement", recipients=[agent], about=announcement)
    assert counts(coordinator) == {Status.PENDING: 1}
    assert delivery_counts(viewer=agent) == []


def test_delivery_list_order_has_an_index():
    # Many deliveries share created_at (a fan-out stamps one instant): the list's whole order,
    # id included, must be indexed, or a page of 50 sorts every match.
    indexed = {tuple(index.fields) for index in Delivery._meta.indexes}
    assert ("status", "-created_at", "-id") in indexed
    assert ("-created_at", "-id") in indexed
    assert list(Delivery._meta.ordering) == ["-created_at", "-pk"]
