"""Calendar buttons: add one activity to Google Calendar or Outlook, or subscribe to a feed."""

import datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.urls import reverse

from events.models import Activity

register = template.Library()

GOOGLE_EVENT = "https://calendar.google.com/calendar/render"
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r"
OUTLOOK_EVENT = "https://outlook.office.com/calendar/0/deeplink/compose"
OUTLOOK_SUBSCRIBE = "https://outlook.office.com/calendar/0/addfromweb"


def _google_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def activity_links(activity: Activity) -> dict[str, str]:
    """Where to add `activity`: its .ics file, Google Calendar and Outlook (times in UTC)."""
    page = settings.SITE_URL + reverse("events:activity_detail", args=[activity.pk])
    location = activity.room if activity.is_onsite and activity.room else ""
    if activity.is_online and not location:
        location = "Online"
    google = {
        "action": "TEMPLATE",
        "text": activity.title,
        "dates": f"{_google_time(activity.starts_at)}/{_google_time(activity.ends_at)}",
        "details": page,
        "location": location,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": activity.title,
        "startdt": activity.starts_at.astimezone(datetime.UTC).isoformat(),
        "enddt": activity.ends_at.astimezone(datetime.UTC).isoformat(),
        "body": page,
        "location": location,
    }
    return {
        "ics": reverse("events:activity_ics", args=[activity.pk]),
        "google": f"{GOOGLE_EVENT}?{urlencode(google)}",
        "outlook": f"{OUTLOOK_EVENT}?{urlencode(outlook)}",
    }


def feed_links(url: str, *, name: str = "Customer Service Week") -> dict[str, str]:
    """Subscribe to the calendar feed at `url` (http or https): webcal://, Google and Outlook."""
    parts = urlsplit(url)
    webcal = urlunsplit(("webcal", parts.netloc, parts.path, parts.query, ""))
    return {
        "url": url,
        "webcal": webcal,
        "google": f"{GOOGLE_SUBSCRIBE}?{urlencode({'cid': webcal})}",
        "outlook": f"{OUTLOOK_SUBSCRIBE}?{urlencode({'url': url, 'name': name})}",
    }


@register.inclusion_tag("events/_activity_calendar_buttons.html")
def activity_calendar_buttons(activity: Activity) -> dict:
    return {"activity": activity, "links": activity_links(activity)}


@register.inclusion_tag("events/_feed_calendar_buttons.html")
def feed_calendar_buttons(url: str) -> dict:
    return {"links": feed_links(url)}
