"""The only code that writes surveys, questions and answers."""

import datetime
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from audit.services import audit_record
from outbox.services import deliveries_create
from surveys import permissions, selectors
from surveys.models import Answer, Participation, Question, Response, Survey
from surveys.templates_library import TEMPLATES

REMINDER_BEFORE = datetime.timedelta(hours=24)


def _require_coordinator(by) -> None:
    if not permissions.can_manage_surveys(by):
        raise PermissionDenied("Only a coordinator can change surveys.")


def _require_draft(survey: Survey) -> None:
    if not survey.is_draft:
        raise ValidationError("This survey is published: its questions can no longer change.")


@transaction.atomic
def survey_create(
    *,
    by,
    week,
    title: str,
    template: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    intro: str = "",
    day_theme=None,
    teams=(),
    roles=(),
    copy_from: Survey | None = None,
) -> Survey:
    """A draft survey with the template's questions, or a copy of `copy_from`'s (last year's)."""
    _require_coordinator(by)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": "The survey must close after it opens."})
    previous = copy_from
    if previous is None and template != Survey.Template.SCRATCH:
        # Last year's survey from the same template: the results compare with it.
        previous = (
            Survey.objects.filter(week__year=week.year - 1, template=template)
            .exclude(status=Survey.Status.DRAFT)
            .order_by("-opens_at")
            .first()
        )
    survey = Survey.objects.create(
        week=week,
        title=title,
        template=copy_from.template if copy_from else template,
        intro=copy_from.intro if copy_from and not intro else intro,
        opens_at=opens_at,
        closes_at=closes_at,
        day_theme=day_theme,
        audience_roles=sorted(roles),
        previous=previous,
    )
    survey.audience_teams.set(teams)
    if copy_from is not None:
        rows = [
            Question(
                survey=survey,
                position=q.position,
                key=q.key,
                text=q.text,
                kind=q.kind,
                required=q.required,
                choices=q.choices,
                is_enps=q.is_enps,
            )
            for q in copy_from.questions.all()
        ]
    else:
        rows = [
            Question(
                survey=survey,
                position=index,
                key=key,
                text=text,
                kind=kind,
                required=kind != Question.Kind.TEXT,
                is_enps=key == "enps",
            )
            for index, (key, text, kind) in enumerate(TEMPLATES.get(template, []))
        ]
    Question.objects.bulk_create(rows)
    audit_record(actor=by, action="survey.created", obj=survey, detail={"template": survey.template})
    return survey


def _clean_choices(kind: str, choices: list[str]) -> list[str]:
    choices = [c.strip() for c in choices if c.strip()]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if len(choices) < 2:
            raise ValidationError({"choices": "Give at least two choices, one a line."})
        if len(set(choices)) != len(choices):
            raise ValidationError({"choices": "Each choice must be different."})
        return choices
    return []


@transaction.atomic
def question_add(*, by, survey: Survey, text: str, kind: str, required: bool, choices: list[str]) -> Question:
    _require_coordinator(by)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    return Question.objects.create(
        survey=survey,
        position=0 if last is None else last + 1,
        text=text,
        kind=kind,
        required=required,
        choices=_clean_choices(kind, choices),
    )


@transaction.atomic
def question_delete(*, by, question: Question) -> None:
    _require_coordinator(by)
    _require_draft(question.survey)
    question.delete()


