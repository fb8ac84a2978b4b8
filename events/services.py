"""Every write about weeks, day themes, activities and sign-ups goes through these functions."""

import copy
import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from csweek.core import versions
from csweek.core.time import shift_keeping_local_time
from events import permissions, selectors
from events.deliveries import (
    DAILY_THEME_NEWS,
    REMINDER_MARKS,
    REMINDERS,
    occurrence_for,
    promotion_occurrence,
    reminder_prefix,
)
from events.models import (
    WEEK_LENGTH_DAYS,
    Activity,
    DayTheme,
    Registration,
    TeamCoverage,
    ThemeTemplate,
    Week,
    activity_errors,
    default_week_dates,
    week_start_error,
)
from events.signals import week_cloned, week_created, week_moved
from outbox.selectors import ON_ITS_WAY, opted_in, with_preference, without_delivery
from outbox.services import (
    chat_posts_queue,
    deliveries_create,
    deliveries_create_each,
    deliveries_skip_pending,
    email_preview,
)
from people.models import Role, Team, User

# What a coordinator edits on an activity (its audience teams aside, a relation set on its own).
ACTIVITY_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "format",
    "room",
    "join_url",
    "host",
    "capacity",
    "signup_required",
)
# Changing any of these changes what a calendar shows: the iCalendar SEQUENCE goes up.
CALENDAR_FIELDS = ("starts_at", "ends_at", "format", "room", "join_url", "status")


def _require_planner(by: User) -> None:
    if not permissions.can_plan(by):
        raise PermissionDenied("Only a coordinator can plan the week.")


def _zone(week: Week) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(week.time_zone)


# --- Weeks -------------------------------------------------------------------------------------


def _week_dates_clean(starts_on: datetime.date, *, year: int) -> tuple[datetime.date, datetime.date]:
    message = week_start_error(starts_on, year=year)
    if message:
        raise ValidationError({"starts_on": message})
    return starts_on, starts_on + datetime.timedelta(days=WEEK_LENGTH_DAYS - 1)


@transaction.atomic
def week_create(
    *,
    by: User,
    year: int,
    theme: str = "",
    description: str = "",
    time_zone: str = "",
    starts_on: datetime.date | None = None,
) -> Week:
    """Create the week of `year` (dates by the first-full-week-of-October rule unless moved),
    with a default theme from the library on each day."""
    _require_planner(by)
    if Week.objects.filter(year=year).exists():
        raise ValidationError({"year": f"There is already a week for {year}."})
    if starts_on is None:
        starts_on, ends_on = default_week_dates(year)
    else:
        starts_on, ends_on = _week_dates_clean(starts_on, year=year)
    week = Week(year=year, theme=theme.strip(), description=description, starts_on=starts_on, ends_on=ends_on)
    if time_zone:
        week.time_zone = time_zone
    week.full_clean()
    week.save()
    defaults = {t.default_weekday: t for t in ThemeTemplate.objects.filter(default_weekday__isnull=False)}
    DayTheme.objects.bulk_create(
        [
            DayTheme(
                week=week,
                date=day,
                title=defaults[index].title,
                description=defaults[index].description,
            )
            for index, day in enumerate(week.days)
            if index in defaults
        ]
    )
    audit_record(actor=by, action="week.created", obj=week, detail={"starts_on": week.starts_on})
    week_created.send(sender=Week, week=week)
    return week


