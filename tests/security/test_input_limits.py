"""What people type is bounded: one-line fields refuse line breaks, free texts have a stated limit,
the admin follows the app's rules, and a large staff import previews one page at a time."""

import datetime
import re
from html import escape

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csweek.core.validators import COMMENT_MAX_LENGTH, DESCRIPTION_MAX_LENGTH, ONE_LINE_MESSAGE
from events import services as event_services
from events.models import Activity, TeamCoverage, Week
from outbox import services as outbox_services
from people import services as people_services
from people.models import Invitation, Role, Team, User
from recognition import services as recognition_services
from recognition.announcements import services as announcement_services
from recognition.models import Announcement, AwardCategory, Nomination
from tests.events.factories import ActivityFactory, WeekFactory, local
from tests.factories import AgentFactory, UserFactory
from tests.recognition.factories import STORY, AwardCategoryFactory
from tests.recognition.factories import WeekFactory as RecognitionWeekFactory

pytestmark = pytest.mark.django_db

TYPED = "Spring party\r\nX-Injected: yes"


@pytest.fixture
def week(db):
    return WeekFactory(year=2030)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


# --- One-line fields: the forms ----------------------------------------------------------------


def _activity_post(week: Week, coordinator: User, **changes) -> dict:
    data = {
        "title": "Coffee with customers",
        "kind": Activity.Kind.CUSTOMER_APPRECIATION,
        "description": "",
        "day": (week.starts_on + datetime.timedelta(days=2)).isoformat(),
        "start_time": "14:00",
        "end_time": "15:00",
        "format": Activity.Format.ONSITE,
        "room": "Atrium",
        "join_url": "",
        "host": coordinator.pk,
        "capacity": "",
        "signup_required": "on",
    }
    data.update(changes)
    return data


def _one_line_cases():
    """(name, url, POST data, the field typed into) for each form with a one-line field."""

    def week_create(week, coordinator):
        return (
            reverse("events:week_list"),
            {"year": 2032, "time_zone": "Europe/London", "theme": TYPED},
            "theme",
        )

    def week_edit(week, coordinator):
        data = {"theme": TYPED, "time_zone": "Europe/London", "starts_on": week.starts_on.isoformat()}
        return reverse("events:week_edit", args=[week.year]), data, "theme"

    def day_theme(week, coordinator):
        url = reverse("events:day_theme_edit", args=[week.year, week.starts_on.isoformat()])
        return url, {"title": TYPED}, "title"

    def activity_title(week, coordinator):
        url = reverse("events:activity_create", args=[week.year])
        return url, _activity_post(week, coordinator, title=TYPED), "title"

    def activity_room(week, coordinator):
        url = reverse("events:activity_create", args=[week.year])
        return url, _activity_post(week, coordinator, room=TYPED), "room"

    def team_name(week, coordinator):
        return reverse("people:team_create"), {"name": TYPED}, "name"

    def invite_first_name(week, coordinator):
        data = {"email": "fresh@example.com", "first_name": TYPED, "role": Role.AGENT, "time_zone": "UTC"}
        return reverse("people:person_invite"), data, "first_name"

    def profile_display_name(week, coordinator):
        data = {"first_name": "Cora", "last_name": "Ordin", "display_name": TYPED, "time_zone": "UTC"}
        return reverse("people:profile"), data, "display_name"

    def person_last_name(week, coordinator):
        person = UserFactory(email="person@example.com", first_name="Pat", last_name="Doe")
        data = {
            "first_name": "Pat",
            "last_name": TYPED,
            "role": Role.AGENT,
            "time_zone": "UTC",
            "is_active": "on",
        }
        return reverse("people:person_edit", args=[person.pk]), data, "last_name"

    for case in (
        week_create,
        week_edit,
        day_theme,
        activity_title,
        activity_room,
        team_name,
        invite_first_name,
        profile_display_name,
        person_last_name,
    ):
        yield pytest.param(case, id=case.__name__)


