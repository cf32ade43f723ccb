"""The ordinal type of a 2x2 game on the Robinson-Goforth topology of the strict ordinal games.

Arrays in, dataclasses or arrays out; nothing here knows about scenarios. ``A`` holds the row
player's payoffs and ``B`` the column player's, both of shape ``(2, 2)`` (a stack: ``(K, 2, 2)``).

Algorithm
---------
1. **Ranks.** Each player's four payoffs become ranks, 1 for the worst and 4 for the best. Only
   the order matters, so positive affine maps of a player's payoffs change nothing. Integers and
   :class:`fractions.Fraction` are compared exactly; floats count as equal when they differ by at
   most ``tol`` times the spread of that player's payoffs, as in :mod:`sim.solver.analysis`.
2. **Orientation.** Strategies are relabelled so that the row player's best outcome lies in the
   right column and the column player's best outcome in the top row: the orientation by highest
   payoffs with which Robinson and Goforth (2005) and Bruns (2015, section 4) place every game in
   one cell of their table. It is unique, since relabelling rows moves only the column player's
   best outcome between rows and relabelling columns only the row player's between columns.
3. **Patterns.** The oriented row-player ranks are one of 12 matrices with the 4 in the right
   column; the column player's ranks reflected in the anti-diagonal are too. The 12 are exactly
   the row-player payoffs of the 12 symmetric games, which Bruns (2015) uses as coordinates:
   a game is the cell (row pattern, column pattern), 12 x 12 = 144 cells (Robinson and Goforth
   2005). Swapping the players maps cell (X, Y) to (Y, X), so the unordered pair is the game's
   type: 12 symmetric plus 66 asymmetric = 78 types, Rapoport and Guyer's (1966) count.
4. **Ties.** A game with equal payoffs for a player is not strict: it lies between the strict
   types that breaking its ties either way gives, which is what a sweep boundary is.

Patterns are numbered in the order of the topology: each half of the list is one hexagon of
Robinson and Goforth's table, walked by alternately swapping a player's ranks 1-2 and 2-3, so
neighbouring numbers are neighbouring games; the second hexagon starts at the first one's
neighbour by the 3-4 swap (the Prisoner's Dilemma and the Stag Hunt). Type codes 0-11 are the
symmetric types in pattern order, 12-77 the pairs (X, Y) with X < Y in lexicographic order; cell
codes are ``12 * row pattern + column pattern``.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sim.games.ordinal_names import (
    HYBRID_NAMES,
    SYMMETRIC_NAMES,
    TIED_GAMES,
    TypeFacts,
    between_name,
    describe_between,
    describe_type,
    hybrid_name,
    parse_ranking,
)
from sim.solver.analysis import DEFAULT_TOL

__all__ = [
    "DECISIVE_PAIRS",
    "GAME_TYPES",
    "PATTERNS",
    "GameFacts",
    "GameType",
    "Neighbour",
    "OrdinalClassification",
    "OrdinalStack",
    "PayoffPattern",
    "cell_facts",
    "cell_patterns",
    "classify",
    "classify_stack",
    "decisive_differences",
    "type_of_cell",
]

Cell = tuple[int, int]
RankMatrix = tuple[tuple[int, int], tuple[int, int]]
Number = float | Fraction

CELLS: tuple[Cell, ...] = ((0, 0), (0, 1), (1, 0), (1, 1))
_CELL_PAIRS: tuple[tuple[int, int], ...] = tuple(itertools.combinations(range(4), 2))
#: What each of the 12 columns of :func:`decisive_differences` compares: (player, cell, cell);
#: the column holds that player's payoff in the first cell minus its payoff in the second.
DECISIVE_PAIRS: tuple[tuple[str, Cell, Cell], ...] = tuple(
    (player, CELLS[i], CELLS[j]) for player in ("row", "column") for i, j in _CELL_PAIRS
)


def _matrix(flat: Sequence[int]) -> RankMatrix:
    return ((flat[0], flat[1]), (flat[2], flat[3]))


def _flat(matrix: RankMatrix) -> tuple[int, int, int, int]:
    return (matrix[0][0], matrix[0][1], matrix[1][0], matrix[1][1])


def _reflect(matrix: RankMatrix) -> RankMatrix:
    """Reflection in the anti-diagonal (an involution): the column player seen as a row player."""
    return ((matrix[1][1], matrix[0][1]), (matrix[1][0], matrix[0][0]))


def _transpose(matrix: RankMatrix) -> RankMatrix:
    return ((matrix[0][0], matrix[1][0]), (matrix[0][1], matrix[1][1]))


def _swap_rows(matrix: RankMatrix) -> RankMatrix:
    return (matrix[1], matrix[0])


def _swap_columns(matrix: RankMatrix) -> RankMatrix:
    return ((matrix[0][1], matrix[0][0]), (matrix[1][1], matrix[1][0]))


def _swap_ranks(matrix: RankMatrix, low: int) -> RankMatrix:
    """Exchange the ranks ``low`` and ``low + 1`` (Robinson and Goforth's swap operator)."""
    swapped = {low: low + 1, low + 1: low}
    return _matrix([swapped.get(rank, rank) for rank in _flat(matrix)])


def _patterns_of(row: RankMatrix, column: RankMatrix) -> tuple[RankMatrix, RankMatrix]:
    """Orient a strict game (step 2) and return its (row pattern, column pattern) (step 3)."""
    if 4 in (row[0][0], row[1][0]):  # the row player's best outcome is in the left column
        row, column = _swap_columns(row), _swap_columns(column)
    if 4 in column[1]:  # the column player's best outcome is in the bottom row
        row, column = _swap_rows(row), _swap_rows(column)
    return row, _reflect(column)


def _symmetric_game(ranking: str) -> tuple[RankMatrix, RankMatrix]:
    """The symmetric game whose outcomes both players rank as ``ranking`` (row player first)."""
    rank = parse_ranking(ranking)
    row = ((rank["CC"], rank["CD"]), (rank["DC"], rank["DD"]))
    return row, _transpose(row)


def _hexagon(start: RankMatrix) -> list[RankMatrix]:
    walk = [start]
    for step in range(5):
        walk.append(_swap_ranks(walk[-1], 1 + step % 2))
    return walk


@dataclass(frozen=True)
class PayoffPattern:
    """One player's payoff pattern: the payoffs of the row player of one symmetric game."""

    index: int
    name: str
    aliases: tuple[str, ...]
    ranking: str  # the symmetric game's ranking of CC, CD, DC, DD, best first (Oye 1985)
    sources: tuple[str, ...]  # empty: a descriptive name coined by tradegame
    matrix: RankMatrix  # oriented row-player ranks, 4 in the right column


@dataclass(frozen=True)
class GameFacts:
    """Pure-strategy facts of one game in its own strategy order (ties allowed)."""

    dominant: tuple[int | None, int | None]  # each side's strictly dominant strategy, if any
    pure_equilibria: tuple[Cell, ...]  # cells where both play a best reply
    pareto_inferior: tuple[bool, ...]  # per pure equilibrium: another outcome is better for both


@dataclass(frozen=True)
class GameType:
    """One of the 78 strict ordinal 2x2 game types (the 144 cells up to swapping the players)."""

    code: int
    patterns: tuple[int, int]  # pattern indexes, lower first; equal for a symmetric type
    name: str
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    example: tuple[RankMatrix, RankMatrix]  # ranks of cell patterns[0] x patterns[1], oriented
    facts: TypeFacts
    description: str

    @property
    def symmetric(self) -> bool:
        return self.patterns[0] == self.patterns[1]


@dataclass(frozen=True)
class Neighbour:
    """The type reached by swapping two adjacent ranks of one player (Robinson and Goforth)."""

    player: str  # "row" or "column"
    ranks: tuple[int, int]  # the swapped ranks, e.g. (3, 4)
    type_code: int
    name: str


def _game_facts(row: RankMatrix, column: RankMatrix) -> GameFacts:
    """Dominance, pure equilibria and Pareto inferiority from ranks (ties: equal ranks)."""
    dominant_row = next((i for i in (0, 1) if all(row[i][j] > row[1 - i][j] for j in (0, 1))), None)
    dominant_column = next(
        (j for j in (0, 1) if all(column[i][j] > column[i][1 - j] for i in (0, 1))), None
    )
    equilibria = tuple(
        (i, j) for i, j in CELLS if row[i][j] >= row[1 - i][j] and column[i][j] >= column[i][1 - j]
    )
    inferior = tuple(
        any(
            row[k][m] >= row[i][j]
            and column[k][m] >= column[i][j]
            and (row[k][m], column[k][m]) != (row[i][j], column[i][j])
            for k, m in CELLS
        )
        for i, j in equilibria
    )
    return GameFacts((dominant_row, dominant_column), equilibria, inferior)


def _type_facts(row: RankMatrix, column: RankMatrix) -> TypeFacts:
    """Invariant facts of a strict game; ``row`` is the side with the first pattern."""
    facts = _game_facts(row, column)
    pairs = [(row[i][j], column[i][j]) for i, j in facts.pure_equilibria]
    same_favourite: bool | None = None
    risks_worst: bool | None = None
    if len(pairs) == 2:
        (r1, c1), (r2, c2) = pairs
        same_favourite = (r1 > r2) == (c1 > c2)
        if same_favourite:
            i, j = facts.pure_equilibria[0 if r1 > r2 else 1]
            risks_worst = row[i][1 - j] == 1 or column[1 - i][j] == 1
    return TypeFacts(
        dominant_strategies=sum(choice is not None for choice in facts.dominant),
        equilibrium_ranks=tuple(sorted(pairs)),
        pareto_inferior_equilibria=sum(facts.pareto_inferior),
        best_for_both=(4, 4) in pairs,
        worst_for_both=any(row[i][j] == column[i][j] == 1 for i, j in CELLS),
        same_favourite=same_favourite,
        favourite_risks_worst=risks_worst,
        equilibrium_floor=min((min(pair) for pair in pairs), default=None),
        # In a strict 2x2 game a player can be kept indifferent exactly when the other player
        # has no dominant strategy.
        mixed_equilibrium=all(choice is None for choice in facts.dominant),
    )


def _build_patterns() -> tuple[PayoffPattern, ...]:
    by_matrix: dict[RankMatrix, int] = {}
    for position, entry in enumerate(SYMMETRIC_NAMES):
        row_pattern, column_pattern = _patterns_of(*_symmetric_game(entry.ranking))
        if row_pattern != column_pattern or row_pattern in by_matrix:
            raise AssertionError(f"{entry.name}: not a distinct symmetric pattern")
        by_matrix[row_pattern] = position
    first = _symmetric_game(SYMMETRIC_NAMES[0].ranking)  # the Prisoner's Dilemma
    start = _patterns_of(*first)[0]
    order = _hexagon(start) + _hexagon(_swap_ranks(start, 3))
    if sorted(order) != sorted(by_matrix):
        raise AssertionError("the two hexagons do not cover the twelve symmetric patterns")
    patterns = []
    for index, matrix in enumerate(order):
        entry = SYMMETRIC_NAMES[by_matrix[matrix]]
        patterns.append(
            PayoffPattern(index, entry.name, entry.aliases, entry.ranking, entry.sources, matrix)
        )
    return tuple(patterns)


#: The 12 payoff patterns in topology order (see the module docstring).
PATTERNS: tuple[PayoffPattern, ...] = _build_patterns()
_PATTERN_INDEX: dict[RankMatrix, int] = {pattern.matrix: pattern.index for pattern in PATTERNS}


def _cell_game(row_pattern: int, column_pattern: int) -> tuple[RankMatrix, RankMatrix]:
    """The oriented ranks of the cell (row pattern, column pattern)."""
    return PATTERNS[row_pattern].matrix, _reflect(PATTERNS[column_pattern].matrix)


def _build_types() -> tuple[GameType, ...]:
    named = {
        frozenset((entry.first, entry.second)): entry for entry in HYBRID_NAMES
    }  # Snyder and Diesing's names, keyed by the two symmetric games
    pairs = [(x, x) for x in range(12)] + list(itertools.combinations(range(12), 2))
    types = []
    for code, (x, y) in enumerate(pairs):
        example = _cell_game(x, y)
        facts = _type_facts(*example)
        first, second = PATTERNS[x], PATTERNS[y]
        if x == y:
            name, aliases, sources = first.name, first.aliases, first.sources
        elif (entry := named.get(frozenset((first.name, second.name)))) is not None:
            name, aliases = entry.name, (hybrid_name(first.name, second.name),)
            sources = entry.sources
        else:
            name, aliases, sources = hybrid_name(first.name, second.name), (), ()
        types.append(
            GameType(code, (x, y), name, aliases, sources, example, facts, describe_type(facts))
        )
    return tuple(types)


#: The 78 game types by code.
GAME_TYPES: tuple[GameType, ...] = _build_types()
_TYPE_OF_PAIR: dict[tuple[int, int], int] = {t.patterns: t.code for t in GAME_TYPES}
#: Type code of each cell code.
_CELL_TYPE = np.array(
    [_TYPE_OF_PAIR[(min(x, y), max(x, y))] for x in range(12) for y in range(12)], dtype=np.int64
)


def _rank_key(matrix: RankMatrix) -> int:
    return sum((rank - 1) * 4**position for position, rank in enumerate(_flat(matrix)))


def _build_lookup() -> np.ndarray:
    """Cell code of every strict pair of rank matrices, by ``256 * row key + column key``."""
    lookup = np.full(256 * 256, -1, dtype=np.int64)
    for row_flat, column_flat in itertools.product(itertools.permutations(range(1, 5)), repeat=2):
        row, column = _matrix(row_flat), _matrix(column_flat)
        x, y = (_PATTERN_INDEX[p] for p in _patterns_of(row, column))
        lookup[256 * _rank_key(row) + _rank_key(column)] = 12 * x + y
    return lookup


_CELL_LOOKUP = _build_lookup()


def cell_patterns(cell_code: int) -> tuple[int, int]:
    """(row player's pattern, column player's pattern) of a cell code."""
    return divmod(int(cell_code), 12)


def cell_facts(cell_code: int) -> GameFacts:
    """Pure-strategy facts of cell ``cell_code``'s game, the first pattern's side as rows."""
    return _game_facts(*_cell_game(*cell_patterns(cell_code)))


def type_of_cell(cell_code: int) -> GameType:
    """The game type of cell ``cell_code`` (0-143) of the table."""
    return GAME_TYPES[int(_CELL_TYPE[cell_code])]


def _strict_cell(row: RankMatrix, column: RankMatrix) -> int:
    return int(_CELL_LOOKUP[256 * _rank_key(row) + _rank_key(column)])


def _symmetries(row: RankMatrix, column: RankMatrix) -> Iterator[tuple[RankMatrix, RankMatrix]]:
    """The game under all 8 relabellings of strategies and players."""
    for swap_players in (False, True):
        r, c = (_transpose(column), _transpose(row)) if swap_players else (row, column)
        for flip_rows, flip_columns in itertools.product((False, True), repeat=2):
            rr, cc = r, c
            if flip_rows:
                rr, cc = _swap_rows(rr), _swap_rows(cc)
            if flip_columns:
                rr, cc = _swap_columns(rr), _swap_columns(cc)
            yield rr, cc


def _canonical_key(row: RankMatrix, column: RankMatrix) -> tuple[int, ...]:
    return min(_flat(r) + _flat(c) for r, c in _symmetries(row, column))


def _as_values(M: object, label: str) -> tuple[list[Number], bool]:
    """The four payoffs of a 2x2 matrix and whether they are all exact (int or Fraction)."""
    array = np.asarray(M, dtype=object)
    if array.shape != (2, 2):
        raise ValueError(f"{label} must be a 2x2 payoff matrix, got shape {array.shape}")
    items = list(array.flat)
    if all(isinstance(v, numbers.Rational) for v in items):
        return [v if isinstance(v, Fraction) else Fraction(int(v)) for v in items], True
    floats = [float(v) for v in items]
    if not all(np.isfinite(floats)):
        raise ValueError(f"{label}: payoffs must be finite numbers")
    return list(floats), False


def _threshold(values: Sequence[Number], tol: float, exact: bool) -> Number:
    """Largest difference that counts as a tie (the solver's rule for floats; 0 when exact)."""
    if exact:
        return Fraction(0)
    low, high = float(min(values)), float(max(values))
    magnitude = max(abs(low), abs(high))
    scale = high - low if high > low else (magnitude if magnitude > 0 else 1.0)
    return tol * scale


def _dense_ranks(values: Sequence[Number], threshold: Number) -> RankMatrix:
    """Ranks 1 (worst) upwards; values within ``threshold`` of their neighbour share a rank."""
    order = sorted(range(4), key=lambda c: values[c])
    ranks = [0, 0, 0, 0]
    rank = 1
    for position, cell in enumerate(order):
        if position and values[cell] - values[order[position - 1]] > threshold:
            rank += 1
        ranks[cell] = rank
    return _matrix(ranks)


def _tie_breaks(matrix: RankMatrix) -> Iterator[RankMatrix]:
    """Every strict ranking that refines ``matrix`` (breaks each tie both ways)."""
    flat = _flat(matrix)
    groups = [[c for c in range(4) if flat[c] == rank] for rank in sorted(set(flat))]
    for orders in itertools.product(*(itertools.permutations(group) for group in groups)):
        strict = [0, 0, 0, 0]
        for rank, cell in enumerate(itertools.chain.from_iterable(orders), start=1):
            strict[cell] = rank
        yield _matrix(strict)


def _build_tied_names() -> dict[tuple[int, ...], int]:
    names = {}
    for index, game in enumerate(TIED_GAMES):
        row = _dense_ranks(list(itertools.chain(*game.row_payoffs)), Fraction(0))
        column = _dense_ranks(list(itertools.chain(*game.column_payoffs)), Fraction(0))
        names[_canonical_key(row, column)] = index
    return names


_TIED_NAMES = _build_tied_names()


@dataclass(frozen=True)
class OrdinalClassification:
    """The ordinal type of one 2x2 game: structured facts, each recomputable from the game.

    For a strict game ``type_code`` and ``cell_code`` are set and ``between`` is empty; for a
    game with ties they are None and ``between`` lists the strict types it separates.
    ``row_pattern`` and ``column_pattern`` say whose payoffs each player has (Bruns' coordinates):
    swapping the players swaps them and moves the game to the mirror cell of the same type.
    """

    name: str
    aliases: tuple[str, ...]
    strict: bool
    between: tuple[str, ...]
    between_codes: tuple[int, ...]
    description: str
    type_code: int | None
    cell_code: int | None
    symmetric: bool | None
    row_pattern: str | None
    column_pattern: str | None
    row_ranks: RankMatrix  # 1 = worst; equal payoffs share a rank
    column_ranks: RankMatrix
    facts: GameFacts
    neighbours: tuple[Neighbour, ...]
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """Plain JSON types; ``name``, ``aliases``, ``strict`` and ``between`` come first."""
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "strict": self.strict,
            "between": list(self.between),
            "description": self.description,
            "type_code": self.type_code,
            "cell_code": self.cell_code,
            "symmetric": self.symmetric,
            "row_pattern": self.row_pattern,
            "column_pattern": self.column_pattern,
            "ranks": {
                "row": [list(r) for r in self.row_ranks],
                "column": [list(r) for r in self.column_ranks],
            },
            "dominant": list(self.facts.dominant),
            "pure_equilibria": [list(cell) for cell in self.facts.pure_equilibria],
            "pareto_inferior": list(self.facts.pareto_inferior),
            "neighbours": [
                {"player": n.player, "ranks": list(n.ranks), "name": n.name}
                for n in self.neighbours
            ],
            "sources": list(self.sources),
        }