@transaction.atomic
def week_update(
    *,
    by: User,
    week: Week,
    theme: str,
    description: str,
    time_zone: str,
    starts_on: datetime.date,
) -> Week:
    """Change the yearly theme and zone, or move the week: day themes, activities and (through
    ``week_moved``) other apps' times move with it, keeping their weekday and local time."""
    _require_planner(by)
    week = Week.objects.select_for_update().get(pk=week.pk)
    starts_on, ends_on = _week_dates_clean(starts_on, year=week.year)
    shift = (starts_on - week.starts_on).days
    old_zone = week.time_zone
    before = {"theme": week.theme, "description": week.description, "starts_on": week.starts_on}
    week.theme = theme.strip()
    week.description = description
    week.time_zone = time_zone
    week.starts_on, week.ends_on = starts_on, ends_on
    week.full_clean()
    week.save()
    if shift:
        themes = list(week.day_themes.all())
        # Dates are unique per week: move them out of the way first, then to their new days.
        DayTheme.objects.filter(week=week).update(date=F("date") + datetime.timedelta(days=10000))
        for day_theme in themes:
            day_theme.date += datetime.timedelta(days=shift)
        DayTheme.objects.bulk_update(themes, ["date"])
    if shift or old_zone != week.time_zone:
        # 10:00 on the Tuesday stays 10:00 on the Tuesday, in the week's (possibly new) zone.
        zone, to_zone = zoneinfo.ZoneInfo(old_zone), _zone(week)
        activities = list(week.activities.all())
        moved = []
        for activity in activities:
            starts_at = shift_keeping_local_time(activity.starts_at, zone=zone, days=shift, to_zone=to_zone)
            ends_at = shift_keeping_local_time(activity.ends_at, zone=zone, days=shift, to_zone=to_zone)
            if (starts_at, ends_at) != (activity.starts_at, activity.ends_at):
                moved.append((activity, {name: getattr(activity, name) for name in CALENDAR_FIELDS}))
                activity.starts_at, activity.ends_at = starts_at, ends_at
                activity.sequence += 1
        Activity.objects.bulk_update(activities, ["starts_at", "ends_at", "sequence"])
        versions.bump(versions.WEEK_DATA)  # a bulk update sends no signal
        for activity, was in moved:
            activity.week = week
            _registrants_tell_changed(activity, before=was)
        week_moved.send(sender=Week, week=week, days=shift, old_time_zone=old_zone)
    _week_update_record(by=by, week=week, before=before, old_zone=old_zone)
    return week


def _week_update_record(*, by: User, week: Week, before: dict, old_zone: str) -> None:
    changed = [name for name in ("theme", "description") if getattr(week, name) != before[name]]
    if week.starts_on != before["starts_on"] or week.time_zone != old_zone:
        detail = {
            "starts_on_from": before["starts_on"],
            "starts_on_to": week.starts_on,
            "time_zone_from": old_zone,
            "time_zone_to": week.time_zone,
        }
        if changed:
            detail["also_changed"] = changed
        audit_record(actor=by, action="week.moved", obj=week, detail=detail)
    elif changed:
        audit_record(actor=by, action="week.updated", obj=week, detail={"changed": changed})


@transaction.atomic
def week_publish(*, by: User, week: Week) -> Week:
    _require_planner(by)
    week.status = Week.Status.PUBLISHED
    week.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="week.published", obj=week)
    return week


@transaction.atomic
def week_unpublish(*, by: User, week: Week) -> Week:
    """Back to draft: agents and managers no longer see it (their sign-ups are kept)."""
    _require_planner(by)
    week.status = Week.Status.DRAFT
    week.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="week.unpublished", obj=week)
    return week


@transaction.atomic
def week_clone(*, by: User, source: Week, year: int) -> Week:
    """A draft week for `year` with the source's themes and activities on the same weekday and
    local time, on the new year's default dates. Sign-ups are not copied."""
    _require_planner(by)
    if Week.objects.filter(year=year).exists():
        raise ValidationError({"year": f"There is already a week for {year}."})
    starts_on, ends_on = default_week_dates(year)
    target = Week.objects.create(
        year=year,
        theme=source.theme,
        description=source.description,
        time_zone=source.time_zone,
        starts_on=starts_on,
        ends_on=ends_on,
        status=Week.Status.DRAFT,
    )
    shift = (starts_on - source.starts_on).days
    DayTheme.objects.bulk_create(
        [
            DayTheme(
                week=target,
                date=day_theme.date + datetime.timedelta(days=shift),
                title=day_theme.title,
                description=day_theme.description,
            )
            for day_theme in source.day_themes.all()
        ]
    )
    zone = _zone(source)
    # A cancelled activity stays behind: the new year starts from what really happened.
    for activity in source.activities.filter(status=Activity.Status.SCHEDULED).prefetch_related(
        "audience_teams"
    ):
        teams = list(activity.audience_teams.all())
        copy = Activity.objects.create(
            week=target,
            title=activity.title,
            kind=activity.kind,
            description=activity.description,
            starts_at=shift_keeping_local_time(activity.starts_at, zone=zone, days=shift),
            ends_at=shift_keeping_local_time(activity.ends_at, zone=zone, days=shift),
            format=activity.format,
            room=activity.room,
            join_url=activity.join_url,
            host=activity.host,
            capacity=activity.capacity,
            signup_required=activity.signup_required,
            status=Activity.Status.SCHEDULED,
        )
        copy.audience_teams.set(teams)
    week_cloned.send(sender=Week, source=source, target=target)
    audit_record(actor=by, action="week.cloned", obj=target, detail={"from_year": source.year})
    return target


