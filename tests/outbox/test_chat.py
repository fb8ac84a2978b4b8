"""Chat posts: queued once per webhook and key, posted to a local sink as Slack / Teams JSON,
retried on timeouts, 5xx and 429, failed at once on 4xx; webhook URLs checked and masked."""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from outbox import chat, services
from outbox.models import ChatWebhook, Delivery
from outbox.tasks import send_deliveries

pytestmark = pytest.mark.django_db

Status = Delivery.Status


def add_webhook(by, url, *, service="slack", topics=("awards",), name="Front line", enabled=True):
    return services.chat_webhook_create(
        by=by, name=name, service=service, url=url, topics=list(topics), enabled=enabled
    )


def queue(**overrides):
    fields = {
        "topic": "awards",
        "key": "award:7",
        "title": "Customer Hero: Ana <Silva>",
        "text": "For staying late & fixing the outage.",
        "url": "/wall/7/",
    }
    return services.chat_posts_queue(**{**fields, **overrides})


# --- Queueing ----------------------------------------------------------------------------------


def test_chat_posts_queue_one_per_subscribed_enabled_webhook(coordinator, django_capture_on_commit_callbacks):
    slack = add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd")
    teams = add_webhook(
        coordinator, "https://example.webhook.office.com/hook/1234", service="teams", name="Teams"
    )
    add_webhook(coordinator, "https://hooks.slack.com/services/T/B/off1", enabled=False, name="Off")
    add_webhook(
        coordinator, "https://hooks.slack.com/services/T/B/them", topics=["theme_of_the_day"], name="Themes"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert queue() == 2
    assert len(callbacks) == 1
    rows = Delivery.objects.order_by("object_id")
    assert [(d.object_id, d.kind, d.occurrence, d.channel, d.status) for d in rows] == [
        (slack.pk, "chat_awards", "award:7", "chat", "pending"),
        (teams.pk, "chat_awards", "award:7", "chat", "pending"),
    ]
    assert rows[0].payload == {
        "title": "Customer Hero: Ana <Silva>",
        "text": "For staying late & fixing the outage.",
        "url": "http://localhost:8000/wall/7/",
    }
    assert rows[0].address == "Slack: Front line"


def test_chat_posts_queue_twice_queues_once(coordinator, django_capture_on_commit_callbacks):
    add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd")
    with django_capture_on_commit_callbacks() as callbacks:
        assert queue() == 1
        assert queue() == 0
    assert Delivery.objects.count() == 1
    assert len(callbacks) == 1


def test_chat_posts_queue_nobody_subscribed_writes_nothing(coordinator):
    add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd", topics=["announcements"])
    assert queue() == 0
    assert Delivery.objects.count() == 0


def test_chat_posts_queue_unknown_topic_is_refused():
    with pytest.raises(ValueError, match="No chat topic 'weather'"):
        queue(topic="weather")


# --- Sending to a local sink -------------------------------------------------------------------


def test_send_posts_slack_block_kit_to_the_sink(coordinator, chat_sink):
    add_webhook(coordinator, chat_sink.url())
    queue()
    ids = list(Delivery.objects.values_list("pk", flat=True))
    result = services.deliveries_send(ids=ids)
    assert (result.sent, result.failed, result.retry_ids) == (1, 0, [])
    [request] = chat_sink.requests
    assert request["path"] == "/services/T000/B000/XXXX"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["json"] == {
        "text": "Customer Hero: Ana &lt;Silva&gt;: For staying late &amp; fixing the outage.",
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": "Customer Hero: Ana <Silva>", "emoji": True},
            },
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "For staying late &amp; fixing the outage."},
                "accessory": {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open", "emoji": False},
                    "url": "http://localhost:8000/wall/7/",
                    "action_id": "open",
                },
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "Customer Service Week · csweek"}]},
        ],
    }
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.payload) == (Status.SENT, 1, {})
    assert delivery.sent_at is not None


def test_send_posts_a_teams_adaptive_card_in_a_message(coordinator, chat_sink):
    add_webhook(coordinator, chat_sink.url("/workflows/1"), service="teams")
    queue()
    services.deliveries_send(ids=list(Delivery.objects.values_list("pk", flat=True)))
    [request] = chat_sink.requests
    body = request["json"]
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    # RichTextBlocks: Teams reads a TextBlock's text as Markdown, a TextRun's as typed.
    assert {block["type"] for block in card["body"]} == {"RichTextBlock"}
    assert [run["text"] for block in card["body"] for run in block["inlines"]] == [
        "Customer Hero: Ana <Silva>",
        "For staying late & fixing the outage.",
        "Customer Service Week · csweek",
    ]
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Open", "url": "http://localhost:8000/wall/7/"}
    ]