def _neighbours(row: RankMatrix, column: RankMatrix) -> tuple[Neighbour, ...]:
    found = []
    for player in ("row", "column"):
        for low in (1, 2, 3):
            if player == "row":
                cell = _strict_cell(_swap_ranks(row, low), column)
            else:
                cell = _strict_cell(row, _swap_ranks(column, low))
            code = int(_CELL_TYPE[cell])
            found.append(Neighbour(player, (low, low + 1), code, GAME_TYPES[code].name))
    return tuple(found)


def classify(A: object, B: object, *, tol: float = DEFAULT_TOL) -> OrdinalClassification:
    """Classify a 2x2 bimatrix game on the topology of the strict ordinal 2x2 games.

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, 2x2: numpy arrays or nested sequences of
        numbers. When every payoff is an integer or a :class:`fractions.Fraction` the ranks are
        exact; otherwise payoffs are floats and ``tol`` applies.
    tol
        Relative tie tolerance for float payoffs (times the spread of that player's payoffs,
        the rule of :mod:`sim.solver.analysis`); ``0`` compares floats exactly.

    Returns
    -------
    OrdinalClassification
        Name, aliases, strictness, the types a tied game lies between, and the facts behind
        them. The method is the one in the module docstring (Robinson and Goforth 2005; Bruns
        2015).
    """
    row_values, row_exact = _as_values(A, "A")
    column_values, column_exact = _as_values(B, "B")
    row_ranks = _dense_ranks(row_values, _threshold(row_values, tol, row_exact))
    column_ranks = _dense_ranks(column_values, _threshold(column_values, tol, column_exact))
    facts = _game_facts(row_ranks, column_ranks)
    if max(_flat(row_ranks)) == 4 and max(_flat(column_ranks)) == 4:
        cell = _strict_cell(row_ranks, column_ranks)
        game_type = GAME_TYPES[int(_CELL_TYPE[cell])]
        x, y = cell_patterns(cell)
        return OrdinalClassification(
            name=game_type.name,
            aliases=game_type.aliases,
            strict=True,
            between=(),
            between_codes=(),
            description=game_type.description,
            type_code=game_type.code,
            cell_code=cell,
            symmetric=game_type.symmetric,
            row_pattern=PATTERNS[x].name,
            column_pattern=PATTERNS[y].name,
            row_ranks=row_ranks,
            column_ranks=column_ranks,
            facts=facts,
            neighbours=_neighbours(row_ranks, column_ranks),
            sources=game_type.sources,
        )
    codes = sorted(
        {
            int(_CELL_TYPE[_strict_cell(row, column)])
            for row in _tie_breaks(row_ranks)
            for column in _tie_breaks(column_ranks)
        }
    )
    between = tuple(GAME_TYPES[code].name for code in codes)
    tied = _TIED_NAMES.get(_canonical_key(row_ranks, column_ranks))
    if tied is not None:
        name, aliases = TIED_GAMES[tied].name, TIED_GAMES[tied].aliases
        sources = TIED_GAMES[tied].sources
    else:
        name, aliases, sources = between_name(between), (), ()
    return OrdinalClassification(
        name=name,
        aliases=aliases,
        strict=False,
        between=between,
        between_codes=tuple(codes),
        description=describe_between(between),
        type_code=None,
        cell_code=None,
        symmetric=None,
        row_pattern=None,
        column_pattern=None,
        row_ranks=row_ranks,
        column_ranks=column_ranks,
        facts=facts,
        neighbours=(),
        sources=sources,
    )


