"""Read-only queries for recognition pages, already filtered by who is asking."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from events.models import Week
from outbox.selectors import opted_in
from people.models import Team, User
from people.permissions import is_coordinator, is_manager
from recognition import permissions
from recognition.models import AwardCategory, Nomination, Reaction

PERSON_SEARCH_LIMIT = 10


def categories_open(*, now: datetime.datetime | None = None) -> QuerySet[AwardCategory]:
    """Categories of published weeks taking nominations right now (not retired ones)."""
    now = now or timezone.now()
    return (
        AwardCategory.objects.filter(
            week__status=Week.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now, retired_at__isnull=True
        )
        .select_related("week")
        .order_by("week__year", "position", "name")
    )


def people_search(*, viewer: User, query: str) -> list[User]:
    """Colleagues to nominate whose name (or address) matches every word typed; never the viewer."""
    words = query.split()
    if not words:
        return []
    qs = User.objects.filter(is_active=True).exclude(pk=viewer.pk).select_related("team")
    for word in words:
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(display_name__icontains=word)
            | Q(email__istartswith=word)
        )
    return list(qs.order_by("first_name", "last_name", "email")[:PERSON_SEARCH_LIMIT])


def _with_people(qs: QuerySet[Nomination]) -> QuerySet[Nomination]:
    return qs.select_related("nominator", "nominee", "nominee__team", "category", "week", "reviewed_by")


def nominations_sent_by(user: User) -> QuerySet[Nomination]:
    return _with_people(Nomination.objects.filter(nominator=user)).order_by("-created_at", "-pk")


def nomination_of_nominator(*, user: User, pk: int) -> Nomination | None:
    return _with_people(Nomination.objects.filter(nominator=user, pk=pk)).first()


def awards_received_by(user: User) -> QuerySet[Nomination]:
    """The nominee's awards once announced (or once approved, where the category tells them early).

    Declined, withdrawn and pending nominations are never listed to them."""
    return _with_people(
        Nomination.objects.filter(nominee=user, status=Nomination.Status.APPROVED).filter(
            permissions.embargo_filter(user)
        )
    ).order_by("-reviewed_at", "-pk")


def nominations_pending_about_count(user: User) -> int:
    return Nomination.objects.filter(nominee=user, status=Nomination.Status.SUBMITTED).count()


# --- Review -----------------------------------------------------------------------------------


def reviewable_by(user: User) -> QuerySet[Nomination]:
    """Every nomination `user` may review (any status); a guessed id outside it is a 404."""
    if not permissions.can_open_review(user):
        return Nomination.objects.none()
    # A person has one team, so the join through its managers never repeats a row for one manager.
    return _with_people(Nomination.objects.filter(permissions.review_filter(user)))


def nomination_for_reviewer(*, user: User, pk: int) -> Nomination | None:
    return reviewable_by(user).filter(pk=pk).first()


def review_queue(
    *,
    user: User,
    status: str = Nomination.Status.SUBMITTED,
    category_name: str = "",
    team_id: int | None = None,
) -> QuerySet[Nomination]:
    """The queue, oldest first; the category filter is by name so it spans the weeks."""
    qs = reviewable_by(user)
    if status in Nomination.Status.values:
        qs = qs.filter(status=status)
    if category_name:
        qs = qs.filter(category__name=category_name)
    if team_id:
        qs = qs.filter(nominee__team_id=team_id)
    return qs.order_by("created_at", "pk")


def review_teams(user: User) -> QuerySet[Team]:
    if is_coordinator(user):
        return Team.objects.order_by("name")
    if is_manager(user):
        return user.managed_teams.order_by("name")
    return Team.objects.none()


def teams_all() -> QuerySet[Team]:
    return Team.objects.order_by("name")


def category_names() -> list[str]:
    return list(AwardCategory.objects.order_by("name").values_list("name", flat=True).distinct())


@dataclass
class ReviewNotes:
    """Why a nomination is eligible, and what a reviewer should know before approving it."""

    eligible: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def review_notes(nominations: list[Nomination]) -> dict[int, ReviewNotes]:
    """Notes for a page of nominations in three queries, however long the page is."""
    if not nominations:
        return {}
    nominee_ids = {n.nominee_id for n in nominations}
    week_ids = {n.week_id for n in nominations}
    years = {n.week.year - 1 for n in nominations}
    awarded_this_week = {}
    for nominee_id, week_id, category_name, pk in Nomination.objects.filter(
        status=Nomination.Status.APPROVED, nominee_id__in=nominee_ids, week_id__in=week_ids
    ).values_list("nominee_id", "week_id", "category__name", "pk"):
        awarded_this_week.setdefault((nominee_id, week_id), []).append((pk, category_name))
    last_year_wins = set(
        Nomination.objects.filter(
            status=Nomination.Status.APPROVED,
            nominee_id__in=nominee_ids,
            week__year__in=years,
            category__name__in={n.category.name for n in nominations},
        ).values_list("nominee_id", "week__year", "category__name")
    )
    # Counted from the nominations' side: an index-only scan of (category, status), where joining
    # from the categories read every nomination of the week (5 ms at 10,000 people).
    award_counts = dict(
        Nomination.objects.filter(
            category_id__in={n.category_id for n in nominations if n.category.award_limit is not None},
            status=Nomination.Status.APPROVED,
        )
        .values("category_id")
        .annotate(awards=Count("pk"))
        .values_list("category_id", "awards")
        .order_by()
    )
    notes = {}
    for n in nominations:
        note = ReviewNotes()
        note.eligible.append(
            f"Sent by {'a colleague' if n.anonymous else n.nominator.name} while {n.category.name} "
            "was open (not a self-nomination)."
        )
        if n.nominee.team_id:
            note.eligible.append(f"{n.nominee.name} is in {n.nominee.team.name}.")
        if n.evidence_quote:
            note.eligible.append("Backed by the customer's own words.")
        others = [name for pk, name in awarded_this_week.get((n.nominee_id, n.week_id), []) if pk != n.pk]
        if others:
            note.warnings.append(
                f"{n.nominee.name} already has an award this week: {', '.join(sorted(others))}."
            )
        if (n.nominee_id, n.week.year - 1, n.category.name) in last_year_wins:
            note.warnings.append(f"Repeat winner: {n.nominee.name} won {n.category.name} last year.")
        limit = n.category.award_limit
        if limit is not None and award_counts.get(n.category_id, 0) >= limit:
            note.warnings.append(
                f"{n.category.name} has reached its limit of {limit} award{'s' if limit != 1 else ''} "
                "this week: it cannot be approved unless a coordinator raises the limit."
            )
        notes[n.pk] = note
    return notes


# --- The wall ---------------------------------------------------------------------------------


def wall_weeks() -> QuerySet[Week]:
    return Week.objects.filter(status=Week.Status.PUBLISHED).order_by("-year")


def wall_week_current(*, today: datetime.date | None = None) -> Week | None:
    """The latest published week that has started; before the first one, the next one."""
    today = today or timezone.localdate()
    weeks = wall_weeks()
    return weeks.filter(starts_on__lte=today).first() or weeks.order_by("year").first()


WALL_PAGE_SIZE = 20


def awards_for_wall(
    *, viewer: User, week: Week, category_name: str = "", team_id: int | None = None
) -> QuerySet[Nomination]:
    """Awards of `week` the viewer may see (the embargo), newest first, with the viewer's own reaction."""
    if not permissions.can_view_wall(viewer):
        return Nomination.objects.none()
    qs = Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED).filter(
        permissions.embargo_filter(viewer)
    )
    if category_name:
        qs = qs.filter(category__name=category_name)
    if team_id:
        qs = qs.filter(nominee__team_id=team_id)
    # Reactions are counted by reactions_fill for the awards shown, never for the whole week.
    mine = Reaction.objects.filter(nomination=OuterRef("pk"), user=viewer).values("kind")[:1]
    return (
        qs.select_related("nominator", "nominee", "nominee__team", "category", "week")
        .annotate(my_reaction=Subquery(mine))
        .order_by("-reviewed_at", "-pk")
    )


