"""Sections other apps add to the recap and to the coordinator's dashboard, without insights
importing them (the shell registers the surveys' summary here: csweek/sections.py).

A section is a template name and a function `(week, viewer) -> dict | None` giving its context
(None: nothing to show). Keep each to one or two queries: the pages have a fixed budget.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100


class Sections:
    def __init__(self) -> None:
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> Section:
        self._sections[section.key] = section
        return section

    def render_list(self, week, viewer) -> list[tuple[str, dict]]:
        """(template, context) for every section with something to show, in order."""
        shown = []
        for section in sorted(self._sections.values(), key=lambda s: (s.order, s.key)):
            context = section.context(week, viewer)
            if context is not None:
                shown.append((section.template, context))
        return shown


RECAP_SECTIONS = Sections()
COORDINATOR_DASHBOARD_SECTIONS = Sections()
