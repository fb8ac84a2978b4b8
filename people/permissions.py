"""The one place that answers "may this person act on that one?" for people and teams."""

from django.db.models import Q

from people.models import Role, User


def is_coordinator(user) -> bool:
    """A signed-in, active coordinator (or superuser)."""
    return bool(user.is_authenticated and user.is_active and user.is_coordinator)


def is_manager(user) -> bool:
    """A signed-in, active member of the Manager role (whether or not they manage a team yet)."""
    return bool(user.is_authenticated and user.is_active and Role.MANAGER in user.roles)


def manages(manager, person: User) -> bool:
    """A manager manages the members of the teams they manage (not themselves)."""
    if not is_manager(manager) or person.team_id is None or person.pk == manager.pk:
        return False
    return manager.managed_teams.filter(pk=person.team_id).exists()


def people_visible_filter(user) -> Q:
    """A filter on User for the people `user` may see in the people pages (as can_view_person)."""
    if is_coordinator(user):
        return Q()
    if is_manager(user):
        return Q(team__managers=user) & ~Q(pk=user.pk)
    return Q(pk__in=[])


# Kept for callers that knew it by this name.
managed_people_filter = people_visible_filter


def can_view_people(user) -> bool:
    """Open the people list: coordinators see everyone, managers the members of their teams."""
    return is_coordinator(user) or is_manager(user)


def can_view_person(user, person: User) -> bool:
    return is_coordinator(user) or manages(user, person)


def can_manage_people(user) -> bool:
    """Invite, edit and import people: coordinators only."""
    return is_coordinator(user)


def can_edit_person(user, person: User) -> bool:
    """Coordinators edit anyone but a site administrator (only another superuser may: otherwise a
    coordinator could deactivate every superuser); a manager sees their people but does not edit them."""
    return is_coordinator(user) and (user.is_superuser or not person.is_superuser)


def can_invite(user) -> bool:
    return is_coordinator(user)


def can_import_staff(user) -> bool:
    return is_coordinator(user)


def can_manage_teams(user) -> bool:
    """Create, rename, staff and delete teams: coordinators only."""
    return is_coordinator(user)


def can_demote_or_deactivate(user, person: User) -> bool:
    """Change someone's role away from Coordinator or deactivate them: never oneself, so a
    coordinator cannot lock themself out (another coordinator must do it)."""
    return can_edit_person(user, person) and person.pk != user.pk
