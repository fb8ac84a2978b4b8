"""/audit/ and its CSV export: who may read them, the filters, escaping and query counts."""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_record
from events.models import Week
from people.models import User
from tests.audit.factories import AuditEntryFactory

pytestmark = pytest.mark.django_db

LIST = reverse("audit:entry_list")
EXPORT = reverse("audit:entry_export")


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def shown(response) -> list[str]:
    return [entry.object_repr for entry in response.context["page"]]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- Who may read it ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("who", ["agent", "manager"])
@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_agents_and_managers_are_refused(client, request, who, url):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 403
    assert AuditEntry.objects.count() == 0


def test_inactive_coordinator_is_refused(client, coordinator):
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    coordinator.refresh_from_db()
    client.force_login(coordinator)
    # Django's session check signs out an inactive account: the sign-in page again.
    assert client.get(LIST).status_code == 302


def test_coordinator_sees_the_log_newest_first(client, coordinator):
    AuditEntryFactory(object_repr="older", created_at=utc(2026, 11, 1, 9))
    AuditEntryFactory(object_repr="newer", created_at=utc(2026, 11, 2, 9))
    client.force_login(coordinator)
    response = client.get(LIST)
    assert response.status_code == 200
    assert shown(response) == ["newer", "older"]


def test_navigation_offers_the_log_to_coordinators_only(client, coordinator, agent):
    client.force_login(coordinator)
    labels = [item["label"] for item in client.get(reverse("dashboard")).context["nav_items"]]
    assert ("Audit log" in labels) is True
    client.force_login(agent)
    labels = [item["label"] for item in client.get(reverse("dashboard")).context["nav_items"]]
    assert ("Audit log" in labels) is False


def test_empty_log_says_what_fills_it(client, coordinator):
    client.force_login(coordinator)
    response = client.get(LIST)
    assert response.context["page"].paginator.count == 0
    assert "Nothing recorded yet." in response.content.decode()


def test_no_match_says_how_to_widen_the_filters(client, coordinator):
    AuditEntryFactory(action="week.published")
    client.force_login(coordinator)
    response = client.get(LIST, {"action": "team.created"})
    assert "Nothing matches these filters." in response.content.decode()


# --- Filters ------------------------------------------------------------------------------------


def test_filter_by_who_matches_part_of_the_email(client, coordinator, manager, agent):
    AuditEntryFactory(actor=manager, object_repr="by the manager")
    AuditEntryFactory(actor=agent, object_repr="by the agent")
    client.force_login(coordinator)
    assert shown(client.get(LIST, {"actor": "BOSS@"})) == ["by the manager"]


def test_filter_by_who_finds_a_deleted_actor(client, coordinator, agent):
    AuditEntryFactory(actor=agent, object_repr="by the agent")
    agent.delete()
    client.force_login(coordinator)
    assert shown(client.get(LIST, {"actor": "agent@example.com"})) == ["by the agent"]


def test_filter_by_action(client, coordinator):
    AuditEntryFactory(action="week.published", object_repr="published")
    AuditEntryFactory(action="team.created", object_repr="team")
    client.force_login(coordinator)
    assert shown(client.get(LIST, {"action": "team.created"})) == ["team"]


