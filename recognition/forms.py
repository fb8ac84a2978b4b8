"""Forms for nominating, reviewing and filtering; errors keep what was typed."""

import datetime
import zoneinfo

from django import forms

from csweek.core.images import MAX_UPLOAD_BYTES, award_photo_encode
from csweek.core.validators import COMMENT_MAX_LENGTH, DESCRIPTION_MAX_LENGTH, validate_one_line
from people.models import User
from recognition.models import (
    CATEGORY_FIELDS,
    EVIDENCE_MAX_LENGTH,
    STORY_MAX_LENGTH,
    STORY_MIN_LENGTH,
    AwardCategory,
)


class NominationForm(forms.Form):
    """The nomination as typed; the service applies the rules (self, duplicate, window, daily limit)."""

    nominee = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        label="Colleague",
        error_messages={
            "required": "Choose the colleague you are nominating: search by name, then pick them.",
            "invalid_choice": "That person cannot be found; search again by name.",
        },
    )
    category = forms.ModelChoiceField(
        queryset=AwardCategory.objects.none(),
        label="Award category",
        empty_label="Choose a category",
        error_messages={
            "required": "Choose an award category.",
            "invalid_choice": "That category is not taking nominations now; choose one from the list.",
        },
    )
    story = forms.CharField(
        label="Their story",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"What they did and why it mattered ({STORY_MIN_LENGTH} to {STORY_MAX_LENGTH} characters).",
        max_length=STORY_MAX_LENGTH,
        error_messages={
            "required": "Tell the story: what they did and why it mattered.",
            "max_length": f"Keep the story to {STORY_MAX_LENGTH} characters (you wrote %(show_value)d).",
        },
    )
    evidence_quote = forms.CharField(
        label="What the customer said (optional)",
        required=False,
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The customer's own words, from a survey, an email or a call.",
    )
    evidence_reference = forms.CharField(
        label="Reference (optional)",
        required=False,
        max_length=120,
        validators=[validate_one_line],
        help_text="A ticket number or survey comment id, so a reviewer can check it.",
    )
    anonymous = forms.BooleanField(label="Keep my name off the wall", required=False)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: f"{c.name} ({c.week.year})"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("evidence_reference") and not cleaned.get("evidence_quote"):
            self.add_error("evidence_quote", "Add what the customer said, or leave the reference empty too.")
        return cleaned


class DeclineForm(forms.Form):
    comment = forms.CharField(
        label="Why you decline it",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX_LENGTH,
        help_text="Only the nominator reads this; the nominee is never told about a declined nomination "
        f"(up to {COMMENT_MAX_LENGTH:,} characters).",
        error_messages={"required": "Say why you decline it: the nominator reads this comment."},
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Up to {COMMENT_MAX_LENGTH:,} characters.",
    )


class BulkApproveForm(forms.Form):
    """The ticked ids are read by the view, which looks each one up among what the reviewer may review."""

    comment = forms.CharField(
        label="Comment for all of them (optional)",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Up to {COMMENT_MAX_LENGTH:,} characters.",
    )


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


MOMENT_FIELDS = ("opens_at", "closes_at", "announce_at")
# Windows and announcements sit within a year of their week (and far from datetime's limits).
MOMENT_RANGE_DAYS = 366
WALL_CLOCK_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class WallClockField(forms.DateTimeField):
    """A date and time as typed (naive): the form reads it in the week's zone, not the viewer's."""

    widget = LocalDateTimeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", WALL_CLOCK_FORMATS)
        kwargs.setdefault("error_messages", {"invalid": "Enter a date and time, such as 2027-10-04 09:00."})
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None)
        return forms.fields.BaseTemporalField.to_python(self, value)


class CategoryForm(forms.Form):
    """A category as typed; the three moments are read as local times in the week's zone, stored UTC."""

    name = forms.CharField(
        max_length=100,
        validators=[validate_one_line],
        error_messages={"required": "Give the category a name, such as Customer Hero."},
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=f"What deserves this award; nominators read it (up to {DESCRIPTION_MAX_LENGTH:,} "
        "characters).",
    )
    eligible = forms.ChoiceField(label="Who may be nominated", choices=AwardCategory.Eligible.choices)
    award_limit = forms.IntegerField(
        label="Award limit",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="The most awards this category may give this week; leave empty for no limit.",
        error_messages={"min_value": "The award limit must be at least 1 (leave it empty for no limit)."},
    )
    opens_at = WallClockField(label="Nominations open")
    closes_at = WallClockField(label="Nominations close")
    announce_at = WallClockField(
        label="Awards announced",
        help_text="Not before nominations close. Until then only reviewers and coordinators see an award.",
    )
    tell_nominee_early = forms.BooleanField(
        label="Tell the nominee as soon as their nomination is approved",
        required=False,
        help_text="Left off, it is a surprise: the nominee learns of the award when it is announced.",
    )

    def __init__(self, *args, week, category: AwardCategory | None = None, **kwargs):
        self.week = week
        self.zone = zoneinfo.ZoneInfo(week.time_zone)
        if category is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(category, name) for name in CATEGORY_FIELDS}
        initial = kwargs.get("initial") or {}
        kwargs["initial"] = {
            **initial,
            **{
                name: self.local(initial[name])
                for name in MOMENT_FIELDS
                if isinstance(initial.get(name), datetime.datetime)
            },
        }
        super().__init__(*args, **kwargs)
        for name in MOMENT_FIELDS:
            self.fields[name].help_text = (
                f"{self.fields[name].help_text} In the week's time zone, {week.time_zone}."
            ).strip()

    def local(self, moment: datetime.datetime) -> datetime.datetime:
        """A stored moment as the naive wall-clock time the input shows."""
        return moment.astimezone(self.zone).replace(tzinfo=None, second=0, microsecond=0)

    def _aware(self, value: datetime.datetime | None) -> datetime.datetime | None:
        if value is None:
            return None
        # The input is a wall-clock time in the week's zone, whatever zone the server or viewer is in.
        return value.replace(tzinfo=self.zone).astimezone(datetime.UTC)

    def clean(self):
        cleaned = super().clean()
        for name in MOMENT_FIELDS:
            value = cleaned.get(name)
            if not isinstance(value, datetime.datetime):
                continue
            if abs((value.date() - self.week.starts_on).days) > MOMENT_RANGE_DAYS:
                self.add_error(
                    name,
                    f"Choose a date within a year of the week ({self.week.starts_on:%-d %B %Y}).",
                )
                cleaned.pop(name, None)
            else:
                cleaned[name] = self._aware(value)
        opens, closes, announce = (cleaned.get(name) for name in MOMENT_FIELDS)
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "Nominations must close after they open.")
        elif closes and announce and announce < closes:
            self.add_error("announce_at", "Announce the awards once nominations have closed, not before.")
        return cleaned

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in CATEGORY_FIELDS}


class CategoryMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class AwardPhotoForm(forms.Form):
    photo = forms.FileField(
        label="Photo",
        help_text="A JPEG, PNG or WebP picture of up to 5 MB; it is kept at most 1600 pixels wide.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": "Choose a photo to upload."},
    )

    def clean_photo(self) -> bytes:
        """The picture's bytes, decoded once here so a bad file is refused with a clear message."""
        upload = self.cleaned_data["photo"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The photo is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. Choose a smaller one."
            )
        data = upload.read()
        award_photo_encode(data)
        return data
