"""The one place that answers "may this person plan, see or join that activity?"."""

from events.models import Activity
from people import permissions as people_permissions


def can_plan(user) -> bool:
    """Create, edit, publish and clone weeks and their activities: coordinators only."""
    return people_permissions.is_coordinator(user)


def is_in_audience(user, activity: Activity, audience_team_ids: set[int] | None = None) -> bool:
    """Everyone when no team is chosen, else the members of the chosen teams."""
    if audience_team_ids is None:
        audience_team_ids = {team.pk for team in activity.audience_teams.all()}
    return not audience_team_ids or user.team_id in audience_team_ids


def can_attend(user, activity: Activity) -> bool:
    """Sign up: a published week, and the person is in the audience (hosts included when they are)."""
    return (
        user.is_authenticated
        and user.is_active
        and activity.week.is_published
        and is_in_audience(user, activity)
    )


def can_see_registrants(user, activity: Activity) -> bool:
    """The list of who signed up (and its CSV export): coordinators and the activity's host."""
    return can_plan(user) or (user.is_authenticated and user.is_active and activity.host_id == user.pk)


def can_mark_attendance(user, activity: Activity) -> bool:
    """Tick the register: the same people who see it, coordinators and the host."""
    return can_see_registrants(user, activity)
