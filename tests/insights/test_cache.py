"""The report and the recap are computed once per version of the data they read, and every change
to that data (one by one or in bulk, through the services) shows on the next read."""

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Registration
from insights.selectors import dashboard_for, recap_for, report_for
from outbox import services as outbox_services
from outbox.models import Delivery
from recognition import services as recognition_services
from recognition.models import Nomination
from tests.events.factories import ActivityFactory
from tests.factories import AgentFactory
from tests.insights.conftest import populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(weeks, coordinator, manager, team, other_team):
    previous, week = weeks
    populate(previous, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2)
    result = populate(week, host=coordinator, team=team, other_team=other_team, reviewer=manager, n=4)
    # Announced at the category's moment, as beat does; the recap tells announced awards only.
    Nomination.objects.filter(week=week, status=Nomination.Status.APPROVED).update(
        announced_at=result["category"].announce_at
    )
    return result


def headline(report) -> dict[str, str]:
    return {name: value for name, value, _before in report.headline}


def test_report_second_read_comes_from_the_cache(data, coordinator, django_assert_num_queries):
    report_for(viewer=coordinator, year=2030)
    # Only the weeks the viewer may see are read again (their years, and which week is asked).
    with django_assert_num_queries(1):
        again = report_for(viewer=coordinator, year=2030)
    assert headline(again)["Attendance"] == "60.0 % (3 of 5)"


def test_report_cache_is_per_viewer_teams(data, coordinator, manager):
    everyone = report_for(viewer=coordinator, year=2030)
    mine = report_for(viewer=manager, year=2030)
    assert [row[0] for row in everyone.table("participation-teams").rows] == ["Billing", "Front Line"]
    assert [row[0] for row in mine.table("participation-teams").rows] == ["Front Line"]
    assert mine.table("emails") is None


def test_report_shows_a_new_sign_up_at_once(data, coordinator, team):
    assert headline(report_for(viewer=coordinator, year=2030))["Participation"] == "55.6 % (5 of 9)"
    event_services.registration_create(user=AgentFactory(team=team), activity=data["monday"])
    assert headline(report_for(viewer=coordinator, year=2030))["Participation"] == "60.0 % (6 of 10)"


def test_report_shows_attendance_marked_in_bulk(data, coordinator):
    assert headline(report_for(viewer=coordinator, year=2030))["Attendance"] == "60.0 % (3 of 5)"
    count = event_services.activity_mark_all_attended(activity=data["tuesday"], by=coordinator)
    assert count == 2
    assert headline(report_for(viewer=coordinator, year=2030))["Attendance"] == "100.0 % (5 of 5)"


def test_report_shows_a_decision_on_a_nomination(data, coordinator, manager):
    assert headline(report_for(viewer=manager, year=2030))["Awards"] == "2"
    waiting = data["agents"][1].nominations_received.get(status="submitted")
    recognition_services.nomination_approve(nomination=waiting, by=manager)
    assert headline(report_for(viewer=manager, year=2030))["Awards"] == "3"


def test_report_shows_a_sign_up_removed(data, coordinator):
    before = headline(report_for(viewer=coordinator, year=2030))["Participation"]
    Registration.objects.filter(user=data["agents"][0]).delete()
    assert headline(report_for(viewer=coordinator, year=2030))["Participation"] != before


def test_report_email_table_follows_the_outbox(data, coordinator, django_capture_on_commit_callbacks):
    assert report_for(viewer=coordinator, year=2030).table("emails").rows == []
    delivery = Delivery.objects.create(
        recipient=coordinator,
        address=coordinator.email,
        kind="announcement",
        week_year=2030,
        status=Delivery.Status.FAILED,
    )
    assert report_for(viewer=coordinator, year=2030).table("emails").rows[0][1:3] == [0, 1]
    outbox_services.delivery_retry(by=coordinator, delivery=delivery)  # a bulk update: no signal
    assert report_for(viewer=coordinator, year=2030).table("emails").rows[0][1:5] == [0, 0, 0, 1]


def test_report_stays_cached_when_someone_signs_in(data, coordinator, client, django_assert_num_queries):
    agent = AgentFactory()  # a new person changes a team's size: made before the report is read
    report_for(viewer=coordinator, year=2030)
    client.force_login(agent)  # stamps last_login, which no figure reads
    with django_assert_num_queries(1):
        report_for(viewer=coordinator, year=2030)


