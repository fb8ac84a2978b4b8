"""Reads for surveys. Results are aggregates only, with the minimum-respondents threshold and
complementary suppression applied here, so that no page or export can forget them."""

import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from people.models import Team
from people.permissions import is_coordinator, is_manager
from surveys import permissions
from surveys.models import Answer, Participation, Question, Response, Survey

User = get_user_model()
NO_TEAM = "No team"
NOT_ENOUGH = "Not enough answers to show"


def min_respondents() -> int:
    return max(int(getattr(settings, "SURVEY_MIN_RESPONDENTS", 5)), 2)


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


# --- Suppression ------------------------------------------------------------------------------


def suppress(
    counts: dict[str, int], *, parent: int, threshold: int, forced: frozenset | set = frozenset()
) -> set[str]:
    """The slices to hide among siblings of one parent. A slice under the threshold is hidden;
    while the hidden ones together are fewer than the threshold, or only one is hidden, the
    smallest shown sibling is hidden too, so that the parent minus the shown slices never
    isolates fewer than `threshold` people. A parent under the threshold hides everything.
    `forced` are slices hidden for another reason (see cross_suppress)."""
    if parent < threshold:
        return set(counts)
    hidden = {name for name, n in counts.items() if n < threshold} | set(forced)
    shown = sorted((n, name) for name, n in counts.items() if name not in hidden)
    while hidden and (len(hidden) == 1 or sum(counts[h] for h in hidden) < threshold) and shown:
        hidden.add(shown.pop(0)[1])
    return hidden


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
    key: str  # "" for the whole survey, "team:<name>" or "role:<name>"
    label: str
    respondents: int
    hidden: bool


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
    secrets.SystemRandom().shuffle(responses)
    return responses


def cross_suppress(
    teams: dict[str, set],
    roles: dict[str, set],
    *,
    hidden_teams: set[str],
    hidden_roles: set[str],
    total: int,
    threshold: int,
) -> set[str]:
    """Role slices to hide so that no shown team and shown role, subtracted from each other or
    from the whole, isolate fewer than `threshold` people (e.g. a role minus a team wholly inside
    it). Hiding a role runs the role dimension's own complementary suppression again."""
    hidden = set(hidden_roles)
    counts = {name: len(members) for name, members in roles.items()}
    changed = True
    while changed:
        changed = False
        for role, r in roles.items():
            if role in hidden:
                continue
            for team, t in teams.items():
                if team in hidden_teams:
                    continue
                rests = []
                if t <= r:
                    rests.append(len(r - t))
                if r <= t:
                    rests.append(len(t - r))
                if not r & t:
                    rests.append(total - len(r) - len(t))
                if any(0 < rest < threshold for rest in rests):
                    hidden = suppress(counts, parent=total, threshold=threshold, forced=hidden | {role})
                    changed = True
                    break
    return hidden


def _slices(responses: list[Response], attribute: str, prefix: str, threshold: int) -> list[Slice]:
    counts = Counter(getattr(r, attribute) or "" for r in responses)
    hidden = suppress(dict(counts), parent=len(responses), threshold=threshold)
    return [
        Slice(
            key=f"{prefix}:{name}",
            label=name or (NO_TEAM if prefix == "team" else "No role"),
            respondents=counts[name],
            hidden=name in hidden,
        )
        for name in sorted(counts)
    ]


def managed_team_names(user) -> set[str]:
    return set(Team.objects.filter(managers=user).values_list("name", flat=True))


