"""Demo weeks for seed_demo: last year's, this year's and next year's, with activities and sign-ups."""

import datetime
import zoneinfo

from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Mod
from django.utils import timezone

from events import selectors
from events.deliveries import occurrence_for
from events.models import (
    Activity,
    DayTheme,
    Registration,
    TeamCoverage,
    ThemeTemplate,
    Week,
    default_week_dates,
)
from outbox.demo import deliveries_seed
from people.models import Role, Team, User

ZONE = "Europe/London"
YEAR_THEMES = {2025: "Customer Service Champions", 2026: "Mission Possible", 2027: "Service Superheroes"}
DAY_THEMES = [
    "The Changing World of Work",
    "Service with Respect Day",
    "Essential Customer Service Skills and Capabilities",
    "Know Your Customer",
    "Recognition Day",
]

# day (0 = Monday), start, minutes, title, kind, format, room, join link, host, capacity, teams, sign-up
ACTIVITIES = [
    (0, "09:00", 45, "Kick-off breakfast", "customer_appreciation", "onsite", "Ground floor café", "",
     "coordinator@example.com", None, [], False),
    (0, "13:00", 60, "The future of support: panel", "training", "hybrid", "Auditorium",
     "https://meet.example.com/csweek-panel", "marcus.webb@example.com", 40, [], True),
    (0, "16:00", 30, "Pulse survey: how is your week going?", "staff_survey", "online", "",
     "https://forms.example.com/pulse", "coordinator@example.com", None, [], False),
    (1, "10:00", 90, "De-escalation workshop", "training", "onsite", "Room 2.14", "",
     "priya.nair@example.com", 3, [], True),
    (1, "14:00", 60, "Respect in every reply (online)", "training", "online", "",
     "https://meet.example.com/respect", "manager@example.com", 25, ["Front Line Support"], True),
    (1, "17:00", 90, "Escape room challenge", "team_building", "onsite", "Puzzle House, 12 King Street", "",
     "sofia.alvarez@example.com", 8, ["Customer Success", "Front Line Support"], True),
    (2, "09:30", 60, "Writing clear answers", "training", "online", "",
     "https://meet.example.com/clear-answers", "marcus.webb@example.com", 30, [], True),
    (2, "12:00", 60, "Lunch and learn: new billing system", "training", "hybrid", "Room 1.02",
     "https://meet.example.com/billing", "priya.nair@example.com", 20, ["Billing and Accounts"], True),
    (2, "15:00", 60, "Team trivia", "team_building", "online", "", "https://meet.example.com/trivia",
     "agent@example.com", None, [], True),
    (3, "10:00", 60, "Customer stories: live call review", "customer_appreciation", "hybrid", "Auditorium",
     "https://meet.example.com/stories", "sofia.alvarez@example.com", 50, [], True),
    (3, "13:30", 45, "Thank-you cards for our top customers", "customer_appreciation", "onsite",
     "Room 2.01", "", "manager@example.com", 12, [], True),
    (3, "16:00", 30, "Voice of the customer survey", "staff_survey", "online", "",
     "https://forms.example.com/voc", "coordinator@example.com", None, [], False),
    (4, "11:00", 90, "Customer Service Week awards", "award_ceremony", "hybrid", "Auditorium",
     "https://meet.example.com/awards", "coordinator@example.com", None, [], False),
    (4, "14:00", 60, "Technical Support recognition lunch", "award_ceremony", "onsite", "Rooftop terrace", "",
     "marcus.webb@example.com", 15, ["Technical Support"], True),
    (4, "16:30", 60, "Closing celebration", "other", "onsite", "Ground floor café", "",
     "coordinator@example.com", None, [], True),
]  # fmt: skip

# Who signs up for what (by title), in this order: the workshop has 3 seats, so two wait.
SIGNUPS = {
    "De-escalation workshop": [
        "agent@example.com",
        "jamie.chen@example.com",
        "aisha.bello@example.com",
        "ravi.sharma@example.com",
        "grace.mensah@example.com",
    ],
    "Escape room challenge": [
        "jamie.chen@example.com",
        "fatima.khan@example.com",
        "oliver.brown@example.com",
    ],
    "Respect in every reply (online)": ["agent@example.com", "liam.oconnor@example.com"],
    "Writing clear answers": ["noah.williams@example.com", "yuki.tanaka@example.com", "mei.lin@example.com"],
    "Lunch and learn: new billing system": ["aisha.bello@example.com", "emma.schulz@example.com"],
    "Customer stories: live call review": ["agent@example.com", "diego.santos@example.com"],
    "Technical Support recognition lunch": ["noah.williams@example.com", "diego.santos@example.com"],
}