def reactions_fill(awards: list[Nomination]) -> list[Nomination]:
    """Set `<kind>_count` on each of these awards, in one grouped query over their reactions only."""
    counts: dict[tuple[int, str], int] = {}
    if awards:
        rows = (
            Reaction.objects.filter(nomination_id__in=[a.pk for a in awards])
            .values_list("nomination_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts = {(nomination_id, kind): n for nomination_id, kind, n in rows}
    for award in awards:
        for kind in Reaction.Kind.values:
            setattr(award, f"{kind}_count", counts.get((award.pk, kind), 0))
    return awards


def wall_page(
    *,
    viewer: User,
    week: Week | None,
    number: str | None,
    category_name: str = "",
    team_id: int | None = None,
) -> Page:
    """One page of the wall (WALL_PAGE_SIZE awards): the page is taken first, then its reactions counted."""
    awards = (
        awards_for_wall(viewer=viewer, week=week, category_name=category_name, team_id=team_id)
        if week
        else Nomination.objects.none()
    )
    page = Paginator(awards, WALL_PAGE_SIZE).get_page(number)
    page.object_list = reactions_fill(list(page.object_list))
    return page


def award_for_wall(*, viewer: User, pk: int) -> Nomination | None:
    """One award with its counts (for the htmx reaction fragment); anything else is None."""
    award = (
        Nomination.objects.filter(pk=pk, status=Nomination.Status.APPROVED, week__in=wall_weeks())
        .select_related("week")
        .first()
    )
    if award is None or not permissions.can_view_wall(viewer):
        return None
    shown = awards_for_wall(viewer=viewer, week=award.week).filter(pk=pk).first()
    return reactions_fill([shown])[0] if shown is not None else None


# --- Emails -----------------------------------------------------------------------------------


def nomination_with_people(*, pk: int) -> Nomination | None:
    """One nomination with everyone an email about it names (no permission filter: emails only)."""
    return _with_people(Nomination.objects.filter(pk=pk)).first()


def nominations_waiting_for(manager: User) -> list[Nomination]:
    """Submitted nominations about the people `manager` manages, oldest first (the digest's list)."""
    if not is_manager(manager):
        return []
    return list(
        _with_people(
            Nomination.objects.filter(status=Nomination.Status.SUBMITTED, nominee__team__managers=manager)
            .exclude(nominator=manager)
            .exclude(nominee=manager)
        ).order_by("created_at", "pk")
    )


def categories_opening(
    *, week: Week, opens_at: datetime.datetime, now: datetime.datetime
) -> list[AwardCategory]:
    """The week's categories still open now, or [] when none of those opening at `opens_at` still is."""
    open_now = list(
        week.award_categories.filter(opens_at__lte=now, closes_at__gt=now).order_by("position", "name")
    )
    if not any(category.opens_at == opens_at for category in open_now):
        return []
    return open_now


def categories_closing(
    *, week: Week, closes_at: datetime.datetime, now: datetime.datetime
) -> list[AwardCategory]:
    """The week's categories closing at `closes_at` and still open now."""
    return list(
        week.award_categories.filter(opens_at__lte=now, closes_at=closes_at, closes_at__gt=now).order_by(
            "position", "name"
        )
    )


def awards_announced_at(*, week: Week, announced_at: datetime.datetime) -> list[Nomination]:
    """The awards one announcement batch made public, in category order."""
    return list(
        _with_people(
            Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED, announced_at=announced_at)
        ).order_by("category__position", "category__name", "nominee__first_name", "nominee__last_name", "pk")
    )


def active_person(pk: int) -> User | None:
    """Someone who may be nominated (active), with their team."""
    return User.objects.filter(pk=pk, is_active=True).select_related("team").first()


def reviewable_among(*, viewer, ids: list[int]) -> list[Nomination]:
    """The nominations among `ids` that `viewer` may review, oldest first."""
    return list(reviewable_by(viewer).filter(pk__in=ids).order_by("created_at", "pk"))


def wall_week_of_year(year: int) -> Week | None:
    return wall_weeks().filter(year=year).first()


def no_awards() -> QuerySet[Nomination]:
    return Nomination.objects.none()


def week_category_names(week: Week) -> list[str]:
    return list(week.award_categories.values_list("name", flat=True))


def awards_for_export(*, week: Week, viewer: User) -> QuerySet[Nomination]:
    """Every approved nomination of `week` `viewer` may see, with what the CSV export shows, by
    category: a coordinator's own award under embargo stays out of their export."""
    return (
        Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED)
        .filter(permissions.embargo_filter(viewer))
        .select_related("category", "nominee", "nominee__team", "nominator")
        .order_by("category__position", "category__name", "reviewed_at")
    )


