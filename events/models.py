"""The yearly Customer Service Week and the theme of each of its days."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from csweek.core.validators import DESCRIPTION_MAX_LENGTH, max_length_validator, validate_one_line
from people.models import validate_time_zone

WEEK_LENGTH_DAYS = 5


def default_week_dates(year: int) -> tuple[datetime.date, datetime.date]:
    """Monday to Friday of the first full week of October: the first Monday on or after 1 October."""
    first = datetime.date(year, 10, 1)
    monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    return monday, monday + datetime.timedelta(days=WEEK_LENGTH_DAYS - 1)


def week_start_error(starts_on: datetime.date, *, year: int | None = None) -> str | None:
    """Why a week of `year` cannot start on `starts_on`, or None: the one rule the forms, the
    services and the model's clean() all apply."""
    if starts_on.weekday() != 0:
        return f"The week must start on a Monday; {starts_on:%-d %B %Y} is a {starts_on:%A}."
    if year is not None and starts_on.year != year:
        return f"The week of {year} must start in {year}."
    return None


def default_org_time_zone() -> str:
    return settings.TIME_ZONE


class Week(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    year = models.PositiveSmallIntegerField(unique=True)
    theme = models.CharField("yearly theme", max_length=120, blank=True, validators=[validate_one_line])
    description = models.TextField(
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[max_length_validator(DESCRIPTION_MAX_LENGTH)],
    )
    time_zone = models.CharField(
        "organisation time zone",
        max_length=64,
        default=default_org_time_zone,
        validators=[validate_time_zone],
        help_text="Activities are entered in this zone; everyone sees them in their own.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on=F("starts_on") + datetime.timedelta(days=WEEK_LENGTH_DAYS - 1)),
                name="week_spans_five_days",
            ),
        ]

    def __str__(self) -> str:
        return f"Customer Service Week {self.year}" + (f": {self.theme}" if self.theme else "")

    def clean(self) -> None:
        if self.starts_on is None:
            return
        message = week_start_error(self.starts_on, year=self.year)
        if message:
            raise ValidationError({"starts_on": message})
        self.ends_on = self.starts_on + datetime.timedelta(days=WEEK_LENGTH_DAYS - 1)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def days(self) -> list[datetime.date]:
        return [self.starts_on + datetime.timedelta(days=i) for i in range(WEEK_LENGTH_DAYS)]


