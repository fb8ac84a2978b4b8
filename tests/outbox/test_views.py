"""One-click unsubscribe (RFC 8058) and /deliveries/ for coordinators."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from outbox import services
from outbox.kinds import get_kind
from outbox.models import Delivery
from recognition.models import Announcement
from tests.factories import AgentFactory, wants

pytestmark = pytest.mark.django_db

Status = Delivery.Status


@pytest.fixture
def announcement(coordinator):
    return Announcement.objects.create(subject="Kick-off", body="At 10:00.", sent_by=coordinator)


def unsubscribe_path(user, kind="coordinator_announcement") -> str:
    return reverse("outbox:unsubscribe", args=[services.unsubscribe_token(user=user, kind=get_kind(kind))])


# --- Unsubscribe -----------------------------------------------------------------------------


def test_unsubscribe_get_asks_first_and_changes_nothing(client, agent):
    response = client.get(unsubscribe_path(agent))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Stop sending “Announcements” emails to agent@example.com?" in body
    assert '<form method="post">' in body
    agent.refresh_from_db()
    assert wants(agent, "email_announcements") is True


def test_unsubscribe_from_one_kind_names_the_preference_it_switches_off(client, agent):
    body = client.get(unsubscribe_path(agent, kind="nomination_decided")).content.decode()
    assert "Stop sending “Nominations and awards” emails to agent@example.com?" in body
    assert (
        "This switches off every email of that kind on your profile, "
        "including “Nominations and awards: decisions”." in body
    )
    client.post(unsubscribe_path(agent, kind="nomination_decided"), {"List-Unsubscribe": "One-Click"})
    agent.refresh_from_db()
    assert (wants(agent, "email_recognition"), wants(agent, "email_announcements")) == (False, True)


def test_unsubscribe_one_click_post_without_login_or_csrf(agent):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_path(agent), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "will no longer receive “Announcements” emails" in response.content.decode()
    agent.refresh_from_db()
    assert (wants(agent, "email_announcements"), wants(agent, "email_reminders")) == (False, True)


def test_unsubscribe_then_pending_delivery_is_skipped(client, agent, announcement):
    services.deliveries_create(kind="coordinator_announcement", recipients=[agent], about=announcement)
    client.post(unsubscribe_path(agent), {"List-Unsubscribe": "One-Click"})
    services.deliveries_send(ids=list(Delivery.objects.values_list("pk", flat=True)))
    assert Delivery.objects.get().status == Status.SKIPPED
    assert mail.outbox == []


def test_unsubscribe_link_from_the_email_works(
    client, agent, announcement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.deliveries_create(kind="coordinator_announcement", recipients=[agent], about=announcement)
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    path = header.strip("<>").removeprefix("http://localhost:8000")
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    agent.refresh_from_db()
    assert wants(agent, "email_announcements") is False


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJrIjoiYW5ub3VuY2VtZW50In0:forged"])
def test_unsubscribe_bad_token_is_refused(client, agent, token):
    response = client.post(reverse("outbox:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert "This unsubscribe link is not valid." in response.content.decode()
    agent.refresh_from_db()
    assert wants(agent, "email_announcements") is True


def test_unsubscribe_transactional_kind_is_refused(client, agent):
    token = services.unsubscribe_token(user=agent, kind=get_kind("invitation"))
    response = client.post(reverse("outbox:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "This email cannot be switched off." in response.content.decode()


def test_transactional_email_has_no_unsubscribe_header(coordinator, django_capture_on_commit_callbacks):
    from people import services as people_services

    with django_capture_on_commit_callbacks(execute=True):
        people_services.person_invite(by=coordinator, email="new@example.com")
    message = mail.outbox[0]
    assert "List-Unsubscribe" not in message.extra_headers
    assert "Unsubscribe" not in message.body


# --- /deliveries/ ----------------------------------------------------------------------------


def make_deliveries(announcement, count: int, status: str = Status.FAILED) -> list[Delivery]:
    people = AgentFactory.create_batch(count)
    return Delivery.objects.bulk_create(
        [
            Delivery(
                recipient=p,
                address=p.email,
                kind="coordinator_announcement",
                about=announcement,
                status=status,
                attempts=8,
                last_error="SMTPServerDisconnected('Connection unexpectedly closed')",
            )
            for p in people
        ]
    )


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_deliveries_page_refused_to_non_coordinators(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("outbox:delivery_list")).status_code == 403


def test_deliveries_page_anonymous_goes_to_login(client):
    response = client.get(reverse("outbox:delivery_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_deliveries_page_counts_and_failed_with_error(client, coordinator, announcement):
    make_deliveries(announcement, 2)
    make_deliveries(announcement, 3, status=Status.SENT)
    client.force_login(coordinator)
    response = client.get(reverse("outbox:delivery_list"))
    assert response.status_code == 200
    assert response.context["counts"] == [
        {
            "kind": "coordinator_announcement",
            "label": "Announcements from coordinators",
            "counts": [0, 0, 3, 2, 0],
            "total": 5,
        }
    ]
    assert response.context["page"].paginator.count == 2
    assert escape("SMTPServerDisconnected('Connection unexpectedly closed')") in response.content.decode()


def test_deliveries_page_lists_emails_of_a_kind_no_longer_registered(client, coordinator):
    """The emails of the removed announcement kind stay as history: counted under their kind's
    name and listed (the kind filter offers only the kinds that are registered)."""
    target = AgentFactory(email="then@example.com")
    Delivery.objects.create(recipient=target, address=target.email, kind="announcement", status=Status.SENT)
    client.force_login(coordinator)
    response = client.get(reverse("outbox:delivery_list"), {"status": "sent"})
    assert response.status_code == 200
    assert response.context["counts"] == [
        {"kind": "announcement", "label": "announcement", "counts": [0, 0, 1, 0, 0], "total": 1}
    ]
    assert [d.address for d in response.context["page"]] == ["then@example.com"]


def test_deliveries_page_filters(client, coordinator, announcement):
    make_deliveries(announcement, 2, status=Status.SENT)
    target = AgentFactory(email="find.me@example.com")
    Delivery.objects.create(
        recipient=target, address=target.email, kind="coordinator_announcement", status=Status.SENT
    )
    client.force_login(coordinator)
    response = client.get(reverse("outbox:delivery_list"), {"status": "sent", "q": "find.me", "kind": ""})
    assert [d.address for d in response.context["page"]] == ["find.me@example.com"]
    response = client.get(reverse("outbox:delivery_list"), {"status": "", "kind": "invitation"})
    assert response.context["page"].paginator.count == 0


def test_deliveries_page_htmx_answers_the_results_fragment(client, coordinator, announcement):
    make_deliveries(announcement, 1)
    client.force_login(coordinator)
    response = client.get(reverse("outbox:delivery_list"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "<h1>" not in body


@pytest.mark.parametrize("count", [3, 300])
def test_deliveries_page_query_count_is_flat(
    client, coordinator, announcement, count, django_assert_max_num_queries
):
    make_deliveries(announcement, count)
    client.force_login(coordinator)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("outbox:delivery_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == count


def test_retry_one_failed_delivery(client, coordinator, announcement, django_capture_on_commit_callbacks):
    [delivery, other] = make_deliveries(announcement, 2)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:delivery_retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    other.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENT, 1)
    assert other.status == Status.FAILED
    assert [m.to for m in mail.outbox] == [[delivery.address]]


def test_retry_not_failed_delivery_says_so(client, coordinator, announcement):
    [delivery] = make_deliveries(announcement, 1, status=Status.SENT)
    client.force_login(coordinator)
    response = client.post(reverse("outbox:delivery_retry", args=[delivery.pk]), follow=True)
    assert "Only a failed email can be retried" in response.content.decode()


def test_retry_unknown_delivery_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("outbox:delivery_retry", args=[999_999])).status_code == 404


def test_retry_by_agent_is_refused(client, agent, announcement):
    [delivery] = make_deliveries(announcement, 1)
    client.force_login(agent)
    assert client.post(reverse("outbox:delivery_retry", args=[delivery.pk])).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED


def test_retry_is_post_only(client, coordinator, announcement):
    [delivery] = make_deliveries(announcement, 1)
    client.force_login(coordinator)
    assert client.get(reverse("outbox:delivery_retry", args=[delivery.pk])).status_code == 405


def test_retry_all_failed(client, coordinator, announcement, django_capture_on_commit_callbacks):
    make_deliveries(announcement, 3)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:deliveries_retry_failed"), follow=True)
    assert "3 failed emails queued again." in response.content.decode()
    assert Delivery.objects.filter(status=Status.SENT).count() == 3
    assert len(mail.outbox) == 3


def test_sweep_schedule_is_created_by_migration_every_minute():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="outbox.sweep")
    assert (task.enabled, task.interval.every, task.interval.period) == (True, 1, "minutes")


# --- The week filter -----------------------------------------------------------------------------


def test_emails_about_a_week_carry_its_year(coordinator, agent, django_capture_on_commit_callbacks):
    from events import services as events_services
    from tests.events.factories import ActivityFactory, WeekFactory

    activity = ActivityFactory(week=WeekFactory(year=2027), host=coordinator)
    events_services.registration_create(user=agent, activity=activity)
    with django_capture_on_commit_callbacks(execute=True):
        events_services.activity_cancel(by=coordinator, activity=activity)
        announcement = Announcement.objects.create(subject="Hello", body="Everyone.", sent_by=coordinator)
        services.deliveries_create(kind="coordinator_announcement", recipients=[agent], about=announcement)
    assert sorted(Delivery.objects.values_list("kind", "week_year")) == [
        ("activity_cancelled", 2027),
        ("coordinator_announcement", None),
    ]


def test_deliveries_page_filters_by_week(client, coordinator, announcement):
    make_deliveries(announcement, 2)
    about_2026 = make_deliveries(announcement, 3)
    Delivery.objects.filter(pk__in=[d.pk for d in about_2026]).update(
        week_year=2026, kind="activity_reminder"
    )
    Delivery.objects.filter(pk=about_2026[0].pk).update(status=Status.SENT)
    client.force_login(coordinator)
    response = client.get(reverse("outbox:delivery_list"), {"week": "2026", "status": ""})
    assert response.context["counts"] == [
        {"kind": "activity_reminder", "label": "Activity reminders", "counts": [0, 0, 1, 2, 0], "total": 3}
    ]
    assert response.context["page"].paginator.count == 3
    body = response.content.decode()
    assert "By kind and status: Customer Service Week 2026" in body
    assert '<option value="2026" selected>Customer Service Week 2026</option>' in body
    response = client.get(reverse("outbox:delivery_list"), {"week": "1999"})
    assert "Select a valid choice." in response.content.decode()


def test_retry_all_failed_of_one_week(client, coordinator, announcement, django_capture_on_commit_callbacks):
    other = make_deliveries(announcement, 2)
    about_2026 = make_deliveries(announcement, 3)
    Delivery.objects.filter(pk__in=[d.pk for d in about_2026]).update(week_year=2026)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:deliveries_retry_failed"), {"week": "2026"}, follow=True)
    assert "3 failed emails queued again." in response.content.decode()
    assert set(Delivery.objects.filter(status=Status.SENT).values_list("pk", flat=True)) == {
        d.pk for d in about_2026
    }
    assert Delivery.objects.filter(pk__in=[d.pk for d in other], status=Status.FAILED).count() == 2


def test_retry_all_failed_follows_the_address_filter(
    client, coordinator, announcement, django_capture_on_commit_callbacks
):
    make_deliveries(announcement, 2)
    target = AgentFactory(email="find.me@example.com")
    Delivery.objects.create(
        recipient=target,
        address=target.email,
        kind="coordinator_announcement",
        about=announcement,
        status=Status.FAILED,
    )
    client.force_login(coordinator)
    page = client.get(reverse("outbox:delivery_list"), {"q": "find.me"}).content.decode()
    assert "to addresses with “find.me”" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox:deliveries_retry_failed"), {"q": "find.me"})
    assert list(Delivery.objects.filter(status=Status.SENT).values_list("address", flat=True)) == [
        "find.me@example.com"
    ]


def test_deliveries_page_with_an_unknown_week_shows_the_failed_ones(client, coordinator, announcement):
    make_deliveries(announcement, 2)
    make_deliveries(announcement, 3, status=Status.SENT)
    client.force_login(coordinator)
    response = client.get(reverse("outbox:delivery_list"), {"week": "1999"})
    assert response.context["page"].paginator.count == 2


def test_unsubscribing_from_nomination_news_keeps_the_emails_about_my_own_nominations(client, agent):
    body = client.get(unsubscribe_path(agent, kind="nominations_open")).content.decode()
    assert "Stop sending “Nomination news” emails to agent@example.com?" in body
    client.post(unsubscribe_path(agent, kind="nominations_open"), {"List-Unsubscribe": "One-Click"})
    agent.refresh_from_db()
    assert (wants(agent, "email_nomination_news"), wants(agent, "email_recognition")) == (False, True)


def test_delivery_week_years_newest_first_by_skip_scan(announcement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outbox import selectors

    rows = make_deliveries(announcement, 6)
    for delivery, year in zip(rows, [2025, 2027, None, 2025, 2026, 2027], strict=True):
        Delivery.objects.filter(pk=delivery.pk).update(week_year=year)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.delivery_week_years() == [2027, 2026, 2025]
    # Never DISTINCT over the whole outbox: one index probe per year.
    assert ["DISTINCT" in q["sql"].upper() for q in queries.captured_queries] == [False]


def test_delivery_week_years_empty_outbox():
    from outbox import selectors

    assert selectors.delivery_week_years() == []
