"""Mixed equilibria recomputed from the original payoffs once their supports are certified.

The batched enumeration works on payoffs moved into ``[1, 2)``; with one payoff far larger than
the rest (a war cost of -1e6 among small numbers), that move costs the small differences most
of their digits, and a mixture found there can be off by 1e-11 even though its supports are
right. Once the supports are known (and certified), each side's mixture is the solution of a
small linear system in the original payoffs: the opponent is indifferent among the strategies
of its support, and the probabilities sum to one (von Stengel 2007, section 3.3). The outlier
enters that system only if it lies in both supports, so the mixture is then as accurate as the
numbers it depends on.
"""

from __future__ import annotations

import numpy as np

from sim.solver.types import FloatArray, IntArray

#: A recomputed mixture further than this from the enumeration's is not used (a safeguard: the
#: two differ by rounding only).
AGREE = 1e-6


def polish_mixtures(
    A: FloatArray, B: FloatArray, game: IntArray, row: FloatArray, col: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``row, col`` with every mixed equilibrium of square supports solved again from ``A, B``.

    Parameters
    ----------
    A, B
        ``(G, m, n)`` payoffs of the stack, in their original units.
    game, row, col
        Per equilibrium: its game and both players' probabilities (certified supports).

    Returns
    -------
    row, col
        New arrays; pure equilibria, and mixtures whose system cannot be solved or whose
        solution strays from the enumeration's, are kept as they were.
    """
    row, col = row.copy(), col.copy()
    in_row, in_col = row > 0, col > 0
    k_row, k_col = in_row.sum(axis=1), in_col.sum(axis=1)
    mixed = (k_row == k_col) & (k_row > 1)
    for k in np.unique(k_row[mixed]).tolist():
        at = np.flatnonzero(mixed & (k_row == k))
        g = game[at]
        rows = np.nonzero(in_row[at])[1].reshape(-1, k)
        cols = np.nonzero(in_col[at])[1].reshape(-1, k)
        A_s = A[g[:, None, None], rows[:, :, None], cols[:, None, :]]  # (N, k, k): [i, j]
        B_s = B[g[:, None, None], rows[:, :, None], cols[:, None, :]]
        # x: sum_i x_i B[i, j] - v = 0 for each support column j, sum x = 1 (and y likewise)
        x = _indifferent(np.transpose(B_s, (0, 2, 1)), k)
        y = _indifferent(A_s, k)
        if x is None or y is None:
            continue
        old_x = np.take_along_axis(row[at], rows, axis=1)
        old_y = np.take_along_axis(col[at], cols, axis=1)
        good = (
            np.isfinite(x).all(axis=1)
            & np.isfinite(y).all(axis=1)
            & (x > 0).all(axis=1)
            & (y > 0).all(axis=1)
            & (np.abs(x - old_x).max(axis=1) <= AGREE)
            & (np.abs(y - old_y).max(axis=1) <= AGREE)
        )
        sel = at[good]
        row[sel[:, None], rows[good]] = x[good]
        col[sel[:, None], cols[good]] = y[good]
    return row, col


def _indifferent(M: FloatArray, k: int) -> FloatArray | None:
    """Probabilities ``p`` (N, k) with ``M @ p`` constant and ``sum p = 1``; None if singular."""
    n = M.shape[0]
    system = np.zeros((n, k + 1, k + 1))
    system[:, :k, :k] = M
    system[:, :k, k] = -1.0
    system[:, k, :k] = 1.0
    rhs = np.zeros((n, k + 1, 1))
    rhs[:, k, 0] = 1.0
    try:
        with np.errstate(all="ignore"):
            solved = np.linalg.solve(system, rhs)[:, :k, 0]
    except np.linalg.LinAlgError:
        return None
    return np.asarray(solved, dtype=np.float64)