def _local(week: Week, day: int, hhmm: str) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    date = week.starts_on + datetime.timedelta(days=day)
    return datetime.datetime.combine(
        date, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(week.time_zone)
    )


def _week(year: int) -> Week:
    starts_on, ends_on = default_week_dates(year)
    week, _ = Week.objects.get_or_create(
        year=year,
        defaults={
            "starts_on": starts_on,
            "ends_on": ends_on,
            "status": Week.Status.PUBLISHED,
            "theme": YEAR_THEMES.get(year, ""),
            "time_zone": ZONE,
        },
    )
    library = {t.title: t.description for t in ThemeTemplate.objects.filter(title__in=DAY_THEMES)}
    existing = set(week.day_themes.values_list("date", flat=True))
    DayTheme.objects.bulk_create(
        [
            DayTheme(week=week, date=day, title=title, description=library.get(title, ""))
            for day, title in zip(week.days, DAY_THEMES, strict=True)
            if day not in existing
        ]
    )
    return week


def _activities(week: Week, people: dict[str, User], teams: dict[str, Team]) -> dict[str, Activity]:
    have = {a.title: a for a in week.activities.all()}
    for day, start, minutes, title, kind, fmt, room, link, host, capacity, audience, signup in ACTIVITIES:
        if title in have:
            continue
        starts_at = _local(week, day, start)
        activity = Activity.objects.create(
            week=week,
            title=title,
            kind=kind,
            description=f"Part of Customer Service Week {week.year}.",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=minutes),
            format=fmt,
            room=room,
            join_url=link,
            host=people[host],
            capacity=capacity,
            signup_required=signup,
        )
        activity.audience_teams.set([teams[name] for name in audience])
        have[title] = activity
    return have


def _signups(activities: dict[str, Activity], people: dict[str, User]) -> None:
    """Places in sign-up order, as registration_create gives them (seed data may be in the past)."""
    start = timezone.now() - datetime.timedelta(days=1)
    for title, emails in SIGNUPS.items():
        activity = activities[title]
        if activity.registrations.exists():
            continue
        rows = []
        for i, email in enumerate(emails):
            full = activity.capacity is not None and i >= activity.capacity
            rows.append(
                Registration(
                    activity=activity,
                    user=people[email],
                    status=Registration.Status.WAITLISTED if full else Registration.Status.CONFIRMED,
                    waitlist_reason=Registration.Reason.FULL if full else Registration.Reason.NONE,
                    created_at=start + datetime.timedelta(minutes=i),
                )
            )
        Registration.objects.bulk_create(rows)


