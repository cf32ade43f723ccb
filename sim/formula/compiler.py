"""From a depth-checked :mod:`ast` tree to the formula tree (:mod:`.ir`), against an allow-list.

Every construct outside the formula language is refused with a :class:`FormulaError` whose
one-line message quotes the offending part and says what to write instead. Nothing from the
text is ever executed: the tree is only inspected.
"""

from __future__ import annotations

import ast
import difflib
from fractions import Fraction

from .errors import FormulaError
from .ir import Call, Chain, Name, Node, Number, Power, Unary
from .syntax import (
    ALLOWED_FUNCTIONS,
    FUNCTIONS_TEXT,
    HINT,
    MAX_EXPONENT,
    chain_kind,
    offset_of,
    quote,
)
from .vector import build

_NAMES_SHOWN = 20  # longest list of allowed names printed after an unknown name

# Functions people reach for that have an allowed spelling.
_FUNCTION_HINTS = {
    "ln": 'write "log" (the natural logarithm)',
    "pow": "write a**b for powers",
    "power": "write a**b for powers",
    "fabs": 'write "abs"',
    "minimum": 'write "min"',
    "maximum": 'write "max"',
}

_BINARY_REFUSALS: dict[type[ast.operator], tuple[str, str]] = {
    ast.FloorDiv: ("floor division", 'use "/" for division'),
    ast.Mod: ("remainder (%)", "write percentages as fractions, e.g. 0.05 for 5%"),
    ast.MatMult: ("matrix multiplication (@)", 'use "*" to multiply'),
    ast.BitXor: ('the "^" operator', 'powers are written a**b, not a^b; "^" is not allowed'),
    ast.BitAnd: ("bit operation (&)", HINT),
    ast.BitOr: ("bit operation (|)", HINT),
    ast.LShift: ("bit shift (<<)", HINT),
    ast.RShift: ("bit shift (>>)", HINT),
}

# Plain-words names of constructs that are refused wholesale, with what to do instead.
_NODE_REFUSALS: dict[type[ast.AST], tuple[str, str]] = {
    ast.Attribute: ("attribute access", HINT),
    ast.Subscript: ("indexing", HINT),
    ast.Slice: ("slicing", HINT),
    ast.Lambda: ("function definition (lambda)", HINT),
    ast.ListComp: ("loop expression", HINT),
    ast.SetComp: ("loop expression", HINT),
    ast.DictComp: ("loop expression", HINT),
    ast.GeneratorExp: ("loop expression", HINT),
    ast.List: ("list", HINT),
    ast.Set: ("set", HINT),
    ast.Dict: ("dictionary", HINT),
    ast.Compare: ("comparison", "use min(...) or max(...) for thresholds"),
    ast.BoolOp: ("logical operator", "use min(...) or max(...) for thresholds"),
    ast.IfExp: ("if-expression", "use min(...) or max(...) for thresholds"),
    ast.NamedExpr: ('assignment ":="', "set values in the scenario's parameters instead"),
    ast.JoinedStr: ("f-string", HINT),
    ast.FormattedValue: ("f-string", HINT),
    ast.Starred: ("unpacking (*)", "pass plain values, e.g. min(a, b)"),
    ast.Await: ("await", HINT),
    ast.Yield: ("yield", HINT),
    ast.YieldFrom: ("yield", HINT),
}

_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
}


