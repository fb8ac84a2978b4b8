"""Reminders, changes, cancellations and the theme of the day, with time frozen."""

import datetime
import re
from contextlib import contextmanager

import icalendar
import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from events import services
from events.models import Activity, Registration
from outbox.models import Delivery
from outbox.services import deliveries_send
from tests.events.factories import ActivityFactory, DayThemeFactory, local
from tests.factories import AgentFactory

UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def run_at(django_capture_on_commit_callbacks):
    """Run a service at a frozen moment, sending what it queued (eager tasks, locmem email)."""

    def run(moment: datetime.datetime, service=services.reminders_create) -> int:
        with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
            return service(now=moment)

    return run


@contextmanager
def frozen(moment: datetime.datetime):
    with time_machine.travel(moment, tick=False):
        yield


def signed_up(activity: Activity, **kwargs) -> Registration:
    person = AgentFactory(**{"time_zone": "Europe/London", **kwargs})
    with frozen(activity.starts_at - 72 * HOUR):
        return services.registration_create(user=person, activity=activity)


def reminders(activity: Activity) -> list[tuple[str, str, str]]:
    """(address, mark:seq:N, status); the start each occurrence also carries is checked apart."""
    rows = (
        Delivery.objects.filter(kind="activity_reminder", object_id=activity.pk)
        .order_by("pk")
        .values_list("address", "occurrence", "status")
    )
    return [
        (address, re.sub(r":\d{8}T\d{4}Z:", ":", occurrence), status) for address, occurrence, status in rows
    ]


def ics_of(message) -> icalendar.Event:
    [(filename, content, mimetype)] = message.attachments
    assert (filename.endswith(".ics"), mimetype) == (True, "text/calendar")
    [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    return event


# --- Activity reminders --------------------------------------------------------------------------


def test_reminders_fire_once_each_at_24h_and_1h(activity, run_at, mailoutbox):
    signed_up(activity, email="ana@example.com", time_zone="Europe/Paris")
    start = activity.starts_at  # Tuesday 8 October 2030, 10:00 in London
    assert run_at(start - 24 * HOUR - MINUTE) == 0
    assert mailoutbox == []
    # Every minute-ish from the 24 h mark to the start: one 24 h and one 1 h reminder, no more.
    moment = start - 24 * HOUR
    while moment < start + 5 * MINUTE:
        run_at(moment)
        moment += 5 * MINUTE
    run_at(start - HOUR)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["ana@example.com"], "Reminder: Listening skills tomorrow at 11:00"),
        (["ana@example.com"], "Reminder: Listening skills in 1 hour"),
    ]
    assert reminders(activity) == [
        ("ana@example.com", "24h:seq:0", "sent"),
        ("ana@example.com", "1h:seq:0", "sent"),
    ]


def test_reminder_not_sent_before_its_mark(activity, run_at, mailoutbox):
    signed_up(activity, email="ana@example.com")
    for hours in (72, 48, 25):
        assert run_at(activity.starts_at - hours * HOUR) == 0
    assert run_at(activity.starts_at - 24 * HOUR - MINUTE) == 0
    assert (mailoutbox, reminders(activity)) == ([], [])


def test_no_24h_reminder_once_the_1h_mark_has_passed(activity, run_at, mailoutbox):
    signed_up(activity, email="ana@example.com")
    assert run_at(activity.starts_at - 30 * MINUTE) == 1
    assert reminders(activity) == [("ana@example.com", "1h:seq:0", "sent")]
    assert [m.subject for m in mailoutbox] == ["Reminder: Listening skills in 30 minutes"]


