"""Every write about award categories, nominations, awards and reactions goes through these functions."""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from events.models import Week
from events.services import shift_keeping_local_time
from people.models import User
from recognition import permissions
from recognition.models import STORY_MAX_LENGTH, STORY_MIN_LENGTH, AwardCategory, Nomination, Reaction

# name, description, award limit
DEFAULT_CATEGORIES = [
    (
        "Customer Hero",
        "Went out of their way for a customer, and the customer noticed.",
        3,
    ),
    (
        "Service with Respect Award",
        "Treated every customer with patience, dignity and care, especially on the hard calls.",
        3,
    ),
    ("Team Player", "Made the team better: covered shifts, shared knowledge, lifted spirits.", 3),
    ("Rising Star", "New to the team (or the role) and already making a difference.", 2),
    ("Above and Beyond", "Did something nobody asked for that made a real difference.", None),
]
# Nominations open three weeks before the Monday and close on the Friday at 17:00, in the week's zone.
WINDOW_OPENS_DAYS_BEFORE = 21
WINDOW_CLOSES_AT = datetime.time(17, 0)


def _local(week: Week, day: datetime.date, at: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(week.time_zone))


def category_default_window(*, week: Week) -> tuple[datetime.datetime, datetime.datetime]:
    opens = _local(
        week, week.starts_on - datetime.timedelta(days=WINDOW_OPENS_DAYS_BEFORE), datetime.time(0, 0)
    )
    closes = _local(week, week.ends_on, WINDOW_CLOSES_AT)
    return opens.astimezone(datetime.UTC), closes.astimezone(datetime.UTC)


@transaction.atomic
def categories_create_defaults(*, week: Week) -> list[AwardCategory]:
    """Give `week` the default categories it does not have yet; returns the ones created."""
    opens_at, closes_at = category_default_window(week=week)
    existing = set(week.award_categories.values_list("name", flat=True))
    created = [
        AwardCategory(
            week=week,
            name=name,
            description=description,
            award_limit=limit,
            opens_at=opens_at,
            closes_at=closes_at,
            position=position,
        )
        for position, (name, description, limit) in enumerate(DEFAULT_CATEGORIES)
        if name not in existing
    ]
    AwardCategory.objects.bulk_create(created)
    return created


def _shift_local(
    moment: datetime.datetime, *, days: int, source_zone: str, target_zone: str
) -> datetime.datetime:
    """The same wall-clock time `days` later: 09:00 in London stays 09:00 across a DST change."""
    return shift_keeping_local_time(
        moment, zone=zoneinfo.ZoneInfo(source_zone), days=days, to_zone=zoneinfo.ZoneInfo(target_zone)
    )


@transaction.atomic
def categories_copy(*, source: Week, target: Week, replace_unused: bool = False) -> list[AwardCategory]:
    """Copy the categories of `source` to `target`, windows moved by the days between the weeks.

    With `replace_unused`, the target's categories without nominations (such as the defaults a new
    week starts with) give way to the copies; a category someone already nominated in is kept.
    """
    days = (target.starts_on - source.starts_on).days
    if replace_unused:
        target.award_categories.exclude(
            pk__in=Nomination.objects.filter(week=target).values("category_id")
        ).delete()
    existing = set(target.award_categories.values_list("name", flat=True))
    zones = {"source_zone": source.time_zone, "target_zone": target.time_zone}
    copies = [
        AwardCategory(
            week=target,
            name=category.name,
            description=category.description,
            award_limit=category.award_limit,
            position=category.position,
            opens_at=_shift_local(category.opens_at, days=days, **zones),
            closes_at=_shift_local(category.closes_at, days=days, **zones),
        )
        for category in source.award_categories.order_by("position", "name")
        if category.name not in existing
    ]
    AwardCategory.objects.bulk_create(copies)
    return copies


@transaction.atomic
def categories_follow_week(*, week: Week, days: int, old_time_zone: str) -> int:
    """The week moved (or changed zone): its nomination windows keep their local times, `days` on."""
    categories = list(week.award_categories.select_for_update())
    zones = {"source_zone": old_time_zone, "target_zone": week.time_zone}
    for category in categories:
        category.opens_at = _shift_local(category.opens_at, days=days, **zones)
        category.closes_at = _shift_local(category.closes_at, days=days, **zones)
    AwardCategory.objects.bulk_update(categories, ["opens_at", "closes_at"])
    return len(categories)


# --- Nominations ------------------------------------------------------------------------------


def daily_limit() -> int:
    return settings.RECOGNITION_DAILY_NOMINATION_LIMIT


def _when(moment: datetime.datetime, user: User) -> str:
    """A time as `user` reads it, with the zone named."""
    zone = zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    local = moment.astimezone(zone)
    return f"{date_format(local, 'j F Y, H:i')} ({user.time_zone})"


