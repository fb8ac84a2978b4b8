"""Results apply the threshold and complementary suppression: no hidden slice can be worked out."""

import itertools
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import selectors, services
from tests.factories import AgentFactory, ManagerFactory, TeamFactory
from tests.surveys.conftest import answer, close, make_survey, team_of


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
    return close(survey)


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
    close(survey)
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
    close(last)
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
    close(shown)
    close(make_survey(by=coordinator, week=week, title="Hidden"))
    summaries = {
        s.survey.title: s for s in selectors.week_summaries(week=week, viewer=coordinator, now=timezone.now())
    }
    assert (summaries["Shown"].respondents, summaries["Shown"].favourable) == (6, 100)
    assert summaries["Hidden"].respondents is None
    assert selectors.week_summaries(week=week, viewer=agent, now=timezone.now()) == []


# --- The team × role filter ----------------------------------------------------------------------


def _people(survey, team_name: str, *, agents: int, managers: int, agent_number: int, manager_number: int):
    team = TeamFactory(name=team_name)
    for _ in range(agents):
        answer(survey, AgentFactory(team=team), number=agent_number, text=f"{team_name} agent comment")
    for _ in range(managers):
        answer(survey, ManagerFactory(team=team), number=manager_number, text=f"{team_name} manager comment")
    return team


@pytest.fixture
def north_south(coordinator, week):
    """North: 8 agents (all 5s) and 6 managers (all 2s); South: 9 agents (4s) and 5 managers (1s).
    Every cell of the team × role table holds at least 5 people."""
    survey = make_survey(by=coordinator, week=week)
    _people(survey, "North", agents=8, managers=6, agent_number=5, manager_number=2)
    _people(survey, "South", agents=9, managers=5, agent_number=4, manager_number=1)
    return close(survey)


def test_results_team_by_role_cell_for_coordinator(north_south, coordinator):
    cell = selectors.results_for(survey=north_south, viewer=coordinator, team="North", role="Agent")
    assert (cell.slice.label, cell.slice.respondents, cell.slice.hidden) == ("North × Agent", 8, False)
    first = cell.questions[0]
    assert (first.hidden, first.mean, first.favourable) == (False, 5.0, 100)
    assert [count for _, count, _ in first.rows] == [0, 0, 0, 0, 8]
    managers = selectors.results_for(survey=north_south, viewer=coordinator, team="South", role="Manager")
    assert (managers.slice.respondents, managers.questions[0].mean) == (5, 1.0)
    assert cell.response_rate is None


def test_results_team_by_role_never_shows_free_text(north_south, coordinator):
    cell = selectors.results_for(survey=north_south, viewer=coordinator, team="North", role="Agent")
    text_question = cell.questions[-1]
    assert (text_question.question.kind, text_question.hidden, text_question.texts) == ("text", False, [])
    team = selectors.results_for(survey=north_south, viewer=coordinator, team="North")
    assert sorted(set(team.questions[-1].texts)) == ["North agent comment", "North manager comment"]


def test_results_team_by_role_table_lists_every_figure(north_south, coordinator):
    results = selectors.results_for(survey=north_south, viewer=coordinator)
    assert results.table_roles == ["Agent", "Manager"]
    assert [
        (total.label, total.respondents, [(c.label, c.respondents, c.hidden) for c in cells])
        for total, cells in results.table_rows
    ] == [
        ("North", 14, [("North × Agent", 8, False), ("North × Manager", 6, False)]),
        ("South", 14, [("South × Agent", 9, False), ("South × Manager", 5, False)]),
        ("Everyone", 28, [("Agent", 17, False), ("Manager", 11, False)]),
    ]


@pytest.fixture
def by_role_12_9_3(coordinator, week):
    """Twelve: 10 agents and 2 managers; Nine: 8 agents and 1 manager; Three: 3 agents."""
    survey = make_survey(by=coordinator, week=week)
    _people(survey, "Twelve", agents=10, managers=2, agent_number=5, manager_number=4)
    _people(survey, "Nine", agents=8, managers=1, agent_number=4, manager_number=2)
    _people(survey, "Three", agents=3, managers=0, agent_number=1, manager_number=1)
    return close(survey)


def _every_slice(survey, viewer) -> dict[str, bool]:
    """Whether each slice the filter offers is hidden, asked for one by one as a reader would."""
    whole = selectors.results_for(survey=survey, viewer=viewer)
    teams = [value for value, _ in whole.team_options]
    roles = [value for value, _ in whole.role_options]
    out = {}
    for team, role in itertools.product(teams, roles):
        result = selectors.results_for(survey=survey, viewer=viewer, team=team or None, role=role or None)
        out[result.slice.label] = result.slice.hidden or all(q.hidden for q in result.questions)
    return out


def test_results_team_by_role_12_9_3_shows_only_the_12_and_everyone(by_role_12_9_3, coordinator):
    """Each team's manager cell is small, so its agent cell would give the managers away (the team
    minus its agents), and the roles would give Three away (agents minus the agents shown)."""
    shown = sorted(label for label, hidden in _every_slice(by_role_12_9_3, coordinator).items() if not hidden)
    assert shown == ["Everyone", "Twelve"]


