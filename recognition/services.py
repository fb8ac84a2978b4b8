"""Every write about award categories, nominations, awards and reactions goes through these functions."""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.services import audit_record
from csweek.core import versions
from csweek.core.images import OUTPUT_EXTENSION, award_photo_encode
from csweek.core.media import media_delete_on_commit, media_store
from csweek.core.time import shift_keeping_local_time
from csweek.core.validators import COMMENT_MAX_LENGTH, max_length_validator
from events.models import Week
from outbox.selectors import opted_in, without_delivery, without_delivery_about_themselves
from outbox.services import chat_posts_queue, deliveries_batch, deliveries_create, deliveries_create_each
from people.models import Role, User
from people.permissions import is_coordinator, is_manager
from recognition import permissions
from recognition.certificates import story_line
from recognition.models import (
    CATEGORY_FIELDS,
    DECLINE_COMMENT_MESSAGE,
    SELF_NOMINATION_MESSAGE,
    STORY_MAX_LENGTH,
    STORY_MIN_LENGTH,
    AwardCategory,
    Nomination,
    Reaction,
)

# The library of common categories a coordinator picks from: name, description, award limit, who
# may be nominated. The first five are the ones a new week starts with.
CATEGORY_LIBRARY = [
    (
        "Customer Hero",
        "Went out of their way for a customer, and the customer noticed.",
        3,
        AwardCategory.Eligible.EVERYONE,
    ),
    (
        "Service with Respect Award",
        "Treated every customer with patience, dignity and care, especially on the hard calls.",
        3,
        AwardCategory.Eligible.EVERYONE,
    ),
    (
        "Team Player",
        "Made the team better: covered shifts, shared knowledge, lifted spirits.",
        3,
        AwardCategory.Eligible.EVERYONE,
    ),
    (
        "Rising Star",
        "New to the team (or the role) and already making a difference.",
        2,
        AwardCategory.Eligible.AGENTS,
    ),
    (
        "Above and Beyond",
        "Did something nobody asked for that made a real difference.",
        None,
        AwardCategory.Eligible.EVERYONE,
    ),
    (
        "Problem Solver",
        "Found the real cause of a customer's problem and fixed it for good, not just for today.",
        2,
        AwardCategory.Eligible.EVERYONE,
    ),
    (
        "Calm in the Storm",
        "Kept their head and their kindness through an outage, a queue spike or a very angry caller.",
        2,
        AwardCategory.Eligible.AGENTS,
    ),
    (
        "Mentor of the Year",
        "Helped colleagues grow: coaching, pairing, answering the same question patiently twice.",
        1,
        AwardCategory.Eligible.EVERYONE,
    ),
    (
        "Leader Who Serves",
        "A manager who removed obstacles for the front line and put customers and team first.",
        1,
        AwardCategory.Eligible.MANAGERS,
    ),
]
DEFAULT_CATEGORIES = CATEGORY_LIBRARY[:5]
# The awards are announced at 09:00 on Recognition Day, in the week's zone.
ANNOUNCE_AT = datetime.time(9, 0)
RECOGNITION_THEME_WORD = "recognition"
FRIDAY = 4


def _local(week: Week, day: datetime.date, at: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(week.time_zone))


def recognition_day(*, week: Week) -> datetime.date:
    """The day whose theme is recognition; without one, the week's Friday (or its last day)."""
    themed = (
        week.day_themes.filter(title__icontains=RECOGNITION_THEME_WORD)
        .order_by("date")
        .values_list("date", flat=True)
    ).first()
    if themed is not None:
        return themed
    return min(week.starts_on + datetime.timedelta(days=FRIDAY), week.ends_on)


@dataclass
class CategoryMoments:
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    announce_at: datetime.datetime


def category_default_moments(*, week: Week) -> CategoryMoments:
    """Nominations open on the week's Monday at 00:00 and close at the end of the day before
    Recognition Day; the awards are announced at 09:00 on Recognition Day (all in the week's zone)."""
    day = recognition_day(week=week)
    opens = _local(week, week.starts_on, datetime.time(0, 0))
    announce = _local(week, day, ANNOUNCE_AT)
    closes = _local(week, day, datetime.time(0, 0))
    if closes <= opens:
        # Recognition Day is the Monday itself: nominations stay open until the announcement.
        closes = announce
    return CategoryMoments(
        opens_at=opens.astimezone(datetime.UTC),
        closes_at=closes.astimezone(datetime.UTC),
        announce_at=announce.astimezone(datetime.UTC),
    )


