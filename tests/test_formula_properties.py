"""Property tests of the safe formula evaluator (sim/formula.py), with hypothesis.

Random allowed expressions are built as small trees; each tree is rendered to text with
:func:`ast.unparse` (so the text uses Python's minimal parentheses and precedence) and also
evaluated directly by a reference interpreter written here, operation by operation on NumPy
float64 scalars. The compiled formula must agree with that reference, must be element-wise
equal to evaluating point by point, and arbitrary text must never raise anything except
:class:`FormulaError`.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sim.formula import FormulaError, NonFiniteResult, compile_formula

NAMES = ("x", "y")

# A tree is ("num", v) | ("name", n) | ("neg"/"pos", t) | ("bin", op, l, r) | ("call", f, args)
Tree = tuple[Any, ...]

_BIN_AST: dict[str, type[ast.operator]] = {
    "+": ast.Add,
    "-": ast.Sub,
    "*": ast.Mult,
    "/": ast.Div,
    "**": ast.Pow,
}
_BIN_REF: dict[str, Callable[[Any, Any], Any]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.true_divide,
    "**": np.power,
}
_CALL_REF: dict[str, Callable[..., Any]] = {
    "abs": np.absolute,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "min": lambda *a: functools.reduce(np.minimum, a),
    "max": lambda *a: functools.reduce(np.maximum, a),
}

numbers = st.one_of(
    st.integers(0, 100).map(float),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
)
leaves = st.one_of(
    numbers.map(lambda v: ("num", v)), st.sampled_from(NAMES).map(lambda n: ("name", n))
)
# Constant exponents must stay within the evaluator's limit of 64; any name is fine.
exponents = st.one_of(
    st.integers(-4, 4).map(lambda v: ("num", float(v)) if v >= 0 else ("neg", ("num", float(-v)))),
    st.sampled_from(NAMES).map(lambda n: ("name", n)),
)


def _extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.sampled_from(["neg", "pos"]), children),
        st.tuples(st.just("bin"), st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.tuples(st.just("bin"), st.just("**"), children, exponents),
        st.tuples(
            st.just("call"), st.sampled_from(["abs", "exp", "log", "sqrt"]), st.tuples(children)
        ),
        st.tuples(
            st.just("call"),
            st.sampled_from(["min", "max"]),
            st.lists(children, min_size=2, max_size=3).map(tuple),
        ),
    )


trees = st.recursive(leaves, _extend, max_leaves=12)


def depth(tree: Tree) -> int:
    if tree[0] in ("num", "name"):
        return 1
    if tree[0] in ("neg", "pos"):
        return 1 + depth(tree[1])
    if tree[0] == "bin":
        return 1 + max(depth(tree[2]), depth(tree[3]))
    return 1 + max(depth(a) for a in tree[2])


def to_ast(tree: Tree) -> ast.expr:
    kind = tree[0]
    if kind == "num":
        return ast.Constant(tree[1])
    if kind == "name":
        return ast.Name(tree[1], ast.Load())
    if kind in ("neg", "pos"):
        return ast.UnaryOp(ast.USub() if kind == "neg" else ast.UAdd(), to_ast(tree[1]))
    if kind == "bin":
        return ast.BinOp(to_ast(tree[2]), _BIN_AST[tree[1]](), to_ast(tree[3]))
    return ast.Call(ast.Name(tree[1], ast.Load()), [to_ast(a) for a in tree[2]], [])


def to_source(tree: Tree) -> str:
    return ast.unparse(to_ast(tree))


def reference(tree: Tree, env: dict[str, np.float64]) -> np.float64:
    """Straightforward recursive evaluation on float64 scalars (independent of ast parsing)."""
    kind = tree[0]
    if kind == "num":
        return np.float64(tree[1])
    if kind == "name":
        return env[tree[1]]
    if kind == "neg":
        return np.negative(reference(tree[1], env))
    if kind == "pos":
        return np.positive(reference(tree[1], env))
    if kind == "bin":
        return _BIN_REF[tree[1]](reference(tree[2], env), reference(tree[3], env))
    return _CALL_REF[tree[1]](*(reference(a, env) for a in tree[2]))


def same(a: Any, b: Any) -> bool:
    """Equal as float64 arrays of one shape, counting nan as equal to nan."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


values = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees, x=values, y=values)
def test_agrees_with_reference_evaluation(tree: Tree, x: float, y: float) -> None:
    assume(depth(tree) <= 30)  # deeper trees are refused by design (tested elsewhere)
    source = to_source(tree)
    formula = compile_formula(source, NAMES)
    env = {"x": np.float64(x), "y": np.float64(y)}
    with np.errstate(all="ignore"):
        expected = reference(tree, env)
    got = formula.evaluate(env)
    assert got.dtype == np.float64
    assert got.shape == ()
    assert same(got, expected), (source, got, expected)


@settings(max_examples=150, deadline=None)
@given(
    tree=trees,
    xs=st.lists(values, min_size=1, max_size=4),
    ys=st.lists(values, min_size=1, max_size=3),
)
def test_vectorised_equals_point_by_point(tree: Tree, xs: list[float], ys: list[float]) -> None:
    assume(depth(tree) <= 30)
    formula = compile_formula(to_source(tree), NAMES)
    x = np.array(xs).reshape(-1, 1)
    y = np.array(ys).reshape(1, -1)
    grid = formula.evaluate({"x": x, "y": y})
    # A formula broadcasts only over the names it uses (a constant stays 0-d).
    expected_shape = np.broadcast_shapes(
        *(v.shape for n, v in (("x", x), ("y", y)) if n in formula.names)
    )
    assert grid.shape == expected_shape
    full = np.broadcast_to(grid, (len(xs), len(ys)))
    for i, xv in enumerate(xs):
        for j, yv in enumerate(ys):
            point = formula.evaluate({"x": xv, "y": yv})
            # NumPy's SIMD loops for exp/log/power may differ from the scalar path in the
            # last bit; allow that, but inf/nan must match exactly.
            assert same(full[i, j], point) or np.isclose(full[i, j], point, rtol=1e-12, atol=0), (
                to_source(tree),
                xv,
                yv,
                full[i, j],
                point,
            )


FORMULA_CHARS = list("xyzt0123456789.+-*/()[]{},:;=<>!&|^~%@#'\"\\_ \n\tejabcdefgilmnopqrsuvw")


@st.composite
def mutated_formulas(draw: st.DrawFn) -> str:
    """A valid formula with a few random characters inserted somewhere."""
    source = to_source(draw(trees))
    at = draw(st.integers(0, len(source)))
    junk = draw(st.text(alphabet=st.sampled_from(FORMULA_CHARS), min_size=1, max_size=4))
    return source[:at] + junk + source[at:]


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(
        st.text(alphabet=st.sampled_from(FORMULA_CHARS), max_size=40),
        st.text(max_size=30),
        mutated_formulas(),
    )
)
def test_garbage_only_raises_formula_error(text: str) -> None:
    error: FormulaError | None = None
    try:
        formula = compile_formula(text, NAMES)
    except FormulaError as err:  # anything else propagates and fails the test
        error = err
    if error is not None:
        assert error.message
        assert "\n" not in error.message
        assert error.offset is None or 0 <= error.offset <= len(text)
        return
    assert formula.names <= set(NAMES)
    out = formula.evaluate({"x": 1.5, "y": np.array([0.0, -2.0])})
    assert out.dtype == np.float64
    # the exact and interval evaluators raise nothing but FormulaError either
    with contextlib.suppress(FormulaError):
        formula.evaluate_exact({"x": Fraction(3, 2), "y": Fraction(-2)})
    lo, hi = formula.evaluate_interval({"x": 1.0, "y": -2.0}, {"x": 2.0, "y": 0.0})
    assert not (np.isnan(lo) | np.isnan(hi)).any()


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("(-+x*2)")), min_size=1, max_size=2000))
def test_long_and_deep_text_never_crashes(text: str) -> None:
    with contextlib.suppress(FormulaError):
        compile_formula(text, NAMES).evaluate({"x": 2.0})


# --- exact evaluation ------------------------------------------------------------------------
#
# The exact evaluator is checked against a reference written here in plain Fraction arithmetic,
# on trees without exp, log and sqrt and with integer exponents (the operations that are exact).
# Number literals count at the value of their text: ast.unparse writes repr(v).


def is_rational_tree(tree: Tree) -> bool:
    kind = tree[0]
    if kind in ("num", "name"):
        return True
    if kind in ("neg", "pos"):
        return is_rational_tree(tree[1])
    if kind == "bin":
        if tree[1] == "**" and tree[3][0] == "name":
            return False  # a variable exponent need not be an integer
        return is_rational_tree(tree[2]) and is_rational_tree(tree[3])
    return tree[1] in ("abs", "min", "max") and all(is_rational_tree(a) for a in tree[2])


