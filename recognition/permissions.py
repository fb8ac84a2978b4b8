"""The one place that answers "may this person act on that nomination or award?"."""

from django.db.models import Q

from people.models import User
from people.permissions import is_coordinator, is_manager, manages
from recognition.models import Nomination


def can_nominate(user) -> bool:
    """Every signed-in, active person may send kudos."""
    return bool(user.is_authenticated and user.is_active)


def can_view_wall(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_open_review(user) -> bool:
    """The review queue is for managers and coordinators."""
    return is_coordinator(user) or is_manager(user)


def review_filter(user) -> Q:
    """A filter on Nomination for what `user` may review: coordinators all, a manager their people.

    Nobody reviews a nomination they sent themselves, nor one about themselves.
    """
    if is_coordinator(user):
        return ~Q(nominator=user) & ~Q(nominee=user)
    if is_manager(user):
        return Q(nominee__team__managers=user) & ~Q(nominator=user) & ~Q(nominee=user)
    return Q(pk__in=[])


def can_review(user, nomination: Nomination) -> bool:
    if user.pk in (nomination.nominator_id, nomination.nominee_id):
        return False
    return is_coordinator(user) or manages(user, nomination.nominee)


def can_react(user, nomination: Nomination) -> bool:
    """Announced awards of published weeks only: an award under embargo is not on the wall yet."""
    return (
        can_view_wall(user)
        and nomination.status == Nomination.Status.APPROVED
        and nomination.announced_at is not None
        and nomination.week.status == nomination.week.Status.PUBLISHED
    )


def can_manage_categories(user) -> bool:
    """Award categories, their windows and announcement moments are the coordinators'."""
    return is_coordinator(user)


def embargo_filter(user) -> Q:
    """A filter on approved Nomination for the awards `user` may see.

    Announced awards are everyone's. An award under embargo (approved, not announced yet) is seen
    by coordinators and by the managers of its nominee's team (its reviewers), never by the
    nominee (unless its category tells them early) nor by anyone else.
    """
    public = Q(announced_at__isnull=False)
    if not getattr(user, "is_authenticated", False):
        return public
    told = Q(nominee=user, category__tell_nominee_early=True)
    if is_coordinator(user):
        return public | ~Q(nominee=user) | told
    if is_manager(user):
        return public | (Q(nominee__team_id__in=user.managed_teams.values("pk")) & ~Q(nominee=user)) | told
    return public | told


def can_export_awards(user) -> bool:
    return is_coordinator(user)


def can_announce_awards(user) -> bool:
    return is_coordinator(user)


def managers_of(person: User) -> list[User]:
    """The active managers who are told when `person` is nominated."""
    if person.team_id is None:
        return []
    return list(
        person.team.managers.filter(is_active=True).exclude(pk=person.pk).order_by("first_name", "last_name")
    )


def can_manage_award_photos(user) -> bool:
    """Add, replace or remove an award's photo: coordinators (they run the ceremony)."""
    return is_coordinator(user)


def _manages_nominee(user, award: Nomination, managed_team_ids: frozenset[int] | None) -> bool:
    if user.pk == award.nominee_id:
        return False
    if managed_team_ids is None:
        return manages(user, award.nominee)
    return award.nominee.team_id is not None and award.nominee.team_id in managed_team_ids


def can_view_certificate(user, award: Nomination, *, managed_team_ids: frozenset[int] | None = None) -> bool:
    """The nominee, their managers and the coordinators, once the award is announced; before that,
    the coordinators and the nominee's managers only (to print it for the ceremony), never the
    nominee, who must not learn of it early. `managed_team_ids` spares a query per award in lists.
    """
    if not (user.is_authenticated and user.is_active) or award.status != Nomination.Status.APPROVED:
        return False
    if award.announced_at is not None and user.pk == award.nominee_id:
        return True
    if is_coordinator(user) and user.pk != award.nominee_id:
        return True
    return _manages_nominee(user, award, managed_team_ids)


def can_view_award(user, award: Nomination, *, managed_team_ids: frozenset[int] | None = None) -> bool:
    """Who may see an award (and its photo): everyone signed in once it is announced in a published
    week; before that the coordinators and the nominee's managers, and the nominee only when the
    category tells them early (as `embargo_filter`)."""
    if not (user.is_authenticated and user.is_active) or award.status != Nomination.Status.APPROVED:
        return False
    if award.announced_at is not None and award.week.status == award.week.Status.PUBLISHED:
        return True
    if user.pk == award.nominee_id:
        return award.category.tell_nominee_early
    if is_coordinator(user) and user.pk != award.nominee_id:
        return True
    return _manages_nominee(user, award, managed_team_ids)