def nomination_check(
    *,
    nominator: User,
    nominee: User | None,
    category: AwardCategory | None,
    story: str,
    now: datetime.datetime | None = None,
) -> None:
    """Every rule a new nomination must pass, each refusal a message the nominator can act on."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    story = (story or "").strip()
    if not permissions.can_nominate(nominator):
        raise PermissionDenied("Sign in with an active account to send a nomination.")
    if nominee is None:
        errors.setdefault("nominee", []).append("Choose the colleague you are nominating.")
    elif nominee.pk == nominator.pk:
        errors.setdefault("nominee", []).append(
            "You cannot nominate yourself; nominate a colleague who deserves it."
        )
    elif not nominee.is_active:
        errors.setdefault("nominee", []).append(f"{nominee.name} no longer has an active account.")
    if category is None:
        errors.setdefault("category", []).append("Choose an award category.")
    else:
        if not category.week.is_published:
            errors.setdefault("category", []).append("This week is not published yet.")
        elif now < category.opens_at:
            errors.setdefault("category", []).append(
                f"Nominations for {category.name} open on {_when(category.opens_at, nominator)}."
            )
        elif now >= category.closes_at:
            errors.setdefault("category", []).append(
                f"Nominations for {category.name} closed on {_when(category.closes_at, nominator)}."
            )
    if len(story) < STORY_MIN_LENGTH:
        errors.setdefault("story", []).append(
            f"Tell the story in at least {STORY_MIN_LENGTH} characters: what they did and why it mattered "
            f"(you wrote {len(story)})."
        )
    elif len(story) > STORY_MAX_LENGTH:
        errors.setdefault("story", []).append(
            f"Keep the story to {STORY_MAX_LENGTH} characters (you wrote {len(story)})."
        )
    if nominee is not None and category is not None and "nominee" not in errors:
        earlier = (
            Nomination.objects.filter(
                nominator=nominator, nominee=nominee, category=category, week_id=category.week_id
            )
            .values_list("status", flat=True)
            .first()
        )
        if earlier is not None:
            withdrawn = " (and withdrew it)" if earlier == Nomination.Status.WITHDRAWN else ""
            errors.setdefault("nominee", []).append(
                f"You have already nominated {nominee.name} for {category.name} this week{withdrawn}; "
                "choose another category."
            )
    if errors:
        raise ValidationError(errors)
    limit = daily_limit()
    since = now - datetime.timedelta(hours=24)
    sent = list(
        Nomination.objects.filter(nominator=nominator, created_at__gt=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(sent) >= limit:
        again = sent[0] + datetime.timedelta(hours=24)
        raise ValidationError(
            f"You have sent {limit} nominations in the last 24 hours, the most allowed. "
            f"You can send the next one after {_when(again, nominator)}; your story is kept below."
        )


@transaction.atomic
def nomination_create(
    *,
    nominator: User,
    nominee: User,
    category: AwardCategory,
    story: str,
    evidence_quote: str = "",
    evidence_reference: str = "",
    anonymous: bool = False,
    now: datetime.datetime | None = None,
) -> Nomination:
    """Send a nomination; the nominee's managers are told once it is saved."""
    now = now or timezone.now()
    # Lock the nominator so two tabs sending at once cannot both slip under the daily limit.
    User.objects.select_for_update().filter(pk=nominator.pk).first()
    nomination_check(nominator=nominator, nominee=nominee, category=category, story=story, now=now)
    nomination = Nomination(
        week_id=category.week_id,
        category=category,
        nominator=nominator,
        nominee=nominee,
        story=story.strip(),
        evidence_quote=(evidence_quote or "").strip(),
        evidence_reference=(evidence_reference or "").strip(),
        anonymous=anonymous,
        created_at=now,
    )
    nomination.full_clean(exclude=["week", "category", "nominator", "nominee"], validate_constraints=False)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as error:
        raise ValidationError(
            {"nominee": f"You have already nominated {nominee.name} for {category.name} this week."}
        ) from error
    from recognition import tasks

    transaction.on_commit(lambda: tasks.send_nomination_submitted.delay(nomination.pk))
    return nomination


def _locked(nomination: Nomination) -> Nomination:
    """Re-read the nomination under a row lock, so two reviewers (or a withdrawal) cannot both win."""
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    for field in (
        "status",
        "reviewed_by_id",
        "review_comment",
        "reviewed_at",
        "withdrawn_at",
        "announced_at",
    ):
        setattr(nomination, field, getattr(locked, field))
    return nomination


@transaction.atomic
def nomination_withdraw(
    *, nomination: Nomination, by: User, now: datetime.datetime | None = None
) -> Nomination:
    """The nominator takes their nomination back, as long as nobody has reviewed it."""
    if nomination.nominator_id != by.pk:
        raise PermissionDenied("Only the person who sent a nomination can withdraw it.")
    _locked(nomination)
    if nomination.status != Nomination.Status.SUBMITTED:
        raise ValidationError(
            f"This nomination is already {nomination.get_status_display().lower()}; "
            "it can no longer be withdrawn."
        )
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.withdrawn_at = now or timezone.now()
    nomination.save(update_fields=["status", "withdrawn_at"])
    return nomination