@transaction.atomic
def day_theme_set(
    *, by: User, week: Week, date: datetime.date, title: str, description: str = ""
) -> DayTheme:
    """Set the theme of one day, picked from the library or typed."""
    _require_planner(by)
    if date not in week.days:
        raise ValidationError({"date": "That day is not part of the week."})
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the day a theme, or pick one from the library."})
    description = description.strip()
    DayTheme(week=week, date=date, title=title, description=description).full_clean(
        exclude=["week"], validate_unique=False, validate_constraints=False
    )
    day_theme, _ = DayTheme.objects.update_or_create(
        week=week, date=date, defaults={"title": title, "description": description}
    )
    return day_theme


@transaction.atomic
def team_coverage_set(*, by: User, team: Team, max_away_percent: int) -> TeamCoverage:
    _require_planner(by)
    coverage, _ = TeamCoverage.objects.get_or_create(team=team)
    coverage.max_away_percent = max_away_percent
    coverage.full_clean()
    coverage.save()
    return coverage


# --- Activities --------------------------------------------------------------------------------


def activity_validate(*, week: Week, activity: Activity, confirmed: int = 0) -> None:
    """The rules the form shows and the service enforces (the model's ``clean`` runs the same
    ``activity_errors``), each error on its field."""
    errors = activity_errors(activity, week=week, confirmed=confirmed)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(
    *,
    by: User,
    week: Week,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    host: User,
    kind: str = Activity.Kind.OTHER,
    description: str = "",
    format: str = Activity.Format.ONSITE,
    room: str = "",
    join_url: str = "",
    capacity: int | None = None,
    audience_teams: Iterable[Team] = (),
    signup_required: bool = True,
) -> Activity:
    _require_planner(by)
    activity = Activity(
        week=week,
        title=title.strip(),
        kind=kind,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        room=room.strip(),
        join_url=join_url.strip(),
        host=host,
        capacity=capacity,
        signup_required=signup_required,
    )
    activity_validate(week=week, activity=activity)
    activity.full_clean()
    activity.save()
    activity.audience_teams.set(list(audience_teams))
    audit_record(actor=by, action="activity.created", obj=activity, detail={"week": week.year})
    return activity


@transaction.atomic
def activity_update(
    *, by: User, activity: Activity, audience_teams: Iterable[Team] | None = None, **fields
) -> Activity:
    """Change an activity; a change of time, place or status raises its calendar SEQUENCE, and
    more seats (or no limit) promote people from the waitlist."""
    _require_planner(by)
    activity = Activity.objects.select_for_update().select_related("week").get(pk=activity.pk)
    before = {name: getattr(activity, name) for name in CALENDAR_FIELDS}
    stored = {name: _field_value(activity, name) for name in ACTIVITY_FIELDS}
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(f"activity_update() got an unexpected field {name!r}")
        setattr(activity, name, value.strip() if isinstance(value, str) and name != "description" else value)
    confirmed = activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
    activity_validate(week=activity.week, activity=activity, confirmed=confirmed)
    changed = any(getattr(activity, name) != value for name, value in before.items())
    if changed:
        activity.sequence += 1
    activity.full_clean()
    activity.save()
    edited = [name for name in ACTIVITY_FIELDS if _field_value(activity, name) != stored[name]]
    if audience_teams is not None:
        audience_teams = list(audience_teams)
        old_team_ids = set(activity.audience_teams.values_list("pk", flat=True))
        if {team.pk for team in audience_teams} != old_team_ids:
            edited.append("audience_teams")
        activity.audience_teams.set(audience_teams)
    if edited:
        audit_record(actor=by, action="activity.updated", obj=activity, detail={"changed": edited})
    promoted = _promote(activity)
    if changed:
        # Those just promoted are told by their promotion email, which shows the new time.
        _registrants_tell_changed(activity, exclude_user_ids=[r.user_id for r in promoted], before=before)
    return activity


