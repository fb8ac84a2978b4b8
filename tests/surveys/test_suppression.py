"""Complementary suppression of the team × role table: the rule on known tables, then a check on
random small tables that no hidden figure, and no small group, can be computed from those shown."""

import itertools
import random
from fractions import Fraction

import pytest

from surveys.suppression import WHOLE, figures, relations, suppress_table


def _one_role(counts: dict[str, int]) -> dict[tuple[str, str], int]:
    return {(team, "Agent"): n for team, n in counts.items()}


@pytest.mark.parametrize(
    ("counts", "hidden_teams"),
    [
        ({"A": 12, "B": 9, "C": 3}, {"B", "C"}),
        ({"A": 12, "B": 9, "C": 6}, set()),
        ({"A": 5, "B": 2, "C": 2, "D": 9}, {"A", "B", "C"}),
        ({"A": 3, "B": 3, "C": 20}, {"A", "B"}),
        ({"A": 20, "B": 1}, {"A", "B"}),
    ],
)
def test_suppress_table_one_role_hides_small_teams_and_their_complement(counts, hidden_teams):
    hidden = suppress_table(_one_role(counts), threshold=5)
    assert {team for team, role in hidden if role is None and team is not None} == hidden_teams
    # With one role a team's only cell is the team itself: both shown or both hidden.
    assert {team for team, role in hidden if role is not None} == hidden_teams
    assert WHOLE not in hidden
    assert (None, "Agent") not in hidden


def test_suppress_table_whole_under_threshold_hides_everything():
    cells = {("A", "Agent"): 3, ("A", "Manager"): 1}
    assert suppress_table(cells, threshold=5) == set(figures(cells))


def test_suppress_table_teams_12_9_3_by_role_shows_only_what_isolates_nobody():
    """Twelve: 10 agents and 2 managers; Nine: 8 and 1; Three: 3 agents. Every manager cell is
    small, so each team's agent cell would give its managers away by subtraction: all cells go."""
    cells = {
        ("Twelve", "Agent"): 10,
        ("Twelve", "Manager"): 2,
        ("Nine", "Agent"): 8,
        ("Nine", "Manager"): 1,
        ("Three", "Agent"): 3,
        ("Three", "Manager"): 0,
    }
    hidden = suppress_table(cells, threshold=5)
    shown = set(figures(cells)) - hidden
    assert shown == {WHOLE, ("Twelve", None)}


def test_suppress_table_role_minus_a_shown_team_never_isolates_a_small_team():
    """Team A: 12 agents; team B: 9 managers; team C: 3 agents. Agents (15) minus A (12) would be C,
    and Managers (9) are B, hidden as C's complement: whoever knows the teams knows B has no
    agent, so an empty cell never protects. Only the whole is left."""
    cells = {
        ("A", "Agent"): 12,
        ("A", "Manager"): 0,
        ("B", "Agent"): 0,
        ("B", "Manager"): 9,
        ("C", "Agent"): 3,
        ("C", "Manager"): 0,
    }
    hidden = suppress_table(cells, threshold=5)
    assert set(figures(cells)) - hidden == {WHOLE}


def test_suppress_table_shows_roles_when_no_team_is_isolated():
    cells = {
        ("A", "Agent"): 12,
        ("A", "Manager"): 0,
        ("B", "Agent"): 3,
        ("B", "Manager"): 9,
        ("C", "Agent"): 20,
        ("C", "Manager"): 6,
    }
    hidden = suppress_table(cells, threshold=5)
    assert set(figures(cells)) - hidden == {WHOLE, ("C", None), (None, "Agent"), (None, "Manager")}


def test_suppress_table_whole_minus_the_only_shown_cell_is_not_a_small_group():
    cells = {("T0", "R0"): 1, ("T0", "R1"): 20, ("T1", "R0"): 2, ("T1", "R1"): 1}
    hidden = suppress_table(cells, threshold=5)
    assert set(figures(cells)) - hidden == {WHOLE}


