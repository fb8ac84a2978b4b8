"""Kudos: award categories of a week, nominations backed by customer evidence, awards and reactions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from csweek.core.validators import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    max_length_validator,
    validate_one_line,
)

STORY_MIN_LENGTH = 30
STORY_MAX_LENGTH = 2000
EVIDENCE_MAX_LENGTH = 1000
SELF_NOMINATION_MESSAGE = "You cannot nominate yourself; nominate a colleague who deserves it."
DECLINE_COMMENT_MESSAGE = "Say why you decline it: the nominator reads this comment (the nominee never does)."


def category_errors(category: "AwardCategory") -> dict[str, str]:
    """The rules of a category's window and limit, by field (the database checks them too)."""
    errors: dict[str, str] = {}
    if category.opens_at and category.closes_at and category.closes_at <= category.opens_at:
        errors["closes_at"] = "Nominations must close after they open."
    if (
        category.opens_at
        and category.closes_at
        and category.announce_at
        and category.announce_at < category.closes_at
    ):
        errors["announce_at"] = "Announce the awards once nominations have closed, not before."
    if category.award_limit is not None and category.award_limit < 1:
        errors["award_limit"] = "The award limit must be at least 1 (leave it empty for no limit)."
    return errors


class AwardCategory(models.Model):
    """A kind of award in one week, open to nominations inside its window, announced at one moment."""

    class Eligible(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        AGENTS = "agents", "Agents only (not managers or coordinators)"
        MANAGERS = "managers", "Managers only"

    week = models.ForeignKey("events.Week", on_delete=models.CASCADE, related_name="award_categories")
    name = models.CharField(max_length=100, validators=[validate_one_line])
    description = models.TextField(
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[max_length_validator(DESCRIPTION_MAX_LENGTH)],
    )
    opens_at = models.DateTimeField("nominations open")
    closes_at = models.DateTimeField("nominations close")
    award_limit = models.PositiveSmallIntegerField(
        "award limit",
        null=True,
        blank=True,
        help_text="The most awards this category may give this week; empty for no limit.",
    )
    eligible = models.CharField(
        "who may be nominated", max_length=10, choices=Eligible.choices, default=Eligible.EVERYONE
    )
    announce_at = models.DateTimeField(
        "awards announced", help_text="Until then an award is seen only by its reviewers and coordinators."
    )
    tell_nominee_early = models.BooleanField(
        "tell the nominee when approved",
        default=False,
        help_text="Off (the default) keeps it a surprise: the nominee learns of it at the announcement.",
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["week", "position", "name"]
        verbose_name_plural = "award categories"
        constraints = [
            models.UniqueConstraint(fields=["week", "name"], name="awardcategory_unique_week_name"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="awardcategory_window_order"
            ),
            models.CheckConstraint(
                condition=Q(award_limit__isnull=True) | Q(award_limit__gte=1),
                name="awardcategory_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(announce_at__gte=F("closes_at")), name="awardcategory_announce_after_window"
            ),
            models.CheckConstraint(
                condition=Q(eligible__in=["everyone", "agents", "managers"]),
                name="awardcategory_eligible_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["opens_at", "closes_at"]),
            models.Index(fields=["announce_at"], name="awardcategory_announce_at"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.week.year})"

    def clean(self) -> None:
        errors = category_errors(self)
        if errors:
            raise ValidationError(errors)

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.retired_at is None and self.opens_at <= at < self.closes_at

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Nomination(models.Model):
    """A colleague's kudos for someone, reviewed by the nominee's manager; approved ones are awards."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for review"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    week = models.ForeignKey("events.Week", on_delete=models.CASCADE, related_name="nominations")
    # RESTRICT: a category with nominations cannot be deleted on its own, but deleting its week
    # takes the week's nominations with it.
    category = models.ForeignKey(AwardCategory, on_delete=models.RESTRICT, related_name="nominations")
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations_sent"
    )
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations_received"
    )
    story = models.TextField(
        help_text="What they did and why it mattered.",
        validators=[MinLengthValidator(STORY_MIN_LENGTH), MaxLengthValidator(STORY_MAX_LENGTH)],
    )
    evidence_quote = models.TextField(
        "what the customer said",
        blank=True,
        validators=[MaxLengthValidator(EVIDENCE_MAX_LENGTH)],
    )
    evidence_reference = models.CharField(
        "reference",
        max_length=120,
        blank=True,
        validators=[validate_one_line],
        help_text="A ticket number, survey comment or call reference.",
    )
    anonymous = models.BooleanField("keep my name off the wall", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(
        blank=True, max_length=COMMENT_MAX_LENGTH, validators=[max_length_validator(COMMENT_MAX_LENGTH)]
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    # A coordinator's photo of the award (csweek.core.media), seen by whoever may see the award.
    photo = models.CharField(max_length=120, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominator", "nominee", "category", "week"], name="nomination_unique_per_category"
            ),
            models.CheckConstraint(condition=~Q(nominator=F("nominee")), name="nomination_not_self"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "approved", "declined", "withdrawn"]),
                name="nomination_status_valid",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("story"), STORY_MIN_LENGTH)
                & LessThanOrEqual(Length("story"), STORY_MAX_LENGTH),
                name="nomination_story_length",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "withdrawn"]) | Q(reviewed_at__isnull=False),
                name="nomination_decided_has_review_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(review_comment=""), name="nomination_decline_has_comment"
            ),
            models.CheckConstraint(
                condition=Q(announced_at__isnull=True) | Q(status="approved"),
                name="nomination_announced_only_award",
            ),
        ]
        indexes = [
            # The review queue's order (oldest first; many sent in the same instant): the queue's
            # first page is read from the index while the reviewer's filter is checked, no sort.
            models.Index(fields=["status", "created_at", "id"], name="nomination_queue_order"),
            models.Index(fields=["week", "status", "reviewed_at"]),
            # The wall's order (newest award first, many approved in the same instant): a page is
            # read from the index instead of sorting every award of the week.
            models.Index(fields=["week", "status", "-reviewed_at", "-id"], name="nomination_wall_order"),
            models.Index(fields=["nominee", "status"]),
            models.Index(fields=["nominator", "created_at"]),
            models.Index(fields=["category", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.nominee} for {self.category.name} ({self.get_status_display()})"

    def clean(self) -> None:
        errors = {}
        if self.nominator_id is not None and self.nominator_id == self.nominee_id:
            errors["nominee"] = SELF_NOMINATION_MESSAGE
        if self.status == self.Status.DECLINED and not (self.review_comment or "").strip():
            errors["review_comment"] = DECLINE_COMMENT_MESSAGE
        if (
            self.category_id is not None
            and self.week_id is not None
            and self.category.week_id != self.week_id
        ):
            errors["category"] = "Choose a category of this nomination's week."
        if self._state.adding and self.nominee_id is not None and not self.nominee.is_active:
            errors["nominee"] = f"{self.nominee.name} no longer has an active account."
        if errors:
            raise ValidationError(errors)

    @property
    def photo_token(self) -> str:
        """The random part of the photo's stored name, as its URL carries it."""
        return self.photo.rsplit("/", 1)[-1].removesuffix(".jpg")

    @property
    def is_award(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.DECLINED)


class Reaction(models.Model):
    """One person's reaction to an award; clicking the same kind again takes it back."""

    class Kind(models.TextChoices):
        CLAP = "clap", "👏 Clap"
        HEART = "heart", "❤️ Heart"
        PARTY = "party", "🎉 Party"

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognition_reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "user"], name="reaction_one_per_user"),
            models.CheckConstraint(
                condition=Q(kind__in=["clap", "heart", "party"]), name="reaction_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} on {self.nomination_id}"


class Announcement(models.Model):
    """A message the coordinators write (Markdown) for everyone or chosen people: drafted, then sent
    at once or at a chosen moment, through the outbox under the announcements preference.

    Its audience is a union: everyone, or anyone in one of the chosen teams, or with one of the
    chosen roles, or signed up (confirmed) to the chosen activity."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=200, validators=[validate_one_line])
    body = models.TextField(
        help_text="Markdown.",
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[max_length_validator(DESCRIPTION_MAX_LENGTH)],
    )
    audience_everyone = models.BooleanField("everyone", default=True)
    audience_teams = models.ManyToManyField("people.Team", blank=True, related_name="+")
    audience_roles = models.JSONField(default=list, blank=True, help_text="Role names (people.Role).")
    audience_activity = models.ForeignKey(
        "events.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post_to_chat = models.BooleanField(
        default=False, help_text="Also post it to the chat webhooks that take announcements."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Counted when it is sent: the emails queued, and the people left out because they switched
    # announcements off.
    recipient_count = models.PositiveIntegerField(default=0)
    opted_out_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_at__isnull=False),
                name="announcement_scheduled_has_moment",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="announcement_sent_has_moment",
            ),
        ]
        indexes = [
            # The beat sweep: scheduled ones that are due.
            models.Index(fields=["status", "scheduled_at"], name="announcement_due"),
            # /announcements/, newest first.
            models.Index(fields=["-created_at", "-id"], name="announcement_list"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


# What a coordinator edits on an award category (the form and the services share the list).
CATEGORY_FIELDS = (
    "name",
    "description",
    "eligible",
    "award_limit",
    "opens_at",
    "closes_at",
    "announce_at",
    "tell_nominee_early",
)
