"""What each role's dashboard shows, read in a few flat queries (the page's budget is 15)."""

import datetime
import heapq
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum, Window
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from csweek.core import versions
from events.models import Activity, DayTheme, Registration, Week
from events.selectors import agents_count, away_slots, coverage_allowed, weeks_visible_to
from insights.reports import DAY_NAMES, percent
from outbox.models import Delivery
from people.models import Invitation, Team, User
from recognition import permissions as recognition_permissions
from recognition.models import AwardCategory, Nomination
from recognition.permissions import can_view_certificate

SIGNED_UP = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
LIST_LENGTH = 5
MEMBERS_SHOWN = 20


def dashboard_week(user: User, *, today: datetime.date) -> Week | None:
    """The current or next week the person may see (coordinators: drafts too), else the latest."""
    weeks = list(weeks_visible_to(user).filter(ends_on__gte=today).order_by("starts_on")[:1])
    if weeks:
        return weeks[0]
    return weeks_visible_to(user).order_by("-starts_on").first()


def local_today(user: User) -> datetime.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()


@dataclass
class AgentPanel:
    today_theme: DayTheme | None
    days_to_go: int | None
    next_activity: Registration | None
    signups: list[Registration]
    sent: list[Nomination] = field(default_factory=list)
    awards: list[Nomination] = field(default_factory=list)
    announced: list[Nomination] = field(default_factory=list)


def agent_panel(user: User, week: Week | None, *, today: datetime.date, full: bool = True) -> AgentPanel:
    """Today's theme, the countdown, the person's sign-ups and next activity; with `full`, their
    nominations sent, awards received and the latest announced awards."""
    if week is None:
        return AgentPanel(None, None, None, [])
    theme = (
        DayTheme.objects.filter(week=week, date=today).first()
        if week.starts_on <= today <= week.ends_on
        else None
    )
    days_to_go = (week.starts_on - today).days if today < week.starts_on else None
    signups = list(
        Registration.objects.filter(user=user, activity__week=week, status__in=SIGNED_UP)
        .select_related("activity")
        .order_by("activity__starts_at", "pk")
    )
    now = timezone.now()
    upcoming = [
        r
        for r in signups
        if r.status == Registration.Status.CONFIRMED
        and r.activity.ends_at >= now
        and r.activity.status == Activity.Status.SCHEDULED
    ]
    panel = AgentPanel(theme, days_to_go, upcoming[0] if upcoming else None, signups)
    if not full:
        return panel
    mine = list(
        Nomination.objects.filter(
            Q(nominator=user)
            | (
                Q(nominee=user, status=Nomination.Status.APPROVED)
                & recognition_permissions.embargo_filter(user)
            ),
            week=week,
        )
        .exclude(status=Nomination.Status.WITHDRAWN)
        .select_related("nominee", "category")
        .order_by("-created_at", "-pk")[: 2 * LIST_LENGTH]
    )
    panel.sent = [n for n in mine if n.nominator_id == user.pk][:LIST_LENGTH]
    panel.awards = [n for n in mine if n.nominee_id == user.pk][:LIST_LENGTH]
    for award in panel.awards:
        award.can_certificate = can_view_certificate(user, award, managed_team_ids=frozenset())
    panel.announced = list(
        Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED, announced_at__isnull=False)
        .select_related("nominee__team", "category")
        .order_by("-announced_at", "-pk")[:LIST_LENGTH]
    )
    return panel


@dataclass
class TeamDay:
    name: str
    signed_up: int
    most_away: int
    over: bool


