"""Safe, vectorised evaluation of payoff formulas from untrusted scenario files.

Scenario files are shared between people, so a payoff formula such as
``"20*a - kappa*s**2 + (beta*t_us + 8*(1-a))*s"`` must never be able to run code. This module
never hands the text to Python's ``eval``/``compile``. It parses the text with :func:`ast.parse`
(``mode="eval"``), walks the tree against an allow-list (numbers, names, ``+ - * / **``, unary
``-``/``+`` and the functions in :data:`ALLOWED_FUNCTIONS`), and builds a tree of small
closures that call NumPy ufuncs. Everything else is refused with a :class:`FormulaError` whose
one-line message quotes the offending part and says what to write instead.

Evaluation broadcasts over NumPy arrays, so a sweep evaluates each formula once for all of
its points. Results are always ``float64``; division by zero and overflow give ``inf``/``nan``
silently, and callers check finiteness (they know which player and cell to name).

This module depends on NumPy and the standard library only, nothing else of ``sim``.
"""

from __future__ import annotations

import ast
import difflib
import functools
import re
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "ALLOWED_FUNCTIONS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NESTING",
    "Formula",
    "FormulaError",
    "compile_formula",
]

ALLOWED_FUNCTIONS = ("abs", "min", "max", "exp", "log", "sqrt")
"""The only functions a formula may call (``min``/``max`` are element-wise, 2+ arguments)."""

MAX_LENGTH = 2000
"""Longest formula accepted, in characters (real payoffs are well under 200)."""

MAX_NESTING = 40
"""Deepest nesting accepted: of brackets, and of operations in the expression tree."""

MAX_EXPONENT = 64.0
"""Largest absolute value of an exponent that is a constant (such as ``9**9`` in ``9**9**9``)."""

FloatArray = npt.NDArray[np.float64]
# A compiled node maps the (already float64) variable arrays to its value. Ufuncs on 0-d
# arrays return NumPy scalars; Formula.evaluate turns the final value into an ndarray.
_Fn = Callable[[Mapping[str, FloatArray]], Any]

_HINT = (
    "use only numbers, parameter names, + - * / ** and " + ", ".join(ALLOWED_FUNCTIONS[:-1])
) + f", {ALLOWED_FUNCTIONS[-1]}"
_FUNCTIONS_TEXT = ", ".join(ALLOWED_FUNCTIONS)
_FRAGMENT_SHOWN = 60  # longest fragment quoted in a message, so it stays one readable line
_NAMES_SHOWN = 20  # longest list of allowed names printed after an unknown name

# Characters people paste from word processors, with what to type instead.
_CHARACTER_HINTS = {
    "\u2212": '"-"',  # minus sign
    "\u2013": '"-"',  # en dash
    "\u2014": '"-"',  # em dash
    "\u00d7": '"*"',  # multiplication sign
    "\u00b7": '"*"',  # middle dot
    "\u22c5": '"*"',  # dot operator
    "\u00f7": '"/"',  # division sign
    "\u00b2": '"**2"',  # superscript two
    "\u00b3": '"**3"',  # superscript three
    "\u00a0": "a plain space",  # no-break space
    "\u2018": "no quotes",
    "\u2019": "no quotes",
    "\u201c": "no quotes",
    "\u201d": "no quotes",
}

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
    ast.BitAnd: ("bit operation (&)", _HINT),
    ast.BitOr: ("bit operation (|)", _HINT),
    ast.LShift: ("bit shift (<<)", _HINT),
    ast.RShift: ("bit shift (>>)", _HINT),
}

# Plain-words names of constructs that are refused wholesale, with what to do instead.
_NODE_REFUSALS: dict[type[ast.AST], tuple[str, str]] = {
    ast.Attribute: ("attribute access", _HINT),
    ast.Subscript: ("indexing", _HINT),
    ast.Slice: ("slicing", _HINT),
    ast.Lambda: ("function definition (lambda)", _HINT),
    ast.ListComp: ("loop expression", _HINT),
    ast.SetComp: ("loop expression", _HINT),
    ast.DictComp: ("loop expression", _HINT),
    ast.GeneratorExp: ("loop expression", _HINT),
    ast.List: ("list", _HINT),
    ast.Set: ("set", _HINT),
    ast.Dict: ("dictionary", _HINT),
    ast.Compare: ("comparison", "use min(...) or max(...) for thresholds"),
    ast.BoolOp: ("logical operator", "use min(...) or max(...) for thresholds"),
    ast.IfExp: ("if-expression", "use min(...) or max(...) for thresholds"),
    ast.NamedExpr: ('assignment ":="', "set values in the scenario's parameters instead"),
    ast.JoinedStr: ("f-string", _HINT),
    ast.FormattedValue: ("f-string", _HINT),
    ast.Starred: ("unpacking (*)", "pass plain values, e.g. min(a, b)"),
    ast.Await: ("await", _HINT),
    ast.Yield: ("yield", _HINT),
    ast.YieldFrom: ("yield", _HINT),
}