@dataclass(frozen=True)
class OrdinalStack:
    """Ordinal types of a stack of K games (arrays, for sweeps).

    ``type_code`` is the label that does not change when players are swapped; ``cell_code`` also
    says which player has which pattern, so it changes when the sides trade roles (the natural
    regime label within one scenario). Both are -1 where the game has ties (``strict`` False).
    A boundary lies where a column of ``decisive`` changes sign: bisect on that difference.
    """

    type_code: np.ndarray  # (K,) int64, 0..77 or -1
    cell_code: np.ndarray  # (K,) int64, 0..143 or -1
    strict: np.ndarray  # (K,) bool
    decisive: np.ndarray  # (K, 12) float64, see DECISIVE_PAIRS
    tie_threshold: np.ndarray  # (K, 2) float64: |difference| at most this is a tie, per player


def _as_stack(M: object, label: str) -> np.ndarray:
    array = np.asarray(M, dtype=np.float64)
    if array.ndim != 3 or array.shape[1:] != (2, 2):
        raise ValueError(
            f"{label} must be a stack of 2x2 payoff matrices (K, 2, 2), got {array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{label}: payoffs must be finite numbers")
    return array.reshape(array.shape[0], 4)


_FIRST = np.array([i for i, _ in _CELL_PAIRS])
_SECOND = np.array([j for _, j in _CELL_PAIRS])


