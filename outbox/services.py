"""The outbox: every email of csweek is a Delivery row, written here and sent by ``outbox.tasks``.

How an email travels
--------------------
1. A service calls ``deliveries_create`` inside its own transaction. The rows are inserted in bulk
   with ``ignore_conflicts``: the unique constraint on (recipient, kind, object, occurrence) makes
   a second run of the same code create nothing new.
2. After the commit, the ids are published to the broker in chunks of ``OUTBOX_CHUNK_SIZE`` (100).
   Publishing is bounded by the short broker timeouts in settings; when the broker is down the
   rows simply stay *pending* and the request goes on.
3. The send task claims its rows (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite the
   ``IMMEDIATE`` transaction makes the claim exclusive), marks them *sending*, opens ONE SMTP
   connection for the chunk, and for each row renders, sends and marks it *sent* (committed at
   once, with its Message-ID). A person who switched the kind off, or an email that no longer
   makes sense, is *skipped*, never failed.
4. SMTP and connection errors put the rows back to *pending* with the attempt counted and the
   error kept, and the task retries with exponential backoff and jitter; after
   ``OUTBOX_MAX_ATTEMPTS`` a row is *failed* (coordinators retry it from /deliveries/).
5. The sweep (Celery beat, every minute) publishes again every pending row whose task was never
   published or is overdue, and returns rows stuck in *sending* for longer than
   ``OUTBOX_SENDING_TIMEOUT`` to *pending*.

The guarantee
-------------
Nothing is lost: a delivery is committed with the data that asked for it, and it stays pending
(and the sweep keeps publishing it) until a worker has handed it to the SMTP server and marked it
sent, skipped, or failed after its last attempt.

Each row is sent at most once, with one exception: a worker killed (SIGKILL, power loss, OOM)
after the SMTP server accepted a message and before the ``sent`` mark was committed. That row is
returned to pending by the sweep and sent again. Because each row is marked as soon as it is sent,
this is **at most one duplicate per chunk in flight** when the worker died. Running the same task
twice, the sweep and the fan-out at the same time, or several workers never sends twice: the claim
lets one task own a row. Every send of a row carries the same Message-ID, so the receiving side
can recognise such a duplicate.
"""

import contextlib
import logging
import random
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException, SMTPServerDisconnected
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser as User  # the project's user, for type hints
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from csweek.core import versions
from csweek.core.colours import validate_accent
from outbox import chat, permissions
from outbox.kinds import Kind, get_kind, preference_kinds
from outbox.models import ChatWebhook, Delivery, EmailOptOut, Organisation
from outbox.preferences import get_preference
from outbox.selectors import (
    IDENTITY_CACHE_KEY,
    opted_in_attribute,
    opted_out_user_ids,
    organisation_identity,
)

logger = logging.getLogger(__name__)

Status = Delivery.Status

# Errors worth retrying: the mail server or the network, never a bug in our code.
TRANSIENT_ERRORS = (SMTPException, ConnectionError, TimeoutError, OSError)

UNSUBSCRIBE_SALT = "outbox.unsubscribe"


def _setting(name: str, default):
    return getattr(settings, name, default)


def chunk_size() -> int:
    return _setting("OUTBOX_CHUNK_SIZE", 100)


def max_attempts() -> int:
    return _setting("OUTBOX_MAX_ATTEMPTS", 8)