# --- Categories (coordinators) ---------------------------------------------------------------

CATEGORIES_PAGE_SIZE = 50


def week_of_year(year: int) -> Week | None:
    """Any week, draft or published (coordinators plan both)."""
    return Week.objects.filter(year=year).first()


def categories_of_week(week: Week) -> QuerySet[AwardCategory]:
    """The week's categories in their order, with what each has received, given and still holds back."""
    return (
        week.award_categories.annotate(
            nominations_count=Count(
                "nominations", filter=~Q(nominations__status=Nomination.Status.WITHDRAWN)
            ),
            awards_count=Count("nominations", filter=Q(nominations__status=Nomination.Status.APPROVED)),
            waiting_count=Count(
                "nominations",
                filter=Q(
                    nominations__status=Nomination.Status.APPROVED, nominations__announced_at__isnull=True
                ),
            ),
        )
        .select_related("week")
        .order_by("position", "name", "pk")
    )


def week_for_categories(*, today: datetime.date | None = None) -> Week | None:
    """The week a coordinator most likely plans categories for: the next one not over yet, else the latest."""
    today = today or timezone.localdate()
    return (
        Week.objects.filter(ends_on__gte=today).order_by("starts_on").first()
        or Week.objects.order_by("-year").first()
    )


def category_of_week(*, week: Week, pk: int) -> AwardCategory | None:
    return week.award_categories.select_related("week").filter(pk=pk).first()


