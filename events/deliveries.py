"""Email kinds of events: sign-up news, changes, cancellations, reminders and the theme of the day.

Occurrence keys carry the activity's calendar SEQUENCE (``seq:7``): a change makes new emails
possible, and an email asked for under an older sequence is skipped when it is sent. A reminder's
key also carries the start it announces (``24h:20261006T0900Z:seq:7``), so a change of place alone
does not remind anyone twice, while a change of time reminds again for the new time.
"""

import datetime
import math
import zoneinfo

from django.urls import reverse
from django.utils import timezone

from events import selectors
from events.calendars import calendar_bytes, join_link
from events.models import Activity, DayTheme, Registration, Week
from outbox.kinds import Attachment, Kind, register
from outbox.preferences import Preference, register_preference

REMINDER_MARKS = {"24h": datetime.timedelta(hours=24), "1h": datetime.timedelta(hours=1)}


def occurrence_for(*, activity: Activity, mark: str = "") -> str:
    if not mark:
        return f"seq:{activity.sequence}"
    return f"{reminder_prefix(activity=activity, mark=mark)}seq:{activity.sequence}"


def reminder_prefix(*, activity: Activity, mark: str) -> str:
    """What the reminders of one mark for one start share, whatever the sequence."""
    return f"{mark}:{activity.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%MZ}:"


def _sequence_of(occurrence: str) -> int | None:
    _, _, sequence = occurrence.rpartition("seq:")
    return int(sequence) if sequence.isdigit() else None


def _activity_of(delivery) -> Activity | None:
    # The send task prefetches `about`: deliveries of one chunk share one instance, so its week and
    # host are loaded once per chunk, not once per email.
    return delivery.about


_UNKNOWN = object()


def _registration_status(delivery) -> str | None:
    """The recipient's place in the activity, as `prepare_registrations` loaded it for the chunk."""
    status = getattr(delivery, "registration_status", _UNKNOWN)
    if status is _UNKNOWN:
        status = (
            Registration.objects.filter(activity_id=delivery.object_id, user_id=delivery.recipient_id)
            .values_list("status", flat=True)
            .first()
        )
    return status


def prepare_registrations(deliveries) -> None:
    """One query for the places of a chunk's recipients in the activities the emails are about."""
    rows = Registration.objects.filter(
        activity_id__in={d.object_id for d in deliveries}, user_id__in={d.recipient_id for d in deliveries}
    ).values_list("activity_id", "user_id", "status")
    statuses = {(activity_id, user_id): status for activity_id, user_id, status in rows}
    for delivery in deliveries:
        delivery.registration_status = statuses.get((delivery.object_id, delivery.recipient_id))


def _paths(activity: Activity) -> dict:
    return {
        "activity_path": reverse("events:activity_detail", args=[activity.pk]),
        "ics_path": reverse("events:activity_ics", args=[activity.pk]),
        "schedule_path": reverse("events:schedule_year", args=[activity.week.year]),
    }


def _ics(activity: Activity, *, show_join_link: bool) -> bytes:
    """Built once per activity instance: the deliveries of a chunk share it, and so share the file."""
    cache = activity.__dict__.setdefault("_email_ics", {})
    key = (activity.sequence, activity.status, show_join_link)
    if key not in cache:
        cache[key] = calendar_bytes(
            [activity],
            themes=selectors.day_themes_by_week_date([activity]),
            name=activity.title,
            show_join_link=lambda _activity: show_join_link,
        )
    return cache[key]


def activity_ics_attachment(delivery, context: dict) -> list[Attachment]:
    activity = context["activity"]
    return [(f"activity-{activity.pk}.ics", context["ics"], "text/calendar")]


# --- Waitlist promotion ---------------------------------------------------------------------------


def promotion_occurrence(registration: Registration) -> str:
    """One email per sign-up: someone who withdraws, signs up again and is promoted again is told again."""
    return f"signup:{registration.created_at.isoformat()}"


