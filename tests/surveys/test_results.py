"""Results apply the threshold and complementary suppression: no hidden slice can be worked out."""

import re

import pytest
from django.urls import reverse

from surveys import selectors, services
from tests.factories import ManagerFactory, TeamFactory
from tests.surveys.conftest import answer, make_survey, team_of


@pytest.fixture
def teams_12_9_3(coordinator, week):
    """A pulse answered by teams of 12 (all 5s), 9 (all 4s) and 3 (all 1s, with comments)."""
    survey = make_survey(by=coordinator, week=week)
    for person in team_of("Twelve", 12):
        answer(survey, person, number=5, text="Twelve says hi")
    for person in team_of("Nine", 9):
        answer(survey, person, number=4, text="Nine says hi")
    for person in team_of("Three", 3):
        answer(survey, person, number=1, text="Three says secret")
    return survey


def _figures(results) -> dict:
    """Every figure a results page shows: per slice, per question, the rows, mean and favourable."""
    return {
        q.question.key: (q.hidden, q.rows, q.mean, q.favourable, sorted(q.texts)) for q in results.questions
    }


def test_results_teams_12_9_3_show_only_team_of_12_and_everyone(teams_12_9_3, coordinator):
    results = selectors.results_for(survey=teams_12_9_3, viewer=coordinator)
    assert [(s.label, s.hidden) for s in results.slices_team] == [
        ("Nine", True),
        ("Three", True),
        ("Twelve", False),
    ]
    nine = selectors.results_for(survey=teams_12_9_3, viewer=coordinator, slice_key="team:Nine")
    three = selectors.results_for(survey=teams_12_9_3, viewer=coordinator, slice_key="team:Three")
    assert all(q.hidden for q in nine.questions)
    assert all(q.hidden for q in three.questions)
    everyone = _figures(results)
    twelve = _figures(selectors.results_for(survey=teams_12_9_3, viewer=coordinator, slice_key="team:Twelve"))
    # Everyone minus the only team shown is the 12 people of Nine and Three together, never Three alone.
    respect = everyone["respect-customers"][1]
    shown = twelve["respect-customers"][1]
    rest = [count - other for (_, count, _), (_, other, _) in zip(respect, shown, strict=True)]
    assert rest == [3, 0, 0, 9, 0]
    assert sum(rest) == 12
    # No figure that is shown is about a group of fewer than 5.
    role = selectors.results_for(survey=teams_12_9_3, viewer=coordinator, slice_key="role:Agent")
    assert role.slice.respondents == 24