@transaction.atomic
def question_move(*, by, question: Question, up: bool) -> None:
    """Swap a question with its neighbour above or below."""
    _require_coordinator(by)
    _require_draft(question.survey)
    siblings = list(question.survey.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, q in enumerate(siblings):
        q.position = position
    Question.objects.bulk_update(siblings, ["position"])


@transaction.atomic
def survey_publish(*, by, survey: Survey, now: datetime.datetime | None = None) -> Survey:
    """Publish a draft; the invitation goes out when it opens (beat: surveys.invitations_due)."""
    _require_coordinator(by)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    now = now or timezone.now()
    if not survey.questions.exists():
        raise ValidationError("Add at least one question before publishing.")
    if survey.closes_at <= now:
        raise ValidationError("This survey's window is over: move its closing time first.")
    survey.status = Survey.Status.PUBLISHED
    survey.save(update_fields=["status"])
    audit_record(actor=by, action="survey.published", obj=survey)
    return survey


@transaction.atomic
def survey_close(*, by, survey: Survey, now: datetime.datetime | None = None) -> Survey:
    """Close a published survey now (no more answers, no reminder)."""
    _require_coordinator(by)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.PUBLISHED:
        raise ValidationError("Only a published survey can be closed.")
    now = now or timezone.now()
    survey.status = Survey.Status.CLOSED
    if survey.closes_at > now:
        survey.closes_at = max(now, survey.opens_at + datetime.timedelta(seconds=1))
    survey.audience_size = selectors.audience_of(survey).count()
    survey.save(update_fields=["status", "closes_at", "audience_size"])
    audit_record(actor=by, action="survey.closed", obj=survey)
    return survey


def _answer_row(question: Question, value) -> Answer | None:
    """An Answer for a cleaned value, or None for an optional question left blank."""
    kind = question.kind
    if value in (None, "", []):
        if question.required:
            raise ValidationError({f"q{question.pk}": "Please answer this question."})
        return None
    if kind in (Question.Kind.AGREEMENT, Question.Kind.SCALE):
        low, high = (1, 5) if kind == Question.Kind.AGREEMENT else (0, 10)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high:
            raise ValidationError({f"q{question.pk}": f"Choose a number from {low} to {high}."})
        return Answer(question=question, number=number)
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        values = value if isinstance(value, list) else [value]
        if kind == Question.Kind.SINGLE and len(values) != 1:
            raise ValidationError({f"q{question.pk}": "Choose one answer."})
        if any(v not in question.choices for v in values):
            raise ValidationError({f"q{question.pk}": "Choose from the answers offered."})
        return Answer(question=question, selected=sorted({question.choices.index(v) for v in values}))
    text = str(value).strip()
    if len(text) > 2000:
        raise ValidationError({f"q{question.pk}": "Keep it to 2,000 characters."})
    if not text:
        if question.required:
            raise ValidationError({f"q{question.pk}": "Please answer this question."})
        return None
    return Answer(question=question, text=text)


ALREADY_ANSWERED = "You have already answered this survey: answers cannot be changed."


@transaction.atomic
def response_submit(*, survey: Survey, user, values: dict[int, object], now: datetime.datetime | None = None):
    """Record one person's answers, once. The answers keep only the day and the slice labels;
    who answered is a separate Participation row with no link to them."""
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not permissions.in_audience(user, survey):
        raise PermissionDenied("This survey is not for you.")
    if not survey.is_open_at(now):
        raise ValidationError("This survey is not open.")
    if Participation.objects.filter(survey=survey, user=user).exists():
        raise ValidationError(ALREADY_ANSWERED)
    questions = list(survey.questions.all())
    rows, errors = [], {}
    for question in questions:
        try:
            row = _answer_row(question, values.get(question.pk))
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if row is not None:
            rows.append(row)
    if errors:
        raise ValidationError(errors)
    try:
        # The row lock above serialises answers on PostgreSQL; elsewhere (SQLite) a second
        # submission racing the first meets the unique constraint instead.
        with transaction.atomic():
            Participation.objects.create(survey=survey, user=user)
    except IntegrityError:
        raise ValidationError(ALREADY_ANSWERED) from None
    day = timezone.localtime(now, zoneinfo.ZoneInfo(survey.week.time_zone)).date()
    response = Response.objects.create(
        survey=survey,
        day=day,
        team_label=user.team.name if user.team_id else "",
        role_label=permissions.role_label(user),
    )
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    Survey.objects.filter(pk=survey.pk).update(respondent_count=F("respondent_count") + 1)
    return None  # nothing that links the person to their answers leaves this function


def invitations_create(*, now: datetime.datetime) -> int:
    """Invite the audience of every published survey that has opened (once per survey)."""
    created = 0
    for survey in Survey.objects.filter(
        status=Survey.Status.PUBLISHED, invited=False, opens_at__lte=now, closes_at__gt=now
    ):
        with transaction.atomic():
            if not Survey.objects.filter(pk=survey.pk, invited=False).update(invited=True):
                continue
            audience = list(selectors.audience_of(survey))
            Survey.objects.filter(pk=survey.pk).update(audience_size=len(audience))
            ids = deliveries_create(kind="survey_invitation", recipients=audience, about=survey)
            created += len(ids)
    return created


def reminders_create(*, now: datetime.datetime) -> int:
    """Remind those who have not answered, once, 24 hours before each open survey closes."""
    created = 0
    for survey in Survey.objects.filter(
        status=Survey.Status.PUBLISHED,
        reminded=False,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + REMINDER_BEFORE,
    ):
        with transaction.atomic():
            if not Survey.objects.filter(pk=survey.pk, reminded=False).update(reminded=True):
                continue
            ids = deliveries_create(
                kind="survey_reminder", recipients=selectors.non_respondents(survey), about=survey
            )
            created += len(ids)
    return created


MIX_WINDOW = datetime.timedelta(days=1)


def responses_mix(*, now: datetime.datetime) -> int:
    """Rewrite the answers of every survey open now (or closed within a day) in one transaction
    per survey. An answer is inserted in the same transaction as its Participation row; on
    PostgreSQL both carry that transaction's id (``xmin``), which someone with raw database access
    could match. After this rewrite all of a survey's answers carry the same new one."""
    mixed = 0
    surveys = Survey.objects.filter(
        status__in=[Survey.Status.PUBLISHED, Survey.Status.CLOSED],
        opens_at__lte=now,
        closes_at__gt=now - MIX_WINDOW,
    ).values_list("pk", flat=True)
    for pk in surveys:
        with transaction.atomic():
            mixed += Response.objects.filter(survey_id=pk).update(day=F("day"))
            Answer.objects.filter(response__survey_id=pk).update(number=F("number"))
    return mixed
