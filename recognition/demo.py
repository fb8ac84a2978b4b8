"""Demo kudos for seed_demo: categories on every demo week, nominations in every state, awards with reactions.

Idempotent: every row is looked up by its natural key first, so running it again adds nothing.
"""

import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from csweek.core.demo_pictures import ceremony
from events.models import Week, default_week_dates
from people.models import User
from recognition.announcements import demo as announcements_demo
from recognition.models import AwardCategory, Nomination, Reaction
from recognition.services import award_photo_set, categories_create_defaults

HERO, RESPECT, TEAM, STAR, BEYOND = (
    "Customer Hero",
    "Service with Respect Award",
    "Team Player",
    "Rising Star",
    "Above and Beyond",
)

STORIES = {
    "refund": (
        "A customer was charged twice and had already called three times. {n} took ownership, got the "
        "refund approved the same afternoon and called back to confirm it had landed.",
        "I finally felt listened to. Thank you for not passing me on again.",
        "Ticket #48213",
    ),
    "outage": (
        "During the Tuesday outage {n} kept the queue calm, wrote the status message everyone used, "
        "and still called back every customer who had waited more than twenty minutes.",
        "",
        "",
    ),
    "elderly": (
        "{n} spent forty minutes walking an elderly customer through setting up online banking, patiently, "
        "step by step, and followed up by letter with the steps written out.",
        "She treated my mother with such kindness. Five stars is not enough.",
        "Survey comment 2291",
    ),
    "mentor": (
        "{n} mentored two new starters through their first month: shadowing sessions, a cheat sheet for the "
        "billing system, and a daily check-in that made them feel part of the team.",
        "",
        "",
    ),
    "escalation": (
        "A furious customer threatened to leave after a failed delivery. {n} stayed calm, found the "
        "parcel at the depot, arranged a same-day courier and turned the call into a thank-you.",
        "Honestly the best customer service I've had from any company.",
        "Case CS-7731",
    ),
    "knowledge": (
        "{n} rewrote the troubleshooting articles for the new router after noticing the same five questions "
        "every day; repeat calls on that topic dropped by a third in a month.",
        "",
        "KB update 2.4",
    ),
    "cover": (
        "When half the team was off sick, {n} covered two extra shifts, kept the callback list under control "
        "and still found time to thank everyone in the evening hand-over.",
        "",
        "",
    ),
    "language": (
        "{n} noticed a customer struggling in English, switched to Spanish, and sorted out a complicated "
        "insurance claim that had been stuck for weeks.",
        "Por fin alguien me entendió. Muchas gracias.",
        "Call ref 55-902",
    ),
    "accessibility": (
        "{n} spotted that our payment form did not work with a screen reader, took the customer's payment by "
        "phone and reported the bug with clear steps; it was fixed within the week.",
        "You made me feel like my business mattered.",
        "Ticket #50122",
    ),
    "newbie": (
        "Only three months in, {n} already has the highest satisfaction score on the team and volunteers for "
        "the tricky chats nobody else wants.",
        "Quick, friendly and actually solved it.",
        "CSAT 5/5, chat 8812",
    ),
    "weekend": (
        "{n} answered an urgent message on a Saturday from a small business whose card terminal had failed, "
        "and got them a replacement before their busiest day.",
        "You saved our weekend trade.",
        "Ticket #47007",
    ),
    "process": (
        "{n} suggested combining the two identity checks into one, which cut two minutes off every call "
        "without making anything less secure. Customers noticed straight away.",
        "",
        "",
    ),
}
STORY_KEYS = list(STORIES)

DECLINE_COMMENTS = [
    "A lovely story, but this was part of the normal process; "
    "please nominate again with what the customer said.",
    "This describes the whole team's work; consider Team Player for everyone involved instead.",
]