def test_reminder_email_has_time_in_recipient_zone_join_link_and_ics(coordinator, week, run_at, mailoutbox):
    activity = ActivityFactory(
        week=week,
        title="Town hall",
        host=coordinator,
        starts_at=local(week, 2, 15),
        format=Activity.Format.HYBRID,
        room="Atrium",
        join_url="https://meet.example.com/town-hall",
    )
    signed_up(activity, email="ravi@example.com", time_zone="Asia/Kolkata")
    run_at(activity.starts_at - 23 * HOUR)
    [message] = mailoutbox
    # 15:00 in London on Wednesday 9 October 2030 is 19:30 in Kolkata.
    assert message.subject == "Reminder: Town hall tomorrow at 19:30"
    assert "When: Wednesday 9 October 2030, 19:30–20:30 (Asia/Kolkata)" in message.body
    assert "Where: Atrium" in message.body
    # csweek's join link, which counts the person as attending; never the meeting's own address.
    assert f"Join link: http://localhost:8000/activities/{activity.pk}/join/" in message.body
    assert "meet.example.com" not in message.body
    html = message.alternatives[0][0]
    assert f'href="http://localhost:8000/activities/{activity.pk}/join/"' in html
    assert "meet.example.com" not in html
    assert f"http://localhost:8000/activities/{activity.pk}/" in message.body
    event = ics_of(message)
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (
        f"activity-{activity.pk}@localhost",
        0,
        "CONFIRMED",
    )
    assert str(event["LOCATION"]) == f"Atrium / http://localhost:8000/activities/{activity.pk}/join/"
    assert str(event["URL"]) == f"http://localhost:8000/activities/{activity.pk}/join/"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_onsite_reminder_has_no_join_link(activity, run_at, mailoutbox):
    signed_up(activity, email="ana@example.com")
    Activity.objects.filter(pk=activity.pk).update(join_url="https://meet.example.com/not-used")
    run_at(activity.starts_at - 2 * HOUR)
    [message] = mailoutbox
    assert "Join link" not in message.body
    assert "Where: Room 1" in message.body


def test_reminder_title_escaped_in_html(coordinator, week, run_at, mailoutbox):
    activity = ActivityFactory(week=week, title="<script>alert(1)</script>", host=coordinator)
    signed_up(activity, email="ana@example.com")
    run_at(activity.starts_at - 2 * HOUR)
    [message] = mailoutbox
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in html
    assert message.subject == "Reminder: <script>alert(1)</script> today at 10:00"


def test_reminder_skipped_when_switched_off(activity, run_at, mailoutbox):
    signed_up(activity, email="quiet@example.com", opted_out=["email_reminders"])
    signed_up(activity, email="ana@example.com")
    run_at(activity.starts_at - 20 * HOUR)
    run_at(activity.starts_at - 19 * HOUR)
    assert [m.to for m in mailoutbox] == [["ana@example.com"]]
    assert sorted(reminders(activity)) == [
        ("ana@example.com", "24h:seq:0", "sent"),
        ("quiet@example.com", "24h:seq:0", "skipped"),
    ]


def test_reminder_only_to_confirmed_registrants(coordinator, week, run_at, mailoutbox):
    activity = ActivityFactory(week=week, title="Escape room", host=coordinator, capacity=1)
    signed_up(activity, email="first@example.com")
    waiting = signed_up(activity, email="second@example.com")
    gone = signed_up(activity, email="gone@example.com")
    with frozen(activity.starts_at - 72 * HOUR):
        services.registration_cancel(by=gone.user, registration=gone)
    assert waiting.status == Registration.Status.WAITLISTED
    run_at(activity.starts_at - 2 * HOUR)
    assert [m.to for m in mailoutbox] == [["first@example.com"]]


def test_reminder_to_whole_audience_when_no_signup_needed(
    coordinator, week, team, other_team, run_at, mailoutbox
):
    activity = ActivityFactory(
        week=week, title="Team breakfast", host=coordinator, signup_required=False, audience_teams=[team]
    )
    AgentFactory(email="mate@example.com", team=team)
    AgentFactory(email="left@example.com", team=team, is_active=False)
    AgentFactory(email="elsewhere@example.com", team=other_team)
    run_at(activity.starts_at - 2 * HOUR)
    assert [m.to for m in mailoutbox] == [["mate@example.com"]]


