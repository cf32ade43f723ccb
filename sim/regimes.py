"""Regimes and exact regime boundaries of a parameter sweep.

A *regime* is a stretch of parameter values where the set of equilibrium supports stays the
same. The *signature* of a game is that set: a frozenset of ``(row_support, col_support)``
pairs, one per extreme equilibrium, each support a sorted tuple of strategy indices.

Boundaries are found by bisection between neighbouring grid points whose signatures differ
(the approach of the project's solver notes, "Regime boundaries in a sweep"): the bracket is
shrunk until it is narrower than ``xtol`` (1e-9 by default), so the reported value does not
depend on the grid. Right at a boundary the game is usually degenerate and has a third
signature of its own; such a sliver is reported as ONE boundary (with that signature as
``tie``), not as two.

This module is generic: it never sees a scenario or a solver. It works on arrays of
probabilities and on a caller-supplied function that returns the signatures of a batch of
parameter points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

Support = tuple[int, ...]
SupportPair = tuple[Support, Support]
Signature = frozenset[SupportPair]

#: ``evaluate(points)`` with ``points`` of shape ``(Q, d)`` (one column per varied parameter)
#: returns the signature of each point and whether each game is degenerate (bool array).
SignatureFn = Callable[[np.ndarray], tuple[Sequence[Signature], np.ndarray]]

#: Probabilities at or below this are outside the support (the solver verifies to 1e-9).
SUPPORT_TOL = 1e-9

#: Default bracket width at which bisection stops, in the parameter's own units.
XTOL = 1e-9

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Boundary:
    """A parameter value where the set of equilibria changes.

    Attributes
    ----------
    parameter
        Name of the parameter that varies across the boundary.
    value
        Where the change happens (accurate to ``xtol``, 1e-9 by default).
    before, after
        Signatures just below and just above ``value``.
    tie
        Signature of the (degenerate) game exactly at the boundary when it differs from both
        sides, else ``None``.
    where
        For 2-D sweeps: the other varied parameter, held fixed along the grid line on which
        this boundary point was located. Empty for 1-D sweeps.
    """

    parameter: str
    value: float
    before: Signature
    after: Signature
    tie: Signature | None = None
    where: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Regime:
    """A set of parameter values with one signature.

    Attributes
    ----------
    index
        1-based number used in text and figures ("regime 2").
    signature
        The set of equilibrium supports that holds throughout the regime.
    description
        The signature in words, e.g. ``"Ease / Resume is the only equilibrium"``.
    low, high
        1-D sweeps: the regime's interval (boundary values or the sweep's ends).
        2-D sweeps: ``None``.
    share
        Fraction of grid points that fall in the regime.
    degenerate
        True when every grid point of the regime is a degenerate game (points exactly on a
        boundary in a 2-D sweep).
    """

    index: int
    signature: Signature
    description: str
    low: float | None
    high: float | None
    share: float
    degenerate: bool = False


@dataclass(frozen=True)
class Crossing:
    """One signature change found on a segment (internal result of :func:`refine_segments`)."""

    value: float
    before: Signature
    after: Signature


# --------------------------------------------------------------------------------------
# signatures and labels
# --------------------------------------------------------------------------------------


def support_of(probabilities: np.ndarray, tol: float = SUPPORT_TOL) -> Support:
    """Return the indices of the strategies played with probability above ``tol``."""
    return tuple(int(i) for i in np.flatnonzero(probabilities > tol))


def support_code_array(row: np.ndarray, col: np.ndarray, tol: float = SUPPORT_TOL) -> np.ndarray:
    """One integer per equilibrium: ``row_support_mask << n | col_support_mask``.

    Bit ``i`` of a mask is set when strategy ``i`` is played with probability above ``tol``.
    """
    m, n = row.shape[1], col.shape[1]
    code = np.zeros(row.shape[0], dtype=np.int64)
    for i in range(m):  # column by column: a reduction over a short axis is slow
        code |= (row[:, i] > tol).astype(np.int64) << (n + i)
    for j in range(n):
        code |= (col[:, j] > tol).astype(np.int64) << j
    return code


def support_set_keys(
    game_index: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    n_games: int,
    tol: float = SUPPORT_TOL,
) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """The distinct sets of support codes of a stack of games, and each game's set.

    A support code packs a (row support, column support) pair into one integer
    (``row_mask << n | col_mask``). Vectorised: each game's sorted distinct codes become one
    row of a padded matrix, and :func:`numpy.unique` groups equal rows, so only the distinct
    sets (a handful, however many games) are turned into Python tuples.

    Returns
    -------
    keys, inverse
        ``keys``: the distinct sorted code tuples in order of first appearance; ``inverse``
        ``(K,)``: index into ``keys`` of each game's set.
    """
    game_index = np.asarray(game_index, dtype=np.int64)
    m, n = row.shape[1], col.shape[1]
    code = support_code_array(row, col, tol)
    if n_games == 0:
        return [], np.zeros(0, dtype=np.int64)
    order = np.lexsort((code, game_index))
    g_sorted, c_sorted = game_index[order], code[order]
    # distinct (game, code) pairs only: a set, not a multiset
    fresh = np.ones(g_sorted.size, dtype=bool)
    fresh[1:] = (g_sorted[1:] != g_sorted[:-1]) | (c_sorted[1:] != c_sorted[:-1])
    g_sorted, c_sorted = g_sorted[fresh], c_sorted[fresh]
    counts = np.bincount(g_sorted, minlength=n_games)
    width = max(1, int(counts.max()) if counts.size else 1)
    start = np.cumsum(counts) - counts
    matrix = np.full((n_games, width), -1, dtype=np.int64)
    matrix[g_sorted, np.arange(g_sorted.size) - start[g_sorted]] = c_sorted
    bits = m + n + 1  # a code plus one, so that the padding -1 packs as 0
    if bits * width <= 63:
        # Each game's set packed into one integer: a 1-D unique is much faster.
        packed = np.zeros(n_games, dtype=np.int64)
        for j in range(width):
            packed |= (matrix[:, j] + 1) << (bits * j)
        _, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(matrix, axis=0, return_index=True, return_inverse=True)
    by_first = np.argsort(first)  # number the sets in order of first appearance
    rank = np.empty_like(by_first)
    rank[by_first] = np.arange(by_first.size)
    keys = [tuple(int(c) for c in matrix[first[i]] if c >= 0) for i in by_first.tolist()]
    return keys, rank[np.asarray(inverse).reshape(-1)].astype(np.int64)


def signature_of_key(key: tuple[int, ...], n: int) -> Signature:
    """The signature (set of support pairs) of a tuple of support codes."""
    return frozenset(_decode(c, n) for c in key)


def signatures_from_arrays(
    game_index: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    n_games: int,
    tol: float = SUPPORT_TOL,
) -> tuple[np.ndarray, list[Signature]]:
    """Signature of every game of a stack, as ids into a list of distinct signatures.

    Parameters
    ----------
    game_index
        ``(E,)`` which game each equilibrium belongs to (non-decreasing).
    row, col
        ``(E, m)`` and ``(E, n)`` equilibrium probabilities.
    n_games
        Number of games ``K`` in the stack.
    tol
        Support threshold.

    Returns
    -------
    ids, signatures
        ``ids`` of shape ``(K,)``; ``signatures[ids[k]]`` is game ``k``'s signature. Ids are
        numbered in order of first appearance, so they are deterministic.

    Notes
    -----
    Supports are encoded as bitmasks and grouped with array operations
    (:func:`support_set_keys`); only the distinct signatures are turned into Python sets.
    """
    keys, ids = support_set_keys(game_index, row, col, n_games, tol)
    n = col.shape[1]
    return ids, [signature_of_key(k, n) for k in keys]


def _decode(code: int, n: int) -> SupportPair:
    rmask, cmask = divmod(code, 1 << n)
    return (_bits(rmask), _bits(cmask))


def _bits(mask: int) -> Support:
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)


def sorted_pairs(signature: Signature) -> list[SupportPair]:
    """Support pairs in reading order: pure equilibria first, then by support size and index."""
    return sorted(signature, key=lambda p: (len(p[0]) + len(p[1]), p[0], p[1]))


def equilibrium_label(pair: SupportPair, row_names: Sequence[str], col_names: Sequence[str]) -> str:
    """Readable label of an equilibrium from its supports.

    ``Ease / Resume`` for a pure equilibrium (row strategy / column strategy), and
    ``mixed (Ease & Maintain / Resume & License slowly)`` for a mixed one.
    """
    rows = " & ".join(row_names[i] for i in pair[0])
    cols = " & ".join(col_names[j] for j in pair[1])
    if len(pair[0]) == 1 and len(pair[1]) == 1:
        return f"{rows} / {cols}"
    return f"mixed ({rows} / {cols})"


def signature_labels(
    signature: Signature, row_names: Sequence[str], col_names: Sequence[str]
) -> list[str]:
    """Labels of a signature's equilibria in reading order."""
    return [equilibrium_label(p, row_names, col_names) for p in sorted_pairs(signature)]


