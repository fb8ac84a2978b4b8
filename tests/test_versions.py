"""Data versions (csweek.core.versions): what cached figures are keyed by."""

import pytest
from django.core.cache import cache

from csweek.core import versions

# A bump registers a second one for when the transaction commits: it needs the database.
pytestmark = pytest.mark.django_db


def test_versions_current_is_stable_until_bumped():
    first = versions.current(versions.WEEK_DATA)
    assert versions.current(versions.WEEK_DATA) == first
    versions.bump(versions.WEEK_DATA)
    assert versions.current(versions.WEEK_DATA) != first


def test_versions_bump_changes_only_its_own_name():
    week_data, deliveries = versions.current(versions.WEEK_DATA), versions.current(versions.DELIVERIES)
    versions.bump(versions.DELIVERIES)
    assert versions.current(versions.WEEK_DATA) == week_data
    assert versions.current(versions.DELIVERIES) != deliveries


def test_versions_current_joins_every_name_asked():
    both = versions.current(versions.WEEK_DATA, versions.DELIVERIES)
    assert both == f"{versions.current(versions.WEEK_DATA)}-{versions.current(versions.DELIVERIES)}"


def test_versions_lost_from_the_cache_never_come_back_to_an_old_value():
    versions.bump(versions.WEEK_DATA)
    before = int(versions.current(versions.WEEK_DATA))
    cache.clear()  # evicted, or Redis restarted
    assert int(versions.current(versions.WEEK_DATA)) > before
    cache.clear()
    versions.bump(versions.WEEK_DATA)  # a bump of a missing version starts it afresh too
    assert int(versions.current(versions.WEEK_DATA)) > before


def test_versions_bump_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump(versions.WEEK_DATA)
        inside = versions.current(versions.WEEK_DATA)
    # A figure computed inside the transaction from data not yet committed (another request
    # reading the old rows) must not be served under the version readers see afterwards.
    assert versions.current(versions.WEEK_DATA) != inside


def test_versions_one_callback_per_transaction_however_many_bumps(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        versions.bump(versions.WEEK_DATA)
        versions.bump(versions.DELIVERIES)
        versions.bump(versions.WEEK_DATA)
    assert len(callbacks) == 1
    assert versions.without_bumps(callbacks) == []
    before = versions.current(versions.WEEK_DATA, versions.DELIVERIES)
    callbacks[0]()
    week_data, deliveries = versions.current(versions.WEEK_DATA, versions.DELIVERIES).split("-")
    assert week_data != before.split("-")[0]
    assert deliveries != before.split("-")[1]
