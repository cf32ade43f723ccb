"""Tests of sim.solver.analysis: best responses, strict domination, Pareto optimality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.solver.analysis import (
    Elimination,
    best_response_cells,
    iterated_elimination,
    pareto_dominating_cells,
    pareto_optimal_cells,
    strictly_dominated,
)
from tests.reference import extreme_equilibria

# Prisoner's dilemma: strategy 0 = cooperate, 1 = defect.
PD_A = np.array([[3.0, 0.0], [5.0, 1.0]])
PD_B = PD_A.T.copy()


@st.composite
def small_games(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    values = st.integers(-3, 3).map(float)
    A = draw(arrays(np.float64, (m, n), elements=values))
    B = draw(arrays(np.float64, (m, n), elements=values))
    return A, B


# --------------------------------------------------------------------------------------------
# best responses


def test_best_responses_in_prisoners_dilemma() -> None:
    row_best, col_best = best_response_cells(PD_A, PD_B)
    np.testing.assert_array_equal(row_best, [[False, False], [True, True]])
    np.testing.assert_array_equal(col_best, [[False, True], [False, True]])
    np.testing.assert_array_equal(row_best & col_best, [[False, False], [False, True]])


def test_ties_mark_every_best_response() -> None:
    A = np.array([[1.0, 0.0], [1.0, 2.0], [0.0, 2.0]])
    B = np.zeros_like(A)
    row_best, col_best = best_response_cells(A, B)
    np.testing.assert_array_equal(row_best, [[True, False], [True, True], [False, True]])
    assert col_best.all()


def test_tie_tolerance_is_relative_to_the_payoff_scale() -> None:
    big = np.array([[1e6, 0.0], [1e6 + 1e-6, 0.0]])  # differ by 1e-12 of the scale: a tie
    row_best, _ = best_response_cells(big, big)
    assert row_best[0, 0]
    assert row_best[1, 0]
    small = np.array([[1e-6, 0.0], [2e-6, 0.0]])  # differ by half the scale: not a tie
    row_best, _ = best_response_cells(small, small)
    assert not row_best[0, 0]
    assert row_best[1, 0]


def test_best_responses_of_a_stack_are_per_game() -> None:
    A = np.stack([PD_A, -PD_A])
    B = np.stack([PD_B, -PD_B])
    row_best, col_best = best_response_cells(A, B)
    assert row_best.shape == (2, 2, 2)
    np.testing.assert_array_equal(row_best[0], best_response_cells(PD_A, PD_B)[0])
    np.testing.assert_array_equal(col_best[1], best_response_cells(-PD_A, -PD_B)[1])


@settings(max_examples=150, deadline=None)
@given(small_games())
def test_cells_best_for_both_are_exactly_the_pure_equilibria(
    game: tuple[np.ndarray, np.ndarray],
) -> None:
    A, B = game
    row_best, col_best = best_response_cells(A, B)
    pure = {
        (x.index(1), y.index(1)) for x, y in extreme_equilibria(A, B) if max(x) == 1 and max(y) == 1
    }
    marked = {(int(i), int(j)) for i, j in zip(*np.nonzero(row_best & col_best), strict=True)}
    assert marked == pure


# --------------------------------------------------------------------------------------------
# strict domination


def test_prisoners_dilemma_cooperate_is_dominated_for_both() -> None:
    assert strictly_dominated(PD_A, PD_B) == ((0,), (0,))


def test_domination_by_a_mixed_strategy_only() -> None:
    # Row 2 earns 1 against both columns; no pure row beats it everywhere, but the 50-50 mix
    # of rows 0 and 1 earns 1.5 against both.
    A = np.array([[3.0, 0.0], [0.0, 3.0], [1.0, 1.0]])
    B = np.zeros_like(A)
    assert strictly_dominated(A, B) == ((2,), ())
    # At 1.5 the mix only ties: weak domination does not count.
    A[2] = [1.5, 1.5]
    assert strictly_dominated(A, B) == ((), ())


def test_column_domination_uses_the_column_players_payoffs() -> None:
    A = np.zeros((2, 3))
    B = np.array([[4.0, 0.0, 1.0], [0.0, 4.0, 1.0]])  # column 2 dominated by the mix of 0, 1
    assert strictly_dominated(A, B) == ((), (2,))


def test_no_domination_with_one_strategy_or_constant_payoffs() -> None:
    assert strictly_dominated(np.array([[1.0, 2.0]]), np.array([[0.0, 5.0]])) == ((), (0,))
    assert strictly_dominated(np.ones((3, 3)), np.ones((3, 3))) == ((), ())


def test_iterated_elimination_order_and_dominating_strategies() -> None:
    # Round 1: row 2 is dominated by row 0. Round 2 (without row 2): column 1 is dominated by
    # column 0. Round 3: row 1 is dominated by row 0. The game is then solved: (row 0, col 0).
    A = np.array([[3.0, 1.0], [2.0, 4.0], [1.0, 0.0]])
    B = np.array([[2.0, 1.0], [1.0, 0.0], [0.0, 3.0]])
    steps = iterated_elimination(A, B)
    assert [(s.round, s.player, s.strategy) for s in steps] == [(1, 0, 2), (2, 1, 1), (3, 0, 1)]
    assert steps[0] == Elimination(1, 0, 2, (1.0, 0.0, 0.0))
    assert steps[1].dominated_by == (1.0, 0.0)
    assert strictly_dominated(A, B) == ((2,), ())  # one round only


def test_iterated_elimination_of_prisoners_dilemma() -> None:
    steps = iterated_elimination(PD_A, PD_B)
    assert [(s.round, s.player, s.strategy) for s in steps] == [(1, 0, 0), (1, 1, 0)]


@settings(max_examples=150, deadline=None)
@given(small_games())
def test_eliminated_strategies_are_never_played_in_equilibrium(
    game: tuple[np.ndarray, np.ndarray],
) -> None:
    A, B = game
    steps = iterated_elimination(A, B)
    rows, cols = strictly_dominated(A, B)
    first_round = {(s.player, s.strategy) for s in steps if s.round == 1}
    assert first_round == {(0, i) for i in rows} | {(1, j) for j in cols}
    eliminated_rows = {s.strategy for s in steps if s.player == 0}
    eliminated_cols = {s.strategy for s in steps if s.player == 1}
    assert len(eliminated_rows) < A.shape[0]
    assert len(eliminated_cols) < A.shape[1]
    for x, y in extreme_equilibria(A, B):
        assert all(x[i] == 0 for i in eliminated_rows)
        assert all(y[j] == 0 for j in eliminated_cols)
    # Each reported dominating mix really beats the eliminated strategy in the game that was
    # left at that round.
    remaining_rows, remaining_cols = set(range(A.shape[0])), set(range(A.shape[1]))
    for round_number in sorted({s.round for s in steps}):
        this_round = [s for s in steps if s.round == round_number]
        for s in this_round:
            mix = np.array(s.dominated_by)
            assert mix.sum() == pytest.approx(1.0)
            assert mix[s.strategy] == 0.0
            if s.player == 0:
                assert all(mix[i] == 0 for i in set(range(A.shape[0])) - remaining_rows)
                cols_left = sorted(remaining_cols)
                assert np.all(mix @ A[:, cols_left] > A[s.strategy, cols_left])
            else:
                assert all(mix[j] == 0 for j in set(range(A.shape[1])) - remaining_cols)
                rows_left = sorted(remaining_rows)
                assert np.all(B[rows_left, :] @ mix > B[rows_left, s.strategy])
        remaining_rows -= {s.strategy for s in this_round if s.player == 0}
        remaining_cols -= {s.strategy for s in this_round if s.player == 1}


@settings(max_examples=100, deadline=None)
@given(small_games())
def test_pure_domination_is_always_reported(game: tuple[np.ndarray, np.ndarray]) -> None:
    A, B = game
    rows, cols = strictly_dominated(A, B)
    m, n = A.shape
    for i in range(m):
        if any(np.all(A[k] > A[i]) for k in range(m) if k != i):
            assert i in rows
    for j in range(n):
        if any(np.all(B[:, k] > B[:, j]) for k in range(n) if k != j):
            assert j in cols


# --------------------------------------------------------------------------------------------
# Pareto optimality


def test_pareto_optimal_outcomes_of_prisoners_dilemma() -> None:
    np.testing.assert_array_equal(pareto_optimal_cells(PD_A, PD_B), [[True, True], [True, False]])


def test_equal_outcomes_do_not_dominate_each_other() -> None:
    A = np.array([[1.0, 1.0], [0.0, 1.0]])
    B = np.array([[2.0, 2.0], [0.0, 1.0]])
    np.testing.assert_array_equal(pareto_optimal_cells(A, B), [[True, True], [False, False]])


def test_pareto_optimal_cells_of_a_stack() -> None:
    A = np.stack([PD_A, np.zeros((2, 2))])
    B = np.stack([PD_B, np.zeros((2, 2))])
    result = pareto_optimal_cells(A, B)
    assert result.shape == (2, 2, 2)
    np.testing.assert_array_equal(result[0], pareto_optimal_cells(PD_A, PD_B))
    assert result[1].all()


def test_pareto_dominating_cells_judge_an_equilibrium() -> None:
    # The prisoner's dilemma equilibrium (defect, defect) pays (1, 1): mutual cooperation
    # makes both better off.
    assert pareto_dominating_cells(PD_A, PD_B, (1.0, 1.0)) == [(0, 0)]
    assert pareto_dominating_cells(PD_A, PD_B, (3.0, 3.0)) == []
    # Weakly better for both and strictly for one.
    assert pareto_dominating_cells(PD_A, PD_B, (3.0, 2.0)) == [(0, 0)]
    assert pareto_dominating_cells(PD_A, PD_B, (0.0, 0.0)) == [(0, 0), (0, 1), (1, 0), (1, 1)]


@settings(max_examples=100, deadline=None)
@given(small_games())
def test_pareto_optimal_means_no_dominating_cell(game: tuple[np.ndarray, np.ndarray]) -> None:
    A, B = game
    optimal = pareto_optimal_cells(A, B)
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            dominating = pareto_dominating_cells(A, B, (A[i, j], B[i, j]))
            assert optimal[i, j] == (not dominating)


# --------------------------------------------------------------------------------------------
# input checks


@pytest.mark.parametrize(
    "function",
    [best_response_cells, pareto_optimal_cells, strictly_dominated, iterated_elimination],
)
def test_bad_input_is_refused(function: object) -> None:
    assert callable(function)
    with pytest.raises(ValueError, match="same shape"):
        function(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="finite"):
        function(np.array([[np.nan, 0.0]]), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="at least one strategy"):
        function(np.zeros((0, 2)), np.zeros((0, 2)))