def test_suppress_table_keeps_forced_figures_hidden_and_protects_them():
    cells = {("A", "Agent"): 12, ("B", "Agent"): 9, ("C", "Agent"): 6}
    hidden = suppress_table(cells, threshold=5, forced={("C", None)})
    assert {("C", None), ("C", "Agent")} <= hidden
    assert ("B", None) in hidden  # else the whole minus A and B would be C


def test_suppress_table_does_not_depend_on_the_order_of_cells():
    cells = {
        ("A", "Agent"): 7,
        ("A", "Manager"): 2,
        ("B", "Agent"): 9,
        ("B", "Manager"): 3,
        ("C", "Agent"): 4,
    }
    backwards = dict(reversed(list(cells.items())))
    assert suppress_table(cells, threshold=5) == suppress_table(backwards, threshold=5)


# --- Check on random tables: linear algebra, independent of the rule's own graph reasoning --------


def _vector(key, cell_keys) -> list[int]:
    team, role = key
    return [int((team is None or team == t) and (role is None or role == r)) for t, r in cell_keys]


def _rank(rows: list[list[int]]) -> int:
    matrix = [[Fraction(x) for x in row] for row in rows]
    rank = 0
    for column in range(len(matrix[0]) if matrix else 0):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column]:
                factor = matrix[i][column] / matrix[rank][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def _random_table(rng: random.Random, *, most_teams: int, most_roles: int) -> dict[tuple[str, str], int]:
    teams = [f"T{i}" for i in range(rng.randint(1, most_teams))]
    roles = [f"R{i}" for i in range(rng.randint(1, most_roles))]
    return {(t, r): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20]) for t in teams for r in roles}


def _known(cells, hidden) -> tuple[list[tuple], list[list[int]]]:
    """What a reader knows: every figure shown, and (knowing the teams) which cells are empty."""
    fig = figures(cells)
    cell_keys = sorted(cells)
    rows = [_vector(k, cell_keys) for k in fig if k not in hidden]
    rows += [_vector(k, cell_keys) for k in cell_keys if fig[k] == 0]
    return cell_keys, rows


@pytest.mark.parametrize("threshold", [3, 5])
def test_suppress_table_no_hidden_figure_is_a_combination_of_shown_ones(threshold):
    rng = random.Random(16 + threshold)
    for _ in range(400):
        cells = _random_table(rng, most_teams=4, most_roles=3)
        fig = figures(cells)
        forced = set(rng.sample(sorted(fig, key=str), 1)) if rng.random() < 0.3 else set()
        hidden = suppress_table(cells, threshold=threshold, forced=forced)
        assert forced <= hidden
        assert all(fig[k] >= threshold for k in fig if k not in hidden), cells
        cell_keys, known = _known(cells, hidden)
        base = _rank(known) if known else 0
        for key in hidden:
            if fig[key]:
                assert _rank([*known, _vector(key, cell_keys)]) > base, (cells, hidden, key)
        for total, parts in relations(fig):
            gone = [p for p in parts if p in hidden and fig[p]]
            if total not in hidden and gone:
                assert len(gone) >= 2 and sum(fig[p] for p in gone) >= threshold, (cells, total)


def test_suppress_table_no_small_group_of_hidden_cells_has_a_total_shown_ones_give():
    """Brute force over every set of hidden cells: if the shown figures give its total, it holds
    at least the threshold (e.g. never "the whole minus the only cell shown" = 4 people)."""
    rng = random.Random(7)
    for _ in range(250):
        cells = _random_table(rng, most_teams=3, most_roles=3)
        hidden = suppress_table(cells, threshold=5)
        cell_keys, known = _known(cells, hidden)
        base = _rank(known) if known else 0
        small = [k for k in cell_keys if k in hidden and cells[k]]
        for size in range(1, len(small) + 1):
            for group in itertools.combinations(small, size):
                if sum(cells[k] for k in group) >= 5:
                    continue
                vector = [int(k in group) for k in cell_keys]
                assert _rank([*known, vector]) > base, (cells, hidden, group)
