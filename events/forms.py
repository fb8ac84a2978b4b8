"""Forms for weeks, day themes and activities: they validate and keep what was typed."""

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError

from csweek.core.validators import DESCRIPTION_MAX_LENGTH, validate_one_line
from events import services
from events.models import Activity, ThemeTemplate, Week, default_week_dates, week_start_error
from people.forms import TimeZoneField
from people.models import Team, User

# Where a service error on a model field shows up on the activity form.
ACTIVITY_ERROR_FIELDS = {"starts_at": "day", "ends_at": "end_time"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _check_monday(starts_on: datetime.date | None, year: int | None) -> None:
    if starts_on is None:
        return
    message = week_start_error(starts_on, year=year)
    if message:
        raise ValidationError(message, code="week_start")


class WeekCreateForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    theme = forms.CharField(
        label="Yearly theme", max_length=120, required=False, validators=[validate_one_line]
    )
    starts_on = forms.DateField(
        label="Monday it starts",
        widget=DateInput,
        required=False,
        help_text="Filled in by the rule (first full week of October); change it if your country "
        "holds the week at another time.",
    )
    time_zone = TimeZoneField(
        label="Organisation time zone", help_text="Activities are entered in this zone."
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Week.objects.filter(year=year).exists():
            raise ValidationError(f"There is already a week for {year}.")
        return year

    def clean(self):
        cleaned = super().clean()
        year, starts_on = cleaned.get("year"), cleaned.get("starts_on")
        if year and not starts_on:
            cleaned["starts_on"] = default_week_dates(year)[0]
        try:
            _check_monday(cleaned.get("starts_on"), year)
        except ValidationError as error:
            self.add_error("starts_on", error)
        return cleaned


class WeekForm(forms.Form):
    theme = forms.CharField(
        label="Yearly theme", max_length=120, required=False, validators=[validate_one_line]
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=f"Up to {DESCRIPTION_MAX_LENGTH:,} characters.",
    )
    time_zone = TimeZoneField(
        label="Organisation time zone", help_text="Activities are entered in this zone."
    )
    starts_on = forms.DateField(
        label="Monday it starts",
        widget=DateInput,
        help_text="Moving the week moves its day themes and activities with it.",
    )

    def __init__(self, *args, week: Week, **kwargs):
        self.week = week
        kwargs.setdefault(
            "initial",
            {
                "theme": week.theme,
                "description": week.description,
                "time_zone": week.time_zone,
                "starts_on": week.starts_on,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        _check_monday(starts_on, self.week.year)
        return starts_on


class WeekCloneForm(forms.Form):
    year = forms.IntegerField(label="Into the year", min_value=2000, max_value=2100)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Week.objects.filter(year=year).exists():
            raise ValidationError(f"There is already a week for {year}; choose another year.")
        return year


class DayThemeForm(forms.Form):
    title = forms.CharField(
        label="Theme",
        max_length=120,
        help_text="Pick one from the library or type your own.",
        validators=[validate_one_line],
        error_messages={"required": "Give the day a theme, or pick one from the library."},
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=f"Up to {DESCRIPTION_MAX_LENGTH:,} characters.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") and not cleaned.get("description"):
            template = ThemeTemplate.objects.filter(title__iexact=cleaned["title"].strip()).first()
            if template is not None:
                cleaned["description"] = template.description
        return cleaned


class ActivityForm(forms.Form):
    title = forms.CharField(max_length=160, validators=[validate_one_line])
    kind = forms.ChoiceField(choices=Activity.Kind.choices)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=f"Up to {DESCRIPTION_MAX_LENGTH:,} characters.",
    )
    day = forms.DateField(widget=DateInput)
    start_time = forms.TimeField(label="Starts at", widget=TimeInput)
    end_time = forms.TimeField(label="Ends at", widget=TimeInput)
    format = forms.ChoiceField(choices=Activity.Format.choices)
    room = forms.CharField(
        label="Room or address", max_length=200, required=False, validators=[validate_one_line]
    )
    join_url = forms.CharField(
        label="Join link",
        max_length=500,
        required=False,
        help_text="An https:// link, for online and hybrid activities.",
        widget=forms.URLInput,
    )
    host = forms.ModelChoiceField(queryset=User.objects.none())
    capacity = forms.IntegerField(required=False, help_text="Leave empty for no limit.")
    audience_teams = forms.ModelMultipleChoiceField(
        label="Audience",
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose no team for everyone.",
    )
    signup_required = forms.BooleanField(label="Sign-up required", required=False, initial=True)

    def __init__(self, *args, week: Week, activity: Activity | None = None, confirmed: int = 0, **kwargs):
        self.week = week
        self.activity = activity
        self.confirmed = confirmed
        self.zone = zoneinfo.ZoneInfo(week.time_zone)
        if activity is not None and "initial" not in kwargs:
            start = activity.starts_at.astimezone(self.zone)
            end = activity.ends_at.astimezone(self.zone)
            kwargs["initial"] = {
                "title": activity.title,
                "kind": activity.kind,
                "description": activity.description,
                "day": start.date(),
                "start_time": start.time().replace(second=0, microsecond=0),
                "end_time": end.time().replace(second=0, microsecond=0),
                "format": activity.format,
                "room": activity.room,
                "join_url": activity.join_url,
                "host": activity.host_id,
                "capacity": activity.capacity,
                "audience_teams": [t.pk for t in activity.audience_teams.all()],
                "signup_required": activity.signup_required,
            }
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "email"
        )
        self.fields["audience_teams"].queryset = Team.objects.order_by("name")
        self.fields["day"].widget.attrs.update(
            {"min": week.starts_on.isoformat(), "max": week.ends_on.isoformat()}
        )
        self.fields["day"].help_text = f"{week.starts_on:%A %-d %B} to {week.ends_on:%A %-d %B %Y}."
        self.fields["start_time"].help_text = f"In the week's time zone, {week.time_zone}."

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day not in self.week.days:
            first, last = self.week.starts_on, self.week.ends_on
            raise ValidationError(f"Choose a day of the week: {first:%A %-d %B} to {last:%A %-d %B %Y}.")
        return day

    def clean_join_url(self):
        url = self.cleaned_data["join_url"].strip()
        if url:
            url = forms.URLField(assume_scheme="https").clean(url)
        return url

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            cleaned["starts_at"] = datetime.datetime.combine(day, start, tzinfo=self.zone).astimezone(
                datetime.UTC
            )
            cleaned["ends_at"] = datetime.datetime.combine(day, end, tzinfo=self.zone).astimezone(
                datetime.UTC
            )
        if self.errors:
            return cleaned
        probe = Activity(
            week=self.week,
            starts_at=cleaned.get("starts_at"),
            ends_at=cleaned.get("ends_at"),
            format=cleaned.get("format") or Activity.Format.ONSITE,
            room=cleaned.get("room") or "",
            join_url=cleaned.get("join_url") or "",
            capacity=cleaned.get("capacity"),
        )
        try:
            services.activity_validate(week=self.week, activity=probe, confirmed=self.confirmed)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(ACTIVITY_ERROR_FIELDS.get(name, name), messages)
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in (*services.ACTIVITY_FIELDS, "audience_teams")}


class TeamCoverageForm(forms.Form):
    max_away_percent = forms.IntegerField(
        label="Max share away at once (%)",
        min_value=1,
        max_value=100,
        help_text="100 = no limit.",
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="Check-in code",
        max_length=12,
        help_text="The six characters the host shows at the activity (or scan its QR code).",
    )
