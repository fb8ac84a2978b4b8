"""Read-only queries for weeks and activities, already filtered by who is asking."""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone
from django.utils.crypto import salted_hmac

from csweek.core import versions
from events import permissions
from events.models import Activity, DayTheme, Registration, ThemeTemplate, Week
from people.models import Role, Team, User


def weeks_visible_to(user: User) -> QuerySet[Week]:
    """Coordinators see every week; everyone else only published ones."""
    if permissions.can_plan(user):
        return Week.objects.all()
    if not (user.is_authenticated and user.is_active):
        return Week.objects.none()
    return Week.objects.filter(status=Week.Status.PUBLISHED)


def week_for_viewer(*, viewer: User, year: int) -> Week | None:
    return weeks_visible_to(viewer).filter(year=year).first()


def weeks_with_counts() -> QuerySet[Week]:
    return Week.objects.annotate(
        activity_count=Count("activities", filter=Q(activities__status=Activity.Status.SCHEDULED))
    ).order_by("-year")


def schedule_week_for(viewer: User, *, today: datetime.date | None = None) -> Week | None:
    """The current or next published week, else the most recent one."""
    today = today or timezone.localdate()
    weeks = weeks_visible_to(viewer).filter(status=Week.Status.PUBLISHED)
    return (
        weeks.filter(ends_on__gte=today).order_by("starts_on").first() or weeks.order_by("-starts_on").first()
    )


def _attendee_q(user: User) -> Q:
    """Activities the viewer may sign up for: for everyone or for the viewer's team."""
    chosen = Activity.audience_teams.through.objects.filter(activity_id=OuterRef("pk"))
    q = ~Exists(chosen)
    if user.team_id is not None:
        q |= Exists(chosen.filter(team_id=user.team_id))
    return q


def _audience_q(user: User) -> Q:
    """Activities the viewer may see: those they may attend, and those they host."""
    return _attendee_q(user) | Q(host_id=user.pk)


