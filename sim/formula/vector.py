"""Vectorised float64 evaluation: the checked tree turned into closures over NumPy ufuncs.

Constant sub-expressions are folded once, in float64, with the same ufuncs as at run time, so
folding never changes a result. Division by zero, overflow and invalid operations give
``inf``/``nan`` silently; callers check finiteness (they know which player and cell to name).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .ir import Call, Chain, Name, Node, Number, Power, Unary

FloatArray = npt.NDArray[np.float64]
# A compiled node maps the (already float64) variable arrays to its value. Ufuncs on 0-d
# arrays return NumPy scalars; Formula.evaluate turns the final value into an ndarray.
Fn = Callable[[Mapping[str, FloatArray]], Any]

ARITHMETIC: dict[str, np.ufunc] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.true_divide,
}

UNARY_FUNCTIONS: dict[str, np.ufunc] = {
    "abs": np.absolute,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
}


@dataclass(frozen=True)
class Compiled:
    """A compiled sub-expression; ``const`` holds its float64 value when it uses no names."""

    fn: Fn
    const: float | None = None


def _constant(value: float) -> Compiled:
    scalar = np.float64(value)
    return Compiled(lambda env: scalar, float(scalar))


def _fold(fn: Fn, parts: Sequence[Compiled]) -> Compiled:
    """Evaluate ``fn`` once now when every part is constant (no names), else keep it lazy."""
    if all(p.const is not None for p in parts):
        with np.errstate(all="ignore"):
            return _constant(float(np.asarray(fn({}), dtype=np.float64)))
    return Compiled(fn)


def build(node: Node) -> Compiled:
    """Closures evaluating ``node`` on float64 arrays (NumPy broadcasting), constants folded."""
    if isinstance(node, Number):
        return _constant(node.value)
    if isinstance(node, Name):
        ident = node.name
        return Compiled(lambda env: env[ident])
    if isinstance(node, Chain):
        return _chain(node)
    if isinstance(node, Power):
        base, exponent = build(node.base), build(node.exponent)
        base_fn, exp_fn = base.fn, exponent.fn
        return _fold(lambda env: np.power(base_fn(env), exp_fn(env)), [base, exponent])
    if isinstance(node, Unary):
        operand = build(node.operand)
        ufunc = np.negative if node.negate else np.positive
        fn = operand.fn
        return _fold(lambda env: ufunc(fn(env)), [operand])
    return _call(node)


def _chain(node: Chain) -> Compiled:
    first = build(node.first)
    rest = [(ARITHMETIC[op], build(part)) for op, part in node.rest]
    first_fn = first.fn
    rest_fns = [(ufunc, part.fn) for ufunc, part in rest]

    def evaluate(env: Mapping[str, FloatArray]) -> Any:
        acc = first_fn(env)
        for ufunc, fn in rest_fns:  # same left-to-right order as the formula
            acc = ufunc(acc, fn(env))
        return acc

    return _fold(evaluate, [first, *(part for _, part in rest)])


def _call(node: Call) -> Compiled:
    args = [build(arg) for arg in node.args]
    fns = [a.fn for a in args]
    if node.function in ("min", "max"):
        pair = np.minimum if node.function == "min" else np.maximum
        return _fold(lambda env: functools.reduce(pair, [f(env) for f in fns]), args)
    ufunc = UNARY_FUNCTIONS[node.function]
    (fn,) = fns
    return _fold(lambda env: ufunc(fn(env)), args)
