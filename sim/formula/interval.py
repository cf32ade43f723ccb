"""Interval evaluation: bounds on a formula over boxes of parameter values, vectorised.

Given lower and upper bounds for every name (arrays that broadcast together), the evaluator
returns ``(lo, hi)`` such that the formula's exact value at every point of the box lies in
``[lo, hi]`` (interval arithmetic; Moore, Kearfott and Cloud, *Introduction to Interval
Analysis*, SIAM 2009, chapters 2 and 5). A payoff difference whose interval excludes zero
cannot change sign anywhere in the box, which is how a sweep can certify a sub-interval.

Rounding: NumPy cannot round towards minus or plus infinity, so every bound is widened
outwards after rounding to nearest: by one unit in the last place (ulp) after ``+ - * /`` and
``sqrt``, which IEEE 754 rounds correctly (error at most half an ulp), and by four ulps after
``exp``, ``log`` and ``**``, whose C-library implementations are not correctly rounded but
are documented within one or two ulps (glibc manual, "Errors in Math Functions"). Number
literals whose decimal value is not a float (``0.1``) get the two floats around it. The bounds
are therefore rigorous for IEEE arithmetic under round-to-nearest, given a C library within
four ulps for ``exp``, ``log`` and ``pow``.

Where a bound cannot be given (a divisor interval containing zero, ``log`` or ``sqrt`` of an
interval reaching below zero, a fractional power of a possibly negative base, ``nan``), the
result is ``(-inf, inf)``, which never certifies anything.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .ir import Call, Chain, Name, Node, Number, Power, Unary

FloatArray = npt.NDArray[np.float64]
Bounds = tuple[FloatArray, FloatArray]

_LIBM_ULPS = 4  # outward widening after exp, log and pow
_IEEE_ULPS = 1  # outward widening after + - * / and sqrt


def enclose(value: Fraction) -> tuple[float, float]:
    """The tightest floats ``lo <= value <= hi`` (equal when ``value`` is a float).

    ``float(Fraction)`` rounds correctly to nearest (integer true division), so one step
    towards the exact value's side is enough.
    """
    nearest = float(value)
    if not np.isfinite(nearest):
        return (-np.inf, np.inf) if nearest != nearest else (nearest, nearest)
    back = Fraction(nearest)
    if back == value:
        return nearest, nearest
    if back > value:
        return float(np.nextafter(nearest, -np.inf)), nearest
    return nearest, float(np.nextafter(nearest, np.inf))


def _widen(lo: FloatArray, hi: FloatArray, ulps: int) -> Bounds:
    for _ in range(ulps):
        lo = np.nextafter(lo, -np.inf)
        hi = np.nextafter(hi, np.inf)
    return _clean(lo, hi)


def _clean(lo: FloatArray, hi: FloatArray) -> Bounds:
    """Where either bound is nan, nothing is known: (-inf, inf)."""
    unknown = np.isnan(lo) | np.isnan(hi)
    if np.any(unknown):
        lo = np.where(unknown, -np.inf, lo)
        hi = np.where(unknown, np.inf, hi)
    return lo, hi


def _unbounded_where(mask: npt.NDArray[np.bool_], lo: FloatArray, hi: FloatArray) -> Bounds:
    return np.where(mask, -np.inf, lo), np.where(mask, np.inf, hi)


def _corners(fn: Callable[[FloatArray, FloatArray], FloatArray], a: Bounds, b: Bounds) -> Bounds:
    """Min and max of ``fn`` over the four corners of the box ``a x b``."""
    values = [fn(x, y) for x in a for y in b]
    return functools.reduce(np.minimum, values), functools.reduce(np.maximum, values)


def evaluate_interval(
    node: Node, lo_env: Mapping[str, FloatArray], hi_env: Mapping[str, FloatArray]
) -> Bounds:
    """Bounds of ``node`` over the box ``[lo_env, hi_env]`` (see the module notes)."""
    with np.errstate(all="ignore"):
        return _Intervals(lo_env, hi_env).bounds(node)


class _Intervals:
    def __init__(self, lo_env: Mapping[str, FloatArray], hi_env: Mapping[str, FloatArray]):
        self.lo_env = lo_env
        self.hi_env = hi_env

    def bounds(self, node: Node) -> Bounds:
        if isinstance(node, Number):
            low, high = enclose(node.exact)
            return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
        if isinstance(node, Name):
            return self.lo_env[node.name], self.hi_env[node.name]
        if isinstance(node, Chain):
            acc = self.bounds(node.first)
            for op, part in node.rest:
                acc = self.arithmetic(op, acc, self.bounds(part))
            return acc
        if isinstance(node, Power):
            return self.power(self.bounds(node.base), self.bounds(node.exponent))
        if isinstance(node, Unary):
            below, above = self.bounds(node.operand)
            return (np.negative(above), np.negative(below)) if node.negate else (below, above)
        return self.call(node)

    def arithmetic(self, op: str, a: Bounds, b: Bounds) -> Bounds:
        (a_lo, a_hi), (b_lo, b_hi) = a, b
        if op == "+":
            return _widen(a_lo + b_lo, a_hi + b_hi, _IEEE_ULPS)
        if op == "-":
            return _widen(a_lo - b_hi, a_hi - b_lo, _IEEE_ULPS)
        if op == "*":
            return _widen(*_corners(np.multiply, a, b), _IEEE_ULPS)
        lo, hi = _widen(*_corners(np.true_divide, a, b), _IEEE_ULPS)
        return _unbounded_where((b_lo <= 0) & (b_hi >= 0), lo, hi)

    def power(self, base: Bounds, exponent: Bounds) -> Bounds:
        (a_lo, a_hi), (e_lo, e_hi) = base, exponent
        lo, hi = _widen(*_corners(np.power, base, exponent), _LIBM_ULPS)
        integer = (e_lo == e_hi) & (np.floor(e_lo) == e_lo)
        has_zero = (a_lo <= 0) & (a_hi >= 0)
        # An integer power is monotone on each side of zero; across zero an even positive
        # power has its minimum 0 there, and a negative power is unbounded.
        even_positive = integer & (e_lo > 0) & (np.fmod(e_lo, 2) == 0)
        lo = np.where(has_zero & even_positive, 0.0, lo)
        unknown = integer & has_zero & (e_lo < 0)
        # Fractional or varying exponents: x**y is monotone in each argument for x > 0 (and
        # for x >= 0 when y > 0), so the corners bound it; otherwise nothing is known.
        corners_valid = (a_lo > 0) | ((a_lo >= 0) & (e_lo > 0))
        unknown = unknown | (~integer & ~corners_valid)
        return _clean(*_unbounded_where(unknown, lo, hi))

    def call(self, node: Call) -> Bounds:
        parts = [self.bounds(arg) for arg in node.args]
        name = node.function
        if name in ("min", "max"):
            pair = np.minimum if name == "min" else np.maximum
            # (-inf, inf) means nothing is known, the value may be nan (log of a negative
            # number), and min/max of nan is nan: the result is then unknown too
            unknown = functools.reduce(
                np.logical_or, [np.isneginf(lo) & np.isposinf(hi) for lo, hi in parts]
            )
            return _unbounded_where(
                unknown,
                functools.reduce(pair, [lo for lo, _ in parts]),
                functools.reduce(pair, [hi for _, hi in parts]),
            )
        ((lo, hi),) = parts
        if name == "abs":
            low = np.where(lo >= 0, lo, np.where(hi <= 0, -hi, 0.0))
            high = np.maximum(np.abs(lo), np.abs(hi))
            return _clean(low, high)
        if name == "exp":
            return _widen(np.exp(lo), np.exp(hi), _LIBM_ULPS)
        if name == "log":
            low, high = _widen(np.log(lo), np.log(hi), _LIBM_ULPS)
            return _unbounded_where(lo <= 0, low, high)
        low, high = _widen(np.sqrt(lo), np.sqrt(hi), _IEEE_ULPS)
        return _unbounded_where(lo < 0, low, high)