def results_for(*, survey: Survey, viewer, slice_key: str = "", compare: bool = True) -> Results | None:
    """Aggregates for one slice the viewer may see; None when they may see none of it.

    Coordinators see the whole survey, team and role slices; managers only their teams' slices.
    Hidden slices (threshold + complementary suppression, per dimension and per question) show no
    figure, not even their count. Free text only in the whole survey and in a shown team slice."""
    threshold = min_respondents()
    responses = _responses(survey)
    team_slices = _slices(responses, "team_label", "team", threshold)
    role_slices = _slices(responses, "role_label", "role", threshold)
    members_of: dict[str, set] = {}
    for index, response in enumerate(responses):
        members_of.setdefault(f"team:{response.team_label or ''}", set()).add(index)
        members_of.setdefault(f"role:{response.role_label or ''}", set()).add(index)
    hidden_roles = cross_suppress(
        {s.key: members_of[s.key] for s in team_slices},
        {s.key: members_of[s.key] for s in role_slices},
        hidden_teams={s.key for s in team_slices if s.hidden},
        hidden_roles={s.key for s in role_slices if s.hidden},
        total=len(responses),
        threshold=threshold,
    )
    for role_slice in role_slices:
        role_slice.hidden = role_slice.key in hidden_roles
    coordinator = is_coordinator(viewer)
    if not coordinator:
        mine = managed_team_names(viewer)
        seen = {s.label for s in team_slices}
        team_slices = [s for s in team_slices if s.label in mine] + [
            Slice(key=f"team:{name}", label=name, respondents=0, hidden=True) for name in sorted(mine - seen)
        ]
        role_slices = []
        if not slice_key and team_slices:
            slice_key = team_slices[0].key
        if not slice_key:
            return None
    if slice_key:
        chosen = next((s for s in team_slices + role_slices if s.key == slice_key), None)
        if chosen is None:
            return None
    else:
        chosen = Slice(
            key="", label="Everyone", respondents=len(responses), hidden=len(responses) < threshold
        )
    dimension, _, name = slice_key.partition(":")
    if dimension == "team":
        members = [r for r in responses if (r.team_label or "") == name]
        siblings = responses
        sibling_attr = "team_label"
    elif dimension == "role":
        members = [r for r in responses if (r.role_label or "") == name]
        siblings = responses
        sibling_attr = "role_label"
    else:
        members, siblings, sibling_attr = responses, None, None
    questions = list(survey.questions.all())
    results = []
    for question in questions:
        if chosen.hidden:
            results.append(QuestionResult(question=question, hidden=True))
            continue
        answers = [a for r in members for a in r.answer_list if a.question_id == question.pk]
        hidden = len(answers) < threshold
        if siblings is not None and not hidden:
            # Optional questions: suppress again on who answered this question in each sibling.
            per = Counter(
                getattr(r, sibling_attr) or ""
                for r in siblings
                if any(a.question_id == question.pk for a in r.answer_list)
            )
            hidden = name in suppress(dict(per), parent=sum(per.values()), threshold=threshold)
        if hidden:
            results.append(QuestionResult(question=question, hidden=True))
            continue
        with_texts = dimension in ("", "team")
        results.append(_question_result(question, answers, with_texts=with_texts))
    audience = rate = None
    if not dimension and not chosen.hidden:
        audience = survey.audience_size if survey.audience_size is not None else audience_of(survey).count()
        rate = _percent(len(responses), audience) if audience else None
    outcome = Results(
        survey=survey,
        threshold=threshold,
        slice=chosen,
        slices_team=team_slices,
        slices_role=role_slices,
        audience=audience,
        response_rate=rate,
        questions=results,
    )
    if compare:
        _compare_with_previous(outcome, viewer=viewer, slice_key=slice_key)
    return outcome


def _compare_with_previous(outcome: Results, *, viewer, slice_key: str) -> None:
    previous = outcome.survey.previous
    if previous is None or previous.is_draft:
        return
    before = results_for(survey=previous, viewer=viewer, slice_key=slice_key, compare=False)
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


def week_summaries(*, week, viewer) -> list[Summary]:
    """Headline figures of the week's published or closed surveys, for the week recap and the
    coordinator dashboard; the same thresholds as the results page (a hidden survey shows none)."""
    if not is_coordinator(viewer):
        return []
    summaries = []
    for survey in (
        Survey.objects.filter(week=week)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("week", "previous")
    ):
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
