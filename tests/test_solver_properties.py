"""Property tests of the default solver against the exact reference (tests/reference.py).

Random games from 2 x 2 to 6 x 6, small sizes drawn more often. Most have integer payoffs in
-3..3, so ties (degenerate games) are common; some use only two or three distinct values, which
makes degeneracy the rule; a few have payoffs in eighths. Eighths, not tenths: the solver reads a
float as the binary rational it stores, the reference reads it as the decimal it prints, and the
two readings agree only for dyadic numbers (the last test pins the difference). For each game:

- every reported profile, snapped to the nearest rational with a small denominator, is an exact
  Nash equilibrium (checked in :class:`fractions.Fraction` arithmetic) and lies within 1e-9 of
  the float that was reported;
- the snapped set equals the reference's exact set of extreme equilibria, with no duplicates;
- the degenerate flag equals the exact definition (a vertex with too many labels).

Snapping is safe here: the exact probabilities have denominators below about 10^4 for these
games, far below the 10^7 bound, and the floats are accurate to about 1e-15.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.solver import GameSolution, solve_game, solve_games
from tests.reference import exact, extreme_equilibria, is_degenerate, is_nash

SIZES = st.sampled_from([2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6])
MAX_DENOMINATOR = 10**7


@st.composite
def games(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    kind = draw(st.sampled_from(["integers"] * 6 + ["few values"] * 3 + ["eighths"]))
    m, n = draw(SIZES), draw(SIZES)
    values: st.SearchStrategy[float]
    if kind == "integers":
        values = st.integers(-3, 3).map(float)
    elif kind == "few values":
        pool = draw(st.lists(st.integers(-5, 5), min_size=1, max_size=3, unique=True))
        values = st.sampled_from([float(v) for v in pool])
    else:
        m, n = min(m, 4), min(n, 4)
        values = st.integers(-20, 20).map(lambda k: k / 8)
    A = draw(arrays(np.float64, (m, n), elements=values))
    B = draw(arrays(np.float64, (m, n), elements=values))
    return A, B


def _snap(v: np.ndarray) -> tuple[Fraction, ...]:
    return tuple(Fraction(float(p)).limit_denominator(MAX_DENOMINATOR) for p in v)


def _check_game(A: np.ndarray, B: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> None:
    reference = extreme_equilibria(A, B)
    snapped = []
    for x, y in zip(rows, cols, strict=True):
        sx, sy = _snap(x), _snap(y)
        assert is_nash(A, B, sx, sy), (x, y)
        assert max(abs(float(a) - b) for a, b in zip(sx, x, strict=True)) <= 1e-9
        assert max(abs(float(a) - b) for a, b in zip(sy, y, strict=True)) <= 1e-9
        snapped.append((sx, sy))
    assert len(set(snapped)) == len(snapped), "an equilibrium is reported twice"
    missing = reference - set(snapped)
    extra = set(snapped) - reference
    assert not missing, f"missing {sorted(missing)[:2]}"
    assert not extra, f"extra {sorted(extra)[:2]}"


@settings(max_examples=400, deadline=None)
@given(games())
def test_every_extreme_equilibrium_exactly_once(game: tuple[np.ndarray, np.ndarray]) -> None:
    A, B = game
    solution = solve_game(A, B)
    rows = np.array([e.row for e in solution.equilibria]).reshape(-1, A.shape[0])
    cols = np.array([e.col for e in solution.equilibria]).reshape(-1, A.shape[1])
    _check_game(A, B, rows, cols)
    assert solution.degenerate == is_degenerate(A, B)
    for e in solution.equilibria:
        expected = (
            sum(exact(a) * exact(p) * exact(q) for a, p, q in _terms(A, e.row, e.col)),
            sum(exact(b) * exact(p) * exact(q) for b, p, q in _terms(B, e.row, e.col)),
        )
        assert abs(e.payoffs[0] - float(expected[0])) <= 1e-9
        assert abs(e.payoffs[1] - float(expected[1])) <= 1e-9


def _terms(M: np.ndarray, x: np.ndarray, y: np.ndarray) -> list[tuple[float, float, float]]:
    return [
        (float(M[i, j]), float(x[i]), float(y[j]))
        for i in range(M.shape[0])
        for j in range(M.shape[1])
    ]


@st.composite
def stacks(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    m, n = draw(st.sampled_from([2, 2, 3, 3, 4])), draw(st.sampled_from([2, 2, 3, 3, 4]))
    k = draw(st.integers(1, 12))
    values = st.integers(-3, 3).map(float)
    A = draw(arrays(np.float64, (k, m, n), elements=values))
    B = draw(arrays(np.float64, (k, m, n), elements=values))
    return A, B


@settings(max_examples=40, deadline=None)
@given(stacks())
def test_a_stack_of_games_gives_each_games_equilibria(
    stack: tuple[np.ndarray, np.ndarray],
) -> None:
    A, B = stack
    table = solve_games(A, B)
    offsets = table.offsets()
    assert table.n_games == A.shape[0]
    for k in range(A.shape[0]):
        part = slice(offsets[k], offsets[k + 1])
        assert np.all(table.game_index[part] == k)
        _check_game(A[k], B[k], table.row[part], table.col[part])
        assert bool(table.degenerate[k]) == is_degenerate(A[k], B[k])


def _exact_set(solution: GameSolution) -> set[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    assert solution.exact
    found = set()
    for e in solution.equilibria:
        assert e.exact_row is not None
        assert e.exact_col is not None
        found.add((tuple(e.exact_row), tuple(e.exact_col)))
    return found


def test_floats_are_their_binary_values_and_fractions_their_decimals() -> None:
    """A tie that holds for the decimals 0.1, -1.4, -0.6, -1.2 fails by 5.6e-17 for the floats.

    Found by the property test above when it drew tenths: at the column mix (0, 0, 2/3, 1/3)
    the three rows tie in decimal arithmetic, but in binary the first row is ahead, so the third
    row is no longer a best response. Floats are solved as the binary rationals they store,
    Fractions as written, and each answer equals the reference for the same reading.
    """
    tenths = [[0, 0, 1, -14], [0, 0, -6, 0], [0, 0, 0, -12]]
    as_floats = np.array(tenths, dtype=np.float64) / 10
    as_decimals = np.array([[Fraction(v, 10) for v in row] for row in tenths], dtype=object)
    binary = np.vectorize(Fraction, otypes=[object])(as_floats)
    zeros = np.zeros((3, 4))
    from_floats = _exact_set(solve_game(as_floats, zeros))
    from_decimals = _exact_set(solve_game(as_decimals, zeros))
    assert from_floats == extreme_equilibria(binary, zeros)
    assert from_decimals == extreme_equilibria(as_decimals, zeros)
    assert from_decimals - from_floats, "the decimal tie adds an equilibrium"
