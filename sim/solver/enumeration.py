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
``k <= 4``, vectorised Gauss-Jordan elimination with partial pivoting beyond). Every operation is
element-wise per game, so a game gets bit-for-bit the same answer alone or in any stack.

Most of the time goes to moving memory (gathers, compaction, labels) rather than to the solves,
so the code gathers whole rows of games at once (:func:`_gather`), compacts with flat indices,
keeps long vector operations contiguous, and picks between whole-array and row-by-row forms of
the small matrix products by batch size (:data:`_SMALL_BATCH`). Each of those forms performs the
same floating-point operations in the same order, so results do not depend on the choice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from sim.errors import SolverError
from sim.solver.components import connected_roots, label_components
from sim.solver.types import BoolArray, EquilibriumTable, FloatArray, IntArray

__all__ = [
    "ENUMERATION_MAX_SYSTEMS",
    "MAX_STRATEGIES_TOTAL",
    "MAX_SYSTEMS",
    "SINGULAR_RCOND",
    "SolverInternalError",
    "enumerate_equilibria",
    "enumeration_is_practical",
    "solve_games",
]

SINGULAR_RCOND = 1e-12
"""A ``k x k`` system counts as singular when its reciprocal condition number
``1 / (||S||_1 ||S^-1||_1)`` is below this; otherwise singular but consistent systems produce
fake vertices. Exactly singular systems show ``rcond`` of about 1e-16 after rounding. The
relative determinant ``|det| / prod(row norms)`` suggested in solver-notes.md is not used: with
positive entries it is tiny for well-posed systems too (1e-18 at condition number 2e7 in von
Stengel's 6x6 game with 75 equilibria, which it would lose two equilibria of)."""

_PREFILTER = 1e-2
"""Generous bound on the error of a first, unrefined solution (condition number up to
``1 / SINGULAR_RCOND``), for discarding candidates early."""

MAX_STRATEGIES_TOTAL = 62
"""Largest ``m + n``: label sets are int64 bitmasks."""

MAX_SYSTEMS = 10**8
"""Largest ``C(m + n, m)``, the number of linear systems per polytope (a 14x14 game has
4e7 and takes minutes; beyond that enumeration is impractical and we refuse early)."""

ENUMERATION_MAX_SYSTEMS = math.comb(20, 10)
"""Largest ``C(m + n, m)`` (linear systems per polytope) for which :func:`sim.solver.solve_game`
and sweeps enumerate every equilibrium: 184,756, a 10x10 game, about 0.4 s per game on one core
(measured). Every extra strategy multiplies the work by about 4 (11x11: ~1.5 s, 12x12: ~6 s per
game), so larger games fall back to the Lemke-Howson algorithm, which finds one equilibrium
in milliseconds."""


def enumeration_is_practical(m: int, n: int) -> bool:
    """Whether enumerating every equilibrium of an ``m x n`` game takes at most about 0.5 s."""
    return m + n <= MAX_STRATEGIES_TOTAL and math.comb(m + n, m) <= ENUMERATION_MAX_SYSTEMS


_BLOCK_SYSTEMS = 1 << 15
"""Systems solved per array operation (candidates x games). Large enough that numpy's per-call
overhead is negligible, small enough that the temporaries stay near the cache; measured best
between 2^15 and 2^17 for 2x2 to 6x6 games."""

_BLOCK_BYTES = 32 << 20
"""Cap on the largest temporary array of one block, for large games."""

_OWNER_CACHE = 1 << 17
"""Largest ``candidates x games`` array whose flat-index owners are cached (2 MB each)."""

_INDEX_CACHE_CANDIDATES = 5000
"""Systems of one size per polytope up to which the gather indices are cached (8x8 games)."""

_SMALL_BATCH = 512
"""Batches of at most this many systems use whole-array forms of the small matrix products
(fewer numpy calls); larger ones loop over rows (less memory traffic). Same results."""

_MATMUL_PREFILTER = 4
"""From this many variables on, the loose feasibility test multiplies dense solution blocks by
``M`` (one batched matrix product) instead of gathering ``M``'s columns (measured faster from
4x4 games on; slower for 2x2 and 3x3)."""

_JOINT_POLYTOPES = 256
"""Chunks of at most this many square games enumerate both polytopes in one pass."""

_DENSE_LOOKUP = 1 << 22
"""Largest ``2^(m+n) * games`` for which partner lookup uses a dense table (else a sort)."""

_MERGE = 128.0
"""Points of a polytope closer than ``_MERGE * tol`` (max norm) count as one point, and so do
equilibria whose probabilities are that close: they differ only through ties at the edge of the
tolerance, and reporting both would list one equilibrium twice."""

_CONSTANT_SPREAD = 64 * np.finfo(np.float64).eps
"""A payoff matrix whose spread is below this times its magnitude is constant up to rounding."""


class SolverInternalError(AssertionError):
    """A computed equilibrium failed the independent best-response check: a bug, not bad input."""


@dataclass(frozen=True)
class StackSolution:
    """Internal result of :func:`enumerate_equilibria`: the table plus strategy ids.

    ``x_ids``/``y_ids`` identify the row/column strategy of each equilibrium: the vertex of
    ``P``/``Q`` behind it, or its cluster of coincident vertices (unique over the whole stack).
    :func:`sim.solver.solve_game` uses them for maximal Nash subsets.
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
    rows_mask = np.asarray(np.left_shift(1, rows).sum(axis=1), dtype=np.int64)
    cols_mask = np.asarray(np.left_shift(1, cols).sum(axis=1), dtype=np.int64)
    for shared in (rows, rows_mask, cols, cols_mask):
        shared.setflags(write=False)  # cached: must never be modified
    return _Combos(rows, rows_mask, cols, cols_mask)


def _popcount(mask: IntArray) -> IntArray:
    """Number of set bits of non-negative int64 values (SWAR; works on numpy < 2 as well)."""
    v = mask.astype(np.uint64)
    v = v - ((v >> np.uint64(1)) & np.uint64(0x5555555555555555))
    v = (v & np.uint64(0x3333333333333333)) + ((v >> np.uint64(2)) & np.uint64(0x3333333333333333))
    v = (v + (v >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return ((v * np.uint64(0x0101010101010101)) >> np.uint64(56)).astype(np.int64)


def _rescale(M: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Rescale each game's payoffs affinely to ``[1, 2]`` (constant matrices to all ones).

    Returns the rescaled stack, each game's minimum payoff and its payoff scale for the
    best-response check: the spread ``max - min``, or infinity for a matrix that is constant up
    to rounding (every strategy is then a best response).
    """
    flat = M.reshape(M.shape[0], -1)
    if flat.shape[1] <= 16:
        # Element-wise over the few entries: faster than a reduction over a short axis.
        low = flat[:, 0].copy()
        high = flat[:, 0].copy()
        for e in range(1, flat.shape[1]):
            np.minimum(low, flat[:, e], out=low)
            np.maximum(high, flat[:, e], out=high)
    else:
        low = flat.min(axis=1)
        high = flat.max(axis=1)
    spread = high - low
    constant = spread <= _CONSTANT_SPREAD * np.maximum(np.abs(low), np.abs(high))
    safe = np.where(constant, 1.0, spread)
    scaled = 1.0 + (M - low[:, None, None]) / safe[:, None, None]
    scaled[constant] = 1.0
    return scaled, low, np.where(constant, np.inf, spread)


