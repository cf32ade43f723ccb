"""Tests of the batched, degeneracy-safe enumeration solver (:mod:`sim.solver.enumeration`).

Expected values are worked out by hand in the comments (best responses and indifference
conditions) or come from the exact rational reference in :mod:`tests.reference`, which shares no
code with the solver.
"""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.errors import SolverError, UsageError
from sim.solver import (
    METHODS,
    Equilibrium,
    EquilibriumTable,
    GameSolution,
    solve_game,
    solve_games,
)
from sim.solver.enumeration import MAX_STRATEGIES_TOTAL, enumerate_equilibria
from tests.reference import extreme_equilibria, is_degenerate

Game = tuple[np.ndarray, np.ndarray]


def game(A: object, B: object) -> Game:
    return np.asarray(A, dtype=float), np.asarray(B, dtype=float)


def profiles(solution: GameSolution) -> list[tuple[list[float], list[float]]]:
    return [(e.row.tolist(), e.col.tolist()) for e in solution.equilibria]


def table_games(table: EquilibriumTable) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """The equilibria of each game of a table, as (row, col) pairs."""
    off = table.offsets()
    return [
        [(table.row[e], table.col[e]) for e in range(off[k], off[k + 1])]
        for k in range(table.n_games)
    ]


def assert_mutual_best_responses(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray):
    """Independent check: each pure strategy in a support earns the best payoff."""
    assert np.all(x >= 0)
    assert np.all(y >= 0)
    assert abs(x.sum() - 1) < 1e-12
    assert abs(y.sum() - 1) < 1e-12
    row_values = A @ y
    col_values = x @ B
    scale_a = max(np.ptp(A), 1e-300)
    scale_b = max(np.ptp(B), 1e-300)
    assert np.all(row_values[x > 0] >= row_values.max() - 1e-7 * scale_a)
    assert np.all(col_values[y > 0] >= col_values.max() - 1e-7 * scale_b)


# ---------------------------------------------------------------------------------------------
# Classic games, by hand