def test_results_page_teams_12_9_3_shows_no_figure_of_team_of_3(client, teams_12_9_3, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("surveys:results", args=[teams_12_9_3.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    # Nine and Three in the team × role table: their totals and their (only) Agent cells.
    assert html.count("Not enough answers to show") == 4
    assert re.search(r"Twelve</th>\s*<td>\s*12\s*</td>", html)
    three = client.get(reverse("surveys:results", args=[teams_12_9_3.pk]), {"slice": "team:Three"})
    body = three.content.decode()
    assert "Not enough answers to show." in body
    assert "Three says secret" not in body
    assert "<canvas" not in body


def test_results_slice_of_4_shows_nothing_but_not_enough_answers(coordinator, week):
    team = TeamFactory(name="Four")
    manager = ManagerFactory(team=team)
    team.managers.add(manager)
    survey = make_survey(by=coordinator, week=week)
    for person in team_of("Four", 4):
        answer(survey, person, number=2, text="Four speaks")
    for person in team_of("Big", 10):
        answer(survey, person, number=5)
    results = selectors.results_for(survey=survey, viewer=manager)
    assert results.slice.label == "Four"
    assert results.slice.hidden is True
    assert [q.hidden for q in results.questions] == [True] * 5
    assert [q.rows for q in results.questions] == [[]] * 5


def test_results_page_slice_of_4_for_its_manager(client, coordinator, week):
    team = TeamFactory(name="Four")
    manager = ManagerFactory(team=team)
    team.managers.add(manager)
    survey = make_survey(by=coordinator, week=week)
    for person in team_of("Four", 4):
        answer(survey, person, number=2, text="Four speaks")
    client.force_login(manager)
    page = client.get(reverse("surveys:results", args=[survey.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Not enough answers to show." in html
    assert "Four speaks" not in html
    assert "<table" not in html
    assert "answered." not in html


def test_results_manager_sees_only_own_team_slice(client, teams_12_9_3):
    manager = ManagerFactory()
    TeamFactory(name="Twelve").managers.add(manager)
    results = selectors.results_for(survey=teams_12_9_3, viewer=manager)
    assert [s.label for s in results.slices_team] == ["Twelve"]
    assert results.slices_role == []
    assert results.response_rate is None
    assert selectors.results_for(survey=teams_12_9_3, viewer=manager, slice_key="team:Nine") is None
    assert selectors.results_for(survey=teams_12_9_3, viewer=manager, slice_key="role:Agent") is None
    client.force_login(manager)
    assert (
        client.get(reverse("surveys:results", args=[teams_12_9_3.pk]), {"slice": "team:Nine"}).status_code
        == 404
    )


def test_results_free_text_only_in_whole_and_team_slices(teams_12_9_3, coordinator):
    everyone = selectors.results_for(survey=teams_12_9_3, viewer=coordinator)
    texts = everyone.questions[-1].texts
    assert sorted(set(texts)) == ["Nine says hi", "Three says secret", "Twelve says hi"]
    assert len(texts) == 24
    role = selectors.results_for(survey=teams_12_9_3, viewer=coordinator, slice_key="role:Agent")
    assert role.questions[-1].texts == []


def test_results_optional_question_suppressed_across_questions(coordinator, week):
    """Everyone answers the required questions; in Nine only 3 answer the optional one: that
    question is hidden for Nine (and Twelve, its complement), although Nine's slice is shown."""
    survey = make_survey(by=coordinator, week=week, template="scratch", publish=False)
    services.question_add(
        by=coordinator, survey=survey, text="Respected?", kind="agreement", required=True, choices=[]
    )
    optional = services.question_add(
        by=coordinator, survey=survey, text="Extra?", kind="agreement", required=False, choices=[]
    )
    services.survey_publish(by=coordinator, survey=survey)
    survey.refresh_from_db()
    first = survey.questions.order_by("position").first()
    for index, person in enumerate(team_of("Nine", 9)):
        values = {first.pk: 4, optional.pk: 2 if index < 3 else None}
        services.response_submit(survey=survey, user=person, values=values)
    for person in team_of("Twelve", 12):
        services.response_submit(survey=survey, user=person, values={first.pk: 5, optional.pk: 5})
    nine = selectors.results_for(survey=survey, viewer=coordinator, slice_key="team:Nine")
    twelve = selectors.results_for(survey=survey, viewer=coordinator, slice_key="team:Twelve")
    assert [q.hidden for q in nine.questions] == [False, True]
    assert [q.hidden for q in twelve.questions] == [False, True]


def test_results_favourable_mean_and_enps(coordinator, week):
    survey = make_survey(by=coordinator, week=week, template="enps")
    scores = [10, 10, 9, 8, 7, 6, 0, 10]
    team = team_of("Scores", len(scores))
    for person, score in zip(team, scores, strict=True):
        answer(survey, person, enps=score, text="")
    results = selectors.results_for(survey=survey, viewer=coordinator)
    enps = results.questions[0]
    assert enps.enps == round(100 * (4 - 2) / 8)
    assert enps.mean == 7.5


def test_results_compare_with_last_year(coordinator, week):
    from tests.events.factories import WeekFactory

    last = make_survey(by=coordinator, week=WeekFactory(year=2029), title="Pulse 2029")
    for person in team_of("Old", 6):
        answer(last, person, number=3)
    survey = make_survey(by=coordinator, week=week, template="scratch", copy_from=last)
    for person in team_of("New", 6):
        answer(survey, person, number=5)
    results = selectors.results_for(survey=survey, viewer=coordinator)
    first = results.questions[0]
    assert (first.favourable, first.previous_favourable) == (100, 0)
    assert (first.mean, first.previous_mean) == (5.0, 3.0)


def test_results_team_by_role_cross_filter_hides_role_slices(coordinator, week):
    survey = make_survey(by=coordinator, week=week)
    for person in team_of("A", 12):
        answer(survey, person, number=5)
    boss_team = TeamFactory(name="B")
    for _ in range(9):
        answer(survey, ManagerFactory(team=boss_team), number=4)
    for person in team_of("C", 3):
        answer(survey, person, number=1)
    results = selectors.results_for(survey=survey, viewer=coordinator)
    assert [(s.label, s.hidden) for s in results.slices_role] == [("Agent", True), ("Manager", True)]
    agents = selectors.results_for(survey=survey, viewer=coordinator, slice_key="role:Agent")
    assert all(q.hidden for q in agents.questions)


def test_week_summaries_for_coordinator_follow_the_threshold(coordinator, week, agent):
    shown = make_survey(by=coordinator, week=week, title="Shown")
    for person in team_of("Six", 6):
        answer(shown, person, number=5)
    make_survey(by=coordinator, week=week, title="Hidden")
    summaries = {s.survey.title: s for s in selectors.week_summaries(week=week, viewer=coordinator)}
    assert (summaries["Shown"].respondents, summaries["Shown"].favourable) == (6, 100)
    assert summaries["Hidden"].respondents is None
    assert selectors.week_summaries(week=week, viewer=agent) == []