# year offset (-1 last year, 0 this year, 1 next year), category, nominator, nominee, status, anonymous
F = "@example.com"
PLAN = [
    # Last year's wall: awards with reactions (one anonymous), plus declined and withdrawn ones.
    (-1, HERO, "manager" + F, "jamie.chen" + F, "approved", False),
    (-1, HERO, "priya.nair" + F, "aisha.bello" + F, "approved", False),
    (-1, RESPECT, "grace.mensah" + F, "mei.lin" + F, "approved", True),
    (-1, TEAM, "agent" + F, "fatima.khan" + F, "approved", False),
    (-1, TEAM, "yuki.tanaka" + F, "diego.santos" + F, "approved", False),
    (-1, STAR, "marcus.webb" + F, "noah.williams" + F, "approved", False),
    (-1, BEYOND, "sofia.alvarez" + F, "oliver.brown" + F, "approved", False),
    (-1, BEYOND, "ravi.sharma" + F, "emma.schulz" + F, "approved", False),
    (-1, HERO, "liam.oconnor" + F, "agent" + F, "declined", False),
    (-1, STAR, "emma.schulz" + F, "ravi.sharma" + F, "withdrawn", False),
    # This year: awards, one of them to a repeat winner, declined, withdrawn and still-open ones.
    (0, HERO, "fatima.khan" + F, "jamie.chen" + F, "approved", False),
    (0, RESPECT, "liam.oconnor" + F, "agent" + F, "approved", False),
    (0, TEAM, "aisha.bello" + F, "ravi.sharma" + F, "approved", False),
    (0, STAR, "oliver.brown" + F, "grace.mensah" + F, "approved", False),
    (0, BEYOND, "noah.williams" + F, "yuki.tanaka" + F, "approved", False),
    (0, BEYOND, "coordinator" + F, "mei.lin" + F, "approved", False),
    (0, HERO, "diego.santos" + F, "noah.williams" + F, "declined", False),
    (0, TEAM, "mei.lin" + F, "oliver.brown" + F, "declined", False),
    (0, RESPECT, "jamie.chen" + F, "fatima.khan" + F, "withdrawn", False),
    (0, STAR, "agent" + F, "liam.oconnor" + F, "submitted", False),
    (0, HERO, "emma.schulz" + F, "aisha.bello" + F, "submitted", False),
    # Next year's week (open now in the demo): the queue waiting for manager@example.com and others.
    (1, HERO, "agent" + F, "jamie.chen" + F, "submitted", False),
    (1, RESPECT, "grace.mensah" + F, "fatima.khan" + F, "submitted", True),
    (1, TEAM, "jamie.chen" + F, "liam.oconnor" + F, "submitted", False),
    (1, STAR, "coordinator" + F, "agent" + F, "submitted", False),
    (1, BEYOND, "aisha.bello" + F, "jamie.chen" + F, "submitted", False),
    (1, TEAM, "fatima.khan" + F, "agent" + F, "withdrawn", False),
    (1, HERO, "ravi.sharma" + F, "emma.schulz" + F, "submitted", False),
    (1, RESPECT, "oliver.brown" + F, "grace.mensah" + F, "submitted", False),
    # Approved, and held back until Recognition Day: manager@ sees it coming, agent@ is surprised.
    (1, BEYOND, "grace.mensah" + F, "agent" + F, "approved", False),
    (1, TEAM, "yuki.tanaka" + F, "diego.santos" + F, "submitted", False),
    (1, BEYOND, "manager" + F, "mei.lin" + F, "declined", False),
]
REVIEWER = {  # who reviews a nominee, by team; coordinators for the rest
    "Front Line Support": "manager" + F,
    "Billing and Accounts": "priya.nair" + F,
    "Technical Support": "marcus.webb" + F,
    "Customer Success": "sofia.alvarez" + F,
}
KINDS = [Reaction.Kind.CLAP, Reaction.Kind.HEART, Reaction.Kind.PARTY]


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _weeks(today: datetime.date) -> dict[int, Week]:
    weeks = {}
    for offset in (-1, 0, 1):
        year = today.year + offset
        starts_on, ends_on = default_week_dates(year)
        weeks[offset], _ = Week.objects.get_or_create(
            year=year, defaults={"starts_on": starts_on, "ends_on": ends_on, "status": Week.Status.PUBLISHED}
        )
    return weeks


def _categories(weeks: dict[int, Week], now: datetime.datetime) -> dict[tuple[int, str], AwardCategory]:
    for offset, week in weeks.items():
        categories_create_defaults(week=week)
        if offset == 1 and not week.nominations.exists():
            # So that the demo can be tried today: next year's nominations are open from yesterday.
            week.award_categories.filter(opens_at__gt=now).update(opens_at=now - datetime.timedelta(days=1))
    return {
        (offset, c.name): c for offset, week in weeks.items() for c in AwardCategory.objects.filter(week=week)
    }


@transaction.atomic
def seed(*, scale: int = 0, stdout=None) -> None:
    now = timezone.now()
    weeks = _weeks(timezone.localdate())
    categories = _categories(weeks, now)
    people = {u.email: u for u in User.objects.filter(email__iendswith=F).select_related("team")}
    if "agent" + F not in people:
        _say(stdout, "Recognition demo skipped: run the people demo first.\n")
        return
    existing = set(Nomination.objects.values_list("nominator_id", "nominee_id", "category_id"))
    new = []
    for index, (offset, category_name, nominator_email, nominee_email, status, anonymous) in enumerate(PLAN):
        category = categories[(offset, category_name)]
        nominator, nominee = people[nominator_email], people[nominee_email]
        if (nominator.pk, nominee.pk, category.pk) in existing:
            continue
        new.append(_nomination(index, category, nominator, nominee, status, anonymous, people, now))
    new += _scaled(scale, categories, people, existing, now)
    Nomination.objects.bulk_create(new, batch_size=1000)
    reactions = _reactions(weeks, scale, people)
    announcements_demo.seed(now=now)
    _award_photos(weeks[-1], people["coordinator" + F])
    _say(stdout, f"Recognition demo ready ({len(new)} new nominations, {reactions} new reactions).\n")


