"""Payoff formulas as mathematics: ``K*a**2`` becomes the expression tree of ``K a²``.

A scenario writes its payoffs in the Python-like syntax of :mod:`sim.formula`. For a handout
they should read as mathematics, not as code. :func:`formula_math` parses the formula text
with :func:`ast.parse` (``mode="eval"``; the text is only read, never evaluated or compiled)
and turns the syntax tree into the document model's maths nodes (:mod:`sim.documents.model`):

- ``a*b`` is set as ``a b`` (a product by juxtaposition), with a centred dot where a number
  follows or a name of several letters is next to the product, so that ``2 · 3`` and
  ``dep · V_re`` cannot be misread;
- ``a/b`` is a built-up fraction, ``a**b`` a power, ``abs(x)`` is ``|x|``, ``sqrt(x)`` a root,
  ``log(x)`` is ``ln(x)`` (the formula language's ``log`` is the natural logarithm);
- Greek names (``rho``, ``kappa``, ``Delta``) become Greek letters, the part after the first
  underscore a subscript (``V_re`` is V with subscript re), other names of several letters are
  set upright (``dep``);
- Python's tree has no brackets, so they are put back where precedence needs them (the usual
  conventions: the right operand of a difference, sums inside products and powers).

The same tree is also said in words (:func:`math_words`), the alternative text that screen
readers read and that PDF/UA-1 requires for every formula.

Examples
--------
>>> run = formula_math("K*a**2")
>>> run.words
'K times a squared'
"""

from __future__ import annotations

import ast
import re

from sim.documents.model import (
    InlineMath,
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

__all__ = ["GREEK_LETTERS", "formula_math", "math_words", "symbol_for_name"]

#: Names that are set as Greek letters (as Typst and LaTeX spell them).
GREEK_LETTERS: dict[str, str] = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "iota": "ι",
    "kappa": "κ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Upsilon": "Υ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
}
_GREEK_NAMES = {letter: name for name, letter in GREEK_LETTERS.items()}

# Precedence levels of the rebuilt expression: a sum, a product, a signed term, a power, and
# anything that never needs brackets (names, numbers, calls, fractions' own bars).
_SUM, _PRODUCT, _SIGNED, _POWER, _ATOM = 1, 2, 3, 4, 5

_DECIMAL = re.compile(r"^(\d*)(?:\.(\d*))?$")
_SCIENTIFIC = re.compile(r"^(\d*\.?\d*)[eE]([+-]?\d+)$")


def symbol_for_name(name: str) -> MathSymbol:
    """The maths symbol of a formula name: ``rho_us`` is ρ with subscript ``us``."""
    base, _, subscript = name.partition("_")
    if not base:  # "_x": no letter to hang a subscript on
        return MathSymbol(name, upright=len(name) > 1)
    letter = GREEK_LETTERS.get(base, base)
    return MathSymbol(letter, subscript, upright=len(letter) > 1)


def _number(node: ast.Constant, source: str) -> MathNode:
    """A number as it was written (``1_000`` without the underscore, ``1e6`` as 1 × 10⁶)."""
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    literal = (ast.get_source_segment(source, node) or repr(value)).replace("_", "")
    decimal = _DECIMAL.match(literal)
    if decimal and (decimal.group(1) or decimal.group(2)):
        whole, fraction = decimal.group(1) or "0", decimal.group(2)
        return MathNumber(whole + (f".{fraction}" if fraction else ""))
    scientific = _SCIENTIFIC.match(literal) or _SCIENTIFIC.match(repr(float(value)))
    if scientific is None:
        return MathNumber(repr(value))
    mantissa, exponent = scientific.group(1), int(scientific.group(2))
    power_digits = MathNumber(str(abs(exponent)))
    power: MathNode = power_digits if exponent >= 0 else MathRow((MathOperator("−"), power_digits))
    ten = MathPower(MathNumber("10"), power)
    if mantissa.rstrip("0").rstrip(".") in ("1", ""):
        return ten
    return MathRow((MathNumber(mantissa), MathOperator("×"), ten))