def waitlist_promoted_context(delivery) -> dict | None:
    registration = delivery.about
    if registration is None:
        return None
    registration = (
        Registration.objects.select_related("user", "activity__week", "activity__host")
        .filter(pk=registration.pk, status=Registration.Status.CONFIRMED)
        .first()
    )
    if registration is None or registration.activity.is_cancelled:
        return None
    if delivery.occurrence != promotion_occurrence(registration):
        return None  # withdrawn and signed up again since: that sign-up has its own email
    activity = registration.activity
    return {
        "person": registration.user,
        "activity": activity,
        # The place is confirmed now: the calendar file carries the join link, as a reminder's does.
        "show_join_link": activity.is_online and bool(activity.join_url),
        "join_link": join_link(activity),
        "ics": _ics(activity, show_join_link=True),
        **_paths(activity),
    }


# --- Changes and cancellations --------------------------------------------------------------------


def _before(payload: dict, activity: Activity) -> dict | None:
    """What changed, as it was: only the time, format or room that differ from the activity now."""
    was = (payload or {}).get("before")
    if not was:
        return None
    starts_at = datetime.datetime.fromisoformat(was["starts_at"])
    ends_at = datetime.datetime.fromisoformat(was["ends_at"])
    before = {}
    if (starts_at, ends_at) != (activity.starts_at, activity.ends_at):
        before.update(starts_at=starts_at, ends_at=ends_at)
    if was["format"] != activity.format:
        before["format"] = Activity.Format(was["format"]).label
    if was["room"] != activity.room:
        before["room"] = was["room"] or "no room"
    return before or None


def activity_changed_context(delivery) -> dict | None:
    """The activity as it is now; skipped when cancelled or changed again (the next email tells)."""
    activity = _activity_of(delivery)
    if activity is None or activity.is_cancelled or _sequence_of(delivery.occurrence) != activity.sequence:
        return None
    if activity.signup_required:
        status = _registration_status(delivery)
        if status not in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
            return None
        confirmed = status == Registration.Status.CONFIRMED
    else:
        confirmed = True  # no sign-up: everyone in the audience may come
    return {
        "person": delivery.recipient,
        "activity": activity,
        "before": _before(delivery.payload, activity),
        "confirmed": confirmed,
        "open_to_all": not activity.signup_required,
        "show_join_link": confirmed and activity.is_online and bool(activity.join_url),
        "join_link": join_link(activity),
        "ics": _ics(activity, show_join_link=confirmed),
        **_paths(activity),
    }


def activity_cancelled_context(delivery) -> dict | None:
    activity = _activity_of(delivery)
    if activity is None or not activity.is_cancelled:
        return None
    return {
        "person": delivery.recipient,
        "activity": activity,
        # Only a confirmed place is in the person's calendar feed; the waitlisted are told plainly.
        "confirmed": _registration_status(delivery) == Registration.Status.CONFIRMED,
        "open_to_all": not activity.signup_required,
        "ics": _ics(activity, show_join_link=False),
        **_paths(activity),
    }


# --- Reminders ------------------------------------------------------------------------------------


def _when_label(*, mark: str, starts_at: datetime.datetime, now: datetime.datetime, zone) -> str:
    """'tomorrow at 10:00', 'in 1 hour', … as the recipient reads it when the email is written."""
    start = starts_at.astimezone(zone)
    if mark == "1h":
        minutes = math.ceil((starts_at - now).total_seconds() / 60)
        return "in 1 hour" if minutes >= 55 else f"in {minutes} minutes"
    days = (start.date() - now.astimezone(zone).date()).days
    day = {0: "today", 1: "tomorrow"}.get(days, f"on {start:%A} {start.day} {start:%B}")
    return f"{day} at {start:%H:%M}"