class FormulaError(ValueError):
    """A formula that cannot be accepted, explained in one line of plain words.

    Parameters
    ----------
    message
        One line that quotes the offending part and says what to do.
    fragment
        The offending source text (for example ``"os.system"``), or None.
    offset
        0-based character offset of the fragment in the formula source (the column, for a
        one-line formula), or None when there is no single place to point at.
    """

    def __init__(self, message: str, fragment: str | None = None, offset: int | None = None):
        super().__init__(message)
        self.message = message
        self.fragment = fragment
        self.offset = offset

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[FormulaError], tuple[str, str | None, int | None]]:
        # Keep fragment and offset when the error crosses a process boundary (pickling).
        return (FormulaError, (self.message, self.fragment, self.offset))


@dataclass(frozen=True)
class Formula:
    """A compiled, safe formula; build it with :func:`compile_formula`.

    Attributes
    ----------
    source
        The formula text as written.
    names
        The parameter and variable names the formula uses.
    """

    source: str
    names: frozenset[str]
    _fn: _Fn = field(repr=False, compare=False)

    @property
    def is_constant(self) -> bool:
        """True when the formula uses no names (it was folded to one number)."""
        return not self.names

    def evaluate(self, env: Mapping[str, npt.ArrayLike]) -> FloatArray:
        """Evaluate the formula, broadcasting over arrays in `env` (NumPy rules).

        Parameters
        ----------
        env
            A value for every name in :attr:`names`: numbers or arrays whose shapes broadcast
            together, e.g. ``(N, 1, 1)``, ``(1, m, 1)`` and ``(1, 1, n)``. Extra keys are ignored.

        Returns
        -------
        numpy.ndarray
            ``float64``, of the broadcast shape of the values used (0-d when they are scalars,
            or when the formula is constant). Never a view of an input array. Division by zero,
            overflow and invalid operations give ``inf``/``nan`` without warnings or errors.

        Raises
        ------
        FormulaError
            If `env` lacks a value for a name the formula uses, or a value is not numeric.

        Examples
        --------
        >>> f = compile_formula("5 - 2*t", {"t"})
        >>> f.evaluate({"t": 0.3})
        array(4.4)
        >>> f.evaluate({"t": np.array([0.0, 1.0, 2.0])})
        array([5., 3., 1.])
        """
        values: dict[str, FloatArray] = {}
        for name in self.names:
            try:
                raw = env[name]
            except KeyError:
                raise FormulaError(
                    f'no value was given for "{name}", which the formula "{self.source}" uses',
                    name,
                    None,
                ) from None
            try:
                values[name] = np.asarray(raw, dtype=np.float64)
            except (TypeError, ValueError):
                raise FormulaError(
                    f'the value given for "{name}" is not a number: {raw!r}', name, None
                ) from None
        # Callers check finiteness and name the cell, so overflow etc. must not warn or raise.
        with np.errstate(all="ignore"):
            out = np.asarray(self._fn(values), dtype=np.float64)
        if any(out is v for v in values.values()):
            out = out.copy()  # a bare-name formula must not hand back the caller's own array
        return out


