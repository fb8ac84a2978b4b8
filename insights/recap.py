"""What the week recap shows: headline numbers, awards by category with their stories,
participation by team, the best-attended activities and a few customer quotes, in a fixed number
of queries whatever the size of the organisation."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from events.models import Activity, Registration, Week
from insights.reports import SIGNED_UP, attended_q, confirmed_q, counted_q, percent
from people.models import Team
from recognition.models import Nomination

STORIES_PER_CATEGORY = 10
BEST_ACTIVITIES = 5
QUOTES = 3


@dataclass
class CategoryAwards:
    name: str
    count: int
    awards: list[Nomination] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.awards)


@dataclass
class Recap:
    week: Week
    headline: list[tuple[str, str]]
    categories: list[CategoryAwards]
    teams: list[dict]
    best_activities: list[Activity]
    quotes: list[Nomination]


def build_recap(week: Week) -> Recap:
    teams = list(
        Team.objects.annotate(size=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
        .values("pk", "name", "size")
    )
    signed = dict(
        Registration.objects.filter(counted_q(team_ids=None), activity__week=week, status__in=SIGNED_UP)
        .order_by()
        .values_list("user__team_id")
        .annotate(n=Count("user", distinct=True))
    )
    for team in teams:
        team["signed_up"] = signed.get(team["pk"], 0)
        team["rate"] = percent(team["signed_up"], team["size"])
    people = sum(team["size"] for team in teams)
    participants = sum(signed.values())

    activities = list(
        Activity.objects.filter(week=week, status=Activity.Status.SCHEDULED)
        .annotate(
            # Counted as the report counts them for every team, so the two never disagree.
            attended=Count("registrations", filter=attended_q(team_ids=None, prefix="registrations__")),
            confirmed=Count("registrations", filter=confirmed_q(team_ids=None, prefix="registrations__")),
        )
        .order_by("-attended", "starts_at", "pk")
        .only("pk", "title", "starts_at", "week_id")
    )
    attended = sum(activity.attended for activity in activities)
    confirmed = sum(activity.confirmed for activity in activities)
    best = [activity for activity in activities if activity.attended][:BEST_ACTIVITIES]

    counts = {
        row["category_id"]: row
        for row in Nomination.objects.filter(week=week)
        .exclude(status=Nomination.Status.WITHDRAWN)
        .order_by()
        .values("category_id", "category__name", "category__position")
        .annotate(
            total=Count("pk"),
            # Only announced awards: the recap is read (and emailed) beyond the award's reviewers.
            awards=Count("pk", filter=Q(status=Nomination.Status.APPROVED, announced_at__isnull=False)),
        )
    }
    ranked = (
        Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED, announced_at__isnull=False)
        .select_related("nominee__team", "nominator", "category")
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("category_id")], order_by=[F("reviewed_at").asc(), F("pk")]
            )
        )
        .filter(rank__lte=STORIES_PER_CATEGORY)
        .order_by("category__position", "category__name", "rank")
    )
    categories: dict[int, CategoryAwards] = {}
    for award in ranked:
        row = counts.get(award.category_id, {"awards": 0})
        categories.setdefault(
            award.category_id, CategoryAwards(award.category.name, row["awards"])
        ).awards.append(award)
    quotes = list(
        Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED, announced_at__isnull=False)
        .exclude(evidence_quote="")
        .select_related("nominee")
        .order_by("-reviewed_at", "-pk")[:QUOTES]
    )
    nominations = sum(row["total"] for row in counts.values())
    awards = sum(row["awards"] for row in counts.values())
    headline = [
        ("People who took part", f"{participants} of {people}"),
        ("Activities held", str(len(activities))),
        ("Attendance", f"{attended} of {confirmed} places ({percent(attended, confirmed) or 0} %)"),
        ("Nominations", str(nominations)),
        ("Awards", str(awards)),
    ]
    return Recap(
        week=week,
        headline=headline,
        categories=list(categories.values()),
        teams=teams,
        best_activities=best,
        quotes=quotes,
    )
