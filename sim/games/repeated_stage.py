"""The stage game of the repeated-game core: reading payoffs, stage equilibria, punishments.

Payoffs are read as exact :class:`fractions.Fraction` values when every entry is an integer or a
Fraction, and as floats otherwise; every later step keeps that type. Stage equilibria come from
the project's solver: the exact enumerator for rational payoffs, the float one otherwise (both
find every extreme equilibrium, degenerate games included; von Stengel 2007; Avis et al. 2010).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sim.games.repeated_results import PunishmentFacts
from sim.games.repeated_types import (
    Punishment,
    PunishmentCell,
    PunishmentProfile,
    RepeatedGameError,
    Scalar,
    TitForTat,
    WorstEquilibrium,
    to_scalar,
)

Matrix = tuple[tuple[Scalar, ...], ...]
Mixed = tuple[Scalar, ...]

#: Relative tolerance of best-reply comparisons on float payoffs (the solver's default).
FLOAT_TOL = 1e-9


@dataclass(frozen=True)
class StageGame:
    """A stage game read for the repeated-game core.

    Attributes
    ----------
    A, B
        Row and column payoffs, ``m x n`` tuples of Fractions (``exact``) or floats.
    exact
        Every payoff was rational.
    """

    A: Matrix
    B: Matrix
    exact: bool

    @property
    def shape(self) -> tuple[int, int]:
        """``(m, n)``."""
        return len(self.A), len(self.A[0])

    def payoff(self, player: int) -> Matrix:
        """The payoff matrix of ``player`` (0 row, 1 column)."""
        return self.A if player == 0 else self.B

    def entry(self, player: int, row: int, col: int) -> Scalar:
        """``player``'s payoff in cell ``(row, col)``."""
        return self.payoff(player)[row][col]

    def against(self, player: int, other: Mixed) -> list[Scalar]:
        """``player``'s payoff from each of its strategies against the other's mix ``other``."""
        m, n = self.shape
        zero = self.zero
        if player == 0:
            return [
                sum((self.A[i][j] * other[j] for j in range(n) if other[j]), zero) for i in range(m)
            ]
        return [
            sum((self.B[i][j] * other[i] for i in range(m) if other[i]), zero) for j in range(n)
        ]

    def expected(self, player: int, row: Mixed, col: Mixed) -> Scalar:
        """``player``'s expected payoff when the players mix ``row`` and ``col``."""
        values = self.against(0, col) if player == 0 else self.against(1, row)
        own = row if player == 0 else col
        return sum((p * v for p, v in zip(own, values, strict=True) if p), self.zero)

    @property
    def zero(self) -> Scalar:
        """Zero of the payoffs' number type."""
        return Fraction(0) if self.exact else 0.0

    @property
    def one(self) -> Scalar:
        """One of the payoffs' number type."""
        return Fraction(1) if self.exact else 1.0

    def pure(self, player: int, index: int) -> Mixed:
        """The mixed strategy that plays ``index`` for sure."""
        size = self.shape[player]
        return tuple(self.one if k == index else self.zero for k in range(size))

    def tolerance(self, player: int) -> Scalar:
        """Tie tolerance of ``player``'s best-reply comparisons: 0 for exact payoffs."""
        if self.exact:
            return Fraction(0)
        values = [v for row in self.payoff(player) for v in row]
        return FLOAT_TOL * (1.0 + float(max(values)) - float(min(values)))

    def is_equilibrium(self, row: Mixed, col: Mixed) -> bool:
        """Each mix is a best reply to the other (exactly, or within :meth:`tolerance`)."""
        for player, own, other in ((0, row, col), (1, col, row)):
            values = self.against(player, other)
            best = max(values)
            tol = self.tolerance(player)
            if any(p > 0 and values[k] < best - tol for k, p in enumerate(own)):
                return False
        return True


