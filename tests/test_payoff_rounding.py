"""Bounds on the payoffs as typed, and the games whose floats may hide a tie of them.

A float parameter stands for the decimal it was typed as, so a payoff computed in floats is a
rounding of the payoff as typed. ``Scenario.payoff_bounds`` bounds the latter by interval
arithmetic; the batches send a game to the exact path when that rounding is not small
against the player's payoff spread.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analyses.rounding import rounding_uncertain
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_vary
from tests.games import formula_game_text

decimals = st.integers(-300, 300).map(lambda k: Fraction(k, 100))


def _scenario(tmp_path: Path, formula: str):
    path = tmp_path / "typed.toml"
    path.write_text(
        formula_game_text(
            "typed", "A test game.", {"x": (0.5, -3, 3), "y": (0.5, -3, 3)}, formula, "v"
        ),
        encoding="utf-8",
    )
    return load_scenario(str(path))


@settings(max_examples=60, deadline=None)
@given(
    coefficients=st.lists(decimals, min_size=3, max_size=3),
    xs=st.lists(decimals, min_size=1, max_size=8),
    ys=st.lists(decimals, min_size=1, max_size=8),
)
def test_bounds_hold_the_payoffs_as_typed(tmp_path_factory, coefficients, xs, ys) -> None:
    """At every point the exact payoff of the decimals lies within the bounds."""
    a, b, c = coefficients
    scenario = _scenario(tmp_path_factory.mktemp("b"), f"u*({a}*x + {b}*y - {c}) + x*y")
    k = min(len(xs), len(ys))
    env = {"x": np.array([float(v) for v in xs[:k]]), "y": np.array([float(v) for v in ys[:k]])}
    bounds = scenario.payoff_bounds(env)
    assert bounds is not None
    for point in range(k):
        exact = scenario.payoffs_exact({"x": xs[point], "y": ys[point]})
        for player, (low, high) in enumerate(bounds):
            low_k = np.broadcast_to(low, (k, 2, 2))[point]
            high_k = np.broadcast_to(high, (k, 2, 2))[point]
            for i in range(2):
                for j in range(2):
                    value = (exact.row, exact.col)[player][i][j]
                    assert Fraction(float(low_k[i, j])) <= value <= Fraction(float(high_k[i, j]))


def test_the_cancelling_point_is_uncertain_and_its_neighbours_are_not(tmp_path) -> None:
    """x + 2y - 1.3 at (0.7, 0.3) is -2.2e-16 in floats, Row's whole spread: uncertain. At
    (0.7, 0.4) the floats are 0.1 apart, far beyond their rounding."""
    scenario = _scenario(tmp_path, "u*(x + 2*y - 1.3)")
    env = {"x": np.array([0.7, 0.7]), "y": np.array([0.3, 0.4])}
    A, B = scenario.payoff_stack(env)
    assert A[0, 0, 0] != 0  # Up, the floats do not tie
    doubt = rounding_uncertain(scenario, A, B, env)
    assert doubt is not None
    assert doubt.tolist() == [True, False]


def test_ordinary_sweeps_send_no_point_to_the_exact_path_for_rounding() -> None:
    """The bundled report sweep of rare-earths-for-chips: the check costs no exact solves."""
    scenario = load_scenario("rare-earths-for-chips")
    axis = parse_vary("t_us=0:1.5:301", scenario)
    env = {"t_us": axis.values}
    A, B = scenario.payoff_stack(env)
    doubt = rounding_uncertain(scenario, A, B, env)
    assert doubt is not None
    assert not doubt.any()