def test_recap_second_read_comes_from_the_cache(data, weeks, django_assert_num_queries):
    _previous, week = weeks
    recap_for(week)
    with django_assert_num_queries(0):
        recap = recap_for(week)
    assert dict(recap.headline)["Awards"] == "2"


def test_recap_shows_a_new_award_at_once(data, weeks, manager):
    _previous, week = weeks
    assert dict(recap_for(week).headline)["Awards"] == "2"
    waiting = data["agents"][3].nominations_received.get(status="submitted")
    award = recognition_services.nomination_approve(nomination=waiting, by=manager)
    assert dict(recap_for(week).headline)["Awards"] == "2"  # held back until announced
    with transaction.atomic():
        recognition_services.awards_announce(awards=[award], moment=timezone.now())
    assert dict(recap_for(week).headline)["Awards"] == "3"


def test_recap_shows_an_activity_attended(data, weeks, coordinator):
    _previous, week = weeks
    before = dict(recap_for(week).headline)["Attendance"]
    registration = Registration.objects.get(user=data["agents"][1])
    event_services.registration_mark_attendance(registration=registration, by=coordinator, attended=True)
    assert dict(recap_for(week).headline)["Attendance"] != before


def test_recap_not_served_from_another_weeks_entry(data, weeks):
    previous, week = weeks
    assert recap_for(previous).week.pk == previous.pk
    assert recap_for(week).week.pk == week.pk
    cache.clear()
    assert dict(recap_for(week).headline)["Awards"] == "2"


# --- Dashboards ---------------------------------------------------------------------------------


def test_manager_panel_second_read_comes_from_the_cache(data, manager, django_assert_num_queries):
    first = dashboard_for(manager)
    with django_assert_num_queries(2):  # the week and their own sign-ups; the panel is cached
        again = dashboard_for(manager)
    assert again["manager"].not_signed_up_count == first["manager"].not_signed_up_count


def test_manager_panel_shows_a_new_sign_up_and_a_new_team(data, manager, team, other_team):
    person = AgentFactory(team=team)
    dashboard = dashboard_for(manager)
    before = dashboard["manager"].not_signed_up_count
    activity = ActivityFactory(week=dashboard["week"], host=manager, capacity=None)
    event_services.registration_create(user=person, activity=activity)
    assert dashboard_for(manager)["manager"].not_signed_up_count == before - 1
    assert [t.name for t in dashboard_for(manager)["manager"].teams] == ["Front Line"]
    other_team.managers.add(manager)
    assert [t.name for t in dashboard_for(manager)["manager"].teams] == ["Billing", "Front Line"]


def test_coordinator_panel_follows_sign_ups_and_emails(data, coordinator, team):
    dashboard = dashboard_for(coordinator)
    panel = dashboard["coordinator"]
    taken, failed = panel.seats_taken, panel.emails_failed
    activity = ActivityFactory(week=dashboard["week"], host=coordinator, capacity=5)
    event_services.registration_create(user=AgentFactory(team=team), activity=activity)
    Delivery.objects.create(
        recipient=coordinator, address=coordinator.email, kind="announcement", status=Delivery.Status.FAILED
    )
    panel = dashboard_for(coordinator)["coordinator"]
    assert (panel.seats_taken, panel.emails_failed) == (taken + 1, failed + 1)


# --- The report page's rendered figures ------------------------------------------------------


def test_report_page_figures_rendered_once_per_version(client, data, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("insights:report", args=[2030]))
    key = make_template_fragment_key("report_figures", [response.context["report"].cache_key])
    assert "Participation by team" in cache.get(key)
    assert "Participation by team" in response.content.decode()


def test_report_page_figures_follow_a_change(client, data, coordinator, team):
    client.force_login(coordinator)
    assert "60.0 % (3 of 5)" in client.get(reverse("insights:report", args=[2030])).content.decode()
    event_services.activity_mark_all_attended(activity=data["tuesday"], by=coordinator)
    content = client.get(reverse("insights:report", args=[2030])).content.decode()
    assert "100.0 % (5 of 5)" in content
    assert "60.0 % (3 of 5)" not in content


def test_report_page_figures_are_not_shared_between_a_coordinator_and_a_manager(
    client, data, coordinator, manager
):
    client.force_login(coordinator)
    assert (
        "Emails about the week, by kind"
        in client.get(reverse("insights:report", args=[2030])).content.decode()
    )
    client.force_login(manager)
    content = client.get(reverse("insights:report", args=[2030])).content.decode()
    assert "Emails about the week, by kind" not in content
    assert "Billing" not in content
