"""Every extreme Nash equilibrium of stacks of bimatrix games, degenerate games included.

Method: vertex enumeration of the best-response polytopes with full label sets (B. von Stengel,
"Equilibrium computation for two-player games in strategic and extensive form", ch. 3 of
*Algorithmic Game Theory*, 2007, sections 3.4-3.6; D. Avis, G. Rosenberg, R. Savani,
B. von Stengel, "Enumeration of Nash equilibria for two-player games", *Economic Theory* 42
(2010) 9-37).

1. Rescale each player's payoffs affinely to ``[1, 2]`` (no equilibrium changes; one relative
   tolerance then fits every game). A constant payoff matrix becomes all ones.
2. ``P = {x >= 0 : B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}`` with labels ``0..m-1`` (row
   strategies) and ``m..m+n-1`` (column strategies).
3. A vertex of ``P`` is a feasible point where ``m`` linearly independent inequalities are tight.
   Choosing them means choosing a support ``S`` (``|S| = k``) and ``k`` tight payoff constraints
   ``J``: the ``k x k`` system ``B[S, J]^T x_S = 1`` (``x = 0`` off ``S``). All
   ``C(m + n, m)`` choices are tried; near-singular systems (reciprocal condition number
   below :data:`SINGULAR_RCOND`) and infeasible points are dropped; every surviving point gets
   its *full* label set from all ``m + n`` inequalities (the extra labels of degenerate vertices
   are what make degenerate equilibria visible); points are deduplicated by label set (and
   position). Likewise for ``Q``.
4. Non-zero vertices ``x``, ``y`` with ``labels(x) | labels(y) == all labels`` are the extreme
   equilibria, after normalising. In a non-degenerate game the labels must be complementary,
   which is a lookup; degenerate games test every pair.

Batching: the choices ``(S, J)`` are the same for every game of a stack, so each is solved for
a whole chunk of games in one array operation (games on the last axis; Cramer's rule for
``k <= 3``, vectorised Gauss-Jordan elimination with partial pivoting beyond). Every operation is
element-wise per game, so a game gets bit-for-bit the same answer alone or in any stack.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from sim.errors import SolverError
from sim.solver.components import label_components
from sim.solver.types import BoolArray, EquilibriumTable, FloatArray, IntArray

__all__ = [
    "MAX_STRATEGIES_TOTAL",
    "SINGULAR_RCOND",
    "SolverInternalError",
    "enumerate_equilibria",
    "solve_games",
]

SINGULAR_RCOND = 1e-12
"""A ``k x k`` system counts as singular when its reciprocal condition number
``1 / (||S||_1 ||S^-1||_1)`` is below this; otherwise singular but consistent systems produce
fake vertices. Exactly singular systems show ``rcond`` of about 1e-16 after rounding. The
relative determinant ``|det| / prod(row norms)`` suggested in solver-notes.md is not used: with
positive entries it is tiny for well-posed systems too (1e-18 at condition number 2e7 in von
Stengel's 6x6 game with 75 equilibria, which it would lose two equilibria of)."""

_PREFILTER = 1e-3
"""Generous bound on the error of a first, unrefined solution, for discarding candidates early."""

MAX_STRATEGIES_TOTAL = 62
"""Largest ``m + n``: label sets are int64 bitmasks."""

_TARGET_BYTES = 1 << 21
"""Rough size of the largest temporary array per step; small enough to stay in cache, which
was faster than big chunks in the prototype (the time goes to memory traffic)."""

_CONSTANT_SPREAD = 64 * np.finfo(np.float64).eps
"""A payoff matrix whose spread is below this times its magnitude is constant up to rounding."""


class SolverInternalError(AssertionError):
    """A computed equilibrium failed the independent best-response check: a bug, not bad input."""


@dataclass(frozen=True)
class StackSolution:
    """Internal result of :func:`enumerate_equilibria`: the table plus vertex ids.

    ``x_ids``/``y_ids`` identify the vertex of ``P``/``Q`` behind each equilibrium (unique over
    the whole stack); :func:`sim.solver.solve_game` uses them for maximal Nash subsets.
    """

    table: EquilibriumTable
    x_ids: IntArray
    y_ids: IntArray


@dataclass(frozen=True)
class _Combos:
    """Index sets for one system size ``k``: tight rows and supports, with their bitmasks."""

    rows: IntArray  # (nr, k) tight-row choices, lexicographic
    rows_mask: IntArray  # (nr,)
    vars: IntArray  # (nv, k) support choices, lexicographic
    vars_mask: IntArray  # (nv,)


@lru_cache(maxsize=256)
def _combos(p: int, q: int, k: int) -> _Combos:
    rows = np.array(list(combinations(range(p), k)), dtype=np.int64).reshape(-1, k)
    cols = np.array(list(combinations(range(q), k)), dtype=np.int64).reshape(-1, k)
    rows_mask = np.sum(np.left_shift(1, rows), axis=1, dtype=np.int64)
    cols_mask = np.sum(np.left_shift(1, cols), axis=1, dtype=np.int64)
    return _Combos(rows, rows_mask, cols, cols_mask)


def _popcount(mask: IntArray) -> IntArray:
    """Number of set bits of non-negative int64 values (SWAR; works on numpy < 2 as well)."""
    v = mask.astype(np.uint64)
    v = v - ((v >> np.uint64(1)) & np.uint64(0x5555555555555555))
    v = (v & np.uint64(0x3333333333333333)) + ((v >> np.uint64(2)) & np.uint64(0x3333333333333333))
    v = (v + (v >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return ((v * np.uint64(0x0101010101010101)) >> np.uint64(56)).astype(np.int64)


def _bits_to_mask(flags: BoolArray, bits: IntArray) -> IntArray:
    """OR of ``1 << bits[..., t]`` over the last axis where ``flags`` (distinct bits, so a sum)."""
    return np.sum(np.where(flags, np.left_shift(1, bits), 0), axis=-1, dtype=np.int64)


def _rescale(M: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Rescale each game's payoffs affinely to ``[1, 2]`` (constant matrices to all ones).

    Returns the rescaled stack and each game's payoff scale (spread, or magnitude for a constant
    matrix) used to judge the best-response check in original units.
    """
    flat = M.reshape(M.shape[0], -1)
    low = flat.min(axis=1)
    high = flat.max(axis=1)
    spread = high - low
    magnitude = np.maximum(np.abs(low), np.abs(high))
    constant = spread <= _CONSTANT_SPREAD * magnitude
    safe = np.where(constant, 1.0, spread)
    scaled = 1.0 + (M - low[:, None, None]) / safe[:, None, None]
    scaled[constant] = 1.0
    scale = np.where(constant, np.where(magnitude > 0, magnitude, 1.0), spread)
    return scaled, scale


def _solve_ones(sub: FloatArray, k: int) -> list[FloatArray]:
    """First solution of ``S z = 1`` for a batch of ``k x k`` systems ``sub[a, b, ...]``.

    Cramer's rule for ``k <= 3``, Gauss-Jordan elimination with partial pivoting beyond; batch
    axes last and every step element-wise, so a system's result does not depend on the rest of
    the batch. Singular systems give inf/nan, which every later comparison rejects.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if k == 1:
            return [1.0 / sub[0, 0]]
        if k == 2:
            a, b, c, d = sub[0, 0], sub[0, 1], sub[1, 0], sub[1, 1]
            det = a * d - b * c
            return [(d - b) / det, (a - c) / det]
        if k == 3:
            cof = _cofactors3(sub)
            det = sub[0, 0] * cof[0][0] + sub[0, 1] * cof[0][1] + sub[0, 2] * cof[0][2]
            # z = adj(S) 1 / det, adj the transposed cofactor matrix.
            return [(cof[0][j] + cof[1][j] + cof[2][j]) / det for j in range(3)]
        batch = sub.shape[2:]
        N = int(np.prod(batch))
        x = _gauss_jordan(sub.reshape(k, k, N), np.ones((k, 1, N)))
        return [x[t, 0].reshape(batch) for t in range(k)]


def _cofactors3(S: FloatArray) -> list[list[FloatArray]]:
    a, b, c = S[0, 0], S[0, 1], S[0, 2]
    d, e, f = S[1, 0], S[1, 1], S[1, 2]
    g, h, i = S[2, 0], S[2, 1], S[2, 2]
    return [
        [e * i - f * h, f * g - d * i, d * h - e * g],
        [c * h - b * i, a * i - c * g, b * g - a * h],
        [b * f - c * e, c * d - a * f, a * e - b * d],
    ]


def _inverse(S: FloatArray, k: int) -> FloatArray:
    """Inverses of a batch of ``k x k`` matrices ``S[a, b, v]`` (adjugate for ``k <= 3``)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if k == 1:
            return 1.0 / S
        if k == 2:
            a, b, c, d = S[0, 0], S[0, 1], S[1, 0], S[1, 1]
            det = a * d - b * c
            return np.stack([np.stack([d, -b]), np.stack([-c, a])]) / det
        if k == 3:
            cof = _cofactors3(S)
            det = S[0, 0] * cof[0][0] + S[0, 1] * cof[0][1] + S[0, 2] * cof[0][2]
            adj = np.stack([np.stack([cof[j][i] for j in range(3)]) for i in range(3)])
            return adj / det
        N = S.shape[2]
        eye = np.broadcast_to(np.eye(k)[:, :, None], (k, k, N))
        return _gauss_jordan(S, eye)


def _gauss_jordan(S: FloatArray, R: FloatArray) -> FloatArray:
    """Solve ``S X = R`` for batches ``S (k, k, N)``, ``R (k, r, N)``: Gauss-Jordan, partial
    pivoting, vectorised over the batch (the pivot is chosen per system)."""
    k, r, N = S.shape[0], R.shape[1], S.shape[2]
    U = np.empty((k, k + r, N), dtype=np.float64)
    U[:, :k, :] = S
    U[:, k:, :] = R
    used = np.zeros((k, N), dtype=bool)
    batch = np.arange(N)
    pivots: list[tuple[IntArray, FloatArray]] = []
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for t in range(k):
            column = np.abs(U[:, t, :])
            column[used] = -1.0
            piv = np.argmax(column, axis=0)
            prow = U[piv, :, batch]  # (N, k + r): each system's pivot row
            pval = prow[:, t].copy()
            used[piv, batch] = True
            factor = U[:, t, :] / pval
            factor[piv, batch] = 0.0
            U -= factor[:, None, :] * prow.T[None, :, :]
            pivots.append((piv, pval))
        # Row piv_t now holds only column t (its pivot) and the right-hand sides.
        return np.stack([U[piv, k:, batch].T / pval for piv, pval in pivots])


def _norm1(S: FloatArray) -> FloatArray:
    """1-norms (largest column sum of absolute values) of a batch ``S (k, k, V)``."""
    k = S.shape[0]
    out = np.abs(S[0, 0])
    for a in range(1, k):
        out = out + np.abs(S[a, 0])
    for b in range(1, k):
        col = np.abs(S[0, b])
        for a in range(1, k):
            col = col + np.abs(S[a, b])
        out = np.maximum(out, col)
    return out


def _polytope_vertices(
    Mt: FloatArray, tol: float, target_bytes: int
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Non-zero vertices of ``{z in R^q : z >= 0, M z <= 1}`` for a chunk of games.

    Parameters
    ----------
    Mt
        ``(p, q, G)``: the constraint matrix ``M`` (``p x q``, entries in ``[1, 2]``) of each of
        ``G`` games, games on the last axis.
    tol
        Tie tolerance for "tight" and "feasible".
    target_bytes
        Size of candidate blocks.

    Returns
    -------
    game, zero_bits, tight_bits, coords
        For each vertex found (duplicates included, in candidate order per game): its game, the
        bitmask of zero coordinates (over ``q``), of tight rows (over ``p``), and its ``(q,)``
        coordinates.
    """
    p, q, G = Mt.shape
    all_rows = np.arange(p)
    full_q = (1 << q) - 1
    games: list[IntArray] = []
    zeros: list[IntArray] = []
    tights: list[IntArray] = []
    coords: list[FloatArray] = []
    for k in range(1, min(p, q) + 1):
        cmb = _combos(p, q, k)
        n_vars = cmb.vars.shape[0]
        n_cand = cmb.rows.shape[0] * n_vars
        block = max(1, target_bytes // (G * (k * k + 2 * k + 4) * 8))
        for start in range(0, n_cand, block):
            ri, vi = np.divmod(np.arange(start, min(start + block, n_cand)), n_vars)
            rows = cmb.rows[ri]
            cols = cmb.vars[vi]
            sub = Mt[rows.T[:, None, :], cols.T[None, :, :]]  # (k, k, nb, G)
            z0 = _solve_ones(sub, k)
            # Loose pre-filter; the exact test follows on refined solutions of the few left.
            ok = z0[0] >= -_PREFILTER
            for t in range(1, k):
                ok &= z0[t] >= -_PREFILTER
            ci, gi = np.nonzero(ok)
            if ci.size == 0:
                continue
            S = sub[:, :, ci, gi]  # (k, k, V)
            inv = _inverse(S, k)
            with np.errstate(invalid="ignore", over="ignore"):
                rcond = 1.0 / (_norm1(S) * _norm1(inv))
                # One step of iterative refinement: the residual, hence the labels of the
                # chosen rows, becomes reliable even for ill-conditioned systems.
                zs = [z0[t][ci, gi] for t in range(k)]
                res = [1.0 - _dot(S[a], zs) for a in range(k)]
                zc = np.stack([zs[t] + _dot(inv[t], res) for t in range(k)], axis=1)  # (V, k)
                keep = (rcond >= SINGULAR_RCOND) & np.all(zc >= -tol, axis=1)
            if not np.any(keep):
                continue
            ci, gi, zc = ci[keep], gi[keep], zc[keep]
            ri_c, vi_c = ri[ci], vi[ci]
            vc = cols[ci]
            # Slack of every row (the chosen ones included: their residual guards against
            # inaccurate solutions of ill-conditioned systems).
            Mrows = Mt[all_rows[None, :, None], vc[:, None, :], gi[:, None, None]]  # (V, p, k)
            value = Mrows[:, :, 0] * zc[:, 0:1]
            for t in range(1, k):
                value = value + Mrows[:, :, t] * zc[:, t : t + 1]
            slack = 1.0 - value
            tight = np.abs(slack) <= tol
            tight_bits = _bits_to_mask(tight, all_rows)
            chosen = cmb.rows_mask[ri_c]
            feasible = np.all(slack >= -tol, axis=1) & ((tight_bits & chosen) == chosen)
            zero_bits = (full_q ^ cmb.vars_mask[vi_c]) | _bits_to_mask(np.abs(zc) <= tol, vc)
            point = np.zeros((ci.size, q), dtype=np.float64)
            np.put_along_axis(point, vc, zc, axis=1)
            games.append(gi[feasible].astype(np.int64))
            zeros.append(zero_bits[feasible])
            tights.append(tight_bits[feasible])
            coords.append(point[feasible])
    if not games:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty.copy(), np.zeros((0, q), dtype=np.float64)
    return (
        np.concatenate(games),
        np.concatenate(zeros),
        np.concatenate(tights),
        np.concatenate(coords),
    )


def _dedupe(
    game: IntArray, mask: IntArray, coords: FloatArray, n_labels: int, merge_tol: float
) -> tuple[IntArray, IntArray, FloatArray]:
    """Deduplicate vertices by label set, then merge coincident points; sort by (game, mask).

    A label set determines a vertex (its tight constraints have full rank), so equal sets are
    the same vertex reached from different systems; the first one found is kept. Distinct sets
    at the same position can only arise from a constraint at the edge of the tolerance; such
    points are merged with the union of their labels so no equilibrium is reported twice.
    """
    key = (game << n_labels) | mask
    _, first = np.unique(key, return_index=True)
    game, mask, coords = game[first], mask[first], coords[first]
    if game.size > 1:
        order = np.lexsort((*coords.T[::-1], game))
        g_sorted, c_sorted = game[order], coords[order]
        same = (g_sorted[1:] == g_sorted[:-1]) & (
            np.max(np.abs(c_sorted[1:] - c_sorted[:-1]), axis=1) <= merge_tol
        )
        if np.any(same):
            starts = np.flatnonzero(np.r_[True, ~same])
            mask = np.bitwise_or.reduceat(mask[order], starts)
            game = g_sorted[starts]
            coords = c_sorted[starts]
            key = (game << n_labels) | mask
            _, first = np.unique(key, return_index=True)
            game, mask, coords = game[first], mask[first], coords[first]
    return game, mask, coords


def _ragged_pairs(
    groups: IntArray, start_a: IntArray, len_a: IntArray, start_b: IntArray, len_b: IntArray
) -> tuple[IntArray, IntArray]:
    """All index pairs ``(a, b)`` with ``a`` and ``b`` in the same group's ranges, vectorised."""
    na = len_a[groups]
    nb = len_b[groups]
    sizes = na * nb
    total = int(sizes.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    offsets = np.cumsum(sizes) - sizes
    which = np.repeat(np.arange(groups.size), sizes)
    local = np.arange(total, dtype=np.int64) - offsets[which]
    nb_rep = nb[which]
    a = start_a[groups][which] + local // nb_rep
    b = start_b[groups][which] + local % nb_rep
    return a, b


@dataclass(frozen=True)
class _ChunkResult:
    game: IntArray
    row: FloatArray
    col: FloatArray
    payoffs: FloatArray
    component: IntArray
    degenerate: BoolArray
    count: IntArray
    x_ids: IntArray
    y_ids: IntArray
    n_x: int
    n_y: int


def _dot(row: FloatArray, vec: list[FloatArray]) -> FloatArray:
    """``sum_t row[t] * vec[t]`` in a fixed order (element-wise, batch-independent)."""
    out = row[0] * vec[0]
    for t in range(1, len(vec)):
        out = out + row[t] * vec[t]
    return out


def _normalise(v: FloatArray) -> FloatArray:
    total = v[:, 0].copy()
    for i in range(1, v.shape[1]):
        total = total + v[:, i]
    return v / total[:, None]


def _solve_chunk(A: FloatArray, B: FloatArray, tol: float, target_bytes: int) -> _ChunkResult:
    """Extreme equilibria of a chunk of ``G`` games (see the module docstring)."""
    G, m, n = A.shape
    n_labels = m + n
    all_labels = (1 << n_labels) - 1
    As, a_scale = _rescale(A)
    Bs, b_scale = _rescale(B)

    # P = {x >= 0 : B^T x <= 1}: constraint rows are columns j of B (labels m + j), variables
    # are rows i (labels i).  Q = {y >= 0 : A y <= 1}: rows i (labels i), variables j (m + j).
    gP, zP, tP, xP = _polytope_vertices(
        np.ascontiguousarray(Bs.transpose(2, 1, 0)), tol, target_bytes
    )
    gQ, zQ, tQ, yQ = _polytope_vertices(
        np.ascontiguousarray(As.transpose(1, 2, 0)), tol, target_bytes
    )
    merge_tol = 10.0 * tol
    gP, maskP, xP = _dedupe(gP, zP | (tP << m), xP, n_labels, merge_tol)
    gQ, maskQ, yQ = _dedupe(gQ, tQ | (zQ << m), yQ, n_labels, merge_tol)

    degenerate = np.zeros(G, dtype=bool)
    degenerate[gP[_popcount(maskP) > m]] = True
    degenerate[gQ[_popcount(maskQ) > n]] = True

    # Non-degenerate games: every vertex has exactly m (n) labels, so a partner must carry
    # exactly the complementary labels: a sorted lookup. Keys are (game, mask), sorted.
    keyQ = (gQ << n_labels) | maskQ
    candP = np.flatnonzero(~degenerate[gP])
    want = (gP[candP] << n_labels) | (all_labels ^ maskP[candP])
    pos = np.minimum(np.searchsorted(keyQ, want), max(keyQ.size - 1, 0))
    hit = (keyQ[pos] == want) if keyQ.size else np.zeros(want.size, dtype=bool)
    eP = [candP[hit]]
    eQ = [pos[hit].astype(np.int64)]
    # Degenerate games: a partner may carry extra labels; test every pair of the game.
    deg_games = np.flatnonzero(degenerate)
    if deg_games.size:
        startP = np.searchsorted(gP, np.arange(G))
        lenP = np.searchsorted(gP, np.arange(G), side="right") - startP
        startQ = np.searchsorted(gQ, np.arange(G))
        lenQ = np.searchsorted(gQ, np.arange(G), side="right") - startQ
        a, b = _ragged_pairs(deg_games, startP, lenP, startQ, lenQ)
        good = (maskP[a] | maskQ[b]) == all_labels
        eP.append(a[good])
        eQ.append(b[good])
    iP = np.concatenate(eP)
    iQ = np.concatenate(eQ)

    game = gP[iP]
    # Coordinates carrying a zero label are exactly zero in the equilibrium.
    x = xP[iP].copy()
    y = yQ[iQ].copy()
    x[((maskP[iP][:, None] >> np.arange(m)) & 1).astype(bool)] = 0.0
    y[((maskQ[iQ][:, None] >> (m + np.arange(n))) & 1).astype(bool)] = 0.0
    row = _clean(_normalise(x), tol)
    col = _clean(_normalise(y), tol)

    # Expected payoffs and best-response values with the original payoffs.
    Ag, Bg = A[game], B[game]
    row_values = Ag[:, :, 0] * col[:, 0:1]
    for j in range(1, n):
        row_values = row_values + Ag[:, :, j] * col[:, j : j + 1]
    col_values = Bg[:, 0, :] * row[:, 0:1]
    for i in range(1, m):
        col_values = col_values + Bg[:, i, :] * row[:, i : i + 1]
    u_row = row[:, 0] * row_values[:, 0]
    for i in range(1, m):
        u_row = u_row + row[:, i] * row_values[:, i]
    u_col = col[:, 0] * col_values[:, 0]
    for j in range(1, n):
        u_col = u_col + col[:, j] * col_values[:, j]

    _verify(row, col, row_values, col_values, a_scale[game], b_scale[game], tol, m, n)

    row_support = _bits_to_mask(row > 0, np.arange(m))
    col_support = _bits_to_mask(col > 0, np.arange(n))
    order = np.lexsort((*col.T[::-1], *row.T[::-1], col_support, row_support, game))
    game, row, col = game[order], row[order], col[order]
    payoffs = np.stack([u_row[order], u_col[order]], axis=1)
    x_ids, y_ids = iP[order], iQ[order]
    component = label_components(game, x_ids, y_ids)
    count = np.bincount(game, minlength=G).astype(np.int64)
    return _ChunkResult(
        game, row, col, payoffs, component, degenerate, count, x_ids, y_ids, gP.size, gQ.size
    )


def _clean(prob: FloatArray, tol: float) -> FloatArray:
    """Set probabilities within ``tol`` of zero to exactly 0.0 and renormalise those rows."""
    small = np.abs(prob) <= tol
    touched = np.any(small & (prob != 0.0), axis=1)
    prob = np.where(small, 0.0, prob)
    if np.any(touched):
        prob[touched] = _normalise(prob[touched])
    return prob


def _verify(
    row: FloatArray,
    col: FloatArray,
    row_values: FloatArray,
    col_values: FloatArray,
    a_scale: FloatArray,
    b_scale: FloatArray,
    tol: float,
    m: int,
    n: int,
) -> None:
    """Independent check: every pure strategy in a support earns the best payoff (within tol).

    Ties are judged on the rescaled game with ``tol``; normalising and cleaning can enlarge a
    payoff gap by a bounded factor, hence the margin. A failure is a bug, never bad input.
    """
    margin = 8.0 * (m + n + 2) * tol + 1e-12
    bad_row = (row > 0) & (
        row_values < row_values.max(axis=1, keepdims=True) - margin * a_scale[:, None]
    )
    bad_col = (col > 0) & (
        col_values < col_values.max(axis=1, keepdims=True) - margin * b_scale[:, None]
    )
    sums_ok = np.all(np.abs(row.sum(axis=1) - 1.0) <= 1e-9) and np.all(
        np.abs(col.sum(axis=1) - 1.0) <= 1e-9
    )
    if np.any(bad_row) or np.any(bad_col) or not sums_ok or np.any(row < 0) or np.any(col < 0):
        e = (
            int(np.flatnonzero(np.any(bad_row, axis=1) | np.any(bad_col, axis=1))[0])
            if (np.any(bad_row) or np.any(bad_col))
            else 0
        )
        raise SolverInternalError(
            "internal error: a computed equilibrium is not a pair of mutual best responses "
            f"(row {row[e].tolist()}, column {col[e].tolist()}); please report this bug"
        )


def default_chunk_size(m: int, n: int, target_bytes: int = _TARGET_BYTES) -> int:
    """Games per chunk so the largest temporary array is about ``target_bytes``."""
    per_game = 1
    for k in range(1, min(m, n) + 1):
        n_cand = math.comb(m, k) * math.comb(n, k)
        per_game = max(per_game, n_cand * (k * k + 2 * k + 4) * 8)
    return max(1, target_bytes // per_game)


def _check_stack(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    Aa = np.ascontiguousarray(A, dtype=np.float64)
    Ba = np.ascontiguousarray(B, dtype=np.float64)
    if Aa.ndim != 3 or Aa.shape != Ba.shape:
        raise ValueError(f"A and B must both have shape (K, m, n); got {Aa.shape} and {Ba.shape}")
    K, m, n = Aa.shape
    if m < 1 or n < 1:
        raise ValueError("each player needs at least one strategy")
    if m + n > MAX_STRATEGIES_TOTAL:
        raise SolverError(
            f"a {m}x{n} game is too large for enumerating every equilibrium (at most "
            f"{MAX_STRATEGIES_TOTAL} strategies in total); use method 'lemke-howson' to find one"
        )
    for name, M in (("A", Aa), ("B", Ba)):
        finite = np.isfinite(M.reshape(K, -1)).all(axis=1)
        if not finite.all():
            bad = int(np.flatnonzero(~finite)[0])
            raise SolverError(f"payoff matrix {name} of game {bad} has a non-finite entry")
    return Aa, Ba


def enumerate_equilibria(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    *,
    tol: float = 1e-9,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> StackSolution:
    """:func:`solve_games` plus the vertex ids behind each equilibrium (internal use)."""
    if not (0.0 < tol < 1e-3):
        raise ValueError(f"tol must be in (0, 1e-3); got {tol}")
    Aa, Ba = _check_stack(A, B)
    K, m, n = Aa.shape
    n_labels = m + n
    chunk = chunk_size if chunk_size is not None else default_chunk_size(m, n)
    if chunk < 1:
        raise ValueError("chunk_size must be at least 1")
    # Keys (game << labels) | mask must fit in int64.
    chunk = min(chunk, 1 << max(0, 62 - n_labels), max(K, 1))
    parts: list[_ChunkResult] = []
    offsets: list[int] = []
    for start in range(0, K, chunk):
        stop = min(start + chunk, K)
        parts.append(_solve_chunk(Aa[start:stop], Ba[start:stop], tol, _TARGET_BYTES))
        offsets.append(start)
        if progress is not None:
            progress(stop, K)
    if not parts:
        empty_i = np.zeros(0, dtype=np.int64)
        table = EquilibriumTable(
            empty_i,
            np.zeros((0, m)),
            np.zeros((0, n)),
            np.zeros((0, 2)),
            empty_i,
            np.zeros(0, dtype=bool),
            empty_i,
        )
        return StackSolution(table, empty_i, empty_i)
    x_base = np.cumsum([0] + [p.n_x for p in parts])
    y_base = np.cumsum([0] + [p.n_y for p in parts])
    table = EquilibriumTable(
        game_index=np.concatenate([p.game + o for p, o in zip(parts, offsets, strict=True)]),
        row=np.concatenate([p.row for p in parts]),
        col=np.concatenate([p.col for p in parts]),
        payoffs=np.concatenate([p.payoffs for p in parts]),
        component=np.concatenate([p.component for p in parts]),
        degenerate=np.concatenate([p.degenerate for p in parts]),
        count=np.concatenate([p.count for p in parts]),
    )
    x_ids = np.concatenate([p.x_ids + b for p, b in zip(parts, x_base, strict=False)])
    y_ids = np.concatenate([p.y_ids + b for p, b in zip(parts, y_base, strict=False)])
    return StackSolution(table, x_ids, y_ids)


def solve_games(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    *,
    tol: float = 1e-9,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EquilibriumTable:
    """Every extreme Nash equilibrium of each game of a stack, degenerate games included.

    Vertex enumeration of the best-response polytopes with full label sets (von Stengel 2007,
    sections 3.4-3.6; Avis et al. 2010), batched over the stack: each choice of tight
    constraints is solved for a whole chunk of games in one array operation.

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(K, m, n)``, finite; ``m + n <= 62``.
    tol
        Tie tolerance on the game rescaled to payoffs in ``[1, 2]``: payoff differences below
        ``tol`` times a player's payoff spread count as ties. 1e-9 suits float64 payoffs.
    chunk_size
        Games solved together; by default chosen from ``(m, n)`` so temporaries stay a few MB.
    progress
        Called as ``progress(done, K)`` after each chunk.

    Returns
    -------
    EquilibriumTable
        One row per extreme equilibrium; ``degenerate`` and ``count`` per game. Within a game
        equilibria are ordered by row-support bitmask, column-support bitmask, then
        probabilities. Every equilibrium has been verified as mutual best responses.

    Raises
    ------
    SolverError
        A payoff is not finite, or the game is too large for enumeration.
    SolverInternalError
        A computed equilibrium failed verification (a bug; please report it).
    """
    return enumerate_equilibria(A, B, tol=tol, chunk_size=chunk_size, progress=progress).table
