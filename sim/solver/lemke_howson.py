"""The Lemke-Howson algorithm in floating point, for games too large to enumerate.

Complementary pivoting on the best-response polytopes ``P = {x >= 0 : B^T x <= 1}`` and
``Q = {y >= 0 : A y <= 1}`` (C. E. Lemke and J. T. Howson, "Equilibrium points of bimatrix
games", *J. SIAM* 12, 1964; B. von Stengel, "Equilibrium computation for two-player games in
strategic and extensive form", ch. 3 of *Algorithmic Game Theory*, 2007, Algorithm 3.6):
starting from the artificial equilibrium ``(0, 0)``, the variable with a chosen label ``k``
enters its tableau; the variable leaving by the minimum ratio test has some label, whose
other variable (in the other tableau) enters next, until the label ``k`` leaves. The end is a
completely labelled pair: an equilibrium after normalising.

Each pivot is one rank-one update of a dense float64 tableau (numpy), milliseconds for a
200 x 200 game, where nashpy's driver spends seconds per pivot on bookkeeping. Ties in the
ratio test (degenerate games) are broken by the lowest row; a path that has not ended after
its pivot budget is abandoned (it may be cycling). Every end point is verified as a pair of
mutual best responses, so a numerical failure shows up as a failed start, never as a wrong
answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.solver.types import FloatArray

__all__ = ["LH_MAX_PIVOTS", "LemkeHowsonRun", "lemke_howson_path", "run_lemke_howson"]

LH_MAX_PIVOTS = 20_000
"""Pivots the search may spend on one game, over all its starting labels (about 2 s for a
200 x 200 game on one core, measured; random games of that size need a few hundred)."""

_RATIO_TIE = 1e-12
"""Ratios within this relative distance of the minimum count as tied (degenerate games)."""


def _positive(M: FloatArray) -> FloatArray:
    """Payoffs moved into ``[1, 2)`` (no equilibrium changes; the tableaux need them > 0)."""
    low = float(M.min())
    spread = float(M.max()) - low
    if spread <= 0.0:
        return np.ones_like(M)
    return 1.0 + (M - low) / 2.0 ** np.ceil(np.log2(spread) + 1e-12)


def _pivot(T: FloatArray, basis: list[int], entering: int) -> int | None:
    """Minimum-ratio pivot of column ``entering``; returns the variable that left (or None)."""
    column = T[:, entering]
    rhs = T[:, -1]
    positive = column > 1e-14
    if not np.any(positive):
        return None  # unbounded: cannot happen for exact positive payoffs; numerical trouble
    ratios = np.full(column.shape, np.inf)
    ratios[positive] = rhs[positive] / column[positive]
    best = float(ratios.min())
    row = int(np.flatnonzero(ratios <= best + _RATIO_TIE * max(1.0, abs(best)))[0])
    pivot_row = T[row] / T[row, entering]
    T -= np.outer(T[:, entering], pivot_row)
    T[row] = pivot_row
    leaving = basis[row]
    basis[row] = entering
    return leaving


def lemke_howson_path(
    A: FloatArray, B: FloatArray, label: int, max_pivots: int
) -> tuple[tuple[FloatArray, FloatArray] | None, int]:
    """Follow the path that drops ``label``; returns ``((x, y) or None, pivots used)``.

    ``A``, ``B`` are ``m x n`` with positive entries. Variables: in ``P``'s tableau
    ``x_0..x_{m-1}`` (labels ``0..m-1``) and slacks ``s_0..s_{n-1}`` (labels ``m..m+n-1``); in
    ``Q``'s tableau ``y_0..y_{n-1}`` (labels ``m..m+n-1``) and slacks ``r_0..r_{m-1}`` (labels
    ``0..m-1``).
    """
    m, n = A.shape
    TP = np.hstack([B.T, np.eye(n), np.ones((n, 1))])  # rows: columns j of B
    TQ = np.hstack([A, np.eye(m), np.ones((m, 1))])  # rows: rows i of A
    basis_P = [m + j for j in range(n)]
    basis_Q = [n + i for i in range(m)]

    def label_P(v: int) -> int:  # x_i -> i, s_j -> m + j
        return v

    def label_Q(v: int) -> int:  # y_j -> m + j, r_i -> i
        return m + v if v < n else v - n

    in_P = label < m
    entering = label if in_P else label - m
    for step in range(1, max_pivots + 1):
        if in_P:
            leaving = _pivot(TP, basis_P, entering)
            if leaving is None:
                return None, step
            left = label_P(leaving)
        else:
            leaving = _pivot(TQ, basis_Q, entering)
            if leaving is None:
                return None, step
            left = label_Q(leaving)
        if left == label:
            return _strategies(TP, basis_P, TQ, basis_Q, m, n), step
        # The other variable with the label that just left enters the other tableau.
        in_P = not in_P
        entering = left if in_P else (left - m if left >= m else n + left)
    return None, max_pivots


def _strategies(
    TP: FloatArray, basis_P: list[int], TQ: FloatArray, basis_Q: list[int], m: int, n: int
) -> tuple[FloatArray, FloatArray] | None:
    """Normalised ``(x, y)`` read off the final tableaux (None if not a pair of strategies)."""
    x = np.zeros(m)
    y = np.zeros(n)
    for row, v in enumerate(basis_P):
        if v < m:
            x[v] = TP[row, -1]
    for row, v in enumerate(basis_Q):
        if v < n:
            y[v] = TQ[row, -1]
    x = np.where(x > 0.0, x, 0.0)
    y = np.where(y > 0.0, y, 0.0)
    if x.sum() <= 0.0 or y.sum() <= 0.0 or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return None
    return x / x.sum(), y / y.sum()


def _is_equilibrium(
    As: FloatArray, Bs: FloatArray, x: FloatArray, y: FloatArray, tol: float
) -> bool:
    """Mutual best responses on the rescaled game, each comparison within ``tol``."""
    row_values = As @ y
    col_values = x @ Bs
    return bool(
        np.all(row_values[x > 0] >= row_values.max() - tol)
        and np.all(col_values[y > 0] >= col_values.max() - tol)
    )


@dataclass(frozen=True)
class LemkeHowsonRun:
    """Results of Lemke-Howson paths on one game.

    Attributes
    ----------
    profiles
        Distinct verified equilibria ``(x, y)``, in the order found.
    starts_tried
        Starting labels whose paths were followed.
    failed_starts
        Paths that ended without a verified equilibrium (numerical trouble or cycling).
    out_of_budget
        The pivot budget ran out before every requested start was tried.
    """

    profiles: tuple[tuple[FloatArray, FloatArray], ...]
    starts_tried: int
    failed_starts: int
    out_of_budget: bool


def run_lemke_howson(
    A: FloatArray,
    B: FloatArray,
    *,
    all_labels: bool = False,
    tol: float = 1e-9,
    max_pivots: int = LH_MAX_PIVOTS,
) -> LemkeHowsonRun:
    """Lemke-Howson from the starting labels ``0, 1, ...`` within a pivot budget.

    Parameters
    ----------
    A, B
        Payoffs ``m x n`` (finite), ``m, n >= 2``.
    all_labels
        Follow the paths of all ``m + n`` labels (collecting distinct equilibria) instead of
        stopping at the first verified equilibrium.
    tol
        Tolerance of the best-response check on payoffs moved into ``[1, 2)``.
    max_pivots
        Pivots for all paths together.
    """
    As, Bs = _positive(np.asarray(A, dtype=np.float64)), _positive(np.asarray(B, dtype=np.float64))
    m, n = As.shape
    found: list[tuple[FloatArray, FloatArray]] = []
    budget = max_pivots
    tried = failed = 0
    for label in range(m + n):
        if budget <= 0:
            return LemkeHowsonRun(tuple(found), tried, failed, True)
        with np.errstate(all="ignore"):
            profile, used = lemke_howson_path(As, Bs, label, budget)
        budget -= used
        tried += 1
        if profile is None or not _is_equilibrium(As, Bs, *profile, tol):
            failed += 1
            continue
        x, y = profile
        if not any(
            np.max(np.abs(x - fx)) <= 1e-9 and np.max(np.abs(y - fy)) <= 1e-9 for fx, fy in found
        ):
            found.append((x, y))
        if not all_labels:
            break
    return LemkeHowsonRun(tuple(found), tried, failed, False)