AWARD_PHOTOS = 4  # last year's first announced awards with a photo from the ceremony


def _award_photos(last_year: Week, coordinator: User) -> None:
    """Photos on some of last year's announced awards (their certificates are made on demand)."""
    awards = Nomination.objects.filter(
        week=last_year, status=Nomination.Status.APPROVED, announced_at__isnull=False
    ).order_by("category__position", "pk")[:AWARD_PHOTOS]
    for number, award in enumerate(awards):
        if award.photo and default_storage.exists(award.photo):
            continue
        award_photo_set(award=award, by=coordinator, photo=ceremony(number))


def _nomination(index, category, nominator, nominee, status, anonymous, people, now) -> Nomination:
    story, quote, reference = STORIES[STORY_KEYS[index % len(STORY_KEYS)]]
    created_at = min(
        category.opens_at + datetime.timedelta(hours=6 + index * 5), now - datetime.timedelta(hours=2)
    )
    nomination = Nomination(
        week_id=category.week_id,
        category=category,
        nominator=nominator,
        nominee=nominee,
        story=story.format(n=nominee.first_name),
        evidence_quote=quote,
        evidence_reference=reference,
        anonymous=anonymous,
        status=status,
        created_at=created_at,
    )
    if status in (Nomination.Status.APPROVED, Nomination.Status.DECLINED):
        team = nominee.team.name if nominee.team else ""
        reviewer = people.get(REVIEWER.get(team, ""), people["coordinator" + F])
        if reviewer.pk == nominator.pk:
            reviewer = people["coordinator" + F]
        nomination.reviewed_by = reviewer
        nomination.reviewed_at = min(
            created_at + datetime.timedelta(days=1), now - datetime.timedelta(hours=1)
        )
        nomination.review_comment = (
            "Well deserved, thank you for writing it up."
            if status == Nomination.Status.APPROVED
            else DECLINE_COMMENTS[index % len(DECLINE_COMMENTS)]
        )
        if status == Nomination.Status.APPROVED and category.announce_at <= now:
            # Announced at its category's moment, as beat does; later ones stay held back.
            nomination.announced_at = category.announce_at
    elif status == Nomination.Status.WITHDRAWN:
        nomination.withdrawn_at = created_at + datetime.timedelta(hours=3)
    return nomination


def _scaled(scale, categories, people, existing, now) -> list[Nomination]:
    """The agents added by --scale nominate each other: awards (in the unlimited category) and the rest."""
    if scale <= 0:
        return []
    extra = list(
        User.objects.filter(email__startswith="agent0", email__iendswith=F)
        .select_related("team")
        .order_by("email")
    )
    statuses = [
        Nomination.Status.APPROVED,
        Nomination.Status.SUBMITTED,
        Nomination.Status.DECLINED,
        Nomination.Status.SUBMITTED,
    ]
    rows = []
    for index, nominator in enumerate(extra):
        nominee = extra[(index + 1) % len(extra)] if len(extra) > 1 else people["agent" + F]
        # Agents are spread over the four teams in turn: shifting the statuses every four agents
        # gives every team its share of each (every manager has a queue waiting).
        status = statuses[(index + index // 4) % len(statuses)]
        name = BEYOND if status == Nomination.Status.APPROVED else [HERO, TEAM, STAR][index % 3]
        category = categories[(0, name)]
        if nominee.pk == nominator.pk or (nominator.pk, nominee.pk, category.pk) in existing:
            continue
        rows.append(_nomination(index, category, nominator, nominee, status, index % 7 == 0, people, now))
    return rows


def _reactions(weeks, scale, people) -> int:
    awards = list(
        Nomination.objects.filter(week__in=[weeks[-1], weeks[0]], status=Nomination.Status.APPROVED)
        .order_by("week__year", "pk")
        .values_list("pk", "nominee_id")[:60]
    )
    named = [u for email, u in sorted(people.items()) if not email.startswith("agent0")]
    extra = (
        list(User.objects.filter(email__startswith="agent0", email__iendswith=F).order_by("email"))
        if scale > 0
        else []
    )
    existing = set(Reaction.objects.values_list("nomination_id", "user_id"))
    rows = []
    for a, (award_id, nominee_id) in enumerate(awards):
        # Five named colleagues on every award, and each added agent on one award.
        chosen = [named[(a + k) % len(named)] for k in range(5)] + extra[a :: len(awards)]
        for r, user in enumerate(chosen):
            if user.pk == nominee_id or (award_id, user.pk) in existing:
                continue
            existing.add((award_id, user.pk))
            rows.append(Reaction(nomination_id=award_id, user=user, kind=KINDS[(a + r) % 3]))
    Reaction.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
