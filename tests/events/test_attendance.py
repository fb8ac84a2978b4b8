"""Attendance: the host or a coordinator ticks the register; never overwritten silently."""

import datetime
import re

import pytest
import qrcode
import time_machine
from defusedxml import ElementTree
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from events import selectors, services
from events.models import Registration
from tests.events.factories import ActivityFactory, RegistrationFactory, WeekFactory
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(coordinator):
    return ActivityFactory(week=WeekFactory(year=2030), host=coordinator, capacity=None)


def test_mark_attendance_sets_time_and_audits(activity, coordinator, agent):
    registration = RegistrationFactory(activity=activity, user=agent)
    registration = services.registration_mark_attendance(
        registration=registration, by=coordinator, attended=True
    )
    assert registration.attended is True
    assert registration.attendance_marked_by == coordinator
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["attendance.marked"]


def test_mark_attendance_twice_keeps_the_first_time(activity, coordinator, agent):
    registration = RegistrationFactory(activity=activity, user=agent)
    first = services.registration_mark_attendance(registration=registration, by=coordinator, attended=True)
    again = services.registration_mark_attendance(registration=registration, by=coordinator, attended=True)
    assert again.attended_at == first.attended_at
    assert AuditEntry.objects.count() == 1


def test_mark_attendance_undo_clears_it(activity, coordinator, agent):
    registration = RegistrationFactory(activity=activity, user=agent)
    services.registration_mark_attendance(registration=registration, by=coordinator, attended=True)
    undone = services.registration_mark_attendance(registration=registration, by=coordinator, attended=False)
    assert undone.attended_at is None
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "attendance.marked",
        "attendance.unmarked",
    ]


def test_mark_attendance_by_an_agent_is_refused(activity, agent):
    registration = RegistrationFactory(activity=activity, user=AgentFactory())
    with pytest.raises(PermissionDenied):
        services.registration_mark_attendance(registration=registration, by=agent, attended=True)


def test_mark_attendance_of_waitlisted_is_refused(activity, coordinator, agent):
    registration = RegistrationFactory(activity=activity, user=agent, status=Registration.Status.WAITLISTED)
    with pytest.raises(ValidationError) as error:
        services.registration_mark_attendance(registration=registration, by=coordinator, attended=True)
    assert error.value.messages == ["Only a confirmed sign-up can be marked as attended."]


def test_mark_all_ticks_confirmed_only(activity, coordinator):
    for _ in range(3):
        RegistrationFactory(activity=activity, user=AgentFactory())
    RegistrationFactory(activity=activity, user=AgentFactory(), status=Registration.Status.WAITLISTED)
    assert services.activity_mark_all_attended(activity=activity, by=coordinator) == 3
    assert services.activity_mark_all_attended(activity=activity, by=coordinator) == 0
    assert Registration.objects.filter(attended_at__isnull=False).count() == 3


