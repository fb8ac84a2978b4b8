"""Email kinds of surveys: the invitation when a survey opens and one reminder before it closes.

Each context reads the survey again when the email is sent: a survey closed since, or a person
who has answered meanwhile, gets nothing.
"""

from django.urls import reverse
from django.utils import timezone

from outbox.kinds import Kind, register
from outbox.preferences import Preference, register_preference
from surveys.models import Participation, Survey
from surveys.selectors import min_respondents


def _open_survey(delivery) -> Survey | None:
    survey = delivery.about
    if survey is None or not survey.is_open_at(timezone.now()):
        return None
    if Participation.objects.filter(survey=survey, user_id=delivery.recipient_id).exists():
        return None
    return survey


def survey_email_context(delivery) -> dict | None:
    survey = _open_survey(delivery)
    if survey is None:
        return None
    return {
        "survey": survey,
        "person": delivery.recipient,
        "answer_path": reverse("surveys:answer", args=[survey.pk]),
        "threshold": min_respondents(),
    }


def _year_of(survey: Survey) -> int:
    return survey.week.year


SURVEYS = register_preference(
    Preference(key="email_surveys", label="surveys", help_text="Invitations and reminders to answer surveys")
)

SURVEY_INVITATION = register(
    Kind(
        name="survey_invitation",
        label="Surveys: invitation",
        context=survey_email_context,
        week_of=_year_of,
        preference=SURVEYS.key,
    )
)
SURVEY_REMINDER = register(
    Kind(
        name="survey_reminder",
        label="Surveys: last day to answer",
        context=survey_email_context,
        week_of=_year_of,
        preference=SURVEYS.key,
    )
)
