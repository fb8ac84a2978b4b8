"""The week recap's own data: the coordinator's thank-you note and when it was sent."""

from django.conf import settings
from django.db import models

from csweek.core.validators import DESCRIPTION_MAX_LENGTH, max_length_validator


class WeekRecap(models.Model):
    week = models.OneToOneField("events.Week", on_delete=models.CASCADE, related_name="recap")
    thank_you_note = models.TextField(
        "thank-you note",
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[max_length_validator(DESCRIPTION_MAX_LENGTH)],
        help_text="A few words from the coordinators, at the top of the recap and its email.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Recap of {self.week}"
