"""Incentive conditions of the repeated-game strategies, as polynomials in the discount factor.

Every condition "player ``i`` does not gain by this deviation from the deal" reads
``f(delta) >= 0`` for a polynomial ``f(delta) = c_0 + c_1 delta + ... + c_k delta^k`` whose
non-constant coefficients share one sign, so ``f`` is monotone on ``[0, 1]`` and the discounts
that satisfy it form one interval. Write ``R`` for the player's deal payoff, ``T`` for its best
payoff from a strategy other than its deal strategy against the other's deal strategy,
``g = T - R`` (the one-period *gain*), ``P`` for its payoff under the punishment and
``l = R - P`` (the per-period *loss*). Payoff streams are compared as discounted sums.

Grim trigger (Friedman 1971): deviating pays ``T`` once and ``P`` for ever after, so the deal
holds iff ``R/(1-d) >= T + d P/(1-d)``, i.e. ``f(d) = -g + (g + l) d >= 0``, and
``delta* = g / (g + l)``. By the one-shot deviation principle (Fudenberg and Tirole 1991,
*Game Theory*, section 4.2) this is the only condition when the punishment is a stage
equilibrium: in a punishment period no single deviation gains today and the future is
unchanged. In the prisoner's dilemma ``delta* = (T-R)/(T-P)``.

``k`` periods of punishment (Osborne 2004, *An Introduction to Game Theory*, ch. 14, "limited
punishment"): deviating pays ``T`` once, ``P`` for
``k`` periods, then the deal again, so the condition is
``R (1 + d + ... + d^k) >= T + P (d + ... + d^k)``, i.e. ``f(d) = -g + l (d + d^2 + ... + d^k)``.
``f(1) = k l - g``: the deal can be sustained by some ``d < 1`` iff ``k l > g``. For ``k = 1``
``delta* = g / l``; as ``k`` grows ``f`` tends to the grim condition.

Tit-for-tat against tit-for-tat: the other player's move today is the deal action if and only if
this player dealt yesterday, so this player faces a two-state decision problem whose optimum is
attained by a stationary policy (Blackwell 1965, "Discounted dynamic programming", *Annals of
Mathematical Statistics* 36; Puterman 1994, *Markov Decision Processes*, ch. 6). From the deal
state the alternatives to keeping the deal
are: deviate and then deal again (``T``, then ``Y``, then the deal; the same threshold as
alternating ``T, Y, T, Y, ...``), and deviate for ever (``T``, then ``P^`` for ever), with
``Y`` the payoff of dealing while punished and ``P^`` the best non-deal payoff against the
punishment action. Hence two conditions,
``once:    f(d) = -g + (R - Y) d >= 0``,
``forever: f(d) = -g + (T - P^) d >= 0``,
which for the prisoner's dilemma are Axelrod's (1984) Proposition 2,
``w >= max[(T-R)/(T-P), (T-R)/(R-S)]``. These make tit-for-tat a Nash equilibrium of the
repeated game; it is subgame perfect only on a knife edge (see
:mod:`sim.games.repeated_automata`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np
import numpy.typing as npt

from sim.games.repeated_types import Case, Scalar

Coefficients = tuple[Scalar, ...]

#: Names of the deviations a condition guards against (what the words layer explains).
DEVIATION_KINDS: dict[str, str] = {
    "deviate": "deviate from the deal once, then take the punishment",
    "once": "deviate once, then deal again while being punished",
    "forever": "deviate from the deal for ever",
}

#: Float bisection steps: 2**-80 is far below float64 resolution on [0, 1].
_FLOAT_STEPS = 80


def grim_condition(gain: Scalar, loss: Scalar) -> Coefficients:
    """Coefficients of the grim-trigger condition ``-g + (g + l) d >= 0`` (module docstring)."""
    return (-gain, gain + loss)


def punish_k_condition(gain: Scalar, loss: Scalar, k: int) -> Coefficients:
    """Coefficients of the ``k``-period condition ``-g + l (d + ... + d^k) >= 0``."""
    return (-gain, *([loss] * k))


def tit_for_tat_conditions(
    deal: Scalar, deviation: Scalar, sucker: Scalar, best_against_punishment: Scalar
) -> tuple[Coefficients, Coefficients]:
    """The ``once`` and ``forever`` conditions of tit-for-tat (Axelrod 1984, Proposition 2).

    Parameters
    ----------
    deal, deviation
        ``R`` and ``T``: the deal payoff and the best non-deal payoff against the deal.
    sucker
        ``Y``: the payoff of playing the deal action while the other punishes.
    best_against_punishment
        ``P^``: the best payoff of a non-deal action while the other punishes.
    """
    gain = deviation - deal
    return (-gain, deal - sucker), (-gain, deviation - best_against_punishment)


def evaluate(coefficients: Sequence[Scalar], delta: Scalar) -> Scalar:
    """``f(delta)`` by Horner's rule (exact for Fractions)."""
    value: Scalar = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        value = value * delta + c
    return value


