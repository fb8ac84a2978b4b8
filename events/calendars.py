"""iCalendar (RFC 5545) files for one activity and for a person's private feed."""

import datetime
import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vText

from events.models import Activity, DayTheme

PRODID = "-//csweek//Customer Service Week//EN"


def activity_uid(activity: Activity) -> str:
    """Stable for the life of the activity, whatever changes, so calendars update it in place."""
    host = urlsplit(settings.SITE_URL).hostname or "csweek"
    return f"activity-{activity.pk}@{host}"


def join_link(activity: Activity) -> str:
    """csweek's own join link, absolute: opening it during the activity counts the person as
    attending, then it goes on to the meeting. Emails and calendars carry it, never the raw link."""
    return settings.SITE_URL.rstrip("/") + reverse("events:activity_join", args=[activity.pk])


def _event(activity: Activity, *, theme: DayTheme | None, show_join_link: bool, stamp) -> Event:
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", stamp)
    event.add("sequence", activity.sequence)
    event.add("dtstart", activity.starts_at.astimezone(datetime.UTC))
    event.add("dtend", activity.ends_at.astimezone(datetime.UTC))
    event.add("summary", activity.title)
    lines = []
    if theme is not None:
        lines.append(f"Theme of the day: {theme.title}")
    lines.append(
        f"{activity.get_kind_display()} · {activity.get_format_display()} · hosted by {activity.host.name}"
    )
    if activity.description:
        lines.extend(["", activity.description])
    page = settings.SITE_URL.rstrip("/") + reverse("events:activity_detail", args=[activity.pk])
    lines.extend(["", page])
    event.add("description", "\n".join(lines))
    location = []
    if activity.is_onsite and activity.room:
        location.append(activity.room)
    if activity.is_online and activity.join_url and show_join_link:
        location.append(join_link(activity))
        event.add("url", join_link(activity))
    else:
        event.add("url", page)
    if location:
        event.add("location", " / ".join(location))
    event.add("status", "CANCELLED" if activity.is_cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def calendar_bytes(
    activities: Iterable[Activity],
    *,
    themes: dict,
    name: str,
    show_join_link=lambda activity: True,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property has no known type: given a plain string it is written as is, and a line break
    # in it (a title saved before line breaks were refused) would make to_ical() fail.
    calendar.add("x-wr-calname", vText(name))
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for activity in activities:
        local_day = activity.starts_at.astimezone(_zone(activity)).date()
        calendar.add_component(
            _event(
                activity,
                theme=themes.get((activity.week_id, local_day)),
                show_join_link=show_join_link(activity),
                stamp=stamp,
            )
        )
    return calendar.to_ical()


def _zone(activity: Activity):
    return zoneinfo.ZoneInfo(activity.week.time_zone)