def _chunks(ids: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


# --- Creating and queueing ---------------------------------------------------------------------


def _insert(*, kind: str, rows: list[Delivery]) -> list[int]:
    """Insert the rows that do not exist yet and queue the new pending ones after commit."""
    spec = get_kind(kind)
    now = timezone.now()
    opted_out = _opted_out_among(rows, spec)
    for row in rows:
        row.kind = kind
        row.created_at = now
        reason = _skip_reason(row, spec, opted_out=row.recipient_id in opted_out)
        if reason:
            row.status = Status.SKIPPED
            row.last_error = reason
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    versions.bump(versions.DELIVERIES)
    # Rows this call created carry its exact created_at; rows that existed already keep theirs.
    # Narrowed to what this call asked for, so another call in the same instant (a frozen clock,
    # or several calls in one transaction) never picks up, and publishes, rows of the other.
    created = Delivery.objects.filter(
        kind=kind,
        created_at=now,
        status=Status.PENDING,
        occurrence__in={row.occurrence for row in rows},
    )
    object_ids = {row.object_id for row in rows}
    if len(object_ids) <= 1000:  # a large fan-out about many objects is one call's alone in practice
        created = created.filter(
            Q(object_id__in=object_ids - {None})
            | (Q(object_id__isnull=True) if None in object_ids else Q(pk__in=[]))
        )
    ids = list(created.order_by("pk").values_list("pk", flat=True))
    deliveries_queue(ids=ids)
    return ids


@transaction.atomic
def deliveries_create(
    *,
    kind: str,
    recipients: Iterable[User],
    about: models.Model | None = None,
    occurrence: str = "",
    payload: dict | None = None,
) -> list[int]:
    """One email of `kind` about `about` to each recipient; returns the ids of the new pending rows.
    `payload` is what the email must know that `about` no longer says (a change's old values).

    Safe to call twice: an email that exists already for (recipient, kind, about, occurrence) is
    not created again (nor queued again).
    """
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    rows = [
        Delivery(
            recipient=user,
            address=user.email,
            content_type=content_type,
            object_id=about.pk if about is not None else None,
            occurrence=occurrence,
            payload=payload or {},
        )
        for user in recipients
    ]
    if not rows:
        return []  # a beat tick with nobody new costs no more than the query that found nobody
    week_year = get_kind(kind).week_year(about)
    for row in rows:
        row.week_year = week_year
    return _insert(kind=kind, rows=rows)


@transaction.atomic
def deliveries_create_each(
    *, kind: str, items: Iterable[tuple[User, models.Model]], occurrence: str = ""
) -> list[int]:
    """Like ``deliveries_create`` when each recipient gets an email about their own object."""
    content_types: dict[type, ContentType] = {}
    spec = get_kind(kind)
    rows = []
    for user, about in items:
        model = type(about)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(about)
        rows.append(
            Delivery(
                recipient=user,
                address=user.email,
                content_type=content_types[model],
                object_id=about.pk,
                occurrence=occurrence,
                week_year=spec.week_year(about),
            )
        )
    return _insert(kind=kind, rows=rows)


@transaction.atomic
def delivery_create_rendered(*, kind: str, address: str, recipient: User | None, payload: dict) -> int | None:
    """An email already rendered by someone else (allauth's account emails), sent once.

    Each call is a distinct email (every password reset is a new link), so its occurrence is unique.
    """
    import uuid

    ids = _insert(
        kind=kind,
        rows=[
            Delivery(
                recipient=recipient,
                address=address,
                occurrence=uuid.uuid4().hex,
                payload=payload,
            )
        ],
    )
    return ids[0] if ids else None


_batch = threading.local()


@contextlib.contextmanager
def deliveries_batch():
    """Publish every delivery created inside the block in one go after the commit.

    A service that creates emails of several kinds in one transaction (a decision and an award)
    then costs the request one publish, so one broker timeout at most when the broker is down,
    instead of one per kind. Use it inside the transaction; nested blocks join the outer one.
    """
    if getattr(_batch, "ids", None) is not None:
        yield
        return
    _batch.ids = []
    try:
        yield
        ids = _batch.ids
    finally:
        _batch.ids = None
    deliveries_queue(ids=ids)


def deliveries_queue(*, ids: Sequence[int]) -> None:
    """Publish the send tasks once the surrounding transaction commits."""
    if ids:
        ids = list(ids)
        if getattr(_batch, "ids", None) is not None:
            _batch.ids.extend(ids)
            return
        transaction.on_commit(lambda: deliveries_publish(ids=ids))


def deliveries_publish(*, ids: Sequence[int], countdown: float | None = None) -> int:
    """Publish send tasks for `ids` in chunks; returns how many ids were handed to the broker.

    Never raises for a broker problem: the first failure stops publishing (each try is bounded by
    the broker timeouts, so a request is never held for long) and the rows stay pending, with no
    queued_at, for the sweep.
    """
    from outbox.tasks import send_deliveries

    published = 0
    for chunk in _chunks(list(ids), chunk_size()):
        # Stamped before publishing: an eager run or a fast worker must not see it overwritten.
        Delivery.objects.filter(pk__in=chunk, status=Status.PENDING).update(queued_at=timezone.now())
        try:
            send_deliveries.apply_async(
                args=[chunk],
                countdown=countdown,
                retry=True,
                retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
            )
        except Exception as error:  # noqa: BLE001 -- any broker failure: the sweep publishes later
            Delivery.objects.filter(pk__in=chunk, status=Status.PENDING).update(queued_at=None)
            logger.warning(
                "outbox: broker unavailable, %d deliveries left pending for the sweep: %s",
                len(ids) - published,
                error,
            )
            break
        published += len(chunk)
    return published


# --- Sending -------------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retry_ids: list[int] = field(default_factory=list)
    retry_in: float = 0.0


def deliveries_claim(*, ids: Sequence[int]) -> list[int]:
    """Move the pending rows among `ids` to sending and return them; no two tasks get the same row."""
    with transaction.atomic():
        claimed = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), status=Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if claimed:
            Delivery.objects.filter(pk__in=claimed, status=Status.PENDING).update(
                status=Status.SENDING, claimed_at=timezone.now()
            )
            versions.bump(versions.DELIVERIES)
    return claimed


