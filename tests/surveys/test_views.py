"""Pages of surveys: who may open them, what they answer, and flat query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Response, Survey
from tests.factories import AgentFactory, TeamFactory
from tests.surveys.conftest import answer, close, make_survey


def test_answer_page_keeps_typed_answers_on_error(client, survey, agent):
    client.force_login(agent)
    questions = list(survey.questions.order_by("position"))
    data = {f"q{questions[0].pk}": "5", f"q{questions[-1].pk}": "Keep <b>this</b>"}
    page = client.post(reverse("surveys:answer", args=[survey.pk]), data)
    html = page.content.decode()
    assert page.status_code == 400
    assert html.count("Please answer this question.") == 3
    assert "Keep &lt;b&gt;this&lt;/b&gt;" in html
    assert re.search(rf'name="q{questions[0].pk}" value="5"[^>]*checked', html)
    assert Response.objects.count() == 0


def test_answer_page_submits_and_thanks(client, survey, agent):
    client.force_login(agent)
    data = {f"q{q.pk}": "4" for q in survey.questions.exclude(kind="text")}
    page = client.post(reverse("surveys:answer", args=[survey.pk]), data)
    assert page.status_code == 302
    thanks = client.get(page["Location"])
    assert thanks.status_code == 200
    assert "How results are shared" in thanks.content.decode()
    assert Response.objects.count() == 1


def test_answer_page_outside_audience_is_404(client, coordinator, week, other_agent, team):
    survey = make_survey(by=coordinator, week=week, teams=[team])
    client.force_login(other_agent)
    assert client.get(reverse("surveys:answer", args=[survey.pk])).status_code == 404


def test_answer_page_of_draft_is_404(client, coordinator, week, agent):
    survey = make_survey(by=coordinator, week=week, publish=False)
    client.force_login(agent)
    assert client.get(reverse("surveys:answer", args=[survey.pk])).status_code == 404


def test_dashboard_and_schedule_link_to_open_survey(client, survey, agent):
    client.force_login(agent)
    url = reverse("surveys:answer", args=[survey.pk])
    assert url in client.get(reverse("dashboard")).content.decode()
    answer(survey, agent)
    assert url not in client.get(reverse("dashboard")).content.decode()


def test_results_forbidden_to_agents(client, survey, agent):
    client.force_login(agent)
    assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 403


def test_results_csv_is_aggregates_only_and_audited(client, coordinator, survey):
    from audit.models import AuditEntry

    people = [AgentFactory(team=TeamFactory(name="Solo")) for _ in range(6)]
    for person in people:
        answer(survey, person, text="=HYPERLINK(1)")
    close(survey)
    client.force_login(coordinator)
    response = client.get(reverse("surveys:results_csv", args=[survey.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.splitlines()[0] == "slice,question,answer,count,percent,mean,favourable %"
    assert "HYPERLINK" not in body
    assert people[0].email not in body
    assert AuditEntry.objects.filter(action="export.survey_results").count() == 1
    xlsx = client.get(reverse("surveys:results_xlsx", args=[survey.pk]))
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_create_survey_form_keeps_input_on_error(client, coordinator, week):
    client.force_login(coordinator)
    page = client.post(
        reverse("surveys:create"),
        {
            "week": week.pk,
            "start_from": "pulse",
            "title": "Kept title",
            "opens_day": "2030-10-07",
            "opens_time": "09:00",
            "closes_day": "2030-10-06",
            "closes_time": "17:00",
        },
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "The survey must close after it opens." in html
    assert 'value="Kept title"' in html
    assert Survey.objects.count() == 0


def test_create_survey_tied_to_day_theme_opens_that_day_local(client, coordinator, week):
    from tests.events.factories import DayThemeFactory

    theme = DayThemeFactory(week=week)
    client.force_login(coordinator)
    page = client.post(
        reverse("surveys:create"),
        {
            "week": week.pk,
            "start_from": "pulse",
            "day_theme": theme.pk,
            "opens_time": "09:00",
            "closes_day": week.ends_on.isoformat(),
            "closes_time": "17:00",
        },
    )
    survey = Survey.objects.get()
    assert page.status_code == 302
    assert survey.title == "Service with Respect pulse"
    # Europe/London is on summer time (UTC+1) in early October.
    assert survey.opens_at == datetime.datetime.combine(theme.date, datetime.time(8, 0), tzinfo=datetime.UTC)


def test_publish_asks_first_with_count(client, coordinator, week, agent, other_agent):
    survey = make_survey(by=coordinator, week=week, publish=False)
    client.force_login(coordinator)
    page = client.get(reverse("surveys:publish", args=[survey.pk]))
    assert "Publish and invite 3 people" in page.content.decode()  # agent, other agent, coordinator
    client.post(reverse("surveys:publish", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == "published"


def _answered_by(survey, size: int) -> None:
    team = TeamFactory(name=f"Team of {size}")
    for _ in range(size):
        answer(survey, AgentFactory(team=team), number=4, text="Fine")


@pytest.mark.parametrize("size", [3, 300])
def test_results_query_count_flat(client, coordinator, week, size, django_assert_max_num_queries):
    last = make_survey(by=coordinator, week=week, title="Last year")
    _answered_by(last, size)
    close(last)
    survey = make_survey(by=coordinator, week=week, template="scratch", copy_from=last)
    _answered_by(survey, size)
    close(survey)
    client.force_login(coordinator)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("surveys:results", args=[survey.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("size", [3, 300])
def test_results_filtered_query_count_flat(client, coordinator, week, size, django_assert_max_num_queries):
    """The team × role filter, with last year's same cell to compare with: the same ceiling."""
    last = make_survey(by=coordinator, week=week, title="Last year")
    _answered_by(last, size)
    close(last)
    survey = make_survey(by=coordinator, week=week, template="scratch", copy_from=last)
    _answered_by(survey, size)
    close(survey)
    client.force_login(coordinator)
    with django_assert_max_num_queries(14):
        page = client.get(
            reverse("surveys:results", args=[survey.pk]), {"team": f"Team of {size}", "role": "Agent"}
        )
    assert page.status_code == 200
    assert f"<h2>Team of {size} × Agent</h2>" in page.content.decode()


@pytest.mark.parametrize("size", [3, 300])
def test_survey_list_query_count_flat(client, coordinator, week, size, django_assert_max_num_queries):
    for index in range(3 if size == 3 else 30):
        make_survey(by=coordinator, week=week, title=f"Survey {index}")
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("surveys:list")).status_code == 200


def test_closed_survey_page_says_so(client, coordinator, week, agent):
    now = timezone.now()
    survey = make_survey(
        by=coordinator,
        week=week,
        opens_at=now + datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=2),
    )
    client.force_login(agent)
    assert "This survey opens on" in client.get(reverse("surveys:answer", args=[survey.pk])).content.decode()