def _rowsum(P: FloatArray) -> FloatArray:
    """``P[:, 0] + P[:, 1] + ...`` in index order: a sum over axis 1 that is element-wise and
    batch-independent (numpy's own reductions may sum pairwise, in a layout-dependent order)."""
    acc = P[:, 0]
    for t in range(1, P.shape[1]):
        acc = acc + P[:, t]
    return acc


def _matvec(M: FloatArray, z: FloatArray) -> FloatArray:
    """``sum_t M[:, t] * z[t]`` for a batch: ``M (r, k, ...V)``, ``z (k, ...V)`` -> ``(r, ...V)``.

    The terms are added in order ``t`` either way; small batches use a few whole-array
    operations (call overhead dominates there), large ones row by row (contiguous, cache
    friendly), with identical results.
    """
    if M[0, 0].size <= _SMALL_BATCH:
        return _rowsum(M * z)
    out = np.empty((M.shape[0], *z.shape[1:]), dtype=np.float64)
    for a in range(M.shape[0]):
        acc = M[a, 0] * z[0]
        for t in range(1, M.shape[1]):
            acc += M[a, t] * z[t]
        out[a] = acc
    return out


def _signed_terms(
    left: FloatArray, right: FloatArray, table: tuple[IntArray, IntArray, FloatArray]
) -> FloatArray:
    """``sum_t sign[i, t] * left[l[i, t]] * right[r[i, t]]`` for every output ``i``, summed in
    order ``t`` (so each output equals the written-out expression bit for bit: ``a - b`` is
    ``a + (-b)`` in IEEE arithmetic, and ``-x * y`` is ``-(x * y)``)."""
    li, ri, sign = table
    if left[0].size <= _SMALL_BATCH:
        terms = left[li] * right[ri]  # (outputs, terms, ...batch)
        terms *= sign.reshape(sign.shape + (1,) * (terms.ndim - 2))
        return _rowsum(terms)
    # Large batches: the same expressions written out, without gathering copies.
    out = np.empty((li.shape[0], *left.shape[1:]), dtype=np.float64)
    for i in range(li.shape[0]):
        acc = left[li[i, 0]] * right[ri[i, 0]]
        if sign[i, 0] < 0:
            np.negative(acc, out=acc)
        for t in range(1, li.shape[1]):
            term = left[li[i, t]] * right[ri[i, t]]
            if sign[i, t] < 0:
                acc -= term
            else:
                acc += term
        out[i] = acc
    return out


def _term_table(
    spec: list[list[tuple[int, int, int]]],
) -> tuple[IntArray, IntArray, FloatArray]:
    """Index and sign arrays of a list of signed-product sums ``[(sign, l, r), ...]``."""
    li = np.array([[t[1] for t in row] for row in spec], dtype=np.int64)
    ri = np.array([[t[2] for t in row] for row in spec], dtype=np.int64)
    sign = np.array([[float(t[0]) for t in row] for row in spec])
    for shared in (li, ri, sign):
        shared.setflags(write=False)
    return li, ri, sign


# 2x2 minors of a row pair, column pairs (0,1), (0,2), (0,3), (1,2), (1,3), (2,3).
_PAIR_A = np.array([0, 0, 0, 1, 1, 2], dtype=np.int64)
_PAIR_B = np.array([1, 2, 3, 2, 3, 3], dtype=np.int64)
_DET4_SIGN = np.array([1.0, -1.0, 1.0, 1.0, -1.0, 1.0])
# Row sums of the 4x4 adjugate (Laplace expansion by the 2x2 minors of rows 0-1 and 2-3):
# left = [d0..d3, e0..e3] (row differences), right = [s0..s5, c0..c5] (minors).
_ADJ4_ROWSUMS = _term_table(
    [
        [(1, 1, 11), (-1, 2, 10), (1, 3, 9), (1, 5, 5), (-1, 6, 4), (1, 7, 3)],
        [(-1, 0, 11), (1, 2, 8), (-1, 3, 7), (-1, 4, 5), (1, 6, 2), (-1, 7, 1)],
        [(1, 0, 10), (-1, 1, 8), (1, 3, 6), (1, 4, 4), (-1, 5, 2), (1, 7, 0)],
        [(-1, 0, 9), (1, 1, 7), (-1, 2, 6), (-1, 4, 3), (1, 5, 1), (-1, 6, 0)],
    ]
)


def _adj4_spec() -> list[list[tuple[int, int, int]]]:
    """Adjugate of a 4x4 matrix: left = the 16 entries ``a[r, c]`` (index ``4 r + c``),
    right = [s0..s5, c0..c5]; entry ``(i, j)`` is row ``4 i + j``."""
    s = [0, 1, 2, 3, 4, 5]
    c = [6, 7, 8, 9, 10, 11]

    def a(r: int, col: int) -> int:
        return 4 * r + col

    return [
        [(1, a(1, 1), c[5]), (-1, a(1, 2), c[4]), (1, a(1, 3), c[3])],
        [(-1, a(0, 1), c[5]), (1, a(0, 2), c[4]), (-1, a(0, 3), c[3])],
        [(1, a(3, 1), s[5]), (-1, a(3, 2), s[4]), (1, a(3, 3), s[3])],
        [(-1, a(2, 1), s[5]), (1, a(2, 2), s[4]), (-1, a(2, 3), s[3])],
        [(-1, a(1, 0), c[5]), (1, a(1, 2), c[2]), (-1, a(1, 3), c[1])],
        [(1, a(0, 0), c[5]), (-1, a(0, 2), c[2]), (1, a(0, 3), c[1])],
        [(-1, a(3, 0), s[5]), (1, a(3, 2), s[2]), (-1, a(3, 3), s[1])],
        [(1, a(2, 0), s[5]), (-1, a(2, 2), s[2]), (1, a(2, 3), s[1])],
        [(1, a(1, 0), c[4]), (-1, a(1, 1), c[2]), (1, a(1, 3), c[0])],
        [(-1, a(0, 0), c[4]), (1, a(0, 1), c[2]), (-1, a(0, 3), c[0])],
        [(1, a(3, 0), s[4]), (-1, a(3, 1), s[2]), (1, a(3, 3), s[0])],
        [(-1, a(2, 0), s[4]), (1, a(2, 1), s[2]), (-1, a(2, 3), s[0])],
        [(-1, a(1, 0), c[3]), (1, a(1, 1), c[1]), (-1, a(1, 2), c[0])],
        [(1, a(0, 0), c[3]), (-1, a(0, 1), c[1]), (1, a(0, 2), c[0])],
        [(-1, a(3, 0), s[3]), (1, a(3, 1), s[1]), (-1, a(3, 2), s[0])],
        [(1, a(2, 0), s[3]), (-1, a(2, 1), s[1]), (1, a(2, 2), s[0])],
    ]