def _count(k: int) -> str:
    return _NUMBER_WORDS[k] if k < len(_NUMBER_WORDS) else str(k)


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe_signature(
    signature: Signature, row_names: Sequence[str], col_names: Sequence[str]
) -> str:
    """The set of equilibria in words, for a policy student.

    Examples: ``"Ease / Resume is the only equilibrium"``; ``"two pure equilibria, Ease /
    Resume and Maintain / License slowly, plus one mixed"``.
    """
    pairs = sorted_pairs(signature)
    pure = [equilibrium_label(p, row_names, col_names) for p in pairs if _is_pure(p)]
    mixed = [equilibrium_label(p, row_names, col_names) for p in pairs if not _is_pure(p)]
    if not pairs:
        return "no equilibrium found"
    if len(pairs) == 1:
        if pure:
            return f"{pure[0]} is the only equilibrium"
        return f"the only equilibrium is {mixed[0]}"
    if not pure:
        return f"{_count(len(mixed))} mixed equilibria ({'; '.join(mixed)})"
    head = (
        f"one pure equilibrium, {pure[0]}"
        if len(pure) == 1
        else f"{_count(len(pure))} pure equilibria, {_join(pure)}"
    )
    if not mixed:
        return head
    return f"{head}, plus {_count(len(mixed))} mixed"


