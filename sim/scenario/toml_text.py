"""Parsing scenario TOML with exact numbers and without resource exhaustion.

:func:`parse_toml` parses with :func:`tomllib.loads` and ``parse_float=Decimal`` (TOML floats
are read as written, so ``0.3`` stays 3/10), after limiting the nesting depth of arrays and
inline tables (tomllib recurses once per level, so 500 nested brackets raise
``RecursionError``). Python's limit on the digits of an integer and every other parser failure
become a one-line :class:`ScenarioError` naming the line.
"""

from __future__ import annotations

import re
import sys
import tomllib
from decimal import Decimal
from typing import Any

from sim.errors import ScenarioError

MAX_TOML_NESTING = 50
"""Deepest nesting of arrays and inline tables accepted in a scenario file (a matrix is 2)."""

_TOKENS = re.compile(r'"""|\'\'\'|["\'#\[\]{}\n]')
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*("|$)', re.MULTILINE)
_LITERAL = re.compile(r"'[^'\n]*('|$)", re.MULTILINE)
_MULTI_BASIC = re.compile(r'"""(?:[^\\]|\\.)*?"""', re.DOTALL)
_MULTI_LITERAL = re.compile(r"'''.*?'''", re.DOTALL)
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def nesting_problem(text: str, limit: int = MAX_TOML_NESTING) -> tuple[int, int] | None:
    """``(line, depth)`` where brackets outside strings and comments first nest deeper than
    ``limit``, or None. A linear scan that skips strings and comments (TOML 1.0 syntax)."""
    depth = 0
    position = 0
    line = 1
    while True:
        match = _TOKENS.search(text, position)
        if match is None:
            return None
        token = match.group(0)
        start = match.start()
        if token == "\n":
            line += 1
            position = match.end()
            continue
        if token in ('"""', "'''", '"', "'"):
            pattern = {
                '"""': _MULTI_BASIC,
                "'''": _MULTI_LITERAL,
                '"': _BASIC,
                "'": _LITERAL,
            }[token]
            skipped = pattern.match(text, start)
            end = skipped.end() if skipped else len(text)
            line += text.count("\n", start, end)
            position = max(end, start + 1)
            continue
        if token == "#":
            newline = text.find("\n", start)
            position = len(text) if newline < 0 else newline
            continue
        if token in "[{":
            depth += 1
            if depth > limit:
                return line, depth
        else:
            depth = max(0, depth - 1)
        position = match.end()


def _digit_line(text: str) -> int | None:
    """The line of the first integer longer than Python converts (its digit limit)."""
    limit = sys.get_int_max_str_digits()
    if limit <= 0:
        return None
    found = re.search(rf"[0-9A-Fa-f_]{{{limit},}}", text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def parse_toml(text: str, source_name: str) -> dict[str, Any]:
    """The TOML document, floats as :class:`decimal.Decimal`.

    Raises
    ------
    ScenarioError
        ``file:line:column: not valid TOML (...)``, or a message for nesting deeper than
        :data:`MAX_TOML_NESTING` or integers with more digits than Python converts.
    """
    deep = nesting_problem(text)
    if deep is not None:
        line, _ = deep
        raise ScenarioError(
            f"{source_name}:{line}: arrays or tables are nested more than {MAX_TOML_NESTING} "
            "levels deep; a scenario needs at most a few (a payoff matrix is 2)"
        )
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _POSITION.search(message)
        detail = _POSITION.sub("", message).strip().rstrip(".")
        where = (
            f"{source_name}:{position.group(1)}:{position.group(2)}" if position else source_name
        )
        raise ScenarioError(
            f"{where}: not valid TOML ({detail}); check quotes, brackets and '=' on that line"
        ) from None
    except ValueError:
        # int() refuses integers beyond sys.get_int_max_str_digits() (4,300 by default).
        digits_line = _digit_line(text)
        where = f"{source_name}:{digits_line}" if digits_line else source_name
        raise ScenarioError(
            f"{where}: a number has more digits than can be read "
            f"({sys.get_int_max_str_digits():,} at most); numbers in a scenario need far fewer"
        ) from None
    except RecursionError:  # pragma: no cover - nesting_problem() stops this first
        raise ScenarioError(
            f"{source_name}: arrays or tables are nested too deeply to read"
        ) from None