def _skip_reason(delivery: Delivery, kind: Kind, *, opted_out: bool) -> str:
    recipient = delivery.recipient
    if recipient is None:
        return ""
    if not recipient.is_active:
        return "The person is deactivated."
    if kind.preference and opted_out:
        return f"The person switched off “{kind.preference_label}” emails."
    return ""


def _opted_out_among(rows: list[Delivery], kind: Kind) -> set[int]:
    """The recipients among `rows` who switched off `kind`'s preference: nothing to look up when the
    recipients came through ``selectors.with_preference`` or ``opted_in``, else one query."""
    if not kind.preference:
        return set()
    attribute = opted_in_attribute(kind.preference)
    opted_out, unknown = set(), set()
    for row in rows:
        if row.recipient_id is None:
            continue
        opted_in = getattr(row.recipient, attribute, None)
        if opted_in is None:
            unknown.add(row.recipient_id)
        elif not opted_in:
            opted_out.add(row.recipient_id)
    if unknown:
        opted_out |= opted_out_user_ids(user_ids=unknown, preference=kind.preference)
    return opted_out


def _with_opt_out(deliveries: models.QuerySet) -> models.QuerySet:
    """`deliveries`, each with `recipient_opted_out`: whether its recipient switched off its kind's
    preference, in the query that loads them (each kind's preference is known here: a CASE maps
    the kind to its key)."""
    whens = [When(kind=kind.name, then=Value(kind.preference)) for kind in preference_kinds()]
    if not whens:
        return deliveries.annotate(recipient_opted_out=Value(False))
    return deliveries.annotate(
        preference_key=Case(*whens, default=Value(""), output_field=CharField())
    ).annotate(
        recipient_opted_out=Exists(
            EmailOptOut.objects.filter(
                user_id=OuterRef("recipient_id"), preference=OuterRef("preference_key")
            )
        )
    )


def unsubscribe_token(*, user: User, kind: Kind) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk, "k": kind.name})


def unsubscribe_url(*, user: User, kind: Kind) -> str:
    return settings.SITE_URL + reverse("outbox:unsubscribe", args=[unsubscribe_token(user=user, kind=kind)])


def message_id_for(delivery: Delivery) -> str:
    """The same Message-ID every time a delivery is sent, so a duplicate can be recognised."""
    host = urlsplit(settings.SITE_URL).hostname or "csweek.invalid"
    return f"<csweek.{delivery.kind}.{delivery.pk}@{host}>"


def delivery_message(*, delivery: Delivery, kind: Kind) -> EmailMultiAlternatives | None:
    """Render a delivery into its email, or None when it no longer makes sense to send."""
    context = kind.context(delivery)
    if context is None:
        return None
    context = {
        "site_url": settings.SITE_URL,
        "recipient": delivery.recipient,
        "organisation": organisation_identity(),
        "accent": organisation_identity().accent_colour,
        **context,
    }
    headers = {"Message-ID": message_id_for(delivery)}
    if kind.preference and delivery.recipient is not None:
        url = unsubscribe_url(user=delivery.recipient, kind=kind)
        context.update(unsubscribe_url=url, kind_label=kind.preference_label)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    subject = " ".join(render_to_string(f"{kind.template_dir}/subject.txt", context).split())
    text = render_to_string(f"{kind.template_dir}/body.txt", context)
    if "unsubscribe_url" in context:
        text = text.rstrip("\n") + "\n" + render_to_string("emails/footer.txt", context)
    html = render_to_string(f"{kind.template_dir}/body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=context.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
        headers={**context.get("headers", {}), **headers},
    )
    if html.strip():
        message.attach_alternative(html, "text/html")
    if kind.attachments is not None:
        for attachment in kind.attachments(delivery, context):
            message.attach(*attachment)
    return message


