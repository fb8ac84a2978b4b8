"""Read-only queries for people pages, already filtered by who is asking."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Prefetch, Q, QuerySet

from people import permissions
from people.models import Role, Team, User


def people_visible_to(user: User) -> QuerySet[User]:
    """People `user` may see in the people pages: everyone for a coordinator, their teams for a manager."""
    if not permissions.can_view_people(user):
        return User.objects.none()
    # A person has one team, so the join through team managers never repeats a row.
    return (
        User.objects.filter(permissions.people_visible_filter(user))
        .select_related("team")
        .prefetch_related("groups")
    )


def teams_visible_to(user: User) -> QuerySet[Team]:
    """Teams offered in the people filter: all of them for a coordinator, the managed ones for a manager."""
    if permissions.is_coordinator(user):
        return Team.objects.order_by("name")
    if permissions.is_manager(user):
        return user.managed_teams.order_by("name")
    return Team.objects.none()


def people_search(
    *, viewer: User, query: str = "", team_id: int | None = None, role: str = "", status: str = ""
) -> QuerySet[User]:
    qs = people_visible_to(viewer)
    if query:
        for word in query.split():
            qs = qs.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(display_name__icontains=word)
            )
    if team_id:
        qs = qs.filter(team_id=team_id)
    if role in Role.values:
        qs = qs.filter(groups__name=role)
    # The three statuses match the words in the list: Active, Invited (not joined yet), Inactive.
    if status == "active":
        qs = qs.filter(is_active=True).exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    elif status == "invited":
        qs = qs.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
    return qs.order_by("first_name", "last_name", "email")


def teams_with_counts() -> QuerySet[Team]:
    return (
        Team.objects.annotate(member_count=Count("members", filter=Q(members__is_active=True), distinct=True))
        .prefetch_related(Prefetch("managers", queryset=User.objects.order_by("first_name", "last_name")))
        .order_by("name")
    )


def manager_candidates() -> QuerySet[User]:
    """People who may be named a team's manager: managers and coordinators."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[Role.MANAGER, Role.COORDINATOR])
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def person_for_viewer(*, viewer: User, pk: int) -> User | None:
    """The person with `pk` if `viewer` may see them; None otherwise (a 404, never a hint)."""
    return people_visible_to(viewer).filter(pk=pk).first()


def team_by_pk(pk: int) -> Team | None:
    return Team.objects.filter(pk=pk).first()


def calendar_owner(token: str) -> User | None:
    """The active person whose private calendar feed `token` opens."""
    return User.objects.filter(calendar_token=token, is_active=True).first()


def teams_managed_by(user: User) -> QuerySet[Team]:
    return user.managed_teams.order_by("name")


def photo_of(*, pk: int) -> str:
    """The stored name of a person's profile photo ("" when none); an inactive person's photo still
    shows beside their name in the lists coordinators read."""
    return User.objects.filter(pk=pk).values_list("photo", flat=True).first() or ""