def test_teams_card_shows_markdown_typed_in_a_story_as_typed():
    story = "Said [thanks](https://phish.example.com) and **more**"
    card = chat.teams_payload(title="Award", text=story, url="", footer="csweek")["attachments"][0]["content"]
    runs = [run for block in card["body"] for run in block["inlines"]]
    assert [run["text"] for run in runs] == ["Award", story, "csweek"]
    assert all(block["type"] == "RichTextBlock" for block in card["body"])
    assert "actions" not in card
    no_text = chat.teams_payload(title="Award", text="  ", url="", footer="csweek")["attachments"][0][
        "content"
    ]
    assert [block["inlines"][0]["text"] for block in no_text["body"]] == ["Award", "csweek"]


def test_send_task_twice_posts_once(coordinator, chat_sink):
    add_webhook(coordinator, chat_sink.url())
    queue()
    ids = list(Delivery.objects.values_list("pk", flat=True))
    send_deliveries.apply(args=[ids], throw=True)
    send_deliveries.apply(args=[ids], throw=True)
    assert len(chat_sink.requests) == 1
    assert Delivery.objects.get().status == Status.SENT


def test_send_server_error_retries_with_backoff_then_sends(coordinator, chat_sink, settings):
    settings.OUTBOX_RETRY_BACKOFF = 4
    add_webhook(coordinator, chat_sink.url())
    queue()
    [pk] = Delivery.objects.values_list("pk", flat=True)
    chat_sink.answers = [(503, {})]
    result = services.deliveries_send(ids=[pk])
    delivery = Delivery.objects.get()
    assert (result.sent, result.retry_ids) == (0, [pk])
    assert 2 <= result.retry_in <= 4
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        Status.PENDING,
        1,
        "HTTP 503 from the webhook",
    )
    result = services.deliveries_send(ids=[pk])
    delivery.refresh_from_db()
    assert (result.sent, delivery.status, delivery.attempts) == (1, Status.SENT, 2)
    assert len(chat_sink.requests) == 2


def test_send_rate_limited_waits_for_retry_after(coordinator, chat_sink):
    add_webhook(coordinator, chat_sink.url())
    queue()
    [pk] = Delivery.objects.values_list("pk", flat=True)
    chat_sink.answers = [(429, {"Retry-After": "30"})]
    with time_machine.travel("2030-10-07 09:00Z", tick=False):
        result = services.deliveries_send(ids=[pk])
        delivery = Delivery.objects.get()
        assert result.retry_in == 30
        assert delivery.queued_at == timezone.now() + timedelta(seconds=30)
    assert (delivery.status, delivery.last_error) == (Status.PENDING, "HTTP 429 from the webhook")


def test_send_client_error_fails_at_once(coordinator, chat_sink):
    add_webhook(coordinator, chat_sink.url())
    queue()
    [pk] = Delivery.objects.values_list("pk", flat=True)
    chat_sink.answers = [(404, {})]
    result = services.deliveries_send(ids=[pk])
    delivery = Delivery.objects.get()
    assert (result.failed, result.retry_ids) == (1, [])
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 1)
    assert delivery.last_error == "HTTP 404 from the webhook: check its URL (it may have been removed)."


def test_send_redirect_is_not_followed(coordinator, chat_sink):
    add_webhook(coordinator, chat_sink.url())
    queue()
    chat_sink.answers = [(302, {"Location": "https://elsewhere.example.com/steal"})]
    services.deliveries_send(ids=list(Delivery.objects.values_list("pk", flat=True)))
    delivery = Delivery.objects.get()
    assert delivery.status == Status.FAILED
    assert delivery.last_error.startswith("HTTP 302: the webhook redirects elsewhere")
    assert len(chat_sink.requests) == 1


