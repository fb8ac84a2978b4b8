"""Reads for the reports, the recap and the dashboards, already narrowed to who is asking."""

import datetime
import zoneinfo

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from csweek.core import versions
from events.models import Week
from events.selectors import weeks_visible_to
from insights import dashboards, permissions
from insights.deliveries import WEEK_RECAP
from insights.models import WeekRecap
from insights.recap import Recap, build_recap
from insights.reports import Report, build_report, weeks_for_report
from insights.sections import COORDINATOR_DASHBOARD_SECTIONS
from outbox.deliveries import ANNOUNCEMENTS
from outbox.selectors import opted_in, without_delivery
from outbox.services import email_preview
from people import permissions as people_permissions
from people.models import User
from people.selectors import teams_managed_by


def report_team_ids(viewer: User) -> list[int] | None:
    """None for every team (coordinators), else the teams the manager manages."""
    if permissions.sees_all_teams(viewer):
        return None
    return list(teams_managed_by(viewer).values_list("pk", flat=True))


def report_for(*, viewer: User, year: int) -> Report | None:
    """The report of the week of `year` as `viewer` may see it, or None (no such week for them)."""
    if not permissions.can_view_reports(viewer):
        return None
    week, previous, years = weeks_for_report(visible=weeks_visible_to(viewer), year=year)
    if week is None:
        return None
    team_ids = report_team_ids(viewer)
    report = _cached_report(week=week, previous=previous, team_ids=team_ids)
    report.years = years
    return report


# Bumped when the shape of a cached Report or Recap changes, or how a figure in it is counted, so
# no process reads an older one (2: attendance counts confirmed sign-ups only).
CACHE_SCHEMA = 2


def _cached_report(*, week: Week, previous: Week | None, team_ids: list[int] | None) -> Report:
    """build_report's figures, computed once per version of the data they read (the week data,
    and for coordinators the outbox's): the aggregates over both years' sign-ups cost far more
    than a page."""
    names = (versions.WEEK_DATA, versions.SIGNUPS)
    if team_ids is None:
        names += (versions.DELIVERIES,)
    teams = "all" if team_ids is None else ",".join(map(str, sorted(team_ids)))
    key = versions.versioned(
        f"insights:report:{CACHE_SCHEMA}:{week.pk}:{previous.pk if previous else 0}:{teams}", names
    )
    report = versions.cached_at(key, lambda: build_report(week=week, previous=previous, team_ids=team_ids))
    # The page caches its rendered figures under the same key: same data, same HTML.
    report.cache_key = key
    return report


def report_years(viewer: User) -> list[int]:
    return list(weeks_visible_to(viewer).order_by("-year").values_list("year", flat=True))


def week_ends_at(week: Week) -> datetime.datetime:
    """The end of the week's Friday in the week's own zone: when its recap is built."""
    zone = zoneinfo.ZoneInfo(week.time_zone)
    return datetime.datetime.combine(week.ends_on + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)


def week_is_over(week: Week, *, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= week_ends_at(week)


def recap_of(week: Week) -> WeekRecap | None:
    return WeekRecap.objects.filter(week=week).select_related("sent_by").first()


def recap_week_for(*, viewer: User, year: int) -> Week | None:
    """The week whose recap `viewer` may open: once it is over, anyone who may see the week;
    before, coordinators only (as a preview)."""
    week = weeks_visible_to(viewer).filter(year=year).first()
    if week is None:
        return None
    if week_is_over(week) or permissions.can_manage_recap(viewer):
        return week
    return None


def recap_for(week: Week) -> Recap:
    """build_recap's figures, computed once per version of the week data."""
    key = f"insights:recap:{CACHE_SCHEMA}:{week.pk}"
    return versions.cached(key, (versions.WEEK_DATA, versions.SIGNUPS), lambda: build_recap(week))


def recap_recipients(recap: WeekRecap | None) -> QuerySet[User]:
    """Active people who keep announcements on and have not had this recap yet."""
    people = opted_in(get_user_model().objects.filter(is_active=True), ANNOUNCEMENTS.key)
    if recap is None or recap.pk is None:
        return people
    return without_delivery(people, kind=WEEK_RECAP.name, about=recap)


def recap_email_preview(*, week: Week, recap: WeekRecap | None, viewer: User) -> tuple[str, str] | None:
    """The recap email's subject and text as `viewer` would get it; nothing is written."""
    return email_preview(kind=WEEK_RECAP.name, recipient=viewer, about=recap or WeekRecap(week=week))


def _cached_manager_panel(user: User, week: Week | None) -> dashboards.ManagerPanel:
    """The manager's panel reads only the week data (their teams' sign-ups by day, who has not
    signed up, awards, the review queue): computed once per version of it."""
    key = f"insights:manager-panel:{CACHE_SCHEMA}:{user.pk}:{week.pk if week else 0}"
    names = (versions.WEEK_DATA, versions.SIGNUPS)
    return versions.cached(key, names, lambda: dashboards.manager_panel(user, week))


def dashboard_for(user: User) -> dict:
    """Everything the dashboard shows `user`: one panel per role they hold, plus the sections
    other apps registered for coordinators."""
    today = dashboards.local_today(user)
    week = dashboards.dashboard_week(user, today=today)
    is_coordinator = permissions.can_manage_recap(user)
    is_manager = people_permissions.is_manager(user)
    context = {
        "week": week,
        "today": today,
        "agent": dashboards.agent_panel(user, week, today=today, full=not (is_coordinator or is_manager)),
        "manager": _cached_manager_panel(user, week) if is_manager else None,
        "coordinator": dashboards.coordinator_panel(week) if is_coordinator else None,
        "sections": COORDINATOR_DASHBOARD_SECTIONS.render_list(week, user) if is_coordinator else [],
        "recap_open": week is not None and week_is_over(week),
    }
    return context