def activity_reminder_context(delivery) -> dict | None:
    """Skipped when the activity is cancelled, moved (sequence), started, unpublished, or when the
    person no longer holds a confirmed place."""
    activity = _activity_of(delivery)
    mark, _, _ = delivery.occurrence.partition(":")
    now = timezone.now()
    if (
        activity is None
        or activity.is_cancelled
        or not activity.week.is_published
        or mark not in REMINDER_MARKS
        or _sequence_of(delivery.occurrence) != activity.sequence
        or activity.starts_at <= now
    ):
        return None
    recipient = delivery.recipient
    if activity.signup_required and _registration_status(delivery) != Registration.Status.CONFIRMED:
        return None
    if not delivery.occurrence.startswith(reminder_prefix(activity=activity, mark=mark)):
        return None  # asked for before the time changed
    zone = zoneinfo.ZoneInfo(recipient.time_zone)
    return {
        "person": recipient,
        "activity": activity,
        "mark": mark,
        "when": _when_label(mark=mark, starts_at=activity.starts_at, now=now, zone=zone),
        "show_join_link": activity.is_online and bool(activity.join_url),
        "join_link": join_link(activity),
        "ics": _ics(activity, show_join_link=True),
        **_paths(activity),
    }


# --- Theme of the day -----------------------------------------------------------------------------


def _activities_on_day(day_theme: DayTheme, person) -> list[Activity]:
    """The day's activities for the person; the same for everyone of one zone and team, so looked
    up once per chunk for each (the chunk's deliveries share the day theme instance)."""
    cache = day_theme.__dict__.setdefault("_email_activities", {})
    key = (person.time_zone, person.team_id)
    if key not in cache:
        cache[key] = selectors.activities_on_day_for(user=person, day_theme=day_theme)
    return cache[key]


def daily_theme_context(delivery) -> dict | None:
    """Skipped once the day is over for the person, or when the week is no longer published."""
    # The send task loaded `about` for this chunk; the chunk's deliveries share it (and its week).
    day_theme = delivery.about
    recipient = delivery.recipient
    zone = zoneinfo.ZoneInfo(recipient.time_zone)
    if (
        day_theme is None
        or day_theme.week.status != Week.Status.PUBLISHED
        or timezone.now().astimezone(zone).date() != day_theme.date
    ):
        return None
    return {
        "person": recipient,
        "day_theme": day_theme,
        "activities": _activities_on_day(day_theme, recipient),
        "schedule_path": reverse("events:schedule_year", args=[day_theme.week.year]),
    }


def _week_year_of(about) -> int:
    """Activities and day themes belong to a week; /deliveries/ filters by it."""
    return about.week.year


def _registration_week(registration: Registration) -> int:
    return registration.activity.week.year


REMINDERS = register_preference(
    Preference(
        key="email_reminders",
        label="activity reminders",
        help_text="Reminders before activities I signed up for",
    )
)
DAILY_THEME_NEWS = register_preference(
    Preference(
        key="email_daily_theme",
        label="theme of the day",
        help_text="The theme of the day during the week",
    )
)

WAITLIST_PROMOTED = register(
    # About a place the person asked for: transactional, not switched off with reminders.
    Kind(
        name="waitlist_promoted",
        label="Waitlist promotions",
        context=waitlist_promoted_context,
        week_of=_registration_week,
        attachments=activity_ics_attachment,
    )
)
ACTIVITY_CHANGED = register(
    Kind(
        name="activity_changed",
        label="Activity changes",
        context=activity_changed_context,
        week_of=_week_year_of,
        prepare=prepare_registrations,
        attachments=activity_ics_attachment,
    )
)
ACTIVITY_CANCELLED = register(
    Kind(
        name="activity_cancelled",
        label="Activity cancellations",
        context=activity_cancelled_context,
        week_of=_week_year_of,
        prepare=prepare_registrations,
        attachments=activity_ics_attachment,
    )
)
ACTIVITY_REMINDER = register(
    Kind(
        name="activity_reminder",
        label="Activity reminders",
        context=activity_reminder_context,
        week_of=_week_year_of,
        prepare=prepare_registrations,
        preference=REMINDERS.key,
        attachments=activity_ics_attachment,
    )
)
DAILY_THEME = register(
    Kind(
        name="daily_theme",
        label="Theme of the day",
        context=daily_theme_context,
        week_of=_week_year_of,
        preference=DAILY_THEME_NEWS.key,
    )
)