@dataclass
class AwayTime:
    """A stretch of time when more of a team are away than its coverage cap allows."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    away: int
    names: list[str]

    @property
    def more(self) -> int:
        return self.away - len(self.names)


@dataclass
class ManagerTeam:
    pk: int
    name: str
    size: int
    agents: int
    cap_percent: int
    cap: int | None
    days: list[TeamDay]
    over_cap: list[AwayTime] = field(default_factory=list)
    over_cap_count: int = 0


@dataclass
class ManagerPanel:
    waiting: int
    teams: list[ManagerTeam]
    not_signed_up: list[User]
    not_signed_up_count: int
    awards: list[Nomination]


OVER_CAP_SHOWN = 10
NAMES_SHOWN = 8


def manager_panel(user: User, week: Week | None) -> ManagerPanel:
    """Nominations waiting for them; their teams' sign-ups per day and who is away when, against
    the coverage cap (the slots of events.selectors.away_slots, which the sign-up rule obeys); who
    has not signed up yet; their people's awards."""
    waiting = (
        Nomination.objects.filter(status=Nomination.Status.SUBMITTED, nominee__team__managers=user)
        .exclude(nominator=user)
        .exclude(nominee=user)
        .count()
    )
    teams = list(
        Team.objects.filter(managers=user)
        .annotate(
            size=Count("members", filter=Q(members__is_active=True), distinct=True),
            agents=agents_count("members"),
        )
        .values("pk", "name", "size", "agents", "coverage__max_away_percent")
        .order_by("name")
    )
    if week is None or not teams:
        return ManagerPanel(waiting, [], [], 0, [])
    team_ids = [team["pk"] for team in teams]
    zone = zoneinfo.ZoneInfo(week.time_zone)
    agents = {team["pk"]: team["agents"] for team in teams}
    week_start = datetime.datetime.combine(week.starts_on, datetime.time(), tzinfo=zone)
    week_end = datetime.datetime.combine(
        week.ends_on + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
    )
    away = away_slots(team_ids=team_ids, starts_at=week_start, ends_at=week_end)
    # Sign-ups per day: the agents with a confirmed place in an activity starting that day.
    signed_up_people: dict[tuple[int, int], set[int]] = {}
    for place in away.places:
        key = (place.team_id, place.starts_at.astimezone(zone).isoweekday())
        signed_up_people.setdefault(key, set()).add(place.user_id)
    caps = {
        team["pk"]: coverage_allowed(
            agents=agents.get(team["pk"], 0), max_away_percent=team["coverage__max_away_percent"]
        )
        for team in teams
    }
    most_away: dict[tuple[int, int], int] = {}
    over: dict[int, list] = {}
    for slot in away.slots:
        key = (slot.team_id, slot.starts_at.astimezone(zone).isoweekday())
        most_away[key] = max(most_away.get(key, 0), len(slot.away))
        cap = caps.get(slot.team_id)
        if cap is not None and len(slot.away) > cap:
            over.setdefault(slot.team_id, []).append(slot)
    result = []
    for team in teams:
        cap_percent = (
            team["coverage__max_away_percent"] if team["coverage__max_away_percent"] is not None else 100
        )
        cap = caps[team["pk"]]
        days = []
        for index, name in enumerate(DAY_NAMES, start=1):
            most = most_away.get((team["pk"], index), 0)
            people = len(signed_up_people.get((team["pk"], index), ()))
            days.append(TeamDay(name, people, most, cap is not None and most > cap))
        over_cap = [
            AwayTime(
                slot.starts_at,
                slot.ends_at,
                len(slot.away),
                heapq.nsmallest(NAMES_SHOWN, (away.names[pk] for pk in slot.away)),
            )
            for slot in over.get(team["pk"], [])[:OVER_CAP_SHOWN]
        ]
        result.append(
            ManagerTeam(
                team["pk"],
                team["name"],
                team["size"],
                agents.get(team["pk"], 0),
                cap_percent,
                cap,
                days,
                over_cap,
                len(over.get(team["pk"], [])),
            )
        )
    missing = list(
        User.objects.filter(team_id__in=team_ids, is_active=True)
        .exclude(pk=user.pk)
        .exclude(
            Exists(
                Registration.objects.filter(user_id=OuterRef("pk"), activity__week=week, status__in=SIGNED_UP)
            )
        )
        .annotate(total=Window(Count("pk")))
        .select_related("team")
        .order_by("last_name", "first_name", "pk")[:MEMBERS_SHOWN]
    )
    awards = list(
        Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED, nominee__team_id__in=team_ids)
        .filter(recognition_permissions.embargo_filter(user))
        .select_related("nominee", "category")
        .order_by("-reviewed_at", "-pk")[:LIST_LENGTH]
    )
    for award in awards:
        award.can_certificate = can_view_certificate(user, award, managed_team_ids=frozenset(team_ids))
    return ManagerPanel(waiting, result, missing, missing[0].total if missing else 0, awards)


