"""Payoff formulas as mathematics (:mod:`sim.documents.formula_math`).

The conversion drops Python's brackets and puts back only those a reader needs. To check that
it never changes what a formula means, the maths tree is read back the way a reader reads the
typeset formula (terms side by side multiply, a fraction bar and a superscript group their
contents, nothing else groups), written as a formula again, and both formulas are evaluated
in exact rational arithmetic (:meth:`sim.formula.Formula.evaluate_exact`) at random points.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.documents.formula_math import GREEK_LETTERS, formula_math
from sim.documents.model import (
    MathFenced,
    MathFraction,
    MathFunction,
    MathNode,
    MathNumber,
    MathOperator,
    MathPower,
    MathRoot,
    MathRow,
    MathSymbol,
)
from sim.documents.typst_markup import math_to_typst, typst_string
from sim.formula import FormulaError, NonFiniteResult, compile_formula

NAMES = ("a", "s", "K", "R", "dep", "V_re", "rho_us", "t_us", "kappa", "Delta", "x_1")
_NAME_OF_LETTER = {letter: name for name, letter in GREEK_LETTERS.items()}
_READER_OPERATORS = {"+": "+", "−": "-", "·": "*", "×": "*", ",": ","}


def read_back(node: MathNode) -> str:
    """The formula a reader sees in the typeset tree (test-only, independent of Typst)."""
    if isinstance(node, MathSymbol):
        base = _NAME_OF_LETTER.get(node.name, node.name)
        return f"{base}_{node.subscript}" if node.subscript else base
    if isinstance(node, MathNumber):
        return node.digits
    if isinstance(node, MathOperator):
        return _READER_OPERATORS[node.symbol]
    if isinstance(node, MathRow):
        parts: list[str] = []
        previous: MathNode | None = None
        for item in node.items:
            if (
                previous is not None
                and not isinstance(previous, MathOperator)
                and not isinstance(item, MathOperator)
            ):
                parts.append("*")  # terms side by side: a product
            parts.append(read_back(item))
            previous = item
        return " ".join(parts)
    if isinstance(node, MathFenced):
        inner = read_back(node.body)
        return f"abs({inner})" if node.kind == "bars" else f"({inner})"
    if isinstance(node, MathFraction):
        return f"(({read_back(node.numerator)}) / ({read_back(node.denominator)}))"
    if isinstance(node, MathPower):
        return f"{read_back(node.base)} ** ({read_back(node.exponent)})"
    if isinstance(node, MathFunction):
        name = "log" if node.name == "ln" else node.name
        return f"{name}({', '.join(read_back(a) for a in node.arguments)})"
    assert isinstance(node, MathRoot)
    return f"sqrt({read_back(node.body)})"


def _formulas() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(NAMES) | st.sampled_from(["2", "3", "0.5", "10", "1.25", "1e2"])

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        )
        power = st.tuples(inner, st.sampled_from(["2", "3", "(-1)"])).map(
            lambda t: f"({t[0]})**{t[1]}"
        )
        unary = st.tuples(st.sampled_from(["-", "+"]), inner).map(lambda t: f"{t[0]}({t[1]})")
        calls = st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        )
        absolute = inner.map(lambda t: f"abs({t})")
        return binary | power | unary | calls | absolute

    return st.recursive(leaves, grow, max_leaves=8)


POINTS = st.fixed_dictionaries(
    {
        name: st.fractions(min_value=-5, max_value=5, max_denominator=7).filter(bool)
        for name in NAMES
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_formulas(), POINTS)
def test_typeset_formula_means_the_same(source: str, point: dict[str, Fraction]) -> None:
    original = compile_formula(source, NAMES)
    run = formula_math(source)
    reread = compile_formula(read_back(run.math), NAMES)
    try:
        expected = original.evaluate_exact(point)
    except NonFiniteResult:
        with pytest.raises(NonFiniteResult):
            reread.evaluate_exact(point)
        return
    assert reread.evaluate_exact(point) == expected
    assert run.text == " ".join(source.split())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_formulas())
def test_typst_compiles_every_formula_with_its_words(source: str) -> None:
    typst = pytest.importorskip("typst")
    run = formula_math(source)
    body = f"#math.equation(alt: {typst_string(run.words)}, ${math_to_typst(run.math)}$)"
    document = f'#set document(title: "t")\n#set text(lang: "en")\n{body}\n'
    pdf = typst.compile(document.encode(), ignore_system_fonts=True, pdf_standards=["ua-1"])
    assert pdf.startswith(b"%PDF")


def test_rare_earths_formulas_read_as_mathematics() -> None:
    us = formula_math("-dep*V_re*s + R*a - K*a**2 + rho_us*s*(1 - a)")
    assert math_to_typst(us.math) == (
        '-"dep" dot.op V_"re" s + R a - K a^(2) + ρ_"us" s lr(( 1 - a ))'
    )
    assert us.words.startswith("minus dep times V sub re times s plus R times a minus K times a")
    # K a² and not K*a**2; a number after a factor gets a visible dot (2 · 3, not "23")
    assert math_to_typst(formula_math("K*a**2").math) == "K a^(2)"
    assert math_to_typst(formula_math("2*3").math) == "2 dot.op 3"
    assert math_to_typst(formula_math("a/(b + 1)").math) == "frac(a, b + 1)"
    assert math_to_typst(formula_math("log(x) + sqrt(y) + abs(z)").math) == (
        "ln(x) + sqrt(y) + abs(z)"
    )


def test_brackets_are_kept_only_where_needed() -> None:
    def shown(source: str) -> str:
        return read_back(formula_math(source).math).replace(" ", "")

    assert shown("a - (b - c)") == "a-(b-c)"
    assert shown("(a - b) - c") == "a-b-c"
    assert shown("(a + b)*c") == "(a+b)*c"
    assert shown("a*(b*c)") == "a*b*c"
    assert shown("(a*b)**2") == "(a*b)**(2)"
    assert shown("-(a + b)") == "-(a+b)"
    assert shown("a*-b") == "a*(-b)"


def test_a_text_that_is_not_a_formula_is_refused() -> None:
    with pytest.raises(ValueError, match="not a formula"):
        formula_math("a +")
    with pytest.raises(ValueError, match="cannot set"):
        formula_math("a < b")
    with pytest.raises(FormulaError):
        compile_formula("a < b", NAMES)  # the scenario loader refuses it first
