"""How a scenario's payoffs are computed: cell by cell, one formula per player, or by a table.

Each kind of game computes, for parameter values, the float payoff stacks of both players
(vectorised over many points) and the exact payoff matrices at one point. The
:class:`~sim.scenario.model.Scenario` checks the results and names the cell of a payoff that is
not finite; these classes only compute.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol, runtime_checkable

import numpy as np

from sim.formula import ExactValue, Formula
from sim.formula.interval import enclose

FloatArray = np.ndarray
ExactMatrix = list[list[Fraction]]
Bounds = tuple[np.ndarray, np.ndarray]

# A payoff cell or a per-strategy variable: an exact number or a formula of the parameters.
Term = Fraction | Formula


@runtime_checkable
class ProvidedGame(Protocol):
    """A game defined by an extension table (a tree's strategic form, for example).

    ``strategies`` are the row and column player's strategy names; ``payoff_stack`` takes
    parameter arrays of a common shape ``(N,)`` (or scalars) and returns ``A, B`` of shape
    ``(N, m, n)``; ``payoffs_exact`` returns both matrices as lists of Fraction rows (or an
    :class:`ExactPayoffs`, whose ``exact`` flag is then kept).
    """

    @property
    def strategies(self) -> tuple[tuple[str, ...], tuple[str, ...]]: ...

    def payoff_stack(
        self, env: Mapping[str, float | np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]: ...

    def payoffs_exact(self, values: Mapping[str, Fraction]) -> object: ...


@dataclass(frozen=True)
class ExactPayoffs:
    """Both payoff matrices at one point in exact arithmetic; unpacks as ``A, B``.

    Attributes
    ----------
    row, col
        The row player's and the column player's payoffs, ``m`` lists of ``n`` Fractions.
    exact
        True when every payoff is exact; False when a formula used ``exp``, ``log``, ``sqrt``
        or a fractional power with no rational value (computed in float64 and taken at the
        float's exact value, see :mod:`sim.formula.exact`).
    """

    row: ExactMatrix
    col: ExactMatrix
    exact: bool = True

    def __iter__(self):  # type: ignore[no-untyped-def]
        """``A, B = scenario.payoffs_exact(values)``."""
        return iter((self.row, self.col))


class NonFiniteVariable(ArithmeticError):
    """A per-strategy variable that is not a finite number, for strategy ``index``."""

    def __init__(self, name: str, index: int) -> None:
        super().__init__(name, index)
        self.name, self.index = name, index


class NonFinitePayoff(ArithmeticError):
    """A payoff that is not a finite number, at ``(player, row, column)`` of ``point``."""

    def __init__(self, player: int, row: int, col: int, point: int = 0) -> None:
        super().__init__(player, row, col, point)
        self.player, self.row, self.col, self.point = player, row, col, point


def _broadcast(value: np.ndarray, size: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(value, dtype=float).reshape(-1), (size,))


def term_stack(term: Term, arrays: Mapping[str, np.ndarray], size: int) -> np.ndarray:
    """A term's float values at ``size`` points, shape ``(size,)``."""
    if isinstance(term, Formula):
        return _broadcast(term.evaluate(arrays), size)
    return np.full(size, float(term))


def term_bounds(
    term: Term, lows: Mapping[str, np.ndarray], highs: Mapping[str, np.ndarray], size: int
) -> Bounds:
    """Outward-rounded bounds of a term at ``size`` points, each of shape ``(size,)``."""
    if isinstance(term, Formula):
        lo, hi = term.evaluate_interval(lows, highs)
        return _broadcast(lo, size), _broadcast(hi, size)
    low, high = enclose(term)
    return np.full(size, low), np.full(size, high)


def term_exact(term: Term, values: Mapping[str, Fraction]) -> ExactValue:
    """A term's exact value at one point (raises :class:`sim.formula.NonFiniteResult`)."""
    if isinstance(term, Formula):
        return term.evaluate_rational(values)
    return ExactValue(term, True)


@dataclass(frozen=True)
class MatrixGame:
    """Payoffs written cell by cell (``[payoffs.matrix]`` or a Gambit ``.nfg`` file)."""

    cells: tuple[tuple[tuple[Term, ...], ...], tuple[tuple[Term, ...], ...]]

    def stacks(self, arrays: Mapping[str, np.ndarray], size: int) -> list[np.ndarray]:
        stacks = []
        for matrix in self.cells:
            m, n = len(matrix), len(matrix[0])
            stack = np.empty((size, m, n))
            for i, row in enumerate(matrix):
                for j, term in enumerate(row):
                    stack[:, i, j] = term_stack(term, arrays, size)
            stacks.append(stack)
        return stacks

    def bound_stacks(
        self, lows: Mapping[str, np.ndarray], highs: Mapping[str, np.ndarray], size: int
    ) -> list[Bounds]:
        """Outward-rounded bounds of both players' payoffs, each ``(size, m, n)``."""
        out = []
        for matrix in self.cells:
            m, n = len(matrix), len(matrix[0])
            low, high = np.empty((size, m, n)), np.empty((size, m, n))
            for i, row in enumerate(matrix):
                for j, term in enumerate(row):
                    low[:, i, j], high[:, i, j] = term_bounds(term, lows, highs, size)
            out.append((low, high))
        return out

    def exact(self, values: Mapping[str, Fraction]) -> ExactPayoffs:
        exact = True
        matrices: list[ExactMatrix] = []
        for player, matrix in enumerate(self.cells):
            rows: ExactMatrix = []
            for i, row in enumerate(matrix):
                out = []
                for j, term in enumerate(row):
                    result = _cell(term, values, player, i, j)
                    exact = exact and result.exact
                    out.append(result.value)
                rows.append(out)
            matrices.append(rows)
        return ExactPayoffs(matrices[0], matrices[1], exact)


def _cell(term: Term, values: Mapping[str, Fraction], player: int, i: int, j: int) -> ExactValue:
    from sim.formula import NonFiniteResult

    try:
        return term_exact(term, values)
    except NonFiniteResult:
        raise NonFinitePayoff(player, i, j) from None


@dataclass(frozen=True)
class FormulaGame:
    """One formula per player over the parameters and the per-strategy variables."""

    formulas: tuple[Formula, Formula]
    row_vars: Mapping[str, tuple[Term, ...]] = field(default_factory=dict)
    col_vars: Mapping[str, tuple[Term, ...]] = field(default_factory=dict)

    def stacks(self, arrays: Mapping[str, np.ndarray], size: int) -> list[np.ndarray]:
        env: dict[str, np.ndarray] = {
            name: a.reshape(-1, 1, 1) if a.ndim else a for name, a in arrays.items()
        }
        for var, terms in self.row_vars.items():
            env[var] = _var_stack(terms, arrays, size).reshape(-1, len(terms), 1)
        for var, terms in self.col_vars.items():
            env[var] = _var_stack(terms, arrays, size).reshape(-1, 1, len(terms))
        return [formula.evaluate(env) for formula in self.formulas]

    def bound_stacks(
        self, lows: Mapping[str, np.ndarray], highs: Mapping[str, np.ndarray], size: int
    ) -> list[Bounds]:
        """Outward-rounded bounds of both players' payoffs (broadcastable to ``(size, m, n)``)."""
        env_lo: dict[str, np.ndarray] = {
            name: a.reshape(-1, 1, 1) if a.ndim else a for name, a in lows.items()
        }
        env_hi: dict[str, np.ndarray] = {
            name: a.reshape(-1, 1, 1) if a.ndim else a for name, a in highs.items()
        }
        for vars_, shape in ((self.row_vars, (-1, 1)), (self.col_vars, (1, -1))):
            for var, terms in vars_.items():
                parts = [term_bounds(t, lows, highs, size) for t in terms]
                env_lo[var] = np.stack([p[0] for p in parts], axis=1).reshape(size, *shape)
                env_hi[var] = np.stack([p[1] for p in parts], axis=1).reshape(size, *shape)
        return [formula.evaluate_interval(env_lo, env_hi) for formula in self.formulas]

    def exact(self, values: Mapping[str, Fraction], shape: tuple[int, int]) -> ExactPayoffs:
        from sim.formula import NonFiniteResult

        m, n = shape
        exact = True
        row_env: list[dict[str, Fraction]] = [dict(values) for _ in range(m)]
        col_env: list[dict[str, Fraction]] = [{} for _ in range(n)]
        for vars_, envs in ((self.row_vars, row_env), (self.col_vars, col_env)):
            for var, terms in vars_.items():
                for k, term in enumerate(terms):
                    try:
                        result = term_exact(term, values)
                    except NonFiniteResult:
                        raise NonFiniteVariable(var, k) from None
                    exact = exact and result.exact
                    envs[k][var] = result.value
        matrices: list[ExactMatrix] = [[], []]
        for i in range(m):
            for player in range(2):
                matrices[player].append([])
            for j in range(n):
                env = {**row_env[i], **col_env[j]}
                for player, formula in enumerate(self.formulas):
                    try:
                        result = formula.evaluate_rational(env)
                    except NonFiniteResult:
                        raise NonFinitePayoff(player, i, j) from None
                    exact = exact and result.exact
                    matrices[player][i].append(result.value)
        return ExactPayoffs(matrices[0], matrices[1], exact)


def _var_stack(terms: Sequence[Term], arrays: Mapping[str, np.ndarray], size: int) -> np.ndarray:
    """The values of one per-strategy variable at every point: shape ``(size, strategies)``."""
    if all(isinstance(t, Fraction) for t in terms):
        return np.array([float(t) for t in terms if isinstance(t, Fraction)]).reshape(1, -1)
    return np.stack([term_stack(t, arrays, size) for t in terms], axis=1)


@dataclass(frozen=True)
class TableGame:
    """A game defined by an extension table (see :mod:`sim.scenario.extensions`)."""

    key: str
    game: ProvidedGame

    def stacks(self, arrays: Mapping[str, np.ndarray], size: int) -> list[np.ndarray]:
        A, B = self.game.payoff_stack(arrays)
        return [np.asarray(A, dtype=float), np.asarray(B, dtype=float)]

    def exact(self, values: Mapping[str, Fraction]) -> ExactPayoffs:
        result = self.game.payoffs_exact(values)
        if isinstance(result, ExactPayoffs):
            return result
        row, col = typing.cast(
            tuple[Sequence[Sequence[Fraction]], Sequence[Sequence[Fraction]]], result
        )
        return ExactPayoffs(
            [[Fraction(v) for v in r] for r in row], [[Fraction(v) for v in r] for r in col]
        )


Game = MatrixGame | FormulaGame | TableGame
