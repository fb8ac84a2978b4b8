"""The rules of building and answering surveys, driven through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from surveys import services
from surveys.models import Answer, Participation, Question, Response, Survey
from tests.factories import AgentFactory
from tests.surveys.conftest import answer, make_survey


def test_survey_create_from_pulse_template_has_five_ordered_questions(survey):
    questions = list(survey.questions.order_by("position"))
    assert [q.position for q in questions] == [0, 1, 2, 3, 4]
    assert [q.kind for q in questions] == ["agreement"] * 4 + ["text"]
    assert questions[-1].required is False


def test_survey_create_staff_template_has_twelve_questions_with_enps(coordinator, week):
    survey = make_survey(by=coordinator, week=week, template="staff", publish=False)
    assert survey.questions.count() == 12
    assert list(survey.questions.filter(is_enps=True).values_list("kind", flat=True)) == ["scale"]


def test_survey_create_by_agent_is_refused(agent, week):
    with pytest.raises(PermissionDenied):
        make_survey(by=agent, week=week)


def test_survey_copy_keeps_questions_and_links_previous(coordinator, week, survey):
    copy = make_survey(by=coordinator, week=week, template="scratch", publish=False, copy_from=survey)
    assert copy.previous == survey
    assert list(copy.questions.values_list("key", "text")) == list(
        survey.questions.values_list("key", "text")
    )


def test_question_add_needs_two_choices_for_single_choice(coordinator, week):
    draft = make_survey(by=coordinator, week=week, template="scratch", publish=False)
    with pytest.raises(ValidationError) as error:
        services.question_add(
            by=coordinator, survey=draft, text="Pick", kind="single", required=True, choices=["A"]
        )
    assert error.value.message_dict == {"choices": ["Give at least two choices, one a line."]}


def test_question_add_on_published_survey_is_refused(coordinator, survey):
    with pytest.raises(ValidationError):
        services.question_add(
            by=coordinator, survey=survey, text="More?", kind="text", required=False, choices=[]
        )


def test_survey_publish_without_questions_is_refused(coordinator, week):
    draft = make_survey(by=coordinator, week=week, template="scratch", publish=False)
    with pytest.raises(ValidationError) as error:
        services.survey_publish(by=coordinator, survey=draft)
    assert error.value.messages == ["Add at least one question before publishing."]


def test_response_submit_racing_a_first_answer_is_refused_not_a_server_error(survey, agent, monkeypatch):
    answer(survey, agent)

    class NotSeenYet:  # the check ran before the first answer was committed
        def exists(self):
            return False

    monkeypatch.setattr(services.Participation.objects, "filter", lambda **kwargs: NotSeenYet())
    with pytest.raises(ValidationError) as error:
        answer(survey, agent)
    assert error.value.messages == [services.ALREADY_ANSWERED]
    monkeypatch.undo()
    assert Response.objects.filter(survey=survey).count() == 1


def test_response_submit_twice_is_refused(survey, agent):
    answer(survey, agent)
    with pytest.raises(ValidationError) as error:
        answer(survey, agent)
    assert error.value.messages == ["You have already answered this survey: answers cannot be changed."]
    assert Response.objects.filter(survey=survey).count() == 1
    survey.refresh_from_db()
    assert survey.respondent_count == 1


def test_response_submit_missing_required_answer_saves_nothing(survey, agent):
    first = survey.questions.order_by("position").first()
    with pytest.raises(ValidationError) as error:
        services.response_submit(survey=survey, user=agent, values={first.pk: 4})
    assert len(error.value.message_dict) == 3
    assert Participation.objects.count() == 0
    assert Response.objects.count() == 0


def test_response_submit_out_of_range_is_refused(survey, agent):
    values = {q.pk: 9 for q in survey.questions.exclude(kind="text")}
    with pytest.raises(ValidationError) as error:
        services.response_submit(survey=survey, user=agent, values=values)
    assert set(error.value.messages) == {"Choose a number from 1 to 5."}


def test_response_submit_outside_audience_is_refused(coordinator, week, team, other_agent):
    survey = make_survey(by=coordinator, week=week, teams=[team])
    with pytest.raises(PermissionDenied):
        answer(survey, other_agent)


def test_response_submit_after_close_is_refused(coordinator, survey, agent):
    services.survey_close(by=coordinator, survey=survey)
    survey.refresh_from_db()
    with pytest.raises(ValidationError):
        answer(survey, agent)


def test_response_keeps_day_team_name_and_role_but_not_the_person(survey, agent):
    answer(survey, agent, text="Be kind")
    response = Response.objects.get()
    zone_day = timezone.localtime(timezone.now(), datetime.UTC).date()
    assert abs((response.day - zone_day).days) <= 1
    assert (response.team_label, response.role_label) == ("Front Line", "Agent")
    assert Answer.objects.filter(response=response).count() == 5


def test_invitations_create_once_when_survey_opens(
    survey, agent, other_agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_create(now=timezone.now()) == 0
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert "agent@example.com" in recipients
    assert recipients.count("agent@example.com") == 1
    assert mailoutbox[0].subject == "Your view counts: Service with Respect pulse"
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_reminders_create_only_for_non_respondents_24h_before_close(
    coordinator, week, agent, other_agent, mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    survey = make_survey(by=coordinator, week=week, closes_at=now + datetime.timedelta(hours=30))
    answer(survey, agent)
    assert services.reminders_create(now=now) == 0  # 30 h before closing: not yet
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_create(now=now + datetime.timedelta(hours=7))
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert "agent@example.com" not in recipients
    assert "otheragent@example.com" in recipients
    assert mailoutbox[0].subject == "Last day to answer: Service with Respect pulse"


def test_survey_email_opted_out_is_skipped(survey, mailoutbox, django_capture_on_commit_callbacks):
    from tests.factories import opt_out

    Survey.objects.exclude(pk=survey.pk).delete()
    person = AgentFactory(email="quiet@example.com")
    opt_out(person, "email_surveys")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(now=timezone.now())
    assert "quiet@example.com" not in [a for m in mailoutbox for a in m.to]


def test_question_kinds_are_the_five_of_the_issue():
    assert [k for k, _ in Question.Kind.choices] == ["agreement", "scale", "single", "multiple", "text"]


def test_survey_create_from_template_compares_with_last_years_same_template(coordinator, survey):
    from tests.events.factories import WeekFactory

    next_year = make_survey(by=coordinator, week=WeekFactory(year=2031), publish=False)
    other = make_survey(by=coordinator, week=WeekFactory(year=2031), template="enps", publish=False)
    assert next_year.previous == survey
    assert other.previous is None