def compile_formula(source: str, allowed_names: Collection[str]) -> Formula:
    """Check a formula against the allow-list and compile it for vectorised evaluation.

    The text is parsed with :func:`ast.parse` (``mode="eval"``) after cheap checks on its
    characters, length and bracket depth (so a hostile text cannot exhaust the parser). The
    tree is then checked node by node and turned into closures over NumPy ufuncs; constant
    sub-expressions are folded once, in float64. Nothing from the text is ever executed.

    Parameters
    ----------
    source
        The formula, e.g. ``"20*a - kappa*s**2"``. Allowed: int/float literals (used as
        float64), names from `allowed_names` (not starting with ``_``), ``+ - * / **``, unary
        ``-`` and ``+``, parentheses, and calls of ``abs``, ``exp``, ``log``, ``sqrt`` (one
        argument) and ``min``, ``max`` (element-wise, two or more arguments).
    allowed_names
        The parameter and per-strategy variable names the formula may use.

    Returns
    -------
    Formula
        The compiled formula.

    Raises
    ------
    FormulaError
        For anything outside the allow-list, syntax errors, unknown names (with the closest
        allowed name suggested via :mod:`difflib`), formulas longer than :data:`MAX_LENGTH`
        characters or nested deeper than :data:`MAX_NESTING` levels, non-finite or huge
        number literals, and constant exponents with absolute value above
        :data:`MAX_EXPONENT`.

    Examples
    --------
    >>> compile_formula("5 - 2*t", {"t"}).evaluate({"t": 0.3})
    array(4.4)
    >>> compile_formula("kapa * 2", {"kappa", "t"})
    Traceback (most recent call last):
    ...
    sim.formula.FormulaError: unknown name "kapa"; did you mean "kappa"?
    """
    if not isinstance(source, str):
        raise FormulaError(
            f'a formula must be text in quotes, e.g. "5 - 2*t"; got {source!r}', None, None
        )
    _check_text(source)
    tree = _parse(source)
    _check_depth(tree, source)
    compiler = _Compiler(source, frozenset(allowed_names))
    root = compiler.compile(tree.body)
    return Formula(source=source, names=frozenset(compiler.used), _fn=root.fn)


# --- checks before parsing -------------------------------------------------------------------


def _check_text(source: str) -> None:
    """Refuse empty, over-long, non-ASCII and over-nested text before the parser sees it."""
    if not source.strip():
        raise FormulaError('the formula is empty; write an expression such as "5 - 2*t"')
    if len(source) > MAX_LENGTH:
        raise FormulaError(
            f"the formula is too long ({len(source)} characters; the limit is {MAX_LENGTH}); "
            "simplify it"
        )
    for i, ch in enumerate(source):
        # Plain ASCII only: keeps offsets exact (ast columns count UTF-8 bytes) and stops
        # look-alike letters that Python would silently normalise (e.g. a full-width "k").
        if not (" " <= ch <= "~" or ch in "\t\r\n"):
            shown = ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"
            hint = _CHARACTER_HINTS.get(ch)
            what = (
                f"write {hint} instead"
                if hint
                else "use plain keyboard characters only (letters a-z, digits, + - * / ( ) , .)"
            )
            raise FormulaError(
                f'the character "{shown}" {_where(source, i)} is not allowed in a formula; {what}',
                ch,
                i,
            )
    depth = 0
    for i, ch in enumerate(source):
        if ch in "([{":
            depth += 1
            if depth > MAX_NESTING:
                raise FormulaError(
                    f"the formula has brackets nested more than {MAX_NESTING} deep "
                    f"{_where(source, i)}; simplify it",
                    ch,
                    i,
                )
        elif ch in ")]}":
            depth -= 1  # unbalanced brackets are reported by the parser, with its column


def _parse(source: str) -> ast.Expression:
    """Parse with :func:`ast.parse`, turning every parser failure into a FormulaError."""
    try:
        with warnings.catch_warnings():
            # e.g. "2(3)" gives a SyntaxWarning; core modules never print.
            warnings.simplefilter("ignore")
            return ast.parse(source, mode="eval")
    except SyntaxError as err:
        raise _syntax_error(source, err) from None
    except (ValueError, MemoryError, RecursionError):
        # Parser resource limits; unreachable within MAX_LENGTH, but never let them escape.
        raise FormulaError("the formula is too complex to read; simplify it") from None


def _syntax_error(source: str, err: SyntaxError) -> FormulaError:
    """Describe a SyntaxError by its column and the text found there."""
    reason = (err.msg or "invalid syntax").split(". Perhaps")[0]
    if err.lineno is None or err.offset is None:
        return FormulaError(f"the formula cannot be read: {reason}")
    lines = source.splitlines(keepends=True) or [""]
    line_index = min(max(err.lineno, 1), len(lines)) - 1
    line = lines[line_index].rstrip("\r\n")
    col = min(max(err.offset - 1, 0), len(line))
    offset = sum(len(x) for x in lines[:line_index]) + col
    end = err.end_offset
    if err.end_lineno == err.lineno and end is not None and end - 1 > col:
        fragment = line[col : end - 1]
    else:
        match = re.match(r"\S{1,20}", line[col:])
        fragment = match.group(0) if match else ""
    near = f'near "{fragment}"' if fragment else "at the end of the formula"
    return FormulaError(
        f"the formula cannot be read {_where(source, offset)} {near}: {reason}; "
        'write every multiplication with "*" (2*t, not 2t) and check that brackets match',
        fragment or None,
        offset,
    )


