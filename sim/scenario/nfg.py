"""Reader for Gambit strategic-form game files (``.nfg``), two-player games only.

Gambit's strategic-form format comes in two variants, both read here (Gambit documentation,
"Game representation formats": "The strategic game (.nfg) file format, payoff version" and
"... outcome version"):

* **payoff version**: a prologue ``NFG 1 R "title" { "P1" "P2" } { 3 2 }`` (or a nested list of
  strategy names instead of the counts), an optional comment string, then a flat list of payoffs.
  The list starts with the profile in which every player plays their first strategy and gives
  the payoffs of all players for it; then the *first* player's strategy is incremented, rolling
  over like the digits of a number, so the first player's strategy changes fastest;
* **outcome version**: the prologue with strategy names ``{ { "s1" "s2" } { "t1" "t2" } }``,
  an optional comment, a list of outcomes ``{ { "name" 1, 2 } ... }`` (payoffs optionally
  separated by commas), then one outcome number per cell in the same order as above, where
  ``0`` is the "null" outcome with zero payoffs for everybody.

Numbers may be integers, decimals, exponent notation (``1.5e3``) or rationals (``3/2``); the
header letter ``R`` or ``D`` makes no difference. Whitespace is not significant except inside
double quotes; ``\\"`` inside a quoted text is a literal quote. The format has no comment
syntax other than the optional comment string after the strategies.

Empty player names become ``"Player 1"``/``"Player 2"``, empty strategy names become their
number (``"1"``, ``"2"``, ...), and repeated names within one list get ``_1``, ``_2``, ...
appended, as Gambit itself does, so every name is non-empty and unique.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from sim.errors import ScenarioError
from sim.scenario.reading import decode_text, read_input_bytes

__all__ = ["NfgGame", "parse_nfg", "read_nfg"]

_MAX_EXPONENT = 400
"""Numbers with a decimal exponent beyond this are refused (they overflow float64 anyway)."""


@dataclass(frozen=True, eq=False)
class NfgGame:
    """A two-player strategic-form game read from a Gambit ``.nfg`` file.

    Parameters
    ----------
    title
        The game's title from the file (may be empty).
    player_names
        Names of the row player (Gambit's player 1) and the column player (player 2).
    strategy_names
        Strategy names of the row player and of the column player.
    A
        Row player's payoffs, float64 array of shape ``(m, n)``, read-only.
    B
        Column player's payoffs, float64 array of shape ``(m, n)``, read-only.
    comment
        The optional comment text of the file (empty if absent).
    A_exact, B_exact
        The same payoffs as exact rationals, as written (Gambit treats every number in a file
        as exact): ``m`` tuples of ``n`` Fractions.

    Notes
    -----
    Instances compare by identity (``eq=False``), because payoff arrays have no single truth
    value; compare ``A`` and ``B`` with :func:`numpy.array_equal` instead.
    """

    title: str
    player_names: tuple[str, str]
    strategy_names: tuple[tuple[str, ...], tuple[str, ...]]
    A: np.ndarray
    B: np.ndarray
    comment: str
    A_exact: tuple[tuple[Fraction, ...], ...] = ()
    B_exact: tuple[tuple[Fraction, ...], ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        """Numbers of strategies ``(m, n)`` of the row and the column player."""
        return (len(self.strategy_names[0]), len(self.strategy_names[1]))


# ---------------------------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------------------------

_NUMBER_RE = re.compile(
    r"""
    [+-]?
    (?:
        \d+/\d+                                  # rational 3/2
      | (?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?     # integer, decimal, exponent notation
    )
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "{", "}", ",", "text", "number", "word", "eof"
    value: str
    line: int


def _shorten(text: str, limit: int = 40) -> str:
    """The text for a one-line message: control characters (a line break inside an unclosed
    quote) written as escapes, and cut to ``limit`` characters."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(token: _Token) -> str:
    """Describe a token in plain words for an error message."""
    if token.kind == "eof":
        return "the end of the file"
    if token.kind == "text":
        return f'the text "{_shorten(token.value)}"'
    if token.kind == "number":
        return f"the number {_shorten(token.value)}"
    if token.kind in "{},":
        return f"'{token.kind}'"
    return f"'{_shorten(token.value)}'"


class _Lexer:
    """Split ``.nfg`` text into tokens, keeping the line on which each token starts."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.tokens = self._tokenize(text)
        self.pos = 0

    def error(self, message: str, line: int | None = None) -> ScenarioError:
        where = f"{self.source}:{line}" if line is not None else self.source
        return ScenarioError(f"{where}: {message}")

    def _tokenize(self, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        i = 0
        line = 1
        size = len(text)
        while i < size:
            c = text[i]
            if c == "\n":
                line += 1
                i += 1
            elif c.isspace():
                i += 1
            elif c in "{},":
                tokens.append(_Token(c, c, line))
                i += 1
            elif c == '"':
                start_line = line
                i += 1
                chars: list[str] = []
                while True:
                    if i >= size:
                        raise self.error(
                            'a quoted text that starts here is never closed (a closing " is '
                            "missing)",
                            start_line,
                        )
                    c = text[i]
                    if c == "\\" and i + 1 < size and text[i + 1] == '"':
                        chars.append('"')
                        i += 2
                        continue
                    if c == '"':
                        i += 1
                        break
                    if c == "\n":
                        line += 1
                    chars.append(c)
                    i += 1
                tokens.append(_Token("text", "".join(chars), start_line))
            else:
                j = i
                while j < size and not text[j].isspace() and text[j] not in '{},"':
                    j += 1
                word = text[i:j]
                kind = "number" if _NUMBER_RE.fullmatch(word) else "word"
                tokens.append(_Token(kind, word, line))
                i = j
        tokens.append(_Token("eof", "", line))
        return tokens

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def next(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "eof":
            self.pos += 1
        return token

    def expect(self, kind: str, what: str) -> _Token:
        token = self.next()
        if token.kind != kind:
            raise self.error(f"expected {what}, found {_describe(token)}", token.line)
        return token


# ---------------------------------------------------------------------------------------------
# Numbers and names
# ---------------------------------------------------------------------------------------------


def _to_fraction(lexer: _Lexer, token: _Token) -> Fraction:
    """Exact value of a number token (Gambit treats every number in a file as exact)."""
    text = token.value
    exponent = re.search(r"[eE]([+-]?\d+)$", text)
    if exponent is not None and abs(int(exponent.group(1))) > _MAX_EXPONENT:
        raise lexer.error(
            f"the number {_shorten(text)} is too large or too small to use", token.line
        )
    try:
        if "/" in text and int(text.split("/")[1]) == 0:
            raise lexer.error(f"the number {text} divides by zero", token.line)
        return Fraction(text)
    except ValueError:  # more digits than Python converts to an integer
        raise lexer.error(f"the number {_shorten(text)} has too many digits", token.line) from None


def _to_exact(lexer: _Lexer, token: _Token) -> Fraction:
    """The exact value of a payoff, refused when it lies beyond float64's range."""
    value = _to_fraction(lexer, token)
    try:
        finite = bool(np.isfinite(float(value)))
    except OverflowError:
        finite = False
    if not finite:
        raise lexer.error(f"the number {_shorten(token.value)} is too large to use", token.line)
    return value


def _unique_names(names: Sequence[str], defaults: Sequence[str]) -> tuple[str, ...]:
    """Fill empty names with defaults, then make repeated names unique as Gambit does."""
    filled = [
        name if name.strip() else default for name, default in zip(names, defaults, strict=True)
    ]
    counts: dict[str, int] = {}
    for name in filled:
        counts[name] = counts.get(name, 0) + 1
    used = set(filled)
    seen: dict[str, int] = {}
    result: list[str] = []
    for name in filled:
        if counts[name] == 1:
            result.append(name)
            continue
        while True:
            seen[name] = seen.get(name, 0) + 1
            candidate = f"{name}_{seen[name]}"
            if candidate not in used:
                break
        used.add(candidate)
        result.append(candidate)
    return tuple(result)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------


def _read_header(lexer: _Lexer) -> str:
    first = lexer.next()
    if first.kind == "eof":
        raise lexer.error(
            "the file is empty; a Gambit strategic-form game file starts with 'NFG 1 R'"
        )
    if first.kind == "word" and first.value == "EFG":
        raise lexer.error(
            "this is a Gambit extensive-form (.efg) file; tradegame reads strategic-form "
            "(.nfg) files only (Gambit can convert one to the other)",
            first.line,
        )
    if first.kind != "word" or first.value != "NFG":
        raise lexer.error(
            "this is not a Gambit strategic-form game file: it should start with 'NFG 1 R' "
            f"but starts with {_describe(first)}",
            first.line,
        )
    version = lexer.next()
    if version.kind != "number" or version.value != "1":
        raise lexer.error(
            f"expected the format version 1 after 'NFG', found {_describe(version)}",
            version.line,
        )
    kind = lexer.next()
    if kind.kind != "word" or kind.value not in ("R", "D"):
        raise lexer.error(
            f"expected the letter R or D after 'NFG 1', found {_describe(kind)}", kind.line
        )
    return lexer.expect("text", 'the game\'s title in double quotes (it may be empty: "")').value


def _read_players(lexer: _Lexer) -> tuple[str, str]:
    lexer.expect("{", "'{' starting the list of player names")
    names: list[str] = []
    while lexer.peek().kind == "text":
        names.append(lexer.next().value)
    lexer.expect("}", "a player name in double quotes or '}' closing the list of players")
    if len(names) != 2:
        if not names:
            raise lexer.error("the file lists no players; tradegame handles two-player games only")
        raise lexer.error(
            f"this game has {_plural(len(names), 'player')}; tradegame handles two-player "
            "games only"
        )
    player_names = _unique_names(names, ("Player 1", "Player 2"))
    return (player_names[0], player_names[1])


def _read_strategies(
    lexer: _Lexer, player_names: tuple[str, str]
) -> tuple[tuple[int, int], list[list[str]] | None]:
    """Read the strategy counts ``{ 3 2 }`` or the nested name lists.

    Returns the counts and the names (``None`` for the count form).
    """
    opening = lexer.expect("{", "'{' starting the strategies (counts or name lists)")
    if lexer.peek().kind == "{":
        lists: list[list[str]] = []
        while lexer.peek().kind == "{":
            lexer.next()
            names: list[str] = []
            while lexer.peek().kind == "text":
                names.append(lexer.next().value)
            lexer.expect("}", "a strategy name in double quotes or '}' closing the list")
            lists.append(names)
        lexer.expect("}", "'{' starting the next player's strategy names or '}'")
        if len(lists) != 2:
            raise lexer.error(
                f"the strategy lists give strategies for {_plural(len(lists), 'player')}, "
                "but the game has 2 players",
                opening.line,
            )
        for player, names in zip(player_names, lists, strict=True):
            if not names:
                raise lexer.error(f"player {player!r} has no strategies", opening.line)
        return (len(lists[0]), len(lists[1])), lists
    counts: list[int] = []
    while lexer.peek().kind == "number":
        token = lexer.next()
        if not re.fullmatch(r"\+?\d+", token.value):
            raise lexer.error(
                f"a number of strategies must be a positive whole number, found {token.value}",
                token.line,
            )
        counts.append(int(token.value) if len(token.value) <= 12 else 10**12)
    lexer.expect("}", "a number of strategies or '}' closing the list")
    if len(counts) != 2:
        raise lexer.error(
            f"the list of strategy counts has {_plural(len(counts), 'number')}, but the game "
            "has 2 players (one count per player)",
            opening.line,
        )
    for player, count in zip(player_names, counts, strict=True):
        if count < 1:
            raise lexer.error(f"player {player!r} has no strategies", opening.line)
    return (counts[0], counts[1]), None


ExactTable = list[list[Fraction]]  # [player][cell], first player's strategy fastest


def _read_outcome_table(lexer: _Lexer, shape: tuple[int, int]) -> ExactTable:
    """Read ``{ { "name" p1, p2 } ... }`` and the outcome number of every cell."""
    m, n = shape
    lexer.expect("{", "'{' starting the list of outcomes")
    outcomes: list[tuple[Fraction, Fraction]] = []
    while lexer.peek().kind == "{":
        start = lexer.next()
        number = len(outcomes) + 1
        name_token = lexer.next()
        if name_token.kind != "text":
            raise lexer.error(
                f"outcome {number} should start with its name in double quotes (it may be "
                f'empty: ""), found {_describe(name_token)}',
                name_token.line,
            )
        label = f"outcome {number}"
        if name_token.value:
            label += f' ("{_shorten(name_token.value)}")'
        payoffs: list[Fraction] = []
        while lexer.peek().kind in ("number", ","):
            token = lexer.next()
            if token.kind == "number":
                payoffs.append(_to_exact(lexer, token))
        closing = lexer.next()
        if closing.kind != "}":
            raise lexer.error(
                f"{label}: expected a payoff number or '}}', found {_describe(closing)}",
                closing.line,
            )
        if len(payoffs) != 2:
            raise lexer.error(
                f"{label} has {_plural(len(payoffs), 'payoff')}; a two-player game needs 2 "
                "(one per player)",
                start.line,
            )
        outcomes.append((payoffs[0], payoffs[1]))
    lexer.expect("}", "'{' starting the next outcome or '}' closing the list of outcomes")

    cells = m * n
    indices: list[_Token] = []
    while lexer.peek().kind == "number":
        indices.append(lexer.next())
    extra = lexer.peek()
    if extra.kind != "eof":
        raise lexer.error(
            f"expected an outcome number or the end of the file, found {_describe(extra)}",
            extra.line,
        )
    if len(indices) != cells:
        raise lexer.error(
            f"the table has {_plural(len(indices), 'outcome number')}, but a {m} x {n} game "
            f"needs {cells} (one per cell)"
        )
    zero = Fraction(0)
    table: ExactTable = [[zero] * cells, [zero] * cells]
    for k, token in enumerate(indices):
        if not re.fullmatch(r"\+?\d+", token.value):
            raise lexer.error(
                f"outcome numbers must be whole numbers from 0 to {len(outcomes)}, found "
                f"{token.value}",
                token.line,
            )
        index = int(token.value) if len(token.value) <= 12 else 10**12
        if index > len(outcomes):
            defined = (
                "the file defines no outcomes"
                if not outcomes
                else f"the file defines outcomes 1 to {len(outcomes)}"
                if len(outcomes) > 1
                else "the file defines only outcome 1"
            )
            raise lexer.error(
                f"outcome number {_shorten(token.value)} does not exist: {defined} (0 means "
                "zero payoffs)",
                token.line,
            )
        if index > 0:
            table[0][k], table[1][k] = outcomes[index - 1]
    return table


def _read_payoff_table(lexer: _Lexer, shape: tuple[int, int]) -> ExactTable:
    """Read the flat payoff list: two numbers per cell, first player's strategy fastest."""
    m, n = shape
    needed = 2 * m * n
    tokens: list[_Token] = []
    while lexer.peek().kind == "number":
        tokens.append(lexer.next())
    extra = lexer.peek()
    if extra.kind != "eof":
        raise lexer.error(
            f"expected a payoff number or the end of the file, found {_describe(extra)}",
            extra.line,
        )
    if len(tokens) != needed:
        raise lexer.error(
            f"the payoff list has {_plural(len(tokens), 'number')}, but a {m} x {n} game needs "
            f"{needed} (two per cell: the row player's payoff, then the column player's)"
        )
    values = [_to_exact(lexer, token) for token in tokens]
    return [values[0::2], values[1::2]]


def _unflatten(
    flat: list[Fraction], shape: tuple[int, int]
) -> tuple[np.ndarray, tuple[tuple[Fraction, ...], ...]]:
    """One player's payoffs, listed with the first player's strategy fastest, as a matrix:
    a read-only float64 array and the exact rows."""
    m, n = shape
    # Cell k is (row k % m, column k // m).
    exact = tuple(tuple(flat[i + m * j] for j in range(n)) for i in range(m))
    array = np.array([[float(v) for v in row] for row in exact], dtype=np.float64).reshape(m, n)
    array.setflags(write=False)
    return array, exact


def parse_nfg(text: str, source_name: str) -> NfgGame:
    """Parse the text of a two-player Gambit strategic-form (``.nfg``) game file.

    Reads both variants of the format as documented by Gambit ("The strategic game (.nfg) file
    format, payoff version" and "... outcome version", Gambit documentation, "Game
    representation formats"): a flat payoff list in which the first player's strategy changes
    fastest, or an outcome list followed by one outcome number per cell (``0``: zero payoffs).

    Parameters
    ----------
    text
        The whole file content.
    source_name
        Name of the file used in error messages (for example ``"game.nfg"``).

    Returns
    -------
    NfgGame
        Title, player and strategy names, payoff matrices ``A`` (row player) and ``B`` (column
        player) of shape ``(m, n)``, and the comment.

    Raises
    ------
    ScenarioError
        If the text is not a valid ``.nfg`` game, has other than two players, or has the wrong
        number of payoffs or outcome numbers; the one-line message names the file and, where
        known, the line (``game.nfg:3: ...``).
    """
    lexer = _Lexer(text, source_name)
    title = _read_header(lexer)
    player_names = _read_players(lexer)
    shape, raw_names = _read_strategies(lexer, player_names)
    comment = ""
    if lexer.peek().kind == "text":
        comment = lexer.next().value
    body = lexer.peek()
    if body.kind == "{":
        table = _read_outcome_table(lexer, shape)
    elif body.kind == "number":
        table = _read_payoff_table(lexer, shape)
    elif body.kind == "eof":
        raise lexer.error(
            "the file ends before the payoffs: expected a list of payoffs or of outcomes",
            body.line,
        )
    else:
        raise lexer.error(
            f"expected the payoffs (numbers) or a list of outcomes ('{{'), found {_describe(body)}",
            body.line,
        )
    m, n = shape
    A, A_exact = _unflatten(table[0], shape)
    B, B_exact = _unflatten(table[1], shape)
    if raw_names is None:
        raw_names = [[str(i + 1) for i in range(m)], [str(j + 1) for j in range(n)]]
    strategy_names = (
        _unique_names(raw_names[0], [str(i + 1) for i in range(m)]),
        _unique_names(raw_names[1], [str(j + 1) for j in range(n)]),
    )
    return NfgGame(
        title=title,
        player_names=player_names,
        strategy_names=strategy_names,
        A=A,
        B=B,
        comment=comment,
        A_exact=A_exact,
        B_exact=B_exact,
    )


def read_nfg(path: str | Path) -> NfgGame:
    """Read a two-player Gambit strategic-form (``.nfg``) game file.

    See :func:`parse_nfg` for the format (Gambit documentation, "The strategic game (.nfg)
    file format").

    Parameters
    ----------
    path
        Path of the ``.nfg`` file. Messages about reading the file name the path as given;
        messages about its content name the file (``game.nfg:3: ...``), like the scenario
        loader's.

    Returns
    -------
    NfgGame
        The game.

    Raises
    ------
    InputFileError
        If the file is missing, is a folder, cannot be read or is not UTF-8 text.
    ScenarioError
        If the file is not a valid two-player ``.nfg`` game (see :func:`parse_nfg`).
    """
    path = Path(path)
    data = read_input_bytes(path, "a .nfg file")
    return parse_nfg(decode_text(path.name, data), path.name)