@pytest.mark.parametrize("case", list(_one_line_cases()))
def test_one_line_field_with_line_break_refused_and_kept(coordinator_client, coordinator, week, case):
    url, data, field = case(week, coordinator)
    before = (
        sorted(Week.objects.values_list("year", "theme")),
        Activity.objects.count(),
        Team.objects.count(),
        sorted(User.objects.values_list("first_name", "last_name", "display_name")),
    )

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [ONE_LINE_MESSAGE]
    html = response.content.decode()
    assert escape(ONE_LINE_MESSAGE) in html
    assert f'value="{escape(TYPED)}"' in html
    after = (
        sorted(Week.objects.values_list("year", "theme")),
        Activity.objects.count(),
        Team.objects.count(),
        sorted(User.objects.values_list("first_name", "last_name", "display_name")),
    )
    assert after == before


REFERENCE = "T-1\r\nBcc: all"


def test_nomination_form_reference_with_line_break_refused_and_kept(client, agent, team):
    category = AwardCategoryFactory(week=RecognitionWeekFactory(year=2026), name="Customer Hero")
    nominee = AgentFactory(email="nominee@example.com", team=team)
    client.force_login(agent)
    data = {
        "action": "send",
        "nominee": nominee.pk,
        "category": category.pk,
        "story": STORY,
        "evidence_quote": "Best service ever.",
        "evidence_reference": REFERENCE,
    }

    response = client.post(reverse("recognition:nomination_new"), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"evidence_reference": [ONE_LINE_MESSAGE]}
    html = response.content.decode()
    assert escape(ONE_LINE_MESSAGE) in html
    assert f'value="{escape(REFERENCE)}"' in html
    assert Nomination.objects.count() == 0


@pytest.mark.parametrize("character", ["\n", "\r", "\x00", "\x1b", "\x85", "\u2028"])
def test_one_line_field_refuses_each_line_break_and_control_character(week, coordinator, character):
    with pytest.raises(ValidationError) as caught:
        event_services.week_update(
            by=coordinator,
            week=week,
            theme=f"Spring{character}party",
            description="",
            time_zone=week.time_zone,
            starts_on=week.starts_on,
        )
    assert caught.value.message_dict == {"theme": [ONE_LINE_MESSAGE]}


def test_one_line_field_accepts_a_tab(week, coordinator):
    week = event_services.week_update(
        by=coordinator,
        week=week,
        theme="Spring\tparty",
        description="",
        time_zone=week.time_zone,
        starts_on=week.starts_on,
    )
    assert Week.objects.get(pk=week.pk).theme == "Spring\tparty"


# --- One-line fields: the services --------------------------------------------------------------


def test_activity_create_with_line_break_in_title_raises(week, coordinator):
    with pytest.raises(ValidationError) as caught:
        event_services.activity_create(
            by=coordinator,
            week=week,
            title=TYPED,
            starts_at=local(week, 1, 10),
            ends_at=local(week, 1, 11),
            host=coordinator,
            room="Atrium",
        )
    assert caught.value.message_dict == {"title": [ONE_LINE_MESSAGE]}
    assert Activity.objects.count() == 0


def test_activity_update_with_line_break_in_room_raises(week, coordinator):
    activity = ActivityFactory(week=week, host=coordinator, room="Room 1")
    with pytest.raises(ValidationError) as caught:
        event_services.activity_update(by=coordinator, activity=activity, room="Room 1\nFloor 2")
    assert caught.value.message_dict == {"room": [ONE_LINE_MESSAGE]}
    assert Activity.objects.get(pk=activity.pk).room == "Room 1"


def test_day_theme_set_with_line_break_raises(week, coordinator):
    with pytest.raises(ValidationError) as caught:
        event_services.day_theme_set(by=coordinator, week=week, date=week.starts_on, title=TYPED)
    assert caught.value.message_dict == {"title": [ONE_LINE_MESSAGE]}