def library_unused(*, week: Week, library: list[tuple]) -> list[tuple]:
    """The library's categories this week does not have yet (by name)."""
    names = {name.lower() for name in week.award_categories.values_list("name", flat=True)}
    return [entry for entry in library if entry[0].lower() not in names]


def awards_waiting(*, week: Week, category: AwardCategory | None = None) -> QuerySet[Nomination]:
    """Approved awards not announced yet, of one category or of the whole week, in category order."""
    qs = Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED, announced_at__isnull=True)
    if category is not None:
        qs = qs.filter(category=category)
    return _with_people(qs).order_by(
        "category__position", "category__name", "nominee__first_name", "nominee__last_name", "pk"
    )


def announcement_recipients_count(*, week: Week, category: AwardCategory | None = None) -> int:
    """How many people announcing now would email, each person once: the nominees (but those their
    category told at approval) and nominators of the awards held back who keep recognition emails
    on, and (for a published week) everyone who keeps nomination news on."""
    waiting = awards_waiting(week=week, category=category)
    active = User.objects.filter(is_active=True)
    personal = opted_in(
        active.filter(
            Q(pk__in=waiting.exclude(category__tell_nominee_early=True).values("nominee_id"))
            | Q(pk__in=waiting.values("nominator_id"))
        ),
        "email_recognition",
    )
    people = Q(pk__in=personal.values("pk"))
    if week.is_published:
        people |= Q(pk__in=opted_in(active, "email_nomination_news").values("pk"))
    return User.objects.filter(people).count()


# --- Certificates and photos ------------------------------------------------------------------


def award_for_certificate(*, viewer: User, pk: int) -> Nomination | None:
    """An award whose certificate `viewer` may open; None (a 404) for anything else, so a guessed
    id tells nothing about awards not announced yet."""
    award = _with_people(Nomination.objects.filter(pk=pk, status=Nomination.Status.APPROVED)).first()
    if award is None or not permissions.can_view_certificate(viewer, award):
        return None
    return award


def award_for_photo(*, viewer: User, pk: int) -> Nomination | None:
    """An award whose photo `viewer` may see (the award's own visibility)."""
    award = _with_people(Nomination.objects.filter(pk=pk, status=Nomination.Status.APPROVED)).first()
    if award is None or not permissions.can_view_award(viewer, award):
        return None
    return award


def award_for_photo_edit(*, viewer: User, pk: int) -> Nomination | None:
    if not permissions.can_manage_award_photos(viewer):
        return None
    return _with_people(Nomination.objects.filter(pk=pk, status=Nomination.Status.APPROVED)).first()


def managed_team_ids(viewer: User) -> frozenset[int]:
    """The teams `viewer` manages, read once for a whole list of awards."""
    if not is_manager(viewer):
        return frozenset()
    return frozenset(viewer.managed_teams.values_list("pk", flat=True))


def award_links(*, viewer: User, awards: list[Nomination]) -> list[Nomination]:
    """Set `can_certificate` and `can_see_photo` on each award shown, in at most one query (the
    viewer's managed teams) however many awards there are."""
    teams = managed_team_ids(viewer) if awards else frozenset()
    for award in awards:
        award.can_certificate = permissions.can_view_certificate(viewer, award, managed_team_ids=teams)
        award.can_see_photo = bool(award.photo) and permissions.can_view_award(
            viewer, award, managed_team_ids=teams
        )
    return awards
