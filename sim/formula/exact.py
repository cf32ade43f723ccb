"""Exact evaluation of a formula at one point, in rational arithmetic (:class:`fractions.Fraction`).

``+ - * /``, integer powers, ``abs``, ``min`` and ``max`` are computed exactly; so are roots
that happen to be rational (``sqrt(9/4)``, ``(27/8)**(1/3)``), ``exp(0)`` and ``log(1)``.
Everything else (``exp``, ``log``, ``sqrt`` and fractional powers in general) is computed in
float64 exactly as the vectorised evaluator computes it, and the float's exact binary value is
taken (``Fraction(float)``); the result then says it is not exact.

Safety: the same formula limits apply (they are checked at compile time), and an operation
whose exact result would exceed :data:`MAX_EXACT_BITS` (numerator plus denominator) is
computed in float64 instead and marked inexact, so ``((t**64)**64)**64`` cannot exhaust memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Rational

import numpy as np

from .errors import FormulaError, NonFiniteResult
from .ir import Call, Chain, Name, Node, Number, Power, Unary
from .vector import UNARY_FUNCTIONS

MAX_EXACT_BITS = 16384
"""Largest exact intermediate result, in bits of numerator plus denominator (about 4,900
decimal digits); larger results are computed in float64 and the result is marked inexact."""

_MAX_ROOT_DEGREE = 64  # rational roots are looked for up to this degree (the exponent limit)
_FLOAT_MAX = Fraction(np.finfo(np.float64).max)


@dataclass(frozen=True)
class ExactValue:
    """The value of a formula at one point.

    Attributes
    ----------
    value
        The value as a rational number.
    exact
        True when ``value`` is the exact value of the formula; False when some step was
        computed in float64 (``exp``, ``log``, an irrational root, or a huge intermediate).
    """

    value: Fraction
    exact: bool


def exact_argument(name: str, raw: object) -> Fraction:
    """``raw`` as a Fraction: ints, Fractions and finite Decimals exactly, finite floats as
    their exact binary value.

    Raises
    ------
    FormulaError
        If ``raw`` is not a finite number.
    """
    if isinstance(raw, bool):
        raise FormulaError(f'the value given for "{name}" is not a number: {raw!r}', name, None)
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, Rational):
        return Fraction(raw)
    if isinstance(raw, float | np.floating | Decimal):
        finite = raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)
        if not finite:
            raise FormulaError(
                f'the value given for "{name}" is not a finite number: {raw!r}', name, None
            )
        return Fraction(raw) if isinstance(raw, Decimal) else Fraction(float(raw))
    raise FormulaError(f'the value given for "{name}" is not a number: {raw!r}', name, None)


def evaluate_exact(node: Node, env: Mapping[str, Fraction]) -> ExactValue:
    """Evaluate ``node`` exactly where the operations allow (see the module notes).

    Raises
    ------
    NonFiniteResult
        Division by zero, ``log`` of zero or of a negative number, the square root of a
        negative number, a negative number to a fractional power, or a float step that
        overflows.
    """
    run = _Evaluation(env)
    value = run.value(node)
    return ExactValue(value, run.exact)


def _bits(q: Fraction) -> int:
    return q.numerator.bit_length() + q.denominator.bit_length()


def _integer_root(x: int, degree: int) -> int | None:
    """The integer ``r >= 0`` with ``r**degree == x``, or None (Newton's method on integers)."""
    if x < 2:
        return x
    r = 1 << ((x.bit_length() + degree - 1) // degree)  # at least the root
    while True:
        s = ((degree - 1) * r + x // r ** (degree - 1)) // degree
        if s >= r:
            break
        r = s
    return r if r**degree == x else None


def _rational_root(q: Fraction, degree: int) -> Fraction | None:
    """The non-negative rational ``degree``-th root of ``q >= 0`` when there is one."""
    top = _integer_root(q.numerator, degree)
    if top is None:
        return None
    bottom = _integer_root(q.denominator, degree)
    return None if bottom is None else Fraction(top, bottom)


class _Evaluation:
    """One exact evaluation; remembers whether any step had to use floats."""

    def __init__(self, env: Mapping[str, Fraction]) -> None:
        self.env = env
        self.exact = True

    def value(self, node: Node) -> Fraction:
        if isinstance(node, Number):
            return node.exact
        if isinstance(node, Name):
            return self.env[node.name]
        if isinstance(node, Chain):
            acc = self.value(node.first)
            for op, part in node.rest:
                acc = self.arithmetic(op, acc, self.value(part))
            return acc
        if isinstance(node, Power):
            return self.power(self.value(node.base), self.value(node.exponent))
        if isinstance(node, Unary):
            operand = self.value(node.operand)
            return -operand if node.negate else operand
        return self.call(node)

    def approximate(self, fn: Callable[..., object], *args: Fraction) -> Fraction:
        """``fn`` applied in float64 (as the vectorised evaluator does), taken exactly."""
        self.exact = False
        floats = []
        for arg in args:
            try:
                floats.append(np.float64(float(arg)))
            except OverflowError:
                floats.append(np.float64(math.inf if arg > 0 else -math.inf))
        with np.errstate(all="ignore"):
            result = float(np.asarray(fn(*floats), dtype=np.float64))
        if not math.isfinite(result):
            raise NonFiniteResult(
                "a step of the formula gives a number beyond the float range or not a number"
            )
        return Fraction(result)

    def arithmetic(self, op: str, a: Fraction, b: Fraction) -> Fraction:
        if op == "/" and b == 0:
            raise NonFiniteResult("the formula divides by zero")
        if _bits(a) + _bits(b) > MAX_EXACT_BITS:
            ufunc = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide}[op]
            return self.approximate(ufunc, a, b)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return a / b

    def power(self, base: Fraction, exponent: Fraction) -> Fraction:
        if exponent.denominator == 1:
            k = exponent.numerator
            if base == 0 and k < 0:
                raise NonFiniteResult("the formula divides by zero (zero to a negative power)")
            if base in (0, 1) or k == 0:
                return base**k
            if abs(k) * _bits(base) > MAX_EXACT_BITS:
                return self.approximate(np.power, base, exponent)
            return base**k
        if base < 0:
            raise NonFiniteResult("the formula raises a negative number to a fractional power")
        if base == 0:
            if exponent < 0:
                raise NonFiniteResult("the formula divides by zero (zero to a negative power)")
            return Fraction(0)
        degree = exponent.denominator
        if degree <= _MAX_ROOT_DEGREE and _bits(base) <= MAX_EXACT_BITS:
            root = _rational_root(base, degree)
            if root is not None and abs(exponent.numerator) * _bits(root) <= MAX_EXACT_BITS:
                return root**exponent.numerator
        return self.approximate(np.power, base, exponent)

    def call(self, node: Call) -> Fraction:
        args = [self.value(arg) for arg in node.args]
        name = node.function
        if name == "min":
            return min(args)
        if name == "max":
            return max(args)
        (x,) = args
        if name == "abs":
            return abs(x)
        if name == "exp" and x == 0:
            return Fraction(1)
        if name == "log":
            if x <= 0:
                raise NonFiniteResult("the formula takes the log of zero or a negative number")
            if x == 1:
                return Fraction(0)
        if name == "sqrt":
            if x < 0:
                raise NonFiniteResult("the formula takes the square root of a negative number")
            root = _rational_root(x, 2) if _bits(x) <= MAX_EXACT_BITS else None
            if root is not None:
                return root
        return self.approximate(UNARY_FUNCTIONS[name], x)


def check_float_range(value: Fraction) -> None:
    """Raise NonFiniteResult if ``value`` lies beyond float64's range (the float evaluation
    would give ``inf`` there, so both evaluations refuse the same payoffs)."""
    if abs(value) > _FLOAT_MAX:
        raise NonFiniteResult("the formula gives a number beyond the float range (about 1.8e308)")