def test_team_create_with_line_break_raises(coordinator):
    with pytest.raises(ValidationError) as caught:
        people_services.team_create(by=coordinator, name=TYPED)
    assert caught.value.message_dict == {"name": [ONE_LINE_MESSAGE]}
    assert Team.objects.count() == 0


def test_person_invite_with_line_break_in_name_raises(coordinator):
    with pytest.raises(ValidationError) as caught:
        people_services.person_invite(by=coordinator, email="new@example.com", first_name="Ann\nLee")
    assert caught.value.message_dict == {"first_name": [ONE_LINE_MESSAGE]}
    assert User.objects.filter(email="new@example.com").exists() is False


def test_profile_update_with_line_break_in_display_name_raises(agent):
    with pytest.raises(ValidationError) as caught:
        people_services.profile_update(
            user=agent,
            first_name="Ann",
            last_name="Lee",
            display_name=TYPED,
            time_zone="UTC",
            email_choices={"email_reminders": False},
        )
    assert caught.value.message_dict == {"display_name": [ONE_LINE_MESSAGE]}
    assert User.objects.get(pk=agent.pk).display_name == ""


def test_announcement_with_line_break_in_subject_raises(coordinator):
    with pytest.raises(ValidationError) as caught:
        announcement_services.announcement_create(by=coordinator, subject="Hello\r\nBcc: all", body="Hi.")
    assert caught.value.message_dict == {"subject": [ONE_LINE_MESSAGE]}


def test_staff_import_row_with_line_break_in_name_is_an_error(coordinator_client):
    content = (
        "email,first_name,last_name,team,role,manager_email,time_zone\r\n"
        'ann@example.com,"Ann\nX",Lee,Support,Agent,,UTC\r\n'
    )
    preview = coordinator_client.post(reverse("people:staff_import"), {"file": _csv_file(content)})
    plan = preview.context["plan"]
    assert [(error.line, error.reason) for error in plan.errors] == [
        (3, "First name has a line break or control character: keep it on one line.")
    ]


# --- Calendars never fail on a line break already stored ---------------------------------------