def read_game(A: object, B: object) -> StageGame:
    """Read payoff tables (numpy arrays or nested sequences) for the repeated-game core.

    Raises
    ------
    RepeatedGameError
        The tables are not two ``m x n`` tables of finite numbers with ``m, n >= 2``.
    """
    rows_a, rows_b = _rows(A, "A"), _rows(B, "B")
    m, n = len(rows_a), len(rows_a[0])
    if len(rows_b) != m or any(len(r) != n for r in (*rows_a, *rows_b)):
        raise RepeatedGameError(
            "payoffs", "the two payoff tables must both be m x n, one entry per cell"
        )
    if m < 2 or n < 2:
        raise RepeatedGameError(
            "payoffs", "each player needs at least two strategies for a deal to be kept or broken"
        )
    cells = [v for row in (*rows_a, *rows_b) for v in row]
    exact = all(_is_rational(v) for v in cells)
    convert = _as_fraction if exact else _as_float
    return StageGame(
        A=tuple(tuple(convert(v) for v in row) for row in rows_a),
        B=tuple(tuple(convert(v) for v in row) for row in rows_b),
        exact=exact,
    )


def _rows(M: object, name: str) -> list[list[object]]:
    table = np.asarray(M, dtype=object)
    if table.ndim != 2 or table.shape[0] == 0 or table.shape[1] == 0:
        raise RepeatedGameError("payoffs", f"{name} must be a table with rows and columns")
    rows = [list(r) for r in table]
    for row in rows:
        for v in row:
            if isinstance(v, bool | np.bool_) or not isinstance(
                v, int | float | Fraction | np.integer | np.floating
            ):
                raise RepeatedGameError("payoffs", f"{v!r} in {name} is not a number")
            if not math.isfinite(float(v)):
                raise RepeatedGameError("payoffs", f"{name} has a payoff that is not finite")
    return rows


def _is_rational(value: object) -> bool:
    return isinstance(value, int | Fraction | np.integer) and not isinstance(value, bool)


def _as_fraction(value: object) -> Scalar:
    return to_scalar(value)


def _as_float(value: object) -> Scalar:
    return float(to_scalar(value))


@dataclass(frozen=True)
class StageEquilibrium:
    """One extreme equilibrium of the stage game, in the payoffs' number type."""

    row: Mixed
    col: Mixed
    payoffs: tuple[Scalar, Scalar]


def stage_equilibria(game: StageGame) -> tuple[StageEquilibrium, ...]:
    """Every extreme stage equilibrium, in the solver's order (exact for exact payoffs)."""
    if game.exact:
        # The exact counterpart of solve_game; one line to change if the facade gains exact=True.
        from sim.solver.exact import solve_game_exact

        solution = solve_game_exact(game.A, game.B)
        return tuple(
            StageEquilibrium(e.exact_row, e.exact_col, e.exact_payoffs)  # type: ignore[arg-type]
            for e in solution.equilibria
        )
    from sim.solver import solve_game

    solution = solve_game(np.asarray(game.A, dtype=float), np.asarray(game.B, dtype=float))
    return tuple(
        StageEquilibrium(tuple(float(p) for p in e.row), tuple(float(q) for q in e.col), e.payoffs)
        for e in solution.equilibria
    )