# Seats aside, a full activity keeps a waitlist: half as many people as it has seats, at least three.
def _waitlist_wanted(capacity: int) -> int:
    return max(3, capacity // 2)


def _scaled_signups(week: Week) -> int:
    """Added agents (agent00001@…) sign up for two of the week's activities each. The activities with
    a seat limit take them first, in turn, one agent each, until each is full and has its waitlist;
    an agent drawn for one keeps one sign-up for the activities without a limit, the others sign up
    for both. Agents with a sign-up in the week are left alone: running again adds nothing, a larger
    --scale only the new agents."""
    activities = list(
        week.activities.filter(signup_required=True, status=Activity.Status.SCHEDULED)
        .prefetch_related("audience_teams")
        .order_by("starts_at", "pk")
    )
    done = set(
        Registration.objects.filter(activity__week=week, user__email__startswith="agent0").values_list(
            "user_id", flat=True
        )
    )
    agents = [
        (pk, team_id)
        for pk, team_id in User.objects.filter(
            email__startswith="agent0", groups__name=Role.AGENT, is_active=True
        )
        .order_by("pk")
        .values_list("pk", "team_id")
        if pk not in done
    ]
    if not agents:
        return 0
    # Each year another third of the agents comes first for the limited seats.
    start = (week.year % 3) * len(agents) // 3
    agents = agents[start:] + agents[:start]
    caps = _coverage_caps()
    limited = [
        _Arrivals(activity, caps, up_to=activity.capacity + _waitlist_wanted(activity.capacity))
        for activity in activities
        if activity.capacity is not None
    ]
    drawn: set[int] = set()
    turn = 0
    for pk, team_id in agents:
        if not any(arrivals.wants_more for arrivals in limited):
            break
        for offset in range(len(limited)):
            arrivals = limited[(turn + offset) % len(limited)]
            if arrivals.wants_more and arrivals.admits(team_id):
                arrivals.add(pk, team_id)
                drawn.add(pk)
                turn = (turn + offset + 1) % len(limited)
                break
    unlimited = [_Arrivals(activity, caps) for activity in activities if activity.capacity is None]
    for n, (pk, team_id) in enumerate(agents):
        for index, arrivals in enumerate(unlimited):
            if arrivals.admits(team_id) and not (pk in drawn and n % len(unlimited) == index):
                arrivals.add(pk, team_id)
    rows = [row for arrivals in limited + unlimited for row in arrivals.rows]
    Registration.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _coverage_caps() -> dict[int, int]:
    """How many agents of each team with a coverage cap may be away at once (as the sign-up rule
    reads it from selectors.coverage_allowed)."""
    percents = dict(
        TeamCoverage.objects.filter(max_away_percent__lt=100).values_list("team_id", "max_away_percent")
    )
    agents = selectors.team_agent_counts(percents)
    return {
        team_id: selectors.coverage_allowed(agents=agents.get(team_id, 0), max_away_percent=percent)
        for team_id, percent in percents.items()
    }


class _Arrivals:
    """New sign-ups for one activity, each placed as registration_create places it: waitlisted when
    the seats are taken (full) or when the person's team already has its allowed share away then
    (coverage), confirmed otherwise. Each arrives a millisecond after the one before, after those
    already there, so the waitlist's order (time, then id) is the order of arrival."""

    STEP = datetime.timedelta(milliseconds=1)

    def __init__(self, activity: Activity, caps: dict[int, int], *, up_to: int | None = None) -> None:
        """`caps`: agents each capped team may have away at once; `up_to`: sign-ups to stop at."""
        state = activity.registrations.aggregate(
            confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
            last=Max("created_at"),
        )
        self.activity, self.caps, self.up_to = activity, caps, up_to
        self.teams = {team.pk for team in activity.audience_teams.all()}
        self.confirmed, self.held = state["confirmed"], state["confirmed"] + state["waiting"]
        self.away = _away_peaks(activity, caps)
        now = timezone.now()
        self.at = now if state["last"] is None else max(now, state["last"] + self.STEP)
        self.rows: list[Registration] = []

    @property
    def wants_more(self) -> bool:
        return self.up_to is None or self.held < self.up_to

    def admits(self, team_id: int | None) -> bool:
        """Open to the person's team (as permissions.can_attend has it)."""
        return not self.teams or team_id in self.teams

    def add(self, pk: int, team_id: int | None) -> None:
        capacity = self.activity.capacity
        if capacity is not None and self.confirmed >= capacity:
            status, reason = Registration.Status.WAITLISTED, Registration.Reason.FULL
        elif team_id in self.caps and self.away[team_id] >= self.caps[team_id]:
            status, reason = Registration.Status.WAITLISTED, Registration.Reason.COVERAGE
        else:
            status, reason = Registration.Status.CONFIRMED, Registration.Reason.NONE
            self.confirmed += 1
            if team_id in self.caps:
                self.away[team_id] += 1
        self.held += 1
        self.rows.append(
            Registration(
                activity=self.activity,
                user_id=pk,
                status=status,
                waitlist_reason=reason,
                created_at=self.at + len(self.rows) * self.STEP,
            )
        )


def _away_peaks(activity: Activity, caps: dict[int, int]) -> dict[int, int]:
    """The most agents of each capped team away at once during `activity`, from selectors.away_slots
    as the sign-up rule counts them. The demo's activities with sign-up never overlap, so the week's
    new sign-ups (written together) change no other activity's peak, and each one confirmed for
    this activity adds one to its own."""
    peaks = dict.fromkeys(caps, 0)
    if caps:
        slots = selectors.away_slots(
            team_ids=caps, starts_at=activity.starts_at, ends_at=activity.ends_at
        ).slots
        for slot in slots:
            peaks[slot.team_id] = max(peaks[slot.team_id], len(slot.away))
    return peaks


def _attendance(week: Week) -> int:
    """A week that is over has its registers ticked: four confirmed sign-ups in five attended (the
    same ones on every run, so running again changes nothing)."""
    if week.ends_on >= timezone.localdate():
        return 0
    friday_evening = _local(week, 4, "18:00")
    return (
        Registration.objects.filter(
            activity__week=week, status=Registration.Status.CONFIRMED, attended_at__isnull=True
        )
        .alias(bucket=Mod("pk", 5))
        .exclude(bucket=0)
        .update(attended_at=friday_evening)
    )


@transaction.atomic
def seed(*, scale: int = 0, stdout=None) -> None:
    """Weeks 2025–2027 for a run in 2026 (last, current, next): published, themed, with activities and
    sign-ups (a waitlist included). Idempotent; `--scale` adds sign-ups for the added agents. It writes
    nothing to `stdout`: seed_demo's own summary stays the one report."""
    this_year = timezone.localdate().year
    people = {u.email: u for u in User.objects.filter(email__in=_emails())}
    teams = {t.name: t for t in Team.objects.all()}
    if len(people) < len(_emails()):
        return  # the demo people are not there: seed_demo creates them first
    _coverage(teams)
    for year in (this_year - 1, this_year, this_year + 1):
        week = _week(year)
        activities = _activities(week, people, teams)
        _signups(activities, people)
        if scale:
            _scaled_signups(week)
        _attendance(week)
    if scale:
        _scaled_deliveries()


# Front line keeps three in four agents on the phones: its manager's dashboard shows who is away when.
DEMO_COVERAGE = {"Front Line Support": 25}


def _coverage(teams: dict[str, Team]) -> None:
    """A coverage cap for the demo's teams; one a coordinator changed since is kept."""
    for name, percent in DEMO_COVERAGE.items():
        if name in teams:
            TeamCoverage.objects.get_or_create(team=teams[name], defaults={"max_away_percent": percent})


# The emails a sign-up brings: a change notice and the two reminders; one in 25 failed.
DEMO_MARKS = ["", "24h", "1h"]


def _scaled_deliveries() -> int:
    """Five emails per added agent in the outbox, about their sign-ups (as three weeks would leave)."""
    # Plain values, each activity's emails worked out once: 60,000 sign-ups at --scale 10000.
    activities = {activity.pk: activity for activity in Activity.objects.select_related("week")}
    emails = {
        (pk, mark): (
            occurrence_for(activity=activity, mark=mark),
            activity.starts_at - datetime.timedelta(hours=25 if mark == "24h" else 1),
        )
        for pk, activity in activities.items()
        for mark in DEMO_MARKS
    }
    registrations = (
        Registration.objects.filter(user__email__startswith="agent0")
        .order_by("user_id", "activity_id")
        .values_list("user_id", "user__email", "activity_id", "status")
    )
    rows = []
    per_user: dict[int, int] = {}
    for user_id, address, activity_id, status in registrations.iterator(chunk_size=2000):
        # Reminders go to confirmed places only (services.reminder_recipients); a change of time
        # or place to everyone signed up, waiting or not.
        marks = DEMO_MARKS if status == Registration.Status.CONFIRMED else [""]
        for mark in marks:
            if per_user.get(user_id, 0) >= 5:
                break
            per_user[user_id] = per_user.get(user_id, 0) + 1
            occurrence, sent_at = emails[activity_id, mark]
            failed = len(rows) % 25 == 24
            rows.append(
                {
                    "recipient_id": user_id,
                    "address": address,
                    "kind": "activity_reminder" if mark else "activity_changed",
                    "object_id": activity_id,
                    "occurrence": occurrence,
                    "week_year": activities[activity_id].week.year,
                    "status": "failed" if failed else "sent",
                    "attempts": 5 if failed else 1,
                    "last_error": "SMTP 451: try again later" if failed else "",
                    "sent_at": None if failed else sent_at,
                    "created_at": sent_at,
                }
            )
    return deliveries_seed(rows, about_model=Activity)


def _emails() -> set[str]:
    hosts = {row[8] for row in ACTIVITIES}
    return hosts | {email for emails in SIGNUPS.values() for email in emails}