def _field_value(activity: Activity, name: str):
    return activity.host_id if name == "host" else getattr(activity, name)


@transaction.atomic
def activity_cancel(*, by: User, activity: Activity) -> Activity:
    """Cancel: the activity stays (calendars show it cancelled) and everyone signed up is told."""
    _require_planner(by)
    activity = Activity.objects.select_for_update().select_related("week").get(pk=activity.pk)
    if activity.is_cancelled:
        return activity
    activity.status = Activity.Status.CANCELLED
    activity.sequence += 1
    activity.save(update_fields=["status", "sequence", "updated_at"])
    audit_record(actor=by, action="activity.cancelled", obj=activity)
    _pending_activity_emails_skip(activity, reason="The activity was cancelled.")
    deliveries_create(
        kind="activity_cancelled",
        recipients=_registrants(activity),
        about=activity,
        occurrence=occurrence_for(activity=activity),
    )
    # Its confirmed agents are no longer away then: team mates waiting for coverage may go.
    team_ids = set(
        activity.registrations.filter(status=Registration.Status.CONFIRMED, user__team_id__isnull=False)
        .values_list("user__team_id", flat=True)
        .distinct()
    )
    if team_ids:
        _promote_coverage_waiters(
            team_ids=team_ids, starts_at=activity.starts_at, ends_at=activity.ends_at, exclude_pk=activity.pk
        )
    return activity


@transaction.atomic
def activity_delete(*, by: User, activity: Activity) -> None:
    """Delete an activity nobody signed up for; otherwise cancel it, so they are told."""
    _require_planner(by)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.registrations.exclude(status=Registration.Status.CANCELLED).exists():
        raise ValidationError("People have signed up for this activity: cancel it instead, so they are told.")
    audit_record(actor=by, action="activity.deleted", obj=activity, detail={"week": activity.week.year})
    activity.delete()


# --- Sign-ups ----------------------------------------------------------------------------------


def _coverage_blocks(*, user: User, activity: Activity, lock: bool = False) -> bool:
    """Would `user` joining `activity` take more than the team's allowed share away at once? Checked
    slot by slot of the activity's time (selectors.away_slots, which the manager's dashboard shows):
    a slot where the person is already away gains nobody."""
    if user.team_id is None:
        return False
    coverage = TeamCoverage.objects.filter(team_id=user.team_id)
    if lock:
        coverage = coverage.select_for_update()
    coverage = coverage.first()
    if coverage is None or coverage.max_away_percent >= 100:
        return False
    if not User.objects.filter(pk=user.pk, groups__name=Role.AGENT).exists():
        return False
    allowed = selectors.coverage_allowed(
        agents=selectors.team_agent_counts([user.team_id]).get(user.team_id, 0),
        max_away_percent=coverage.max_away_percent,
    )
    slots = selectors.away_slots(
        team_ids=[user.team_id], starts_at=activity.starts_at, ends_at=activity.ends_at
    ).slots
    with_person = [len(slot.away) + 1 for slot in slots if user.pk not in slot.away]
    covered = sum(((slot.ends_at - slot.starts_at) for slot in slots), datetime.timedelta())
    if covered < activity.ends_at - activity.starts_at:
        with_person.append(1)  # part of the activity when nobody else of the team is away
    return any(n > allowed for n in with_person)


def _place_for(*, user: User, activity: Activity, lock_coverage: bool) -> tuple[str, str]:
    confirmed = activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
    if activity.capacity is not None and confirmed >= activity.capacity:
        return Registration.Status.WAITLISTED, Registration.Reason.FULL
    if _coverage_blocks(user=user, activity=activity, lock=lock_coverage):
        return Registration.Status.WAITLISTED, Registration.Reason.COVERAGE
    return Registration.Status.CONFIRMED, Registration.Reason.NONE