def resolve_punishment(
    spec: Punishment,
    deviator: int,
    game: StageGame,
    equilibria: Sequence[StageEquilibrium] | None,
) -> PunishmentFacts:
    """The punishment of a deviation by ``deviator`` as facts (see :class:`PunishmentFacts`).

    ``WorstEquilibrium`` takes the extreme equilibrium with the lowest payoff for the deviator
    (the first in the solver's order on a tie); ``equilibria`` must then be given.

    Raises
    ------
    RepeatedGameError
        A cell or profile does not fit the game, or a mixed profile is not a stage equilibrium.
    """
    option = f"punishment[{deviator}]"
    if isinstance(spec, WorstEquilibrium):
        if not equilibria:
            raise ValueError("the worst-equilibrium punishment needs the stage equilibria")
        worst = min(range(len(equilibria)), key=lambda e: equilibria[e].payoffs[deviator])
        eq = equilibria[worst]
        return PunishmentFacts(deviator, "worst_equilibrium", eq.row, eq.col, eq.payoffs, True)
    m, n = game.shape
    if isinstance(spec, PunishmentCell):
        check_index(spec.row, m, f"{option}.row", "row")
        check_index(spec.col, n, f"{option}.col", "column")
        row, col = game.pure(0, spec.row), game.pure(1, spec.col)
        kind = "cell"
    elif isinstance(spec, PunishmentProfile):
        row = _probabilities(spec.row, m, f"{option}.row", game.exact)
        col = _probabilities(spec.col, n, f"{option}.col", game.exact)
        kind = "profile"
    else:
        raise RepeatedGameError(option, f"{spec!r} is not a punishment")
    is_eq = game.is_equilibrium(row, col)
    pure = sum(1 for p in row if p > 0) == 1 and sum(1 for q in col if q > 0) == 1
    if not is_eq and not pure:
        raise RepeatedGameError(
            option,
            "a mixed punishment must be a stage equilibrium (a player asked to randomise could "
            "switch unnoticed to a better strategy); give an equilibrium or a single cell",
        )
    payoffs = (game.expected(0, row, col), game.expected(1, row, col))
    return PunishmentFacts(deviator, kind, row, col, payoffs, is_eq)


def check_index(value: object, size: int, option: str, what: str) -> None:
    """Raise :class:`RepeatedGameError` unless ``value`` is a strategy index below ``size``."""
    if (
        not isinstance(value, int | np.integer)
        or isinstance(value, bool)
        or not 0 <= int(value) < size
    ):
        raise RepeatedGameError(
            option, f"{value!r} is not a {what} strategy; give an index from 0 to {size - 1}"
        )


def _probabilities(values: Sequence[object], size: int, option: str, exact: bool) -> Mixed:
    if len(values) != size:
        raise RepeatedGameError(option, f"give {size} probabilities, one per strategy")
    try:
        read = [to_scalar(v) for v in values]
    except TypeError as err:
        raise RepeatedGameError(option, f"{err}; give probabilities") from None
    probs: list[Scalar] = []
    for v in read:
        # A decimal probability typed in a file (0.25) means its decimal value.
        probs.append((Fraction(repr(v)) if isinstance(v, float) else v) if exact else float(v))
    total: Scalar = sum(probs, Fraction(0) if exact else 0.0)
    allowed = 0.0 if exact else 1e-9
    if min(probs) < 0 or total - 1 > allowed or 1 - total > allowed:
        raise RepeatedGameError(option, "probabilities must be non-negative and sum to 1")
    return tuple(probs)


def best_other(game: StageGame, player: int, excluded: int, other: Mixed) -> tuple[int, Scalar]:
    """``player``'s best strategy other than ``excluded`` against the mix ``other`` and its
    payoff (the first on a tie)."""
    values = game.against(player, other)
    choices = [k for k in range(len(values)) if k != excluded]
    best = max(choices, key=lambda k: values[k])
    return best, values[best]


def tit_for_tat_actions(
    strategy: TitForTat, shape: tuple[int, int], deal: tuple[int, int]
) -> tuple[int, int]:
    """Each player's punishment action under tit-for-tat (validated).

    Raises
    ------
    RepeatedGameError
        A player has more than two strategies and no punishment action was named, or the
        named action is not a strategy or is the deal action.
    """
    actions = []
    for player, given in enumerate(strategy.punish_actions):
        who = ("row", "column")[player]
        option = f"tit_for_tat.punish[{player}]"
        if given is None:
            if shape[player] != 2:
                raise RepeatedGameError(
                    option,
                    f"the {who} player has {shape[player]} strategies; name the one it "
                    "punishes with (tit-for-tat alternates between a deal and a punishment "
                    "action)",
                )
            given = 1 - deal[player]
        check_index(given, shape[player], option, who)
        if int(given) == deal[player]:
            raise RepeatedGameError(
                option, "the punishment action must differ from the deal action"
            )
        actions.append(int(given))
    return actions[0], actions[1]
