"""2x2 stacks solved from the signs of their payoff differences equal the exact reference.

:mod:`sim.solver.two_by_two` replaces vertex enumeration for 2x2 games. On random stacks of
small-integer, decimal and perturbed 2x2 games (ties and near-ties included), every game's
extreme equilibria equal the exact reference's for the floats' binary values, in number and
within 1e-12, and a game with a tie is solved exactly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.solver import solve_games
from tests.reference import extreme_equilibria

values = st.one_of(
    st.integers(-3, 3).map(float),
    st.integers(-30, 30).map(lambda k: k / 10),
    st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 9)),
)
games = st.lists(st.lists(values, min_size=8, max_size=8), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(games)
def test_every_game_of_a_stack_equals_the_reference(stack: list[list[float]]) -> None:
    data = np.array(stack).reshape(-1, 2, 2, 2)
    A, B = data[:, 0], data[:, 1]
    table = solve_games(A, B)
    for g in range(A.shape[0]):
        binary = [[[Fraction(float(v)) for v in row] for row in M] for M in (A[g], B[g])]
        expected = extreme_equilibria(*binary)
        rows = np.flatnonzero(table.game_index == g)
        assert len(rows) == len(expected)
        for x, y in expected:
            assert any(
                np.abs(table.row[k] - [float(v) for v in x]).max() <= 1e-12
                and np.abs(table.col[k] - [float(v) for v in y]).max() <= 1e-12
                for k in rows
            )
        ties = any(M[0, j] == M[1, j] for M in (A[g],) for j in (0, 1)) or any(
            B[g][i, 0] == B[g][i, 1] for i in (0, 1)
        )
        if ties:
            assert table.exact[g]


def test_huge_payoffs_give_no_warning_and_the_reference_answer() -> None:
    """With payoffs of 1e200 the product of two differences overflows: the signs decide
    without it, and no numpy warning escapes (the input fuzz found it)."""
    import warnings

    A = np.array([[[1e200, -1e200], [-1e200, 1e200]]])
    B = np.array([[[-1e200, 1e200], [1e200, -1e200]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = solve_games(A, B)
    binary = [[[Fraction(float(v)) for v in row] for row in M] for M in (A[0], B[0])]
    expected = extreme_equilibria(*binary)
    assert len(table.row) == len(expected) == 1
    assert table.row[0].tolist() == [0.5, 0.5]
    assert table.col[0].tolist() == [0.5, 0.5]
