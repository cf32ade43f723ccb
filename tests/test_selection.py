"""Risk dominance and payoff dominance: exact facts recomputed independently, and the stack
versions agreeing with the point versions."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.games.selection import payoff_dominance, risk_dominance
from sim.games.selection_base import CODE_NO_WINNER, CODE_NONE, CODE_TIE, cell_code, support_code
from sim.games.selection_stack import payoff_dominance_stack, risk_dominance_stack
from sim.solver import solve_game

STAG_A = [[4, 0], [3, 3]]
STAG_B = [[4, 3], [0, 3]]


def strict_cells(A: list[list[int]], B: list[list[int]]) -> list[tuple[int, int]]:
    m, n = len(A), len(A[0])
    return [
        (i, j)
        for i in range(m)
        for j in range(n)
        if all(A[i][j] > A[k][j] for k in range(m) if k != i)
        and all(B[i][j] > B[i][k] for k in range(n) if k != j)
    ]


def nash_product(
    A: list[list[int]], B: list[list[int]], e: tuple[int, int], f: tuple[int, int]
) -> int:
    """Product of the deviation losses at e, in the game restricted to e's and f's strategies."""
    (i, j), (k, col) = e, f
    return (A[i][j] - A[k][j]) * (B[i][j] - B[i][col])


def reference_risk_dominant(A: list[list[int]], B: list[list[int]]) -> tuple[int, int] | str:
    cells = strict_cells(A, B)
    if not cells:
        return "none"
    if len(cells) == 1:
        return cells[0]
    winners = [
        e
        for e in cells
        if all(nash_product(A, B, e, f) > nash_product(A, B, f, e) for f in cells if f != e)
    ]
    if winners:
        return winners[0]
    top = [
        e
        for e in cells
        if all(nash_product(A, B, e, f) >= nash_product(A, B, f, e) for f in cells if f != e)
    ]
    return "tie" if top else "no-winner"


def test_stag_hunt_hare_risk_dominates_and_stag_payoff_dominates() -> None:
    solution = solve_game(np.array(STAG_A, float), np.array(STAG_B, float))
    risk = risk_dominance(STAG_A, STAG_B, solution=solution)
    assert risk.exact
    assert risk.status == "selected"
    hare = risk.strict_equilibria[risk.dominant or 0]
    assert (hare.row, hare.col) == (1, 1)
    comparison = risk.comparisons[0]
    # Losses at stag/stag are 4 - 3 = 1 for each; at hare/hare 3 - 0 = 3 for each.
    assert {comparison.nash_product_first, comparison.nash_product_second} == {1, 9}
    # Stag is worth playing only if the other plays stag with probability at least 3/4.
    stag_first = risk.strict_equilibria[comparison.first].row == 0
    threshold = comparison.row_threshold_first if stag_first else 1 - comparison.row_threshold_first
    assert threshold == Fraction(3, 4)
    payoff = payoff_dominance(STAG_A, STAG_B, solution=solution)
    assert payoff.exact
    assert payoff.status == "selected"
    assert payoff.dominant is not None
    assert solution.equilibria[payoff.dominant].row_support == (0,)


games3 = st.lists(st.integers(-4, 4), min_size=18, max_size=18)


@settings(max_examples=60, deadline=None)
@given(games3, st.sampled_from([2, 3]))
def test_risk_dominance_matches_the_nash_product_reference(entries: list[int], size: int) -> None:
    A = [entries[r * 3 : r * 3 + size] for r in range(size)]
    B = [entries[9 + r * 3 : 9 + r * 3 + size] for r in range(size)]
    result = risk_dominance(A, B)
    expected = reference_risk_dominant(A, B)
    if isinstance(expected, tuple):
        assert result.status in ("selected", "only-one")
        chosen = result.strict_equilibria[result.dominant or 0]
        assert (chosen.row, chosen.col) == expected
    else:
        assert result.status == expected
    stack = risk_dominance_stack(np.array([A], float), np.array([B], float))
    if isinstance(expected, tuple):
        assert stack.label[0] == cell_code(*expected, size)
    else:
        assert (
            stack.label[0]
            == {"none": CODE_NONE, "tie": CODE_TIE, "no-winner": CODE_NO_WINNER}[expected]
        )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-4, 4), min_size=8, max_size=8))
def test_payoff_dominance_stack_agrees_with_the_point(entries: list[int]) -> None:
    A = [entries[0:2], entries[2:4]]
    B = [entries[4:6], entries[6:8]]
    solution = solve_game(np.array(A, float), np.array(B, float))
    point = payoff_dominance(A, B, solution=solution)
    stack = payoff_dominance_stack(np.array([A], float), np.array([B], float))
    if point.status in ("selected", "only-one") and point.dominant is not None:
        eq = solution.equilibria[point.dominant]
        expected = support_code(
            sum(1 << i for i in eq.row_support), sum(1 << j for j in eq.col_support), 2
        )
        assert stack.label[0] == expected
    elif not stack.tie[0]:
        assert stack.label[0] in (CODE_NO_WINNER, CODE_TIE, CODE_NONE)


def test_pairs_of_strict_equilibria_never_share_a_row_or_column() -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        A = rng.integers(-3, 4, (3, 3)).tolist()
        B = rng.integers(-3, 4, (3, 3)).tolist()
        for (i, j), (k, col) in combinations(strict_cells(A, B), 2):
            assert i != k
            assert j != col