def reference_exact(tree: Tree, env: dict[str, Fraction]) -> Fraction:
    """Plain recursive Fraction arithmetic; ZeroDivisionError where the value is infinite."""
    kind = tree[0]
    if kind == "num":
        return Fraction(repr(tree[1]))
    if kind == "name":
        return env[tree[1]]
    if kind == "neg":
        return -reference_exact(tree[1], env)
    if kind == "pos":
        return reference_exact(tree[1], env)
    if kind == "bin":
        a, b = reference_exact(tree[2], env), reference_exact(tree[3], env)
        return {
            "+": lambda: a + b,
            "-": lambda: a - b,
            "*": lambda: a * b,
            "/": lambda: a / b,
            "**": lambda: a ** int(b),
        }[tree[1]]()
    args = [reference_exact(a, env) for a in tree[2]]
    return {"abs": lambda: abs(args[0]), "min": lambda: min(args), "max": lambda: max(args)}[
        tree[1]
    ]()


rationals = st.fractions(min_value=-50, max_value=50, max_denominator=1000)


@settings(max_examples=150, deadline=None)
@given(tree=trees, x=rationals, y=rationals)
def test_exact_agrees_with_fraction_reference(tree: Tree, x: Fraction, y: Fraction) -> None:
    assume(depth(tree) <= 30 and is_rational_tree(tree))
    formula = compile_formula(to_source(tree), NAMES)
    env = {"x": x, "y": y}
    try:
        expected = reference_exact(tree, env)
    except ZeroDivisionError:
        try:
            formula.evaluate_rational(env)
        except NonFiniteResult:
            return
        raise AssertionError("division by zero was not reported") from None
    got = formula.evaluate_rational(env)
    if got.exact:  # huge intermediates fall back to floats, and say so
        assert got.value == expected


# --- interval evaluation ---------------------------------------------------------------------

boxes = st.tuples(values, st.floats(0, 5, allow_nan=False)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=150, deadline=None)
@given(
    tree=trees, box_x=boxes, box_y=boxes, where=st.lists(st.floats(0, 1), min_size=1, max_size=4)
)
def test_interval_contains_every_point_of_the_box(
    tree: Tree, box_x: tuple[float, float], box_y: tuple[float, float], where: list[float]
) -> None:
    """Rounding to nearest is monotone, so the float value at any point of the box lies inside
    the widened bounds; for exact-only trees the exact value does too (the rigorous claim)."""
    assume(depth(tree) <= 30)
    formula = compile_formula(to_source(tree), NAMES)
    lo, hi = formula.evaluate_interval(
        {"x": box_x[0], "y": box_y[0]}, {"x": box_x[1], "y": box_y[1]}
    )
    assert lo.shape == hi.shape == ()
    assert not (lo > hi)
    bounded = math.isfinite(float(lo)) and math.isfinite(float(hi))
    for u in where:
        x = box_x[0] + u * (box_x[1] - box_x[0])
        y = box_y[1] - u * (box_y[1] - box_y[0])
        x, y = min(max(x, box_x[0]), box_x[1]), min(max(y, box_y[0]), box_y[1])
        value = formula.evaluate({"x": x, "y": y})
        if bounded:
            assert np.isfinite(value), (to_source(tree), x, y, lo, hi)
        if np.isfinite(value):
            assert lo <= value <= hi, (to_source(tree), x, y, value, lo, hi)
        if bounded and is_rational_tree(tree):
            with contextlib.suppress(NonFiniteResult):
                exact = formula.evaluate_rational({"x": Fraction(x), "y": Fraction(y)})
                if exact.exact:
                    assert Fraction(float(lo)) <= exact.value <= Fraction(float(hi))


def test_min_and_max_of_an_unknown_value_are_unknown() -> None:
    """Found by the property test above: log(-1) is nan, and max(1, nan) is nan at the point,
    so the enclosure of 0 / max(1, log(x)) over x = -1 must not be bounded."""
    formula = compile_formula("0.0 / max(1.0, log(x))", NAMES)
    lo, hi = formula.evaluate_interval({"x": -1.0, "y": 0.0}, {"x": -1.0, "y": 0.0})
    assert not np.isfinite(formula.evaluate({"x": -1.0, "y": 0.0}))
    assert not (math.isfinite(float(lo)) and math.isfinite(float(hi)))
