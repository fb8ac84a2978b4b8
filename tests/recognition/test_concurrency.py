"""Races PostgreSQL can show: two reviewers taking the last award, two tabs past the daily limit."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from outbox.models import Delivery
from recognition import services
from recognition.models import AwardCategory, Nomination
from tests.factories import AgentFactory, CoordinatorFactory
from tests.recognition.factories import STORY, AwardCategoryFactory, NominationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
    ),
]


def run_together(*calls) -> list:
    """Run each call in its own thread and connection, all at once; returns the results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 -- the test inspects what each thread met
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_reviewers_cannot_both_take_the_last_award():
    category = AwardCategoryFactory(award_limit=1)
    first, second = NominationFactory.create_batch(2, category=category)
    reviewers = CoordinatorFactory.create_batch(2)
    for _ in range(5):
        results = run_together(
            lambda: services.nomination_approve(nomination=first, by=reviewers[0]),
            lambda: services.nomination_approve(nomination=second, by=reviewers[1]),
        )
        assert sorted(type(r).__name__ for r in results) == ["Nomination", "ValidationError"]
        assert Nomination.objects.filter(status="approved").count() == 1
        Nomination.objects.update(status="submitted", reviewed_at=None, reviewed_by=None)


def test_two_tabs_cannot_pass_the_daily_limit(settings):
    settings.RECOGNITION_DAILY_NOMINATION_LIMIT = 1
    category = AwardCategoryFactory()
    nominator = AgentFactory()
    colleagues = AgentFactory.create_batch(2)
    results = run_together(
        *[
            lambda c=c: services.nomination_create(
                nominator=nominator, nominee=c, category=category, story=STORY
            )
            for c in colleagues
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Nomination", "ValidationError"]
    assert Nomination.objects.filter(nominator=nominator).count() == 1
    assert isinstance(next(r for r in results if not isinstance(r, Nomination)), ValidationError)


def test_two_beat_runs_at_once_announce_each_award_once():
    category = AwardCategoryFactory()
    AwardCategory.objects.filter(pk=category.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=3),
        closes_at=timezone.now() - datetime.timedelta(days=2),
        announce_at=timezone.now() - datetime.timedelta(days=1),
    )
    NominationFactory.create_batch(3, category=category, approved=True)
    results = run_together(services.awards_announce_due, services.awards_announce_due)
    assert sorted(results) == [0, 3]
    assert Delivery.objects.filter(kind="award_received").count() == 3
    assert Delivery.objects.filter(kind="nomination_decided").count() == 3