def category_library_entry(name: str) -> dict | None:
    """A library category's fields by its name, or None."""
    for entry_name, description, limit, eligible in CATEGORY_LIBRARY:
        if entry_name == name:
            return {
                "name": entry_name,
                "description": description,
                "award_limit": limit,
                "eligible": eligible,
            }
    return None


@transaction.atomic
def categories_create_defaults(*, week: Week) -> list[AwardCategory]:
    """Give `week` the default categories it does not have yet; returns the ones created."""
    moments = category_default_moments(week=week)
    existing = set(week.award_categories.values_list("name", flat=True))
    created = [
        AwardCategory(
            week=week,
            name=name,
            description=description,
            award_limit=limit,
            eligible=eligible,
            opens_at=moments.opens_at,
            closes_at=moments.closes_at,
            announce_at=moments.announce_at,
            position=position,
        )
        for position, (name, description, limit, eligible) in enumerate(DEFAULT_CATEGORIES)
        if name not in existing
    ]
    AwardCategory.objects.bulk_create(created)
    versions.bump(versions.WEEK_DATA)  # a bulk create sends no signal
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

    Retired categories stay behind. With `replace_unused`, the target's categories without
    nominations (such as the defaults a new week starts with) give way to the copies; a category
    someone already nominated in is kept.
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
            eligible=category.eligible,
            tell_nominee_early=category.tell_nominee_early,
            position=category.position,
            opens_at=_shift_local(category.opens_at, days=days, **zones),
            closes_at=_shift_local(category.closes_at, days=days, **zones),
            announce_at=_shift_local(category.announce_at, days=days, **zones),
        )
        for category in source.award_categories.filter(retired_at__isnull=True).order_by("position", "name")
        if category.name not in existing
    ]
    AwardCategory.objects.bulk_create(copies)
    versions.bump(versions.WEEK_DATA)  # a bulk create sends no signal
    return copies


def categories_source_week(*, week: Week) -> Week | None:
    """The latest earlier week with categories to copy ("last year's")."""
    return (
        Week.objects.filter(year__lt=week.year, award_categories__retired_at__isnull=True)
        .order_by("-year")
        .distinct()
        .first()
    )


@transaction.atomic
def categories_copy_last_year(*, week: Week, by: User) -> list[AwardCategory]:
    """Copy last year's categories (those this week has no namesake of), dates moved to this week."""
    _require_category_manager(by)
    source = categories_source_week(week=week)
    if source is None:
        raise ValidationError("There is no earlier week with award categories to copy.")
    copies = categories_copy(source=source, target=week)
    if copies:
        _positions_renumber(week)
        audit_record(
            actor=by,
            action="categories.copied",
            obj=week,
            detail={"from": source.year, "names": [c.name for c in copies]},
        )
    return copies


def _require_category_manager(by: User) -> None:
    if not permissions.can_manage_categories(by):
        raise PermissionDenied("Only a coordinator can change the award categories.")


def _category_save(category: AwardCategory) -> None:
    category.name = (category.name or "").strip()
    category.description = (category.description or "").strip()
    category.full_clean(exclude=["week", "position"], validate_unique=False, validate_constraints=False)
    if (
        AwardCategory.objects.filter(week_id=category.week_id, name__iexact=category.name)
        .exclude(pk=category.pk)
        .exists()
    ):
        raise ValidationError(
            {"name": f"{category.week.year} already has a category called “{category.name}”."}
        )
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError as error:
        raise ValidationError(
            {"name": f"{category.week.year} already has a category called “{category.name}”."}
        ) from error


