"""Text and maths for Typst source: every user string comes out literally, never as markup.

Typst markup gives meaning to many ASCII characters (``#`` starts code, ``$`` maths, ``*``
and ``_`` strong and emphasis, ``[``/``]`` content blocks, ``<``/``>`` labels, ``@``
references, ``'``/``"`` smart quotes, ``-``/``.``/``~`` shorthands such as en dashes and
ellipses, ``/``/``=``/``+`` comments, headings and lists, ``\\`` escapes) and makes links of
``https://…``. Its lexer reads a backslash followed by any character other than whitespace
as that character, literally (Typst reference, "Syntax": escape sequences). So
:func:`escape_markup` puts a backslash before every ASCII character that is neither a letter,
a digit nor a space; that also ends any embedded expression before user text could continue
it (``#strong[…].field`` needs a ``.`` that is now escaped). Line and paragraph breaks are
structure, not text: every kind of line break becomes a space. Other control characters and
lone surrogates, which cannot be typeset, become the replacement character U+FFFD.

:func:`typst_string` writes a Typst string literal (for arguments such as ``alt:``), whose
only escapes are ``\\\\``, ``\\"`` and ``\\u{…}``. :func:`math_to_typst` writes a maths tree
of :mod:`sim.documents.model` as Typst maths; names and subscripts in it are string literals,
so no user text is ever read as a Typst identifier.
"""

from __future__ import annotations

import unicodedata

from sim.documents.formula_math import GREEK_LETTERS
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

__all__ = ["escape_markup", "math_to_typst", "typst_string"]

# The Greek letters that formula names may stand for (sim.documents.formula_math), which
# Typst sets as variables when written bare.
_GREEK = frozenset(GREEK_LETTERS.values())

# Every character Typst treats as a line break (typst-syntax's is_newline), plus tab.
_BREAKS = frozenset("\n\r\t\x0b\x0c\x85\u2028\u2029")


def _clean(char: str) -> str:
    """A character that can be typeset: breaks become spaces, controls U+FFFD."""
    if char in _BREAKS:
        return " "
    if unicodedata.category(char) in ("Cc", "Cs"):
        return "\ufffd"
    return char


def escape_markup(text: str) -> str:
    """``text`` as Typst markup that typesets exactly these characters.

    Examples
    --------
    >>> escape_markup("Pay $5 (50%) or #6*")
    'Pay \\\\$5 \\\\(50\\\\%\\\\) or \\\\#6\\\\*'
    """
    out: list[str] = []
    for char in text:
        char = _clean(char)
        if char.isascii() and not char.isalnum() and char != " ":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def typst_string(text: str) -> str:
    """``text`` as a Typst string literal, quotes included, that holds exactly ``text``:
    control characters are written as ``\\u{…}`` escapes (lone surrogates, which no UTF-8
    text can hold, become U+FFFD)."""
    out = ['"']
    for char in text:
        category = unicodedata.category(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif category == "Cc":
            out.append(f"\\u{{{ord(char):x}}}")
        elif category == "Cs":
            out.append("\ufffd")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


# Typst's own names for the operators and functions of the maths tree.
_OPERATORS = {"+": "+", "−": "-", "·": "dot.op", "×": "times", ",": ","}
_FUNCTIONS = {"min": "min", "max": "max", "exp": "exp", "ln": "ln"}


def math_to_typst(node: MathNode) -> str:
    """A maths tree as Typst maths (the inside of ``$…$``).

    Single Latin letters are written bare (italic, as Typst sets variables); every other name,
    Greek letters and subscripts included, is a string literal, which Typst sets as text.
    """
    if isinstance(node, MathSymbol):
        latin = node.name.isascii() and node.name.isalpha()
        if len(node.name) == 1 and (latin or node.name in _GREEK):
            base = node.name  # a variable, set in italic by Typst
        else:
            # A string is set upright, and a space after it would show: products with such
            # names carry a dot (sim.documents.formula_math), so none is needed.
            base = typst_string(node.name)
        return f"{base}_{typst_string(node.subscript)}" if node.subscript else base
    if isinstance(node, MathNumber):
        if not node.digits.replace(".", "", 1).isdigit():
            return typst_string(node.digits)
        return node.digits
    if isinstance(node, MathOperator):
        return _OPERATORS[node.symbol]
    if isinstance(node, MathRow):
        parts = [math_to_typst(item) for item in node.items]
        if len(parts) > 1 and isinstance(node.items[0], MathOperator):
            # a sign: "-x", and "- x" would be spaced like a difference
            parts[:2] = [parts[0] + parts[1]]
        return " ".join(parts)
    if isinstance(node, MathFenced):
        body = math_to_typst(node.body)
        return f"abs({body})" if node.kind == "bars" else f"lr(( {body} ))"
    if isinstance(node, MathFraction):
        return f"frac({math_to_typst(node.numerator)}, {math_to_typst(node.denominator)})"
    if isinstance(node, MathPower):
        return f"{math_to_typst(node.base)}^({math_to_typst(node.exponent)})"
    if isinstance(node, MathFunction):
        arguments = ", ".join(math_to_typst(a) for a in node.arguments)
        return f"{_FUNCTIONS[node.name]}({arguments})"
    if isinstance(node, MathRoot):
        return f"sqrt({math_to_typst(node.body)})"
    raise TypeError(f"not a maths node: {node!r}")
