"""Chat posts: the topics a webhook can subscribe to, the JSON Slack and Teams expect, and the
HTTP POST itself (standard library, a timeout, no redirects) with transient and permanent errors
told apart the way the send loop needs them."""

import contextlib
import email.utils
import http.client
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from outbox.models import WEBHOOK_URL_MAX_LENGTH

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topic:
    key: str
    label: str

    @property
    def field(self) -> str:
        """The ChatWebhook boolean that subscribes a webhook to this topic."""
        return f"topic_{self.key}"

    @property
    def kind(self) -> str:
        """The delivery kind of this topic's posts (shown and filtered in /deliveries/)."""
        return f"chat_{self.key}"


TOPICS = {
    topic.key: topic
    for topic in (
        Topic("awards", "Award announcements"),
        Topic("theme_of_the_day", "Theme of the day"),
        Topic("announcements", "Announcements"),
    )
}

# Slack: a header holds at most 150 characters, a section 3,000; Teams has no hard limit but a
# channel is no place for an essay either.
TITLE_MAX = 150
TEXT_MAX = 3000


def get_topic(key: str) -> Topic:
    try:
        return TOPICS[key]
    except KeyError:
        raise ValueError(f"No chat topic {key!r}; choose one of {', '.join(TOPICS)}.") from None


def _insecure_hosts() -> set[str]:
    # Only for a local test sink: production webhooks are https.
    return set(getattr(settings, "CHAT_WEBHOOK_INSECURE_HOSTS", []))


# IPv6 prefixes that carry an IPv4 address in their last 32 bits (RFC 6052 NAT64).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """On the public internet, and for IPv6 not a wrapper (IPv4-mapped, 6to4, Teredo, NAT64) around
    an IPv4 address that is not."""
    if not address.is_global:
        return False
    if address.version == 4:
        return True
    embedded = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in _NAT64:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return all(inner is None or inner.is_global for inner in embedded)


def _public_address(host: str) -> bool:
    """False for an IP address that is not on the public internet; True for any other host."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return _is_public(address)


def validate_webhook_url(url: str) -> str:
    """The URL, stripped, if it may receive posts; a ValidationError saying what to fix otherwise."""
    url = (url or "").strip()
    if not url:
        raise ValidationError("Paste the webhook's URL.")
    if len(url) > WEBHOOK_URL_MAX_LENGTH:
        raise ValidationError(
            f"This URL has {len(url)} characters; a webhook URL has at most {WEBHOOK_URL_MAX_LENGTH}."
        )
    if any(ch.isspace() for ch in url) or any(ord(ch) < 32 for ch in url):
        raise ValidationError("A webhook URL has no spaces or line breaks.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError("This is not a valid URL.") from None
    host = parts.hostname or ""
    if parts.scheme != "https" and not (parts.scheme == "http" and host in _insecure_hosts()):
        raise ValidationError("The webhook URL must start with https:// (posts are never sent unencrypted).")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError("The URL must not contain a user name or password.")
    if "." not in host or host.startswith(".") or host.endswith("."):
        raise ValidationError("The URL's host must be a full domain name, such as hooks.slack.com.")
    if host not in _insecure_hosts() and not _public_address(host):
        # The server posts from inside the network: never to its own machines (metadata service,
        # databases, admin consoles) through an address typed here.
        raise ValidationError(
            "The URL's host must be a public domain name, such as hooks.slack.com, not a private address."
        )
    if port == 0:
        raise ValidationError("This is not a valid URL.")
    return url


def mask_url(url: str) -> str:
    """What pages show of a webhook URL: its host and the last four characters."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "••••"
    return f"{parts.scheme}://{parts.hostname}/••••{url[-4:]}"


# --- Payloads ----------------------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    """Slack's mrkdwn treats &, < and > as control characters: escape exactly those."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def slack_payload(*, title: str, text: str, url: str, footer: str) -> dict:
    """Block Kit: a header, the text with a link button, and a context line; `text` is the fallback
    notifications and old clients show."""
    title, text = _cut(title, TITLE_MAX), _cut(text, TEXT_MAX)
    section: dict = {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(text) or " "}}
    if url:
        section["accessory"] = {
            "type": "button",
            "text": {"type": "plain_text", "text": "Open", "emoji": False},
            "url": url,
            "action_id": "open",
        }
    return {
        "text": _slack_escape(f"{title}: {text}" if text else title),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}},
            section,
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(footer)}]},
        ],
    }