def email_preview(*, kind: str, recipient, about) -> tuple[str, str] | None:
    """The subject and text of the email `kind` would send `recipient` about `about`, rendered as
    the send task renders it, with nothing written: for the pages that ask before emailing many."""
    delivery = Delivery(kind=kind, recipient=recipient, address=recipient.email)
    delivery.about = about
    message = delivery_message(delivery=delivery, kind=get_kind(kind))
    return None if message is None else (message.subject, message.body)


def email_preview_parts(*, kind: str, recipient, about) -> tuple[str, str, str] | None:
    """Like ``email_preview``, with the HTML part too: (subject, text, html)."""
    delivery = Delivery(kind=kind, recipient=recipient, address=recipient.email)
    delivery.about = about
    message = delivery_message(delivery=delivery, kind=get_kind(kind))
    if message is None:
        return None
    html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    return message.subject, message.body, html


def _prepare(deliveries: list[Delivery]) -> None:
    """Let each kind load what its emails need for the whole chunk at once (see Kind.prepare)."""
    by_kind: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        by_kind.setdefault(delivery.kind, []).append(delivery)
    for name, group in by_kind.items():
        kind = get_kind(name)
        if kind.prepare is not None:
            kind.prepare(group)


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message or recipient: sending it again cannot succeed."""
    if isinstance(error, SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, SMTPResponseException) and not isinstance(error, SMTPServerDisconnected):
        return error.smtp_code >= 500
    return False


def _retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter, in seconds."""
    base = float(_setting("OUTBOX_RETRY_BACKOFF", 5))
    cap = float(_setting("OUTBOX_RETRY_BACKOFF_MAX", 600))
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    return delay * random.uniform(0.5, 1.0)