@transaction.atomic
def registration_create(*, user: User, activity: Activity) -> Registration:
    """Sign `user` up: confirmed while seats and team coverage allow, else waitlisted (first come,
    first served). The activity row is locked, so simultaneous sign-ups never overfill it."""
    if user.team_id is not None:
        # Sign-ups by one team are serialised too, so coverage is counted right under concurrency.
        list(TeamCoverage.objects.select_for_update().filter(team_id=user.team_id))
    activity = Activity.objects.select_for_update().select_related("week").get(pk=activity.pk)
    if not permissions.can_attend(user, activity):
        raise PermissionDenied("This activity is not open to you.")
    if activity.is_cancelled:
        raise ValidationError("This activity is cancelled.")
    if not activity.signup_required:
        raise ValidationError("No sign-up is needed for this activity: just join.")
    if activity.ends_at <= timezone.now():
        raise ValidationError("This activity is over.")
    registration = Registration.objects.filter(user=user, activity=activity).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    status, reason = _place_for(user=user, activity=activity, lock_coverage=False)
    if registration is None:
        registration = Registration(user=user, activity=activity)
    registration.status, registration.waitlist_reason = status, reason
    registration.created_at = timezone.now()
    registration.save()
    return registration


@transaction.atomic
def registration_cancel(*, by: User, registration: Registration) -> Registration:
    """Give up a place; a freed seat (or freed team coverage) goes to the first person waiting."""
    if registration.user_id != by.pk and not permissions.can_plan(by):
        raise PermissionDenied("You can only cancel your own sign-up.")
    activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    registration = Registration.objects.select_for_update().select_related("user").get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.waitlist_reason = Registration.Reason.NONE
    registration.save(update_fields=["status", "waitlist_reason", "updated_at"])
    if was_confirmed:
        _promote(activity)
        if registration.user.team_id is not None:
            # The person's team has one more agent free at that time.
            _promote_coverage_waiters(
                team_ids={registration.user.team_id},
                starts_at=activity.starts_at,
                ends_at=activity.ends_at,
                exclude_pk=activity.pk,
            )
    return registration


def _promote_coverage_waiters(
    *, team_ids: set[int], starts_at: datetime.datetime, ends_at: datetime.datetime, exclude_pk: int
) -> None:
    """Agents of `team_ids` became free between `starts_at` and `ends_at`: overlapping activities
    where a team mate waits for coverage may now take them (locked in id order)."""
    waiting = (
        Activity.objects.filter(
            status=Activity.Status.SCHEDULED,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
            registrations__status=Registration.Status.WAITLISTED,
            registrations__waitlist_reason=Registration.Reason.COVERAGE,
            registrations__user__team_id__in=team_ids,
        )
        .exclude(pk=exclude_pk)
        .values_list("pk", flat=True)
        .distinct()
    )
    for other in Activity.objects.select_for_update().filter(pk__in=list(waiting)).order_by("pk"):
        _promote(other)


def _promote(activity: Activity) -> list[Registration]:
    """Confirm waiting people in sign-up order while seats and coverage allow; the caller holds
    the lock on the activity. Each promoted person is emailed (the email is sent after commit)."""
    if activity.is_cancelled:
        return []
    confirmed = activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
    promoted = []
    waiting = activity.registrations.filter(status=Registration.Status.WAITLISTED).select_related("user")
    for registration in waiting.order_by("created_at", "pk"):
        if activity.capacity is not None and confirmed >= activity.capacity:
            break
        if _coverage_blocks(user=registration.user, activity=activity):
            if registration.waitlist_reason != Registration.Reason.COVERAGE:
                registration.waitlist_reason = Registration.Reason.COVERAGE
                registration.save(update_fields=["waitlist_reason", "updated_at"])
            continue
        registration.status = Registration.Status.CONFIRMED
        registration.waitlist_reason = Registration.Reason.NONE
        registration.save(update_fields=["status", "waitlist_reason", "updated_at"])
        confirmed += 1
        promoted.append(registration)
        deliveries_create_each(
            kind="waitlist_promoted",
            items=[(registration.user, registration)],
            occurrence=promotion_occurrence(registration),
        )
    return promoted


# --- Emails about activities -------------------------------------------------------------------


def _registrants(activity: Activity) -> QuerySet[User]:
    """Who must hear of a change or a cancellation: everyone holding a place or waiting for one;
    for an activity without sign-up, its whole audience once the week is published."""
    if not activity.signup_required:
        if not activity.week.is_published or activity.ends_at <= timezone.now():
            return User.objects.none()
        return reminder_recipients(activity).order_by("pk")
    return User.objects.filter(
        registrations__activity=activity,
        registrations__status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
    ).order_by("pk")