_ADJ4 = _term_table(_adj4_spec())


def _solve_ones(sub: FloatArray, k: int) -> FloatArray:
    """First solution ``(k, ...batch)`` of ``S z = 1`` for a batch of ``k x k`` systems
    ``sub[a, b, ...]``.

    Cramer's rule for ``k <= 4``, Gauss-Jordan elimination with partial pivoting beyond; batch
    axes last and every step element-wise (each output is one fixed expression of its own
    system), so a system's result does not depend on the rest of the batch. Singular systems
    give inf/nan, which every later comparison rejects.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if k == 1:
            return 1.0 / sub[0]
        out = np.empty(sub.shape[1:], dtype=np.float64)
        if k == 2:
            a, b, c, d = sub[0, 0], sub[0, 1], sub[1, 0], sub[1, 1]
            det = a * d - b * c
            np.divide(np.subtract(d, b, out=out[0]), det, out=out[0])
            np.divide(np.subtract(a, c, out=out[1]), det, out=out[1])
            return out
        if k == 3:
            cof = _cofactors3(sub)
            det = sub[0, 0] * cof[0][0] + sub[0, 1] * cof[0][1] + sub[0, 2] * cof[0][2]
            # z = adj(S) 1 / det, adj the transposed cofactor matrix.
            for j in range(3):
                np.divide(cof[0][j] + cof[1][j] + cof[2][j], det, out=out[j])
            return out
        if k == 4:
            minors = _minors4(sub)
            det = _det4(minors)
            diffs = np.concatenate([sub[1] - sub[0], sub[3] - sub[2]])
            return _signed_terms(diffs, minors, _ADJ4_ROWSUMS) / det
        batch = sub.shape[2:]
        N = int(np.prod(batch))
        x = _gauss_jordan(sub.reshape(k, k, N), np.ones((k, 1, N)))
        return x[:, 0].reshape((k, *batch))


def _cofactors3(S: FloatArray) -> list[list[FloatArray]]:
    """Cofactors ``[i][j]`` of a batch of 3x3 matrices ``S (3, 3, ...)``."""
    a, b, c = S[0, 0], S[0, 1], S[0, 2]
    d, e, f = S[1, 0], S[1, 1], S[1, 2]
    g, h, i = S[2, 0], S[2, 1], S[2, 2]
    return [
        [e * i - f * h, f * g - d * i, d * h - e * g],
        [c * h - b * i, a * i - c * g, b * g - a * h],
        [b * f - c * e, c * d - a * f, a * e - b * d],
    ]


def _minors4(S: FloatArray) -> FloatArray:
    """2x2 minors ``(12, ...)`` of 4x4 matrices: rows 0-1 (``s0..s5``), then rows 2-3
    (``c0..c5``), column pairs (0,1), (0,2), (0,3), (1,2), (1,3), (2,3) (so
    ``det = sum of +-s[i] c[5 - i]``)."""
    if S[0, 0].size <= _SMALL_BATCH:
        top = S[0][_PAIR_A] * S[1][_PAIR_B] - S[0][_PAIR_B] * S[1][_PAIR_A]
        low = S[2][_PAIR_A] * S[3][_PAIR_B] - S[2][_PAIR_B] * S[3][_PAIR_A]
        return np.concatenate([top, low])
    out = np.empty((12, *S.shape[2:]), dtype=np.float64)
    for r, (u, v) in enumerate(((0, 1), (2, 3))):
        for i, (a, b) in enumerate(zip(_PAIR_A.tolist(), _PAIR_B.tolist(), strict=True)):
            np.subtract(S[u, a] * S[v, b], S[u, b] * S[v, a], out=out[6 * r + i])
    return out


def _det4(minors: FloatArray) -> FloatArray:
    """``s0 c5 - s1 c4 + s2 c3 + s3 c2 - s4 c1 + s5 c0``, summed in that order."""
    terms = minors[:6] * minors[6:][::-1]
    terms *= _DET4_SIGN.reshape((6,) + (1,) * (terms.ndim - 1))
    return _rowsum(terms[None])[0]


def _adjugate4(S: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Adjugate and determinant of a batch of 4x4 matrices ``S (4, 4, V)``."""
    minors = _minors4(S)
    adj = _signed_terms(S.reshape(16, *S.shape[2:]), minors, _ADJ4)
    return adj.reshape(S.shape), _det4(minors)


def _inverse(S: FloatArray, k: int) -> FloatArray:
    """Inverses of a batch of ``k x k`` matrices ``S[a, b, v]`` (adjugate for ``k <= 4``)."""
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
        if k == 4:
            adj4, det4 = _adjugate4(S)
            return adj4 / det4
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
            # (k + r, N): each system's pivot row, contiguous along the batch
            prow = np.take_along_axis(U, piv[None, None, :], axis=0)[0]
            pval = prow[t].copy()
            used[piv, batch] = True
            factor = U[:, t, :] / pval
            factor[piv, batch] = 0.0
            U -= factor[:, None, :] * prow[None, :, :]
            pivots.append((piv, pval))
        # Row piv_t now holds only column t (its pivot) and the right-hand sides.
        return np.stack([U[piv, k:, batch].T / pval for piv, pval in pivots])


def _norm1(S: FloatArray) -> FloatArray:
    """1-norms (largest column sum of absolute values) of a batch ``S (k, k, V)``."""
    k = S.shape[0]
    if S[0, 0].size <= _SMALL_BATCH:
        return _max0(_rowsum(np.abs(S).swapaxes(0, 1)))  # column sums, rows added in order
    out = np.abs(S[0, 0])
    for a in range(1, k):
        out += np.abs(S[a, 0])
    for b in range(1, k):
        col = np.abs(S[0, b])
        for a in range(1, k):
            col += np.abs(S[a, b])
        np.maximum(out, col, out=out)
    return out