def activities_visible_to(user: User, *, week: Week | None = None) -> QuerySet[Activity]:
    """Activities `user` may see: every one for a coordinator; otherwise published weeks only, and
    those for everyone, for their team, or that they host."""
    qs = Activity.objects.select_related("week", "host")
    if week is not None:
        qs = qs.filter(week=week)
    if permissions.can_plan(user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(week__status=Week.Status.PUBLISHED).filter(_audience_q(user))


def activity_for_viewer(*, viewer: User, pk: int) -> Activity | None:
    """The activity with `pk` if `viewer` may see it; None otherwise (a 404, never a hint)."""
    return (
        activities_visible_to(viewer)
        .prefetch_related(Prefetch("audience_teams", queryset=Team.objects.order_by("name")))
        .filter(pk=pk)
        .first()
    )


def _with_viewer_state(qs: QuerySet[Activity], viewer: User) -> QuerySet[Activity]:
    # No join to the sign-ups here: grouping every sign-up of the week by activity made PostgreSQL
    # misjudge the groups and JIT-compile the query on every request; _fill_counts counts apart.
    mine = Registration.objects.filter(activity_id=OuterRef("pk"), user_id=viewer.pk)
    return qs.annotate(
        my_status=Subquery(mine.values("status")[:1]),
        my_reason=Subquery(mine.values("waitlist_reason")[:1]),
        my_signed_up_at=Subquery(mine.values("created_at")[:1]),
        my_registration_pk=Subquery(mine.values("pk")[:1]),
        # A host outside the audience (or a coordinator) sees the activity but cannot sign up.
        in_audience=ExpressionWrapper(_attendee_q(viewer), output_field=BooleanField()),
    )


def _week_counts(week_id: int) -> dict[tuple[int, str], int]:
    """Confirmed and waitlisted sign-ups of every activity of a week, by (activity, status): one
    grouped query over the (activity, status) index, shared by every viewer and counted again
    only when a sign-up changes (versions.SIGNUPS)."""

    def count() -> dict[tuple[int, str], int]:
        # The week's activity ids first: a join to the activities made PostgreSQL scan every
        # sign-up of the week (20 ms at 10,000 people) where the index on (activity, status) takes 10.
        ids = list(Activity.objects.filter(week_id=week_id).values_list("pk", flat=True))
        rows = (
            Registration.objects.filter(
                activity_id__in=ids,
                status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
            )
            .values_list("activity_id", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {(activity_id, status): n for activity_id, status, n in rows}

    return versions.cached(f"events:week-signup-counts:{week_id}", (versions.SIGNUPS,), count)


def _fill_counts(activities: list[Activity]) -> None:
    """confirmed_count and waitlisted_count for these activities, from their week's counts."""
    counts: dict[tuple[int, str], int] = {}
    for week_id in {activity.week_id for activity in activities}:
        counts.update(_week_counts(week_id))
    for activity in activities:
        activity.confirmed_count = counts.get((activity.pk, Registration.Status.CONFIRMED), 0)
        activity.waitlisted_count = counts.get((activity.pk, Registration.Status.WAITLISTED), 0)


def _decorate(activities: list[Activity]) -> None:
    _fill_counts(activities)
    for activity in activities:
        activity.seats_left = (
            None if activity.capacity is None else max(activity.capacity - activity.confirmed_count, 0)
        )
        activity.is_mine = activity.my_status in (
            Registration.Status.CONFIRMED,
            Registration.Status.WAITLISTED,
        )
        activity.waitlist_position = None


def _ahead_q(*, activity_id: int, signed_up_at: datetime.datetime, pk: int) -> Q:
    """Waiting sign-ups ahead of one in its activity's waitlist: sign-up order, as promotion
    follows it (time, then id for sign-ups in the same instant)."""
    # `created_at__lte` outside the OR bounds the index range scan; the OR breaks the tie.
    return Q(activity_id=activity_id, created_at__lte=signed_up_at) & (
        Q(created_at__lt=signed_up_at) | Q(pk__lt=pk)
    )


def _fill_waitlist_positions(activities: list[Activity]) -> None:
    """One query for the waitlists the viewer is on, counted in the database (an index on activity,
    status and time): a waitlist for team coverage can hold thousands of people at 10,000 agents."""
    waiting = {a.pk: a for a in activities if a.my_status == Registration.Status.WAITLISTED}
    if not waiting:
        return
    ahead_of_me = Q()
    for activity in waiting.values():
        ahead_of_me |= _ahead_q(
            activity_id=activity.pk, signed_up_at=activity.my_signed_up_at, pk=activity.my_registration_pk
        )
    ahead = dict(
        Registration.objects.filter(ahead_of_me, status=Registration.Status.WAITLISTED)
        .order_by()
        .values_list("activity_id")
        .annotate(n=Count("pk"))
    )
    for activity_id, activity in waiting.items():
        activity.waitlist_position = ahead.get(activity_id, 0) + 1


@dataclass
class Day:
    date: datetime.date
    theme: DayTheme | None
    activities: list[Activity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _days(week: Week, activities: list[Activity], zone) -> list[Day]:
    themes = {t.date: t for t in week.day_themes.all()}
    days = {date: Day(date=date, theme=themes.get(date)) for date in week.days}
    for activity in activities:
        local_day = activity.starts_at.astimezone(zone).date()
        if local_day in days:
            days[local_day].activities.append(activity)
        else:
            # Seen from far away, an activity may fall on the day before or after the week.
            nearest = min(week.days[-1], max(week.days[0], local_day))
            days[nearest].activities.append(activity)
    return list(days.values())


def schedule_for(
    *, viewer: User, week: Week, kind: str = "", mine: bool = False, activity_format: str = ""
) -> dict:
    """The week as `viewer` sees it, in the viewer's own time zone, with their sign-ups."""
    qs = _with_viewer_state(activities_visible_to(viewer, week=week), viewer).order_by("starts_at", "pk")
    if kind in Activity.Kind.values:
        qs = qs.filter(kind=kind)
    if activity_format in Activity.Format.values:
        qs = qs.filter(format=activity_format)
    activities = list(qs)
    _decorate(activities)
    _fill_waitlist_positions(activities)
    my_activities = [a for a in activities if a.is_mine]
    shown = my_activities if mine else activities
    return {
        "days": _days(week, shown, timezone.get_current_timezone()),
        "my_activities": my_activities,
    }


def plan_for(*, week: Week) -> dict:
    """The coordinator's board: every activity by day (in the week's zone) with warnings."""
    zone = zoneinfo.ZoneInfo(week.time_zone)
    activities = list(
        Activity.objects.filter(week=week)
        .select_related("host")
        .prefetch_related(Prefetch("audience_teams", queryset=Team.objects.order_by("name")))
        .order_by("starts_at", "pk")
    )
    _fill_counts(activities)
    days = _days(week, activities, zone)
    for day in days:
        day.warnings = plan_warnings(day.activities)
    return {"days": days, "library": list(ThemeTemplate.objects.all())}


def plan_warnings(activities: list[Activity]) -> list[str]:
    """Clashes worth a second look (never a block): a host in two places, one team in two activities."""
    warnings = []
    live = [a for a in activities if not a.is_cancelled]
    for i, first in enumerate(live):
        for second in live[i + 1 :]:
            if not (first.starts_at < second.ends_at and second.starts_at < first.ends_at):
                continue
            if first.host_id == second.host_id:
                warnings.append(f"{first.host.name} hosts both “{first.title}” and “{second.title}” at once.")
            common = _shared_audience(first, second)
            if common:
                warnings.append(f"“{first.title}” and “{second.title}” overlap for {', '.join(common)}.")
    return warnings


def _shared_audience(first: Activity, second: Activity) -> list[str]:
    mine = {t.pk: t.name for t in first.audience_teams.all()}
    theirs = {t.pk: t.name for t in second.audience_teams.all()}
    if not mine and not theirs:
        return ["everyone"]
    if not mine or not theirs:
        return sorted((mine or theirs).values())
    return sorted(mine[pk] for pk in mine.keys() & theirs.keys())


REGISTRANTS_PAGE_SIZE = 50


def registrants_of(activity: Activity) -> QuerySet[Registration]:
    """Everyone who signed up (confirmed first, then the waitlist in order, then cancelled)."""
    return (
        Registration.objects.filter(activity=activity)
        .select_related("user__team")
        .order_by(
            Case(
                When(status=Registration.Status.CONFIRMED, then=0),
                When(status=Registration.Status.WAITLISTED, then=1),
                default=2,
            ),
            "created_at",
            "pk",
        )
    )


def registration_for_register(*, viewer: User, pk: int) -> Registration | None:
    """A sign-up on a register the viewer keeps (host or coordinator), else None."""
    registration = Registration.objects.select_related("user__team", "activity__week").filter(pk=pk).first()
    if registration is None or not permissions.can_mark_attendance(viewer, registration.activity):
        return None
    return registration


REGISTRANT_FIELDS = (
    "status",
    "waitlist_reason",
    "created_at",
    "attended_at",
    "user__display_name",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__team__name",
)


def registrants_page(activity: Activity, page: str | None) -> Page:
    """One page of registrants_of (REGISTRANTS_PAGE_SIZE), loading only the columns the page shows:
    a 10,000-person activity is counted and exported, never rendered whole."""
    # The order is found on the sign-ups alone (narrow rows, no join), then the page's 50 are loaded.
    order = registrants_of(activity).select_related(None).values_list("pk", flat=True)
    result = Paginator(order, REGISTRANTS_PAGE_SIZE).get_page(page)
    ids = list(result.object_list)
    rows = registrants_of(activity).only(*REGISTRANT_FIELDS).in_bulk(ids)
    result.object_list = [rows[pk] for pk in ids]
    return result


def registrant_status_counts(activity: Activity) -> dict[str, int]:
    """How many sign-ups the activity has in each status (every status present, zero or more)."""
    counts = dict.fromkeys(Registration.Status.values, 0)
    rows = activity.registrations.values_list("status").annotate(n=Count("pk")).order_by()
    counts.update(dict(rows))
    return counts


def my_registration(*, viewer: User, activity: Activity) -> Registration | None:
    return Registration.objects.filter(activity=activity, user_id=viewer.pk).first()


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = _ahead_q(
        activity_id=registration.activity_id, signed_up_at=registration.created_at, pk=registration.pk
    )
    return Registration.objects.filter(ahead, status=Registration.Status.WAITLISTED).count() + 1


def feed_activities_for(user: User) -> QuerySet[Activity]:
    """The personal calendar: activities the person has a confirmed place in, and the all-hands
    (no sign-up) activities of published weeks meant for them; cancelled ones stay, marked so."""
    confirmed = Registration.objects.filter(
        activity_id=OuterRef("pk"), user_id=user.pk, status=Registration.Status.CONFIRMED
    )
    return (
        Activity.objects.filter(week__status=Week.Status.PUBLISHED)
        .filter(Exists(confirmed) | (Q(signup_required=False) & _audience_q(user)))
        .select_related("week", "host")
        .order_by("starts_at", "pk")
    )


def day_themes_by_week_date(activities: list[Activity]) -> dict[tuple[int, datetime.date], DayTheme]:
    """Each activity's day theme, in one query for all of them."""
    week_ids = {a.week_id for a in activities}
    return {(t.week_id, t.date): t for t in DayTheme.objects.filter(week_id__in=week_ids)}


def teams_with_coverage() -> QuerySet[Team]:
    """Every team with its coverage rule (none saved = 100 %, no limit)."""
    return Team.objects.select_related("coverage").order_by("name")


def activities_on_day_for(*, user: User, day_theme: DayTheme) -> list[Activity]:
    """The scheduled activities of a day theme's week starting that day in the person's own zone,
    among those the person may attend."""
    zone = zoneinfo.ZoneInfo(user.time_zone)
    day = day_theme.date
    start = datetime.datetime(day.year, day.month, day.day, tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    return list(
        Activity.objects.filter(
            week_id=day_theme.week_id,
            status=Activity.Status.SCHEDULED,
            starts_at__gte=start.astimezone(datetime.UTC),
            starts_at__lt=end.astimezone(datetime.UTC),
        )
        .filter(_attendee_q(user))
        .order_by("starts_at", "pk")
    )


def week_of_year(year: int) -> Week | None:
    return Week.objects.filter(year=year).first()


def week_years_from(year: int) -> set[int]:
    """The years from `year` on that have a week already."""
    return set(Week.objects.filter(year__gte=year).values_list("year", flat=True))


def published_weeks_visible_to(viewer) -> QuerySet[Week]:
    """The schedule's week picker, newest first."""
    return weeks_visible_to(viewer).filter(status=Week.Status.PUBLISHED).order_by("-year")


def activity_to_plan(pk: int) -> Activity | None:
    """An activity with what the planner's forms show (its week and host)."""
    return Activity.objects.select_related("week", "host").filter(pk=pk).first()


def day_theme_on(week: Week, date: datetime.date) -> DayTheme | None:
    return week.day_themes.filter(date=date).first()


def confirmed_count(activity: Activity) -> int:
    return activity.registrations.filter(status=Registration.Status.CONFIRMED).count()


def registrant_count(activity: Activity) -> int:
    """Everyone signed up, confirmed or waiting."""
    return activity.registrations.exclude(status=Registration.Status.CANCELLED).count()


# People may check in or join (and be counted) from a little before the start until the end.
CHECK_IN_EARLY = datetime.timedelta(minutes=15)


def checkin_code(activity: Activity) -> str:
    """The activity's six-character check-in code: derived from the secret key, so it is stored
    nowhere and changes when the activity's time or place does (its SEQUENCE)."""
    digest = salted_hmac("events.checkin", f"{activity.pk}:{activity.sequence}").hexdigest()
    return digest[:6].upper()


def attendance_window_open(activity: Activity, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return activity.starts_at - CHECK_IN_EARLY <= now <= activity.ends_at


# --- Team coverage: who is away when --------------------------------------------------------------


def coverage_allowed(*, agents: int, max_away_percent: int | None) -> int | None:
    """How many of a team's agents may be away at once (None: no limit). The sign-up rule and the
    manager's dashboard both read the cap from here."""
    if max_away_percent is None or max_away_percent >= 100:
        return None
    return agents * max_away_percent // 100


def agents_count(members: str = "") -> Count:
    """Counts a team's active agents (the people a coverage cap is a share of); `members` is the
    path from the counted model to the people ("members" from Team)."""
    prefix = f"{members}__" if members else ""
    return Count(
        f"{prefix}pk" if prefix else "pk",
        filter=Q(**{f"{prefix}is_active": True, f"{prefix}groups__name": Role.AGENT}),
        distinct=True,
    )


def team_agent_counts(team_ids: Iterable[int]) -> dict[int, int]:
    """Each team's active agents."""
    return dict(
        User.objects.filter(team_id__in=list(team_ids))
        .order_by()
        .values_list("team_id")
        .annotate(n=agents_count())
    )


@dataclass(frozen=True)
class AwaySlot:
    """A stretch of time during which the same agents of one team are at activities."""

    team_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    away: frozenset[int]


class AwayPlace(NamedTuple):
    """One confirmed place that takes an agent away from their team (a tuple: there are many)."""

    team_id: int
    user_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass
class Away:
    """Who of some teams is away when: the places, the slots cut from them, and the people's names."""

    places: list[AwayPlace]
    slots: list[AwaySlot]
    names: dict[int, str]


def away_slots(*, team_ids: Iterable[int], starts_at: datetime.datetime, ends_at: datetime.datetime) -> Away:
    """Who of each team is away when between `starts_at` and `ends_at`: the active agents with a
    confirmed place in a scheduled activity, cut at every start and end so that each slot holds
    one set of people (slots with nobody away are left out). One query."""
    # The few activities of the time first: their times are not read again on every sign-up's row.
    times = {
        pk: (max(start, starts_at), min(end, ends_at))
        for pk, start, end in Activity.objects.filter(
            status=Activity.Status.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).values_list("pk", "starts_at", "ends_at")
    }
    rows = (
        Registration.objects.filter(
            activity_id__in=list(times),
            status=Registration.Status.CONFIRMED,
            user__team_id__in=list(team_ids),
            user__is_active=True,
            user__groups__name=Role.AGENT,
        ).values_list(
            "user__team_id",
            "activity_id",
            "user_id",
            "user__display_name",
            "user__first_name",
            "user__last_name",
            "user__email",
        )
        if times
        else []
    )
    places, names = [], {}
    changes: dict[int, list[tuple[datetime.datetime, int, int]]] = defaultdict(list)
    for team_id, activity_id, user_id, display_name, first_name, last_name, email in rows:
        start, end = times[activity_id]
        places.append(AwayPlace(team_id, user_id, start, end))
        if user_id not in names:  # as User.name reads it
            names[user_id] = display_name or f"{first_name} {last_name}".strip() or email
        changes[team_id].append((start, 1, user_id))
        changes[team_id].append((end, -1, user_id))
    slots: list[AwaySlot] = []
    for team_id in sorted(changes):
        events = sorted(changes[team_id], key=lambda change: change[0])
        present: dict[int, int] = {}  # person → how many of their activities are on
        index = 0
        while index < len(events):
            moment = events[index][0]
            while index < len(events) and events[index][0] == moment:
                _, step, user_id = events[index]
                count = present.get(user_id, 0) + step
                if count:
                    present[user_id] = count
                else:
                    del present[user_id]
                index += 1
            if index == len(events):
                break
            away = frozenset(present)
            following = events[index][0]
            if not away:
                continue
            previous = slots[-1] if slots else None
            if (
                previous is not None
                and previous.team_id == team_id
                and previous.ends_at == moment
                and previous.away == away
            ):
                slots[-1] = AwaySlot(team_id, previous.starts_at, following, away)
            else:
                slots.append(AwaySlot(team_id, moment, following, away))
    return Away(places, slots, names)
