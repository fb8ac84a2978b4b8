"""The menu's building block: each app lists its entries in `<app>/navigation.py` as `ENTRIES`."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse


def everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class NavEntry:
    """One link in the main menu. `order` places it among every app's entries (lower comes first);
    `visible(user)` says who sees it; `group` gathers related links (Plan, Recognition, People...)."""

    label: str
    url_name: str
    group: str
    order: int
    visible: Callable[..., bool] = everyone
    # Regular expressions of other paths that are this entry's pages (matched from the start), for
    # pages that live under another entry's prefix: /weeks/2027/categories/ is "Award categories".
    owns: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def owns_path(self, path: str) -> bool:
        return any(re.match(pattern, path) for pattern in self.owns)


class Navigation:
    """The entries of every app, in menu order."""

    def __init__(self) -> None:
        self._entries: list[NavEntry] = []

    def register(self, entries: Iterable[NavEntry]) -> None:
        for entry in entries:
            if any(known.url_name == entry.url_name for known in self._entries):
                continue  # registering twice (a module imported again) must not double the menu
            self._entries.append(entry)
        self._entries.sort(key=lambda entry: entry.order)

    def entries(self) -> list[NavEntry]:
        return list(self._entries)

    def for_user(self, user) -> list[NavEntry]:
        return [entry for entry in self._entries if entry.visible(user)]