def test_activity_ics_with_line_break_stored_in_title_answers_200(client, week, agent, coordinator):
    activity = ActivityFactory(week=week, host=coordinator, title="Quiz")
    Activity.objects.filter(pk=activity.pk).update(title="Quiz\r\nX-Injected:yes", room="Hall\nB")
    client.force_login(agent)

    response = client.get(reverse("events:activity_ics", args=[activity.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "X-WR-CALNAME:Quiz\\nX-Injected:yes\r\n" in body
    assert "SUMMARY:Quiz\\nX-Injected:yes\r\n" in body
    assert "\r\nX-Injected" not in body


def test_activity_ics_with_line_break_stored_in_join_link_answers_200(client, week, agent, coordinator):
    activity = ActivityFactory(
        week=week,
        host=coordinator,
        title="Quiz",
        format=Activity.Format.ONLINE,
        room="",
        join_url="https://meet.example.com/quiz",
    )
    Activity.objects.filter(pk=activity.pk).update(join_url="https://meet.example.com/quiz\r\nX-Injected:yes")
    event_services.registration_create(user=agent, activity=activity)
    client.force_login(agent)

    response = client.get(reverse("events:activity_ics", args=[activity.pk]))

    assert response.status_code == 200
    body = response.content.decode().replace("\r\n ", "")
    # The calendar carries csweek's join link, never the stored meeting address.
    assert f"URL:{settings.SITE_URL}/activities/{activity.pk}/join/\r\n" in body
    assert "\r\nX-Injected" not in body
    assert "meet.example.com" not in body


def test_reminder_email_with_line_break_stored_in_title_is_sent(
    week, coordinator, agent, mailoutbox, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(week=week, host=coordinator, title="Quiz", starts_at=local(week, 1, 10))
    with time_machine.travel(activity.starts_at - datetime.timedelta(days=3), tick=False):
        event_services.registration_create(user=agent, activity=activity)
    Activity.objects.filter(pk=activity.pk).update(title="Quiz\r\nX-Injected:yes")
    moment = activity.starts_at - datetime.timedelta(hours=20)

    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert event_services.reminders_create(now=moment) == 1

    [message] = mailoutbox
    assert "\n" not in message.subject
    [(_filename, content, mimetype)] = message.attachments
    assert mimetype == "text/calendar"
    [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    # Escaped as one TEXT value (iCalendar writes any line break as \n), never a new property.
    assert str(event["summary"]) == "Quiz\nX-Injected:yes"


def test_calendar_feed_with_line_break_stored_in_title_answers_200(client, week, agent, coordinator):
    activity = ActivityFactory(week=week, host=coordinator, title="Quiz")
    event_services.registration_create(user=agent, activity=activity)
    Activity.objects.filter(pk=activity.pk).update(title="Quiz\r\nX-Injected:yes")

    response = client.get(reverse("events:calendar_feed", args=[agent.calendar_token]))

    assert response.status_code == 200
    assert "SUMMARY:Quiz\\nX-Injected:yes\r\n" in response.content.decode()


# --- Free text limits --------------------------------------------------------------------------


def test_week_edit_description_over_the_limit_refused_and_kept(coordinator_client, week):
    description = "x" * (DESCRIPTION_MAX_LENGTH + 1)
    data = {
        "theme": "Spring",
        "description": description,
        "time_zone": week.time_zone,
        "starts_on": week.starts_on.isoformat(),
    }

    response = coordinator_client.post(reverse("events:week_edit", args=[week.year]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "description": ["Ensure this value has at most 5000 characters (it has 5001)."]
    }
    assert description in response.content.decode()
    assert Week.objects.get(pk=week.pk).description == ""


def test_week_edit_form_states_the_description_limit(coordinator_client, week):
    html = coordinator_client.get(reverse("events:week_edit", args=[week.year])).content.decode()
    assert 'maxlength="5000"' in html
    assert "Up to 5,000 characters." in html


def test_week_update_description_over_the_limit_raises(week, coordinator):
    with pytest.raises(ValidationError) as caught:
        event_services.week_update(
            by=coordinator,
            week=week,
            theme="",
            description="x" * (DESCRIPTION_MAX_LENGTH + 1),
            time_zone=week.time_zone,
            starts_on=week.starts_on,
        )
    assert caught.value.message_dict == {"description": ["Keep this to 5,000 characters (it has 5001)."]}


def test_announcement_body_over_the_limit_raises(coordinator):
    with pytest.raises(ValidationError) as caught:
        announcement_services.announcement_create(by=coordinator, subject="News", body="x" * 5001)
    assert caught.value.message_dict == {"body": ["Keep this to 5,000 characters (it has 5001)."]}


@pytest.fixture
def nomination(agent, manager, team):
    week = RecognitionWeekFactory(year=2026)
    category = AwardCategoryFactory(week=week, name="Customer Hero")
    nominee = AgentFactory(email="nominee@example.com", team=team)
    return recognition_services.nomination_create(
        nominator=agent, nominee=nominee, category=category, story=STORY
    )


def test_decline_comment_over_the_limit_refused_and_kept(client, manager, nomination):
    client.force_login(manager)
    comment = "y" * (COMMENT_MAX_LENGTH + 1)

    response = client.post(reverse("recognition:decline", args=[nomination.pk]), {"comment": comment})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "comment": ["Ensure this value has at most 1000 characters (it has 1001)."]
    }
    assert comment in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.SUBMITTED


def test_nomination_decline_comment_over_the_limit_raises(manager, nomination):
    with pytest.raises(ValidationError) as caught:
        recognition_services.nomination_decline(nomination=nomination, by=manager, comment="y" * 1001)
    assert caught.value.message_dict == {"comment": ["Keep this to 1,000 characters (it has 1001)."]}
    assert Nomination.objects.get(pk=nomination.pk).review_comment == ""


def test_nomination_approve_comment_over_the_limit_raises(manager, nomination):
    with pytest.raises(ValidationError) as caught:
        recognition_services.nomination_approve(nomination=nomination, by=manager, comment="y" * 1001)
    assert caught.value.message_dict == {"comment": ["Keep this to 1,000 characters (it has 1001)."]}
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.SUBMITTED


# --- The admin and full_clean follow the app's rules --------------------------------------------


def _admin_activity_data(week: Week, host: User, **changes) -> dict:
    starts_at = local(week, 1, 10).astimezone(datetime.UTC)
    data = {
        "week": week.pk,
        "title": "Online quiz",
        "kind": Activity.Kind.TEAM_BUILDING,
        "description": "",
        "starts_at_0": starts_at.date().isoformat(),
        "starts_at_1": starts_at.strftime("%H:%M:%S"),
        "ends_at_0": starts_at.date().isoformat(),
        "ends_at_1": (starts_at + datetime.timedelta(hours=1)).strftime("%H:%M:%S"),
        "format": Activity.Format.ONLINE,
        "room": "",
        "join_url": "http://meet.example.com/quiz",
        "host": host.pk,
        "capacity": "",
        "signup_required": "on",
        "status": Activity.Status.SCHEDULED,
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("link", ["http://meet.example.com/quiz", "ftp://meet.example.com/quiz"])
def test_admin_activity_add_refuses_a_join_link_other_than_https(admin_client, week, coordinator, link):
    response = admin_client.post(
        reverse("admin:events_activity_add"), _admin_activity_data(week, coordinator, join_url=link)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["join_url"] == [
        "The join link must start with https://."
    ]
    assert "The join link must start with https://." in response.content.decode()
    assert Activity.objects.count() == 0


def test_admin_activity_add_accepts_an_https_join_link(admin_client, week, coordinator):
    response = admin_client.post(
        reverse("admin:events_activity_add"),
        _admin_activity_data(week, coordinator, join_url="https://meet.example.com/quiz"),
    )

    assert response.status_code == 302
    assert list(Activity.objects.values_list("title", "join_url")) == [
        ("Online quiz", "https://meet.example.com/quiz")
    ]


def test_admin_activity_change_refuses_http_join_link(admin_client, week, coordinator):
    activity = ActivityFactory(
        week=week,
        host=coordinator,
        title="Online quiz",
        format=Activity.Format.ONLINE,
        room="",
        join_url="https://meet.example.com/quiz",
        starts_at=local(week, 1, 10),
    )

    response = admin_client.post(
        reverse("admin:events_activity_change", args=[activity.pk]), _admin_activity_data(week, coordinator)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["join_url"] == [
        "The join link must start with https://."
    ]
    assert Activity.objects.get(pk=activity.pk).join_url == "https://meet.example.com/quiz"


def test_activity_full_clean_runs_the_services_rules(week, coordinator):
    activity = Activity(
        week=week,
        title="Everywhere at once",
        starts_at=local(week, 1, 10),
        ends_at=local(week, 1, 9),
        format=Activity.Format.HYBRID,
        room="",
        join_url="http://meet.example.com/x",
        host=coordinator,
        capacity=0,
    )
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    errors = caught.value.message_dict
    assert errors["ends_at"] == ["The activity must end after it starts."]
    assert errors["join_url"] == ["The join link must start with https://."]
    assert errors["room"] == ["An on-site or hybrid activity needs a room or address."]
    assert errors["capacity"] == ["Capacity must be at least 1 (leave it empty for no limit)."]


def test_activity_full_clean_refuses_a_time_outside_the_week(week, coordinator):
    activity = Activity(
        week=week,
        title="Too early",
        starts_at=local(week, 0, 10) - datetime.timedelta(days=3),
        ends_at=local(week, 0, 11) - datetime.timedelta(days=3),
        format=Activity.Format.ONSITE,
        room="Atrium",
        host=coordinator,
    )
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    assert caught.value.message_dict == {
        "starts_at": [
            "The activity must take place during the week, between Monday 7 October "
            "and Friday 11 October 2030 (Europe/London)."
        ]
    }


def test_activity_full_clean_capacity_below_confirmed_refused(week, coordinator, agent, other_agent):
    activity = ActivityFactory(week=week, host=coordinator, capacity=5)
    event_services.registration_create(user=agent, activity=activity)
    event_services.registration_create(user=other_agent, activity=activity)
    activity.capacity = 1
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    assert caught.value.message_dict == {
        "capacity": ["2 people are already confirmed; capacity cannot be lower than 2."]
    }


def test_award_category_full_clean_refuses_a_window_closing_before_it_opens(db):
    week = RecognitionWeekFactory(year=2026)
    category = AwardCategoryFactory.build(week=week, name="Hero")
    category.closes_at = category.opens_at
    category.award_limit = 0
    with pytest.raises(ValidationError) as caught:
        category.full_clean(validate_constraints=False)
    assert caught.value.message_dict == {
        "closes_at": ["Nominations must close after they open."],
        "award_limit": ["The award limit must be at least 1 (leave it empty for no limit)."],
    }
    assert AwardCategory.objects.filter(name="Hero").exists() is False


def test_nomination_full_clean_refuses_self_nomination(agent):
    week = RecognitionWeekFactory(year=2026)
    category = AwardCategoryFactory(week=week, name="Hero")
    nomination = Nomination(week=week, category=category, nominator=agent, nominee=agent, story=STORY)
    with pytest.raises(ValidationError) as caught:
        nomination.full_clean(validate_constraints=False)
    assert caught.value.message_dict == {
        "nominee": ["You cannot nominate yourself; nominate a colleague who deserves it."]
    }


# --- The staff import previews one page at a time ----------------------------------------------

HEADER = "email,first_name,last_name,team,role,manager_email,time_zone"


def _csv_file(content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("staff.csv", content.encode(), "text/csv")


def _rows_shown(html: str) -> list[int]:
    """The line numbers of the changes table's rows."""
    section = html.split('id="changes-heading"', 1)[1].split("</section>", 1)[0]
    return [int(line) for line in re.findall(r"<tr>\s*<td>(\d+)</td>", section)]


def test_staff_import_preview_of_1000_rows_shows_one_page_and_confirm_imports_all(coordinator_client):
    rows = [f"p{i}@example.com,First {i},Last {i},Team {i % 5},Agent,,UTC" for i in range(1000)]
    content = "\r\n".join([HEADER, *rows]) + "\r\n"
    url = reverse("people:staff_import")

    preview = coordinator_client.post(url, {"file": _csv_file(content)})

    assert preview.status_code == 200
    html = preview.content.decode()
    assert _rows_shown(html) == list(range(2, 102))
    assert html.count('<span class="badge badge-create">create</span>') == 100
    assert "Rows 1 to 100 of 1000." in html
    assert "Page 1 of 10" in html
    assert '<span class="badge badge-create">1000</span> to create' in html
    encoded = preview.context["confirm_form"]["content"].value()

    page_2 = coordinator_client.post(url, {"content": encoded, "changes_page": "2"})

    assert page_2.status_code == 200
    html_2 = page_2.content.decode()
    assert _rows_shown(html_2) == list(range(102, 202))
    assert "Page 2 of 10" in html_2
    assert 'name="confirm"' in html_2
    assert User.objects.count() == 1

    done = coordinator_client.post(url, {"confirm": "1", "content": encoded})

    assert done.status_code == 302
    assert User.objects.filter(email__startswith="p", email__endswith="@example.com").count() == 1000
    assert Invitation.objects.count() == 1000


def test_staff_import_preview_pages_the_rows_to_fix(coordinator_client):
    rows = [f"bad{i}@example,First,Last,,Agent,,UTC" for i in range(250)]
    content = "\r\n".join([HEADER, *rows]) + "\r\n"
    url = reverse("people:staff_import")

    preview = coordinator_client.post(url, {"file": _csv_file(content)})

    html = preview.content.decode()
    assert html.count("is not a valid email address.") == 100
    assert "Rows 1 to 100 of 250." in html
    assert '<span class="badge badge-error">250</span> rows with problems' in html
    assert 'name="confirm"' not in html
    encoded = preview.context["confirm_form"]["content"].value()

    last = coordinator_client.post(url, {"content": encoded, "errors_page": "3"})

    html_3 = last.content.decode()
    assert html_3.count("is not a valid email address.") == 50
    assert "Rows 201 to 250 of 250." in html_3
    assert "“bad249@example” is not a valid email address." in html_3


def test_staff_import_preview_page_with_damaged_data_redirects(coordinator_client):
    url = reverse("people:staff_import")
    response = coordinator_client.post(url, {"content": "%%%", "changes_page": "2"})
    assert response.status_code == 302
    assert response["Location"] == url


def test_team_full_clean_refuses_a_name_another_team_has_in_another_case(team):
    with pytest.raises(ValidationError) as caught:
        Team(name="front LINE").full_clean()
    assert caught.value.message_dict == {
        "name": ["A team called “front LINE” already exists; choose another name."]
    }


def test_team_form_refuses_a_taken_name_once(coordinator_client, team):
    response = coordinator_client.post(reverse("people:team_create"), {"name": " front line "})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["A team called “front line” already exists; choose another name."]
    }
    assert list(Team.objects.values_list("name", flat=True)) == ["Front Line"]


def test_week_full_clean_refuses_a_start_that_is_not_monday(week):
    week.starts_on = datetime.date(2030, 10, 8)
    with pytest.raises(ValidationError) as caught:
        week.full_clean()
    assert caught.value.message_dict == {
        "starts_on": ["The week must start on a Monday; 8 October 2030 is a Tuesday."]
    }


def test_week_full_clean_refuses_a_start_in_another_year(week):
    week.starts_on = datetime.date(2031, 1, 6)
    with pytest.raises(ValidationError) as caught:
        week.full_clean()
    assert caught.value.message_dict == {"starts_on": ["The week of 2030 must start in 2030."]}


def test_link_pages_unchanged_where_the_page_has_a_form(client, coordinator):
    """The delivery list has a filter `form` in its context: its pages stay links, not form buttons."""
    announcement = Announcement.objects.create(subject="Kick-off", body="At 10:00.", sent_by=coordinator)
    outbox_services.deliveries_create(
        kind="coordinator_announcement", recipients=AgentFactory.create_batch(51), about=announcement
    )
    client.force_login(coordinator)

    html = client.get(reverse("outbox:delivery_list"), {"status": "pending"}).content.decode()

    assert 'href="?status=pending&amp;page=2">Next</a>' in html
    assert 'type="submit"\n' not in html.split('aria-label="Pages"', 1)[1].split("</nav>", 1)[0]


def test_nomination_full_clean_refuses_a_decline_without_comment(nomination):
    nomination.status = Nomination.Status.DECLINED
    nomination.review_comment = "  "
    with pytest.raises(ValidationError) as caught:
        nomination.full_clean(validate_constraints=False)
    assert caught.value.message_dict == {
        "review_comment": [
            "Say why you decline it: the nominator reads this comment (the nominee never does)."
        ]
    }


def test_team_coverage_full_clean_refuses_more_than_100_percent(team):
    coverage = TeamCoverage(team=team, max_away_percent=150)
    with pytest.raises(ValidationError) as caught:
        coverage.full_clean(validate_constraints=False)
    assert caught.value.message_dict == {"max_away_percent": ["Give a share from 0 to 100 %."]}