def _require_reviewer(by: User, nomination: Nomination) -> None:
    if not permissions.can_review(by, nomination):
        if by.pk == nomination.nominator_id:
            raise PermissionDenied("You sent this nomination; another manager or a coordinator reviews it.")
        raise PermissionDenied("Only the nominee's manager or a coordinator can review this nomination.")


def _require_submitted(nomination: Nomination) -> None:
    if nomination.status != Nomination.Status.SUBMITTED:
        raise ValidationError(
            f"This nomination is already {nomination.get_status_display().lower()}; nothing was changed."
        )


def category_awards_count(category: AwardCategory) -> int:
    return category.nominations.filter(status=Nomination.Status.APPROVED).count()


@transaction.atomic
def nomination_approve(
    *, nomination: Nomination, by: User, comment: str = "", now: datetime.datetime | None = None
) -> Nomination:
    """Approve a submitted nomination, making it an award; the category's limit is never passed."""
    _require_reviewer(by, nomination)
    # The category row lock serialises approvals in one category, so two reviewers cannot both
    # take the last place under the award limit.
    category = AwardCategory.objects.select_for_update().get(pk=nomination.category_id)
    _locked(nomination)
    _require_submitted(nomination)
    if category.award_limit is not None and category_awards_count(category) >= category.award_limit:
        raise ValidationError(
            f"{category.name} already has {category.award_limit} "
            f"award{'s' if category.award_limit != 1 else ''} this week, its limit; "
            "decline this nomination or ask a coordinator to raise the limit."
        )
    nomination.status = Nomination.Status.APPROVED
    nomination.reviewed_by = by
    nomination.review_comment = (comment or "").strip()
    nomination.reviewed_at = now or timezone.now()
    nomination.save(update_fields=["status", "reviewed_by", "review_comment", "reviewed_at"])
    from recognition import tasks

    transaction.on_commit(lambda: tasks.send_nomination_decided.delay(nomination.pk))
    transaction.on_commit(lambda: tasks.send_award_received.delay(nomination.pk))
    return nomination


@transaction.atomic
def nomination_decline(
    *, nomination: Nomination, by: User, comment: str, now: datetime.datetime | None = None
) -> Nomination:
    """Decline a submitted nomination; the comment goes to the nominator only."""
    _require_reviewer(by, nomination)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": "Say why you decline it: the nominator reads this comment (the nominee never does)."}
        )
    _locked(nomination)
    _require_submitted(nomination)
    nomination.status = Nomination.Status.DECLINED
    nomination.reviewed_by = by
    nomination.review_comment = comment
    nomination.reviewed_at = now or timezone.now()
    nomination.save(update_fields=["status", "reviewed_by", "review_comment", "reviewed_at"])
    from recognition import tasks

    transaction.on_commit(lambda: tasks.send_nomination_decided.delay(nomination.pk))
    return nomination


@dataclass
class BulkResult:
    approved: list[Nomination]
    refused: list[tuple[Nomination, str]]


def nominations_bulk_approve(
    *, nominations: Iterable[Nomination], by: User, comment: str = "", now: datetime.datetime | None = None
) -> BulkResult:
    """Approve each nomination with one comment; each is its own transaction, refusals are reported."""
    result = BulkResult(approved=[], refused=[])
    for nomination in nominations:
        try:
            result.approved.append(nomination_approve(nomination=nomination, by=by, comment=comment, now=now))
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            result.refused.append((nomination, message))
    return result


# --- The wall ---------------------------------------------------------------------------------


@transaction.atomic
def reaction_toggle(*, nomination: Nomination, user: User, kind: str) -> Reaction | None:
    """React to an award; the same kind again takes the reaction back, another kind replaces it."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(f"Unknown reaction “{kind}”. Choose clap, heart or party.")
    if not permissions.can_react(user, nomination):
        raise PermissionDenied("You can react only to awards on the wall.")
    existing = Reaction.objects.select_for_update().filter(nomination=nomination, user=user).first()
    if existing is not None:
        if existing.kind == kind:
            existing.delete()
            return None
        existing.kind = kind
        existing.save(update_fields=["kind"])
        return existing
    try:
        with transaction.atomic():
            return Reaction.objects.create(nomination=nomination, user=user, kind=kind)
    except IntegrityError:
        # A double click raced us: the other request's reaction stands.
        return Reaction.objects.get(nomination=nomination, user=user)


@transaction.atomic
def awards_mark_announced(*, week: Week, by: User, now: datetime.datetime | None = None) -> int:
    """Mark the week's awards announced (Recognition Day); returns how many were newly marked."""
    if not permissions.can_announce_awards(by):
        raise PermissionDenied("Only a coordinator can announce the awards.")
    now = now or timezone.now()
    today = now.astimezone(zoneinfo.ZoneInfo(week.time_zone)).date()
    if today < week.starts_on:
        raise ValidationError(
            f"The awards of {week.year} can be announced once the week has started "
            f"({date_format(week.starts_on, 'l j F Y')})."
        )
    return Nomination.objects.filter(
        Q(week=week, status=Nomination.Status.APPROVED, announced_at__isnull=True)
    ).update(announced_at=now)