def decisive_differences(A: object, B: object) -> np.ndarray:
    """The 12 payoff differences whose signs fix the ordinal type: shape ``(K, 12)``.

    Columns 0-5 are the row player's, 6-11 the column player's, one per pair of cells, in the
    order of :data:`DECISIVE_PAIRS`. Each is computed by one float subtraction, whose sign is the
    sign of the exact difference of the two float payoffs.
    """
    row, column = _as_stack(A, "A"), _as_stack(B, "B")
    if row.shape != column.shape:
        raise ValueError(f"A and B must have the same shape, got {row.shape} and {column.shape}")
    return np.hstack([row[:, _FIRST] - row[:, _SECOND], column[:, _FIRST] - column[:, _SECOND]])


def _stack_threshold(flat: np.ndarray, tol: float) -> np.ndarray:
    low, high = flat.min(axis=1), flat.max(axis=1)
    magnitude = np.maximum(np.abs(low), np.abs(high))
    scale = np.where(high > low, high - low, np.where(magnitude > 0, magnitude, 1.0))
    return tol * scale


#: For each cell, the pairs (indexes into _CELL_PAIRS) where it comes first and second.
_PAIRS_OF_CELL = [
    (
        [k for k, (i, _) in enumerate(_CELL_PAIRS) if i == cell],
        [k for k, (_, j) in enumerate(_CELL_PAIRS) if j == cell],
    )
    for cell in range(4)
]


