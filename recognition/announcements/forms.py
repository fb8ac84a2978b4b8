"""The announcement composer and the schedule form."""

import datetime

from django import forms
from django.utils import timezone

from csweek.core.validators import DESCRIPTION_MAX_LENGTH, validate_one_line
from events.models import Activity
from people.models import Role, Team
from recognition.announcements.services import AUDIENCE_MESSAGE


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, activity) -> str:
        local = timezone.localtime(activity.starts_at)
        return f"{activity.title} ({local:%-d %b %Y %H:%M})"


class AnnouncementForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200, validators=[validate_one_line])
    body = forms.CharField(
        label="Message",
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown: **bold**, *italic*, [a link](https://example.com), lists with “- ”. "
        "Pictures and raw HTML are left out.",
    )
    audience_everyone = forms.BooleanField(
        label="Everyone", required=False, help_text="Every active person; the choices below are then ignored."
    )
    teams = forms.ModelMultipleChoiceField(
        label="People in these teams",
        queryset=Team.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label="People with these roles",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activity = ActivityChoiceField(
        label="People signed up to this activity",
        queryset=Activity.objects.filter(status=Activity.Status.SCHEDULED).order_by("-starts_at"),
        required=False,
        empty_label="No activity",
        help_text="Confirmed sign-ups only (not the waiting list).",
    )
    post_to_chat = forms.BooleanField(
        label="Also post it to chat",
        required=False,
        help_text="To the Slack and Teams webhooks that take announcements.",
    )

    def clean(self):
        cleaned = super().clean()
        chosen = (
            cleaned.get("audience_everyone")
            or cleaned.get("teams")
            or cleaned.get("roles")
            or cleaned.get("activity") is not None
        )
        if not chosen and not self.errors:
            self.add_error("audience_everyone", AUDIENCE_MESSAGE)
        return cleaned

    @classmethod
    def initial_from(cls, announcement) -> dict:
        return {
            "subject": announcement.subject,
            "body": announcement.body,
            "audience_everyone": announcement.audience_everyone,
            "teams": list(announcement.audience_teams.all()),
            "roles": list(announcement.audience_roles),
            "activity": announcement.audience_activity,
            "post_to_chat": announcement.post_to_chat,
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "subject": data["subject"],
            "body": data["body"],
            "everyone": data["audience_everyone"],
            "teams": list(data["teams"]),
            "roles": data["roles"],
            "activity": data["activity"],
            "post_to_chat": data["post_to_chat"],
        }


SCHEDULE_AHEAD_MAX = datetime.timedelta(days=366)
SCHEDULE_RANGE_MESSAGE = "Choose a moment within the coming year."


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Send at",
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone.",
    )

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        now = timezone.now()
        # Compared as UTC from a naive reading: a typed year 9999 (or 0001) in a zone far from UTC
        # cannot be converted, and is refused rather than failing where it is stored.
        try:
            send_at.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(SCHEDULE_RANGE_MESSAGE) from None
        if send_at <= now:
            raise forms.ValidationError("Choose a moment in the future, or send it now.")
        if send_at > now + SCHEDULE_AHEAD_MAX:
            raise forms.ValidationError(SCHEDULE_RANGE_MESSAGE)
        return send_at