def _mark(delivery: Delivery, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(**fields)
    versions.bump(versions.DELIVERIES)


def deliveries_send(*, ids: Sequence[int]) -> SendResult:
    """Claim, render and send the pending deliveries among `ids` over one SMTP connection."""
    result = SendResult()
    claimed = deliveries_claim(ids=ids)
    if not claimed:
        return result
    deliveries = list(
        _with_opt_out(Delivery.objects.filter(pk__in=claimed))
        .select_related("recipient", "content_type")
        .prefetch_related("about")
        .order_by("pk")
    )
    posts = [delivery for delivery in deliveries if delivery.channel == Delivery.Channel.CHAT]
    if posts:
        _chat_posts_send(posts, result)
        deliveries = [delivery for delivery in deliveries if delivery.channel != Delivery.Channel.CHAT]
    _prepare(deliveries)
    connection = None
    try:
        for index, delivery in enumerate(deliveries):
            kind = get_kind(delivery.kind)
            reason = _skip_reason(delivery, kind, opted_out=delivery.recipient_opted_out)
            if reason:
                _mark(delivery, status=Status.SKIPPED, last_error=reason, payload={})
                result.skipped += 1
                continue
            try:
                message = delivery_message(delivery=delivery, kind=kind)
            except Exception as error:  # a bug in one email must not hold the others
                logger.exception("outbox: cannot render delivery %s", delivery.pk)
                _mark(delivery, status=Status.FAILED, attempts=delivery.attempts + 1, last_error=repr(error))
                result.failed += 1
                continue
            if message is None:
                _mark(delivery, status=Status.SKIPPED, last_error="No longer relevant.", payload={})
                result.skipped += 1
                continue
            if connection is None:
                try:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                except TRANSIENT_ERRORS as error:
                    # No message went out: every row left in the chunk has had an attempt.
                    _requeue_after_error(deliveries[index:], error=error, result=result, attempted=True)
                    return result
            try:
                connection.send_messages([message])
            except TRANSIENT_ERRORS as error:
                if _is_permanent(error):
                    attempts = delivery.attempts + 1
                    _mark(delivery, status=Status.FAILED, attempts=attempts, last_error=repr(error))
                    result.failed += 1
                    continue
                _requeue_after_error(deliveries[index:], error=error, result=result, attempted=False)
                return result
            # Marked (and committed) at once: this is the window the guarantee speaks of.
            with transaction.atomic() if kind.after_send is not None else contextlib.nullcontext():
                _mark(
                    delivery,
                    status=Status.SENT,
                    sent_at=timezone.now(),
                    message_id=message.extra_headers["Message-ID"],
                    attempts=delivery.attempts + 1,
                    payload={},
                )
                if kind.after_send is not None:
                    kind.after_send(delivery)
            result.sent += 1
    finally:
        if connection is not None:
            # The messages are sent; a failed QUIT changes nothing.
            with contextlib.suppress(Exception):
                connection.close()
    return result


def _requeue_after_error(
    rest: list[Delivery], *, error: Exception, result: SendResult, attempted: bool
) -> None:
    """Put the rows back to pending (failed at their last attempt) for a retry with backoff.

    The row that met the error counts an attempt; so does every row when the connection could not
    be opened (`attempted`). Rows the task never tried keep their count.
    """
    delay = _retry_delay(max(delivery.attempts for delivery in rest) + 1)
    due = timezone.now() + timedelta(seconds=delay)
    for position, delivery in enumerate(rest):
        if not (attempted or position == 0):
            _mark(delivery, status=Status.PENDING, claimed_at=None, queued_at=due)
            result.retry_ids.append(delivery.pk)
            continue
        attempts = delivery.attempts + 1
        if attempts >= max_attempts():
            _mark(delivery, status=Status.FAILED, attempts=attempts, last_error=repr(error))
            result.failed += 1
            continue
        _mark(
            delivery,
            status=Status.PENDING,
            attempts=attempts,
            last_error=repr(error),
            claimed_at=None,
            queued_at=due,
        )
        result.retry_ids.append(delivery.pk)
    result.retry_in = delay
    logger.warning(
        "outbox: SMTP error, %d deliveries retry in %.1f s: %s", len(result.retry_ids), delay, error
    )


def _chat_posts_send(posts: list[Delivery], result: SendResult) -> None:
    """POST each claimed chat delivery to its webhook. A webhook is independent of the others, so
    a transient error (timeout, 5xx, 429) puts only its row back, with backoff (or the Retry-After
    the service asked for); a 4xx fails it at once."""
    footer = f"Customer Service Week · {organisation_identity().name}"
    for delivery in posts:
        webhook = delivery.about
        if webhook is None or not webhook.enabled:
            _mark(
                delivery,
                status=Status.SKIPPED,
                last_error="The webhook was removed or switched off.",
                payload={},
            )
            result.skipped += 1
            continue
        payload = chat.payload_for(
            service=webhook.service,
            title=delivery.payload.get("title", ""),
            text=delivery.payload.get("text", ""),
            url=delivery.payload.get("url", ""),
            footer=footer,
        )
        attempts = delivery.attempts + 1
        try:
            chat.post(webhook.url, payload)
        except chat.ChatPostError as error:
            if error.permanent or attempts >= max_attempts():
                _mark(delivery, status=Status.FAILED, attempts=attempts, last_error=str(error))
                result.failed += 1
                continue
            cap = float(_setting("OUTBOX_RETRY_BACKOFF_MAX", 600))
            delay = min(cap, error.retry_after) if error.retry_after is not None else _retry_delay(attempts)
            _mark(
                delivery,
                status=Status.PENDING,
                attempts=attempts,
                last_error=str(error),
                claimed_at=None,
                queued_at=timezone.now() + timedelta(seconds=delay),
            )
            result.retry_ids.append(delivery.pk)
            result.retry_in = max(result.retry_in, delay)
            logger.warning("outbox: chat post %s retries in %.1f s: %s", delivery.pk, delay, error)
            continue
        _mark(delivery, status=Status.SENT, sent_at=timezone.now(), attempts=attempts, payload={})
        result.sent += 1


# --- Chat posts ------------------------------------------------------------------------------------


def _absolute(url: str) -> str:
    url = (url or "").strip()
    if url.startswith("/"):
        return settings.SITE_URL + url
    return url if url.startswith(("https://", "http://")) else ""


@transaction.atomic
def chat_posts_queue(*, topic: str, key: str, title: str, text: str, url: str) -> int:
    """Queue one post to each enabled webhook subscribed to `topic`, sent after the commit; returns
    how many new posts were queued. `key` names what the post is about ("award:42"): calling again
    with the same topic and key queues nothing new, so each webhook gets each post once."""
    spec = chat.get_topic(topic)
    key = key.strip()
    if not key or len(key) > 200:
        raise ValueError("A chat post needs a key of 1 to 200 characters.")
    content_type = ContentType.objects.get_for_model(ChatWebhook)
    # Webhooks that already have this post are left out here, so a beat tick asking again writes
    # nothing (the unique constraint would refuse the row anyway).
    posted = Delivery.objects.filter(
        channel=Delivery.Channel.CHAT,
        kind=spec.kind,
        content_type=content_type,
        object_id=OuterRef("pk"),
        occurrence=key,
    )
    webhooks = list(
        ChatWebhook.objects.filter(enabled=True, **{spec.field: True})
        .filter(~Exists(posted))
        .only("pk", "name", "service")
    )
    if not webhooks:
        return 0
    payload = {"title": title.strip(), "text": text.strip(), "url": _absolute(url)}
    rows = [
        Delivery(
            channel=Delivery.Channel.CHAT,
            recipient=None,
            address=f"{webhook.get_service_display()}: {webhook.name}"[:254],
            content_type=content_type,
            object_id=webhook.pk,
            occurrence=key,
            payload=payload,
        )
        for webhook in webhooks
    ]
    return len(_insert(kind=spec.kind, rows=rows))


def _webhook_fields(*, name: str, service: str, topics: Iterable[str], enabled: bool) -> dict:
    topics = set(topics)
    unknown = topics - set(chat.TOPICS)
    if unknown:
        raise ValidationError({"topics": f"Unknown topic: {', '.join(sorted(unknown))}."})
    if service not in ChatWebhook.Service.values:
        raise ValidationError({"service": "Choose Slack, Microsoft Teams or Other."})
    fields = {"name": name.strip(), "service": service, "enabled": enabled}
    fields.update({topic.field: topic.key in topics for topic in chat.TOPICS.values()})
    return fields


@transaction.atomic
def chat_webhook_create(
    *, by: User, name: str, service: str, url: str, topics: Iterable[str], enabled: bool = True
) -> ChatWebhook:
    """Add an incoming webhook; coordinators only. The URL is checked (https, a real host, no
    credentials) and from then on shown masked."""
    if not permissions.can_manage_integrations(by):
        raise PermissionDenied("Only coordinators can add chat webhooks.")
    try:
        url = chat.validate_webhook_url(url)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from None
    webhook = ChatWebhook(
        url=url, **_webhook_fields(name=name, service=service, topics=topics, enabled=enabled)
    )
    webhook.full_clean()
    webhook.save()
    audit_record(actor=by, action="webhook.added", obj=webhook, detail=_webhook_detail(webhook))
    return webhook


@transaction.atomic
def chat_webhook_update(
    *,
    by: User,
    webhook: ChatWebhook,
    name: str,
    service: str,
    topics: Iterable[str],
    enabled: bool,
    url: str = "",
) -> ChatWebhook:
    """Change a webhook; an empty `url` keeps the one saved (the form never shows it)."""
    if not permissions.can_manage_integrations(by):
        raise PermissionDenied("Only coordinators can change chat webhooks.")
    webhook = ChatWebhook.objects.select_for_update().get(pk=webhook.pk)
    before = _webhook_detail(webhook)
    if url.strip():
        try:
            webhook.url = chat.validate_webhook_url(url)
        except ValidationError as error:
            raise ValidationError({"url": error.messages}) from None
    for name_, value in _webhook_fields(name=name, service=service, topics=topics, enabled=enabled).items():
        setattr(webhook, name_, value)
    webhook.updated_at = timezone.now()
    webhook.full_clean()
    webhook.save()
    after = _webhook_detail(webhook)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if url.strip():
        changed["url"] = "replaced"
    audit_record(actor=by, action="webhook.changed", obj=webhook, detail=changed)
    return webhook


@transaction.atomic
def chat_webhook_delete(*, by: User, webhook: ChatWebhook) -> None:
    """Remove a webhook; its posts not sent yet are skipped (their history stays in /deliveries/)."""
    if not permissions.can_manage_integrations(by):
        raise PermissionDenied("Only coordinators can remove chat webhooks.")
    audit_record(actor=by, action="webhook.removed", obj=webhook, detail=_webhook_detail(webhook))
    Delivery.objects.filter(
        channel=Delivery.Channel.CHAT,
        content_type=ContentType.objects.get_for_model(ChatWebhook),
        object_id=webhook.pk,
        status=Status.PENDING,
    ).update(status=Status.SKIPPED, last_error="The webhook was removed.")
    webhook.delete()


def _webhook_detail(webhook: ChatWebhook) -> dict:
    return {
        "name": webhook.name,
        "service": webhook.service,
        "url": chat.mask_url(webhook.url),
        "enabled": webhook.enabled,
        "topics": [topic.key for topic in chat.TOPICS.values() if getattr(webhook, topic.field)],
    }


# --- The sweep -----------------------------------------------------------------------------------


@dataclass
class SweepResult:
    returned: int = 0
    failed: int = 0
    requeued: int = 0


def deliveries_sweep(
    *,
    requeue_after: timedelta | None = None,
    sending_timeout: timedelta | None = None,
    limit: int = 20_000,
) -> SweepResult:
    """Return rows stuck in sending, then publish pending rows whose task is missing or overdue."""
    if requeue_after is None:
        requeue_after = timedelta(seconds=_setting("OUTBOX_REQUEUE_AFTER", 300))
    if sending_timeout is None:
        sending_timeout = timedelta(seconds=_setting("OUTBOX_SENDING_TIMEOUT", 900))
    result = SweepResult()
    now = timezone.now()
    with transaction.atomic():
        # A worker died holding these rows (or is far slower than the timeout). Each return counts
        # as an attempt, so a message that kills its worker every time ends as failed.
        stuck = Delivery.objects.select_for_update(skip_locked=True).filter(
            status=Status.SENDING, claimed_at__lt=now - sending_timeout
        )
        lost = "The worker stopped while sending; returned to the queue by the sweep."
        for pk, attempts in stuck.values_list("pk", "attempts"):
            attempts += 1
            if attempts >= max_attempts():
                Delivery.objects.filter(pk=pk).update(
                    status=Status.FAILED, attempts=attempts, last_error=lost
                )
                result.failed += 1
                versions.bump(versions.DELIVERIES)
            else:
                Delivery.objects.filter(pk=pk).update(
                    status=Status.PENDING, attempts=attempts, last_error=lost, claimed_at=None, queued_at=None
                )
                result.returned += 1
                versions.bump(versions.DELIVERIES)
    ids = list(
        Delivery.objects.filter(status=Status.PENDING)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - requeue_after))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    result.requeued = deliveries_publish(ids=ids)
    return result