def _check_depth(tree: ast.Expression, source: str) -> None:
    """Refuse trees nested deeper than MAX_NESTING, iteratively (no recursion to exhaust).

    A left-associated chain of ``+ -`` (or of ``* /``) counts as one level, because the
    compiler turns it into one n-ary node: a long sum is wide, not deep.
    """
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING and isinstance(node, ast.expr):
            raise FormulaError(
                f"the formula is nested more than {MAX_NESTING} levels deep "
                f"{_where(source, _offset(source, node))}; simplify it",
                None,
                _offset(source, node),
            )
        chain = _chain_kind(node)
        for child in ast.iter_child_nodes(node):
            same_level = chain is not None and child is getattr(node, "left", None)
            same_level = same_level and _chain_kind(child) == chain
            step = 0 if same_level or not isinstance(child, ast.expr) else 1
            stack.append((child, depth + step))


def _chain_kind(node: ast.AST) -> str | None:
    """'add' for ``+ -``, 'mul' for ``* /``, else None (which operations flatten together)."""
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, (ast.Add, ast.Sub)):
            return "add"
        if isinstance(node.op, (ast.Mult, ast.Div)):
            return "mul"
    return None


# --- compiling the checked tree --------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    """A compiled sub-expression; `const` holds its value when it uses no names."""

    fn: _Fn
    const: float | None = None


def _constant(value: float) -> _Node:
    scalar = np.float64(value)
    return _Node(lambda env: scalar, float(scalar))


def _fold(fn: _Fn, parts: Sequence[_Node]) -> _Node:
    """Evaluate `fn` once now when every part is constant (no names), else keep it lazy."""
    if all(p.const is not None for p in parts):
        with np.errstate(all="ignore"):
            return _constant(float(np.asarray(fn({}), dtype=np.float64)))
    return _Node(fn)