@transaction.atomic
def category_create(*, week: Week, by: User, **fields) -> AwardCategory:
    """A new category at the end of the week's list."""
    _require_category_manager(by)
    last = week.award_categories.order_by("-position").values_list("position", flat=True).first()
    category = AwardCategory(week=week, position=0 if last is None else last + 1)
    for name in CATEGORY_FIELDS:
        if name in fields:
            setattr(category, name, fields[name])
    _category_save(category)
    audit_record(
        actor=by, action="category.created", obj=category, detail={"week": week.year, "name": category.name}
    )
    return category


@transaction.atomic
def category_update(*, category: AwardCategory, by: User, **fields) -> AwardCategory:
    """Change a category; its award limit never drops below the awards it already gave."""
    _require_category_manager(by)
    locked = AwardCategory.objects.select_for_update().get(pk=category.pk)
    before = {name: getattr(locked, name) for name in CATEGORY_FIELDS}
    for name in CATEGORY_FIELDS:
        if name in fields:
            setattr(category, name, fields[name])
    if category.award_limit is not None:
        given = category_awards_count(category)
        if given > category.award_limit:
            raise ValidationError(
                {
                    "award_limit": f"{category.name} has already given {given} awards; "
                    "the limit cannot be lower."
                }
            )
    if category.announce_at != before["announce_at"] and category.announce_at <= timezone.now():
        waiting = _waiting([category]).count()
        if waiting and category.week.is_published:
            # The beat would announce them within a minute, emailing everyone without asking first.
            raise ValidationError(
                {
                    "announce_at": f"{category.name} holds back {waiting} "
                    f"award{'s' if waiting != 1 else ''}: a moment already past would announce "
                    f"{'them' if waiting != 1 else 'it'} and email everyone at once. Choose a later "
                    "moment, or use “Announce now”, which says first how many people it emails."
                }
            )
    _category_save(category)
    changed = {
        name: str(getattr(category, name))
        for name in CATEGORY_FIELDS
        if getattr(category, name) != before[name]
    }
    if changed:
        audit_record(actor=by, action="category.updated", obj=category, detail=changed)
    return category


def _positions_renumber(week: Week) -> list[AwardCategory]:
    categories = list(week.award_categories.select_for_update().order_by("position", "name", "pk"))
    for index, category in enumerate(categories):
        category.position = index
    AwardCategory.objects.bulk_update(categories, ["position"])
    versions.bump(versions.WEEK_DATA)  # a bulk update sends no signal
    return categories