def deliveries_skip_pending(
    *, about: models.Model, kinds: Iterable[str], keep_occurrence: str, reason: str
) -> int:
    """Skip the pending `kinds` emails about `about` that no longer apply: every one but those whose
    occurrence is `keep_occurrence` or ends with `:<keep_occurrence>` (e.g. the current sequence of
    an activity). Rows already claimed by a worker are left alone. Returns how many were skipped.

    One UPDATE, atomic on its own: no savepoint in the caller's transaction."""
    stale = (
        Delivery.objects.filter(
            kind__in=list(kinds),
            content_type=ContentType.objects.get_for_model(about),
            object_id=about.pk,
            status=Status.PENDING,
        )
        .exclude(occurrence=keep_occurrence)
        .exclude(occurrence__endswith=f":{keep_occurrence}")
    )
    skipped = stale.update(status=Status.SKIPPED, last_error=reason)
    versions.bump(versions.DELIVERIES)
    return skipped


# --- People in control ---------------------------------------------------------------------------


def unsubscribe_resolve(*, token: str) -> tuple[User, Kind]:
    """The person and kind a footer link is for; ValidationError for a forged or stale link."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        kind = get_kind(data["k"])
        user = get_user_model().objects.get(pk=data["u"])
    except (signing.BadSignature, LookupError, KeyError, TypeError, get_user_model().DoesNotExist):
        raise ValidationError(
            "This unsubscribe link is not valid. Change your emails on your profile."
        ) from None
    if not kind.preference:
        raise ValidationError("This email cannot be switched off.")
    return user, kind


@transaction.atomic
def user_unsubscribe(*, user: User, kind: Kind) -> User:
    """Switch off the preference that governs `kind`; its pending deliveries are skipped when sent."""
    if not kind.preference:
        raise ValidationError("This email cannot be switched off.")
    email_preferences_set(user=user, choices={kind.preference: False})
    return user


@transaction.atomic
def email_preferences_set(*, user: User, choices: dict[str, bool]) -> None:
    """Record which emails `user` wants: an opt-out row for each preference switched off, none for
    those switched (back) on. Preferences not in `choices` stay as they are."""
    for key in choices:
        try:
            get_preference(key)
        except LookupError:
            raise ValidationError(f"There is no email preference “{key}”.") from None
    wanted = [key for key, on in choices.items() if on]
    unwanted = [key for key, on in choices.items() if not on]
    if wanted:
        EmailOptOut.objects.filter(user=user, preference__in=wanted).delete()
    if unwanted:
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=user, preference=key) for key in unwanted], ignore_conflicts=True
        )
    if wanted or unwanted:
        versions.bump(versions.DELIVERIES)


# --- Coordinators ---------------------------------------------------------------------------------


@transaction.atomic
def delivery_retry(*, by: User, delivery: Delivery) -> Delivery:
    """Send a failed delivery again, with a fresh count of attempts."""
    if not permissions.can_manage_deliveries(by):
        raise PermissionDenied("Only a coordinator can retry emails.")
    updated = Delivery.objects.filter(pk=delivery.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, last_error="", queued_at=None, claimed_at=None
    )
    versions.bump(versions.DELIVERIES)
    if not updated:
        raise ValidationError("Only a failed email can be retried; this one is not failed any more.")
    deliveries_queue(ids=[delivery.pk])
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def deliveries_retry_failed(
    *, by: User, kind: str = "", week_year: int | None = None, query: str = ""
) -> int:
    """Send every failed delivery again (those of one kind, about one week, to addresses containing
    `query`, when given: what /deliveries/ is filtered to); returns how many."""
    if not permissions.can_manage_deliveries(by):
        raise PermissionDenied("Only a coordinator can retry emails.")
    failed = Delivery.objects.filter(status=Status.FAILED)
    if kind:
        failed = failed.filter(kind=kind)
    if week_year is not None:
        failed = failed.filter(week_year=week_year)
    if query:
        failed = failed.filter(address__icontains=query)
    ids = list(failed.order_by("pk").values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, last_error="", queued_at=None, claimed_at=None
    )
    versions.bump(versions.DELIVERIES)
    deliveries_queue(ids=ids)
    return len(ids)


def organisation_update(
    *,
    by: User,
    name: str,
    accent_colour: str,
    logo: tuple[bytes, str] | None = None,
    remove_logo: bool = False,
) -> Organisation:
    """Change the organisation's name, accent colour and logo (`logo` is its bytes and content
    type); coordinators only. Pages and emails see the change as soon as it commits."""
    if not permissions.can_edit_organisation(by):
        raise PermissionDenied("Only coordinators can change the organisation's name, logo and colour.")
    validate_accent(accent_colour)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(pk=1).first() or Organisation()
        before = {"name": organisation.name, "accent_colour": organisation.accent_colour}
        organisation.name = name
        organisation.accent_colour = accent_colour.lower()
        if logo is not None:
            organisation.logo, organisation.logo_content_type = logo
        elif remove_logo:
            organisation.logo, organisation.logo_content_type = b"", ""
        organisation.updated_at = timezone.now()
        organisation.full_clean()
        # Forget the cached identity before the pages' version moves at commit (the save's signal
        # registers that bump): a page rendered in between must not keep the old name or logo.
        transaction.on_commit(lambda: cache.delete(IDENTITY_CACHE_KEY))
        organisation.save()
        changed = {
            field: [before[field], getattr(organisation, field)]
            for field in before
            if before[field] != getattr(organisation, field)
        }
        if logo is not None or remove_logo:
            changed["logo"] = "removed" if remove_logo and logo is None else "replaced"
        audit_record(actor=by, action="organisation.update", obj=organisation, detail=changed)
    return organisation
