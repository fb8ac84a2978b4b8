"""The week recap: who may open it when, the note, sending to everyone through the outbox."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from events.models import Registration
from events.services import registration_cancel
from insights import selectors, services
from insights.models import WeekRecap
from outbox.deliveries import ANNOUNCEMENTS
from outbox.models import Delivery, EmailOptOut
from recognition.models import Nomination
from tests.events.factories import WeekFactory
from tests.factories import AgentFactory
from tests.insights.conftest import populate

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def week(weeks):
    return weeks[1]


@pytest.fixture
def data(week, coordinator, manager, team, other_team):
    result = populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=4)
    award = result["agents"][0].nominations_received.get()
    award.evidence_quote = "She saved my holiday " + SCRIPT
    award.save()
    # Announced at the category's moment, as beat does; the recap tells announced awards only.
    Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED).update(
        announced_at=result["category"].announce_at
    )
    return result


def after(week):
    """Monday after the week, 09:00 UTC."""
    day = week.ends_on + datetime.timedelta(days=3)
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC), tick=False
    )


def during(week):
    day = week.starts_on + datetime.timedelta(days=1)
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC), tick=False
    )


def test_recap_during_the_week_is_404_for_an_agent_and_a_preview_for_a_coordinator(
    client, data, week, agent, coordinator
):
    with during(week):
        client.force_login(agent)
        assert client.get(reverse("insights:recap", args=[week.year])).status_code == 404
        client.force_login(coordinator)
        response = client.get(reverse("insights:recap", args=[week.year]))
    assert response.status_code == 200
    assert "Preview for coordinators" in response.content.decode()


def end_of_friday(week, *, minutes: int):
    """`minutes` from midnight at the end of the week's Friday, in the week's own zone."""
    saturday = week.ends_on + datetime.timedelta(days=1)
    midnight = datetime.datetime(
        saturday.year, saturday.month, saturday.day, tzinfo=zoneinfo.ZoneInfo(week.time_zone)
    )
    return time_machine.travel(midnight + datetime.timedelta(minutes=minutes), tick=False)


# Los Angeles is 7 hours behind UTC in October, Auckland 13 ahead: midnight UTC is wrong in both.
@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Pacific/Auckland"])
def test_recap_stays_closed_until_the_end_of_friday_in_the_weeks_zone(client, agent, coordinator, zone):
    week = WeekFactory(year=2031, time_zone=zone)
    with end_of_friday(week, minutes=-1):
        client.force_login(agent)
        assert client.get(reverse("insights:recap", args=[week.year])).status_code == 404
        client.force_login(coordinator)
        assert client.get(reverse("insights:recap", args=[week.year])).context["is_over"] is False
        with pytest.raises(ValidationError):
            services.recap_send(week=week, by=coordinator)
    assert Delivery.objects.count() == 0


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Pacific/Auckland"])
def test_recap_opens_at_the_end_of_friday_in_the_weeks_zone(client, agent, coordinator, zone):
    week = WeekFactory(year=2031, time_zone=zone)
    with end_of_friday(week, minutes=1):
        client.force_login(agent)
        response = client.get(reverse("insights:recap", args=[week.year]))
        assert services.recap_send(week=week, by=coordinator) == 2
    assert response.status_code == 200
    assert response.context["is_over"] is True


def test_recap_after_the_week_shows_awards_quotes_teams_and_activities(client, data, week, agent):
    with after(week):
        client.force_login(agent)
        response = client.get(reverse("insights:recap", args=[week.year]))
    body = response.content.decode()
    assert response.status_code == 200
    content = response.context["content"]
    assert content.headline == [
        ("People who took part", "5 of 7"),
        ("Activities held", "2"),
        ("Attendance", "3 of 5 places (60.0 %)"),
        ("Nominations", "4"),
        ("Awards", "2"),
    ]
    assert [(c.name, c.count, len(c.awards)) for c in content.categories] == [("Customer hero", 2, 2)]
    # Front Line: the manager, `agent` and the 4 signed-up agents; Billing: the outsider.
    teams = body[body.index('id="teams-heading"') : body.index('id="best-heading"')]
    rows = re.findall(
        r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', teams, re.S
    )
    assert rows == [("Billing", "1", "1", "100.0"), ("Front Line", "6", "4", "66.7")]
    # Monday: agents 0 and 2 attended; Tuesday: the outsider (agents 1 and 3 did not).
    best = body[body.index('id="best-heading"') :]
    assert re.findall(r"<li>(.*?)</li>", best[: best.index("</ol>")]) == [
        "Monday kick-off: 2 attended",
        "Tuesday quiz: 1 attended",
    ]
    assert "She saved my holiday &lt;script&gt;" in body
    assert SCRIPT not in body
    assert "For coordinators" not in body


def test_recap_attendance_leaves_out_cancelled_sign_ups_as_the_report_does(
    client, data, week, agent, coordinator
):
    # Ticked, then cancelled: the sign-up keeps its attended_at.
    ticked = Registration.objects.get(user=data["agents"][0], activity=data["monday"])
    registration_cancel(by=data["agents"][0], registration=ticked)
    # Someone in no team attends: the reports count people in teams only.
    Registration.objects.create(user=coordinator, activity=data["monday"], attended_at=ticked.attended_at)
    with after(week):
        client.force_login(agent)
        content = client.get(reverse("insights:recap", args=[week.year])).context["content"]
        report = selectors.report_for(viewer=coordinator, year=week.year)
        _subject, text = selectors.recap_email_preview(week=week, recap=None, viewer=agent)
    assert content.headline[2] == ("Attendance", "2 of 4 places (50.0 %)")
    assert {name: value for name, value, _before in report.headline}["Attendance"] == "50.0 % (2 of 4)"
    assert [(a.title, a.attended) for a in content.best_activities] == [
        ("Monday kick-off", 1),
        ("Tuesday quiz", 1),
    ]
    assert "- Attendance: 2 of 4 places (50.0 %)\n" in text


def test_recap_leaves_out_an_award_still_held_back(client, data, week, agent):
    held_back = data["agents"][2].nominations_received.get()
    held_back.announced_at = None
    held_back.save()
    with after(week):
        client.force_login(agent)
        response = client.get(reverse("insights:recap", args=[week.year]))
    content = response.context["content"]
    assert content.headline[-1] == ("Awards", "1")
    assert [(c.name, c.count, [a.pk for a in c.awards]) for c in content.categories] == [
        ("Customer hero", 1, [data["agents"][0].nominations_received.get().pk])
    ]
    assert held_back.nominee.name not in response.content.decode()


def test_recap_note_saved_by_a_coordinator_and_escaped(client, data, week, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("insights:recap_note", args=[week.year]), {"thank_you_note": "Thanks all " + SCRIPT}
    )
    assert response.status_code == 302
    assert WeekRecap.objects.get(week=week).thank_you_note == "Thanks all " + SCRIPT
    body = client.get(reverse("insights:recap", args=[week.year])).content.decode()
    assert "Thanks all &lt;script&gt;" in body


def test_recap_note_too_long_keeps_what_was_typed(client, data, week, coordinator):
    client.force_login(coordinator)
    text = "x" * 5001
    response = client.post(reverse("insights:recap_note", args=[week.year]), {"thank_you_note": text})
    assert response.status_code == 400
    assert text in response.content.decode()
    assert WeekRecap.objects.count() == 0


def test_recap_note_by_a_manager_is_refused(client, data, week, manager):
    client.force_login(manager)
    response = client.post(reverse("insights:recap_note", args=[week.year]), {"thank_you_note": "hi"})
    assert response.status_code == 403


def test_recap_send_preview_says_how_many(client, data, week, coordinator):
    EmailOptOut.objects.create(user=data["outsider"], preference="email_announcements")
    with after(week):
        client.force_login(coordinator)
        response = client.get(reverse("insights:recap_send", args=[week.year]))
    # coordinator, manager, 4 agents (the outsider opted out)
    assert response.context["count"] == 6
    assert "This will email 6 people" in response.content.decode()
    # The email itself, as the coordinator would get it: its headline numbers and the link.
    subject, text = response.context["email"]
    assert subject == f"Customer Service Week {week.year}: the recap"
    assert "- People who took part: 5 of 6\n- Activities held: 2\n" in text
    assert f"/weeks/{week.year}/recap/" in text
    assert Delivery.objects.count() == 0


def test_recap_send_preview_escapes_the_note(client, data, week, coordinator):
    WeekRecap.objects.create(week=week, thank_you_note="Thanks " + SCRIPT)
    with after(week):
        client.force_login(coordinator)
        response = client.get(reverse("insights:recap_send", args=[week.year]))
    assert "Thanks " + SCRIPT in response.context["email"][1]
    content = response.content.decode()
    assert SCRIPT not in content
    assert "Thanks &lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_recap_send_queues_one_email_each_once(
    client, data, week, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    with after(week), django_capture_on_commit_callbacks(execute=True):
        client.force_login(coordinator)
        response = client.post(reverse("insights:recap_send", args=[week.year]))
    assert response.status_code == 302
    assert Delivery.objects.filter(kind="week_recap").count() == 7
    assert len(mailoutbox) == 7
    assert mailoutbox[0].subject == f"Customer Service Week {week.year}: the recap"
    # The recap page's headline numbers, in the text and the HTML of every email.
    text, html = mailoutbox[0].body, mailoutbox[-1].alternatives[0][0]
    assert (
        "The week in numbers:\n"
        "- People who took part: 5 of 6\n"
        "- Activities held: 2\n"
        "- Attendance: 3 of 5 places (60.0 %)\n"
        "- Nominations: 4\n"
        "- Awards: 2\n"
    ) in text
    cells = [" ".join(cell.split()) for cell in re.findall(r"<td>(.*?)</td>", html, re.S)]
    assert cells == [
        "People who took part",
        "<strong>5 of 6</strong>",
        "Activities held",
        "<strong>2</strong>",
        "Attendance",
        "<strong>3 of 5 places (60.0 %)</strong>",
        "Nominations",
        "<strong>4</strong>",
        "Awards",
        "<strong>2</strong>",
    ]
    with after(week):
        assert services.recap_send(week=week, by=coordinator) == 0
    assert list(
        AuditEntry.objects.filter(action="recap.sent").order_by("pk").values_list("detail", flat=True)
    ) == [
        {"recipients": 7},
        {"recipients": 0},
    ]


def test_recap_send_emails_nobody_who_switched_announcements_off(
    client, data, week, coordinator, manager, django_capture_on_commit_callbacks, mailoutbox
):
    quiet = data["outsider"]
    EmailOptOut.objects.create(user=quiet, preference=ANNOUNCEMENTS.key)
    with after(week), django_capture_on_commit_callbacks(execute=True):
        client.force_login(coordinator)
        response = client.post(reverse("insights:recap_send", args=[week.year]))
    assert response.status_code == 302
    assert sorted(address for email in mailoutbox for address in email.to) == sorted(
        [coordinator.email, manager.email] + [person.email for person in data["agents"]]
    )
    assert Delivery.objects.filter(recipient=quiet).count() == 0


def test_recap_send_during_the_week_is_refused(client, data, week, coordinator):
    with during(week):
        client.force_login(coordinator)
        client.post(reverse("insights:recap_send", args=[week.year]))
    assert Delivery.objects.filter(kind="week_recap").count() == 0


@pytest.mark.parametrize("n", [3, 300])
@pytest.mark.parametrize(("role", "queries"), [("coordinator", 12), ("manager", 11), ("agent", 11)])
def test_recap_query_count_is_flat(
    client, request, week, coordinator, manager, team, other_team, n, role, queries, django_assert_num_queries
):
    data = populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=n)
    # Announced, so the awards, their stories and the quotes are on the page too.
    Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED).update(
        announced_at=data["category"].announce_at
    )
    agent = AgentFactory(team=team)
    user = agent if role == "agent" else request.getfixturevalue(role)
    # The first read after the cache is cleared (tests/conftest.py): the page cache misses and
    # the page is built, as the other query-count tests measure it.
    with after(week):
        client.force_login(user)
        with django_assert_num_queries(queries):
            response = client.get(reverse("insights:recap", args=[week.year]))
    assert response.status_code == 200
    assert [(c.count, len(c.awards)) for c in response.context["content"].categories] == [
        ((n + 1) // 2, min((n + 1) // 2, 10))
    ]
