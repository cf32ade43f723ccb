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


def test_payoffs_near_the_float_limit_give_no_warning_and_the_exact_answer() -> None:
    """1e308 - (-1e308) overflows: such a game goes to the exact path, without a numpy warning
    (the input fuzz found it)."""
    import warnings

    A = np.array([[[1e308, -1e308], [-1e308, 1e308]]])
    B = np.array([[[-1e308, 1e308], [1e308, -1e308]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = solve_games(A, B)
    assert table.exact[0]
    binary = [[[Fraction(float(v)) for v in row] for row in M] for M in (A[0], B[0])]
    assert len(table.row) == len(extreme_equilibria(*binary))
