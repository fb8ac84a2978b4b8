"""The figures of a week's report, each a table (and a chart drawn from the same numbers), read in a
fixed number of aggregate queries whatever the number of people, with the previous year beside."""

import statistics
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractIsoWeekDay, TruncDate

from events.models import Activity, DayTheme, Registration, Week
from outbox.kinds import all_kinds
from outbox.models import Delivery, EmailOptOut
from people.models import Team
from recognition.models import Nomination

SIGNED_UP = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
COLORS = ["#1e88e5", "#9e9e9e", "#43a047", "#e53935", "#fb8c00"]


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def counted_q(*, team_ids: list[int] | None, prefix: str = "") -> Q:
    """The sign-ups a figure counts: those of people in a team (every team, or `team_ids`).
    `prefix` is the path to the sign-up (`"registrations__"` from an activity)."""
    if team_ids is None:
        return Q(**{f"{prefix}user__team__isnull": False})
    return Q(**{f"{prefix}user__team_id__in": team_ids})


def confirmed_q(*, team_ids: list[int] | None, prefix: str = "") -> Q:
    """The confirmed sign-ups a figure counts: the places attendance is a share of."""
    return counted_q(team_ids=team_ids, prefix=prefix) & Q(
        **{f"{prefix}status": Registration.Status.CONFIRMED}
    )


def attended_q(*, team_ids: list[int] | None, prefix: str = "") -> Q:
    """The sign-ups a figure counts as attended: confirmed ones with attendance recorded. Cancelling
    keeps `attended_at`, so a cancelled sign-up must not count by it alone."""
    return confirmed_q(team_ids=team_ids, prefix=prefix) & Q(**{f"{prefix}attended_at__isnull": False})


@dataclass
class Table:
    """One figure: a table to read, export and (when `chart`) draw."""

    key: str
    title: str
    header: list[str]
    rows: list[list]
    chart: dict | None = None
    note: str = ""
    empty: str = "Nothing to show yet."

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"


@dataclass
class Report:
    week: Week
    previous: Week | None
    all_teams: bool
    years: list[int] = field(default_factory=list)
    headline: list[tuple[str, str, str]] = field(default_factory=list)
    most_attended: list[Activity] = field(default_factory=list)
    least_attended: list[Activity] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def _bar(labels: list[str], series: list[tuple[str, list]], *, stacked: bool = False, y_max=None) -> dict:
    scale = {"beginAtZero": True, "stacked": stacked}
    if y_max is not None:
        scale["max"] = y_max
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                {"label": name, "data": values, "backgroundColor": COLORS[i % len(COLORS)]}
                for i, (name, values) in enumerate(series)
            ],
        },
        "options": {"responsive": True, "scales": {"x": {"stacked": stacked}, "y": scale}},
    }


def _fmt(value) -> str:
    return "—" if value is None else f"{value}"


def delta(now, before):
    """This year's figure minus last year's, as a number (rates: percentage points); "—" when
    either is missing. A number, so that exports keep it a number."""
    if now is None or before is None:
        return "—"
    change = now - before
    return round(change, 1) if isinstance(change, float) else change


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


ACTIVITY_MATCH_RULE = (
    "Each activity is compared with last year's activity of the same kind and the same title "
    "(ignoring case and spaces); failing that, of the same kind on a day with the same theme. Each of "
    "last year's activities is compared once, in start order; an activity with no match is new."
)


def match_previous(activities: list, previous: list) -> dict[int, object]:
    """Last year's activity to compare with each of this year's (by pk), as ACTIVITY_MATCH_RULE says.
    Activities carry `kind`, `title` and `theme` (their day's theme title, or None)."""
    unused = sorted(previous, key=lambda a: (a.starts_at, a.pk))
    matches: dict[int, object] = {}
    for rule in (
        lambda a: (a.kind, _key(a.title)),
        lambda a: (a.kind, _key(a.theme)) if a.theme else None,
    ):
        for activity in sorted(activities, key=lambda a: (a.starts_at, a.pk)):
            if activity.pk in matches or rule(activity) is None:
                continue
            found = next((old for old in unused if rule(old) == rule(activity)), None)
            if found is not None:
                matches[activity.pk] = found
                unused.remove(found)
    return matches


def weeks_for_report(*, visible: QuerySet[Week], year: int) -> tuple[Week | None, Week | None, list[int]]:
    """The week of `year`, the one before it and every year the viewer may see (one query: a
    week a year, so the list stays short)."""
    weeks = list(visible.order_by("-year"))
    years = [week.year for week in weeks]
    earlier = [week for week in weeks if week.year <= year]
    if not earlier or earlier[0].year != year:
        return None, None, years
    return earlier[0], (earlier[1] if len(earlier) > 1 else None), years


