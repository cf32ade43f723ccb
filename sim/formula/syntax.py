"""Checks on a formula's text before and right after parsing, and the limits they enforce.

A hostile text must not be able to exhaust the parser, so its characters, length and bracket
depth are checked before :func:`ast.parse` sees it, and the depth of the parsed tree is
checked iteratively (no recursion) before anything walks it recursively.
"""

from __future__ import annotations

import ast
import keyword
import re
import warnings

from .errors import FormulaError

ALLOWED_FUNCTIONS = ("abs", "min", "max", "exp", "log", "sqrt")
"""The only functions a formula may call (``min``/``max`` are element-wise, 2+ arguments)."""

MAX_LENGTH = 2000
"""Longest formula accepted, in characters (real payoffs are well under 200)."""

MAX_NESTING = 40
"""Deepest nesting accepted: of brackets, and of operations in the expression tree."""

MAX_EXPONENT = 64.0
"""Largest absolute value of an exponent that is a constant (such as ``9**9`` in ``9**9**9``)."""

HINT = (
    "use only numbers, parameter names, + - * / ** and " + ", ".join(ALLOWED_FUNCTIONS[:-1])
) + f", {ALLOWED_FUNCTIONS[-1]}"
FUNCTIONS_TEXT = ", ".join(ALLOWED_FUNCTIONS)
_FRAGMENT_SHOWN = 60  # longest fragment quoted in a message, so it stays one readable line
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

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


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a parameter or variable name in formulas, or None if it can.

    A name must be an identifier that starts with a letter (names starting with ``_`` are
    reserved), must not be a Python keyword (formulas are parsed with Python's grammar, so
    ``lambda`` or ``in`` cannot be read as names), and must not be one of
    :data:`ALLOWED_FUNCTIONS`.

    Examples
    --------
    >>> name_problem("t_us") is None
    True
    >>> name_problem("lambda")
    "'lambda' is a reserved word of the formula language (as in Python); choose another name, e.g. 'lambda_'"
    """  # noqa: E501
    if not _IDENTIFIER.match(name):
        return (
            f"{name!r} is not a usable name; start with a letter and use only letters, digits "
            "and '_'"
        )
    if keyword.iskeyword(name):
        return (
            f"{name!r} is a reserved word of the formula language (as in Python); choose "
            f"another name, e.g. '{name}_'"
        )
    if name in ALLOWED_FUNCTIONS:
        return (
            f"{name!r} is the name of a function formulas can call; choose another name, "
            f"e.g. '{name}_'"
        )
    return None


def check_text(source: str) -> None:
    """Refuse empty, over-long, non-ASCII, commented and over-nested text before parsing."""
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
                f'the character "{shown}" {where(source, i)} is not allowed in a formula; {what}',
                ch,
                i,
            )
    comment = source.find("#")
    if comment >= 0:
        # Python's parser would silently drop the rest: "5 - 2*t # + 100*t" would be 5 - 2*t.
        raise FormulaError(
            f'the character "#" {where(source, comment)} is not allowed in a formula: formulas '
            "have no comments; remove it (and what follows, if that was meant as a note)",
            "#",
            comment,
        )
    depth = 0
    for i, ch in enumerate(source):
        if ch in "([{":
            depth += 1
            if depth > MAX_NESTING:
                raise FormulaError(
                    f"the formula has brackets nested more than {MAX_NESTING} deep "
                    f"{where(source, i)}; simplify it",
                    ch,
                    i,
                )
        elif ch in ")]}":
            depth -= 1  # unbalanced brackets are reported by the parser, with its column


def parse(source: str) -> ast.Expression:
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
    if keyword.iskeyword(fragment):
        # a Python statement or keyword ("import os", "if t"): say that, not "write 2*t"
        hint = (
            f'"{fragment}" is a reserved word, not allowed in a formula; use only numbers, '
            "parameter names, + - * / ** and abs, min, max, exp, log, sqrt"
        )
    else:
        hint = 'write every multiplication with "*" (2*t, not 2t) and check that brackets match'
    return FormulaError(
        f"the formula cannot be read {where(source, offset)} {near}: {reason}; {hint}",
        fragment or None,
        offset,
    )


def check_depth(tree: ast.Expression, source: str) -> None:
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
                f"{where(source, offset_of(source, node))}; simplify it",
                None,
                offset_of(source, node),
            )
        chain = chain_kind(node)
        for child in ast.iter_child_nodes(node):
            same_level = chain is not None and child is getattr(node, "left", None)
            same_level = same_level and chain_kind(child) == chain
            step = 0 if same_level or not isinstance(child, ast.expr) else 1
            stack.append((child, depth + step))


def chain_kind(node: ast.AST) -> str | None:
    """'add' for ``+ -``, 'mul' for ``* /``, else None (which operations flatten together)."""
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, (ast.Add, ast.Sub)):
            return "add"
        if isinstance(node.op, (ast.Mult, ast.Div)):
            return "mul"
    return None


def offset_of(source: str, node: ast.AST) -> int | None:
    """0-based character offset of `node` in `source` (text is ASCII, so bytes == chars)."""
    lineno = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    if lineno is None or col is None:
        return None
    lines = source.splitlines(keepends=True)
    return sum(len(x) for x in lines[: lineno - 1]) + col


def where(source: str, offset: int | None) -> str:
    """'at column 7' (1-based, as people count), or 'at line 2, column 3' if multi-line."""
    if offset is None:
        return "in the formula"
    before = source[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return f"at column {column}" if line == 1 else f"at line {line}, column {column}"


def quote(fragment: str) -> str:
    """Quote a fragment on one line, shortened if long."""
    flat = " ".join(fragment.split())
    if len(flat) > _FRAGMENT_SHOWN:
        flat = flat[: _FRAGMENT_SHOWN - 3] + "..."
    if len(flat) >= 2 and flat[0] == flat[-1] and flat[0] in "'\"":
        return flat  # already in quotes (a text literal): do not wrap it twice
    return f'"{flat}"'
