"""Independent checks of a floating-point answer before it is reported.

- :func:`verified_payoffs`: every pure strategy in a support earns the best payoff (each
  comparison judged relative to its own terms), and the probabilities lie on the simplex;
- :func:`close_equilibria`: two equilibria of a game so close that floating point cannot tell
  them apart (they may be one).

A game that fails either is solved again in exact rational arithmetic
(:mod:`sim.solver.enumeration`, flags ``VERIFY`` and ``MERGE`` of :mod:`sim.solver.certify`).
"""

from __future__ import annotations

import numpy as np

from sim.solver.batched_linalg import any0, matvec, max0, rowsum
from sim.solver.types import BoolArray, FloatArray, IntArray
from sim.solver.vertices import ragged_pairs

__all__ = ["VERIFY_ROUNDING", "close_equilibria", "fixed_order_sum", "verified_payoffs"]

VERIFY_ROUNDING = 1e-11
"""An equilibrium whose support strategies fall short of the best payoff by more than this,
relative to the payoffs compared, holds only up to the tolerance: its game is re-solved
exactly (``VERIFY``)."""


def fixed_order_sum(v: FloatArray) -> FloatArray:
    """Row sums in a fixed order (element-wise, batch-independent)."""
    total = v[:, 0].copy()
    for i in range(1, v.shape[1]):
        total = total + v[:, i]
    return total


def close_equilibria(
    game: IntArray, row: FloatArray, col: FloatArray, count: IntArray, merge_tol: float, G: int
) -> BoolArray:
    """Games with two equilibria within ``merge_tol`` of each other (max norm): ``MERGE``."""
    close = np.zeros(G, dtype=bool)
    several = np.flatnonzero(count > 1)
    if several.size == 0:
        return close
    start = np.cumsum(count) - count
    a, b = ragged_pairs(several, start, count, start, count)
    pairs = a < b
    a, b = a[pairs], b[pairs]
    gap = np.maximum(
        np.max(np.abs(row[a] - row[b]), axis=1), np.max(np.abs(col[a] - col[b]), axis=1)
    )
    close[game[a[gap <= merge_tol]]] = True
    return close


def verified_payoffs(
    A: FloatArray, B: FloatArray, count: IntArray, row: FloatArray, col: FloatArray
) -> tuple[FloatArray, BoolArray]:
    """Expected payoffs ``(E, 2)`` in the original units, after an independent check that
    every pure strategy in a support earns the best payoff.

    Each comparison is judged relative to its own terms, not the player's whole payoff range:
    the row player's payoffs are taken relative to each column's minimum (adding a constant to
    a column of ``A`` changes none of the row player's comparisons), so ``u_i = sum_j (A_ij -
    min_k A_kj) y_j >= 0`` and a shortfall ``max u - u_i`` is compared with ``max u``; a payoff
    in a column the opponent does not play enters nothing. Likewise for the column player with
    the rows of ``B``. Returns the payoffs and, per equilibrium, whether some shortfall exceeds
    :data:`VERIFY_ROUNDING` (the equilibrium holds only up to the tolerance), or whose
    probabilities are off the simplex. Such a game is solved again in exact arithmetic, so
    a float answer that fails the check is never reported: near-degenerate games (boundary
    probes) can pass the tolerance test and still fail it.

    Layout: strategies first, equilibria last (equilibria are grouped by game, so repeating
    each game's block beats a gather), so every step is a long contiguous vector operation.
    Sums run in a fixed order, so each equilibrium's numbers do not depend on the stack.
    """
    At = np.repeat(A.transpose(1, 2, 0), count, axis=2)  # (m, n, E)
    Bt = np.repeat(B.transpose(2, 1, 0), count, axis=2)  # (n, m, E): B transposed
    rt = np.ascontiguousarray(row.T)  # (m, E)
    ct = np.ascontiguousarray(col.T)  # (n, E)
    # x^T A y = sum_i x_i (sum_j A_ij y_j), x^T B y = sum_j (sum_i B_ij x_i) y_j.
    u_row = rowsum((rt * matvec(At, ct))[None])[0]
    u_col = rowsum((matvec(Bt, rt) * ct)[None])[0]
    a_floor = np.repeat(A.min(axis=1).T, count, axis=1)  # (n, E): each column's minimum
    b_floor = np.repeat(B.min(axis=2).T, count, axis=1)  # (m, E): each row's minimum
    row_values = matvec(At - a_floor[None], ct)  # (m, E), >= 0
    col_values = matvec(Bt - b_floor[None], rt)  # (n, E), >= 0
    row_best, col_best = max0(row_values), max0(col_values)
    row_short = (row_best - row_values) * (rt > 0)
    col_short = (col_best - col_values) * (ct > 0)
    # A float equilibrium that fails the check (a near-degenerate game the tolerance let
    # through) is not reported: its game is solved again in exact rational arithmetic.
    sums_off = (np.abs(fixed_order_sum(row) - 1.0) > 1e-9) | (
        np.abs(fixed_order_sum(col) - 1.0) > 1e-9
    )
    negative = np.any(row < 0, axis=1) | np.any(col < 0, axis=1)
    doubtful = (
        any0(row_short > VERIFY_ROUNDING * row_best)
        | any0(col_short > VERIFY_ROUNDING * col_best)
        | sums_off
        | negative
    )
    return np.stack([u_row, u_col], axis=1), doubtful
