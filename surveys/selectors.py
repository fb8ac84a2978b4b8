"""Reads for surveys. Results are aggregates only, with the minimum-respondents threshold and
complementary suppression applied here, so that no page or export can forget them."""

import secrets
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from people.models import Team
from people.permissions import is_coordinator, is_manager
from surveys import permissions
from surveys.models import Answer, Participation, Question, Response, Survey
from surveys.suppression import figures, suppress_table

User = get_user_model()
NO_TEAM = "No team"
NO_ROLE = "No role"
NOT_ENOUGH = "Not enough answers to show"


def min_respondents() -> int:
    return max(int(getattr(settings, "SURVEY_MIN_RESPONDENTS", 5)), 2)


def results_ready(survey: Survey, *, now) -> bool:
    """Whether the survey's answers are final. While it is open, results would change with each
    answer, so two looks a few minutes apart would give away the answers of whoever answered in
    between: no figure of a survey is shown before it closes."""
    return survey.status == Survey.Status.CLOSED or (
        survey.status == Survey.Status.PUBLISHED and survey.closes_at <= now
    )


def survey_for_pk(pk: int) -> Survey | None:
    return Survey.objects.select_related("week", "day_theme", "previous").filter(pk=pk).first()


def surveys_for_coordinator() -> QuerySet[Survey]:
    return Survey.objects.select_related("week").order_by("-opens_at", "title")


def audience_of(survey: Survey) -> QuerySet:
    """The active people the survey is for."""
    people = User.objects.filter(is_active=True)
    teams = list(survey.audience_teams.values_list("pk", flat=True))
    roles = list(survey.audience_roles or [])
    if teams or roles:
        people = people.filter(Q(team__in=teams) | Q(groups__name__in=roles)).distinct()
    return people.order_by("pk")


def non_respondents(survey: Survey) -> QuerySet:
    return audience_of(survey).exclude(
        Exists(Participation.objects.filter(survey=survey, user=OuterRef("pk")))
    )


def has_answered(*, survey: Survey, user) -> bool:
    return Participation.objects.filter(survey=survey, user=user).exists()


