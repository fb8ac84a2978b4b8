"""Surveys, their questions, and anonymous answers kept apart from the record of who answered.

Anonymity by design: ``Response`` and ``Answer`` hold no user, no team id, no IP address and no
time finer than the day; their primary keys are random UUIDs, so neither their keys nor their
order say who answered when. ``Participation`` (who has answered) shares no key with them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from csweek.core.validators import validate_one_line


class Survey(models.Model):
    class Template(models.TextChoices):
        PULSE = "pulse", "Service with Respect pulse"
        STAFF = "staff", "Staff satisfaction survey"
        ENPS = "enps", "eNPS"
        SCRATCH = "scratch", "From scratch"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    week = models.ForeignKey("events.Week", on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=160, validators=[validate_one_line])
    template = models.CharField(max_length=10, choices=Template.choices, default=Template.SCRATCH)
    intro = models.TextField(blank=True, max_length=2000)
    audience_teams = models.ManyToManyField("people.Team", blank=True, related_name="+")
    audience_roles = models.JSONField(default=list, blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    day_theme = models.ForeignKey(
        "events.DayTheme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Last year's same survey, for comparison.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    respondent_count = models.PositiveIntegerField(default=0, editable=False)
    # How many people were asked, counted when the invitation went out and again at closing.
    audience_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    invited = models.BooleanField(default=False, editable=False)
    reminded = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="surveys_window_order"),
        ]
        indexes = [models.Index(fields=["status", "opens_at", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def is_open_at(self, now) -> bool:
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Agreement 1–5"
        SCALE = "scale", "Scale 0–10"
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=40, blank=True, help_text="Matches the same question across years.")
    text = models.CharField(max_length=300, validators=[validate_one_line])
    kind = models.CharField(max_length=10, choices=Kind.choices)
    required = models.BooleanField(default=True)
    choices = models.JSONField(default=list, blank=True)
    is_enps = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Participation(models.Model):
    """Who has answered: only to refuse a second answer and to remind those who have not.
    No time, and a random key, so its rows cannot be lined up with the answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="surveys_one_answer_each")]

    def __str__(self) -> str:
        return "Has answered"


class Response(models.Model):
    """One person's answers, without the person: the day (in the week's zone) and the slice labels
    (team name and role at the time of answering) are all it keeps, and results show slices only
    in aggregate above the threshold."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    day = models.DateField()
    team_label = models.CharField(max_length=100, blank=True)
    role_label = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["survey", "team_label"])]

    def __str__(self) -> str:
        return "Anonymous response"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    selected = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        indexes = [models.Index(fields=["question"])]

    def __str__(self) -> str:
        return "Anonymous answer"
