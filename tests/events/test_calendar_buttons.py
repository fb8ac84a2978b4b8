"""Calendar buttons: an activity goes to Google Calendar or Outlook at its UTC times; the personal
feed is offered as webcal://, to Google and Outlook, with a copy button."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from events.templatetags.calendar_links import activity_links, feed_links

pytestmark = pytest.mark.django_db


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_activity_links_carry_title_utc_times_and_place(activity):
    activity.starts_at = datetime.datetime(2030, 10, 8, 14, 0, tzinfo=datetime.UTC)
    activity.ends_at = datetime.datetime(2030, 10, 8, 15, 30, tzinfo=datetime.UTC)
    activity.room = "Atrium"
    links = activity_links(activity)
    page = f"http://localhost:8000/activities/{activity.pk}/"
    assert links["ics"] == reverse("events:activity_ics", args=[activity.pk])
    assert _query(links["google"]) == {
        "action": "TEMPLATE",
        "text": "Listening skills",
        "dates": "20301008T140000Z/20301008T153000Z",
        "details": page,
        "location": "Atrium",
    }
    assert _query(links["outlook"])["startdt"] == "2030-10-08T14:00:00+00:00"
    assert _query(links["outlook"])["subject"] == "Listening skills"


def test_feed_links_subscribe_by_webcal():
    links = feed_links("https://csweek.example.com/calendar/abc.ics")
    assert links["webcal"] == "webcal://csweek.example.com/calendar/abc.ics"
    assert _query(links["google"]) == {"cid": "webcal://csweek.example.com/calendar/abc.ics"}
    assert _query(links["outlook"]) == {
        "url": "https://csweek.example.com/calendar/abc.ics",
        "name": "Customer Service Week",
    }


def test_profile_offers_the_feed_buttons(client, agent):
    client.force_login(agent)
    content = client.get(reverse("people:profile")).content.decode()
    webcal = f"webcal://testserver/calendar/{agent.calendar_token}.ics"
    assert f'href="{webcal}"' in content
    assert 'data-copy="calendar-feed-url"' in content
    assert f'value="http://testserver/calendar/{agent.calendar_token}.ics"' in content


def test_activity_page_offers_calendar_buttons(client, agent, activity):
    client.force_login(agent)
    content = client.get(reverse("events:activity_detail", args=[activity.pk])).content.decode()
    assert content.count("Add to Google Calendar") == 1
    assert ">Outlook</a>" in content