def test_reminder_to_everyone_when_no_signup_and_no_team_chosen(coordinator, week, run_at, mailoutbox):
    activity = ActivityFactory(week=week, title="Kick-off", host=coordinator, signup_required=False)
    AgentFactory(email="a@example.com")
    AgentFactory(email="b@example.com")
    run_at(activity.starts_at - 2 * HOUR)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.com", "b@example.com", "coord@example.com"]


def test_no_reminder_for_a_draft_week(activity, week, run_at, mailoutbox):
    signed_up(activity, email="ana@example.com")
    week.status = week.Status.DRAFT
    week.save()
    assert run_at(activity.starts_at - 2 * HOUR) == 0
    assert mailoutbox == []


@pytest.mark.parametrize("people", [3, 30])
def test_quiet_tick_costs_the_same_few_queries(
    activity, run_at, people, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    Activity.objects.filter(pk=activity.pk).update(capacity=None)
    for index in range(people):
        signed_up(activity, email=f"p{index}@example.com")
    moment = activity.starts_at - 20 * HOUR
    assert run_at(moment) == people
    with frozen(moment + MINUTE), django_assert_max_num_queries(7):
        assert services.reminders_create(now=moment + MINUTE) == 0


# --- Changes and cancellations --------------------------------------------------------------------


def test_reschedule_sends_change_with_higher_sequence_and_reminders_follow(
    coordinator, activity, run_at, mailoutbox, django_capture_on_commit_callbacks
):
    signed_up(activity, email="ana@example.com")
    old_start = activity.starts_at
    # The 24 h reminder is created but not yet sent (its task still on the broker) when it moves.
    with frozen(old_start - 20 * HOUR), django_capture_on_commit_callbacks(execute=False):
        services.reminders_create(now=old_start - 20 * HOUR)
    new_start = old_start + 24 * HOUR
    with frozen(old_start - 19 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.activity_update(
            by=coordinator, activity=activity, starts_at=new_start, ends_at=new_start + HOUR
        )
    [change] = mailoutbox
    assert change.subject == "Changed: Listening skills"
    assert "When: Wednesday 9 October 2030, 10:00–11:00 (Europe/London)" in change.body
    assert (
        "Before the change:\n"
        "When: Tuesday 8 October 2030, 10:00–11:00 → now Wednesday 9 October 2030, 10:00–11:00\n"
    ) in change.body
    event = ics_of(change)
    assert (str(event["UID"]), event["SEQUENCE"]) == (f"activity-{activity.pk}@localhost", 1)
    assert event.decoded("DTSTART") == new_start.astimezone(UTC)
    assert reminders(activity) == [("ana@example.com", "24h:seq:0", "skipped")]
    # Nothing at the old 1 h mark; the reminders come at the new time.
    assert run_at(old_start - HOUR) == 0
    assert run_at(new_start - 24 * HOUR) == 1
    assert run_at(new_start - HOUR) == 1
    assert [m.subject for m in mailoutbox[1:]] == [
        "Reminder: Listening skills tomorrow at 10:00",
        "Reminder: Listening skills in 1 hour",
    ]
    assert reminders(activity) == [
        ("ana@example.com", "24h:seq:0", "skipped"),
        ("ana@example.com", "24h:seq:1", "sent"),
        ("ana@example.com", "1h:seq:1", "sent"),
    ]


def test_reminder_held_by_a_worker_during_a_change_is_skipped_when_sent(
    coordinator, activity, django_capture_on_commit_callbacks, mailoutbox
):
    signed_up(activity, email="ana@example.com")
    with frozen(activity.starts_at - 20 * HOUR):
        with django_capture_on_commit_callbacks(execute=False):
            services.reminders_create(now=activity.starts_at - 20 * HOUR)
        # A worker has claimed it when the activity moves; the sweep later returns it to pending.
        Delivery.objects.filter(kind="activity_reminder").update(status=Delivery.Status.SENDING)
        with django_capture_on_commit_callbacks(execute=False):
            services.activity_update(by=coordinator, activity=activity, room="Room 2")
        Delivery.objects.filter(kind="activity_reminder").update(status=Delivery.Status.PENDING)
        reminder = Delivery.objects.get(kind="activity_reminder")
        result = deliveries_send(ids=[reminder.pk])
    assert (result.sent, result.skipped) == (0, 1)
    assert reminders(activity) == [("ana@example.com", "24h:seq:0", "skipped")]
    assert mailoutbox == []


def test_change_not_touching_time_or_place_sends_nothing(coordinator, activity, mailoutbox, run_at):
    signed_up(activity, email="ana@example.com")
    with frozen(activity.starts_at - 48 * HOUR):
        services.activity_update(by=coordinator, activity=activity, description="Bring a notebook.")
    assert (mailoutbox, Delivery.objects.filter(kind="activity_changed").count()) == ([], 0)


def test_change_tells_waitlisted_people_without_the_join_link(
    coordinator, week, django_capture_on_commit_callbacks, mailoutbox
):
    activity = ActivityFactory(
        week=week,
        title="Webinar",
        host=coordinator,
        capacity=1,
        format=Activity.Format.ONLINE,
        room="",
        join_url="https://meet.example.com/a",
    )
    signed_up(activity, email="in@example.com")
    signed_up(activity, email="waiting@example.com")
    with frozen(activity.starts_at - 48 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.activity_update(by=coordinator, activity=activity, join_url="https://meet.example.com/b")
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert sorted(bodies) == ["in@example.com", "waiting@example.com"]
    assert f"Join link: http://localhost:8000/activities/{activity.pk}/join/" in bodies["in@example.com"]
    assert "meet.example.com" not in bodies["in@example.com"]
    assert "which you have a place in" in bodies["in@example.com"]
    assert "Join link" not in bodies["waiting@example.com"]
    assert "which you are on the waitlist for" in bodies["waiting@example.com"]


def test_cancel_sends_cancellation_with_cancelled_ics_and_skips_pending_reminders(
    coordinator, week, django_capture_on_commit_callbacks, mailoutbox
):
    activity = ActivityFactory(week=week, title="Escape room", host=coordinator, capacity=1)
    signed_up(activity, email="in@example.com")
    signed_up(activity, email="waiting@example.com")
    with frozen(activity.starts_at - 20 * HOUR):
        with django_capture_on_commit_callbacks(execute=False):
            services.reminders_create(now=activity.starts_at - 20 * HOUR)
        with django_capture_on_commit_callbacks(execute=True):
            services.activity_cancel(by=coordinator, activity=activity)
    assert reminders(activity) == [("in@example.com", "24h:seq:0", "skipped")]
    bodies = {m.to[0]: m for m in mailoutbox}
    assert sorted(bodies) == ["in@example.com", "waiting@example.com"]
    assert {m.subject for m in mailoutbox} == {"Cancelled: Escape room"}
    assert "your calendar feed shows the activity as cancelled" in bodies["in@example.com"].body
    waiting = bodies["waiting@example.com"].body
    assert "calendar feed" not in waiting
    assert "You were on its waitlist" in waiting
    event = ics_of(bodies["in@example.com"])
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 1)
    with frozen(activity.starts_at - HOUR):
        assert services.reminders_create(now=activity.starts_at - HOUR) == 0


# --- Theme of the day ---------------------------------------------------------------------------


@pytest.fixture
def monday_theme(week):
    # Monday 7 October 2030.
    return DayThemeFactory(week=week, title="Service with Respect Day", description="Thank a colleague.")


def theme_recipients(mailoutbox) -> list[str]:
    return sorted(m.to[0] for m in mailoutbox if m.subject == "Today's theme: Service with Respect Day")


def test_theme_of_the_day_at_0800_local_in_kolkata_and_los_angeles(monday_theme, run_at, mailoutbox):
    AgentFactory(email="ravi@example.com", time_zone="Asia/Kolkata")
    AgentFactory(email="lena@example.com", time_zone="America/Los_Angeles")

    def run(hour, minute):
        return run_at(datetime.datetime(2030, 10, 7, hour, minute, tzinfo=UTC), services.daily_themes_create)

    # 08:00 in Kolkata is 02:30 UTC; in Los Angeles (PDT) 15:00 UTC.
    assert run(2, 29) == 0
    assert run(2, 30) == 1
    assert run(2, 31) == 0
    assert theme_recipients(mailoutbox) == ["ravi@example.com"]
    assert run(14, 59) == 0
    assert run(15, 0) == 1
    assert run(15, 5) == 0
    assert theme_recipients(mailoutbox) == ["lena@example.com", "ravi@example.com"]


def test_theme_of_the_day_lists_the_days_activities_in_recipient_zone(
    monday_theme, week, coordinator, team, other_team, run_at, mailoutbox
):
    ActivityFactory(week=week, title="Kick-off", host=coordinator, starts_at=local(week, 0, 10))
    ActivityFactory(week=week, title="Tuesday talk", host=coordinator, starts_at=local(week, 1, 10))
    ActivityFactory(
        week=week,
        title="Billing only",
        host=coordinator,
        starts_at=local(week, 0, 12),
        audience_teams=[other_team],
    )
    AgentFactory(email="ravi@example.com", time_zone="Asia/Kolkata", team=team)
    run_at(datetime.datetime(2030, 10, 7, 2, 30, tzinfo=UTC), services.daily_themes_create)
    [message] = [m for m in mailoutbox if m.to == ["ravi@example.com"]]
    assert 'Monday 7 October is "Service with Respect Day".' in message.body
    assert "Thank a colleague." in message.body
    # 10:00 in London is 14:30 in Kolkata; Tuesday's and another team's activities are not listed.
    assert "- 14:30–15:30 Kick-off: http://localhost:8000/activities/" in message.body
    assert "Tuesday talk" not in message.body
    assert "Billing only" not in message.body


def test_theme_of_the_day_not_sent_after_noon(monday_theme, run_at, mailoutbox):
    AgentFactory(email="ravi@example.com", time_zone="Asia/Kolkata")
    # 12:00 in Kolkata: a beat down all morning does not send it in the afternoon.
    assert run_at(datetime.datetime(2030, 10, 7, 6, 30, tzinfo=UTC), services.daily_themes_create) == 0
    assert theme_recipients(mailoutbox) == []


def test_theme_of_the_day_skipped_when_switched_off(monday_theme, run_at, mailoutbox):
    AgentFactory(email="quiet@example.com", time_zone="Asia/Kolkata", opted_out=["email_daily_theme"])
    assert run_at(datetime.datetime(2030, 10, 7, 2, 30, tzinfo=UTC), services.daily_themes_create) == 0
    assert theme_recipients(mailoutbox) == []


def test_theme_of_the_day_not_sent_for_a_draft_week(monday_theme, week, run_at, mailoutbox):
    week.status = week.Status.DRAFT
    week.save()
    AgentFactory(email="ravi@example.com", time_zone="Asia/Kolkata")
    assert run_at(datetime.datetime(2030, 10, 7, 2, 30, tzinfo=UTC), services.daily_themes_create) == 0


def test_theme_of_the_day_escapes_the_title_in_html(week, run_at, mailoutbox):
    DayThemeFactory(week=week, title="<b>Bold</b> day")
    AgentFactory(email="ravi@example.com", time_zone="Asia/Kolkata")
    run_at(datetime.datetime(2030, 10, 7, 2, 30, tzinfo=UTC), services.daily_themes_create)
    [message] = [m for m in mailoutbox if m.to == ["ravi@example.com"]]
    html = message.alternatives[0][0]
    assert "<strong>&lt;b&gt;Bold&lt;/b&gt; day</strong>" in html
    assert "<b>Bold</b>" not in html


# --- Beat -----------------------------------------------------------------------------------------


def test_beat_schedules_exist_after_migrate(db):
    schedules = PeriodicTask.objects.filter(task__startswith="events.").order_by("name")
    assert [(t.name, t.task, t.enabled, t.interval.every, t.interval.period) for t in schedules] == [
        ("events: activity reminders", "events.reminders_due", True, 1, "minutes"),
        ("events: theme of the day", "events.daily_theme_due", True, 1, "minutes"),
        ("events: theme of the day in chat", "events.daily_theme_chat_due", True, 1, "minutes"),
    ]


def test_moving_the_week_tells_registrants_and_moves_their_reminders(
    coordinator, week, activity, run_at, mailoutbox, django_capture_on_commit_callbacks
):
    signed_up(activity, email="ana@example.com")
    with frozen(activity.starts_at - 30 * 24 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.week_update(
            by=coordinator,
            week=week,
            theme=week.theme,
            description="",
            time_zone=week.time_zone,
            starts_on=week.starts_on + datetime.timedelta(days=7),
        )
    [change] = mailoutbox
    assert change.subject == "Changed: Listening skills"
    assert "When: Tuesday 15 October 2030, 10:00–11:00 (Europe/London)" in change.body
    assert ics_of(change)["SEQUENCE"] == 1
    activity.refresh_from_db()
    assert run_at(activity.starts_at - 2 * HOUR) == 1
    assert reminders(activity) == [("ana@example.com", "24h:seq:1", "sent")]


# --- Waitlist promotion and unsubscribing ---------------------------------------------------------


def test_promotion_email_of_an_online_activity_carries_csweeks_join_link(
    coordinator, week, django_capture_on_commit_callbacks, mailoutbox
):
    activity = ActivityFactory(
        week=week,
        title="Webinar",
        host=coordinator,
        capacity=1,
        format=Activity.Format.ONLINE,
        room="",
        join_url="https://meet.example.com/webinar",
    )
    first = signed_up(activity, email="first@example.com")
    signed_up(activity, email="second@example.com")
    with frozen(activity.starts_at - 72 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(by=first.user, registration=first)
    [message] = mailoutbox
    join = f"http://localhost:8000/activities/{activity.pk}/join/"
    assert message.to == ["second@example.com"]
    assert f"Join link: {join}" in message.body
    assert f'<a href="{join}">{join}</a>' in message.alternatives[0][0]
    assert "meet.example.com" not in message.body + message.alternatives[0][0]
    event = ics_of(message)
    assert (str(event["URL"]), str(event["LOCATION"])) == (join, join)
    assert "meet.example.com" not in message.attachments[0][1]


def test_promotion_email_of_an_onsite_activity_has_no_join_link(
    coordinator, week, django_capture_on_commit_callbacks, mailoutbox
):
    activity = ActivityFactory(week=week, title="Quiz", host=coordinator, capacity=1)
    Activity.objects.filter(pk=activity.pk).update(join_url="https://meet.example.com/not-used")
    first = signed_up(activity, email="first@example.com")
    signed_up(activity, email="second@example.com")
    with frozen(activity.starts_at - 72 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(by=first.user, registration=first)
    [message] = mailoutbox
    assert "Join link" not in message.body
    assert "/join/" not in message.alternatives[0][0]


def test_promotion_email_once_per_signup(coordinator, week, django_capture_on_commit_callbacks, mailoutbox):
    activity = ActivityFactory(week=week, title="Escape room", host=coordinator, capacity=1)
    first = signed_up(activity, email="first@example.com")
    second = signed_up(activity, email="second@example.com")
    signed_up(activity, email="third@example.com")
    with frozen(activity.starts_at - 72 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(by=first.user, registration=first)
    second.refresh_from_db()
    with frozen(activity.starts_at - 71 * HOUR), django_capture_on_commit_callbacks(execute=True):
        # The promoted person withdraws (the third is promoted), then signs up again and waits.
        services.registration_cancel(by=second.user, registration=second)
        again = services.registration_create(user=second.user, activity=activity)
    assert again.status == Registration.Status.WAITLISTED
    with frozen(activity.starts_at - 70 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.activity_update(by=coordinator, activity=activity, capacity=2)
        services.activity_update(by=coordinator, activity=activity, capacity=3)
    assert [m.to[0] for m in mailoutbox] == ["second@example.com", "third@example.com", "second@example.com"]
    assert {m.subject for m in mailoutbox} == {"You have a place: Escape room"}
    assert Delivery.objects.filter(kind="waitlist_promoted", status="sent").count() == 3


def test_unsubscribe_link_of_a_reminder_stops_the_next_one(client, activity, run_at, mailoutbox):
    signed_up(activity, email="ana@example.com")
    run_at(activity.starts_at - 20 * HOUR)
    [message] = mailoutbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = client.post(link.removeprefix("http://localhost:8000"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    run_at(activity.starts_at - HOUR)
    assert len(mailoutbox) == 1
    assert reminders(activity) == [
        ("ana@example.com", "24h:seq:0", "sent"),
        ("ana@example.com", "1h:seq:0", "skipped"),
    ]


def test_changing_the_week_zone_tells_registrants_of_the_new_time(
    coordinator, week, activity, mailoutbox, django_capture_on_commit_callbacks
):
    signed_up(activity, email="ana@example.com")
    with frozen(activity.starts_at - 30 * 24 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.week_update(
            by=coordinator,
            week=week,
            theme=week.theme,
            description="",
            time_zone="Europe/Paris",
            starts_on=week.starts_on,
        )
    # 10:00 in Paris is 09:00 in London.
    [change] = mailoutbox
    assert "When: Tuesday 8 October 2030, 09:00–10:00 (Europe/London)" in change.body
    assert ics_of(change)["SEQUENCE"] == 1


def pending_reminders_created_at(moment: datetime.datetime, django_capture_on_commit_callbacks) -> list[int]:
    """Reminders created at `moment` whose send tasks have not run yet (a slow or stopped worker)."""
    with frozen(moment), django_capture_on_commit_callbacks(execute=False):
        services.reminders_create(now=moment)
    pending = Delivery.objects.filter(kind="activity_reminder", status=Delivery.Status.PENDING)
    return list(pending.values_list("pk", flat=True))


def test_reminder_skipped_when_sent_after_the_person_withdrew(
    activity, mailoutbox, django_capture_on_commit_callbacks
):
    registration = signed_up(activity, email="ana@example.com")
    ids = pending_reminders_created_at(activity.starts_at - 20 * HOUR, django_capture_on_commit_callbacks)
    with frozen(activity.starts_at - 19 * HOUR):
        services.registration_cancel(by=registration.user, registration=registration)
        result = deliveries_send(ids=ids)
    assert (result.sent, result.skipped, mailoutbox) == (0, 1, [])


def test_reminder_skipped_when_sent_after_the_start(activity, mailoutbox, django_capture_on_commit_callbacks):
    signed_up(activity, email="ana@example.com")
    ids = pending_reminders_created_at(activity.starts_at - 30 * MINUTE, django_capture_on_commit_callbacks)
    with frozen(activity.starts_at + MINUTE):
        result = deliveries_send(ids=ids)
    assert (result.sent, result.skipped, mailoutbox) == (0, 1, [])


def test_theme_of_the_day_skipped_when_sent_the_next_day(
    monday_theme, mailoutbox, django_capture_on_commit_callbacks
):
    AgentFactory(email="ravi@example.com", time_zone="Asia/Kolkata")
    moment = datetime.datetime(2030, 10, 7, 2, 30, tzinfo=UTC)
    with frozen(moment), django_capture_on_commit_callbacks(execute=False):
        services.daily_themes_create(now=moment)
    [delivery] = Delivery.objects.filter(kind="daily_theme", address="ravi@example.com")
    with frozen(moment + 24 * HOUR):
        result = deliveries_send(ids=[delivery.pk])
    assert (result.sent, result.skipped, theme_recipients(mailoutbox)) == (0, 1, [])


# --- Changes inside the reminder window ------------------------------------------------------------


def test_a_change_of_place_after_the_reminder_reminds_nobody_twice(
    coordinator, activity, run_at, mailoutbox, django_capture_on_commit_callbacks
):
    signed_up(activity, email="ana@example.com")
    start = activity.starts_at
    assert run_at(start - 20 * HOUR) == 1  # the 24 h reminder, sent
    with frozen(start - 3 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.activity_update(by=coordinator, activity=activity, room="Room 2")
    for minutes in range(0, 125, 5):  # every tick until the 1 h mark is well past
        run_at(start - 3 * HOUR + minutes * MINUTE)
    assert [m.subject for m in mailoutbox] == [
        "Reminder: Listening skills tomorrow at 10:00",
        "Changed: Listening skills",
        "Reminder: Listening skills in 1 hour",
    ]
    assert "Where: Room 2" in mailoutbox[2].body
    assert reminders(activity) == [
        ("ana@example.com", "24h:seq:0", "sent"),
        ("ana@example.com", "1h:seq:1", "sent"),
    ]
    start_key = start.astimezone(UTC).strftime("%Y%m%dT%H%MZ")
    assert Delivery.objects.filter(kind="activity_reminder", occurrence=f"1h:{start_key}:seq:1").count() == 1


def test_a_change_of_place_before_an_unsent_reminder_sends_it_for_the_new_sequence(
    coordinator, activity, run_at, mailoutbox, django_capture_on_commit_callbacks
):
    signed_up(activity, email="ana@example.com")
    start = activity.starts_at
    with frozen(start - 20 * HOUR), django_capture_on_commit_callbacks(execute=False):
        services.reminders_create(now=start - 20 * HOUR)  # created, its task not yet run
    with frozen(start - 19 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.activity_update(by=coordinator, activity=activity, room="Room 2")
    assert run_at(start - 19 * HOUR + MINUTE) == 1
    assert [m.subject for m in mailoutbox] == [
        "Changed: Listening skills",
        "Reminder: Listening skills tomorrow at 10:00",
    ]
    assert reminders(activity) == [
        ("ana@example.com", "24h:seq:0", "skipped"),
        ("ana@example.com", "24h:seq:1", "sent"),
    ]


def test_no_24h_reminder_in_the_two_hours_before_the_start(activity, run_at, mailoutbox):
    signed_up(activity, email="ana@example.com")
    assert run_at(activity.starts_at - 2 * HOUR + MINUTE) == 0
    assert run_at(activity.starts_at - HOUR) == 1
    assert [m.subject for m in mailoutbox] == ["Reminder: Listening skills in 1 hour"]


def test_change_and_cancellation_reach_the_audience_of_an_activity_without_sign_up(
    coordinator, week, team, other_team, run_at, mailoutbox, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(
        week=week, title="Team breakfast", host=coordinator, signup_required=False, audience_teams=[team]
    )
    AgentFactory(email="mate@example.com", team=team)
    AgentFactory(email="elsewhere@example.com", team=other_team)
    with frozen(activity.starts_at - 48 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.activity_update(by=coordinator, activity=activity, room="Canteen")
    with frozen(activity.starts_at - 47 * HOUR), django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(by=coordinator, activity=activity)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["mate@example.com"], "Changed: Team breakfast"),
        (["mate@example.com"], "Cancelled: Team breakfast"),
    ]
    assert "which you are welcome to join, has changed" in mailoutbox[0].body
    assert "Nothing is needed from you." in mailoutbox[1].body
    assert "waitlist" not in mailoutbox[1].body


@pytest.mark.parametrize("people", [5, 40])
def test_sending_a_chunk_of_reminders_costs_the_same_queries(
    activity, people, django_assert_max_num_queries, django_capture_on_commit_callbacks, mailoutbox
):
    Activity.objects.filter(pk=activity.pk).update(capacity=None)
    for index in range(people):
        signed_up(activity, email=f"p{index}@example.com")
    moment = activity.starts_at - 20 * HOUR
    with frozen(moment), django_capture_on_commit_callbacks(execute=False):
        services.reminders_create(now=moment)
    ids = list(Delivery.objects.filter(kind="activity_reminder").values_list("pk", flat=True))
    # A few queries for the chunk, then exactly one per email: its sent mark, never a lookup.
    with frozen(moment), django_assert_max_num_queries(10 + people):
        assert deliveries_send(ids=ids).sent == people
    assert len(mailoutbox) == people
