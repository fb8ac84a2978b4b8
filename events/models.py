"""The yearly Customer Service Week and the theme of each of its days."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from people.models import validate_time_zone

WEEK_LENGTH_DAYS = 5


def default_week_dates(year: int) -> tuple[datetime.date, datetime.date]:
    """Monday to Friday of the first full week of October: the first Monday on or after 1 October."""
    first = datetime.date(year, 10, 1)
    monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    return monday, monday + datetime.timedelta(days=WEEK_LENGTH_DAYS - 1)


def default_org_time_zone() -> str:
    return settings.TIME_ZONE


class Week(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    year = models.PositiveSmallIntegerField(unique=True)
    theme = models.CharField("yearly theme", max_length=120, blank=True)
    description = models.TextField(blank=True)
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
        if self.starts_on.weekday() != 0:
            raise ValidationError({"starts_on": "The week must start on a Monday."})
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
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["week", "date"], name="daytheme_unique_week_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%A %d %B %Y}: {self.title}"