def at_one(coefficients: Sequence[Scalar]) -> Scalar:
    """``f(1)``: the condition's slack for a perfectly patient pair."""
    return sum(coefficients[1:], coefficients[0])


def _direction(coefficients: Sequence[Scalar]) -> int:
    """+1 if ``f`` increases on [0, 1], -1 if it decreases, 0 if it is constant."""
    slope = sum(coefficients[1:], coefficients[0] - coefficients[0])
    return (slope > 0) - (slope < 0)


def holds_near_one(value_at_one: Scalar, gain: Scalar) -> bool:
    """Whether a monotone condition holds for every discount close enough to 1.

    ``f(1) > 0`` suffices; at ``f(1) = 0`` it holds just below 1 exactly when ``f`` does not
    increase, i.e. when ``f(0) = -gain >= 0``.
    """
    return bool(value_at_one > 0 or (value_at_one == 0 and gain <= 0))


@dataclass(frozen=True)
class HoldingSet:
    """The discounts ``d`` in ``[0, 1)`` at which one monotone condition holds.

    Attributes
    ----------
    lowest
        The least such discount when the set reaches up to 1 (``[lowest, 1)``), else ``None``.
    ceiling
        When the condition holds only for impatient players (``f`` decreasing, ``f(0) >= 0 >
        f(1)``): it holds exactly on ``[0, ceiling]``. ``None`` otherwise.
    """

    lowest: Scalar | None
    ceiling: Scalar | None


def holding_set(coefficients: Sequence[Scalar]) -> HoldingSet:
    """Where ``f >= 0`` on ``[0, 1)`` for a monotone polynomial ``f`` (exact for Fractions)."""
    f0, f1 = coefficients[0], at_one(coefficients)
    zero = f0 - f0
    direction = _direction(coefficients)
    if not holds_near_one(f1, -f0):
        if direction < 0 and f0 >= 0:
            return HoldingSet(lowest=None, ceiling=monotone_root(coefficients))
        return HoldingSet(lowest=None, ceiling=None)
    if f0 >= 0 or direction <= 0:
        return HoldingSet(lowest=zero, ceiling=None)
    return HoldingSet(lowest=monotone_root(coefficients), ceiling=None)


def monotone_root(coefficients: Sequence[Scalar]) -> Scalar:
    """The root in ``[0, 1]`` of a monotone polynomial with ``f(0)`` and ``f(1)`` of opposite
    signs (or one of them zero).

    Linear: ``-c_0 / c_1`` (exact). Higher degree with Fraction coefficients: exact bisection
    until the bracket is narrower than ``1/(2 Q^2)``, ``Q`` the leading coefficient of the
    integer-scaled polynomial; by the rational root theorem a rational root has a denominator
    dividing ``Q``, and two fractions with denominators at most ``Q`` are at least ``1/Q^2``
    apart, so the only candidate is the bracket's best approximation with denominator at most
    ``Q`` (``Fraction.limit_denominator``), checked exactly. An irrational root is returned as
    the float of the bracket (within ``2**-60``). Float coefficients: float bisection.
    """
    if len(coefficients) == 2:
        return -coefficients[0] / coefficients[1]
    if all(isinstance(c, Fraction) for c in coefficients):
        return _exact_root([Fraction(c) for c in coefficients])
    return _float_root([float(c) for c in coefficients])


