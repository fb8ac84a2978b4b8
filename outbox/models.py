"""Every email is a Delivery row first: the row, not the broker, is the record of what must be sent."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from csweek.core.validators import validate_one_line


class Delivery(models.Model):
    """One email to one person about one thing; pending → sending → sent / failed / skipped."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        CHAT = "chat", "Chat post"

    channel = models.CharField(
        max_length=5,
        choices=Channel.choices,
        default=Channel.EMAIL,
        help_text="A chat post is about its webhook (content_type/object_id) and keyed by occurrence.",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        help_text="Empty only for account emails to an address that has no account.",
    )
    address = models.EmailField(help_text="The address the email is (or was) sent to.")
    kind = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    occurrence = models.CharField(
        max_length=200, blank=True, default="", help_text="Tells apart repeated emails about one thing."
    )
    week_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The year of the Customer Service Week the email is about (empty for account emails).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    # Content rendered when the email was asked for (account emails); emptied once sent.
    payload = models.JSONField(default=dict, blank=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When its send task was published (or is due, when retrying)."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "content_type", "object_id", "occurrence"],
                name="outbox_delivery_once",
            ),
            # A chat post has no recipient (NULLs never conflict): one per webhook, kind and key.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "occurrence"],
                condition=models.Q(channel="chat"),
                name="outbox_chat_post_once",
            ),
        ]
        indexes = [
            # The sweep: pending rows by queued_at, sending rows by claimed_at.
            models.Index(fields=["status", "queued_at"], name="outbox_sweep_pending"),
            models.Index(fields=["status", "claimed_at"], name="outbox_sweep_sending"),
            # /deliveries/: counts by kind and status, lists newest first.
            models.Index(fields=["kind", "status"], name="outbox_kind_status"),
            models.Index(fields=["week_year", "kind", "status"], name="outbox_week_kind_status"),
            # The list's full order (many rows share created_at: a bulk fan-out stamps one instant),
            # so a page of 50 comes straight off the index instead of sorting every match.
            models.Index(fields=["status", "-created_at", "-id"], name="outbox_status_newest"),
            models.Index(fields=["-created_at", "-id"], name="outbox_newest"),
            # Delivery counts of one object (an announcement's queued / sent / failed).
            models.Index(
                fields=["content_type", "object_id", "kind", "status"], name="outbox_about_kind_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.address} ({self.status})"


class EmailOptOut(models.Model):
    """A person switched off the emails of one preference (see outbox.preferences)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    preference = models.CharField(max_length=50)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Also the index of every "who is opted in" NOT EXISTS subquery.
            models.UniqueConstraint(fields=["user", "preference"], name="outbox_optout_user_preference"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} opted out of {self.preference}"


DEFAULT_ORGANISATION_NAME = "csweek"
DEFAULT_ACCENT_COLOUR = "#4f46e5"


class Organisation(models.Model):
    """The organisation's identity, one row: the header, every email, the wall and printouts use it.

    It lives in the outbox because emails are the widest audience of the identity and the outbox
    may not import anything above it; the pages above read it through ``outbox.selectors``."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    name = models.CharField(max_length=80, default=DEFAULT_ORGANISATION_NAME, validators=[validate_one_line])
    accent_colour = models.CharField(max_length=7, default=DEFAULT_ACCENT_COLOUR)
    # The logo is a small PNG, JPEG or WebP kept in the row and served by the app: no media storage.
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_content_type = models.CharField(max_length=20, blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="outbox_organisation_one_row")]

    def __str__(self) -> str:
        return self.name


WEBHOOK_URL_MAX_LENGTH = 500


class ChatWebhook(models.Model):
    """An incoming webhook of a Slack or Teams channel and the topics posted to it.

    The URL is a secret (whoever has it can post to the channel): pages only ever show it masked."""

    class Service(models.TextChoices):
        SLACK = "slack", "Slack"
        TEAMS = "teams", "Microsoft Teams"
        GENERIC = "generic", "Other (JSON with a text field)"

    name = models.CharField(max_length=80, validators=[validate_one_line])
    service = models.CharField(max_length=10, choices=Service.choices, default=Service.SLACK)
    url = models.CharField(max_length=WEBHOOK_URL_MAX_LENGTH)
    topic_awards = models.BooleanField("award announcements", default=True)
    topic_theme_of_the_day = models.BooleanField("the theme of the day", default=False)
    topic_announcements = models.BooleanField("announcements", default=False)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
