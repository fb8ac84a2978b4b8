"""Anonymity by design: what the answer rows hold, and that nothing links them to who answered."""

import pytest
from django.contrib import admin
from django.urls import reverse

from surveys.models import Answer, Participation, Response
from tests.surveys.conftest import answer


def _columns(model) -> list[str]:
    return sorted(field.column for field in model._meta.concrete_fields)


def test_response_columns_hold_no_person_team_id_ip_or_time():
    assert _columns(Response) == ["day", "id", "role_label", "survey_id", "team_label"]
    assert Response._meta.get_field("id").get_internal_type() == "UUIDField"
    assert Response._meta.get_field("day").get_internal_type() == "DateField"


def test_answer_columns_hold_no_person_or_time():
    assert _columns(Answer) == ["id", "number", "question_id", "response_id", "selected", "text"]
    assert Answer._meta.get_field("id").get_internal_type() == "UUIDField"


def test_participation_shares_no_key_with_answers():
    assert _columns(Participation) == ["id", "survey_id", "user_id"]
    assert Participation._meta.get_field("id").get_internal_type() == "UUIDField"
    related = {f.related_model for f in Participation._meta.get_fields() if f.is_relation}
    assert Response not in related
    assert Answer not in related


def test_admin_registers_no_answer_response_or_participation():
    registered = set(admin.site._registry)
    assert Response not in registered
    assert Answer not in registered
    assert Participation not in registered


def test_admin_survey_page_shows_no_person_beside_an_answer(client, coordinator, survey, agent):
    answer(survey, agent, text="My manager shouts")
    coordinator.is_staff = True
    coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    page = client.get(reverse("admin:surveys_survey_change", args=[survey.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "My manager shouts" not in html
    assert agent.email not in html
    assert client.get("/admin/surveys/response/").status_code == 404
    assert client.get("/admin/surveys/participation/").status_code == 404


def test_response_ids_do_not_follow_answering_order(survey):
    from tests.factories import AgentFactory

    people = [AgentFactory() for _ in range(6)]
    for person in people:
        answer(survey, person)
    ids = [r.pk for r in Response.objects.order_by("pk")]
    participation_ids = [p.pk for p in Participation.objects.order_by("pk")]
    # Random UUIDs: sorting by key gives no answering order to line up with the participations.
    assert len({str(i)[:8] for i in ids}) == 6
    assert len(participation_ids) == 6


def test_answered_person_sees_thanks_and_cannot_answer_again(client, survey, agent):
    answer(survey, agent)
    client.force_login(agent)
    page = client.get(reverse("surveys:answer", args=[survey.pk]))
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:thanks", args=[survey.pk])


@pytest.mark.django_db(transaction=True)
def test_responses_mix_gives_answers_one_transaction_id(coordinator, week):
    """On PostgreSQL each row carries the id of the transaction that wrote it (xmin): after the mix,
    no answer shares it with the participation written beside it."""
    from django.db import connection
    from django.utils import timezone

    from surveys import services
    from tests.factories import AgentFactory
    from tests.surveys.conftest import make_survey

    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    survey = make_survey(by=coordinator, week=week)
    for _ in range(3):
        answer(survey, AgentFactory())
    assert services.responses_mix(now=timezone.now()) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT xmin::text FROM surveys_response")
        response_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT xmin::text FROM surveys_answer")
        answer_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT xmin::text FROM surveys_participation")
        participation_xmins = {row[0] for row in cursor.fetchall()}
    assert len(response_xmins) == 1
    assert answer_xmins == response_xmins
    assert participation_xmins.isdisjoint(response_xmins)


def test_results_of_an_open_survey_show_no_figure_to_difference(client, coordinator, survey):
    """Looking before and after one person answers would give their answers away: while the
    survey is open, the page, the exports and the dashboard summary show no figure at all."""
    from django.utils import timezone

    from surveys import selectors
    from tests.factories import AgentFactory, TeamFactory
    from tests.surveys.conftest import close

    team = TeamFactory(name="Crowd")
    for _ in range(6):
        answer(survey, AgentFactory(team=team), number=5, text="Crowd comment")
    client.force_login(coordinator)
    url = reverse("surveys:results", args=[survey.pk])
    before = client.get(url).content.decode()
    answer(survey, AgentFactory(team=team), number=1, text="Last one in")
    after = client.get(url).content.decode()
    for page in (before, after):
        assert "people answered" not in page
        assert "Crowd comment" not in page
        assert "<canvas" not in page
        assert "Results are shown once it closes" in page
    assert "Last one in" not in after
    for name in ("surveys:results_csv", "surveys:results_xlsx"):
        assert client.get(reverse(name, args=[survey.pk])).status_code == 404
    (summary,) = selectors.week_summaries(week=survey.week, viewer=coordinator, now=timezone.now())
    assert (summary.pending, summary.respondents, summary.favourable) == (True, None, None)
    close(survey)
    page = client.get(url).content.decode()
    assert "7 people answered." in page
    assert client.get(reverse("surveys:results_csv", args=[survey.pk])).status_code == 200


def test_admin_cannot_reopen_a_closed_survey_or_change_its_questions(client, coordinator, survey):
    """Reopening a closed survey for one more answer, then closing it again, would give that answer
    away by difference: the back office keeps a published survey's status, window and questions."""
    from surveys.models import Survey
    from tests.surveys.conftest import close

    close(survey)
    coordinator.is_staff = True
    coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    url = reverse("admin:surveys_survey_change", args=[survey.pk])
    html = client.get(url).content.decode()
    assert 'name="status"' not in html
    assert 'name="closes_at_0"' not in html
    assert 'name="questions-0-text"' not in html
    closes_at = survey.closes_at
    client.post(
        url,
        {
            "title": survey.title,
            "template": survey.template,
            "intro": "",
            "status": "published",
            "closes_at_0": "2099-01-01",
            "closes_at_1": "10:00:00",
        },
    )
    survey = Survey.objects.get(pk=survey.pk)
    assert (survey.status, survey.closes_at) == ("closed", closes_at)
    assert client.get(reverse("admin:surveys_survey_delete", args=[survey.pk])).status_code == 403
