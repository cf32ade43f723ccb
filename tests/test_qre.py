"""Logit QRE: the project's own continuation cross-checked against pygambit (test-only)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.games.qre import logit_branch, logit_qre
from sim.games.selection import risk_dominance
from sim.games.selection_base import GameOptionError
from sim.solver import solve_game
from tests import gambit_api  # skips this module when pygambit is not installed

LAMBDAS = [0.2, 1.0, 3.0]


def gambit_qre(A: np.ndarray, B: np.ndarray, lams: list[float]) -> list[list[list[float]]]:
    """Gambit's logit QRE on its principal branch at each lambda, as [[row], [col]]."""
    game = gambit_api.strategic_game(A.astype(int), B.astype(int))
    return [gambit_api.profile_floats(p) for p in gambit_api.logit_qre_profiles(game, lams)]


def random_games(size: int, count: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [
        (rng.integers(-5, 6, (size, size)), rng.integers(-5, 6, (size, size))) for _ in range(count)
    ]


@pytest.mark.parametrize("size", [2, 3])
def test_logit_qre_agrees_with_pygambit(size: int) -> None:
    for A, B in random_games(size, 6, seed=size):
        expected = gambit_qre(A, B, LAMBDAS)
        for lam, (row, col) in zip(LAMBDAS, expected, strict=True):
            ours = logit_qre(A, B, lam)
            assert np.max(np.abs(ours.row - row)) < 1e-6, (A, B, lam)
            assert np.max(np.abs(ours.col - col)) < 1e-6, (A, B, lam)


def logit_residual(A: np.ndarray, B: np.ndarray, lam: float, x: np.ndarray, y: np.ndarray) -> float:
    """How far (x, y) is from being a logit response to each other (written independently)."""
    u, v = A @ y, x @ B
    x_reply = np.exp(lam * (u - u.max()))
    y_reply = np.exp(lam * (v - v.max()))
    return float(
        max(np.abs(x - x_reply / x_reply.sum()).max(), np.abs(y - y_reply / y_reply.sum()).max())
    )


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(-6, 6), min_size=9, max_size=9),
    st.lists(st.integers(-6, 6), min_size=9, max_size=9),
    st.floats(0.0, 4.0),
)
def test_qre_is_a_logit_fixed_point(a: list[int], b: list[int], lam: float) -> None:
    A, B = np.array(a, dtype=float).reshape(3, 3), np.array(b, dtype=float).reshape(3, 3)
    point = logit_qre(A, B, lam)
    assert logit_residual(A, B, lam, point.row, point.col) < 1e-8


def test_lambda_zero_is_uniform_play() -> None:
    point = logit_qre([[3, 0, 1], [5, 1, 2]], [[3, 5, 0], [0, 1, 4]], 0.0)
    assert np.allclose(point.row, 1 / 2)
    assert np.allclose(point.col, 1 / 3)


def test_stag_hunt_branch_reaches_the_risk_dominant_equilibrium() -> None:
    # Stag hunt: (stag, stag) pays 4 each and is payoff dominant; hare is safe (3 whatever).
    # Deviation losses: at stag/stag 4 - 3 = 1, at hare/hare 3 - 0 = 3, so hare/hare has the
    # larger Nash product and risk-dominates; Turocy (2005) says the logit branch goes there.
    A = [[4, 0], [3, 3]]
    B = [[4, 3], [0, 3]]
    solution = solve_game(np.array(A, float), np.array(B, float))
    risk = risk_dominance(A, B, solution=solution)
    branch = logit_branch(A, B, solution=solution)
    assert branch.converged
    assert branch.limit_index is not None
    assert branch.limit_index == risk.dominant_index
    eq = solution.equilibria[branch.limit_index]
    assert eq.row_support == (1,)
    assert eq.col_support == (1,)


def test_negative_lambda_is_refused() -> None:
    with pytest.raises(GameOptionError) as error:
        logit_qre([[1, 0], [0, 1]], [[1, 0], [0, 1]], -1.0)
    assert error.value.option == "lam"