def _pending_activity_emails_skip(activity: Activity, *, reason: str) -> int:
    """Skip the reminders and change notices still waiting for an activity whose sequence moved on.

    Rows already claimed by a worker are left alone: their context sees the new sequence and skips.
    """
    return deliveries_skip_pending(
        about=activity,
        kinds=["activity_reminder", "activity_changed"],
        keep_occurrence=f"seq:{activity.sequence}",
        reason=reason,
    )


def calendar_snapshot(values: dict) -> dict:
    """The time and place an activity had, as JSON for the change email's "before → after"."""
    return {
        "starts_at": values["starts_at"].isoformat(),
        "ends_at": values["ends_at"].isoformat(),
        "format": values["format"],
        "room": values["room"],
    }


def _registrants_tell_changed(
    activity: Activity, *, exclude_user_ids: Iterable[int] = (), before: dict | None = None
) -> None:
    """A new time or place: registrants get the new .ics (and what it was before); reminders
    follow the new sequence."""
    _pending_activity_emails_skip(activity, reason="The activity changed since.")
    if not activity.week.is_published or activity.ends_at <= timezone.now():
        return
    deliveries_create(
        kind="activity_changed",
        recipients=_registrants(activity).exclude(pk__in=list(exclude_user_ids)),
        about=activity,
        occurrence=occurrence_for(activity=activity),
        payload={"before": calendar_snapshot(before)} if before else None,
    )


def reminder_recipients(activity: Activity) -> QuerySet[User]:
    """Confirmed registrants; the whole audience (everyone, or the chosen teams' active members)
    when no sign-up is needed."""
    if activity.signup_required:
        return User.objects.filter(
            registrations__activity=activity, registrations__status=Registration.Status.CONFIRMED
        )
    people = User.objects.filter(is_active=True)
    teams = Activity.audience_teams.through.objects.filter(activity_id=activity.pk)
    if teams.exists():
        people = people.filter(team_id__in=teams.values("team_id"))
    return people


@transaction.atomic
def reminders_create(*, now: datetime.datetime) -> int:
    """Reminders 24 h and 1 h before each scheduled activity of a published week, once each.

    An activity between its 24 h mark and two hours before gets the 24 h reminder; one within the
    hour gets the 1 h reminder (a 24 h reminder that was never sent is not sent late). A change of
    place alone reminds nobody twice; a change of time reminds again for the new time. Runs every
    minute; returns how many deliveries were created.
    """
    created = 0
    windows = {
        # Not in the last two hours: a 24 h reminder then would come just before the 1 h one.
        "24h": Q(starts_at__gte=now + 2 * REMINDER_MARKS["1h"], starts_at__lte=now + REMINDER_MARKS["24h"]),
        "1h": Q(starts_at__gt=now, starts_at__lte=now + REMINDER_MARKS["1h"]),
    }
    for mark, window in windows.items():
        activities = (
            Activity.objects.filter(
                window, status=Activity.Status.SCHEDULED, week__status=Week.Status.PUBLISHED
            )
            .select_related("week")
            .order_by("starts_at", "pk")
        )
        for activity in activities:
            occurrence = occurrence_for(activity=activity, mark=mark)
            people = without_delivery(
                reminder_recipients(activity), kind="activity_reminder", about=activity, occurrence=occurrence
            )
            # Reminded already of this start under an earlier sequence (only the place changed since).
            people = without_delivery(
                people,
                kind="activity_reminder",
                about=activity,
                occurrence_prefix=reminder_prefix(activity=activity, mark=mark),
                statuses=ON_ITS_WAY,
            )
            people = with_preference(people.only("pk", "email", "is_active"), REMINDERS.key)
            ids = deliveries_create(
                kind="activity_reminder", recipients=people, about=activity, occurrence=occurrence
            )
            created += len(ids)
    return created


# The theme of the day is sent from 08:00 local; a beat that was down catches up until noon, after
# which the day is well under way and the email is no longer worth sending.
DAILY_THEME_FROM = datetime.time(8, 0)
DAILY_THEME_UNTIL = datetime.time(12, 0)


