"""Result types of the solver: one columnar table for a stack of games, dataclasses for one game.

These dataclasses live in their own module (importing numpy only) so that every solver backend
(:mod:`sim.solver.enumeration`, :mod:`sim.solver.nashpy_methods`) can build them without import
cycles. The contract is ``docs/dev/design.md``, section "solver".

Terminology follows B. von Stengel, "Equilibrium computation for two-player games in strategic
and extensive form", ch. 3 of *Algorithmic Game Theory* (2007), and D. Avis, G. Rosenberg,
R. Savani, B. von Stengel, "Enumeration of Nash equilibria for two-player games", *Economic
Theory* 42 (2010) 9-37: an *extreme* equilibrium is a pair of vertices of the best-response
polytopes; a *maximal Nash subset* is a maximal product set ``conv(X) x conv(Y)`` of equilibria;
a *component* is a connected union of maximal Nash subsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

METHODS: tuple[str, ...] = ("enumeration", "support", "vertex", "lemke-howson")
"""Names accepted by :func:`sim.solver.solve_game`; ``"enumeration"`` is the default and the
only one that is guaranteed to find every extreme equilibrium of a degenerate game."""


def _frozen(array: npt.ArrayLike, dtype: type[np.generic]) -> npt.NDArray[np.generic]:
    """A read-only contiguous array, so a frozen dataclass really is immutable.

    An array that is already read-only, contiguous and of the right dtype is kept as it is (the
    solver hands over fresh arrays that way, avoiding a copy of large tables); anything else is
    copied, so a caller's own arrays are never frozen or shared.
    """
    if (
        isinstance(array, np.ndarray)
        and array.dtype == dtype
        and array.flags.c_contiguous
        and not array.flags.writeable
    ):
        return array
    out = np.array(array, dtype=dtype, copy=True, order="C")
    out.setflags(write=False)
    return out


_NOT_GIVEN: BoolArray = np.zeros(0, dtype=bool)
"""Default of :attr:`EquilibriumTable.exact` (compared by identity): all games floating point."""


@dataclass(frozen=True, eq=False)
class EquilibriumTable:
    """Every extreme equilibrium of a stack of ``K`` games, one row per equilibrium (columnar).

    Rows are grouped by game (``game_index`` non-decreasing); within a game the order is
    deterministic: by row-support bitmask, then column-support bitmask, then the probabilities
    (row player's first) in lexicographic order. The arrays are read-only.

    Attributes
    ----------
    game_index
        ``(E,)`` int64: which game of the stack the equilibrium belongs to.
    row
        ``(E, m)`` float64: the row player's mixed strategy (exact zeros off the support).
    col
        ``(E, n)`` float64: the column player's mixed strategy.
    payoffs
        ``(E, 2)`` float64: expected payoffs ``x^T A y`` and ``x^T B y`` in the original units.
    component
        ``(E,)`` int64: component of the equilibrium, numbered ``0, 1, ...`` within each game in
        the order of each component's first equilibrium.
    degenerate
        ``(K,)`` bool: the game is degenerate (some vertex of a best-response polytope has more
        labels than its dimension; von Stengel 2007, section 3.6).
    count
        ``(K,)`` int64: number of extreme equilibria of each game.
    exact
        ``(K,)`` bool: the game was solved in exact rational arithmetic (the floating-point
        path could not certify its answer, see :mod:`sim.solver.certify`), so its rows are
        exact results rounded to float64. Not given when constructing: all ``False``.
    """

    game_index: IntArray
    row: FloatArray
    col: FloatArray
    payoffs: FloatArray
    component: IntArray
    degenerate: BoolArray
    count: IntArray
    exact: BoolArray = field(default_factory=lambda: _NOT_GIVEN)

    def __post_init__(self) -> None:
        if self.exact is _NOT_GIVEN:
            object.__setattr__(self, "exact", np.zeros(np.shape(self.count), dtype=bool))
        # Freeze copies of the arrays; object.__setattr__ because the dataclass is frozen.
        for name, dtype in (
            ("game_index", np.int64),
            ("row", np.float64),
            ("col", np.float64),
            ("payoffs", np.float64),
            ("component", np.int64),
            ("degenerate", np.bool_),
            ("count", np.int64),
            ("exact", np.bool_),
        ):
            object.__setattr__(self, name, _frozen(getattr(self, name), dtype))
        n_eq = self.game_index.shape[0]
        if not (
            self.row.shape[0] == self.col.shape[0] == self.payoffs.shape[0] == n_eq
            and self.component.shape[0] == n_eq
            and self.degenerate.shape == self.count.shape == self.exact.shape
            and int(self.count.sum()) == n_eq
        ):
            raise ValueError("inconsistent EquilibriumTable columns")

    @property
    def n_games(self) -> int:
        """Number of games ``K`` in the stack."""
        return int(self.count.shape[0])

    def __len__(self) -> int:
        """Number of equilibria ``E`` (all games together)."""
        return int(self.game_index.shape[0])

    def offsets(self) -> IntArray:
        """``(K + 1,)`` start offsets: game ``k`` owns rows ``offsets[k]:offsets[k + 1]``."""
        out = np.zeros(self.count.shape[0] + 1, dtype=np.int64)
        np.cumsum(self.count, out=out[1:])
        return out


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """One extreme Nash equilibrium of a bimatrix game.

    Attributes
    ----------
    row, col
        Mixed strategies of the row and the column player (read-only float64 arrays summing to
        one, exact zeros off the support).
    payoffs
        Expected payoffs ``(x^T A y, x^T B y)`` in the original payoff units.
    component
        Index of the component (in :attr:`GameSolution.components`) the equilibrium belongs to.
    exact_row, exact_col
        The same strategies as exact rational probabilities, when the game was solved in exact
        arithmetic (``None`` otherwise); ``row`` and ``col`` are then these rounded to float64.
    exact_payoffs
        The expected payoffs as exact rationals (``None`` unless solved exactly).
    """

    row: FloatArray
    col: FloatArray
    payoffs: tuple[float, float]
    component: int
    exact_row: tuple[Fraction, ...] | None = None
    exact_col: tuple[Fraction, ...] | None = None
    exact_payoffs: tuple[Fraction, Fraction] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "row", _frozen(self.row, np.float64))
        object.__setattr__(self, "col", _frozen(self.col, np.float64))
        object.__setattr__(self, "payoffs", (float(self.payoffs[0]), float(self.payoffs[1])))
        object.__setattr__(self, "component", int(self.component))
        given = (self.exact_row, self.exact_col, self.exact_payoffs)
        if any(v is not None for v in given) and any(v is None for v in given):
            raise ValueError("exact_row, exact_col and exact_payoffs go together")

    @property
    def is_exact(self) -> bool:
        """The equilibrium carries exact rational probabilities and payoffs."""
        return self.exact_row is not None

    @property
    def row_support(self) -> tuple[int, ...]:
        """Row strategies played with positive probability (0-based)."""
        return tuple(int(i) for i in np.flatnonzero(self.row > 0))

    @property
    def col_support(self) -> tuple[int, ...]:
        """Column strategies played with positive probability (0-based)."""
        return tuple(int(j) for j in np.flatnonzero(self.col > 0))

    @property
    def is_pure(self) -> bool:
        """Both players play a single strategy."""
        return len(self.row_support) == 1 and len(self.col_support) == 1

    def __eq__(self, other: object) -> bool:
        # Exact comparison; numpy arrays would otherwise make == ambiguous.
        if not isinstance(other, Equilibrium):
            return NotImplemented
        return (
            np.array_equal(self.row, other.row)
            and np.array_equal(self.col, other.col)
            and self.payoffs == other.payoffs
            and self.component == other.component
            and self.exact_row == other.exact_row
            and self.exact_col == other.exact_col
            and self.exact_payoffs == other.exact_payoffs
        )

    def __hash__(self) -> int:
        return hash(
            (
                self.row.tobytes(),
                self.col.tobytes(),
                self.payoffs,
                self.component,
                self.exact_row,
                self.exact_col,
            )
        )


@dataclass(frozen=True)
class GameSolution:
    """Every extreme equilibrium of one bimatrix game, with its components.

    Attributes
    ----------
    equilibria
        The extreme equilibria, ordered as in :class:`EquilibriumTable`.
    degenerate
        The game is degenerate; its equilibria may then form continua.
    components
        One tuple of indices into :attr:`equilibria` per component, in the order of each
        component's first equilibrium. Every equilibrium is in exactly one component.
    maximal_nash_subsets
        One ``(X, Y)`` pair per maximal Nash subset (Avis et al. 2010): ``X`` holds one index
        into :attr:`equilibria` for each distinct row strategy of the subset (the first
        equilibrium playing it) and ``Y`` likewise for the column strategies. Every
        ``(equilibria[i].row, equilibria[j].col)`` with ``i in X``, ``j in Y`` is an extreme
        equilibrium, and every point of ``conv(rows of X) x conv(cols of Y)`` is an equilibrium.
        Sorted by ``(X, Y)``.
    method
        The algorithm that produced the result, one of :data:`METHODS`.
    warnings
        Plain-words messages for the user (for example that the game is degenerate).
    exact
        The result was computed in exact rational arithmetic: every equilibrium carries
        :attr:`Equilibrium.exact_row`, ``exact_col`` and ``exact_payoffs``.
    """

    equilibria: tuple[Equilibrium, ...]
    degenerate: bool
    components: tuple[tuple[int, ...], ...]
    maximal_nash_subsets: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    method: str
    warnings: tuple[str, ...]
    exact: bool = False