class DayTheme(models.Model):
    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="day_themes")
    date = models.DateField()
    title = models.CharField(max_length=120, validators=[validate_one_line])
    description = models.TextField(
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[max_length_validator(DESCRIPTION_MAX_LENGTH)],
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["week", "date"], name="daytheme_unique_week_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%A %d %B %Y}: {self.title}"


class ThemeTemplate(models.Model):
    """The built-in, editable theme library a coordinator picks day themes from."""

    title = models.CharField(max_length=120, unique=True, validators=[validate_one_line])
    description = models.TextField(
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[max_length_validator(DESCRIPTION_MAX_LENGTH)],
    )
    default_weekday = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        unique=True,
        help_text="0 = Monday … 4 = Friday: a new week gets this theme on that day.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_weekday__isnull=True) | Q(default_weekday__lte=WEEK_LENGTH_DAYS - 1),
                name="themetemplate_weekday_in_week",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TeamCoverage(models.Model):
    """How many of a team's agents may be away in activities at the same time (100 % = no limit)."""

    team = models.OneToOneField("people.Team", on_delete=models.CASCADE, related_name="coverage")
    max_away_percent = models.PositiveSmallIntegerField(
        "max share away at once (%)",
        default=100,
        validators=[MaxValueValidator(100, message="Give a share from 0 to 100 %%.")],
        help_text="A sign-up that would take more than this share of the team's agents away at once "
        "is waitlisted. 100 switches the rule off.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(max_away_percent__gte=0) & Q(max_away_percent__lte=100),
                name="teamcoverage_percent_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: at most {self.max_away_percent}% away"


def activity_errors(activity: "Activity", *, week: Week, confirmed: int = 0) -> dict[str, str]:
    """The rules every activity follows, from the planner's form, the services or the admin: each
    broken rule's message by field. `confirmed` is how many people already hold a seat."""
    errors: dict[str, str] = {}
    zone = zoneinfo.ZoneInfo(week.time_zone)
    if activity.starts_at and activity.ends_at:
        if activity.ends_at <= activity.starts_at:
            errors["ends_at"] = "The activity must end after it starts."
        first, last = week.days[0], week.days[-1]
        start_day = activity.starts_at.astimezone(zone).date()
        end_local = activity.ends_at.astimezone(zone)
        end_day = (end_local - datetime.timedelta(microseconds=1)).date()
        if not (first <= start_day <= last and first <= end_day <= last):
            errors["starts_at"] = (
                f"The activity must take place during the week, between {first:%A %-d %B} "
                f"and {last:%A %-d %B %Y} ({week.time_zone})."
            )
    if activity.is_online:
        if not activity.join_url:
            errors["join_url"] = "An online or hybrid activity needs a join link."
        elif not activity.join_url.lower().startswith("https://"):
            errors["join_url"] = "The join link must start with https://."
    if activity.is_onsite and not (activity.room or "").strip():
        errors["room"] = "An on-site or hybrid activity needs a room or address."
    if activity.capacity is not None:
        if activity.capacity < 1:
            errors["capacity"] = "Capacity must be at least 1 (leave it empty for no limit)."
        elif activity.capacity < confirmed:
            errors["capacity"] = (
                f"{confirmed} people are already confirmed; capacity cannot be lower than {confirmed}."
            )
    return errors


class Activity(models.Model):
    class Kind(models.TextChoices):
        AWARD_CEREMONY = "award_ceremony", "Award ceremony"
        TRAINING = "training", "Training workshop"
        TEAM_BUILDING = "team_building", "Team-building"
        CUSTOMER_APPRECIATION = "customer_appreciation", "Customer appreciation"
        STAFF_SURVEY = "staff_survey", "Staff survey"
        OTHER = "other", "Other"

    class Format(models.TextChoices):
        ONSITE = "onsite", "On-site"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(max_length=160, validators=[validate_one_line])
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[max_length_validator(DESCRIPTION_MAX_LENGTH)],
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.ONSITE)
    room = models.CharField("room or address", max_length=200, blank=True, validators=[validate_one_line])
    join_url = models.URLField("join link", max_length=500, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_activities"
    )
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Leave empty for no limit.")
    audience_teams = models.ManyToManyField(
        "people.Team", blank=True, related_name="activities", help_text="None chosen = everyone."
    )
    signup_required = models.BooleanField("sign-up required", default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="activity_capacity_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["week", "starts_at"]),
            models.Index(fields=["host", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The same rules as the planner's form and the services, so the admin cannot skip them."""
        if self.week_id is None:
            return
        confirmed = 0
        if self.pk:
            confirmed = self.registrations.filter(status=Registration.Status.CONFIRMED).count()
        errors = activity_errors(self, week=self.week, confirmed=confirmed)
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def is_onsite(self) -> bool:
        return self.format in (self.Format.ONSITE, self.Format.HYBRID)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "Waitlisted"
        CANCELLED = "cancelled", "Cancelled"

    class Reason(models.TextChoices):
        NONE = "", "—"
        FULL = "full", "activity full"
        COVERAGE = "coverage", "team coverage"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    waitlist_reason = models.CharField(max_length=10, choices=Reason.choices, blank=True, default="")
    # Registered is not attended: set when a host or coordinator ticks the register.
    attended_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The waitlist is first come, first served: ordered by when the person (last) signed up.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "activity"], name="registration_unique_user_activity"),
        ]
        indexes = [
            models.Index(fields=["activity", "status", "created_at"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.activity} ({self.status})"

    @property
    def attended(self) -> bool:
        return self.attended_at is not None