def test_send_unreachable_webhook_is_transient_and_fails_after_the_last_attempt(
    coordinator, chat_sink, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    add_webhook(coordinator, chat_sink.url())
    queue()
    [pk] = Delivery.objects.values_list("pk", flat=True)
    chat_sink.server.server_close()  # nothing listens any more: connection refused
    services.deliveries_send(ids=[pk])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)
    assert delivery.last_error.startswith("Cannot reach the webhook")
    services.deliveries_send(ids=[pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 2)


def test_send_timeout_is_transient(coordinator, settings, monkeypatch):
    add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd")
    queue()

    def slow(self, request, timeout):
        assert timeout == settings.CHAT_WEBHOOK_TIMEOUT
        raise TimeoutError("timed out")

    monkeypatch.setattr("urllib.request.OpenerDirector.open", slow)
    result = services.deliveries_send(ids=list(Delivery.objects.values_list("pk", flat=True)))
    delivery = Delivery.objects.get()
    assert (len(result.retry_ids), delivery.status, delivery.last_error) == (
        1,
        Status.PENDING,
        "Cannot reach the webhook: timed out",
    )


REAL_GETADDRINFO, REAL_CREATE_CONNECTION = socket.getaddrinfo, socket.create_connection
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy")


class _Network:
    """DNS answers and connections for one webhook host, faked; every other host (the database,
    Redis) goes to the real ones. `answers` come in turn (the last one again after them); none: the
    name does not resolve. Every connection is recorded in `attempts`; one to a faked address is
    then refused (`refused`), or given an unconnected socket (`tls`, to see the TLS step). Proxies
    from the environment are cleared; a test sets its own."""

    def __init__(self, monkeypatch, host: str, *answers: list[str], tls: bool = False):
        self.host, self.answers, self.tls = host, list(answers), tls
        self.faked = {ip for answer in answers for ip in answer}
        self.lookups = 0
        self.attempts: list[tuple] = []
        for name in PROXY_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setattr("socket.getaddrinfo", self.getaddrinfo)
        monkeypatch.setattr("socket.create_connection", self.create_connection)

    @property
    def connected(self) -> list[tuple]:
        return [address for address in self.attempts if address[0] in self.faked]

    def getaddrinfo(self, host, port, *args, **kwargs):
        if host != self.host:
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        if not self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answer = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in answer
        ]

    def create_connection(self, address, *args, **kwargs):
        self.attempts.append(tuple(address))
        if address[0] not in self.faked:
            return REAL_CREATE_CONNECTION(address, *args, **kwargs)
        if self.tls:
            return socket.socket()
        raise ConnectionRefusedError("refused")


def send_all() -> Delivery:
    services.deliveries_send(ids=list(Delivery.objects.values_list("pk", flat=True)))
    return Delivery.objects.get()


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.0.0.5"],
        ["169.254.169.254"],
        ["127.0.0.1"],
        ["93.184.216.34", "192.168.1.20"],
        ["::ffff:10.0.0.1"],
        ["64:ff9b::a00:5"],  # NAT64 of 10.0.0.5
        ["2002:a00:5::1"],  # 6to4 around 10.0.0.5
    ],
)
def test_send_to_a_name_resolving_to_a_private_address_fails_at_once_without_connecting(
    coordinator, monkeypatch, addresses
):
    add_webhook(coordinator, "https://hooks.internal-example.com/services/T/B/abcd")
    queue()
    network = _Network(monkeypatch, "hooks.internal-example.com", addresses)
    delivery = send_all()
    assert delivery.status == Status.FAILED
    assert delivery.last_error == (
        "The webhook's host hooks.internal-example.com resolves to a private address; "
        "posts go only to hosts on the public internet."
    )
    assert (network.lookups, network.attempts) == (1, [])


def test_send_connects_to_the_address_it_checked_not_to_a_second_lookup(coordinator, monkeypatch):
    """A name answering a public address, then a private one (DNS rebinding), is reached on the first."""
    add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd")
    queue()
    network = _Network(monkeypatch, "hooks.slack.com", ["93.184.216.34"], ["10.0.0.5"])
    delivery = send_all()
    assert (delivery.status, network.lookups, network.attempts) == (
        Status.PENDING,
        1,
        [("93.184.216.34", 443)],
    )
    assert delivery.last_error.startswith("Cannot reach the webhook")


def test_send_tries_each_checked_address_in_turn(coordinator, monkeypatch):
    add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd")
    queue()
    network = _Network(monkeypatch, "hooks.slack.com", ["2606:4700::1", "93.184.216.34"])
    delivery = send_all()
    assert network.attempts == [("2606:4700::1", 443), ("93.184.216.34", 443)]
    assert (delivery.status, delivery.last_error) == (Status.PENDING, "Cannot reach the webhook: refused")


def test_send_checks_the_certificate_against_the_name_not_the_address(coordinator, monkeypatch):
    import ssl

    add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd")
    queue()
    network = _Network(monkeypatch, "hooks.slack.com", ["93.184.216.34"], tls=True)
    names = []

    def handshake(context, sock, *args, server_hostname=None, **kwargs):
        names.append((server_hostname, context.check_hostname, context.verify_mode))
        raise ssl.SSLCertVerificationError("certificate verify failed (in this test)")

    monkeypatch.setattr("ssl.SSLContext.wrap_socket", handshake)
    delivery = send_all()
    assert network.attempts == [("93.184.216.34", 443)]
    assert names == [("hooks.slack.com", True, ssl.CERT_REQUIRED)]
    assert delivery.status == Status.PENDING