@transaction.atomic
def daily_themes_create(*, now: datetime.datetime) -> int:
    """The theme of the day to each active person who wants it, from 08:00 in their own zone on
    each day of a published week; returns how many deliveries were created."""
    created = 0
    zones = (
        opted_in(User.objects.filter(is_active=True), DAILY_THEME_NEWS.key)
        .order_by()
        .values_list("time_zone", flat=True)
        .distinct()
    )
    for name in sorted(zones):
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        if not DAILY_THEME_FROM <= local.time() < DAILY_THEME_UNTIL:
            continue
        themes = (
            DayTheme.objects.filter(date=local.date(), week__status=Week.Status.PUBLISHED)
            .select_related("week")
            .order_by("pk")
        )
        for day_theme in themes:
            people = without_delivery(
                opted_in(User.objects.filter(is_active=True, time_zone=name), DAILY_THEME_NEWS.key),
                kind="daily_theme",
                about=day_theme,
                occurrence="",
            ).only("pk", "email", "is_active")
            created += len(deliveries_create(kind="daily_theme", recipients=people, about=day_theme))
    return created


def daily_theme_chat_posts_queue(*, now: datetime.datetime) -> int:
    """Post each published week's theme of the day to the chat webhooks that take it, once per
    day, from 08:00 in the week's own zone (until noon: a post found late in the day is stale and
    left out); returns how many posts were queued."""
    queued = 0
    weeks = Week.objects.filter(
        status=Week.Status.PUBLISHED,
        starts_on__lte=(now + datetime.timedelta(days=1)).date(),
        ends_on__gte=(now - datetime.timedelta(days=1)).date(),
    ).order_by("pk")
    for week in weeks:
        local = now.astimezone(zoneinfo.ZoneInfo(week.time_zone))
        if not DAILY_THEME_FROM <= local.time() < DAILY_THEME_UNTIL:
            continue
        day_theme = DayTheme.objects.filter(week=week, date=local.date()).first()
        if day_theme is None:
            continue
        queued += chat_posts_queue(
            topic="theme_of_the_day",
            key=f"day_theme:{day_theme.pk}:{day_theme.date.isoformat()}",
            title=f"Theme of the day: {day_theme.title}",
            text=day_theme.description or f"{day_theme.date:%A %-d %B}, Customer Service Week {week.year}.",
            url=reverse("events:schedule_year", args=[week.year]),
        )
    return queued


# --- Calendars ---------------------------------------------------------------------------------


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> str:
    """A new private feed address; the old one stops working at once."""
    from people.models import new_token

    user.calendar_token = new_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def registration_mark_attendance(*, registration: Registration, by: User, attended: bool) -> Registration:
    """Tick (or untick) one confirmed sign-up on the register; only the host or a coordinator may.
    Ticking twice keeps the first time: attendance is never overwritten silently."""
    if not permissions.can_mark_attendance(by, registration.activity):
        raise PermissionDenied("Only the host or a coordinator can mark attendance.")
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("user").get(pk=registration.pk)
        if registration.status != Registration.Status.CONFIRMED:
            raise ValidationError("Only a confirmed sign-up can be marked as attended.")
        if attended == registration.attended:
            return registration
        registration.attended_at = timezone.now() if attended else None
        registration.attendance_marked_by = by
        registration.save(update_fields=["attended_at", "attendance_marked_by", "updated_at"])
        audit_record(
            actor=by,
            action="attendance.marked" if attended else "attendance.unmarked",
            obj=registration.activity,
            detail={"person": registration.user.email},
        )
    return registration


def activity_mark_all_attended(*, activity: Activity, by: User) -> int:
    """Tick every confirmed sign-up not yet ticked; returns how many were ticked."""
    if not permissions.can_mark_attendance(by, activity):
        raise PermissionDenied("Only the host or a coordinator can mark attendance.")
    with transaction.atomic():
        count = Registration.objects.filter(
            activity=activity, status=Registration.Status.CONFIRMED, attended_at__isnull=True
        ).update(attended_at=timezone.now(), attendance_marked_by=by, updated_at=timezone.now())
        if count:
            versions.bump(versions.SIGNUPS)  # a bulk update sends no signal
            audit_record(actor=by, action="attendance.marked", obj=activity, detail={"count": count})
    return count


