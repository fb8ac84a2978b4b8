"""The shell wires sections of lower apps into the recap and the coordinator's dashboard, so
insights need not know surveys and surveys need not know insights."""

from django.utils import timezone

from insights.sections import COORDINATOR_DASHBOARD_SECTIONS, RECAP_SECTIONS, Section
from surveys.selectors import week_summaries


def _survey_summaries(week, viewer) -> dict | None:
    summaries = week_summaries(week=week, viewer=viewer, now=timezone.now())
    return {"survey_summaries": summaries} if summaries else None


def register() -> None:
    for sections in (RECAP_SECTIONS, COORDINATOR_DASHBOARD_SECTIONS):
        sections.register(
            Section(key="surveys", template="surveys/_summary_section.html", context=_survey_summaries)
        )
