"""Announcements: the audience as a union, opted-out people left out and counted, Markdown rendered
safely, send now or at a chosen moment exactly once, cancel before it goes, read-only once sent."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from csweek.core.markdown import render_markdown
from events.models import Registration
from outbox import services as outbox_services
from outbox.models import ChatWebhook, Delivery
from people.models import Role
from recognition.announcements import selectors, services
from recognition.models import Announcement
from recognition.tasks import announcement_send, announcements_due
from tests.events.factories import ActivityFactory, WeekFactory
from tests.factories import AgentFactory, ManagerFactory, TeamFactory

pytestmark = pytest.mark.django_db

Status = Announcement.Status


def draft(by, **overrides):
    fields = {"subject": "Kick-off at 10:00", "body": "Coffee in the **atrium**."}
    return services.announcement_create(by=by, **{**fields, **overrides})


def emails_of(announcement) -> list[tuple[str, str]]:
    return sorted(
        Delivery.objects.filter(kind="coordinator_announcement", object_id=announcement.pk).values_list(
            "address", "status"
        )
    )


# --- Audience --------------------------------------------------------------------------------


def test_audience_is_the_union_of_teams_roles_and_activity_registrants(coordinator):
    billing, support = TeamFactory(name="Billing"), TeamFactory(name="Support")
    in_billing = AgentFactory(email="billing@example.com", team=billing)
    AgentFactory(email="support@example.com", team=support)
    boss = ManagerFactory(email="boss@example.com", team=support)  # a manager, by role
    activity = ActivityFactory(week=WeekFactory(year=2031))
    signed_up = AgentFactory(email="signed@example.com", team=support)
    waiting = AgentFactory(email="waiting@example.com", team=support)
    Registration.objects.create(user=signed_up, activity=activity)
    Registration.objects.create(user=waiting, activity=activity, status=Registration.Status.WAITLISTED)
    in_billing_and_manager = ManagerFactory(email="both@example.com", team=billing)
    announcement = draft(
        coordinator, everyone=False, teams=[billing], roles=[Role.MANAGER], activity=activity
    )
    assert sorted(selectors.audience_people(announcement).values_list("email", flat=True)) == sorted(
        [in_billing.email, boss.email, signed_up.email, in_billing_and_manager.email]
    )


def test_audience_everyone_ignores_the_other_choices(coordinator, agent, manager):
    announcement = draft(coordinator, everyone=True, teams=[TeamFactory()], roles=[Role.MANAGER])
    assert list(announcement.audience_teams.all()) == []
    assert announcement.audience_roles == []
    assert selectors.announcement_reach(announcement).recipients == 3


def test_audience_everyone_leaves_out_inactive_people(coordinator, agent):
    AgentFactory(email="gone@example.com", is_active=False)
    announcement = draft(coordinator)
    assert sorted(selectors.announcement_recipients(announcement).values_list("email", flat=True)) == [
        "agent@example.com",
        "coord@example.com",
    ]


def test_audience_nobody_chosen_is_refused(coordinator):
    with pytest.raises(ValidationError) as error:
        draft(coordinator, everyone=False)
    assert error.value.message_dict == {
        "audience_everyone": ["Choose who receives it: everyone, or at least one team, role or activity."]
    }


def test_agent_cannot_write_an_announcement(agent):
    with pytest.raises(PermissionDenied):
        draft(agent)


# --- Sending ---------------------------------------------------------------------------------


def test_send_now_emails_each_recipient_once_and_leaves_out_opted_out(
    coordinator, agent, django_capture_on_commit_callbacks
):
    AgentFactory(email="quiet@example.com", opted_out=["email_announcements"])
    announcement = draft(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send_now(by=coordinator, announcement=announcement)
    announcement.refresh_from_db()
    assert (announcement.status, announcement.recipient_count, announcement.opted_out_count) == (
        Status.SENT,
        2,
        1,
    )
    assert emails_of(announcement) == [(agent.email, "sent"), (coordinator.email, "sent")]
    message = next(m for m in mail.outbox if m.to == [agent.email])
    assert message.subject == "Kick-off at 10:00"
    assert "Coffee in the **atrium**." in message.body
    html = message.alternatives[0][0]
    assert "Coffee in the <strong>atrium</strong>." in html
    entry = AuditEntry.objects.get(action="announcement.sent")
    assert entry.detail == {"recipients": 2, "opted_out": 1, "chat_posts": 0}


def test_send_task_twice_sends_once(coordinator, agent, django_capture_on_commit_callbacks):
    announcement = draft(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send_now(by=coordinator, announcement=announcement)
        announcement_send.apply(args=[announcement.pk], throw=True)
        announcement_send.apply(args=[announcement.pk], throw=True)
    assert Delivery.objects.filter(kind="coordinator_announcement").count() == 2
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="announcement.sent").count() == 1


def test_send_now_to_nobody_is_refused(coordinator):
    coordinator_only = draft(coordinator, everyone=False, roles=[Role.AGENT])
    with pytest.raises(ValidationError, match="Nobody would receive it"):
        services.announcement_send_now(by=coordinator, announcement=coordinator_only)


def test_sent_announcement_is_read_only(coordinator, agent, django_capture_on_commit_callbacks):
    announcement = draft(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send_now(by=coordinator, announcement=announcement)
    announcement.refresh_from_db()
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.announcement_update(
            by=coordinator, announcement=announcement, subject="New", body="New body"
        )
    with pytest.raises(ValidationError):
        services.announcement_schedule(
            by=coordinator, announcement=announcement, send_at=timezone.now() + datetime.timedelta(days=1)
        )


def test_post_to_chat_queues_one_post_per_announcements_webhook(
    coordinator, agent, django_capture_on_commit_callbacks
):
    outbox_services.chat_webhook_create(
        by=coordinator,
        name="News",
        service="slack",
        url="https://hooks.slack.com/s/T/B/x1",
        topics=["announcements"],
    )
    outbox_services.chat_webhook_create(
        by=coordinator,
        name="Awards only",
        service="teams",
        url="https://x.webhook.office.com/a",
        topics=["awards"],
    )
    announcement = draft(
        coordinator, body="Coffee in the **atrium** <script>x()</script>.", post_to_chat=True
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.announcement_send_now(by=coordinator, announcement=announcement)
    assert services.announcement_deliver(announcement_id=announcement.pk) == 2
    [post] = Delivery.objects.filter(channel="chat")
    assert (post.kind, post.occurrence, post.object_id) == (
        "chat_announcements",
        f"announcement:{announcement.pk}",
        ChatWebhook.objects.get(name="News").pk,
    )
    assert post.payload == {
        "title": "Kick-off at 10:00",
        "text": "Coffee in the atrium .",
        "url": "http://localhost:8000/",
    }


def test_chat_post_text_is_plain_text_not_html_entities(
    coordinator, agent, django_capture_on_commit_callbacks
):
    outbox_services.chat_webhook_create(
        by=coordinator,
        name="News",
        service="slack",
        url="https://hooks.slack.com/s/T/B/x1",
        topics=["announcements"],
    )
    announcement = draft(coordinator, body='Tom & Jerry: 3 < 4 > 2, it\'s "on".', post_to_chat=True)
    with django_capture_on_commit_callbacks(execute=False):
        services.announcement_send_now(by=coordinator, announcement=announcement)
    services.announcement_deliver(announcement_id=announcement.pk)
    [post] = Delivery.objects.filter(channel="chat")
    assert post.payload["text"] == 'Tom & Jerry: 3 < 4 > 2, it\'s "on".'


# --- Scheduling ------------------------------------------------------------------------------


def test_scheduled_announcement_goes_once_when_due(coordinator, agent):
    with time_machine.travel("2031-10-01 08:00Z", tick=False):
        announcement = draft(coordinator)
        services.announcement_schedule(
            by=coordinator, announcement=announcement, send_at=timezone.now() + datetime.timedelta(hours=2)
        )
    with time_machine.travel("2031-10-01 09:59Z", tick=False):
        assert announcements_due.apply(throw=True).result == 0
    assert Announcement.objects.get().status == Status.SCHEDULED
    with time_machine.travel("2031-10-01 10:00Z", tick=False):
        assert announcements_due.apply(throw=True).result == 1
        assert announcements_due.apply(throw=True).result == 0
    announcement.refresh_from_db()
    assert (announcement.status, announcement.sent_at) == (
        Status.SENT,
        datetime.datetime(2031, 10, 1, 10, 0, tzinfo=datetime.UTC),
    )
    assert len(emails_of(announcement)) == 2


def test_cancelled_schedule_is_not_sent(coordinator, agent):
    with time_machine.travel("2031-10-01 08:00Z", tick=False):
        announcement = draft(coordinator)
        services.announcement_schedule(
            by=coordinator, announcement=announcement, send_at=timezone.now() + datetime.timedelta(hours=1)
        )
        services.announcement_cancel(by=coordinator, announcement=announcement)
    with time_machine.travel("2031-10-01 10:00Z", tick=False):
        assert announcements_due.apply(throw=True).result == 0
    announcement.refresh_from_db()
    assert (announcement.status, announcement.scheduled_at) == (Status.DRAFT, None)
    assert Delivery.objects.count() == 0
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "announcement.created",
        "announcement.scheduled",
        "announcement.cancelled",
    ]


def test_schedule_in_the_past_is_refused(coordinator):
    announcement = draft(coordinator)
    with pytest.raises(ValidationError) as error:
        services.announcement_schedule(
            by=coordinator, announcement=announcement, send_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    assert error.value.message_dict == {"send_at": ["Choose a moment in the future, or send it now."]}


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_keeps_safe_tags_and_drops_the_rest():
    html = render_markdown(
        "## Plan\n\n**Bold** [site](https://example.com) [bad](javascript:alert(1)) "
        '<img src=x onerror="alert(1)"><script>alert(2)</script>\n\n- one'
    )
    assert html == (
        "<h2>Plan</h2>\n"
        '<p><strong>Bold</strong> <a href="https://example.com" rel="noopener noreferrer">site</a> '
        '<a rel="noopener noreferrer">bad</a> </p>\n'
        "<ul>\n<li>one</li>\n</ul>"
    )


def test_markdown_for_email_makes_relative_links_absolute():
    assert render_markdown("[wall](/wall/)", base_url="https://csweek.example.com/") == (
        '<p><a href="https://csweek.example.com/wall/" rel="noopener noreferrer">wall</a></p>'
    )


# --- Views -------------------------------------------------------------------------------------


def test_composer_then_preview_says_how_many_it_will_email(client, coordinator, agent):
    AgentFactory(opted_out=["email_announcements"])
    client.force_login(coordinator)
    response = client.post(
        reverse("recognition:announcement_new"),
        {"subject": "Hello <team>", "body": "*Hi* <b onclick=x>there</b>", "audience_everyone": "on"},
    )
    announcement = Announcement.objects.get()
    assert response.url == reverse("recognition:announcement_detail", args=[announcement.pk])
    body = client.get(response.url).content.decode()
    assert "This will email 2 people" in body
    assert "1 more is left out because they switched announcements off" in body
    assert "<h1>Hello &lt;team&gt;</h1>" in body
    assert "<em>Hi</em> <b>there</b>" not in body  # b is not an allowed tag
    assert "<em>Hi</em> there" in body
    assert "<b onclick" not in body
    assert "*Hi* &lt;b onclick=x&gt;there&lt;/b&gt;" in body  # the text part, escaped
    html = client.get(reverse("recognition:announcement_preview_html", args=[announcement.pk]))
    assert sorted(html["Content-Security-Policy"].split("; ")) == [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "img-src 'self' data:",
        "style-src 'unsafe-inline'",
    ]
    html = html.content.decode()
    assert "<em>Hi</em> there" in html
    assert "<b onclick" not in html


def test_composer_without_audience_keeps_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("recognition:announcement_new"), {"subject": "Typed", "body": "Kept body"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose who receives it" in body
    assert 'value="Typed"' in body
    assert "Kept body</textarea>" in body
    assert Announcement.objects.count() == 0


def test_schedule_view_reads_the_moment_in_the_coordinators_zone(client, coordinator):
    coordinator.time_zone = "America/New_York"
    coordinator.save()
    with time_machine.travel("2031-10-01 08:00Z", tick=False):
        announcement = draft(coordinator)
        client.force_login(coordinator)
        response = client.post(
            reverse("recognition:announcement_schedule", args=[announcement.pk]),
            {"send_at": "2031-10-02T09:30"},
        )
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.scheduled_at == datetime.datetime(2031, 10, 2, 13, 30, tzinfo=datetime.UTC)


def test_schedule_view_bad_moment_says_what_to_fix(client, coordinator):
    announcement = draft(coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("recognition:announcement_schedule", args=[announcement.pk]), {"send_at": "soon"}
    )
    assert response.status_code == 200
    assert "Enter a valid date/time." in response.content.decode()
    assert Announcement.objects.get().status == Status.DRAFT


def test_edit_of_a_sent_announcement_redirects_with_a_message(client, coordinator, agent):
    announcement = draft(coordinator)
    Announcement.objects.filter(pk=announcement.pk).update(status=Status.SENT, sent_at=timezone.now())
    client.force_login(coordinator)
    response = client.post(
        reverse("recognition:announcement_edit", args=[announcement.pk]),
        {"subject": "Changed", "body": "x", "audience_everyone": "on"},
    )
    assert response.status_code == 302
    assert Announcement.objects.get().subject == "Kick-off at 10:00"


def test_agent_gets_403_on_announcements(client, agent):
    client.force_login(agent)
    assert client.get(reverse("recognition:announcement_list")).status_code == 403


@pytest.mark.parametrize("count", [3, 300])
def test_announcement_list_query_count_is_flat(client, coordinator, count, django_assert_max_num_queries):
    team = TeamFactory()
    for n in range(count):
        announcement = Announcement.objects.create(
            subject=f"News {n}", body="x", created_by=coordinator, audience_everyone=False
        )
        announcement.audience_teams.add(team)
    client.force_login(coordinator)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("recognition:announcement_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == count


def test_announcement_list_shows_delivery_counts_from_the_outbox(client, coordinator, agent, manager):
    announcement = draft(coordinator)
    Announcement.objects.filter(pk=announcement.pk).update(
        status=Status.SCHEDULED, scheduled_at=timezone.now()
    )
    services.announcement_deliver(announcement_id=announcement.pk)
    first, second, _third = Delivery.objects.filter(object_id=announcement.pk).order_by("pk")
    Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENT)
    Delivery.objects.filter(pk=second.pk).update(status=Delivery.Status.FAILED)
    client.force_login(coordinator)
    response = client.get(reverse("recognition:announcement_list"))
    [row] = response.context["page"]
    assert row.counts == {"queued": 1, "sent": 1, "failed": 1, "skipped": 0}
    assert "?kind=coordinator_announcement&amp;status=failed" in response.content.decode()


@pytest.mark.parametrize(
    ("zone", "typed"),
    [
        ("America/New_York", "9999-12-31T23:30"),
        ("Asia/Tokyo", "0001-01-01T00:30"),
        ("UTC", "2040-01-01T09:00"),
    ],
)
def test_schedule_view_refuses_a_moment_out_of_range_without_an_error(client, coordinator, zone, typed):
    coordinator.time_zone = zone
    coordinator.save()
    with time_machine.travel("2031-10-01 08:00Z", tick=False):
        announcement = draft(coordinator)
        client.force_login(coordinator)
        response = client.post(
            reverse("recognition:announcement_schedule", args=[announcement.pk]), {"send_at": typed}
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose a moment within the coming year." in body or "Choose a moment in the future" in body
    assert Announcement.objects.get().status == Status.DRAFT