def short_description(
    signature: Signature, row_names: Sequence[str], col_names: Sequence[str]
) -> str:
    """A compact description for figure legends (pure equilibria named, mixed counted)."""
    pairs = sorted_pairs(signature)
    pure = [equilibrium_label(p, row_names, col_names) for p in pairs if _is_pure(p)]
    n_mixed = sum(1 for p in pairs if not _is_pure(p))
    if not pure:
        return "only mixed" if n_mixed == 1 else f"{n_mixed} mixed"
    text = " or ".join(pure) if len(pure) > 1 else f"{pure[0]} only"
    if n_mixed:
        text += f" (+{n_mixed} mixed)"
    return text


def _is_pure(pair: SupportPair) -> bool:
    return len(pair[0]) == 1 and len(pair[1]) == 1


# --------------------------------------------------------------------------------------
# locating boundaries
# --------------------------------------------------------------------------------------


def refine_segments(
    lo: np.ndarray,
    hi: np.ndarray,
    sig_lo: Sequence[Signature],
    sig_hi: Sequence[Signature],
    axis: np.ndarray,
    evaluate: SignatureFn,
    *,
    xtol: float = XTOL,
    max_pieces: int = 32,
) -> list[list[Crossing]]:
    """Locate every signature change on a batch of segments by batched k-section.

    Parameters
    ----------
    lo, hi
        ``(P, d)`` segment ends (parameter points). Each segment moves one coordinate only:
        ``axis[p]``. The other coordinates are equal at both ends.
    sig_lo, sig_hi
        Signatures at the ends; ``sig_lo[p] != sig_hi[p]``.
    axis
        ``(P,)`` which coordinate varies along each segment.
    evaluate
        Returns signatures (and degeneracy flags, unused here) of a ``(Q, d)`` batch of points.
    xtol
        Stop when a bracket is narrower than this (in the varied parameter's units).
    max_pieces
        Safety cap on the number of separate changes followed on one segment.

    Returns
    -------
    list of list of Crossing
        Per segment, its signature changes in increasing order of the varied coordinate.

    Notes
    -----
    Bisection generalised to ``q`` interior points per bracket and round (q-section), with all
    brackets of all segments evaluated in ONE call per round, so a sweep costs a few dozen
    batched solver calls rather than thousands of single solves. When an interior point shows
    a third signature the bracket splits in two, so changes hidden between grid points (a
    tie, or a narrow regime that a probe happens to hit) are followed as well.
    """
    lo = np.asarray(lo, dtype=np.float64)
    hi = np.asarray(hi, dtype=np.float64)
    axis = np.asarray(axis, dtype=np.int64)
    n_seg = lo.shape[0]
    eps = float(np.finfo(np.float64).eps)
    # a bracket: (segment, a, b, sig_a, sig_b)
    active: list[tuple[int, float, float, Signature, Signature]] = []
    for p in range(n_seg):
        ax = int(axis[p])
        active.append((p, float(lo[p, ax]), float(hi[p, ax]), sig_lo[p], sig_hi[p]))
    done: list[list[Crossing]] = [[] for _ in range(n_seg)]
    pieces = [1] * n_seg
    while active:
        todo = []
        for br in active:
            p, a, b, sa, sb = br
            # never ask for less than a few ulps: below that the midpoint cannot move
            if b - a <= max(xtol, 8 * eps * max(abs(a), abs(b))) or pieces[p] > max_pieces:
                done[p].append(Crossing(0.5 * (a + b), sa, sb))
            else:
                todo.append(br)
        if not todo:
            break
        # Fewer brackets -> more points per bracket: fewer rounds for the same batch size.
        q = max(1, min(15, 2048 // len(todo)))
        fractions = np.arange(1, q + 1, dtype=np.float64) / (q + 1)
        seg = np.asarray([br[0] for br in todo], dtype=np.int64)
        pts = np.repeat(lo[seg], q, axis=0)
        inner = (
            np.asarray([br[1] for br in todo])[:, None]
            + np.asarray([br[2] - br[1] for br in todo])[:, None] * fractions[None, :]
        )
        pts[np.arange(pts.shape[0]), np.repeat(axis[seg], q)] = inner.reshape(-1)
        sigs, _ = evaluate(pts)
        active = []
        for i, (p, a, b, sa, sb) in enumerate(todo):
            xs = [a, *inner[i].tolist(), b]
            ss = [sa, *sigs[i * q : (i + 1) * q], sb]
            changes = [j for j in range(q + 1) if ss[j] != ss[j + 1]]
            pieces[p] += len(changes) - 1
            for j in changes:
                active.append((p, xs[j], xs[j + 1], ss[j], ss[j + 1]))
    for crossings in done:
        crossings.sort(key=lambda c: c.value)
    return done


def merge_crossings(
    crossings: Sequence[Crossing], *, merge_tol: float
) -> list[tuple[float, Signature, Signature]]:
    """Merge crossings through a sliver into one boundary.

    Right at a boundary the computed signature often differs from both sides for a tiny
    stretch: the game is degenerate there, or a mixed equilibrium's probability is so close to
    0 or 1 that it rounds to a pure strategy. Consecutive crossings ``A -> D -> B`` less than
    ``merge_tol`` apart are therefore ONE boundary ``A -> B``, placed in the middle of the
    sliver. A sliver that returns to where it started (``A -> D -> A``) is an isolated tie
    inside a regime and is dropped.

    Returns
    -------
    list of (value, before, after)
    """
    out: list[tuple[float, Signature, Signature]] = []
    i = 0
    while i < len(crossings):
        j = i
        while (
            j + 1 < len(crossings)
            and crossings[j + 1].value - crossings[j].value <= merge_tol
            and crossings[j].after == crossings[j + 1].before
        ):
            j += 1
        first, last = crossings[i], crossings[j]
        if first.before != last.after:
            out.append((0.5 * (first.value + last.value), first.before, last.after))
        i = j + 1
    return out


def trim_edge_slivers(
    found: list[tuple[float, Signature, Signature]],
    start: float,
    stop: float,
    merge_tol: float,
) -> list[tuple[float, Signature, Signature]]:
    """Drop a boundary that only separates a grid end point from the rest of the sweep.

    When a sweep starts or ends exactly on a boundary (say ``t_us=0.1:...``), the end point
    has a tie signature of its own; that is not a regime a user asked about.
    """
    out = list(found)
    if out and out[0][0] - start <= merge_tol:
        out.pop(0)
    if out and stop - out[-1][0] <= merge_tol:
        out.pop()
    return out


def regimes_1d(
    parameter: str,
    start: float,
    stop: float,
    boundaries: Sequence[Boundary],
    first_signature: Signature,
    coords: np.ndarray,
    describe: Callable[[Signature], str],
) -> tuple[list[Regime], np.ndarray]:
    """Intervals between consecutive boundaries, with each grid point's regime.

    Returns
    -------
    regimes, regime_of_point
        ``regime_of_point`` is ``(N,)``, 0-based index into ``regimes``.
    """
    del parameter
    edges = [start, *[b.value for b in boundaries], stop]
    sigs = [first_signature, *[b.after for b in boundaries]]
    point_regime = np.searchsorted(
        np.asarray([b.value for b in boundaries], dtype=np.float64), coords, side="right"
    ).astype(np.int64)
    n = max(1, len(coords))
    regimes = [
        Regime(
            index=i + 1,
            signature=sigs[i],
            description=describe(sigs[i]),
            low=float(edges[i]),
            high=float(edges[i + 1]),
            share=float(np.count_nonzero(point_regime == i)) / n,
        )
        for i in range(len(sigs))
    ]
    return regimes, point_regime


def locate_boundaries(
    names: Sequence[str],
    axes_values: Sequence[np.ndarray],
    sig_ids: np.ndarray,
    signatures: Sequence[Signature],
    evaluate: SignatureFn,
    *,
    tie_evaluate: SignatureFn | None = None,
    xtol: float = XTOL,
    merge_rtol: float = 1e-6,
) -> list[Boundary]:
    """Exact boundaries of a 1-D or 2-D grid, located along grid lines.

    Parameters
    ----------
    names
        Varied parameter names, one per axis.
    axes_values
        Grid values of each axis (increasing).
    sig_ids
        Per grid point (C order: the first axis varies slowest), its signature id.
    signatures
        Distinct signatures referenced by ``sig_ids``.
    evaluate
        Signature function used while bisecting (see :data:`SignatureFn`).
    tie_evaluate
        Signature function for the game exactly at each boundary (default: ``evaluate``);
        its signature is reported as :attr:`Boundary.tie` when it differs from both sides.
    xtol
        Bisection stops below this bracket width.
    merge_rtol
        Changes closer together than ``merge_rtol * max(1, axis span)`` count as one boundary
        (see :func:`merge_crossings`). The tolerance is relative to the axis span, never to
        the grid step, so boundaries do not depend on the grid size.

    Returns
    -------
    list of Boundary
        1-D: sorted by value. 2-D: first the boundaries along the first axis (one grid line
        per value of the second parameter, in grid order), then those along the second.

    Notes
    -----
    Every neighbouring pair of grid points with different signatures is refined with
    :func:`refine_segments` (one batched solver call per round for the whole grid), then
    :func:`merge_crossings` turns the sliver at a degenerate boundary into one boundary.
    """
    shape = tuple(len(v) for v in axes_values)
    d = len(shape)
    ids = np.asarray(sig_ids).reshape(shape)

    def coords(index: tuple[int, ...]) -> np.ndarray:
        # the parameter point of a grid index (no grid-sized coordinate array)
        return np.asarray([float(axes_values[k][i]) for k, i in enumerate(index)])

    seg_lo: list[np.ndarray] = []
    seg_hi: list[np.ndarray] = []
    s_lo: list[Signature] = []
    s_hi: list[Signature] = []
    seg_axis: list[int] = []
    seg_line: list[tuple[int, tuple[int, ...]]] = []  # (axis, index of the grid line)
    for ax in range(d):
        # every pair of neighbours along axis `ax` whose signatures differ
        idx_lo: list[slice] = [slice(None)] * d
        idx_hi: list[slice] = [slice(None)] * d
        idx_lo[ax] = slice(0, shape[ax] - 1)
        idx_hi[ax] = slice(1, shape[ax])
        for pos in np.argwhere(ids[tuple(idx_lo)] != ids[tuple(idx_hi)]):
            a = tuple(int(x) for x in pos)
            b = tuple(x + (k == ax) for k, x in enumerate(a))
            seg_lo.append(coords(a))
            seg_hi.append(coords(b))
            s_lo.append(signatures[int(ids[a])])
            s_hi.append(signatures[int(ids[b])])
            seg_axis.append(ax)
            seg_line.append((ax, tuple(x for k, x in enumerate(a) if k != ax)))
    if not seg_lo:
        return []
    found = refine_segments(
        np.asarray(seg_lo),
        np.asarray(seg_hi),
        s_lo,
        s_hi,
        np.asarray(seg_axis, dtype=np.int64),
        evaluate,
        xtol=xtol,
    )
    # regroup crossings by grid line, then merge slivers along each line
    by_line: dict[tuple[int, tuple[int, ...]], list[Crossing]] = {}
    for line_key, crossings in zip(seg_line, found, strict=True):
        by_line.setdefault(line_key, []).extend(crossings)
    located: list[tuple[int, dict[str, float], float, Signature, Signature]] = []
    for (ax, line), crossings in sorted(by_line.items()):
        crossings.sort(key=lambda c: c.value)
        vals = axes_values[ax]
        merge_tol = merge_rtol * max(1.0, abs(float(vals[-1] - vals[0])))
        merged = merge_crossings(crossings, merge_tol=merge_tol)
        merged = trim_edge_slivers(merged, float(vals[0]), float(vals[-1]), merge_tol)
        others = [k for k in range(d) if k != ax]
        where = {names[k]: float(axes_values[k][i]) for k, i in zip(others, line, strict=True)}
        for value, before, after in merged:
            located.append((ax, where, value, before, after))
    if not located:
        return []
    # the game exactly at each boundary, in one batch
    at = np.empty((len(located), d))
    for i, (ax, where, value, _, _) in enumerate(located):
        for k in range(d):
            at[i, k] = value if k == ax else where[names[k]]
    ties, _ = (tie_evaluate or evaluate)(at)
    return [
        Boundary(
            names[ax],
            float(value),
            before,
            after,
            tie if tie not in (before, after) else None,
            where,
        )
        for (ax, where, value, before, after), tie in zip(located, ties, strict=True)
    ]
