"""Small linear systems solved for long batches at once, element-wise per system.

Helpers of the batched enumeration (:mod:`sim.solver.vertices`): the batch axes come last and
every output is one fixed expression of its own system's entries, so a system gets bit-for-bit
the same answer alone or in any batch. ``k x k`` systems with ``k <= 4`` are solved by Cramer's
rule and adjugates (the 4 x 4 one by Laplace expansion along 2 x 2 minors), larger ones by
Gauss-Jordan elimination with partial pivoting, vectorised over the batch (G. H. Golub and
C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, section 3.4). Short reductions over the
first axis are written as loops or whole-array calls depending on the batch size
(:data:`SMALL_BATCH`); both forms add the same terms in the same order.
"""

from __future__ import annotations

import numpy as np

from sim.solver.types import BoolArray, FloatArray, IntArray

__all__ = [
    "SMALL_BATCH",
    "all0",
    "any0",
    "gauss_jordan",
    "inverse",
    "matvec",
    "max0",
    "norm1",
    "or0",
    "rowsum",
    "solve_ones",
]

SMALL_BATCH = 512
"""Batches of at most this many systems use whole-array forms of the small matrix products
(fewer numpy calls); larger ones loop over rows (less memory traffic). Same results."""


def rowsum(P: FloatArray) -> FloatArray:
    """``P[:, 0] + P[:, 1] + ...`` in index order: a sum over axis 1 that is element-wise and
    batch-independent (numpy's own reductions may sum pairwise, in a layout-dependent order)."""
    acc = P[:, 0]
    for t in range(1, P.shape[1]):
        acc = acc + P[:, t]
    return acc


def matvec(M: FloatArray, z: FloatArray) -> FloatArray:
    """``sum_t M[:, t] * z[t]`` for a batch: ``M (r, k, ...V)``, ``z (k, ...V)`` -> ``(r, ...V)``.

    The terms are added in order ``t`` either way; small batches use a few whole-array
    operations (call overhead dominates there), large ones row by row (contiguous, cache
    friendly), with identical results.
    """
    if M[0, 0].size <= SMALL_BATCH:
        return rowsum(M * z)
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
    if left[0].size <= SMALL_BATCH:
        terms = left[li] * right[ri]  # (outputs, terms, ...batch)
        terms *= sign.reshape(sign.shape + (1,) * (terms.ndim - 2))
        return rowsum(terms)
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


def solve_ones(sub: FloatArray, k: int) -> FloatArray:
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
        x = gauss_jordan(sub.reshape(k, k, N), np.ones((k, 1, N)))
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
    if S[0, 0].size <= SMALL_BATCH:
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
    return rowsum(terms[None])[0]


def _adjugate4(S: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Adjugate and determinant of a batch of 4x4 matrices ``S (4, 4, V)``."""
    minors = _minors4(S)
    adj = _signed_terms(S.reshape(16, *S.shape[2:]), minors, _ADJ4)
    return adj.reshape(S.shape), _det4(minors)


def inverse(S: FloatArray, k: int) -> FloatArray:
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
        return gauss_jordan(S, eye)


def gauss_jordan(S: FloatArray, R: FloatArray) -> FloatArray:
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


def norm1(S: FloatArray) -> FloatArray:
    """1-norms (largest column sum of absolute values) of a batch ``S (k, k, V)``."""
    k = S.shape[0]
    if S[0, 0].size <= SMALL_BATCH:
        return max0(rowsum(np.abs(S).swapaxes(0, 1)))  # column sums, rows added in order
    out = np.abs(S[0, 0])
    for a in range(1, k):
        out += np.abs(S[a, 0])
    for b in range(1, k):
        col = np.abs(S[0, b])
        for a in range(1, k):
            col += np.abs(S[a, b])
        np.maximum(out, col, out=out)
    return out


def max0(values: FloatArray) -> FloatArray:
    """Maximum over the first (short) axis (exact in any order; see :func:`all0`)."""
    if values[0].size <= SMALL_BATCH:
        return np.maximum.reduce(values, axis=0)
    out = values[0].copy()
    for row in values[1:]:
        np.maximum(out, row, out=out)
    return out


def all0(flags: BoolArray) -> BoolArray:
    """Logical and over the first (short) axis (numpy's reduction there is slow for long
    rows, a loop is slow for short ones)."""
    if flags[0].size <= SMALL_BATCH:
        return np.logical_and.reduce(flags, axis=0)
    out = flags[0].copy()
    for row in flags[1:]:
        out &= row
    return out


def or0(bits: IntArray) -> IntArray:
    """Bitwise or over the first (short) axis (see :func:`all0`)."""
    if bits[0].size <= SMALL_BATCH:
        return np.bitwise_or.reduce(bits, axis=0)
    out = bits[0].copy()
    for row in bits[1:]:
        out |= row
    return out


def any0(flags: BoolArray) -> BoolArray:
    """Logical or over the first (short) axis (see :func:`all0`)."""
    if flags[0].size <= SMALL_BATCH:
        return np.logical_or.reduce(flags, axis=0)
    out = flags[0].copy()
    for row in flags[1:]:
        out |= row
    return out
