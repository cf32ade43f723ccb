"""The payoffs as typed behind a batch's floats, and where the floats may hide their ties.

A float parameter value stands for the simple decimal it was typed or computed as
(:func:`sim.rational.intended_value`), so the analyses' batches decide ties on those decimals
wherever floating point cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from sim.errors import ScenarioError

if TYPE_CHECKING:
    from sim.scenario import Scenario

__all__ = ["ROUNDING_LIMIT", "intended_payoffs", "rounding_uncertain"]


ROUNDING_LIMIT = 1e-9
"""Largest rounding of the payoffs, relative to a player's payoff spread, that floating point
may decide a game at (the solver's tie tolerance): beyond it the game is solved at its
payoffs as typed."""


def rounding_uncertain(
    scenario: Scenario, A: np.ndarray, B: np.ndarray, env: Mapping[str, float | np.ndarray]
) -> np.ndarray | None:
    """Games whose float payoffs may hide a tie of the payoffs as typed, shape ``(K,)``.

    The floats of ``x + 2*y - 1.3`` at 0.7, 0.3 are -2.2e-16, the whole spread of Row's payoffs,
    so floating point sees a strict preference where the decimals tie. A game is uncertain
    when some player's payoffs may be off by more than :data:`ROUNDING_LIMIT` of that player's
    spread (bounded by interval arithmetic, :meth:`sim.scenario.Scenario.payoff_bounds`); in
    ordinary games the rounding is about 1e-16 of the spread. ``None`` when no bound can be
    given (payoffs from an extension table).
    """
    bounds = scenario.payoff_bounds(env)
    if bounds is None:
        return None
    K = A.shape[0]
    doubt = np.zeros(K, dtype=bool)
    for stack, (low, high) in zip((A, B), bounds, strict=True):
        with np.errstate(invalid="ignore"):
            gap = np.maximum(high - stack, stack - low)  # nan from inf - inf: no bound
        error = np.where(np.isnan(gap), np.inf, gap).reshape(K, -1).max(axis=1)
        flat = stack.reshape(K, -1)
        spread = flat.max(axis=1) - flat.min(axis=1)
        # a spread of 0 is a tie in floats, which the solver already solves as typed
        doubt |= (spread > 0) & (error > ROUNDING_LIMIT * spread)
    return doubt


def intended_payoffs(
    scenario: Scenario, env: Mapping[str, float | np.ndarray]
) -> Callable[[int], tuple[object, object] | None]:
    """``at(k)``: the exact payoffs of point ``k`` of ``env`` at the values as typed.

    Each float parameter value stands for the simple decimal it was typed or computed as
    (:func:`sim.rational.intended_value`: grid value ``3.4000000000000004`` is 17/5), so a tie
    designed in decimals is solved as a tie. Payoffs with ``exp``, ``log`` or irrational roots
    are rational but for those terms (:meth:`sim.scenario.Scenario.payoffs_exact`); ``None``
    where a payoff is not finite: the solver then uses the floats' binary values.
    """

    def at(k: int) -> tuple[object, object] | None:
        # payoffs_exact reads each float as the decimal it stands for
        values = {
            name: float(v if np.ndim(v) == 0 else np.asarray(v)[k]) for name, v in env.items()
        }
        try:
            payoffs = scenario.payoffs_exact(values)
        except ScenarioError:
            return None
        # rational but for exp, log and roots (taken at their float values): cells that
        # share such a term still tie
        return payoffs.row, payoffs.col

    return at