def _fence(node: MathNode) -> MathNode:
    return MathFenced(node, "parentheses")


def _first_leaf(node: MathNode) -> MathNode:
    while True:
        if isinstance(node, MathRow) and node.items:
            node = node.items[0]
        elif isinstance(node, MathPower):
            node = node.base
        else:
            return node


def _last_leaf(node: MathNode) -> MathNode:
    while True:
        if isinstance(node, MathRow) and node.items:
            node = node.items[-1]
        elif isinstance(node, MathPower):
            return node  # a superscript ends the factor: what follows cannot run into it
        else:
            return node


def _needs_dot(left: MathNode, right: MathNode) -> bool:
    """Whether a product of ``left`` and ``right`` needs a visible dot to be read right."""
    first, last = _first_leaf(right), _last_leaf(left)
    if isinstance(first, MathNumber):
        return True  # "a 2" or "2 3" would read as other numbers
    return any(isinstance(leaf, MathSymbol) and leaf.upright for leaf in (first, last))


class _Converter:
    """Walks a parsed formula; each method returns a node and its precedence level."""

    def __init__(self, source: str) -> None:
        self.source = source

    def convert(self, node: ast.expr) -> tuple[MathNode, int]:
        if isinstance(node, ast.Constant):
            number = _number(node, self.source)
            # 1e2 is set as 10², and 1.5e2 as 1.5 × 10²: a power and a product
            level = {MathPower: _POWER, MathRow: _PRODUCT}.get(type(number), _ATOM)
            return number, level
        if isinstance(node, ast.Name):
            return symbol_for_name(node.id), _ATOM
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.Call):
            return self.call(node), _ATOM
        raise ValueError(f"cannot set {type(node).__name__} as mathematics")

    def unary(self, node: ast.UnaryOp) -> tuple[MathNode, int]:
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise ValueError(f"cannot set {type(node.op).__name__} as mathematics")
        operand, level = self.convert(node.operand)
        if level <= _SUM:
            operand = _fence(operand)
        sign = MathOperator("−" if isinstance(node.op, ast.USub) else "+")
        return MathRow((sign, operand)), _SIGNED

    def binary(self, node: ast.BinOp) -> tuple[MathNode, int]:
        if isinstance(node.op, ast.Add | ast.Sub):
            return self.sum(node), _SUM
        if isinstance(node.op, ast.Mult):
            return self.product(node), _PRODUCT
        if isinstance(node.op, ast.Div):
            numerator, _ = self.convert(node.left)
            denominator, _ = self.convert(node.right)
            return MathFraction(numerator, denominator), _PRODUCT
        if isinstance(node.op, ast.Pow):
            base, level = self.convert(node.left)
            if level < _ATOM:
                base = _fence(base)
            exponent, _ = self.convert(node.right)
            return MathPower(base, exponent), _POWER
        raise ValueError(f"cannot set {type(node.op).__name__} as mathematics")

    def sum(self, node: ast.BinOp) -> MathNode:
        # a - b + c is ((a - b) + c) in the tree: flatten the left spine into one row
        terms: list[tuple[str, ast.expr]] = []
        head: ast.expr = node
        while isinstance(head, ast.BinOp) and isinstance(head.op, ast.Add | ast.Sub):
            terms.append(("+" if isinstance(head.op, ast.Add) else "−", head.right))
            head = head.left
        first, _ = self.convert(head)
        items: list[MathNode] = [first]
        for sign, term in reversed(terms):
            converted, level = self.convert(term)
            if level in (_SUM, _SIGNED):
                converted = _fence(converted)  # a - (b + c), a + (-b)
            items += [MathOperator("+" if sign == "+" else "−"), converted]
        return MathRow(tuple(items))

    def product(self, node: ast.BinOp) -> MathNode:
        factors: list[ast.expr] = []
        head: ast.expr = node
        while isinstance(head, ast.BinOp) and isinstance(head.op, ast.Mult):
            factors.append(head.right)
            head = head.left
        factors.append(head)
        items: list[MathNode] = []
        for position, factor in enumerate(reversed(factors)):
            converted, level = self.convert(factor)
            if level == _SUM or (level == _SIGNED and position > 0):
                converted = _fence(converted)  # (a + b) c, and a (-b)
            if items and _needs_dot(items[-1], converted):
                items.append(MathOperator("·"))
            items.append(converted)
        return MathRow(tuple(items))

    def call(self, node: ast.Call) -> MathNode:
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise ValueError("cannot set this call as mathematics")
        name = node.func.id
        arguments = tuple(self.convert(arg)[0] for arg in node.args)
        if name == "abs" and len(arguments) == 1:
            return MathFenced(arguments[0], "bars")
        if name == "sqrt" and len(arguments) == 1:
            return MathRoot(arguments[0])
        if name in ("exp", "log") and len(arguments) == 1:
            return MathFunction("exp" if name == "exp" else "ln", arguments)
        if name in ("min", "max") and len(arguments) >= 2:
            return MathFunction("min" if name == "min" else "max", arguments)
        raise ValueError(f"cannot set {name}(...) as mathematics")


