"""Regressions of issue 9 (exact every time) and property tests against the exact reference.

Each game is solved by the package (floating point with certification, falling back to exact
rational arithmetic) and by the independent exact reference (:mod:`tests.reference`) on the
binary rationals its floats store, and the two sets of extreme equilibria must be the same.
pygambit is not used here: at payoffs of 1e10 and more it returns no equilibrium at all, and it
lists some extreme equilibria of degenerate games more than once (issue 9).
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.solver import GameSolution, solve_game, solve_game_exact, solve_games
from tests.reference import extreme_equilibria

Profile = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]


def binary(M: np.ndarray) -> list[list[Fraction]]:
    """The binary rationals a float array stores (the reference reads floats as decimals)."""
    return [[Fraction(float(v)) for v in row] for row in M]


def reference(A: np.ndarray, B: np.ndarray) -> set[Profile]:
    return extreme_equilibria(binary(A), binary(B))


def assert_matches_reference(A: np.ndarray, B: np.ndarray, solution: GameSolution) -> None:
    """Same number of extreme equilibria as the reference, each one found; exact ones equal."""
    expected = reference(A, B)
    assert len(solution.equilibria) == len(expected)
    if solution.exact:
        found = {(e.exact_row, e.exact_col) for e in solution.equilibria}
        assert found == expected
        return
    for x, y in expected:
        fx = np.array([float(v) for v in x])
        fy = np.array([float(v) for v in y])
        assert any(
            np.max(np.abs(e.row - fx)) <= 1e-12 and np.max(np.abs(e.col - fy)) <= 1e-12
            for e in solution.equilibria
        )


def solve_quietly(A: np.ndarray, B: np.ndarray) -> GameSolution:
    """:func:`solve_game` with any numpy warning turned into a failure."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return solve_game(A, B)


# ---------------------------------------------------------------------------------------------
# The failures listed in issue 9


def rock_paper_scissors_with_war_column(cost: float) -> tuple[np.ndarray, np.ndarray]:
    """Rock-paper-scissors plus a strictly dominated column paying the column player ``-cost``."""
    A = np.array([[0, -1, 1, 0], [1, 0, -1, 0], [-1, 1, 0, 0]], dtype=float)
    B = -A
    B[:, 3] = -cost
    return A, B


@pytest.mark.parametrize("cost", [1e6, 1e7, 1e9, 1e12])
def test_rock_paper_scissors_with_a_huge_dominated_column_has_the_uniform_mix(cost: float):
    A, B = rock_paper_scissors_with_war_column(cost)
    solution = solve_quietly(A, B)
    assert_matches_reference(A, B, solution)
    (only,) = solution.equilibria
    third = Fraction(1, 3)
    assert only.exact_row == (third, third, third) or np.allclose(only.row, 1 / 3, atol=1e-15)
    assert only.col[3] == 0.0
    # The batched path used by sweeps: one equilibrium, whatever the cost.
    costs = np.array([1e3, 1e6, 1e7, 1e9, 1e12])
    stack_A = np.repeat(A[None], costs.size, axis=0)
    stack_B = np.repeat(B[None], costs.size, axis=0)
    stack_B[:, :, 3] = -costs[:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = solve_games(stack_A, stack_B)
    assert table.count.tolist() == [1] * costs.size


def test_escalation_cost_changes_no_equilibrium():
    # The sweep of issue 9 reported 16 regimes alternating with "no equilibrium found" for a
    # cost W that nothing can depend on; every W must give the same single equilibrium.
    A, B = rock_paper_scissors_with_war_column(1.0)
    costs = np.geomspace(1.0, 1e12, 61)
    stack_B = np.repeat(B[None], costs.size, axis=0)
    stack_B[:, :, 3] = -costs[:, None]
    table = solve_games(np.repeat(A[None], costs.size, axis=0), stack_B)
    assert np.all(table.count == 1)
    np.testing.assert_allclose(table.row, 1 / 3, atol=1e-15)
    np.testing.assert_allclose(table.col[:, :3], 1 / 3, atol=1e-15)


def test_two_extreme_equilibria_5e_8_apart_stay_two():
    # Found by searching perturbed small games: the reference has two extreme equilibria whose
    # probabilities differ by about 5e-8; a tolerance of 1e-7 used to merge them.
    A = np.array([[-1.0, -1.0, 2.0], [1.0, 1.0, 1.99999995]])
    B = np.array([[-2.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    expected = reference(A, B)
    gaps = [
        max(abs(float(a) - float(b)) for a, b in zip(p[0] + p[1], q[0] + q[1], strict=True))
        for p in expected
        for q in expected
        if p != q
    ]
    assert 0 < min(gaps) < 1e-7  # the game really has such a pair
    assert_matches_reference(A, B, solve_quietly(A, B))
    assert solve_games(A[None], B[None]).count[0] == len(expected)


def test_profile_5e_15_from_equilibrium_is_not_listed():
    # (row 0, column 0) would be an equilibrium but for a gain of about 5e-15 from deviating
    # to row 1; the exact answer is the mixed equilibrium alone.
    A = np.array([[1.0, 0.0], [1.0 + 5e-15, -1.0]])
    B = np.array([[1.0, 0.0], [0.0, 1.0]])
    gain = Fraction(A[1, 0]) - Fraction(A[0, 0])
    assert 0 < gain < Fraction(1, 10**14)
    solution = solve_quietly(A, B)
    assert_matches_reference(A, B, solution)
    assert all(e.col[0] < 1.0 for e in solution.equilibria)
    assert solve_games(A[None], B[None]).count[0] == 1


def test_exact_solve_reports_that_it_is_exact():
    A, B = rock_paper_scissors_with_war_column(1e9)
    assert solve_game_exact(A, B).exact
    assert solve_game(A, B, exact=True).exact


# ---------------------------------------------------------------------------------------------
# Properties against the exact reference

small_games = st.tuples(st.integers(2, 3), st.integers(2, 4), st.integers(0, 2**32 - 1))
outliers = st.sampled_from([1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12]).flatmap(
    lambda size: st.sampled_from([size, -size])
)


def small_integer_game(m: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    A = rng.integers(-3, 4, size=(m, n)).astype(float)
    B = rng.integers(-3, 4, size=(m, n)).astype(float)
    return A, B


@settings(max_examples=120, deadline=None)
@given(small_games, outliers, st.integers(0, 1), st.integers(0, 11))
def test_one_outlier_payoff_among_small_integers(
    game: tuple[int, int, int], outlier: float, player: int, cell: int
):
    m, n, seed = game
    A, B = small_integer_game(m, n, seed)
    target = A if player == 0 else B
    target[(cell // n) % m, cell % n] = outlier
    assert_matches_reference(A, B, solve_quietly(A, B))


@settings(max_examples=120, deadline=None)
@given(small_games, st.sampled_from([1e-7, 1e-9]), st.integers(0, 2**32 - 1))
def test_games_perturbed_by_1e_7_and_1e_9(game: tuple[int, int, int], size: float, seed: int):
    m, n, game_seed = game
    A, B = small_integer_game(m, n, game_seed)
    rng = np.random.default_rng(seed)
    # Integer games are full of ties; a few perturbed cells make near-ties at the given size.
    for M in (A, B):
        cells = rng.random(M.shape) < 0.3
        M[cells] += size * rng.integers(-3, 4, size=M.shape)[cells]
    assert_matches_reference(A, B, solve_quietly(A, B))