def test_results_page_team_by_role_12_9_3_shows_no_count_of_a_hidden_cell(
    client, by_role_12_9_3, coordinator
):
    client.force_login(coordinator)
    url = reverse("surveys:results", args=[by_role_12_9_3.pk])
    page = client.get(url, {"team": "Three", "role": "Agent"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "<h2>Three × Agent</h2>" in body
    assert "Not enough answers to show." in body
    assert "<canvas" not in body
    assert "Three agent comment" not in body
    whole = client.get(url).content.decode()
    table = whole[whole.index("Answers by team and role") :]
    table = table[: table.index("</table>")]
    # Twelve's total and the whole; every cell and every other total says it is hidden.
    assert re.findall(r"<td>\s*(\d+)\s*</td>", table) == ["12", "24"]
    assert table.count("Not enough answers to show") == 3 * 3 + 3 - 2


def test_results_manager_sees_only_own_teams_by_role(north_south):
    manager = ManagerFactory()
    north = TeamFactory._meta.model.objects.get(name="North")
    north.managers.add(manager)
    mine = selectors.results_for(survey=north_south, viewer=manager, team="North", role="Manager")
    assert (mine.slice.label, mine.slice.respondents, mine.slice.hidden) == ("North × Manager", 6, False)
    assert mine.team_options == [("North", "North")]
    assert [total.label for total, _ in mine.table_rows] == ["North"]
    assert mine.slices_role == []
    assert selectors.results_for(survey=north_south, viewer=manager, team="South", role="Manager") is None
    assert selectors.results_for(survey=north_south, viewer=manager, team="South") is None
    assert selectors.results_for(survey=north_south, viewer=manager, role="Manager") is None


def test_results_page_team_by_role_for_manager(client, north_south):
    manager = ManagerFactory()
    TeamFactory._meta.model.objects.get(name="North").managers.add(manager)
    client.force_login(manager)
    url = reverse("surveys:results", args=[north_south.pk])
    page = client.get(url, {"team": "North", "role": "Agent"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "<h2>North × Agent</h2>" in body
    assert '<option value="North" selected>North</option>' in body
    assert '<option value="Agent" selected>Agent</option>' in body
    assert "South" not in body
    assert client.get(url, {"team": "South", "role": "Agent"}).status_code == 404
    assert client.get(url, {"role": "Agent"}).status_code == 404


def test_results_exports_follow_the_team_by_role_filter(client, north_south, coordinator):
    client.force_login(coordinator)
    csv = client.get(
        reverse("surveys:results_csv", args=[north_south.pk]), {"team": "South", "role": "Agent"}
    )
    lines = csv.content.decode().splitlines()
    assert csv.status_code == 200
    assert {line.split(",")[0] for line in lines[1:]} == {"South × Agent"}
    assert "agent comment" not in csv.content.decode()
    assert "free-text answers,9" in csv.content.decode()
    xlsx = client.get(
        reverse("surveys:results_xlsx", args=[north_south.pk]), {"team": "South", "role": "Agent"}
    )
    assert xlsx.status_code == 200


def test_results_unknown_team_or_role_is_404(client, north_south, coordinator):
    client.force_login(coordinator)
    url = reverse("surveys:results", args=[north_south.pk])
    assert client.get(url, {"team": "Nowhere"}).status_code == 404
    assert client.get(url, {"role": "Astronaut"}).status_code == 404
    assert client.get(url, {"team": "North", "role": "x\x00"}).status_code == 400


def test_results_optional_question_suppressed_in_team_by_role_cell(coordinator, week):
    """North × Agent is shown, but only 3 of its 8 agents answered the optional question: that
    question is hidden for that cell (and for what would give it away), not for the team."""
    survey = make_survey(by=coordinator, week=week, template="scratch", publish=False)
    first = services.question_add(
        by=coordinator, survey=survey, text="Respected?", kind="agreement", required=True, choices=[]
    )
    optional = services.question_add(
        by=coordinator, survey=survey, text="Extra?", kind="agreement", required=False, choices=[]
    )
    services.survey_publish(by=coordinator, survey=survey)
    survey.refresh_from_db()
    for name, agents, managers in (("North", 8, 6), ("South", 9, 5)):
        team = TeamFactory(name=name)
        for index in range(agents):
            extra = 3 if (name != "North" or index < 3) else None
            services.response_submit(
                survey=survey, user=AgentFactory(team=team), values={first.pk: 4, optional.pk: extra}
            )
        for _ in range(managers):
            services.response_submit(
                survey=survey, user=ManagerFactory(team=team), values={first.pk: 2, optional.pk: 2}
            )
    cell = selectors.results_for(survey=survey, viewer=coordinator, team="North", role="Agent")
    assert [q.hidden for q in cell.questions] == [False, True]
    north = selectors.results_for(survey=survey, viewer=coordinator, team="North")
    assert [q.hidden for q in north.questions] == [False, False]
    assert north.questions[1].answered == 9


def test_results_people_without_team_or_role_are_a_slice_by_their_shown_name(coordinator, week):
    survey = make_survey(by=coordinator, week=week)
    for _ in range(6):
        answer(survey, AgentFactory(team=None), number=3)
    for person in team_of("Six", 6):
        answer(survey, person, number=5)
    nameless = selectors.results_for(survey=survey, viewer=coordinator, team=selectors.NO_TEAM, role="Agent")
    assert (nameless.slice.label, nameless.slice.respondents, nameless.slice.hidden) == (
        "No team × Agent",
        6,
        False,
    )
    assert nameless.questions[0].mean == 3.0
    assert ("No team", "No team") in nameless.team_options