@dataclass
class CheckItem:
    label: str
    done: bool
    detail: str
    url_name: str


@dataclass
class CoordinatorPanel:
    week: Week | None
    checklist: list[CheckItem]
    seats_taken: int
    seats: int | None
    fill: float | None
    nominations: list[tuple[str, int]]
    emails_pending: int
    emails_failed: int


def coordinator_panel(week: Week | None) -> CoordinatorPanel:
    """The week's status and set-up checklist, sign-ups against capacity, nominations by status,
    emails pending and failed."""
    emails = versions.cached(
        "insights:coordinator-emails",
        (versions.DELIVERIES,),
        lambda: dict(
            Delivery.objects.filter(status__in=(Delivery.Status.PENDING, Delivery.Status.FAILED))
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        ),
    )
    invitations = Invitation.objects.aggregate(
        total=Count("pk"), accepted=Count("pk", filter=Q(accepted_at__isnull=False))
    )
    if week is None:
        checklist = [
            CheckItem("Create this year's week", False, "No week is planned yet.", "events:week_list")
        ]
        return CoordinatorPanel(
            None, checklist, 0, None, None, [], emails.get("pending", 0), emails.get("failed", 0)
        )
    zone = zoneinfo.ZoneInfo(week.time_zone)
    themes = DayTheme.objects.filter(week=week).count()
    activities = Activity.objects.filter(week=week, status=Activity.Status.SCHEDULED)
    days = set(
        activities.annotate(day=TruncDate("starts_at", tzinfo=zone))
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    # One query: each activity's confirmed sign-ups counted in a subquery, then summed with the seats
    # (read once per version of the week data: it counts every sign-up of the week).
    seats = versions.cached(
        f"insights:coordinator-seats:{week.pk}",
        (versions.WEEK_DATA, versions.SIGNUPS),
        lambda: activities.annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
        ).aggregate(
            total_capacity=Sum("capacity"),
            unlimited=Count("pk", filter=Q(capacity__isnull=True)),
            taken=Coalesce(Sum("confirmed"), 0),
        ),
    )
    categories = AwardCategory.objects.filter(week=week).aggregate(
        total=Count("pk"), open_windows=Count("pk", filter=Q(closes_at__gt=timezone.now()))
    )
    nominations = dict(
        Nomination.objects.filter(week=week).order_by().values_list("status").annotate(n=Count("pk"))
    )
    checklist = [
        CheckItem(
            "Themes set for each day", themes == 5, f"{themes} of 5 days have a theme.", "events:week_plan"
        ),
        CheckItem(
            "Activities on each day",
            len(days) == 5,
            f"{len([d for d in days if d in week.days])} of 5 days have an activity.",
            "events:week_plan",
        ),
        CheckItem(
            "Award categories with their windows",
            bool(categories["total"]),
            f"{categories['total']} categories, {categories['open_windows']} not closed yet.",
            "recognition:categories",
        ),
        CheckItem(
            "Published",
            week.is_published,
            "Agents see the week." if week.is_published else "Agents cannot see it yet.",
            "events:week_plan",
        ),
        CheckItem(
            "Invitations accepted",
            invitations["total"] == invitations["accepted"],
            f"{invitations['accepted']} of {invitations['total']} accepted.",
            "people:person_list",
        ),
    ]
    capacity = None if seats["unlimited"] else (seats["total_capacity"] or 0)
    return CoordinatorPanel(
        week,
        checklist,
        seats["taken"],
        capacity,
        percent(seats["taken"], capacity) if capacity else None,
        [(label, nominations.get(value, 0)) for value, label in Nomination.Status.choices],
        emails.get("pending", 0),
        emails.get("failed", 0),
    )