@transaction.atomic
def category_move(*, category: AwardCategory, by: User, direction: str) -> AwardCategory:
    """Move a category one place up or down in its week's list."""
    _require_category_manager(by)
    if direction not in ("up", "down"):
        raise ValidationError("Move a category up or down.")
    categories = _positions_renumber(category.week)
    index = next(i for i, c in enumerate(categories) if c.pk == category.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(categories):
        return categories[index]
    categories[index].position, categories[other].position = other, index
    AwardCategory.objects.bulk_update([categories[index], categories[other]], ["position"])
    audit_record(
        actor=by,
        action="category.moved",
        obj=category,
        detail={"direction": direction, "position": other + 1},
    )
    category.position = other
    return category


@transaction.atomic
def category_retire(
    *, category: AwardCategory, by: User, now: datetime.datetime | None = None
) -> AwardCategory:
    """Retire a category: it takes no new nominations; its awards and waiting nominations stay."""
    _require_category_manager(by)
    locked = AwardCategory.objects.select_for_update().get(pk=category.pk)
    if locked.retired_at is not None:
        raise ValidationError(f"{category.name} is already retired.")
    category.retired_at = now or timezone.now()
    category.save(update_fields=["retired_at"])
    audit_record(actor=by, action="category.retired", obj=category, detail={"name": category.name})
    return category


@transaction.atomic
def categories_follow_week(*, week: Week, days: int, old_time_zone: str) -> int:
    """The week moved (or changed zone): its nomination windows keep their local times, `days` on."""
    categories = list(week.award_categories.select_for_update())
    zones = {"source_zone": old_time_zone, "target_zone": week.time_zone}
    for category in categories:
        category.opens_at = _shift_local(category.opens_at, days=days, **zones)
        category.closes_at = _shift_local(category.closes_at, days=days, **zones)
        category.announce_at = _shift_local(category.announce_at, days=days, **zones)
    AwardCategory.objects.bulk_update(categories, ["opens_at", "closes_at", "announce_at"])
    versions.bump(versions.WEEK_DATA)  # a bulk update sends no signal
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
        errors.setdefault("nominee", []).append(SELF_NOMINATION_MESSAGE)
    elif not nominee.is_active:
        errors.setdefault("nominee", []).append(f"{nominee.name} no longer has an active account.")
    if category is None:
        errors.setdefault("category", []).append("Choose an award category.")
    else:
        if category.retired_at is not None:
            errors.setdefault("category", []).append(
                f"{category.name} is retired and takes no new nominations; choose another category."
            )
        elif not category.week.is_published:
            errors.setdefault("category", []).append("This week is not published yet.")
        elif now < category.opens_at:
            errors.setdefault("category", []).append(
                f"Nominations for {category.name} open on {_when(category.opens_at, nominator)}."
            )
        elif now >= category.closes_at:
            errors.setdefault("category", []).append(
                f"Nominations for {category.name} closed on {_when(category.closes_at, nominator)}."
            )
    if nominee is not None and category is not None and "nominee" not in errors:
        refusal = _eligibility_refusal(category, nominee)
        if refusal:
            errors.setdefault("nominee", []).append(refusal)
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


def _eligibility_refusal(category: AwardCategory, nominee: User) -> str:
    """Why `nominee` may not be nominated in `category` (who may be nominated), or ""."""
    if category.eligible == AwardCategory.Eligible.MANAGERS and not is_manager(nominee):
        return (
            f"{category.name} is for managers only; {nominee.name} is not a manager. Choose another category."
        )
    if category.eligible == AwardCategory.Eligible.AGENTS and (
        is_manager(nominee) or is_coordinator(nominee)
    ):
        return (
            f"{category.name} is for agents only (not managers or coordinators); "
            f"choose another category for {nominee.name}."
        )
    return ""


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
    managers = [m for m in permissions.managers_of(nominee) if m.pk != nominator.pk]
    deliveries_create(kind="nomination_submitted", recipients=managers, about=nomination)
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


def _review_comment_clean(comment: str) -> str:
    """A reviewer's comment, trimmed and within its limit (it is stored and emailed)."""
    comment = (comment or "").strip()
    try:
        max_length_validator(COMMENT_MAX_LENGTH)(comment)
    except ValidationError as error:
        raise ValidationError({"comment": error.messages}) from None
    return comment


def category_awards_count(category: AwardCategory) -> int:
    return category.nominations.filter(status=Nomination.Status.APPROVED).count()


@transaction.atomic
def nomination_approve(
    *, nomination: Nomination, by: User, comment: str = "", now: datetime.datetime | None = None
) -> Nomination:
    """Approve a submitted nomination, making it an award; the category's limit is never passed."""
    _require_reviewer(by, nomination)
    comment = _review_comment_clean(comment)
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
    nomination.review_comment = comment
    nomination.reviewed_at = now or timezone.now()
    nomination.save(update_fields=["status", "reviewed_by", "review_comment", "reviewed_at"])
    audit_record(actor=by, action="nomination.approved", obj=nomination, detail=_decision_detail(nomination))
    if category.announce_at <= nomination.reviewed_at and category.week.is_published:
        # Approved after its category's announcement: it is announced at once (no email to everyone).
        awards_announce(awards=[nomination], moment=category.announce_at, tell_everyone=False)
        nomination.announced_at = category.announce_at
    elif category.tell_nominee_early:
        deliveries_create(kind="award_received", recipients=[nomination.nominee], about=nomination)
    return nomination


@transaction.atomic
def nomination_decline(
    *, nomination: Nomination, by: User, comment: str, now: datetime.datetime | None = None
) -> Nomination:
    """Decline a submitted nomination; the comment goes to the nominator only."""
    _require_reviewer(by, nomination)
    comment = _review_comment_clean(comment)
    if not comment:
        raise ValidationError({"comment": DECLINE_COMMENT_MESSAGE})
    _locked(nomination)
    _require_submitted(nomination)
    nomination.status = Nomination.Status.DECLINED
    nomination.reviewed_by = by
    nomination.review_comment = comment
    nomination.reviewed_at = now or timezone.now()
    nomination.save(update_fields=["status", "reviewed_by", "review_comment", "reviewed_at"])
    audit_record(actor=by, action="nomination.declined", obj=nomination, detail=_decision_detail(nomination))
    # The nominator hears of a decline now (the nominee never does); of an award, at its announcement.
    deliveries_create(
        kind="nomination_decided",
        recipients=[nomination.nominator],
        about=nomination,
        occurrence=nomination.status,
    )
    return nomination


def _decision_detail(nomination: Nomination) -> dict:
    return {"nominee": nomination.nominee.email, "category": nomination.category.name}


@dataclass
class BulkResult:
    approved: list[Nomination]
    refused: list[tuple[Nomination, str]]


def nominations_bulk_approve(
    *, nominations: Iterable[Nomination], by: User, comment: str = "", now: datetime.datetime | None = None
) -> BulkResult:
    """Approve each nomination with one comment; each is its own transaction, refusals are reported.

    The emails of all the approvals are published once, at the end: a broker that is down costs
    the request one timeout, not one per nomination (and what is not published waits for the sweep).
    """
    result = BulkResult(approved=[], refused=[])
    with deliveries_batch():
        for nomination in nominations:
            try:
                result.approved.append(
                    nomination_approve(nomination=nomination, by=by, comment=comment, now=now)
                )
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
def category_restore(*, category: AwardCategory, by: User) -> AwardCategory:
    """Take a retired category back: it takes nominations again inside its window."""
    _require_category_manager(by)
    locked = AwardCategory.objects.select_for_update().get(pk=category.pk)
    if locked.retired_at is None:
        raise ValidationError(f"{category.name} is not retired.")
    category.retired_at = None
    category.save(update_fields=["retired_at"])
    audit_record(actor=by, action="category.restored", obj=category, detail={"name": category.name})
    return category


@transaction.atomic
def awards_announce(
    *, awards: list[Nomination], moment: datetime.datetime, tell_everyone: bool = True
) -> list[Nomination]:
    """Make these approved awards public at `moment`: the one place an award is announced.

    Each award not announced yet gets `announced_at` (so it is on the wall), its nominee the award
    email and its nominator the decision, once each (the delivery rows are unique per recipient,
    kind and award, so a second run or a concurrent one adds nothing). With `tell_everyone`, the
    people who keep nomination news on get one email about the awards of this moment. Runs inside
    the caller's transaction; returns the awards this call announced.
    """
    ids = list(
        Nomination.objects.select_for_update()
        .filter(pk__in=[a.pk for a in awards], status=Nomination.Status.APPROVED, announced_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    Nomination.objects.filter(pk__in=ids, announced_at__isnull=True).update(announced_at=moment)
    versions.bump(versions.WEEK_DATA)  # a bulk update sends no signal
    announced = list(
        Nomination.objects.filter(pk__in=ids)
        .select_related("nominee", "nominator", "week", "category")
        .order_by("pk")
    )
    with deliveries_batch():
        deliveries_create_each(kind="award_received", items=[(a.nominee, a) for a in announced])
        deliveries_create_each(
            kind="nomination_decided",
            items=[(a.nominator, a) for a in announced],
            occurrence=Nomination.Status.APPROVED,
        )
        if tell_everyone:
            for week in {a.week_id: a.week for a in announced}.values():
                if week.is_published:
                    deliveries_create(
                        kind="award_announcement",
                        recipients=_recognition_audience(),
                        about=week,
                        occurrence=announcement_occurrence(moment),
                    )
    for award in announced:
        if award.week.is_published:
            chat_posts_queue(
                topic="awards",
                key=f"award:{award.pk}",
                title=f"{award.category.name}: {award.nominee.name}",
                text=story_line(award.story),
                url=reverse("recognition:wall"),
            )
    return announced


def _waiting(categories) -> QuerySet[Nomination]:
    return Nomination.objects.filter(
        category__in=categories, status=Nomination.Status.APPROVED, announced_at__isnull=True
    )


@transaction.atomic
def awards_announce_due(*, now: datetime.datetime | None = None) -> int:
    """Announce the awards of every category whose announcement moment has come (beat, every minute).

    Only published weeks: a draft week's awards wait until it is published. The moment stored is
    the category's own, so every run (and a run after the beat was down) makes the same announcement.
    """
    now = now or timezone.now()
    due = (
        AwardCategory.objects.filter(announce_at__lte=now, week__status=Week.Status.PUBLISHED)
        .filter(
            Exists(
                Nomination.objects.filter(
                    category_id=OuterRef("pk"), status=Nomination.Status.APPROVED, announced_at__isnull=True
                )
            )
        )
        .order_by("announce_at", "pk")
    )
    count = 0
    for category in due:
        count += len(awards_announce(awards=list(_waiting([category])), moment=category.announce_at))
    return count


@transaction.atomic
def awards_announce_now(
    *, week: Week, by: User, category: AwardCategory | None = None, now: datetime.datetime | None = None
) -> int:
    """A coordinator announces the approved awards of one category (or of the whole week) now."""
    if not permissions.can_announce_awards(by):
        raise PermissionDenied("Only a coordinator can announce the awards.")
    if category is not None and category.week_id != week.pk:
        raise ValidationError("Choose a category of this week.")
    if not week.is_published:
        # A draft week has no wall and no audience yet: announced now, its awards would never reach
        # the wall's email nor the chat (the beat announces them once the week is published).
        raise ValidationError(
            f"Customer Service Week {week.year} is a draft: publish it before announcing its awards."
        )
    now = now or timezone.now()
    categories = [category] if category is not None else list(week.award_categories.all())
    announced = awards_announce(awards=list(_waiting(categories)), moment=now)
    if announced:
        detail = {"count": len(announced)}
        if category is not None:
            detail["category"] = category.name
        audit_record(actor=by, action="awards.announced", obj=week, detail=detail)
    return len(announced)


# --- Scheduled emails (Celery beat) -------------------------------------------------------------

# A window that opened longer ago than this is no longer news: a beat that was down for a few hours
# still sends the notice, a category created with a window already open for days does not.
OPEN_NOTICE_FRESH_FOR = datetime.timedelta(hours=12)
# The last-day nudge goes out once a window closes within this time.
CLOSING_NUDGE_BEFORE = datetime.timedelta(hours=24)
# The manager digest goes out from 09:00 local; a beat down until noon still sends it, later not.
DIGEST_FROM = datetime.time(9, 0)
DIGEST_UNTIL = datetime.time(12, 0)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def opening_occurrence(opens_at: datetime.datetime) -> str:
    return f"open:{_iso(opens_at)}"


def closing_occurrence(closes_at: datetime.datetime) -> str:
    return f"closing:{_iso(closes_at)}"


def announcement_occurrence(announced_at: datetime.datetime) -> str:
    return f"announced:{_iso(announced_at)}"


def occurrence_moment(occurrence: str) -> datetime.datetime:
    """The moment an occurrence made by the functions above stands for."""
    return datetime.datetime.fromisoformat(occurrence.split(":", 1)[1])


def _recognition_audience() -> QuerySet[User]:
    """Everyone active who keeps nomination news on (windows opening and closing, awards announced)."""
    return opted_in(User.objects.filter(is_active=True), "email_nomination_news").only(
        "pk", "email", "is_active"
    )


def _tell_everyone(*, kind: str, week: Week, occurrence: str) -> int:
    people = list(
        without_delivery(_recognition_audience(), kind=kind, about=week, occurrence=occurrence).order_by("pk")
    )
    if not people:
        return 0
    return len(deliveries_create(kind=kind, recipients=people, about=week, occurrence=occurrence))


@dataclass
class NoticeResult:
    opened: int = 0
    closing: int = 0


@transaction.atomic
def nomination_notices_create(*, now: datetime.datetime | None = None) -> NoticeResult:
    """Tell everyone when a week's categories open, and again on their last day (beat, every 5 minutes).

    Categories of a week that open at the same moment share one email (about the week, the opening
    moment its occurrence); so do categories closing at the same moment. Only published weeks.
    """
    now = now or timezone.now()
    result = NoticeResult()
    due = (
        AwardCategory.objects.filter(
            week__status=Week.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now, retired_at__isnull=True
        )
        .filter(Q(opens_at__gt=now - OPEN_NOTICE_FRESH_FOR) | Q(closes_at__lte=now + CLOSING_NUDGE_BEFORE))
        .select_related("week")
        .order_by("week_id", "opens_at", "closes_at")
    )
    opened: dict[tuple[Week, str], None] = {}
    closing: dict[tuple[Week, str], None] = {}
    for category in due:
        if category.opens_at > now - OPEN_NOTICE_FRESH_FOR:
            opened[(category.week, opening_occurrence(category.opens_at))] = None
        if category.closes_at <= now + CLOSING_NUDGE_BEFORE:
            closing[(category.week, closing_occurrence(category.closes_at))] = None
    for week, occurrence in opened:
        result.opened += _tell_everyone(kind="nominations_open", week=week, occurrence=occurrence)
    for week, occurrence in closing:
        result.closing += _tell_everyone(kind="nominations_closing", week=week, occurrence=occurrence)
    return result


def _waiting_for_manager() -> QuerySet[Nomination]:
    """Submitted nominations the manager in the outer query may review (as the review queue shows)."""
    return (
        Nomination.objects.filter(status=Nomination.Status.SUBMITTED, nominee__team__managers=OuterRef("pk"))
        .exclude(nominator=OuterRef("pk"))
        .exclude(nominee=OuterRef("pk"))
    )


@transaction.atomic
def manager_digests_create(*, now: datetime.datetime | None = None) -> int:
    """At 09:00 in each manager's zone on working days, a digest of what waits for their review.

    Beat runs this every 5 minutes; a manager gets it from the first run after 09:00 local (until
    noon), once per local date (the occurrence), and only when something waits.
    """
    now = now or timezone.now()
    managers = opted_in(User.objects.filter(groups__name=Role.MANAGER, is_active=True), "email_digest")
    created = 0
    for zone in sorted(set(managers.order_by().values_list("time_zone", flat=True))):
        local = now.astimezone(zoneinfo.ZoneInfo(zone))
        if local.weekday() >= 5 or not DIGEST_FROM <= local.time() < DIGEST_UNTIL:
            continue
        day = local.date().isoformat()
        due = (
            without_delivery_about_themselves(
                managers.filter(time_zone=zone).filter(Exists(_waiting_for_manager())),
                kind="manager_digest",
                occurrence=day,
            )
            .only("pk", "email", "is_active")
            .order_by("pk")
        )
        people = list(due)
        if people:
            created += len(
                deliveries_create_each(
                    kind="manager_digest", items=[(manager, manager) for manager in people], occurrence=day
                )
            )
    return created


# --- Award photos -----------------------------------------------------------------------------


def award_photo_set(*, award: Nomination, by: User, photo: bytes) -> Nomination:
    """Give an award its photo (any JPEG, PNG or WebP up to 5 MB), replacing the one it had."""
    if not permissions.can_manage_award_photos(by):
        raise PermissionDenied("Only coordinators can add a photo to an award.")
    if award.status != Nomination.Status.APPROVED:
        raise ValidationError("Only an award (an approved nomination) can have a photo.")
    try:
        encoded = award_photo_encode(photo)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    with transaction.atomic():
        old = Nomination.objects.select_for_update().values_list("photo", flat=True).get(pk=award.pk)
        award.photo = media_store(folder="awards", data=encoded, extension=OUTPUT_EXTENSION)
        award.save(update_fields=["photo"])
        audit_record(actor=by, action="award.photo_set", obj=award, detail={"replaced": bool(old)})
        media_delete_on_commit(old)
    return award


def award_photo_remove(*, award: Nomination, by: User) -> Nomination:
    """Take an award's photo away (the file is deleted once that is committed)."""
    if not permissions.can_manage_award_photos(by):
        raise PermissionDenied("Only coordinators can remove an award's photo.")
    with transaction.atomic():
        award.photo = Nomination.objects.select_for_update().values_list("photo", flat=True).get(pk=award.pk)
        if not award.photo:
            return award
        media_delete_on_commit(award.photo)
        award.photo = ""
        award.save(update_fields=["photo"])
        audit_record(actor=by, action="award.photo_removed", obj=award)
    return award