class Compiler:
    """Turns a depth-checked ast tree into a formula tree, refusing anything not allow-listed.

    Parameters
    ----------
    source
        The formula text (for fragments and offsets in messages, and the exact text of
        number literals).
    allowed
        The names the formula may use.
    """

    def __init__(self, source: str, allowed: frozenset[str]) -> None:
        self.source = source
        self.allowed = allowed
        self.used: set[str] = set()

    # Errors -------------------------------------------------------------------------------

    def fail(self, node: ast.AST, message: str) -> FormulaError:
        """A FormulaError for ``node``; ``{frag}`` in ``message`` becomes the quoted fragment."""
        fragment = self.fragment(node)
        return FormulaError(message.format(frag=quote(fragment)), fragment, self.offset(node))

    def fragment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or type(node).__name__

    def offset(self, node: ast.AST) -> int | None:
        return offset_of(self.source, node)

    # Nodes --------------------------------------------------------------------------------

    def compile(self, node: ast.expr) -> Node:
        """The formula tree of ``node``."""
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Tuple):
            raise self.fail(
                node,
                "the comma in {frag} is not allowed outside min(...) or max(...); "
                "write decimals with a point, e.g. 1.5",
            )
        what, hint = _NODE_REFUSALS.get(type(node), ("the expression", HINT))
        raise self.fail(node, f"{what} {{frag}} is not allowed in a formula; {hint}")

    def number(self, node: ast.Constant) -> Number:
        value = node.value
        if isinstance(value, bool):
            raise self.fail(node, "{frag} is not allowed in a formula; write 1 or 0 instead")
        if value is None or value is Ellipsis:
            raise self.fail(node, "{frag} is not allowed in a formula; write a number instead")
        if isinstance(value, (str, bytes)):
            raise self.fail(
                node, "text {frag} is not allowed in a formula; formulas hold no quotes"
            )
        if isinstance(value, complex):
            raise self.fail(node, "the complex number {frag} is not allowed in a formula")
        if not isinstance(value, (int, float)):  # pragma: no cover - the parser yields no other
            raise self.fail(node, f"the constant {{frag}} is not allowed in a formula; {HINT}")
        try:
            number = float(value)  # float64 always: Python ints could make 9**9**9 hang
        except OverflowError:
            number = float("inf")
        if number != number or number in (float("inf"), float("-inf")):
            raise self.fail(node, "the number {frag} is too large for a formula")
        if isinstance(value, int):
            return Number(number, Fraction(value))
        # The exact value is that of the text as written ("0.1" is 1/10), not of the float.
        text = ast.get_source_segment(self.source, node)
        try:
            exact = Fraction(text) if text is not None else Fraction(value)
        except ValueError:  # pragma: no cover - a float literal's text is always readable
            exact = Fraction(value)
        return Number(number, exact)

    def name(self, node: ast.Name) -> Name:
        ident = node.id
        if ident.startswith("_"):
            raise self.fail(
                node, 'the name {frag} is not allowed: names starting with "_" are reserved'
            )
        if ident not in self.allowed:
            if ident in ALLOWED_FUNCTIONS:
                raise self.fail(node, f"{{frag}} is a function; call it, e.g. {ident}(x)")
            raise self.fail(node, "unknown name {frag}; " + self.suggest(ident))
        self.used.add(ident)
        return Name(ident)

    def suggest(self, ident: str) -> str:
        close = difflib.get_close_matches(ident, sorted(self.allowed), n=1)
        if close:
            return f'did you mean "{close[0]}"?'
        if not self.allowed:
            return "this formula can use numbers only, no names"
        names = sorted(self.allowed)
        shown = ", ".join(names[:_NAMES_SHOWN]) + (", ..." if len(names) > _NAMES_SHOWN else "")
        return f"the names you can use are: {shown}"

    def binop(self, node: ast.BinOp) -> Node:
        refusal = _BINARY_REFUSALS.get(type(node.op))
        if refusal is not None:
            what, hint = refusal
            raise self.fail(node, f"{what} in {{frag}} is not allowed in a formula; {hint}")
        if isinstance(node.op, ast.Pow):
            return self.power(node)
        return self.chain(node)

    def chain(self, node: ast.BinOp) -> Chain:
        """Compile a left-associated run like ``a - b + c`` into one n-ary node, in order."""
        kind = chain_kind(node)
        assert kind is not None  # binop() sends only + - * / here
        steps: list[tuple[ast.operator, ast.expr]] = []
        head: ast.expr = node
        while isinstance(head, ast.BinOp) and chain_kind(head) == kind:
            steps.append((head.op, head.right))
            head = head.left
        steps.reverse()
        first = self.compile(head)
        rest = tuple((_OPERATORS[type(op)], self.compile(right)) for op, right in steps)
        return Chain(kind, first, rest)

    def power(self, node: ast.BinOp) -> Power:
        base = self.compile(node.left)
        exponent = self.compile(node.right)
        constant = build(exponent).const
        if constant is not None and not abs(constant) <= MAX_EXPONENT:
            # `not <=` also refuses nan. Such exponents are typos, not payoffs.
            raise self.fail(
                node,
                f"the exponent in {{frag}} is {constant:.10g}; an exponent written as a "
                f"number must lie between -{MAX_EXPONENT:g} and {MAX_EXPONENT:g}",
            )
        return Power(base, exponent)

    def unary(self, node: ast.UnaryOp) -> Unary:
        if isinstance(node.op, ast.Not):
            raise self.fail(
                node, "logical operator {frag} is not allowed in a formula; use numbers"
            )
        if isinstance(node.op, ast.Invert):
            raise self.fail(node, f"bit operation (~) {{frag}} is not allowed in a formula; {HINT}")
        return Unary(isinstance(node.op, ast.USub), self.compile(node.operand))

    def call(self, node: ast.Call) -> Call:
        func = node.func
        if not isinstance(func, ast.Name):
            # Report a forbidden callee (attribute, lambda, ...) as itself; otherwise this
            # is usually a missing "*", as in (a+b)(c).
            self.compile(func)
            raise self.fail(
                func,
                'calling {frag} is not allowed; to multiply, write "*" explicitly, e.g. (a+b)*(c)',
            )
        ident = func.id
        if ident not in ALLOWED_FUNCTIONS:
            if ident in self.allowed:
                raise self.fail(
                    func,
                    f'calling {{frag}} is not allowed: "{ident}" is a name, not a function; '
                    f"to multiply, write {ident}*(...)",
                )
            hint = _FUNCTION_HINTS.get(ident)
            if hint is None:
                close = difflib.get_close_matches(ident, ALLOWED_FUNCTIONS, n=1)
                hint = (
                    f'did you mean "{close[0]}"?'
                    if close and not ident.startswith("_")
                    else f"the functions you can use are {FUNCTIONS_TEXT}"
                )
            raise self.fail(func, f"the function {{frag}} is not allowed in a formula; {hint}")
        if node.keywords:
            raise self.fail(
                node.keywords[0],
                f"the keyword argument {{frag}} is not allowed; pass plain values, "
                f"e.g. {ident}(a, b)",
            )
        starred = [arg for arg in node.args if isinstance(arg, ast.Starred)]
        if starred:
            raise self.fail(
                starred[0], "unpacking {frag} is not allowed; pass plain values, e.g. min(a, b)"
            )
        args = tuple(self.compile(arg) for arg in node.args)
        if ident in ("min", "max"):
            if len(args) < 2:
                raise self.fail(
                    node, f"{ident} needs at least two values, as in {ident}(a, b); got {{frag}}"
                )
        elif len(args) != 1:
            raise self.fail(
                node, f"{ident} takes exactly one value, as in {ident}(x); got {{frag}}"
            )
        return Call(ident, args)