def test_send_through_a_proxy_still_refuses_a_name_resolving_to_a_private_address(coordinator, monkeypatch):
    add_webhook(coordinator, "https://hooks.internal-example.com/services/T/B/abcd")
    queue()
    network = _Network(monkeypatch, "hooks.internal-example.com", ["10.0.0.5"])
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    delivery = send_all()
    assert delivery.status == Status.FAILED
    assert delivery.last_error.startswith(
        "The webhook's host hooks.internal-example.com resolves to a private"
    )
    assert network.attempts == []


def test_send_through_a_proxy_connects_to_the_proxy_for_a_public_name(coordinator, monkeypatch):
    add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd")
    queue()
    network = _Network(monkeypatch, "hooks.slack.com", ["93.184.216.34"])
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # the discard port: nothing listens
    delivery = send_all()
    assert network.attempts == [("127.0.0.1", 9)]
    assert (delivery.status, network.lookups) == (Status.PENDING, 1)


def test_send_to_a_name_that_does_not_resolve_is_transient(coordinator, monkeypatch):
    add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd")
    queue()
    _Network(monkeypatch, "hooks.slack.com")
    delivery = send_all()
    assert delivery.status == Status.PENDING
    assert delivery.last_error == (
        "Cannot reach the webhook: cannot resolve hooks.slack.com: Name or service not known"
    )


def test_send_removed_webhook_skips_its_pending_posts(coordinator, chat_sink):
    webhook = add_webhook(coordinator, chat_sink.url())
    queue()
    services.chat_webhook_delete(by=coordinator, webhook=webhook)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == (Status.SKIPPED, "The webhook was removed.")
    services.deliveries_send(ids=[delivery.pk])
    assert chat_sink.requests == []


def test_failed_post_can_be_retried_from_deliveries(coordinator, chat_sink):
    add_webhook(coordinator, chat_sink.url())
    queue()
    chat_sink.answers = [(400, {})]
    [pk] = Delivery.objects.values_list("pk", flat=True)
    services.deliveries_send(ids=[pk])
    services.delivery_retry(by=coordinator, delivery=Delivery.objects.get())
    services.deliveries_send(ids=[pk])
    assert Delivery.objects.get().status == Status.SENT


# --- Webhooks: validation, masking, permissions ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.slack.com/services/x", "The webhook URL must start with https://"),
        ("ftp://hooks.slack.com/x", "The webhook URL must start with https://"),
        ("https://localhost/hook", "The URL's host must be a full domain name"),
        ("https://user:secret@hooks.slack.com/x", "The URL must not contain a user name or password."),
        ("https://hooks.slack.com/" + "a" * 480, "This URL has 504 characters"),
        ("https://hooks.slack.com/a b", "A webhook URL has no spaces or line breaks."),
        ("", "Paste the webhook's URL."),
        ("https://169.254.169.254/latest/meta-data", "The URL's host must be a public domain name"),
        ("https://10.0.0.5/hooks/x", "The URL's host must be a public domain name"),
        ("https://127.0.0.1:8443/hook", "The URL's host must be a public domain name"),
    ],
)
def test_validate_webhook_url_refuses(url, message):
    with pytest.raises(ValidationError) as error:
        chat.validate_webhook_url(url)
    assert error.value.messages[0].startswith(message)


def test_validate_webhook_url_plain_http_is_refused_even_to_the_local_sink_without_the_setting():
    with pytest.raises(ValidationError):
        chat.validate_webhook_url("http://127.0.0.1:9/hook")


def test_mask_url_shows_host_and_last_four():
    assert (
        chat.mask_url("https://hooks.slack.com/services/T0/B0/SeCrEt1234")
        == "https://hooks.slack.com/••••1234"
    )


def test_webhook_create_by_agent_is_refused(agent):
    with pytest.raises(PermissionDenied):
        add_webhook(agent, "https://hooks.slack.com/services/T/B/abcd")


def test_webhook_update_keeps_url_when_blank_and_audits_masked(coordinator):
    webhook = add_webhook(coordinator, "https://hooks.slack.com/services/T/B/abcd")
    services.chat_webhook_update(
        by=coordinator,
        webhook=webhook,
        name="Renamed",
        service="slack",
        topics=["announcements"],
        enabled=True,
    )
    webhook.refresh_from_db()
    assert (webhook.url, webhook.name, webhook.topic_awards, webhook.topic_announcements) == (
        "https://hooks.slack.com/services/T/B/abcd",
        "Renamed",
        False,
        True,
    )
    added, changed = AuditEntry.objects.order_by("pk").values_list("action", "detail")
    assert added == (
        "webhook.added",
        {
            "name": "Front line",
            "service": "slack",
            "url": "https://hooks.slack.com/••••abcd",
            "enabled": True,
            "topics": ["awards"],
        },
    )
    assert changed == (
        "webhook.changed",
        {"name": ["Front line", "Renamed"], "topics": [["awards"], ["announcements"]]},
    )
    assert ChatWebhook.objects.count() == 1
