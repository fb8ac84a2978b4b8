"""Who may build, answer and read the results of a survey."""

from people.models import Role
from people.permissions import is_coordinator, is_manager


def can_manage_surveys(user) -> bool:
    return is_coordinator(user)


def can_see_surveys(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def in_audience(user, survey) -> bool:
    """Everyone, or the survey's teams and/or roles (a person matching either is in)."""
    if not (user.is_authenticated and user.is_active):
        return False
    teams = {team.pk for team in survey.audience_teams.all()}
    roles = set(survey.audience_roles or [])
    if not teams and not roles:
        return True
    return (user.team_id in teams) or bool(roles & set(user.roles))


def can_see_results(user, survey) -> bool:
    """Coordinators see every slice; managers their teams' slices (above the threshold)."""
    if survey.is_draft:
        return False
    return is_coordinator(user) or is_manager(user)


def role_label(user) -> str:
    for role in (Role.COORDINATOR, Role.MANAGER, Role.AGENT):
        if role in user.roles:
            return str(role)
    return ""