def _exact_root(coefficients: list[Fraction]) -> Scalar:
    scale = lcm(*(c.denominator for c in coefficients))
    integers = [int(c * scale) for c in coefficients]
    while integers[-1] == 0:  # trailing zero coefficients do not change the polynomial
        integers.pop()
    if len(integers) == 2:
        return Fraction(-integers[0], integers[1])
    bound = abs(integers[-1])
    increasing = _direction(coefficients) > 0
    lo, hi = Fraction(0), Fraction(1)
    for candidate in (lo, hi):
        if evaluate(integers, candidate) == 0:
            return candidate
    width_needed = Fraction(1, 2 * bound * bound)
    steps = 0
    while hi - lo >= width_needed or steps < 60:
        mid = (lo + hi) / 2
        value = evaluate(integers, mid)
        if value == 0:
            return mid
        if (value < 0) == increasing:
            lo = mid
        else:
            hi = mid
        steps += 1
    candidate = ((lo + hi) / 2).limit_denominator(bound)
    if evaluate(integers, candidate) == 0:
        return candidate
    return float((lo + hi) / 2)


def _float_root(coefficients: list[float]) -> float:
    increasing = _direction(coefficients) > 0
    lo, hi = 0.0, 1.0
    for _ in range(_FLOAT_STEPS):
        mid = 0.5 * (lo + hi)
        value = evaluate(coefficients, mid)
        if value == 0:
            return mid
        if (value < 0) == increasing:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# --------------------------------------------------------------------------------------------
# Vectorised versions for stacks of games


def evaluate_stack(coefficients: npt.NDArray[np.float64], delta: np.ndarray) -> np.ndarray:
    """``f(delta)`` for ``(K, k + 1)`` coefficients and ``(K,)`` discounts (Horner)."""
    value = coefficients[:, -1].copy()
    for j in range(coefficients.shape[1] - 2, -1, -1):
        value = value * delta + coefficients[:, j]
    return value


def root_stack(coefficients: npt.NDArray[np.float64]) -> np.ndarray:
    """Where monotone ``f`` crosses zero on ``[0, 1]``, for each row of ``(K, k + 1)``
    coefficients (rows without a sign change give an endpoint; callers mask them).

    Linear rows: ``-c_0 / c_1``; higher degree: vectorised bisection (no loop over ``K``).
    """
    K, width = coefficients.shape
    if width == 2:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.clip(-coefficients[:, 0] / coefficients[:, 1], 0.0, 1.0)
    increasing = coefficients[:, 1:].sum(axis=1) > 0
    lo = np.zeros(K)
    hi = np.ones(K)
    for _ in range(_FLOAT_STEPS):
        mid = 0.5 * (lo + hi)
        below = (evaluate_stack(coefficients, mid) < 0) == increasing
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return 0.5 * (lo + hi)


def classify_cases(
    one_sign: np.ndarray,
    gain_sign: np.ndarray,
    loss_sign: np.ndarray,
    discount_sign: np.ndarray | None,
) -> np.ndarray:
    """The :class:`~sim.games.repeated_types.Case` code of each point from the signs of its
    conditions.

    Parameters
    ----------
    one_sign
        ``(K, C)`` sign of ``f(1)`` of each condition of one strategy.
    gain_sign, loss_sign
        ``(K, C)`` sign of the gain and of the loss of the player each condition belongs to.
    discount_sign
        ``(K, C)`` sign of ``f(delta)`` at the given discount, or ``None`` without one.

    Returns
    -------
    numpy.ndarray
        ``(K,)`` int64 case codes: a condition holds near 1 when ``f(1) > 0`` or
        (``f(1) = 0`` and gain ``<= 0``, see :func:`holds_near_one`); a failure near 1 is
        ``NO_CREDIBLE_THREAT`` when the failing player's loss is not positive, otherwise
        ``NEVER_SUSTAINABLE``.
    """
    near = (one_sign > 0) | ((one_sign == 0) & (gain_sign <= 0))
    all_near = near.all(axis=1)
    no_threat = (~near & (loss_sign <= 0)).any(axis=1)
    failing = np.where(no_threat, int(Case.NO_CREDIBLE_THREAT), int(Case.NEVER_SUSTAINABLE))
    if discount_sign is None:
        return np.where(all_near, int(Case.SUSTAINABLE), failing).astype(np.int64)
    holds = (discount_sign >= 0).all(axis=1)
    return np.where(holds, int(Case.HOLDS), np.where(all_near, int(Case.FAILS), failing)).astype(
        np.int64
    )
