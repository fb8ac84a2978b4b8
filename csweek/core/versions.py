"""Data versions: one counter per kind of data in the shared cache, bumped by whatever changes that
data. A figure cached under a key that holds the version of every kind of data it reads is never
served stale: the next change makes a new key, and the old entry is left to expire.

    key = f"report:{versions.current(versions.WEEK_DATA, versions.SIGNUPS)}:{week.pk}"

A bump happens at once (a read later in the same transaction sees the change) and again once the
transaction commits, so a figure computed meanwhile from the data as it was before the commit
cannot be stored under the version readers use after it.
"""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

# Activities, weeks, day themes, teams and their coverage caps, people, nominations and award
# categories (bumped by csweek.data_versions on every save or delete, and by the services after
# their bulk writes).
WEEK_DATA = "week-data"
# Sign-ups and attendance, apart: they change most often during the week, and the recognition
# pages, the outbox and the people list do not read them, so those stay cached meanwhile.
SIGNUPS = "signups"
# Reactions to awards, which only the wall shows (they come in bursts when awards are announced).
REACTIONS = "reactions"
# Everything else a page shows: announcements, surveys, recaps, invitations, theme
# templates, the organisation's identity, chat webhooks and roles (bumped by csweek.data_versions).
# Pages cached whole (csweek.core.pagecache) read it with WEEK_DATA.
PAGE_DATA = "page-data"
# Emails in the outbox and email opt-outs (bumped by outbox.signals and the outbox's services).
DELIVERIES = "deliveries"

ALL = (WEEK_DATA, SIGNUPS, REACTIONS, PAGE_DATA, DELIVERIES)

T = TypeVar("T")

# A cached figure lives at most this long, whatever happens to its version.
CACHE_SECONDS = 24 * 3600


def _key(name: str) -> str:
    return f"data-version:{name}"


def _fresh() -> int:
    # A version lost with the cache starts again from the clock, far above any value it had
    # (one bump per nanosecond would be needed to catch up), so an old entry is never reused.
    return time.time_ns()


def current(*names: str) -> str:
    """The versions of `names`, joined for a cache key (one cache read)."""
    keys = [_key(name) for name in names]
    found = cache.get_many(keys)
    missing = {key: _fresh() for key in keys if key not in found}
    for key, value in missing.items():
        if not cache.add(key, value, timeout=None):
            missing[key] = cache.get(key, value)
    values = {**found, **missing}
    return "-".join(str(values[key]) for key in keys)


def _bump(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:  # not in the cache (never set, or evicted)
        cache.set(_key(name), _fresh(), timeout=None)


class _BumpOnCommit:
    """The one callback a transaction registers for its bumps, however many writes it makes."""

    is_data_version_bump = True  # tests counting the callbacks a service registers leave it out

    def __init__(self) -> None:
        self.names: set[str] = set()

    def __call__(self) -> None:
        for name in sorted(self.names):
            _bump(name)


def _pending(using: str | None) -> _BumpOnCommit:
    connection = transaction.get_connection(using)
    # Still registered? (a rolled-back savepoint drops the callbacks registered inside it)
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _BumpOnCommit):
            return callback
    callback = _BumpOnCommit()
    transaction.on_commit(callback, using=using)
    return callback


def bump(*names: str, using: str | None = None) -> None:
    """Say that the data of `names` changed: now (a read later in the same transaction sees the
    change) and again when the transaction commits (outside one, `on_commit` runs at once)."""
    for name in names:
        _bump(name)
    if transaction.get_connection(using).in_atomic_block:
        _pending(using).names.update(names)


def without_bumps(callbacks: list) -> list:
    """The on-commit callbacks other than the data versions' (for tests that count them)."""
    return [callback for callback in callbacks if not getattr(callback, "is_data_version_bump", False)]


def versioned(key: str, names: tuple[str, ...]) -> str:
    """`key` at the current versions of `names`: a key no later change of their data can reuse."""
    return f"{key}@{current(*names)}"


def cached(key: str, names: tuple[str, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or its result already cached for `key` at the current versions of `names`."""
    return cached_at(versioned(key, names), compute)


def cached_at(full_key: str, compute: Callable[[], T]) -> T:
    """`compute()`, or its result cached under `full_key` (made by `versioned`)."""
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value
