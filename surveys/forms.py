"""Forms for building and answering surveys: they validate and keep what was typed."""

import datetime
import zoneinfo

from django import forms

from csweek.core.validators import validate_one_line
from events.models import DayTheme, Week
from people.models import Role, Team
from surveys.models import Question, Survey
from surveys.selectors import NO_ROLE, NO_TEAM
from surveys.templates_library import TITLES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class SurveyCreateForm(forms.Form):
    week = forms.ModelChoiceField(queryset=Week.objects.none(), empty_label=None)
    start_from = forms.ChoiceField(
        label="Start from",
        help_text="A template, or a copy of an earlier survey (its questions, to compare year on year).",
    )
    title = forms.CharField(
        max_length=160,
        required=False,
        validators=[validate_one_line],
        help_text="Leave empty for the template's.",
    )
    intro = forms.CharField(
        label="Introduction", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    day_theme = forms.ModelChoiceField(
        queryset=DayTheme.objects.none(),
        required=False,
        label="Tie to a day theme",
        help_text="The survey then opens on that day unless you choose another opening day.",
    )
    opens_day = forms.DateField(label="Opens on", required=False, widget=DateInput)
    opens_time = forms.TimeField(label="at", initial=datetime.time(9, 0), widget=TimeInput)
    closes_day = forms.DateField(label="Closes on", widget=DateInput)
    closes_time = forms.TimeField(label="at", initial=datetime.time(17, 0), widget=TimeInput)
    audience_teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Teams",
        help_text="Leave teams and roles empty for everyone.",
    )
    audience_roles = forms.MultipleChoiceField(
        choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Roles"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].queryset = Week.objects.order_by("-year")
        self.fields["day_theme"].queryset = DayTheme.objects.select_related("week").order_by("-date")
        self.fields["audience_teams"].queryset = Team.objects.order_by("name")
        earlier = Survey.objects.select_related("week").order_by("-opens_at")[:50]
        self.fields["start_from"].choices = [
            ("Templates", [(k, v) for k, v in Survey.Template.choices]),
            ("Copy an earlier survey", [(f"copy:{s.pk}", f"{s.title} ({s.week.year})") for s in earlier]),
        ]

    def clean(self):
        cleaned = super().clean()
        week = cleaned.get("week")
        if week is None:
            return cleaned
        zone = zoneinfo.ZoneInfo(week.time_zone)
        theme = cleaned.get("day_theme")
        if theme is not None and theme.week_id != week.pk:
            self.add_error("day_theme", "Choose a day theme of the same week.")
        opens_day = cleaned.get("opens_day") or (theme.date if theme else None)
        if opens_day is None and "opens_day" not in self.errors:
            self.add_error("opens_day", "Choose the day it opens, or a day theme.")
        start = cleaned.get("start_from") or ""
        cleaned["copy_from"] = None
        cleaned["template"] = start
        if start.startswith("copy:"):
            cleaned["copy_from"] = Survey.objects.filter(pk=start.partition(":")[2]).first()
            cleaned["template"] = Survey.Template.SCRATCH
        if not cleaned.get("title"):
            source = cleaned["copy_from"]
            cleaned["title"] = source.title if source else TITLES.get(start, "")
            if not cleaned["title"]:
                self.add_error("title", "Give the survey a title.")
        if (
            opens_day
            and cleaned.get("opens_time")
            and cleaned.get("closes_day")
            and cleaned.get("closes_time")
        ):
            cleaned["opens_at"] = datetime.datetime.combine(opens_day, cleaned["opens_time"], tzinfo=zone)
            cleaned["closes_at"] = datetime.datetime.combine(
                cleaned["closes_day"], cleaned["closes_time"], tzinfo=zone
            )
            if cleaned["closes_at"] <= cleaned["opens_at"]:
                self.add_error("closes_day", "The survey must close after it opens.")
        return cleaned


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300, validators=[validate_one_line])
    kind = forms.ChoiceField(choices=Question.Kind.choices)
    required = forms.BooleanField(required=False, initial=True)
    choices = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For single and multiple choice: one choice a line.",
    )

    def clean(self):
        cleaned = super().clean()
        lines = [line.strip() for line in (cleaned.get("choices") or "").splitlines() if line.strip()]
        if cleaned.get("kind") in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(lines) < 2:
            self.add_error("choices", "Give at least two choices, one a line.")
        cleaned["choice_list"] = lines
        return cleaned


AGREEMENT_CHOICES = [
    ("1", "Strongly disagree"),
    ("2", "Disagree"),
    ("3", "Neither agree nor disagree"),
    ("4", "Agree"),
    ("5", "Strongly agree"),
]


class AnswerForm(forms.Form):
    """One field per question, named q<id>; the service checks the values again."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            common = {"label": question.text, "required": question.required}
            if question.kind == Question.Kind.AGREEMENT:
                field = forms.ChoiceField(choices=AGREEMENT_CHOICES, widget=forms.RadioSelect, **common)
            elif question.kind == Question.Kind.SCALE:
                field = forms.ChoiceField(
                    choices=[(str(n), str(n)) for n in range(11)], widget=forms.RadioSelect, **common
                )
                field.help_text = "0 = not at all likely, 10 = extremely likely"
            elif question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                # The fieldset's legend names the text box (the other kinds have a label per option).
                field = forms.CharField(
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 4, "aria-labelledby": f"legend-{name}"}),
                    strip=True,
                    **common,
                )
            if question.required:
                field.error_messages["required"] = "Please answer this question."
            self.fields[name] = field

    def values(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class ResultsFilterForm(forms.Form):
    """The results page's filter: one team, one role, or one team × role cell (GET, no state)."""

    team = forms.ChoiceField(required=False, label="Team")
    role = forms.ChoiceField(required=False, label="Role")

    def __init__(self, *args, results, **kwargs):
        chosen = results.slice
        kwargs.setdefault(
            "initial",
            {
                "team": "" if chosen.team is None else (chosen.team or NO_TEAM),
                "role": "" if chosen.role is None else (chosen.role or NO_ROLE),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = results.team_options
        self.fields["role"].choices = results.role_options