def classify_stack(A: object, B: object, *, tol: float = DEFAULT_TOL) -> OrdinalStack:
    """Vectorised :func:`classify` for a stack of games ``A, B`` of shape ``(K, 2, 2)``.

    Same tie rule and codes as :func:`classify` for float payoffs (no Python loop over K): ranks
    come from the signs of :func:`decisive_differences`, and a lookup table built from the
    point algorithm maps the pair of rank matrices to its cell.
    """
    decisive = decisive_differences(A, B)
    row, column = _as_stack(A, "A"), _as_stack(B, "B")
    threshold = np.stack([_stack_threshold(row, tol), _stack_threshold(column, tol)], axis=1)
    per_player = decisive.reshape(-1, 2, 6)
    limit = threshold[:, :, None]
    first_wins = (per_player > limit).astype(np.int16)  # (K, 2, 6), pairs as in _CELL_PAIRS
    second_wins = (per_player < -limit).astype(np.int16)
    strict = np.all((first_wins | second_wins).astype(bool), axis=(1, 2))
    key = np.zeros(first_wins.shape[:2], dtype=np.int64)
    for position, (as_first, as_second) in enumerate(_PAIRS_OF_CELL):
        # How many cells this one beats (its rank minus 1), over the pairs that contain it.
        beaten = first_wins[:, :, as_first].sum(axis=2) + second_wins[:, :, as_second].sum(axis=2)
        key += 4**position * beaten.astype(np.int64)
    cell = np.where(strict, _CELL_LOOKUP[256 * key[:, 0] + key[:, 1]], -1)
    type_code = np.where(strict, _CELL_TYPE[np.maximum(cell, 0)], -1)
    return OrdinalStack(type_code, cell, strict, decisive, threshold)