def _attend(*, user: User, activity: Activity, how: str) -> Registration:
    """Record that `user` attended: their confirmed sign-up is ticked (an activity that needs no
    sign-up gets one). An earlier tick is kept."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(user=user, activity=activity).first()
        if registration is None and not activity.signup_required:
            registration = Registration.objects.create(user=user, activity=activity)
        if registration is None or registration.status != Registration.Status.CONFIRMED:
            raise ValidationError("Only people with a confirmed place can check in to this activity.")
        if registration.attended_at is None:
            registration.attended_at = timezone.now()
            registration.save(update_fields=["attended_at", "updated_at"])
            audit_record(actor=user, action="attendance.checked_in", obj=activity, detail={"how": how})
    return registration


def registration_check_in(*, user: User, activity: Activity, code: str) -> Registration:
    """Check in on site with the code the host shows, while the activity is on."""
    if activity.is_cancelled or not activity.is_onsite:
        raise ValidationError("This activity has no on-site check-in.")
    if not selectors.attendance_window_open(activity):
        raise ValidationError("Check-in opens 15 minutes before the activity starts and closes when it ends.")
    if code.strip().upper() != selectors.checkin_code(activity):
        raise ValidationError(
            {"code": "That code is not this activity's check-in code; check it and try again."}
        )
    return _attend(user=user, activity=activity, how="code")


def registration_join(*, user: User, activity: Activity) -> bool:
    """Opening csweek's join link during the activity records attendance; returns whether it did."""
    if activity.is_cancelled or not selectors.attendance_window_open(activity):
        return False
    try:
        _attend(user=user, activity=activity, how="join link")
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class EmailPreview:
    """Who an action would email, and one of those emails, before anything is saved."""

    recipient_count: int
    subject: str
    body: str


def week_move_preview(*, week: Week, starts_on: datetime.date, time_zone: str) -> EmailPreview:
    """Read only: how many people the change notices of moving `week` would reach (each person
    once, however many of their activities move), and the first of those emails as text."""
    shift = (starts_on - week.starts_on).days
    zone, to_zone = zoneinfo.ZoneInfo(week.time_zone), zoneinfo.ZoneInfo(time_zone)
    if not week.is_published or (not shift and time_zone == week.time_zone):
        return EmailPreview(recipient_count=0, subject="", body="")
    recipients: set[int] = set()
    sample = None
    for activity in week.activities.exclude(status=Activity.Status.CANCELLED).order_by("starts_at", "pk"):
        if activity.ends_at <= timezone.now():
            continue
        ids = list(_registrants(activity).values_list("pk", flat=True))
        recipients.update(ids)
        if sample is None and ids:
            sample = (activity, ids[0])
    if sample is None:
        return EmailPreview(recipient_count=0, subject="", body="")
    activity, person_id = sample
    before = {"starts_at": activity.starts_at, "ends_at": activity.ends_at}
    activity.starts_at = shift_keeping_local_time(activity.starts_at, zone=zone, days=shift, to_zone=to_zone)
    activity.ends_at = shift_keeping_local_time(activity.ends_at, zone=zone, days=shift, to_zone=to_zone)
    context = {
        "site_url": settings.SITE_URL,
        "person": User.objects.get(pk=person_id),
        "activity": activity,
        "before": before,
        "confirmed": True,
        "open_to_all": not activity.signup_required,
        "show_join_link": False,
        "activity_path": reverse("events:activity_detail", args=[activity.pk]),
    }
    subject = " ".join(render_to_string("emails/activity_changed/subject.txt", context).split())
    body = render_to_string("emails/activity_changed/body.txt", context)
    return EmailPreview(recipient_count=len(recipients), subject=subject, body=body)


def activity_cancel_preview(*, activity: Activity) -> EmailPreview:
    """Read only: how many people cancelling `activity` would email (as activity_cancel picks
    them: the audience of an activity without sign-up) and the first of those emails."""
    recipients = _registrants(activity)
    first = recipients.first()
    if first is None or activity.is_cancelled:
        return EmailPreview(recipient_count=0, subject="", body="")
    cancelled = copy.copy(activity)
    cancelled.status = Activity.Status.CANCELLED
    cancelled.sequence += 1
    rendered = email_preview(kind="activity_cancelled", recipient=first, about=cancelled)
    subject, body = rendered or ("", "")
    return EmailPreview(recipient_count=recipients.count(), subject=subject, body=body)