def test_attendance_view_htmx_answers_the_row(client, activity, coordinator, agent):
    registration = RegistrationFactory(activity=activity, user=agent)
    client.force_login(coordinator)
    response = client.post(
        reverse("events:registration_attendance", args=[registration.pk]),
        {"attended": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="registration-{registration.pk}">')
    assert "Undo" in body


def test_attendance_view_for_an_agent_is_404(client, activity, agent):
    registration = RegistrationFactory(activity=activity, user=agent)
    client.force_login(agent)
    response = client.post(
        reverse("events:registration_attendance", args=[registration.pk]), {"attended": "1"}
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.attended_at is None


def during(activity, minutes: int = 5):
    return time_machine.travel(activity.starts_at + datetime.timedelta(minutes=minutes), tick=False)


@pytest.fixture
def onsite(coordinator):
    week = WeekFactory(year=2030)
    return ActivityFactory(week=week, host=coordinator, format="onsite", room="Room 1", capacity=None)


@pytest.fixture
def online(coordinator):
    week = WeekFactory(year=2030)
    return ActivityFactory(
        week=week,
        host=coordinator,
        format="online",
        room="",
        join_url="https://meet.example.com/x",
        capacity=None,
    )


def test_check_in_with_the_code_during_the_activity(client, onsite, agent):
    registration = RegistrationFactory(activity=onsite, user=agent)
    with during(onsite):
        client.force_login(agent)
        response = client.post(
            reverse("events:activity_check_in", args=[onsite.pk]),
            {"code": selectors.checkin_code(onsite).lower()},
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended_at == onsite.starts_at + datetime.timedelta(minutes=5)


def test_check_in_with_a_wrong_code_keeps_it_and_says_why(client, onsite, agent):
    RegistrationFactory(activity=onsite, user=agent)
    with during(onsite):
        client.force_login(agent)
        response = client.post(reverse("events:activity_check_in", args=[onsite.pk]), {"code": "NOPE42"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "That code is not this activity&#x27;s check-in code" in body
    assert 'value="NOPE42"' in body
    assert Registration.objects.get().attended_at is None


def test_check_in_before_the_window_is_refused(client, onsite, agent):
    RegistrationFactory(activity=onsite, user=agent)
    with during(onsite, minutes=-60):
        client.force_login(agent)
        response = client.post(
            reverse("events:activity_check_in", args=[onsite.pk]), {"code": selectors.checkin_code(onsite)}
        )
    assert response.status_code == 400
    assert "Check-in opens 15 minutes before the activity starts" in response.content.decode()


def test_check_in_at_the_end_of_the_activity_is_accepted(client, onsite, agent):
    registration = RegistrationFactory(activity=onsite, user=agent)
    with time_machine.travel(onsite.ends_at, tick=False):
        client.force_login(agent)
        response = client.post(
            reverse("events:activity_check_in", args=[onsite.pk]), {"code": selectors.checkin_code(onsite)}
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended_at == onsite.ends_at


@pytest.mark.parametrize("after", [datetime.timedelta(seconds=1), datetime.timedelta(hours=3)])
def test_check_in_after_the_end_is_refused(client, onsite, agent, after):
    registration = RegistrationFactory(activity=onsite, user=agent)
    with time_machine.travel(onsite.ends_at + after, tick=False):
        client.force_login(agent)
        response = client.post(
            reverse("events:activity_check_in", args=[onsite.pk]), {"code": selectors.checkin_code(onsite)}
        )
    assert response.status_code == 400
    assert (
        "Check-in opens 15 minutes before the activity starts and closes when it ends."
        in response.content.decode()
    )
    registration.refresh_from_db()
    assert registration.attended_at is None
    assert AuditEntry.objects.count() == 0


def test_check_in_without_a_place_is_refused(onsite, agent):
    with during(onsite), pytest.raises(ValidationError) as error:
        services.registration_check_in(user=agent, activity=onsite, code=selectors.checkin_code(onsite))
    assert error.value.messages == ["Only people with a confirmed place can check in to this activity."]


def test_check_in_qr_is_an_svg_for_the_host_only(client, onsite, coordinator, agent):
    client.force_login(coordinator)
    response = client.get(reverse("events:activity_check_in_qr", args=[onsite.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    client.force_login(agent)
    assert client.get(reverse("events:activity_check_in_qr", args=[onsite.pk])).status_code == 403


def qr_modules(svg: bytes) -> set[tuple[int, int]]:
    """The dark modules (x, y) an SvgPathImage draws: one `Mx,yH..V..H..z` square each."""
    root = ElementTree.fromstring(svg)
    (path,) = root.iter("{http://www.w3.org/2000/svg}path")
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", path.get("d"))}


def qr_modules_of(data: str) -> set[tuple[int, int]]:
    """The dark modules of a QR code holding `data`, with the view's border."""
    code = qrcode.QRCode(border=2)
    code.add_data(data)
    code.make(fit=True)
    return {(x, y) for y, line in enumerate(code.get_matrix()) for x, dark in enumerate(line) if dark}


def test_check_in_qr_encodes_the_check_in_link_with_the_code(client, settings, onsite, coordinator):
    settings.SITE_URL = "https://csweek.example.org"
    client.force_login(coordinator)
    response = client.get(reverse("events:activity_check_in_qr", args=[onsite.pk]))
    code = selectors.checkin_code(onsite)
    link = f"https://csweek.example.org/activities/{onsite.pk}/check-in/?code={code}"
    modules = qr_modules(response.content)
    assert modules == qr_modules_of(link)
    assert modules != qr_modules_of(link.replace(code, "ABC123"))
    assert response["Cache-Control"] == "private, no-store"


def test_check_in_link_of_the_qr_fills_in_the_code(client, onsite, agent):
    RegistrationFactory(activity=onsite, user=agent)
    code = selectors.checkin_code(onsite)
    client.force_login(agent)
    response = client.get(reverse("events:activity_check_in", args=[onsite.pk]), {"code": code})
    assert response.status_code == 200
    assert f'value="{code}"' in response.content.decode()
    assert Registration.objects.get().attended_at is None  # opening the link is not checking in


def test_activity_page_shows_the_host_the_code(client, onsite, coordinator):
    client.force_login(coordinator)
    body = client.get(reverse("events:activity_detail", args=[onsite.pk])).content.decode()
    assert f"<strong>{selectors.checkin_code(onsite)}</strong>" in body


def test_join_link_during_the_activity_records_attendance_and_redirects(client, online, agent):
    registration = RegistrationFactory(activity=online, user=agent)
    with during(online):
        client.force_login(agent)
        response = client.get(reverse("events:activity_join", args=[online.pk]))
    assert response.status_code == 302
    assert response.url == "https://meet.example.com/x"
    registration.refresh_from_db()
    assert registration.attended_at == online.starts_at + datetime.timedelta(minutes=5)
    assert list(AuditEntry.objects.values_list("action", "detail")) == [
        ("attendance.checked_in", {"how": "join link"})
    ]


def test_join_link_opened_twice_keeps_the_first_time(client, online, agent):
    registration = RegistrationFactory(activity=online, user=agent)
    with during(online, minutes=5):
        client.force_login(agent)
        client.get(reverse("events:activity_join", args=[online.pk]))
    with during(online, minutes=40):
        response = client.get(reverse("events:activity_join", args=[online.pk]))
    assert response.status_code == 302
    assert response.url == "https://meet.example.com/x"
    registration.refresh_from_db()
    assert registration.attended_at == online.starts_at + datetime.timedelta(minutes=5)
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize("after", [datetime.timedelta(seconds=1), datetime.timedelta(days=1)])
def test_join_link_after_the_end_redirects_without_recording(client, online, agent, after):
    registration = RegistrationFactory(activity=online, user=agent)
    with time_machine.travel(online.ends_at + after, tick=False):
        client.force_login(agent)
        response = client.get(reverse("events:activity_join", args=[online.pk]))
    assert response.status_code == 302
    assert response.url == "https://meet.example.com/x"
    registration.refresh_from_db()
    assert registration.attended_at is None
    assert AuditEntry.objects.count() == 0


def test_join_link_after_the_end_of_an_open_activity_creates_no_sign_up(client, online, agent):
    online.signup_required = False
    online.save()
    with time_machine.travel(online.ends_at + datetime.timedelta(minutes=1), tick=False):
        client.force_login(agent)
        response = client.get(reverse("events:activity_join", args=[online.pk]))
    assert response.url == "https://meet.example.com/x"
    assert Registration.objects.count() == 0


def test_join_link_before_the_activity_redirects_without_recording(client, online, agent):
    registration = RegistrationFactory(activity=online, user=agent)
    with during(online, minutes=-120):
        client.force_login(agent)
        response = client.get(reverse("events:activity_join", args=[online.pk]))
    assert response.url == "https://meet.example.com/x"
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_join_link_without_a_place_is_refused(client, online, agent):
    with during(online):
        client.force_login(agent)
        response = client.get(reverse("events:activity_join", args=[online.pk]))
    assert response.status_code == 403
    assert Registration.objects.count() == 0


# --- "Mark all" on the register ------------------------------------------------------------------

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def register(activity):
    """Three confirmed sign-ups (one already ticked an hour ago), one waitlisted, one cancelled."""
    confirmed = [RegistrationFactory(activity=activity, user=AgentFactory()) for _ in range(3)]
    earlier = activity.starts_at - datetime.timedelta(hours=1)
    Registration.objects.filter(pk=confirmed[0].pk).update(attended_at=earlier)
    RegistrationFactory(activity=activity, user=AgentFactory(), status=Registration.Status.WAITLISTED)
    RegistrationFactory(activity=activity, user=AgentFactory(), status=Registration.Status.CANCELLED)
    return {"confirmed": confirmed, "earlier": earlier}


def attendance_by_status(activity) -> list[tuple[str, bool]]:
    return [
        (registration.status, registration.attended_at is not None)
        for registration in Registration.objects.filter(activity=activity).order_by("pk")
    ]


UNTOUCHED = [
    ("confirmed", True),
    ("confirmed", False),
    ("confirmed", False),
    ("waitlisted", False),
    ("cancelled", False),
]


@pytest.mark.parametrize("role", ["coordinator", "host"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_mark_all_view_ticks_confirmed_only(activity, register, coordinator, role, htmx):
    if role == "host":
        marker = AgentFactory()
        activity.host = marker
        activity.save()
    else:
        marker = coordinator
    client = Client(enforce_csrf_checks=True)
    client.force_login(marker)
    page = client.get(reverse("events:activity_detail", args=[activity.pk])).content.decode()
    token = CSRF_TOKEN.search(page).group(1)
    url = reverse("events:activity_attendance_all", args=[activity.pk])
    with time_machine.travel(activity.ends_at, tick=False):
        client.force_login(marker)
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(url, {"csrfmiddlewaretoken": token}, headers=headers)
    # htmx or not, the answer is the activity page again (the button is a plain form).
    assert response.status_code == 302
    assert response.url == reverse("events:activity_detail", args=[activity.pk])
    assert attendance_by_status(activity) == [
        ("confirmed", True),
        ("confirmed", True),
        ("confirmed", True),
        ("waitlisted", False),
        ("cancelled", False),
    ]
    first, *others = Registration.objects.filter(status=Registration.Status.CONFIRMED).order_by("pk")
    assert first.attended_at == register["earlier"]  # an earlier tick is kept
    assert first.attendance_marked_by is None
    assert [(r.attended_at, r.attendance_marked_by) for r in others] == [(activity.ends_at, marker)] * 2
    assert list(AuditEntry.objects.values_list("action", "detail")) == [("attendance.marked", {"count": 2})]


def test_mark_all_view_then_the_page_shows_everyone_ticked(client, activity, register, coordinator):
    client.force_login(coordinator)
    detail = reverse("events:activity_detail", args=[activity.pk])
    assert client.get(detail).content.decode().count("Mark attended</button>") == 2  # and now stored
    response = client.post(reverse("events:activity_attendance_all", args=[activity.pk]), follow=True)
    body = response.content.decode()
    assert "2 people marked as attended." in body
    assert body.count("Mark attended</button>") == 0
    assert body.count("Undo</button>") == 3
    again = client.get(detail)  # no message waiting: the page cache may answer, with the new state
    assert again.content.decode().count("Undo</button>") == 3


def test_mark_all_view_without_csrf_token_is_refused(activity, register, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(reverse("events:activity_attendance_all", args=[activity.pk]))
    assert response.status_code == 403
    assert attendance_by_status(activity) == UNTOUCHED


def test_mark_all_view_for_another_agent_is_403(client, activity, register, agent):
    client.force_login(agent)
    response = client.post(reverse("events:activity_attendance_all", args=[activity.pk]))
    assert response.status_code == 403
    assert attendance_by_status(activity) == UNTOUCHED
    assert AuditEntry.objects.count() == 0


def test_mark_all_view_for_an_agent_outside_the_audience_is_404(
    client, activity, register, agent, other_team
):
    activity.audience_teams.set([other_team])
    client.force_login(agent)
    response = client.post(reverse("events:activity_attendance_all", args=[activity.pk]))
    assert response.status_code == 404
    assert attendance_by_status(activity) == UNTOUCHED


@pytest.mark.parametrize("role", ["coordinator", "agent"])
def test_mark_all_view_get_changes_nothing(client, activity, register, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("events:activity_attendance_all", args=[activity.pk]))
    assert response.status_code == 405
    assert attendance_by_status(activity) == UNTOUCHED
    assert AuditEntry.objects.count() == 0
