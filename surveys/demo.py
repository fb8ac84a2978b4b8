"""Demo surveys for seed_demo: last year's and this year's Service with Respect pulse, closed, with
enough answers to show results and one team (Customer Success) below the threshold.

The answers are written as the service stores them: no person on them, the day only. Idempotent:
a survey that exists already (by week and title) is left alone.
"""

import datetime
import random
import zoneinfo

from django.utils import timezone

from events.models import Week
from people.models import User
from surveys.models import Answer, Participation, Question, Response, Survey
from surveys.templates_library import PULSE

TITLE = "Service with Respect pulse"
# Respondents per team and role: Customer Success (3) hidden, and with it the next smallest team;
# in the team × role table the two managers of Front Line Support are hidden, and with them enough
# other figures that no subtraction gives their answers.
RESPONDENTS = {
    "Front Line Support": {"Agent": 9, "Manager": 2},
    "Billing and Accounts": {"Agent": 7, "Manager": 5},
    "Technical Support": {"Agent": 6},
    "Customer Success": {"Agent": 3},
}
COMMENTS = [
    "More time between difficult calls would help.",
    "Customers are mostly kind; a few are abusive and we need a clear way to end those calls.",
    "My team lead always backs me up.",
    "Recognise the quiet work, not only the big saves.",
    "Respect goes both ways: tell us why decisions are made.",
    "A short debrief after escalations would make a difference.",
]


def _survey(week: Week, previous: Survey | None) -> tuple[Survey, bool]:
    zone = zoneinfo.ZoneInfo(week.time_zone)
    opens_at = datetime.datetime.combine(week.starts_on, datetime.time(9, 0), tzinfo=zone)
    closes_at = datetime.datetime.combine(week.ends_on, datetime.time(17, 0), tzinfo=zone)
    existing = Survey.objects.filter(week=week, title=TITLE).first()
    if existing is not None:
        return existing, False
    survey = Survey.objects.create(
        week=week,
        title=TITLE,
        template=Survey.Template.PULSE,
        intro="Five questions on respect at work, from customers, colleagues and managers.",
        opens_at=opens_at,
        closes_at=closes_at,
        status=Survey.Status.CLOSED,
        previous=previous,
        invited=True,
        reminded=True,
        audience_size=32,
    )
    Question.objects.bulk_create(
        Question(
            survey=survey, position=i, key=key, text=text, kind=kind, required=kind != "text", is_enps=False
        )
        for i, (key, text, kind) in enumerate(PULSE)
    )
    return survey, True


def _answers(survey: Survey, *, lift: int) -> None:
    rng = random.Random(survey.week.year)
    questions = list(survey.questions.all())
    days = survey.week.days
    people = list(User.objects.filter(team__name__in=RESPONDENTS, is_active=True).order_by("pk"))
    responses, answers = [], []
    cells = [(team, role, count) for team, roles in RESPONDENTS.items() for role, count in roles.items()]
    for team, role, count in cells:
        for _ in range(count):
            response = Response(survey=survey, day=rng.choice(days), team_label=team, role_label=role)
            responses.append(response)
            for question in questions:
                if question.kind == Question.Kind.TEXT:
                    if rng.random() < 0.5:
                        answers.append(
                            Answer(response=response, question=question, text=rng.choice(COMMENTS))
                        )
                    continue
                low = 1 if team == "Customer Success" else 2 + lift
                answers.append(Answer(response=response, question=question, number=rng.randint(low, 5)))
    rng.shuffle(responses)
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    # Who answered (the demo's people stand for some of last year's respondents).
    Participation.objects.bulk_create(
        [Participation(survey=survey, user=person) for person in people], ignore_conflicts=True
    )
    Survey.objects.filter(pk=survey.pk).update(respondent_count=len(responses))


def seed(*, scale: int = 0, stdout=None) -> None:
    """Last year's and this year's pulse (closed, compared year on year). Needs the demo weeks."""
    this_year = timezone.localdate().year
    previous = None
    for year, lift in ((this_year - 1, 0), (this_year, 1)):
        week = Week.objects.filter(year=year).first()
        if week is None:
            return
        survey, created = _survey(week, previous)
        if created:
            _answers(survey, lift=lift)
        previous = survey
