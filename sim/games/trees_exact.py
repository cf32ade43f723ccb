"""Exact rational arithmetic shared by the tree and commitment cores.

- :func:`solve_exact`: the unique solution of a linear system over
  :class:`fractions.Fraction` (Gauss-Jordan elimination), used to turn the optimal vertex of a
  linear programme found in floating point into its exact value (:mod:`sim.games.commitment`):
  a vertex is the unique solution of the constraints that are tight there, so the float answer
  only has to say which ones are tight.
- :func:`exact_equilibria`: every extreme equilibrium of a bimatrix game with rational payoffs
  (the simultaneous stages of a tree, :mod:`sim.games.trees_solve`), from the project's exact
  solver.
- :func:`is_exact_nash`: an exact check of mutual best replies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sim.solver.exact import solve_game_exact


class RationalisationError(ArithmeticError):
    """A floating-point result could not be confirmed in exact arithmetic.

    This happens only when payoffs differ by less than the float tolerance (about 1e-9 of
    their range), so that floating point cannot tell which constraints are tight.
    """


def solve_exact(
    rows: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]
) -> list[Fraction] | None:
    """The unique solution of ``rows @ z = rhs`` in rationals, or ``None``.

    Gauss-Jordan elimination over :class:`~fractions.Fraction`; extra equations are allowed
    (an over-determined system must be consistent). Returns ``None`` when the system has no
    solution or more than one.

    Parameters
    ----------
    rows
        ``(e, d)`` coefficients.
    rhs
        ``(e,)`` right-hand side.
    """
    if not rows:
        return None
    d = len(rows[0])
    a = [[Fraction(v) for v in row] + [Fraction(b)] for row, b in zip(rows, rhs, strict=True)]
    pivot_row = 0
    pivots: list[int] = []
    for col in range(d):
        pivot = next((r for r in range(pivot_row, len(a)) if a[r][col] != 0), None)
        if pivot is None:
            return None  # a free variable: the solution is not unique
        a[pivot_row], a[pivot] = a[pivot], a[pivot_row]
        p = a[pivot_row][col]
        a[pivot_row] = [v / p for v in a[pivot_row]]
        for r in range(len(a)):
            if r != pivot_row and a[r][col] != 0:
                f = a[r][col]
                a[r] = [v - f * w for v, w in zip(a[r], a[pivot_row], strict=True)]
        pivots.append(col)
        pivot_row += 1
    # Remaining rows are 0 = b: consistent only if b is 0.
    if any(a[r][d] != 0 for r in range(pivot_row, len(a))):
        return None
    return [a[i][d] for i in range(d)]


def fraction_matrix(M: object) -> list[list[Fraction]]:
    """A 2-D table of ints or Fractions as lists of Fractions (floats are refused)."""
    rows = np.asarray(M, dtype=object)
    out: list[list[Fraction]] = []
    for row in rows:
        line: list[Fraction] = []
        for v in row:
            if isinstance(v, float | np.floating | bool):
                raise TypeError("exact arithmetic needs int or Fraction payoffs, not floats")
            line.append(Fraction(v))
        out.append(line)
    return out


@dataclass(frozen=True)
class ExactEquilibrium:
    """One extreme Nash equilibrium of a bimatrix game, in rationals.

    Attributes
    ----------
    row, col
        Mixed strategies (tuples of Fractions summing to one).
    payoffs
        ``(x^T A y, x^T B y)``.
    component
        Component of the equilibrium set (as numbered by :func:`sim.solver.solve_game`).
    """

    row: tuple[Fraction, ...]
    col: tuple[Fraction, ...]
    payoffs: tuple[Fraction, Fraction]
    component: int


@dataclass(frozen=True)
class ExactGameSolution:
    """The exact extreme equilibria of a bimatrix game and whether the game is degenerate."""

    equilibria: tuple[ExactEquilibrium, ...]
    degenerate: bool


def exact_equilibria(A: object, B: object) -> ExactGameSolution:
    """Every extreme Nash equilibrium of ``(A, B)`` with rational payoffs, exactly.

    Exact vertex enumeration of the best-response polytopes by the project's exact solver
    (:func:`sim.solver.exact.solve_game_exact`; von Stengel 2007; Avis et al. 2010), in the
    order and with the components of :func:`sim.solver.solve_game`.

    Parameters
    ----------
    A, B
        ``(m, n)`` payoffs, ints or Fractions.

    Returns
    -------
    ExactGameSolution
        The equilibria and the degeneracy flag.
    """
    solution = solve_game_exact(fraction_matrix(A), fraction_matrix(B))
    found: list[ExactEquilibrium] = []
    for eq in solution.equilibria:
        assert eq.exact_row is not None
        assert eq.exact_col is not None
        assert eq.exact_payoffs is not None
        found.append(
            ExactEquilibrium(
                row=tuple(eq.exact_row),
                col=tuple(eq.exact_col),
                payoffs=(eq.exact_payoffs[0], eq.exact_payoffs[1]),
                component=eq.component,
            )
        )
    return ExactGameSolution(equilibria=tuple(found), degenerate=solution.degenerate)


def is_exact_nash(
    A: list[list[Fraction]], B: list[list[Fraction]], x: Sequence[Fraction], y: Sequence[Fraction]
) -> bool:
    """``(x, y)`` are probability vectors and mutual best replies, checked exactly."""
    if any(v < 0 for v in (*x, *y)) or sum(x, Fraction(0)) != 1 or sum(y, Fraction(0)) != 1:
        return False
    row_values = [sum((A[i][j] * y[j] for j in range(len(y))), Fraction(0)) for i in range(len(x))]
    col_values = [sum((B[i][j] * x[i] for i in range(len(x))), Fraction(0)) for j in range(len(y))]
    best_row, best_col = max(row_values), max(col_values)
    return all(row_values[i] == best_row for i in range(len(x)) if x[i] > 0) and all(
        col_values[j] == best_col for j in range(len(y)) if y[j] > 0
    )