def test_unknown_action_shows_an_error_and_is_ignored(client, coordinator):
    AuditEntryFactory(object_repr="any")
    client.force_login(coordinator)
    response = client.get(LIST, {"action": "nope"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["action"]
    assert shown(response) == ["any"]


def test_filter_by_dates_reads_them_in_the_viewers_zone(client, coordinator):
    # 10 November in New York runs from 05:00 UTC on the 10th to 05:00 UTC on the 11th.
    User.objects.filter(pk=coordinator.pk).update(time_zone="America/New_York")
    AuditEntryFactory(object_repr="9th in New York", created_at=utc(2026, 11, 10, 4, 59))
    AuditEntryFactory(object_repr="10th early", created_at=utc(2026, 11, 10, 5, 0))
    AuditEntryFactory(object_repr="10th late", created_at=utc(2026, 11, 11, 4, 59))
    AuditEntryFactory(object_repr="11th in New York", created_at=utc(2026, 11, 11, 5, 0))
    client.force_login(coordinator)
    response = client.get(LIST, {"date_from": "2026-11-10", "date_to": "2026-11-10"})
    assert shown(response) == ["10th late", "10th early"]
    assert shown(client.get(LIST, {"date_from": "2026-11-11"})) == ["11th in New York"]
    assert shown(client.get(LIST, {"date_to": "2026-11-09"})) == ["9th in New York"]


def test_end_before_start_shows_an_error(client, coordinator):
    client.force_login(coordinator)
    response = client.get(LIST, {"date_from": "2026-11-10", "date_to": "2026-11-09"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "date_to": ["The end date must be on or after the start date."]
    }


def test_htmx_request_gets_only_the_results(client, coordinator):
    AuditEntryFactory(object_repr="one")
    client.force_login(coordinator)
    response = client.get(LIST, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"') is True
    assert "<h1>" not in body


def test_fifty_entries_a_page(client, coordinator):
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(action="week.published", object_repr=f"entry {i}", created_at=utc(2026, 11, 1, 0, i))
            for i in range(51)
        ]
    )
    client.force_login(coordinator)
    assert len(shown(client.get(LIST))) == 50
    response = client.get(LIST, {"action": "week.published", "page": 2})
    assert shown(response) == ["entry 0"]
    assert response.context["export_query"] == "action=week.published"  # the export has every page


# --- Escaping -----------------------------------------------------------------------------------


def test_user_text_is_escaped(client, coordinator):
    AuditEntryFactory(
        actor_repr="<b>x</b>@example.com",
        object_repr="<script>alert(1)</script>",
        detail={"from": "<img src=x onerror=alert(2)>"},
    )
    client.force_login(coordinator)
    body = client.get(LIST).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    assert "&lt;img src=x onerror=alert(2)&gt;" in body
    assert "<img src=x" not in body
    assert "<b>x</b>" not in body


# --- CSV export ---------------------------------------------------------------------------------


def test_export_follows_the_filters_and_is_audited(client, coordinator, manager):
    week = Week.objects.create(
        year=2030, starts_on=datetime.date(2030, 10, 7), ends_on=datetime.date(2030, 10, 11)
    )
    AuditEntryFactory(
        actor=manager,
        action="week.published",
        object_type=ContentType.objects.get_for_model(Week),
        object_id=str(week.pk),
        object_repr="Customer Service Week 2030",
        detail={"from": "Agent", "to": "Manager"},
        created_at=utc(2026, 11, 10, 12, 30),
    )
    AuditEntryFactory(action="team.created", object_repr="Escalations")
    client.force_login(coordinator)
    response = client.get(EXPORT, {"action": "week.published", "date_from": "2026-11-10"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="csweek-audit-log.csv"'
    assert csv_rows(response) == [
        {
            "time_utc": "2026-11-10T12:30:00+00:00",
            "time (Europe/London)": "2026-11-10 12:30:00",
            "actor": "boss@example.com",
            "action": "week.published",
            "action_label": "Week published",
            "object_type": "week",
            "object_id": str(week.pk),
            "object": "Customer Service Week 2030",
            "detail": "from: Agent; to: Manager",
        }
    ]
    export = AuditEntry.objects.filter(action="export.audit_csv").get()
    assert (export.actor, export.actor_repr, export.detail) == (
        coordinator,
        "coord@example.com",
        {"rows": 1, "action": "week.published", "date_from": "2026-11-10"},
    )


def test_export_cells_are_spreadsheet_safe(client, coordinator):
    audit_record(actor=coordinator, action="team.created", detail={"name": "=HYPERLINK(1)"})
    client.force_login(coordinator)
    [row] = csv_rows(client.get(EXPORT, {"action": "team.created"}))
    assert row["detail"] == "name: =HYPERLINK(1)"  # "detail" starts with a letter: left as it is
    AuditEntryFactory(action="team.deleted", object_repr="=cmd|' /C calc'!A0")
    [row] = csv_rows(client.get(EXPORT, {"action": "team.deleted"}))
    assert row["object"] == "'=cmd|' /C calc'!A0"


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 300])
def test_list_query_count_does_not_grow(client, django_assert_max_num_queries, coordinator, manager, size):
    week_type = ContentType.objects.get_for_model(Week)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=manager if i % 2 else coordinator,
                actor_repr="boss@example.com" if i % 2 else "coord@example.com",
                action="week.published",
                object_type=week_type,
                object_id=str(i),
                object_repr=f"Week {i}",
                detail={"count": i},
                created_at=utc(2026, 11, 1) + datetime.timedelta(minutes=i),
            )
            for i in range(size)
        ]
    )
    client.force_login(coordinator)
    # session, user, their roles, the count, the page of entries (with their object types)
    with django_assert_max_num_queries(5):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"]) == min(size, 50)
