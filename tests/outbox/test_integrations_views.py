"""/integrations/: coordinators add, change and remove Slack and Teams webhooks; the URL is a
secret that pages show masked; bad input is refused with the text kept."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from outbox import services
from outbox.models import ChatWebhook, Delivery

pytestmark = pytest.mark.django_db

SECRET = "https://hooks.slack.com/services/T0000/B0000/S3cr3tT0k3nXyZ9"


def test_add_webhook_then_the_list_shows_it_masked(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("outbox:chat_webhook_add"),
        {
            "name": "Slack <#front-line>",
            "service": "slack",
            "url": SECRET,
            "topics": ["awards", "announcements"],
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    webhook = ChatWebhook.objects.get()
    assert (
        webhook.url,
        webhook.topic_awards,
        webhook.topic_theme_of_the_day,
        webhook.topic_announcements,
    ) == (
        SECRET,
        True,
        False,
        True,
    )
    body = client.get(reverse("outbox:chat_webhook_list")).content.decode()
    assert "S3cr3tT0k3n" not in body
    assert "https://hooks.slack.com/••••XyZ9" in body
    assert "Slack &lt;#front-line&gt;" in body
    assert "Award announcements, Announcements" in body
    edit = client.get(reverse("outbox:chat_webhook_edit", args=[webhook.pk])).content.decode()
    assert "S3cr3tT0k3n" not in edit


def test_add_webhook_plain_http_is_refused_and_keeps_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("outbox:chat_webhook_add"),
        {"name": "Teams ops", "service": "teams", "url": "http://example.com/hook", "topics": ["awards"]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The webhook URL must start with https://" in body
    assert 'value="Teams ops"' in body
    assert ChatWebhook.objects.count() == 0


def test_edit_with_empty_url_keeps_the_saved_one(client, coordinator):
    webhook = services.chat_webhook_create(
        by=coordinator, name="A", service="slack", url=SECRET, topics=["awards"]
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("outbox:chat_webhook_edit", args=[webhook.pk]),
        {"name": "B", "service": "teams", "url": "", "topics": ["theme_of_the_day"]},
    )
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.name, webhook.service, webhook.url, webhook.enabled, webhook.topic_theme_of_the_day) == (
        "B",
        "teams",
        SECRET,
        False,
        True,
    )


def test_remove_asks_first_then_removes(client, coordinator):
    webhook = services.chat_webhook_create(
        by=coordinator, name="Gone", service="slack", url=SECRET, topics=["awards"]
    )
    client.force_login(coordinator)
    page = client.get(reverse("outbox:chat_webhook_remove", args=[webhook.pk])).content.decode()
    assert "Remove the webhook “Gone”?" in page
    assert ChatWebhook.objects.count() == 1
    assert client.post(reverse("outbox:chat_webhook_remove", args=[webhook.pk])).status_code == 302
    assert ChatWebhook.objects.count() == 0
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "webhook.added",
        "webhook.removed",
    ]


def test_agent_cannot_see_or_add_webhooks(client, agent):
    client.force_login(agent)
    assert client.get(reverse("outbox:chat_webhook_list")).status_code == 403
    response = client.post(
        reverse("outbox:chat_webhook_add"), {"name": "x", "service": "slack", "url": SECRET}
    )
    assert response.status_code == 403
    assert ChatWebhook.objects.count() == 0


def test_failed_chat_posts_are_filterable_in_deliveries(client, coordinator):
    webhook = services.chat_webhook_create(
        by=coordinator, name="Ops", service="slack", url=SECRET, topics=["awards"]
    )
    services.chat_posts_queue(topic="awards", key="award:1", title="T", text="x", url="")
    Delivery.objects.filter(object_id=webhook.pk).update(
        status=Delivery.Status.FAILED, last_error="HTTP 404 from the webhook"
    )
    client.force_login(coordinator)
    response = client.get(reverse("outbox:delivery_list"), {"kind": "chat_awards", "status": "failed"})
    assert [(d.kind, d.address, d.last_error) for d in response.context["page"]] == [
        ("chat_awards", "Slack: Ops", "HTTP 404 from the webhook")
    ]
    assert "Chat: award announcements" in response.content.decode()


@pytest.mark.parametrize("count", [3, 300])
def test_webhook_list_query_count_is_flat(client, coordinator, count, django_assert_max_num_queries):
    ChatWebhook.objects.bulk_create(
        ChatWebhook(name=f"Hook {n:03}", url=f"https://hooks.slack.com/services/T/B/{n:04}")
        for n in range(count)
    )
    client.force_login(coordinator)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("outbox:chat_webhook_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == count
    assert len(response.context["page"].object_list) == min(count, 50)