def _max0(values: FloatArray) -> FloatArray:
    """Maximum over the first (short) axis (exact in any order; see :func:`_all0`)."""
    if values[0].size <= _SMALL_BATCH:
        return np.maximum.reduce(values, axis=0)
    out = values[0].copy()
    for row in values[1:]:
        np.maximum(out, row, out=out)
    return out


def _all0(flags: BoolArray) -> BoolArray:
    """Logical and over the first (short) axis (numpy's reduction there is slow for long
    rows, a loop is slow for short ones)."""
    if flags[0].size <= _SMALL_BATCH:
        return np.logical_and.reduce(flags, axis=0)
    out = flags[0].copy()
    for row in flags[1:]:
        out &= row
    return out


def _or0(bits: IntArray) -> IntArray:
    """Bitwise or over the first (short) axis (see :func:`_all0`)."""
    if bits[0].size <= _SMALL_BATCH:
        return np.bitwise_or.reduce(bits, axis=0)
    out = bits[0].copy()
    for row in bits[1:]:
        out |= row
    return out


def _any0(flags: BoolArray) -> BoolArray:
    """Logical or over the first (short) axis (see :func:`_all0`)."""
    if flags[0].size <= _SMALL_BATCH:
        return np.logical_or.reduce(flags, axis=0)
    out = flags[0].copy()
    for row in flags[1:]:
        out |= row
    return out


@dataclass(frozen=True)
class _Vertices:
    """Vertices of one polytope for a chunk of games (one entry per vertex)."""

    game: IntArray  # (V,) chunk-local game
    zero: IntArray  # (V,) bitmask of the coordinates that are zero (bit c for z_c = 0)
    tight: IntArray  # (V,) bitmask of the tight rows (bit r for (M z)_r = 1)
    coords: FloatArray  # (V, q) position in the rescaled polytope
    border: BoolArray  # (V,) some slack is just outside the tie tolerance

    def select(self, which: BoolArray, game_offset: int = 0) -> _Vertices:
        """The vertices where ``which`` holds, games renumbered from ``game_offset``."""
        return _Vertices(
            self.game[which] - game_offset,
            self.zero[which],
            self.tight[which],
            self.coords[which],
            self.border[which],
        )


@lru_cache(maxsize=16)
def _flat_owner(n_cand: int, G: int) -> tuple[IntArray, IntArray]:
    """Candidate and game of each flat position of an ``(n_cand, G)`` array (cached).

    Gathering from these is several times faster than dividing flat indices by ``G``.
    """
    cand = np.repeat(np.arange(n_cand, dtype=np.int64), G)
    game = np.tile(np.arange(G, dtype=np.int64), n_cand)
    cand.setflags(write=False)
    game.setflags(write=False)
    return cand, game


def _owners(flat: IntArray, n_cand: int, G: int) -> tuple[IntArray, IntArray]:
    """``divmod(flat, G)`` for flat indices into an ``(n_cand, G)`` array."""
    if n_cand * G <= _OWNER_CACHE:
        cand, game = _flat_owner(n_cand, G)
        return cand[flat], game[flat]
    cand_i = flat // G
    return cand_i, flat - cand_i * G


@lru_cache(maxsize=256)
def _block_index(p: int, q: int, k: int, start: int, stop: int) -> tuple[IntArray, IntArray]:
    """Flat gather indices of one block of candidates ``start:stop`` of size ``k``.

    Returns ``sub_index`` ``(k, k, nb)`` into ``Mt.reshape(p * q, G)`` (the ``k x k`` systems
    ``M[rows, support]``, gathered with one ``take``) and ``support_index``: for small ``q``,
    ``(p, k, nb)`` into the same array (every row of ``M`` on the support), else ``(k, nb)``,
    the position of each solution component in a ``(q, nb)`` block of dense solutions.
    """
    cmb = _combos(p, q, k)
    ri, vi = np.divmod(np.arange(start, stop, dtype=np.int64), cmb.vars.shape[0])
    rows = cmb.rows[ri].T  # (k, nb)
    cols = cmb.vars[vi].T  # (k, nb)
    sub_index = rows[:, None, :] * q + cols[None, :, :]
    if q < _MATMUL_PREFILTER:
        support_index = np.arange(p, dtype=np.int64)[:, None, None] * q + cols[None, :, :]
    else:  # where each solution component goes in a dense (q, nb) block of solutions
        support_index = cols * (stop - start) + np.arange(stop - start, dtype=np.int64)
    for shared in (sub_index, support_index):
        shared.setflags(write=False)
    return sub_index, support_index


def _gather(items: npt.NDArray[np.void], index: IntArray, G: int) -> FloatArray:
    """``M[index]`` for ``items``, the rows of ``M`` (``G`` floats each) viewed as opaque items."""
    return np.take(items, index).view(np.float64).reshape((*index.shape, G))


