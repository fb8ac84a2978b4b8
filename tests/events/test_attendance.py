"""Attendance: the host or a coordinator ticks the register; never overwritten silently."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from events import services
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