def test_prisoners_dilemma_unique_pure():
    # Defect (index 1) strictly dominates for both: 5 > 3 and 1 > 0.
    s = solve_game(*game([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    assert profiles(s) == [([0.0, 1.0], [0.0, 1.0])]
    assert s.equilibria[0].payoffs == (1.0, 1.0)
    assert s.equilibria[0].is_pure
    assert not s.degenerate
    assert s.components == ((0,),)
    assert s.maximal_nash_subsets == (((0,), (0,)),)
    assert s.method == "enumeration"
    assert s.warnings == ()


def test_matching_pennies_half_half():
    s = solve_game(*game([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
    assert len(s.equilibria) == 1
    e = s.equilibria[0]
    np.testing.assert_allclose(e.row, [0.5, 0.5], atol=1e-15)
    np.testing.assert_allclose(e.col, [0.5, 0.5], atol=1e-15)
    np.testing.assert_allclose(e.payoffs, (0.0, 0.0), atol=1e-15)
    assert e.row_support == (0, 1)
    assert e.col_support == (0, 1)
    assert not e.is_pure
    assert not s.degenerate


def test_battle_of_the_sexes_order_and_values():
    # Pure (0,0) and (1,1); mixed: the row player mixes so the column player is indifferent,
    # 1 x0 = 2 x1 -> x = (2/3, 1/3); likewise y = (1/3, 2/3); both payoffs 2/3.
    s = solve_game(*game([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    assert len(s.equilibria) == 3
    # Order: row-support bitmask 1 ({0}), then 2 ({1}), then 3 ({0, 1}).
    assert profiles(s)[:2] == [([1.0, 0.0], [1.0, 0.0]), ([0.0, 1.0], [0.0, 1.0])]
    mixed = s.equilibria[2]
    np.testing.assert_allclose(mixed.row, [2 / 3, 1 / 3], rtol=1e-14)
    np.testing.assert_allclose(mixed.col, [1 / 3, 2 / 3], rtol=1e-14)
    np.testing.assert_allclose(mixed.payoffs, (2 / 3, 2 / 3), rtol=1e-14)
    assert [e.payoffs for e in s.equilibria[:2]] == [(2.0, 1.0), (1.0, 2.0)]
    assert s.components == ((0,), (1,), (2,))
    assert not s.degenerate


def test_chicken_three_equilibria():
    # Chicken: swerve (0) / straight (1). Pure (0,1) and (1,0); mixed: 0 p - 1 (1 - p) =
    # 1 p - 10 (1 - p) -> p = 9/10.
    s = solve_game(*game([[0, -1], [1, -10]], [[0, 1], [-1, -10]]))
    assert profiles(s)[:2] == [([1.0, 0.0], [0.0, 1.0]), ([0.0, 1.0], [1.0, 0.0])]
    np.testing.assert_allclose(s.equilibria[2].row, [0.9, 0.1], rtol=1e-14)
    np.testing.assert_allclose(s.equilibria[2].col, [0.9, 0.1], rtol=1e-14)
    np.testing.assert_allclose(s.equilibria[2].payoffs, (-0.1, -0.1), rtol=1e-13)
    assert not s.degenerate


def test_mini_deal_game_at_t_0_3():
    s = solve_game(*game([[3, 0], [4.4, 1]], [[3, 4.4], [0, 1]]))
    assert profiles(s) == [([0.0, 1.0], [0.0, 1.0])]
    assert s.equilibria[0].payoffs == (1.0, 1.0)
    assert not s.degenerate


def test_rectangular_and_one_strategy_games():
    # 1 x 3: the column player picks the best column; ties give a continuum.
    s = solve_game(*game([[0, 0, 0]], [[1, 3, 2]]))
    assert profiles(s) == [([1.0], [0.0, 1.0, 0.0])]
    s = solve_game(*game([[0, 0, 0]], [[3, 3, 2]]))
    assert profiles(s) == [([1.0], [1.0, 0.0, 0.0]), ([1.0], [0.0, 1.0, 0.0])]
    assert s.degenerate
    assert s.components == ((0, 1),)
    # 3 x 2 against the exact reference.
    A, B = game([[3, 1], [0, 2], [2, 2]], [[1, 0], [0, 3], [1, 1]])
    assert_same_as_reference(A, B, solve_games(A[None], B[None]))


# ---------------------------------------------------------------------------------------------
# Degenerate games


def test_constant_row_payoffs():
    # Row player indifferent everywhere; the column player prefers column 0 against row 0 and
    # column 1 against row 1, so (r0, c0) and (r1, c1) plus mixes where col is indifferent.
    A, B = game([[1, 1], [1, 1]], [[2, 0], [0, 1]])
    s = solve_game(A, B)
    assert s.degenerate
    for e in s.equilibria:
        assert_mutual_best_responses(A, B, e.row, e.col)
    assert_same_as_reference(A, B, solve_games(A[None], B[None]))
    # x = (1/3, 2/3) makes the column player indifferent: any y is then a best response.
    rows = [e.row.tolist() for e in s.equilibria]
    assert any(np.allclose(r, [1 / 3, 2 / 3]) for r in rows)


@pytest.mark.parametrize("value", [0.0, 7.0, -3.5])
def test_all_equal_payoffs_every_profile(value: float):
    A = np.full((2, 3), value)
    s = solve_game(A, A.copy())
    # Extreme equilibria: all pure profiles; one component; one maximal Nash subset.
    pure = [(list(np.eye(2)[i]), list(np.eye(3)[j])) for i in range(2) for j in range(3)]
    assert profiles(s) == pure
    assert s.degenerate
    assert s.components == ((0, 1, 2, 3, 4, 5),)
    assert s.maximal_nash_subsets == (((0, 3), (0, 1, 2)),)
    assert all(e.payoffs == (value, value) for e in s.equilibria)
    assert s.warnings == ()  # degeneracy and continua are results, not warnings


def test_continuum_components_and_maximal_nash_subsets():
    # A = B = [[1, 1], [1, 0]]: (r0, c0), (r0, c1) and (r1, c0) are equilibria; against r0
    # the column player is indifferent and against c0 the row player is. Two segments
    # {r0} x conv{c0, c1} and conv{r0, r1} x {c0} meet at (r0, c0): one component, two maximal
    # Nash subsets.
    A, B = game([[1, 1], [1, 0]], [[1, 1], [1, 0]])
    s = solve_game(A, B)
    assert profiles(s) == [
        ([1.0, 0.0], [1.0, 0.0]),
        ([1.0, 0.0], [0.0, 1.0]),
        ([0.0, 1.0], [1.0, 0.0]),
    ]
    assert s.degenerate
    assert s.components == ((0, 1, 2),)
    assert s.maximal_nash_subsets == (((0,), (0, 1)), ((0, 2), (0,)))
    assert [e.component for e in s.equilibria] == [0, 0, 0]


def test_gambit_e04_kreps_wilson_by_hand():
    # tests/data/gambit-games/e04.nfg (Kreps-Wilson 1985, normal form), payoffs read inline.
    # Row 2 is strictly dominated by row 1. Against r1 the column player is indifferent; r1
    # stays a best response while 0 >= -2 y1 + 3 y2, i.e. y2 <= 2/5: a segment from (1, 0) to
    # (3/5, 2/5). (r3, c2) is a strict equilibrium. Mixing r1 and r3 needs y2 = 2/5 and then
    # the column player indifferent: -2 x3 = -x3 forces x3 = 0. Payoffs (0, 0) and (3, -1).
    A, B = game([[0, 0], [-1, -1], [-2, 3]], [[0, 0], [2, 0], [-2, -1]])
    s = solve_game(A, B)
    assert len(s.equilibria) == 3
    assert profiles(s)[0] == ([1.0, 0.0, 0.0], [1.0, 0.0])
    np.testing.assert_allclose(s.equilibria[1].row, [1, 0, 0])
    np.testing.assert_allclose(s.equilibria[1].col, [3 / 5, 2 / 5], rtol=1e-14)
    assert profiles(s)[2] == ([0.0, 0.0, 1.0], [0.0, 1.0])
    assert [e.payoffs for e in s.equilibria] == [(0.0, 0.0), (0.0, 0.0), (3.0, -1.0)]
    assert s.degenerate
    assert s.components == ((0, 1), (2,))
    assert s.maximal_nash_subsets == (((0,), (0, 1)), ((2,), (2,)))


# von Stengel (1999), "New maximal numbers of equilibria in bimatrix games", 6x6 with 75
# equilibria (tests/data/gambit-games/dcg_vonstengel1999_6x6_game_with_75_eq.nfg). Its
# systems have condition numbers up to 2e7 and relative determinants down to 1e-18: a
# determinant-based singularity test loses two equilibria here.
VS75_A = [
    [9504, -660, 19976, -20526, 1776, -8976],
    [-111771, 31680, -130944, 168124, -8514, 52764],
    [397584, -113850, 451176, -586476, 29216, -178761],
    [171204, -45936, 208626, -263076, 14124, -84436],
    [1303104, -453420, 1227336, -1718376, 72336, -461736],
    [737154, -227040, 774576, -1039236, 48081, -300036],
]
VS75_B = [
    [72336, 48081, 29216, 14124, 1776, -8514],
    [-461736, -300036, -178761, -84436, -8976, 52764],
    [1227336, 774576, 451176, 208626, 19976, -130944],
    [-1718376, -1039236, -586476, -263076, -20526, 168124],
    [1303104, 737154, 397584, 171204, 9504, -111771],
    [-453420, -227040, -113850, -45936, -660, 31680],
]


def test_von_stengel_75_equilibria():
    A, B = game(VS75_A, VS75_B)
    s = solve_game(A, B)
    assert len(s.equilibria) == 75
    assert not s.degenerate
    assert len(s.components) == 75
    for e in s.equilibria:
        assert_mutual_best_responses(A, B, e.row, e.col)
    # The full-support equilibrium (both players use all six strategies) is among them.
    assert any(len(e.row_support) == 6 and len(e.col_support) == 6 for e in s.equilibria)


# ---------------------------------------------------------------------------------------------
# Against the exact reference


def assert_same_as_reference(A: np.ndarray, B: np.ndarray, table: EquilibriumTable) -> None:
    """The table's only game equals the exact rational reference, one for one."""
    exact = extreme_equilibria(A, B)
    got = table_games(table)[0]
    assert len(got) == len(exact)
    remaining = [np.concatenate([x, y]) for x, y in got]
    for x, y in exact:
        target = np.array([float(v) for v in (*x, *y)])
        # One-for-one match (sorting floats could order near-equal profiles differently).
        hits = [i for i, p in enumerate(remaining) if np.allclose(p, target, rtol=0, atol=1e-12)]
        assert len(hits) == 1, (target, remaining)
        remaining.pop(hits[0])
    assert bool(table.degenerate[0]) == is_degenerate(A, B)


small_int_games = st.integers(1, 3).flatmap(
    lambda m: st.integers(1, 3).flatmap(
        lambda n: st.tuples(
            arrays(np.int64, (m, n), elements=st.integers(-2, 2)),
            arrays(np.int64, (m, n), elements=st.integers(-2, 2)),
        )
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_int_games)
def test_small_integer_games_match_exact_reference(ab: tuple[np.ndarray, np.ndarray]):
    # Small integer payoffs make ties, hence degenerate games, very common.
    A, B = (M.astype(float) for M in ab)
    assert_same_as_reference(A, B, solve_games(A[None], B[None]))


def test_random_stack_matches_exact_reference():
    rng = np.random.default_rng(12345)
    for m, n in [(2, 2), (2, 3), (3, 3), (4, 2), (4, 4)]:
        A = rng.integers(-3, 4, size=(30, m, n)).astype(float)
        B = rng.integers(-3, 4, size=(30, m, n)).astype(float)
        table = solve_games(A, B)
        for k, eqs in enumerate(table_games(table)):
            exact = extreme_equilibria(A[k], B[k])
            assert len(eqs) == len(exact)
            assert bool(table.degenerate[k]) == is_degenerate(A[k], B[k])


# ---------------------------------------------------------------------------------------------
# Stacks


def mixed_stack(K: int, m: int, n: int, seed: int) -> Game:
    """Random games, integer games (many degenerate) and constant games, interleaved."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(K, m, n))
    B = rng.normal(size=(K, m, n))
    A[1::3] = rng.integers(-1, 2, size=A[1::3].shape)
    B[1::3] = rng.integers(-1, 2, size=B[1::3].shape)
    A[2::7] = 4.0
    return A, B


@pytest.mark.parametrize(("m", "n"), [(2, 2), (3, 3), (2, 4), (4, 4), (5, 5)])
def test_stack_equals_single_bit_for_bit(m: int, n: int):
    A, B = mixed_stack(24, m, n, seed=m * 10 + n)
    whole = solve_games(A, B)
    small_chunks = solve_games(A, B, chunk_size=5)
    for t in (small_chunks,):
        for name in ("game_index", "row", "col", "payoffs", "component", "degenerate", "count"):
            assert np.array_equal(getattr(t, name), getattr(whole, name)), name
    per_game = table_games(whole)
    for k in range(A.shape[0]):
        alone = solve_games(A[k : k + 1], B[k : k + 1])
        assert [(x.tobytes(), y.tobytes()) for x, y in table_games(alone)[0]] == [
            (x.tobytes(), y.tobytes()) for x, y in per_game[k]
        ]
        single = solve_game(A[k], B[k])
        assert single.degenerate == bool(whole.degenerate[k])
        off = whole.offsets()
        for i, e in enumerate(single.equilibria):
            row = off[k] + i
            assert e.row.tobytes() == whole.row[row].tobytes()
            assert e.col.tobytes() == whole.col[row].tobytes()
            assert e.payoffs == tuple(whole.payoffs[row])
            assert e.component == whole.component[row]


def test_table_invariants_and_best_responses():
    A, B = mixed_stack(60, 3, 3, seed=7)
    t = solve_games(A, B)
    assert t.n_games == 60
    assert len(t) == int(t.count.sum())
    assert np.all(np.diff(t.game_index) >= 0)
    assert np.all(t.count >= 1)  # every finite game has an equilibrium
    assert np.array_equal(np.bincount(t.game_index, minlength=60), t.count)
    for name in ("game_index", "row", "col", "payoffs", "component", "degenerate", "count"):
        assert not getattr(t, name).flags.writeable
    off = t.offsets()
    for k in range(60):
        rows = slice(off[k], off[k + 1])
        comp = t.component[rows]
        # Components numbered 0.. in order of first appearance.
        firsts = [c for i, c in enumerate(comp) if c not in comp[:i]]
        assert firsts == list(range(len(firsts)))
        keys = []
        for e in range(off[k], off[k + 1]):
            x, y = t.row[e], t.col[e]
            assert_mutual_best_responses(A[k], B[k], x, y)
            np.testing.assert_allclose(t.payoffs[e], [x @ A[k] @ y, x @ B[k] @ y], atol=1e-12)
            rmask = sum(1 << i for i in np.flatnonzero(x > 0))
            cmask = sum(1 << j for j in np.flatnonzero(y > 0))
            keys.append((rmask, cmask, *x.tolist(), *y.tolist()))
        assert keys == sorted(keys)
        assert len(set(keys)) == len(keys)  # never an equilibrium twice
        if not t.degenerate[k]:
            assert list(comp) == list(range(len(comp)))  # isolated equilibria


def test_progress_and_empty_stack():
    A, B = mixed_stack(10, 2, 2, seed=1)
    calls: list[tuple[int, int]] = []
    solve_games(A, B, chunk_size=4, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(4, 10), (8, 10), (10, 10)]
    empty = solve_games(np.zeros((0, 2, 3)), np.zeros((0, 2, 3)))
    assert empty.n_games == 0
    assert len(empty) == 0
    assert empty.row.shape == (0, 2)
    assert empty.col.shape == (0, 3)


def test_vertex_ids_identify_shared_strategies():
    A, B = game([[1, 1], [1, 0]], [[1, 1], [1, 0]])
    s = enumerate_equilibria(A[None], B[None])
    # (r0, c0), (r0, c1), (r1, c0): the first two share the row vertex, 0 and 2 the column one.
    assert s.x_ids[0] == s.x_ids[1] != s.x_ids[2]
    assert s.y_ids[0] == s.y_ids[2] != s.y_ids[1]


# ---------------------------------------------------------------------------------------------
# Invariance


@pytest.mark.parametrize("factor", [1e6, 1e-6, 1e-200, 1e200])
def test_payoff_scale_does_not_matter(factor: float):
    A, B = mixed_stack(30, 3, 3, seed=3)
    base = solve_games(A, B)
    scaled = solve_games(A * factor, B * factor)
    assert np.array_equal(base.count, scaled.count)
    assert np.array_equal(base.degenerate, scaled.degenerate)
    np.testing.assert_allclose(scaled.row, base.row, atol=1e-12)
    np.testing.assert_allclose(scaled.col, base.col, atol=1e-12)
    np.testing.assert_allclose(scaled.payoffs, base.payoffs * factor, rtol=1e-9, atol=0)


def assert_same_tables(a: EquilibriumTable, b: EquilibriumTable) -> None:
    assert np.array_equal(a.count, b.count)
    assert np.array_equal(a.degenerate, b.degenerate)
    assert np.array_equal(a.component, b.component)
    np.testing.assert_allclose(a.row, b.row, atol=1e-9)
    np.testing.assert_allclose(a.col, b.col, atol=1e-9)


# Dyadic factors and shifts (multiples of 1/8): ``a * A + b`` is then exact in binary floating
# point for small integer payoffs, so the rescaled game is the same game. A decimal shift such
# as 0.1 is not: ``fl(2 + 0.1) + fl(-2 + 0.1) != 2 * fl(0 + 0.1)``, which breaks exact ties, and
# the exact path rightly solves the game the floats store
# (test_inexact_decimal_shift_is_a_different_game).
positive = st.integers(1, 80).map(lambda k: k / 8)
shift = st.integers(-800, 800).map(lambda k: k / 8)


@settings(max_examples=60, deadline=None)
@given(
    st.tuples(st.integers(1, 4), st.integers(1, 4)),
    st.integers(0, 2**32 - 1),
    st.booleans(),
    positive,
    shift,
    positive,
    shift,
)
def test_positive_affine_rescaling_changes_nothing(
    shape: tuple[int, int],
    seed: int,
    integer: bool,
    a1: float,
    b1: float,
    a2: float,
    b2: float,
):
    rng = np.random.default_rng(seed)
    m, n = shape
    if integer:  # ties and degenerate games
        A = rng.integers(-2, 3, size=(8, m, n)).astype(float)
        B = rng.integers(-2, 3, size=(8, m, n)).astype(float)
    else:
        A, B = rng.normal(size=(8, m, n)), rng.normal(size=(8, m, n))
    base = solve_games(A, B)
    assert_same_tables(base, solve_games(a1 * A + b1, B))
    assert_same_tables(base, solve_games(A, a2 * B + b2))


def binary(M: np.ndarray) -> list[list[Fraction]]:
    """The exact binary rationals a float array stores (the reference reads floats as decimals)."""
    return [[Fraction(float(v)) for v in row] for row in M]


def test_inexact_decimal_shift_is_a_different_game():
    # Row 3 is the average of rows 1 and 2 for the row player: a degenerate game. Adding 0.1
    # in floating point breaks that tie by 3/2**56 (rounding), and the game the floats store
    # has one extreme equilibrium fewer: ((0, 0, 1), (1/2, 0, 1/2)) is no longer one, since
    # row 1 then earns 3/2**56 more. Read as decimals (2.1, -1.9, 0.1) it is still the old game.
    A = np.array([[2.0, 0.0, -2.0], [-2.0, 0.0, 2.0], [0.0, 0.0, 0.0]])
    B = np.array([[-1.0, -2.0, 2.0], [-2.0, 1.0, 0.0], [1.0, -1.0, 1.0]])
    shifted = A + 0.1
    stored = binary(shifted)
    assert (stored[0][0] + stored[1][0]) / 2 - stored[2][0] == Fraction(3, 2**55)
    assert len(extreme_equilibria(A, B)) == len(extreme_equilibria(shifted, B))  # as decimals
    for game in (A, shifted):
        table = solve_games(game[None], B[None])
        assert table.count[0] == len(extreme_equilibria(binary(game), B))
    assert solve_games(shifted[None], B[None]).count[0] < len(extreme_equilibria(shifted, B))


# ---------------------------------------------------------------------------------------------
# Errors and the facade


def test_input_errors():
    with pytest.raises(ValueError, match="shape"):
        solve_games(np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="shape"):
        solve_game(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(SolverError, match="game 1"):
        solve_games(np.array([np.eye(2), [[0, np.nan], [0, 0]]]), np.zeros((2, 2, 2)))
    # The batched API refuses games too large to enumerate; solve_game falls back to
    # Lemke-Howson instead (tests/test_fallback.py).
    size = MAX_STRATEGIES_TOTAL // 2 + 1
    with pytest.raises(SolverError, match="lemke-howson"):
        solve_games(np.zeros((1, size, size)), np.zeros((1, size, size)))
    with pytest.raises(SolverError, match="lemke-howson"):
        solve_games(np.zeros((1, 20, 20)), np.zeros((1, 20, 20)))
    with pytest.raises(SolverError, match="largest float"):
        solve_game(np.array([[-1e308, 1e308], [0.0, 0.0]]), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="tol"):
        solve_games(np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), tol=0.5)
    with pytest.raises(UsageError, match="enumeration"):
        solve_game(np.eye(2), np.eye(2), method="simplex")


def test_a_float_answer_that_fails_verification_is_solved_again_exactly(
    monkeypatch: pytest.MonkeyPatch,
):
    import sim.solver.enumeration as enumeration

    # 3x3: 2x2 games are solved from their payoff differences, without _normalise
    A, B = game([[3, 0, 1], [5, 1, 0], [0, 2, 4]], [[3, 5, 0], [0, 1, 2], [1, 0, 3]])
    honest = solve_game(A, B)
    assert not honest.degenerate
    real: Callable[..., np.ndarray] = enumeration._normalise

    def broken(v: np.ndarray) -> np.ndarray:
        return real(v)[:, ::-1].copy()  # swap strategies: no longer best responses

    monkeypatch.setattr(enumeration, "_normalise", broken)
    checked = solve_game(A, B)
    assert checked.exact
    assert not honest.exact
    assert [e.row.tolist() for e in checked.equilibria] == [
        e.row.tolist() for e in honest.equilibria
    ]
    assert [e.col.tolist() for e in checked.equilibria] == [
        e.col.tolist() for e in honest.equilibria
    ]


def test_methods_and_lazy_delegation(monkeypatch: pytest.MonkeyPatch):
    assert METHODS == ("enumeration", "support", "vertex", "lemke-howson")
    seen: list[tuple[object, ...]] = []
    pure = Equilibrium(np.array([1.0, 0.0]), np.array([1.0, 0.0]), (1.0, 1.0), 0)
    sentinel = GameSolution((pure,), False, ((0,),), (((0,), (0,)),), "support", ())

    def fake(A: np.ndarray, B: np.ndarray, method: str, tol: float) -> GameSolution:
        seen.append((A.shape, B.shape, method, tol))
        return sentinel

    module = types.ModuleType("sim.solver.nashpy_methods")
    module.solve_with_nashpy = fake  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sim.solver.nashpy_methods", module)
    assert solve_game([[1, 0], [0, 1]], [[1, 0], [0, 1]], method="support", tol=1e-8) is sentinel
    assert seen == [((2, 2), (2, 2), "support", 1e-8)]


def test_importing_the_solver_does_not_import_nashpy():
    code = (
        "import sys, numpy as np, sim.solver as s; s.solve_game(np.eye(2), np.eye(2)); "
        "bad = [m for m in ('nashpy', 'scipy') if m in sys.modules]; print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_equilibrium_dataclass_behaviour():
    s = solve_game(*game([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    e = s.equilibria[0]
    assert e == s.equilibria[0]
    assert e != s.equilibria[1]
    assert hash(e) == hash(solve_game(*game([[2, 0], [0, 1]], [[1, 0], [0, 2]])).equilibria[0])
    with pytest.raises(ValueError, match="read-only"):
        e.row[0] = 0.5
    assert e.row_support == (0,)
    assert e.col_support == (0,)
    assert e.is_pure