def _basic_solutions(
    Mt: FloatArray, tol: float, block_systems: int
) -> Iterator[tuple[int, _Combos, IntArray, IntArray, FloatArray]]:
    """Feasible nonsingular solutions of ``M[I, C] z_C = 1`` for every choice with ``k >= 2``.

    Yields, block by block (candidates in lexicographic order, then games), the system size
    ``k``, its index sets, the candidate index ``cand`` (into the lexicographic list of
    ``(rows, support)`` choices) and game ``gi`` of each survivor, and the solutions ``zs``
    ``(k, V)``. Survivors satisfy ``z >= -tol``; the row constraints are only pre-checked here.
    """
    p, q, G = Mt.shape
    # Each (row, column) entry's G values as one opaque item: gathering whole items is a
    # memcpy per index, several times faster than numpy's fancy indexing for small G.
    items = Mt.reshape(p * q, G).view(np.dtype((np.void, 8 * G))).reshape(p * q)
    by_game = np.ascontiguousarray(Mt.transpose(2, 0, 1)) if q >= _MATMUL_PREFILTER else Mt
    for k in range(2, min(p, q) + 1):  # k = 1: see _vertices_k1
        cmb = _combos(p, q, k)
        n_vars = cmb.vars.shape[0]
        n_cand = cmb.rows.shape[0] * n_vars
        per_system = (k * k + max(p * k, p + q) + 4 * k + 8) * 8
        block = max(1, min(block_systems, _BLOCK_BYTES // per_system) // G)
        for start in range(0, n_cand, block):
            stop = min(start + block, n_cand)
            nb = stop - start
            if n_cand <= _INDEX_CACHE_CANDIDATES:
                sub_index, support_index = _block_index(p, q, k, start, stop)
            else:
                sub_index, support_index = _block_index.__wrapped__(p, q, k, start, stop)
            sub = _gather(items, sub_index, G)  # (k, k, nb, G)
            z0 = _solve_ones(sub, k)
            # Loose feasibility test on the first solutions, batched over candidates and games;
            # the exact test follows on refined solutions of the few vertices left.
            with np.errstate(invalid="ignore", over="ignore"):
                ok = _all0(z0 >= -_PREFILTER)
                if q < _MATMUL_PREFILTER:
                    Mc = _gather(items, support_index, G)  # (p, k, nb, G)
                    ok &= _all0(_matvec(Mc, z0) <= 1.0 + _PREFILTER)
                else:
                    # Row values M z of every candidate as one batched matrix product per
                    # game (BLAS, no gather). Its rounding may differ from the exact test
                    # below, which does not matter: a candidate that close to this loose
                    # bound is far outside the tight one.
                    dense = np.zeros((G, q * nb), dtype=np.float64)
                    dense[:, support_index] = z0.transpose(2, 0, 1)
                    rows_ok = np.matmul(by_game, dense.reshape(G, q, nb)) <= 1.0 + _PREFILTER
                    ok &= _all0(rows_ok.transpose(1, 2, 0))  # (p, nb, G) view
            flat = np.flatnonzero(ok)
            if flat.size == 0:
                continue
            S = sub.reshape(k, k, nb * G)[:, :, flat]  # (k, k, V)
            inv = _inverse(S, k)
            with np.errstate(invalid="ignore", over="ignore"):
                rcond = 1.0 / (_norm1(S) * _norm1(inv))
                # One step of iterative refinement: the residual, hence the labels of the
                # chosen rows, becomes reliable even for ill-conditioned systems.
                zs = np.take(z0.reshape(k, -1), flat, axis=1)  # (k, V)
                res = 1.0 - _matvec(S, zs)
                zs = zs + _matvec(inv, res)
                keep = (rcond >= SINGULAR_RCOND) & _all0(zs >= -tol)
            if not np.all(keep):
                kept = np.flatnonzero(keep)
                flat = flat[kept]
                zs = np.take(zs, kept, axis=1)
                if flat.size == 0:
                    continue
            ci, gi = _owners(flat, nb, G)
            yield k, cmb, ci + start, gi, zs


def _vertices_k1(
    Mt: FloatArray, tol: float, window: float
) -> tuple[IntArray, IntArray, IntArray, FloatArray, BoolArray]:
    """Vertices with one non-zero coordinate: ``z = e_c / M[r, c]``, row ``r`` tight.

    Feasible iff ``M[r', c] <= (1 + tol) M[r, c]`` for every row ``r'``. Dense over all
    ``(r, c)`` and games (no gathers); returns the same fields as the general path, in the same
    candidate order (row choice, then support).
    """
    p, q, G = Mt.shape
    with np.errstate(divide="ignore"):
        z = 1.0 / Mt  # entries are in [1, 2]
    feasible = np.ones((p, q, G), dtype=bool)
    # Tight-row bits in the smallest integer type that holds them: less memory traffic.
    tight = np.zeros((p, q, G), dtype=_bits_dtype(p))
    border = np.zeros((p, q, G), dtype=bool)
    value = np.empty((p, q, G), dtype=np.float64)
    scratch = np.empty((p, q, G), dtype=bool)
    for r in range(p):
        np.multiply(Mt[r], z, out=value)  # row r's value at every candidate (r', c)
        feasible &= np.less_equal(value, 1.0 + tol, out=scratch)
        np.subtract(1.0, value, out=value)
        slack = np.abs(value, out=value)
        is_tight = np.less_equal(slack, tol, out=scratch)
        # The chosen row is tight by construction (value = M z = 1 up to one rounding).
        feasible[r] &= is_tight[r]
        tight |= np.left_shift(is_tight.view(np.int8), r, dtype=tight.dtype)
        border |= (slack > tol) & (slack <= window)
    flat = np.flatnonzero(feasible)
    cand, gi = _owners(flat, p * q, G)
    c_idx = cand % q
    point = np.zeros((flat.size, q), dtype=np.float64)
    point.reshape(-1)[np.arange(flat.size) * q + c_idx] = z.reshape(-1)[flat]
    zero = ((1 << q) - 1) ^ np.left_shift(1, c_idx)
    return (
        gi,
        zero.astype(np.int64),
        tight.reshape(-1)[flat].astype(np.int64),
        point,
        border.reshape(-1)[flat],
    )


def _bits_dtype(bits: int) -> type[np.signedinteger[Any]]:
    """Smallest signed integer type whose non-negative range holds ``bits`` bit flags."""
    for dtype in (np.int8, np.int16, np.int32):
        if bits < np.iinfo(dtype).bits:
            return dtype
    return np.int64


def _polytope_vertices(
    Mt: FloatArray,
    tol: float,
    block_systems: int = _BLOCK_SYSTEMS,
) -> _Vertices:
    """Non-zero vertices of ``{z in R^q : z >= 0, M z <= 1}`` for a chunk of games.

    Parameters
    ----------
    Mt
        ``(p, q, G)``: the constraint matrix ``M`` (``p x q``, entries in ``[1, 2]``) of each of
        ``G`` games, games on the last axis.
    tol
        Tie tolerance for "tight" and "feasible".
    block_systems
        Systems (candidates x games) per array operation.

    Returns
    -------
    _Vertices
        Every feasible basic solution found, in candidate order within each game; a degenerate
        vertex appears once per nonsingular system that reaches it.
    """
    p, q, G = Mt.shape
    full_q = (1 << q) - 1
    row_bits = np.left_shift(1, np.arange(p, dtype=np.int64))
    # Two points closer than _MERGE * tol differ in some slack by at most (2q + 1) times that:
    # a vertex with a slack in this window may have such a twin, so its game gets the
    # position-based deduplication.
    window = tol + (2 * q + 1) * _MERGE * tol
    found = [_vertices_k1(Mt, tol, window)]
    by_row = Mt.reshape(p, q * G)
    for _, cmb, cand, gi, zs in _basic_solutions(Mt, tol, block_systems):
        ri, vi = np.divmod(cand, cmb.vars.shape[0])
        vc = cmb.vars[vi]  # (V, k) supports
        # Slack of every row, the chosen ones included: requiring those to be tight guards
        # against inaccurate solutions.
        Mr = by_row[:, vc.T * G + gi]  # (p, k, V)
        value = _matvec(Mr, zs)  # (p, V)
        slack = np.abs(1.0 - value)
        is_tight = slack <= tol
        tight = row_bits @ is_tight
        chosen = cmb.rows_mask[ri]
        feasible = (tight & chosen) == chosen
        feasible &= _all0(value <= 1.0 + tol)
        size = np.abs(zs)  # (k, V)
        border = _any0((slack > tol) & (slack <= window)) | _any0((size > tol) & (size <= window))
        zero = full_q ^ cmb.vars_mask[vi]
        zero |= _or0((size <= tol).astype(np.int64) << vc.T)
        point = np.zeros((cand.size, q), dtype=np.float64)
        where = np.arange(cand.size, dtype=np.int64)[:, None] * q + vc  # (V, k)
        point.reshape(-1)[where.reshape(-1)] = zs.T.reshape(-1)
        if not np.all(feasible):
            take = np.flatnonzero(feasible)
            gi, zero, tight = gi[take], zero[take], tight[take]
            point, border = point[take], border[take]
        found.append((gi, zero, tight, point, border))
    if len(found) == 1:
        return _Vertices(*found[0])
    return _Vertices(*(np.concatenate([f[i] for f in found]) for i in range(5)))


def _unique_vertices(
    game: IntArray,
    mask: IntArray,
    coords: FloatArray,
    border: BoolArray,
    dim: int,
    n_labels: int,
    merge_tol: float,
    n_games: int,
) -> tuple[IntArray, IntArray, FloatArray, IntArray, BoolArray]:
    """Each vertex once (by label set), and clusters of coincident points.

    A vertex with exactly ``dim`` labels is reached from one system only, so only games with a
    degenerate vertex (more labels) or a borderline slack need work ("special" games). Equal
    label sets are the same vertex (its tight constraints have full rank): the first one found
    is kept. Distinct label sets closer than ``merge_tol`` come from slacks at the edge of the
    tolerance; they stay separate vertices (each with the labels it really has, so every
    equilibrium built from them is exact within ``tol``) but share a cluster id, which
    identifies them as one strategy for components and duplicate equilibria.

    Returns
    -------
    game, mask, coords, cluster, special_game
        Per vertex: game, label bitmask, coordinates and cluster id (unique in the chunk);
        per game: whether it is special.
    """
    special_game = np.zeros(n_games, dtype=bool)
    special_game[game[(_popcount(mask) > dim) | border]] = True
    special = special_game[game]
    if not np.any(special):
        return game, mask, coords, np.arange(game.size, dtype=np.int64), special_game
    regular = ~special
    reg_game, reg_mask, reg_coords = game[regular], mask[regular], coords[regular]
    game, mask, coords = game[special], mask[special], coords[special]
    # Stable sort by game keeps candidate order within each game ("first found" is then the
    # same whether the game is solved alone or in a stack).
    by_game = np.argsort(game, kind="stable")
    game, mask, coords = game[by_game], mask[by_game], coords[by_game]
    key = (game << n_labels) | mask
    _, first = np.unique(key, return_index=True)
    first.sort()
    game, mask, coords = game[first], mask[first], coords[first]
    cluster = np.arange(game.size, dtype=np.int64)
    if game.size > 1:
        # Compare every pair of vertices of the same game (few games, few vertices each).
        _, start, length = _group_ranges(game, n_games)  # already grouped: order is identity
        a, b = _ragged_pairs(np.flatnonzero(length > 1), start, length, start, length)
        close = (a < b) & (np.max(np.abs(coords[a] - coords[b]), axis=1) <= merge_tol)
        if np.any(close):
            cluster = connected_roots(game.size, a[close], b[close])
    return (
        np.concatenate([reg_game, game]),
        np.concatenate([reg_mask, mask]),
        np.concatenate([reg_coords, coords]),
        np.concatenate([np.arange(reg_game.size, dtype=np.int64), cluster + reg_game.size]),
        special_game,
    )


def _group_ranges(game: IntArray, n_games: int) -> tuple[IntArray, IntArray, IntArray]:
    """Stable order by game and each game's start and length in that order."""
    order = np.argsort(game, kind="stable")
    sorted_game = game[order]
    start = np.searchsorted(sorted_game, np.arange(n_games))
    length = np.searchsorted(sorted_game, np.arange(n_games), side="right") - start
    return order, start, length


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


def _pair(
    gP: IntArray,
    maskP: IntArray,
    gQ: IntArray,
    maskQ: IntArray,
    degenerate: BoolArray,
    n_labels: int,
    n_games: int,
) -> tuple[IntArray, IntArray]:
    """Index pairs ``(x, y)`` of the same game with ``labels(x) | labels(y) == all``."""
    all_labels = (1 << n_labels) - 1
    # Non-degenerate games: every vertex has exactly m (resp. n) labels, so the partner must
    # carry exactly the complementary labels: a lookup instead of a search.
    any_degenerate = bool(degenerate.any())
    candP = np.flatnonzero(~degenerate[gP]) if any_degenerate else np.arange(gP.size)
    want = all_labels ^ maskP[candP]
    if (1 << n_labels) * n_games <= _DENSE_LOOKUP:
        # Flat int32 table indexed by (label set, game): half the memory traffic of int64.
        table = np.full((1 << n_labels) * n_games, -1, dtype=np.int32)
        table[maskQ * n_games + gQ] = np.arange(gQ.size, dtype=np.int32)
        partner = table[want * n_games + gP[candP]]
        hit = np.flatnonzero(partner >= 0)
        eP = [candP[hit]]
        eQ = [partner[hit].astype(np.int64)]
    else:
        keyQ = (gQ << n_labels) | maskQ
        sortQ = np.argsort(keyQ)
        keys = keyQ[sortQ]
        target = (gP[candP] << n_labels) | want
        pos = np.minimum(np.searchsorted(keys, target), max(keys.size - 1, 0))
        found = keys[pos] == target if keys.size else np.zeros(target.size, dtype=bool)
        partner_s = sortQ[pos] if keys.size else pos
        eP = [candP[found]]
        eQ = [partner_s[found]]
    # Degenerate games: a partner may carry extra labels; test every pair of the game.
    deg_games = np.flatnonzero(degenerate) if any_degenerate else degenerate[:0].nonzero()[0]
    if deg_games.size:
        inP = np.flatnonzero(degenerate[gP])
        inQ = np.flatnonzero(degenerate[gQ])
        orderP, startP, lenP = _group_ranges(gP[inP], n_games)
        orderQ, startQ, lenQ = _group_ranges(gQ[inQ], n_games)
        a, b = _ragged_pairs(deg_games, startP, lenP, startQ, lenQ)
        a, b = inP[orderP[a]], inQ[orderQ[b]]
        good = (maskP[a] | maskQ[b]) == all_labels
        eP.append(a[good])
        eQ.append(b[good])
    return np.concatenate(eP), np.concatenate(eQ)


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


def _drop_twins(
    game: IntArray,
    row: FloatArray,
    col: FloatArray,
    x_ids: IntArray,
    y_ids: IntArray,
    special: BoolArray,
    merge_tol: float,
    n_games: int,
) -> tuple[IntArray | None, IntArray, IntArray]:
    """Drop equilibria that repeat an earlier one of the same game (report order).

    Only games with a degenerate or borderline vertex can have such twins: pairs of
    coincident vertices (same cluster ids), or profiles within ``merge_tol``. The twins'
    strategy ids are unified so components stay right. Returns the rows to keep (None if all)
    and the updated ids.
    """
    count = np.bincount(game, minlength=n_games)
    candidates = np.flatnonzero(special & (count > 1))
    if candidates.size == 0:
        return None, x_ids, y_ids
    start = np.searchsorted(game, np.arange(n_games))
    a, b = _ragged_pairs(candidates, start, count, start, count)
    pairs = a < b
    a, b = a[pairs], b[pairs]
    gap = np.maximum(
        np.max(np.abs(row[a] - row[b]), axis=1), np.max(np.abs(col[a] - col[b]), axis=1)
    )
    twin = ((x_ids[a] == x_ids[b]) & (y_ids[a] == y_ids[b])) | (gap <= merge_tol)
    if not np.any(twin):
        return None, x_ids, y_ids
    a, b = a[twin], b[twin]
    root = connected_roots(game.size, a, b)
    keep = root == np.arange(game.size)
    # The same strategies now: map both ids to one (the earlier equilibrium's).
    x_root = connected_roots(int(x_ids.max()) + 1, x_ids[a], x_ids[b])
    y_root = connected_roots(int(y_ids.max()) + 1, y_ids[a], y_ids[b])
    return keep, x_root[x_ids][keep], y_root[y_ids][keep]


def _total(v: FloatArray) -> FloatArray:
    """Row sums in a fixed order (element-wise, batch-independent)."""
    total = v[:, 0].copy()
    for i in range(1, v.shape[1]):
        total = total + v[:, i]
    return total


def _normalise(v: FloatArray) -> FloatArray:
    return v / _total(v)[:, None]


def _order_equilibria(
    game: IntArray, row: FloatArray, col: FloatArray, n_games: int
) -> tuple[IntArray, IntArray]:
    """Report order: by game, then row-support bitmask, column-support bitmask, probabilities.

    Only games with several equilibria need more than a sort by game, and only degenerate
    games can have two equilibria with the same supports (a non-degenerate game has at most
    one per support pair), so probabilities are compared only there. Ties left after that are
    broken by the (deterministic) order in which the equilibria were found.
    """
    m, n = row.shape[1], col.shape[1]
    order = np.argsort(game.astype(np.uint16) if n_games <= 1 << 16 else game, kind="stable")
    count = np.bincount(game, minlength=n_games).astype(np.int64)
    multi = np.flatnonzero(count[game[order]] > 1)
    if multi.size:
        sub = order[multi]
        row_support = (row[sub] > 0).astype(np.int64) @ np.left_shift(1, np.arange(m))
        col_support = (col[sub] > 0).astype(np.int64) @ np.left_shift(1, np.arange(n))
        key = (game[sub] << (m + n)) | (row_support << n) | col_support
        by_key = np.argsort(key)  # unique keys except in degenerate games (handled below)
        sub, key = sub[by_key], key[by_key]
        tie = key[1:] == key[:-1]
        if np.any(tie):
            in_tie = np.zeros(sub.size, dtype=bool)
            in_tie[1:] |= tie
            in_tie[:-1] |= tie
            at = np.flatnonzero(in_tie)
            tied = sub[at]
            sub[at] = tied[np.lexsort((tied, *col[tied].T[::-1], *row[tied].T[::-1], key[at]))]
        order[multi] = sub
    return order, count


def _solve_chunk(A: FloatArray, B: FloatArray, tol: float) -> _ChunkResult:
    """Extreme equilibria of a chunk of ``G`` games (see the module docstring)."""
    G, m, n = A.shape
    n_labels = m + n
    As, a_low, a_scale = _rescale(A)
    Bs, b_low, b_scale = _rescale(B)

    # P = {x >= 0 : B^T x <= 1}: constraint rows are columns j of B (labels m + j), variables
    # are rows i (labels i).  Q = {y >= 0 : A y <= 1}: rows i (labels i), variables j (m + j).
    MtP = Bs.transpose(2, 1, 0)
    MtQ = As.transpose(1, 2, 0)
    if m == n and G <= _JOINT_POLYTOPES:
        # Same shapes, few games: enumerate both polytopes in one pass (half the array
        # operations; for many games the split afterwards costs more than it saves).
        both = _polytope_vertices(np.ascontiguousarray(np.concatenate([MtP, MtQ], axis=2)), tol)
        in_P = both.game < G
        vP, vQ = both.select(in_P), both.select(~in_P, G)
    else:
        vP = _polytope_vertices(np.ascontiguousarray(MtP), tol)
        vQ = _polytope_vertices(np.ascontiguousarray(MtQ), tol)
    merge_tol = _MERGE * tol
    gP, maskP, xP, clusterP, specialP = _unique_vertices(
        vP.game, vP.zero | (vP.tight << m), vP.coords, vP.border, m, n_labels, merge_tol, G
    )
    gQ, maskQ, yQ, clusterQ, specialQ = _unique_vertices(
        vQ.game, vQ.tight | (vQ.zero << m), vQ.coords, vQ.border, n, n_labels, merge_tol, G
    )

    degenerate = np.zeros(G, dtype=bool)
    degenerate[gP[_popcount(maskP) > m]] = True
    degenerate[gQ[_popcount(maskQ) > n]] = True
    iP, iQ = _pair(gP, maskP, gQ, maskQ, degenerate, n_labels, G)

    game = gP[iP]
    x, y = xP[iP], yQ[iQ]
    # Coordinates carrying a zero label are exactly zero in the equilibrium. Off the support
    # they are already; a zero label on the support is an extra label: degenerate games only.
    in_deg = np.flatnonzero(degenerate[game])
    if in_deg.size:
        zero_x = (maskP[iP[in_deg]][:, None] >> np.arange(m)) & 1
        zero_y = (maskQ[iQ[in_deg]][:, None] >> (m + np.arange(n))) & 1
        x[in_deg] = np.where(zero_x, 0.0, x[in_deg])
        y[in_deg] = np.where(zero_y, 0.0, y[in_deg])
    row = _clean(_normalise(x), tol)
    col = _clean(_normalise(y), tol)

    order, count = _order_equilibria(game, row, col, G)
    game, row, col = game[order], row[order], col[order]
    x_ids, y_ids = clusterP[iP[order]], clusterQ[iQ[order]]  # strategy identity
    if np.any(specialP | specialQ):
        keep, x_ids, y_ids = _drop_twins(
            game, row, col, x_ids, y_ids, specialP | specialQ, merge_tol, G
        )
        if keep is not None:
            game, row, col = game[keep], row[keep], col[keep]
            count = np.bincount(game, minlength=G).astype(np.int64)

    payoffs = _checked_payoffs(A, B, a_low, b_low, a_scale, b_scale, count, row, col, tol)

    # Components: in a non-degenerate game every equilibrium is isolated (two extreme
    # equilibria sharing a strategy would span a segment of equilibria), so they are numbered
    # in order; otherwise connected components of the strategy graph.
    component = np.arange(game.size, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    graph = np.flatnonzero((degenerate | specialP | specialQ)[game] & (count[game] > 1))
    if graph.size:
        component[graph] = label_components(game[graph], x_ids[graph], y_ids[graph])
    return _ChunkResult(
        game, row, col, payoffs, component, degenerate, count, x_ids, y_ids, gP.size, gQ.size
    )


def _clean(prob: FloatArray, tol: float) -> FloatArray:
    """Set probabilities within ``tol`` of zero to exactly 0.0 and renormalise those rows."""
    small = (np.abs(prob) <= tol) & (prob != 0.0)
    if not np.any(small):  # the usual case: zero labels were already set to exactly zero
        return prob
    touched = np.any(small, axis=1)
    prob = np.where(small, 0.0, prob)
    prob[touched] = _normalise(prob[touched])
    return prob


def _checked_payoffs(
    A: FloatArray,
    B: FloatArray,
    a_low: FloatArray,
    b_low: FloatArray,
    a_scale: FloatArray,
    b_scale: FloatArray,
    count: IntArray,
    row: FloatArray,
    col: FloatArray,
    tol: float,
) -> FloatArray:
    """Expected payoffs ``(E, 2)`` in the original units, after an independent check that
    every pure strategy in a support earns the best payoff (within tolerance).

    Ties are judged on payoffs shifted by their minimum, relative to the spread (so rounding
    stays relative to the spread however large the payoffs); normalising and cleaning can
    enlarge a payoff gap by a bounded factor, hence the margin. A failure is a bug, never bad
    input.

    Layout: strategies first, equilibria last (equilibria are grouped by game, so repeating
    each game's block beats a gather), so every step is a long contiguous vector operation.
    Sums run in a fixed order, so each equilibrium's numbers do not depend on the stack.
    """
    m, n = A.shape[1], A.shape[2]
    At = np.repeat(A.transpose(1, 2, 0), count, axis=2)  # (m, n, E)
    Bt = np.repeat(B.transpose(2, 1, 0), count, axis=2)  # (n, m, E): B transposed
    rt = np.ascontiguousarray(row.T)  # (m, E)
    ct = np.ascontiguousarray(col.T)  # (n, E)
    # x^T A y = sum_i x_i (sum_j A_ij y_j), x^T B y = sum_j (sum_i B_ij x_i) y_j.
    u_row = _rowsum((rt * _matvec(At, ct))[None])[0]
    u_col = _rowsum((_matvec(Bt, rt) * ct)[None])[0]
    row_values = _matvec(At - np.repeat(a_low, count), ct)  # (m, E)
    col_values = _matvec(Bt - np.repeat(b_low, count), rt)  # (n, E)

    margin = 8.0 * (m + n + 2) * tol + 1e-12
    row_floor = _max0(row_values) - margin * np.repeat(a_scale, count)
    col_floor = _max0(col_values) - margin * np.repeat(b_scale, count)
    bad = _any0((rt > 0) & (row_values < row_floor)) | _any0((ct > 0) & (col_values < col_floor))
    sums_ok = bool(
        np.all(np.abs(_total(row) - 1.0) <= 1e-9) and np.all(np.abs(_total(col) - 1.0) <= 1e-9)
    )
    if np.any(bad) or not sums_ok or np.any(row < 0) or np.any(col < 0):
        e = int(np.flatnonzero(bad)[0]) if np.any(bad) else 0
        raise SolverInternalError(
            "internal error: a computed equilibrium is not a pair of mutual best responses "
            f"(row {row[e].tolist()}, column {col[e].tolist()}); please report this bug"
        )
    return np.stack([u_row, u_col], axis=1)


def default_chunk_size(m: int, n: int) -> int:
    """Games per chunk: about :data:`_BLOCK_SYSTEMS` systems for the largest system size."""
    most = max(math.comb(m, k) * math.comb(n, k) for k in range(1, min(m, n) + 1))
    return max(1, _BLOCK_SYSTEMS // most)


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
    if math.comb(m + n, m) > MAX_SYSTEMS:
        raise SolverError(
            f"a {m}x{n} game is too large for enumerating every equilibrium "
            f"({math.comb(m + n, m):.2e} linear systems per player); use method "
            "'lemke-howson' to find one"
        )
    for name, M in (("A", Aa), ("B", Ba)):
        finite = np.isfinite(M.reshape(K, m * n)).all(axis=1)
        if not finite.all():
            bad = int(np.flatnonzero(~finite)[0])
            raise SolverError(f"payoff matrix {name} of game {bad} has a non-finite entry")
        if K and np.abs(M).max() > 1e307:  # only then can max - min overflow
            flat = M.reshape(K, m * n)
            with np.errstate(over="ignore"):
                wide = ~np.isfinite(flat.max(axis=1) - flat.min(axis=1))
            if wide.any():
                bad = int(np.flatnonzero(wide)[0])
                raise SolverError(
                    f"payoffs of matrix {name} in game {bad} span more than the largest float; "
                    "rescale them"
                )
    return Aa, Ba


_Scalar = TypeVar("_Scalar", bound=np.generic)


def _joined(arrays: list[npt.NDArray[_Scalar]]) -> npt.NDArray[_Scalar]:
    """The chunks' column as one fresh read-only array (the table then takes it uncopied)."""
    out = np.ascontiguousarray(arrays[0] if len(arrays) == 1 else np.concatenate(arrays))
    out.setflags(write=False)
    return out


def enumerate_equilibria(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    *,
    tol: float = 1e-9,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> StackSolution:
    """:func:`solve_games` plus the strategy ids behind each equilibrium (internal use)."""
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
        parts.append(_solve_chunk(Aa[start:stop], Ba[start:stop], tol))
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
        game_index=_joined([p.game + o for p, o in zip(parts, offsets, strict=True)]),
        row=_joined([p.row for p in parts]),
        col=_joined([p.col for p in parts]),
        payoffs=_joined([p.payoffs for p in parts]),
        component=_joined([p.component for p in parts]),
        degenerate=_joined([p.degenerate for p in parts]),
        count=_joined([p.count for p in parts]),
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