def open_surveys_for(user, *, now) -> list[Survey]:
    """Open surveys the person is in the audience of and has not answered yet (for the dashboard
    and the schedule)."""
    if not (user.is_authenticated and user.is_active):
        return []
    surveys = (
        Survey.objects.filter(status=Survey.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
        .exclude(Exists(Participation.objects.filter(survey=OuterRef("pk"), user=user)))
        .prefetch_related("audience_teams")
        .order_by("closes_at")
    )
    return [s for s in surveys if permissions.in_audience(user, s)]


def surveys_visible_to(user, *, now) -> dict:
    """The survey list: coordinators see all; others the open ones for them and the results they may read."""
    if is_coordinator(user):
        return {
            "manage": list(surveys_for_coordinator()),
            "open": open_surveys_for(user, now=now),
            "results": [],
        }
    results = []
    if is_manager(user):
        results = list(
            Survey.objects.exclude(status=Survey.Status.DRAFT).select_related("week").order_by("-opens_at")
        )
    return {"manage": [], "open": open_surveys_for(user, now=now), "results": results}


# --- Results ----------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list[tuple[str, int, int]] = field(default_factory=list)  # label, count, percent
    mean: float | None = None
    favourable: int | None = None
    enps: int | None = None
    texts: list[str] = field(default_factory=list)
    hidden: bool = False
    previous_mean: float | None = None
    previous_favourable: int | None = None
    previous_enps: int | None = None

    @property
    def chart_id(self) -> str:
        return f"chart-q{self.question.pk}"

    @property
    def chart(self) -> dict:
        return {
            "type": "bar",
            "data": {
                "labels": [label for label, _, _ in self.rows],
                "datasets": [{"label": "Answers", "data": [count for _, count, _ in self.rows]}],
            },
            "options": {"plugins": {"legend": {"display": False}}, "indexAxis": "y"},
        }


AGREEMENT_LABELS = ["1 Strongly disagree", "2 Disagree", "3 Neutral", "4 Agree", "5 Strongly agree"]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _question_result(question: Question, answers: list[Answer], *, with_texts: bool) -> QuestionResult:
    result = QuestionResult(question=question, answered=len(answers))
    kind = question.kind
    n = len(answers)
    if kind in (Question.Kind.AGREEMENT, Question.Kind.SCALE):
        low, high = (1, 5) if kind == Question.Kind.AGREEMENT else (0, 10)
        counts = Counter(a.number for a in answers)
        for value in range(low, high + 1):
            label = AGREEMENT_LABELS[value - 1] if kind == Question.Kind.AGREEMENT else str(value)
            result.rows.append((label, counts[value], _percent(counts[value], n)))
        if n:
            result.mean = round(sum(a.number for a in answers) / n, 2)
            if kind == Question.Kind.AGREEMENT:
                result.favourable = _percent(counts[4] + counts[5], n)
            if question.is_enps and kind == Question.Kind.SCALE:
                promoters = sum(counts[v] for v in (9, 10))
                detractors = sum(counts[v] for v in range(0, 7))
                result.enps = round(100 * (promoters - detractors) / n)
    elif kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        counts = Counter(i for a in answers for i in a.selected)
        for index, label in enumerate(question.choices):
            result.rows.append((label, counts[index], _percent(counts[index], n)))
    elif with_texts:
        texts = [a.text for a in answers if a.text]
        secrets.SystemRandom().shuffle(texts)  # never in the order they were given
        result.texts = texts
    return result


@dataclass
class Slice:
    """One figure of the team × role table: a cell, a team, a role, or the whole survey."""

    team: str | None  # the team label, None for all teams
    role: str | None  # the role label, None for all roles
    label: str
    respondents: int
    hidden: bool

    @property
    def key(self) -> str:
        parts = []
        if self.team is not None:
            parts.append(f"team:{self.team}")
        if self.role is not None:
            parts.append(f"role:{self.role}")
        return "|".join(parts)

    @property
    def query(self) -> str:
        """The results page's query string for this slice (the filter form's fields)."""
        params = {}
        if self.team is not None:
            params["team"] = self.team or NO_TEAM
        if self.role is not None:
            params["role"] = self.role or NO_ROLE
        return urlencode(params)


@dataclass
class Results:
    survey: Survey
    threshold: int
    slice: Slice
    slices_team: list[Slice]
    slices_role: list[Slice]
    audience: int | None
    response_rate: int | None
    questions: list[QuestionResult]
    previous_rate: int | None = None
    # The team × role table: its role columns, and per team (then all teams) the row's total and cells.
    table_roles: list[str] = field(default_factory=list)
    table_rows: list[tuple[Slice, list[Slice]]] = field(default_factory=list)
    # The filter form's choices: (value, label) pairs; "" stands for all teams or all roles.
    team_options: list[tuple[str, str]] = field(default_factory=list)
    role_options: list[tuple[str, str]] = field(default_factory=list)


def _responses(survey: Survey) -> list[Response]:
    """Every response of the survey with its answers, in a random order (never as stored)."""
    responses = list(Response.objects.filter(survey=survey).only("id", "team_label", "role_label"))
    answers = Answer.objects.filter(response__survey=survey).only(
        "response_id", "question_id", "number", "selected", "text"
    )
    by_response: dict = {}
    for answer in answers:
        by_response.setdefault(answer.response_id, []).append(answer)
    for response in responses:
        response.answer_list = by_response.get(response.pk, [])
        response.answered_ids = {a.question_id for a in response.answer_list}
    secrets.SystemRandom().shuffle(responses)
    return responses


def managed_team_names(user) -> set[str]:
    return set(Team.objects.filter(managers=user).values_list("name", flat=True))


def _label(value: str, labels: list[str], nameless: str) -> str | None:
    """The stored label a filter value stands for; the people without a team (or role) are asked
    for by the name they are shown under. None when nobody answered under that label."""
    if value in labels:
        return value
    if value == nameless and "" in labels:
        return ""
    return None


def _slice_label(team: str | None, role: str | None) -> str:
    names = []
    if team is not None:
        names.append(team or NO_TEAM)
    if role is not None:
        names.append(role or NO_ROLE)
    return " × ".join(names) or "Everyone"


def _wanted(
    *,
    slice_key: str,
    team: str | None,
    role: str | None,
    teams: list[str],
    roles: list[str],
    mine: set[str] | None,
) -> tuple[str | None, str | None] | None:
    """The (team, role) labels asked for, None for "all"; None when there is no such slice or the
    viewer may not see it (`mine`: a manager's teams, None for a coordinator). A manager who asks
    for nothing gets their first team; a manager never gets the whole survey or a whole role."""
    if slice_key:
        dimension, _, name = slice_key.partition(":")
        if dimension == "team":
            team, role = name, None
        elif dimension == "role":
            team, role = None, name
        else:
            return None
    team_label = role_label = None
    if team:
        team_label = _label(team, teams, NO_TEAM)
        if team_label is None and mine is not None and team in mine:
            team_label = team  # their own team, where nobody has answered
        if team_label is None:
            return None
    if role:
        role_label = _label(role, roles, NO_ROLE)
        if role_label is None:
            return None
    if mine is not None:
        if team_label is None and role_label is None and mine:
            team_label = min(mine)
        if team_label not in mine:
            return None
    return team_label, role_label


def results_for(
    *,
    survey: Survey,
    viewer,
    slice_key: str = "",
    team: str | None = None,
    role: str | None = None,
    compare: bool = True,
) -> Results | None:
    """Aggregates for one slice the viewer may see; None when they may see none of it.

    A slice is the whole survey, a team, a role, or one team × role cell (`team` and `role` as the
    filter form sends them; `slice_key` "team:<name>" or "role:<name>" is the older link form).
    Coordinators see every slice; managers only their own teams and their teams' cells. Which
    figures are hidden is decided once for the whole team × role table (threshold and complementary
    suppression, see surveys.suppression), then again per question for who answered it, so every
    viewer and every export sees the same safe pattern. Hidden slices show no figure, not even
    their count. Free text only in the whole survey and in team slices, never cross-filtered."""
    threshold = min_respondents()
    responses = _responses(survey)
    grid_counts = Counter((r.team_label or "", r.role_label or "") for r in responses)
    teams = sorted({t for t, _ in grid_counts})
    roles = sorted({r for _, r in grid_counts})
    grid = {(t, r): grid_counts.get((t, r), 0) for t in teams for r in roles}
    fig = figures(grid)
    hidden = suppress_table(grid, threshold=threshold)

    def make(team_label: str | None, role_label: str | None) -> Slice:
        key = (team_label, role_label)
        return Slice(
            team=team_label,
            role=role_label,
            label=_slice_label(team_label, role_label),
            respondents=fig.get(key, 0),
            hidden=key in hidden or key not in fig,
        )

    mine = None if is_coordinator(viewer) else managed_team_names(viewer)
    wanted = _wanted(slice_key=slice_key, team=team, role=role, teams=teams, roles=roles, mine=mine)
    if wanted is None:
        return None
    team_label, role_label = wanted
    chosen = make(team_label, role_label)
    members = [
        r
        for r in responses
        if (team_label is None or (r.team_label or "") == team_label)
        and (role_label is None or (r.role_label or "") == role_label)
    ]
    results = []
    for question in survey.questions.all():
        if chosen.hidden:
            results.append(QuestionResult(question=question, hidden=True))
            continue
        # Who answered this question, cell by cell: an optional question is suppressed again on it.
        answered = dict.fromkeys(grid, 0)
        for response in responses:
            if question.pk in response.answered_ids:
                answered[(response.team_label or "", response.role_label or "")] += 1
        question_hidden = (
            hidden if answered == grid else suppress_table(answered, threshold=threshold, forced=hidden)
        )
        if (team_label, role_label) in question_hidden:
            results.append(QuestionResult(question=question, hidden=True))
            continue
        answers = [a for r in members for a in r.answer_list if a.question_id == question.pk]
        results.append(_question_result(question, answers, with_texts=role_label is None))
    audience = rate = None
    if team_label is None and role_label is None and not chosen.hidden:
        audience = survey.audience_size if survey.audience_size is not None else audience_of(survey).count()
        rate = _percent(len(responses), audience) if audience else None
    row_teams = teams if mine is None else sorted(mine)
    table_rows = [(make(t, None), [make(t, r) for r in roles]) for t in row_teams]
    if mine is None and teams:
        table_rows.append((make(None, None), [make(None, r) for r in roles]))
    if all(s.hidden for total, cells in table_rows for s in [total, *cells]):
        table_rows = []  # a table of nothing but "not enough answers" says nothing
    outcome = Results(
        survey=survey,
        threshold=threshold,
        slice=chosen,
        slices_team=[make(t, None) for t in row_teams],
        slices_role=[make(None, r) for r in roles] if mine is None else [],
        audience=audience,
        response_rate=rate,
        questions=results,
        table_roles=[r or NO_ROLE for r in roles],
        table_rows=table_rows,
        team_options=([("", "All teams")] if mine is None else [])
        + [(t or NO_TEAM, t or NO_TEAM) for t in row_teams],
        role_options=[("", "All roles")] + [(r or NO_ROLE, r or NO_ROLE) for r in roles],
    )
    if compare:
        _compare_with_previous(outcome, viewer=viewer)
    return outcome


def _compare_with_previous(outcome: Results, *, viewer) -> None:
    previous = outcome.survey.previous
    if previous is None or not results_ready(previous, now=timezone.now()):
        return  # an earlier survey still open shows no figure, here neither
    chosen = outcome.slice
    before = results_for(
        survey=previous,
        viewer=viewer,
        team=None if chosen.team is None else (chosen.team or NO_TEAM),
        role=None if chosen.role is None else (chosen.role or NO_ROLE),
        compare=False,
    )
    if before is None:
        return
    by_key = {r.question.key: r for r in before.questions if r.question.key and not r.hidden}
    for result in outcome.questions:
        old = by_key.get(result.question.key) if result.question.key else None
        if old is not None and not result.hidden:
            result.previous_mean = old.mean
            result.previous_favourable = old.favourable
            result.previous_enps = old.enps
    outcome.previous_rate = before.response_rate


@dataclass
class Summary:
    survey: Survey
    respondents: int | None  # None when the whole survey is under the threshold
    response_rate: int | None
    previous_rate: int | None
    favourable: int | None  # mean favourable share over the agreement questions shown
    enps: int | None
    pending: bool = False  # still open: no figure until it closes


def week_summaries(*, week, viewer, now) -> list[Summary]:
    """Headline figures of the week's published or closed surveys, for the week recap and the
    coordinator dashboard; the same thresholds as the results page (a hidden survey shows none),
    and no figure of a survey still open (see results_ready)."""
    if not is_coordinator(viewer):
        return []
    summaries = []
    for survey in (
        Survey.objects.filter(week=week)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("week", "previous")
    ):
        if not results_ready(survey, now=now):
            summaries.append(
                Summary(
                    survey=survey,
                    respondents=None,
                    response_rate=None,
                    previous_rate=None,
                    favourable=None,
                    enps=None,
                    pending=True,
                )
            )
            continue
        results = results_for(survey=survey, viewer=viewer)
        shown = [] if results.slice.hidden else [q for q in results.questions if not q.hidden]
        favourables = [q.favourable for q in shown if q.favourable is not None]
        enps = next((q.enps for q in shown if q.enps is not None), None)
        summaries.append(
            Summary(
                survey=survey,
                respondents=None if results.slice.hidden else results.slice.respondents,
                response_rate=results.response_rate,
                previous_rate=results.previous_rate,
                favourable=round(sum(favourables) / len(favourables)) if favourables else None,
                enps=enps,
            )
        )
    return summaries
