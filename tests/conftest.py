"""Shared fixtures: people in each role, a team with its manager, and clean caches."""

import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from outbox.selectors import DEFAULT_IDENTITY, IDENTITY_CACHE_KEY
from tests.factories import AgentFactory, CoordinatorFactory, ManagerFactory, TeamFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits live in the cache; one test's failures must not leak into the next.
    cache.clear()
    # Pages read the organisation's identity from the cache, as they do once a server has served one
    # page; a query-count test should not count that first read (tests/outbox/test_organisation.py
    # tests the cold path).
    cache.set(IDENTITY_CACHE_KEY, DEFAULT_IDENTITY, None)
    yield
    cache.clear()


@pytest.fixture
def team(db):
    return TeamFactory(name="Front Line")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Billing")


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(email="coord@example.com")


@pytest.fixture
def manager(team):
    user = ManagerFactory(email="boss@example.com", team=team)
    team.managers.add(user)
    return user


@pytest.fixture
def other_manager(other_team):
    user = ManagerFactory(email="otherboss@example.com", team=other_team)
    other_team.managers.add(user)
    return user


@pytest.fixture
def agent(team):
    return AgentFactory(email="agent@example.com", team=team)


@pytest.fixture
def other_agent(other_team):
    return AgentFactory(email="otheragent@example.com", team=other_team)


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's SQLite file and broker folder (see csweek/settings_test.py)."""
    run_dir = getattr(settings, "VAR_DIR", None)
    if run_dir is not None and run_dir.name.startswith("run-"):
        shutil.rmtree(run_dir, ignore_errors=True)