def build_report(*, week: Week, previous: Week | None, team_ids: list[int] | None) -> Report:
    """The report of `week` for the teams `team_ids` (None: every team, and the emails)."""
    all_teams = team_ids is None
    report = Report(week=week, previous=previous, all_teams=all_teams)
    week_ids = [week.pk] + ([previous.pk] if previous else [])
    prev_label = str(previous.year) if previous else ""
    team_q = Q() if all_teams else Q(pk__in=team_ids)
    person_team_q = counted_q(team_ids=team_ids)
    nominee_team_q = Q() if all_teams else Q(nominee__team_id__in=team_ids)

    teams = list(
        Team.objects.filter(team_q)
        .annotate(size=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
        .values("pk", "name", "size")
    )
    people = sum(team["size"] for team in teams)

    # Participation: people with at least one sign-up, by team and by day, both weeks at once.
    signups = Registration.objects.filter(person_team_q, activity__week_id__in=week_ids, status__in=SIGNED_UP)
    by_team: dict[tuple[int, int], int] = {}
    for row in (
        signups.order_by()
        .values("activity__week_id", "user__team_id")
        .annotate(n=Count("user", distinct=True))
    ):
        by_team[(row["activity__week_id"], row["user__team_id"])] = row["n"]
    zone = zoneinfo.ZoneInfo(week.time_zone)
    by_day: dict[tuple[int, int], int] = {}
    day_rows = (
        signups.order_by()
        .annotate(weekday=ExtractIsoWeekDay("activity__starts_at", tzinfo=zone))
        .values("activity__week_id", "weekday")
        .annotate(n=Count("user", distinct=True))
    )
    for row in day_rows:
        by_day[(row["activity__week_id"], row["weekday"])] = row["n"]

    team_rows, this_rates, prev_rates = [], [], []
    for team in teams:
        now = by_team.get((week.pk, team["pk"]), 0)
        before = by_team.get((previous.pk, team["pk"]), 0) if previous else None
        rate, prev_rate = percent(now, team["size"]), percent(before or 0, team["size"]) if previous else None
        this_rates.append(rate or 0)
        prev_rates.append(prev_rate or 0)
        row = [team["name"], team["size"], now, _fmt(rate)]
        if previous:
            row += [before, _fmt(prev_rate), delta(rate, prev_rate)]
        team_rows.append(row)
    header = ["Team", "People", "Signed up", "Participation %"]
    if previous:
        header += [f"Signed up {prev_label}", f"Participation % {prev_label}", "Change (points)"]
    series = [(str(week.year), this_rates)] + ([(prev_label, prev_rates)] if previous else [])
    report.tables.append(
        Table(
            "participation-teams",
            "Participation by team",
            header,
            team_rows,
            chart=_bar([t["name"] for t in teams], series, y_max=100) if teams else None,
            note="People with at least one sign-up (confirmed or waitlisted) ÷ the team's active members "
            "today.",
            empty="No team yet: create teams on the Teams page.",
        )
    )
    day_rows_out, this_day, prev_day = [], [], []
    for index, name in enumerate(DAY_NAMES, start=1):
        now = by_day.get((week.pk, index), 0)
        this_day.append(percent(now, people) or 0)
        row = [f"{name} {week.days[index - 1]:%-d %b}", now, _fmt(percent(now, people))]
        if previous:
            before = by_day.get((previous.pk, index), 0)
            prev_day.append(percent(before, people) or 0)
            row += [
                before,
                _fmt(percent(before, people)),
                delta(percent(now, people), percent(before, people)),
            ]
        day_rows_out.append(row)
    header = ["Day", "Signed up", "Participation %"]
    if previous:
        header += [f"Signed up {prev_label}", f"Participation % {prev_label}", "Change (points)"]
    series = [(str(week.year), this_day)] + ([(prev_label, prev_day)] if previous else [])
    report.tables.append(
        Table(
            "participation-days",
            "Participation by day",
            header,
            day_rows_out,
            chart=_bar(DAY_NAMES, series, y_max=100),
            note=f"People signed up for an activity that day ({week.time_zone}) ÷ the {people} people "
            "in the teams.",
        )
    )

    # Activities: fill rate, waitlist, attendance.
    reg_q = counted_q(team_ids=team_ids, prefix="registrations__")
    # Both weeks' activities in one query, each with its day's theme (in this week's zone).
    day_theme = DayTheme.objects.filter(week_id=OuterRef("week_id"), date=OuterRef("local_day")).values(
        "title"
    )[:1]
    both = list(
        Activity.objects.filter(week_id__in=week_ids, status=Activity.Status.SCHEDULED)
        .annotate(local_day=TruncDate("starts_at", tzinfo=zone))
        .annotate(
            seats_taken=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
            confirmed=Count("registrations", filter=confirmed_q(team_ids=team_ids, prefix="registrations__")),
            waitlisted=Count(
                "registrations", filter=reg_q & Q(registrations__status=Registration.Status.WAITLISTED)
            ),
            attended=Count("registrations", filter=attended_q(team_ids=team_ids, prefix="registrations__")),
            theme=Subquery(day_theme),
        )
        .order_by("starts_at", "pk")
        .only("pk", "title", "kind", "starts_at", "capacity", "week_id")
    )
    activities = [a for a in both if a.week_id == week.pk]
    for activity in both:
        activity.attendance_rate = percent(activity.attended, activity.confirmed)
    matches = match_previous(activities, [a for a in both if a.week_id != week.pk]) if previous else {}
    activity_rows = []
    for activity in activities:
        fill = percent(activity.seats_taken, activity.capacity) if activity.capacity else None
        row = [
            activity.title,
            f"{activity.starts_at.astimezone(zone):%a %-d %b %H:%M}",
            activity.capacity or "no limit",
            activity.seats_taken,
            _fmt(fill),
            activity.waitlisted,
            activity.confirmed,
            activity.attended,
            _fmt(activity.attendance_rate),
        ]
        if previous:
            old = matches.get(activity.pk)
            if old is None:
                row += ["— (new)", "—", "—", "—", "—", "—"]
            else:
                row += [
                    old.title,
                    old.confirmed,
                    old.attended,
                    delta(activity.attended, old.attended),
                    _fmt(old.attendance_rate),
                    delta(activity.attendance_rate, old.attendance_rate),
                ]
        activity_rows.append(row)
    header = [
        "Activity",
        f"Starts ({week.time_zone})",
        "Capacity",
        "Seats taken",
        "Fill rate %",
        "Waitlist",
        "Confirmed",
        "Attended",
        "Attendance %",
    ]
    if previous:
        header += [
            f"Compared with ({prev_label})",
            f"Confirmed {prev_label}",
            f"Attended {prev_label}",
            "Attended change",
            f"Attendance % {prev_label}",
            "Attendance % change (points)",
        ]
    series = [
        ("Confirmed", [a.confirmed for a in activities]),
        ("Attended", [a.attended for a in activities]),
    ]
    if previous:
        series.append(
            (
                f"Attended {prev_label}",
                [matches[a.pk].attended if a.pk in matches else 0 for a in activities],
            )
        )
    notes = [] if all_teams else ["Confirmed, waitlist and attendance count your teams' people only."]
    if previous:
        notes.append(ACTIVITY_MATCH_RULE)
    report.tables.append(
        Table(
            "activities",
            "Activities: fill rate, waitlist and attendance",
            header,
            activity_rows,
            chart=_bar([a.title for a in activities], series) if activities else None,
            note=" ".join(notes),
            empty="No activity in this week yet: add them on the week's plan.",
        )
    )
    ranked = sorted((a for a in activities if a.confirmed), key=lambda a: (-(a.attended), a.starts_at))
    report.most_attended = ranked[:5]
    report.least_attended = list(reversed(ranked[-5:])) if len(ranked) > 5 else []

    attendance = {
        row["activity__week_id"]: row
        for row in Registration.objects.filter(confirmed_q(team_ids=team_ids), activity__week_id__in=week_ids)
        .order_by()
        .values("activity__week_id")
        .annotate(confirmed=Count("pk"), attended=Count("pk", filter=attended_q(team_ids=team_ids)))
    }

    # Nominations by team, category and status, both weeks at once.
    nominations = (
        Nomination.objects.filter(nominee_team_q, week_id__in=week_ids)
        .exclude(status=Nomination.Status.WITHDRAWN)
        .order_by()
        .values("week_id", "nominee__team_id", "category__name", "status")
        .annotate(n=Count("pk"))
    )
    per_team: dict[tuple[int, int | None], dict[str, int]] = {}
    per_category: dict[tuple[int, str], dict[str, int]] = {}
    totals: dict[int, dict[str, int]] = {}
    for row in nominations:
        team_key = (row["week_id"], row["nominee__team_id"])
        for bucket in (per_team.setdefault(team_key, {}), totals.setdefault(row["week_id"], {})):
            bucket[row["status"]] = bucket.get(row["status"], 0) + row["n"]
        bucket = per_category.setdefault((row["week_id"], row["category__name"]), {})
        bucket[row["status"]] = bucket.get(row["status"], 0) + row["n"]

    def counts(bucket: dict[str, int]) -> tuple[int, int, int, float | None]:
        approved = bucket.get(Nomination.Status.APPROVED, 0)
        declined = bucket.get(Nomination.Status.DECLINED, 0)
        total = sum(bucket.values())
        return total, approved, declined, percent(approved, approved + declined)

    nomination_team_rows = []
    for team in teams:
        total, approved, _declined, rate = counts(per_team.get((week.pk, team["pk"]), {}))
        row = [team["name"], total, approved, _fmt(rate)]
        if previous:
            prev_total, prev_approved, _, _ = counts(per_team.get((previous.pk, team["pk"]), {}))
            row += [prev_total, delta(total, prev_total), prev_approved, delta(approved, prev_approved)]
        nomination_team_rows.append(row)
    header = ["Team", "Nominations", "Awards", "Approval %"]
    if previous:
        header += [
            f"Nominations {prev_label}",
            "Nominations change",
            f"Awards {prev_label}",
            "Awards change",
        ]
    report.tables.append(
        Table(
            "nominations-teams",
            "Nominations and awards by team",
            header,
            nomination_team_rows,
            chart=_bar(
                [team["name"] for team in teams],
                [
                    ("Nominations", [row[1] for row in nomination_team_rows]),
                    ("Awards", [row[2] for row in nomination_team_rows]),
                ],
            )
            if teams
            else None,
            note="By the nominee's team; withdrawn nominations are left out.",
        )
    )
    category_rows = []
    # Categories are compared by name; one held only last year shows with nothing this year.
    names = {name for week_id, name in per_category if week_id == week.pk or previous}
    for name in sorted(names, key=_key):
        bucket = per_category.get((week.pk, name), {})
        total, approved, declined, rate = counts(bucket)
        waiting = bucket.get(Nomination.Status.SUBMITTED, 0)
        row = [name, total, approved, declined, waiting, _fmt(rate)]
        if previous:
            prev_total, prev_approved, _, _ = counts(per_category.get((previous.pk, name), {}))
            row += [prev_total, delta(total, prev_total), prev_approved, delta(approved, prev_approved)]
        category_rows.append(row)
    category_header = ["Category", "Nominations", "Approved", "Declined", "Waiting", "Approval %"]
    if previous:
        category_header += [
            f"Nominations {prev_label}",
            "Nominations change",
            f"Approved {prev_label}",
            "Approved change",
        ]
    report.tables.append(
        Table(
            "nominations-categories",
            "Nominations by category",
            category_header,
            category_rows,
            chart=_bar(
                [row[0] for row in category_rows],
                [
                    ("Approved", [r[2] for r in category_rows]),
                    ("Declined", [r[3] for r in category_rows]),
                    ("Waiting", [r[4] for r in category_rows]),
                ],
                stacked=True,
            )
            if category_rows
            else None,
            note="Categories are compared with last year's category of the same name." if previous else "",
            empty="No nomination in this week yet.",
        )
    )

    # Median time to decision (hours), both weeks.
    durations: dict[int, list[float]] = {}
    decided = Nomination.objects.filter(
        nominee_team_q,
        week_id__in=week_ids,
        status__in=(Nomination.Status.APPROVED, Nomination.Status.DECLINED),
    ).values_list("week_id", "created_at", "reviewed_at")
    for week_id, created_at, reviewed_at in decided:
        durations.setdefault(week_id, []).append((reviewed_at - created_at).total_seconds() / 3600)

    def median_hours(week_id: int) -> float | None:
        values = durations.get(week_id)
        return round(statistics.median(values), 1) if values else None

    # People recognised for the first time: an award this week, none in any earlier week.
    earlier = Nomination.objects.filter(
        nominee_id=OuterRef("nominee_id"),
        status=Nomination.Status.APPROVED,
        week__year__lt=OuterRef("week__year"),
    )
    first_time = {
        row["week_id"]: row["n"]
        for row in Nomination.objects.filter(
            nominee_team_q, week_id__in=week_ids, status=Nomination.Status.APPROVED
        )
        .filter(~Exists(earlier))
        .order_by()
        .values("week_id")
        .annotate(n=Count("nominee", distinct=True))
    }

    def headline(week_id: int) -> dict[str, tuple[str, float | int | None]]:
        """Each figure as shown, and the number its change is worked out from."""
        participants = sum(n for (wid, _team), n in by_team.items() if wid == week_id)
        att = attendance.get(week_id, {"confirmed": 0, "attended": 0})
        total, approved, _declined, rate = counts(totals.get(week_id, {}))
        participation = percent(participants, people)
        attendance_rate = percent(att["attended"], att["confirmed"])
        median = median_hours(week_id)
        recognised = first_time.get(week_id, 0)
        return {
            "Participation": (f"{_fmt(participation)} % ({participants} of {people})", participation),
            "Attendance": (
                f"{_fmt(attendance_rate)} % ({att['attended']} of {att['confirmed']})",
                attendance_rate,
            ),
            "Nominations": (str(total), total),
            "Approval rate": (f"{_fmt(rate)} %", rate),
            "Median time to decision": (f"{_fmt(median)} h", median),
            "Awards": (str(approved), approved),
            "Recognised for the first time": (str(recognised), recognised),
        }

    now_figures = headline(week.pk)
    prev_figures = headline(previous.pk) if previous else {}
    report.headline = [
        (name, value, prev_figures[name][0] if previous else "") for name, (value, _n) in now_figures.items()
    ]
    summary_rows = []
    for name, (value, number) in now_figures.items():
        row = [name, value]
        if previous:
            before, before_number = prev_figures[name]
            row += [before, delta(number, before_number)]
        summary_rows.append(row)
    report.tables.insert(
        0,
        Table(
            "summary",
            "Summary",
            ["Figure", str(week.year)] + ([prev_label, "Change"] if previous else []),
            summary_rows,
            note="Change: percentage points for rates, hours for the time to decision." if previous else "",
        ),
    )

    if all_teams:
        report.tables.append(_email_table(week, previous))
    return report


def _email_table(week: Week, previous: Week | None) -> Table:
    """Emails about the week by kind: delivered, failed, skipped (opted out or no longer due)."""
    years = [week.year] + ([previous.year] if previous else [])
    labels = {kind.name: (kind.label, kind.preference) for kind in all_kinds()}
    table: dict[str, dict[tuple[int, str], int]] = {}
    rows = (
        Delivery.objects.filter(week_year__in=years)
        .order_by()
        .values_list("week_year", "kind", "status")
        .annotate(n=Count("pk"))
    )
    for year, kind, status, n in rows:
        table.setdefault(kind, {})[(year, status)] = n
    opted_out = dict(EmailOptOut.objects.order_by().values_list("preference").annotate(n=Count("pk")))
    out_rows = []
    for kind in sorted(table, key=lambda k: labels.get(k, (k, None))[0]):
        cells = table[kind]
        label, preference = labels.get(kind, (kind, None))
        row = [
            label,
            cells.get((week.year, Delivery.Status.SENT), 0),
            cells.get((week.year, Delivery.Status.FAILED), 0),
            cells.get((week.year, Delivery.Status.SKIPPED), 0),
            cells.get((week.year, Delivery.Status.PENDING), 0)
            + cells.get((week.year, Delivery.Status.SENDING), 0),
            opted_out.get(preference, 0) if preference else "—",
        ]
        if previous:
            sent_before = cells.get((previous.year, Delivery.Status.SENT), 0)
            failed_before = cells.get((previous.year, Delivery.Status.FAILED), 0)
            row += [sent_before, delta(row[1], sent_before), failed_before, delta(row[2], failed_before)]
        out_rows.append(row)
    header = ["Email", "Delivered", "Failed", "Skipped", "On its way", "People opted out (today)"]
    if previous:
        header += [
            f"Delivered {previous.year}",
            "Delivered change",
            f"Failed {previous.year}",
            "Failed change",
        ]
    return Table(
        "emails",
        "Emails about the week, by kind",
        header,
        out_rows,
        chart=_bar(
            [row[0] for row in out_rows],
            [
                ("Delivered", [r[1] for r in out_rows]),
                ("Failed", [r[2] for r in out_rows]),
                ("Skipped", [r[3] for r in out_rows]),
            ],
            stacked=True,
        )
        if out_rows
        else None,
        note="Skipped: the person had opted out, or the email was no longer due when its turn came.",
        empty="No email about this week yet.",
    )