class _Compiler:
    """Turns a depth-checked ast tree into closures, refusing anything not allow-listed."""

    def __init__(self, source: str, allowed: frozenset[str]) -> None:
        self.source = source
        self.allowed = allowed
        self.used: set[str] = set()

    # Errors -------------------------------------------------------------------------------

    def fail(self, node: ast.AST, message: str) -> FormulaError:
        """A FormulaError for `node`; `{frag}` in `message` becomes the quoted fragment."""
        fragment = self.fragment(node)
        return FormulaError(message.format(frag=_quote(fragment)), fragment, self.offset(node))

    def fragment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or type(node).__name__

    def offset(self, node: ast.AST) -> int | None:
        return _offset(self.source, node)

    # Nodes --------------------------------------------------------------------------------

    def compile(self, node: ast.expr) -> _Node:
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
        what, hint = _NODE_REFUSALS.get(type(node), ("the expression", _HINT))
        raise self.fail(node, f"{what} {{frag}} is not allowed in a formula; {hint}")

    def number(self, node: ast.Constant) -> _Node:
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
            raise self.fail(node, f"the constant {{frag}} is not allowed in a formula; {_HINT}")
        try:
            number = float(value)  # float64 always: Python ints could make 9**9**9 hang
        except OverflowError:
            number = float("inf")
        if not np.isfinite(number):
            raise self.fail(node, "the number {frag} is too large for a formula")
        return _constant(number)

    def name(self, node: ast.Name) -> _Node:
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
        return _Node(lambda env: env[ident])

    def suggest(self, ident: str) -> str:
        close = difflib.get_close_matches(ident, sorted(self.allowed), n=1)
        if close:
            return f'did you mean "{close[0]}"?'
        if not self.allowed:
            return "this formula can use numbers only, no names"
        names = sorted(self.allowed)
        shown = ", ".join(names[:_NAMES_SHOWN]) + (", ..." if len(names) > _NAMES_SHOWN else "")
        return f"the names you can use are: {shown}"

    def binop(self, node: ast.BinOp) -> _Node:
        refusal = _BINARY_REFUSALS.get(type(node.op))
        if refusal is not None:
            what, hint = refusal
            raise self.fail(node, f"{what} in {{frag}} is not allowed in a formula; {hint}")
        if isinstance(node.op, ast.Pow):
            return self.power(node)
        return self.chain(node)

    def chain(self, node: ast.BinOp) -> _Node:
        """Compile a left-associated run like ``a - b + c`` into one n-ary node, in order."""
        kind = _chain_kind(node)
        steps: list[tuple[ast.operator, ast.expr]] = []
        head: ast.expr = node
        while isinstance(head, ast.BinOp) and _chain_kind(head) == kind:
            steps.append((head.op, head.right))
            head = head.left
        steps.reverse()
        first = self.compile(head)
        rest = [(_ARITHMETIC[type(op)], self.compile(right)) for op, right in steps]
        first_fn = first.fn
        rest_fns = [(ufunc, part.fn) for ufunc, part in rest]

        def evaluate(env: Mapping[str, FloatArray]) -> Any:
            acc = first_fn(env)
            for ufunc, fn in rest_fns:  # same left-to-right order as the formula
                acc = ufunc(acc, fn(env))
            return acc

        return _fold(evaluate, [first, *(part for _, part in rest)])

    def power(self, node: ast.BinOp) -> _Node:
        base = self.compile(node.left)
        exponent = self.compile(node.right)
        if exponent.const is not None and not abs(exponent.const) <= MAX_EXPONENT:
            # `not <=` also refuses nan. Such exponents are typos, not payoffs.
            raise self.fail(
                node,
                f"the exponent in {{frag}} is {exponent.const:.10g}; an exponent written as a "
                f"number must lie between -{MAX_EXPONENT:g} and {MAX_EXPONENT:g}",
            )
        base_fn, exp_fn = base.fn, exponent.fn
        return _fold(lambda env: np.power(base_fn(env), exp_fn(env)), [base, exponent])

    def unary(self, node: ast.UnaryOp) -> _Node:
        if isinstance(node.op, ast.Not):
            raise self.fail(
                node, "logical operator {frag} is not allowed in a formula; use numbers"
            )
        if isinstance(node.op, ast.Invert):
            raise self.fail(
                node, f"bit operation (~) {{frag}} is not allowed in a formula; {_HINT}"
            )
        operand = self.compile(node.operand)
        ufunc = np.negative if isinstance(node.op, ast.USub) else np.positive
        fn = operand.fn
        return _fold(lambda env: ufunc(fn(env)), [operand])

    def call(self, node: ast.Call) -> _Node:
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
                    else f"the functions you can use are {_FUNCTIONS_TEXT}"
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
        args = [self.compile(arg) for arg in node.args]
        fns = [a.fn for a in args]
        if ident in ("min", "max"):
            if len(args) < 2:
                raise self.fail(
                    node, f"{ident} needs at least two values, as in {ident}(a, b); got {{frag}}"
                )
            pair = np.minimum if ident == "min" else np.maximum
            return _fold(lambda env: functools.reduce(pair, [f(env) for f in fns]), args)
        if len(args) != 1:
            raise self.fail(
                node, f"{ident} takes exactly one value, as in {ident}(x); got {{frag}}"
            )
        ufunc = _UNARY_FUNCTIONS[ident]
        (fn,) = fns
        return _fold(lambda env: ufunc(fn(env)), args)


_ARITHMETIC: dict[type[ast.operator], np.ufunc] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.true_divide,
}

_UNARY_FUNCTIONS: dict[str, np.ufunc] = {
    "abs": np.absolute,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
}


# --- small helpers ---------------------------------------------------------------------------


def _offset(source: str, node: ast.AST) -> int | None:
    """0-based character offset of `node` in `source` (text is ASCII, so bytes == chars)."""
    lineno = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    if lineno is None or col is None:
        return None
    lines = source.splitlines(keepends=True)
    return sum(len(x) for x in lines[: lineno - 1]) + col


def _where(source: str, offset: int | None) -> str:
    """'at column 7' (1-based, as people count), or 'at line 2, column 3' if multi-line."""
    if offset is None:
        return "in the formula"
    before = source[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return f"at column {column}" if line == 1 else f"at line {line}, column {column}"


def _quote(fragment: str) -> str:
    """Quote a fragment on one line, shortened if long."""
    flat = " ".join(fragment.split())
    if len(flat) > _FRAGMENT_SHOWN:
        flat = flat[: _FRAGMENT_SHOWN - 3] + "..."
    if len(flat) >= 2 and flat[0] == flat[-1] and flat[0] in "'\"":
        return flat  # already in quotes (a text literal): do not wrap it twice
    return f'"{flat}"'