def _teams_text(text: str, **style) -> dict:
    """A paragraph shown as typed. A TextBlock would read its text as Markdown (a link typed in a
    story would become a link in the channel); a RichTextBlock's TextRun never does."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def teams_payload(*, title: str, text: str, url: str, footer: str) -> dict:
    """An Adaptive Card inside a `message` attachment, as Teams incoming webhooks and Workflows take."""
    title, text = _cut(title, TITLE_MAX), _cut(text, TEXT_MAX)
    card: dict = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            _teams_text(title, weight="Bolder", size="Medium"),
            *([_teams_text(text)] if text else []),
            _teams_text(footer, isSubtle=True, size="Small"),
        ],
    }
    if url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open", "url": url}]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }


def generic_payload(*, title: str, text: str, url: str, footer: str) -> dict:
    """Slack's plain `text` (which Mattermost, Rocket.Chat and most chat tools accept) plus the
    parts as fields, for anything else that reads JSON."""
    title, text = _cut(title, TITLE_MAX), _cut(text, TEXT_MAX)
    lines = [title, text, url]
    return {
        "text": "\n".join(line for line in lines if line),
        "title": title,
        "body": text,
        "url": url,
        "footer": footer,
    }


PAYLOADS = {"slack": slack_payload, "teams": teams_payload, "generic": generic_payload}


def payload_for(*, service: str, title: str, text: str, url: str, footer: str) -> dict:
    return PAYLOADS[service](title=title, text=text, url=url, footer=footer)


# --- Transport ---------------------------------------------------------------------------------


class ChatPostError(Exception):
    """A post that did not go through; `permanent` when sending it again cannot succeed."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook answers, it does not send us elsewhere: a redirect is refused, never followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx code


def _checked_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, once every one of them is public; ChatPostError (permanent)
    otherwise. The addresses stay in the log, not in the error a coordinator reads on the page, so
    webhooks cannot be used to look up the internal network's names."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    private = [ip for ip in addresses if not _is_public(ipaddress.ip_address(ip))]
    if private:
        logger.warning("chat webhook host %s resolves to non-public %s: not posted", host, ", ".join(private))
        raise ChatPostError(
            f"The webhook's host {host} resolves to a private address; "
            "posts go only to hosts on the public internet.",
            permanent=True,
        )
    return addresses


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to public addresses only.

    The URL's form refuses private addresses typed as such; a name can still resolve to one (an
    internal host, or DNS answering differently the second time). Every address the name resolves
    to must be public, and the socket goes to those checked addresses, in order, never through a
    second lookup. TLS still verifies the certificate against the name (HTTPSConnection.connect
    wraps this socket with `server_hostname` = the name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self._create_connection  # HTTPConnection sets socket.create_connection; use the method below

    def _create_connection(self, address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
        if self._tunnel_host:
            # Through the operator's proxy (HTTPS_PROXY) the proxy connects. A name this machine
            # resolves to a private address is still refused; one it cannot resolve is the proxy's.
            with contextlib.suppress(socket.gaierror):
                _checked_addresses(self._tunnel_host, self._tunnel_port or 443)
            return socket.create_connection(address, timeout, source_address)
        host, port = address
        try:
            addresses = _checked_addresses(host, port)
        except socket.gaierror as error:
            raise OSError(f"cannot resolve {host}: {error.strerror or error}") from None
        last_error: OSError | None = None
        for ip in addresses:
            try:
                return socket.create_connection((ip, port), timeout, source_address)
            except OSError as error:
                last_error = error
        raise last_error or OSError(f"cannot resolve {host}")


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    """HTTPS that connects only to public addresses (see _PublicHTTPSConnection)."""

    def https_open(self, req):
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def timeout() -> float:
    return float(getattr(settings, "CHAT_WEBHOOK_TIMEOUT", 10.0))


def post(url: str, payload: dict) -> int:
    """POST `payload` as JSON to `url`; the HTTP status on success, else ChatPostError."""
    try:
        validate_webhook_url(url)
    except ValidationError as error:
        raise ChatPostError(" ".join(error.messages), permanent=True) from None
    request = urllib.request.Request(  # noqa: S310 -- the scheme is checked above (https only)
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "csweek"},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirects, _PublicHTTPSHandler)
    try:
        with opener.open(request, timeout=timeout()) as response:
            response.read(1024)
            return response.status
    except urllib.error.HTTPError as error:
        code = error.code
        if code == 429 or code == 408 or code >= 500:
            raise ChatPostError(
                f"HTTP {code} from the webhook",
                permanent=False,
                retry_after=_retry_after(error.headers.get("Retry-After")),
            ) from None
        if 300 <= code < 400:
            raise ChatPostError(
                f"HTTP {code}: the webhook redirects elsewhere; redirects are not followed. Check its URL.",
                permanent=True,
            ) from None
        raise ChatPostError(
            f"HTTP {code} from the webhook: check its URL (it may have been removed).", permanent=True
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ChatPostError(f"Cannot reach the webhook: {reason}", permanent=False) from None
