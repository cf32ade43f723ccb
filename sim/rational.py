"""Simple rational numbers near floats: the value a float stands for, and the simplest
number in an interval.

A parameter typed as ``0.3``, or a grid value computed as ``3 + 2 * 0.2 = 3.4000000000000004``,
stands for a decimal (3/10, 17/5), not for the binary rational the float stores. The simplest
rational (smallest denominator, then smallest numerator) within a few units in the last place
of the float recovers it: floating-point rounding moves a value by an ulp or two, while two
distinct simple numbers are much further apart. The same search, on a wider interval, finds the
simplest number inside a bracket around a regime boundary (where a designed tie usually sits).

The recovery is certain when no other fraction as simple lies within the few ulps searched:
fractions with denominators up to ``q`` are at least ``1/q**2`` apart, so a decimal with ``d``
digits after the point is recovered while ``|x|`` times about ``1e-15`` stays below
``10**(-2 d)`` (six decimals for values up to about 1,000). The float must be the one nearest
to the decimal, or an ulp or two off: ``start + k * step`` after cancellation can be further
off, which is why sweeps compute their grids exactly (:func:`sim.sweeps.grid.exact_grid`).

Method: the continued-fraction descent of the Stern-Brocot tree (A. Brocot 1861; see
R. Graham, D. Knuth, O. Patashnik, *Concrete Mathematics*, 2nd ed., 1994, section 4.5):
the simplest rational in ``[lo, hi]`` shares the continued-fraction terms of both ends until they
differ, then takes the smallest term between them.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

__all__ = ["INTENDED_ULPS", "intended_value", "simplest_between"]

INTENDED_ULPS = 4
"""A float stands for the simplest rational within this many units in its last place."""


def simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The simplest rational in the closed interval ``[lo, hi]``.

    Simplest: the smallest denominator, and among those the smallest absolute numerator.
    Zero when the interval contains it; negative intervals mirror positive ones.

    Examples
    --------
    >>> simplest_between(Fraction(49, 1000), Fraction(51, 1000))
    Fraction(1, 20)
    >>> simplest_between(Fraction(-7, 2), Fraction(-3, 1))
    Fraction(-3, 1)
    """
    if lo > hi:
        raise ValueError(f"empty interval [{lo}, {hi}]")
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -simplest_between(-hi, -lo)
    # 0 < lo <= hi. Iterate the continued fraction: x = whole + 1 / (rest), with the two ends
    # swapping roles under 1/x; the convergents (p, q) accumulate the shared terms.
    p0, q0, p1, q1 = 0, 1, 1, 0
    a, b = lo, hi
    while True:
        whole = math.floor(a)
        if whole == a or whole < math.floor(b):
            # an integer lies in [a, b]: the smallest one that is >= a ends the expansion
            term = whole if whole == a else whole + 1
            return Fraction(term * p1 + p0, term * q1 + q0)
        p0, q0, p1, q1 = p1, q1, whole * p1 + p0, whole * q1 + q0
        a, b = 1 / (b - whole), 1 / (a - whole)


@functools.lru_cache(maxsize=1 << 14)
def intended_value(x: float, ulps: int = INTENDED_ULPS) -> Fraction:
    """The simple rational a float stands for: the simplest within ``ulps`` of it.

    Examples
    --------
    >>> intended_value(0.1)
    Fraction(1, 10)
    >>> intended_value(3 + 2 * 0.2)
    Fraction(17, 5)
    >>> intended_value(0.0)
    Fraction(0, 1)

    Cached: a sweep asks for the same parameter values (the defaults) at every point.
    """
    if not math.isfinite(x):
        raise ValueError(f"{x} is not a finite number")
    exact = Fraction(x)
    if x == 0:
        return exact
    spread = Fraction(math.ulp(x)) * ulps
    return simplest_between(exact - spread, exact + spread)