def formula_math(source: str) -> InlineMath:
    """A payoff formula as a maths run: its tree, its plain text and its words.

    Parameters
    ----------
    source
        A formula in the syntax of :mod:`sim.formula` (already checked there).

    Returns
    -------
    InlineMath
        ``text`` is the formula with its whitespace made single spaces, as the HTML report
        has always shown it.

    Raises
    ------
    ValueError
        If the text is not a formula of that syntax (callers then show the text as code).
    """
    text = " ".join(source.split())
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise ValueError(f"not a formula: {error.msg}") from None
    math, _ = _Converter(text).convert(tree.body)
    return InlineMath(math=math, text=text, words=math_words(math))


_OPERATOR_WORDS = {"+": "plus", "−": "minus", "·": "times", "×": "times", ",": "and"}


def math_words(node: MathNode) -> str:
    """A maths tree read aloud: ``K a²`` is ``"K times a squared"``.

    Follows the usual spoken conventions (as in MathSpeak): juxtaposition is "times", a
    bracket is "open bracket ... close bracket", a fraction "the fraction ... over ... end
    fraction", powers 2 and 3 "squared" and "cubed".
    """
    if isinstance(node, MathSymbol):
        spoken = _GREEK_NAMES.get(node.name, node.name)
        return f"{spoken} sub {node.subscript}" if node.subscript else spoken
    if isinstance(node, MathNumber):
        return node.digits
    if isinstance(node, MathOperator):
        return _OPERATOR_WORDS[node.symbol]
    if isinstance(node, MathRow):
        words: list[str] = []
        previous: MathNode | None = None
        for item in node.items:
            operand = not isinstance(item, MathOperator)
            if operand and previous is not None and not isinstance(previous, MathOperator):
                words.append("times")
            words.append(math_words(item))
            previous = item
        return " ".join(words)
    if isinstance(node, MathFenced):
        if node.kind == "bars":
            return f"the absolute value of {math_words(node.body)}"
        return f"open bracket {math_words(node.body)} close bracket"
    if isinstance(node, MathFraction):
        return (
            f"the fraction {math_words(node.numerator)} over "
            f"{math_words(node.denominator)} end fraction"
        )
    if isinstance(node, MathPower):
        base = math_words(node.base)
        if isinstance(node.exponent, MathNumber) and node.exponent.digits in ("2", "3"):
            return f"{base} {'squared' if node.exponent.digits == '2' else 'cubed'}"
        return f"{base} to the power {math_words(node.exponent)}"
    if isinstance(node, MathFunction):
        arguments = " and ".join(math_words(a) for a in node.arguments)
        name = {"min": "the minimum", "max": "the maximum", "exp": "exp", "ln": "ln"}
        return f"{name[node.name]} of {arguments}"
    return f"the square root of {math_words(node.body)}"
