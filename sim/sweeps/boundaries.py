"""Exact boundaries of a sweep for any analysis: batched bisection between grid points.

Between neighbouring grid points whose labels differ, the bracket is shrunk by batched
k-section (every bracket of the grid evaluated in one call per round) until it is narrower
than ``xtol`` (1e-9 of the swept range by default), so the reported value does not depend on
the grid (the approach of the project's solver notes, "Regime boundaries in a sweep"). Right at
a boundary the game is usually a tie with a label of its own; such a sliver is reported as ONE
boundary (with that label as ``tie``), not as two.

This module is generic: it sees labels (any hashable values) and a caller-supplied function that
returns the labels of a batch of parameter points, never a scenario or a solver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sim.analyses.base import Label
from sim.rational import intended_value, simplest_between
from sim.sweeps.regimes import Boundary

#: ``evaluate(points)`` with ``points`` of shape ``(Q, d)`` (one column per varied parameter)
#: returns the label of each point and whether each point is a tie (bool array).
LabelFn = Callable[[np.ndarray], tuple[Sequence[Label], np.ndarray]]

#: Default bracket width at which bisection stops, in the parameter's own units.
XTOL = 1e-9

#: 1-D sweeps: between grid points, probes at most this fraction of the swept range apart, so
#: that no regime wider than it is missed, even one with the same label on both sides.
RESOLUTION = 1e-4

#: Probe points evaluated per call (keeps the solver's temporaries small).
PROBE_CHUNK = 4096


@dataclass(frozen=True)
class Crossing:
    """One label change found on a segment (internal result of :func:`refine_segments`).

    ``snapped`` crossings sit exactly at a simple rational number whose label, ``tie``, differs
    from both sides (see :func:`refine_segments`); the others are bracket midpoints, located
    to ``xtol``, with ``tie`` left for the caller to evaluate.
    """

    value: float
    before: Label
    after: Label
    tie: Label | None = None
    snapped: bool = False
    #: half the width of the sliver a merged crossing stands for (0 for a single bracket)
    spread: float = 0.0


#: A bracket narrower than the snap width tries at most this many simple numbers inside it.
SNAP_TRIES = 3


def refine_segments(
    lo: np.ndarray,
    hi: np.ndarray,
    sig_lo: Sequence[Label],
    sig_hi: Sequence[Label],
    axis: np.ndarray,
    evaluate: LabelFn,
    *,
    xtol: float = XTOL,
    max_pieces: int = 32,
    snap_width: np.ndarray | None = None,
) -> list[list[Crossing]]:
    """Locate every label change on a batch of segments by batched k-section.

    Parameters
    ----------
    lo, hi
        ``(P, d)`` segment ends (parameter points). Each segment moves one coordinate only:
        ``axis[p]``. The other coordinates are equal at both ends.
    sig_lo, sig_hi
        Labels at the ends; ``sig_lo[p] != sig_hi[p]``.
    axis
        ``(P,)`` which coordinate varies along each segment.
    evaluate
        Returns labels (and degeneracy flags, unused here) of a ``(Q, d)`` batch of points.
    xtol
        Stop when a bracket is narrower than this (in the varied parameter's units).
    max_pieces
        Safety cap on the number of separate changes followed on one segment.
    snap_width
        ``(P,)`` per segment: once a bracket is narrower than this, try the simplest rational
        number inside it (at most :data:`SNAP_TRIES` times). ``None``: never snap.

    Returns
    -------
    list of list of Crossing
        Per segment, its label changes in increasing order of the varied coordinate.

    Notes
    -----
    Bisection generalised to ``q`` interior points per bracket and round (q-section), with all
    brackets of all segments evaluated in ONE call per round, so a sweep costs a few dozen
    batched solver calls rather than thousands of single solves. When an interior point shows
    a third label the bracket splits in two, so changes hidden between grid points (a
    tie, or a narrow regime that a probe happens to hit) are followed as well.

    Snapping: a boundary designed in decimals (a tariff of 0.05) is a simple rational, and the
    game there is a tie with a label of its own. Once a bracket is narrower than its snap
    width, the simplest rational in it (smallest denominator, :func:`sim.rational.simplest_between`)
    is evaluated: a label different from both ends is the tie, and the boundary is exactly
    there (anything else inside the bracket is narrower than the snap width, which callers set
    to the merge distance of :func:`merge_crossings`). Otherwise the number splits the bracket
    like a bisection point. This replaces the last dozen rounds of bisection, where games are
    so close to the tie that floating point cannot decide them and each one is solved exactly.
    """
    lo = np.asarray(lo, dtype=np.float64)
    hi = np.asarray(hi, dtype=np.float64)
    axis = np.asarray(axis, dtype=np.int64)
    n_seg = lo.shape[0]
    eps = float(np.finfo(np.float64).eps)
    # a bracket: (segment, a, b, sig_a, sig_b, snap tries left)
    active: list[tuple[int, float, float, Label, Label, int]] = []
    tries = SNAP_TRIES if snap_width is not None else 0
    for p in range(n_seg):
        ax = int(axis[p])
        active.append((p, float(lo[p, ax]), float(hi[p, ax]), sig_lo[p], sig_hi[p], tries))
    done: list[list[Crossing]] = [[] for _ in range(n_seg)]
    pieces = [1] * n_seg
    while active:
        todo = []
        snaps = []
        for br in active:
            p, a, b, sa, sb, left = br
            # never ask for less than a few ulps: below that the midpoint cannot move
            if b - a <= max(xtol, 8 * eps * max(abs(a), abs(b))) or pieces[p] > max_pieces:
                done[p].append(Crossing(0.5 * (a + b), sa, sb))
            elif left and snap_width is not None and b - a <= snap_width[p]:
                snaps.append(br)
            else:
                todo.append(br)
        active = _snap(snaps, lo, axis, evaluate, done)
        if not todo:
            continue
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
        for i, (p, a, b, sa, sb, left) in enumerate(todo):
            xs = [a, *inner[i].tolist(), b]
            ss = [sa, *sigs[i * q : (i + 1) * q], sb]
            changes = [j for j in range(q + 1) if ss[j] != ss[j + 1]]
            pieces[p] += len(changes) - 1
            for j in changes:
                active.append((p, xs[j], xs[j + 1], ss[j], ss[j + 1], left))
    for crossings in done:
        crossings.sort(key=lambda c: c.value)
    return done


def _snap(
    brackets: list[tuple[int, float, float, Label, Label, int]],
    lo: np.ndarray,
    axis: np.ndarray,
    evaluate: LabelFn,
    done: list[list[Crossing]],
) -> list[tuple[int, float, float, Label, Label, int]]:
    """Evaluate the simplest rational of each bracket (one batch); record the ties found in
    ``done`` and return the brackets still to refine (see :func:`refine_segments`)."""
    if not brackets:
        return []
    seg = np.asarray([br[0] for br in brackets], dtype=np.int64)
    at = [float(simplest_between(Fraction(a), Fraction(b))) for _, a, b, _, _, _ in brackets]
    pts = lo[seg].copy()
    pts[np.arange(seg.size), axis[seg]] = at
    sigs, _ = evaluate(pts)
    out = []
    for (p, a, b, sa, sb, left), x, label in zip(brackets, at, sigs, strict=True):
        if label not in (sa, sb) and a < x < b:
            done[p].append(Crossing(x, sa, sb, tie=label, snapped=True))
        elif label == sa and a < x < b:
            out.append((p, x, b, sa, sb, left - 1))
        elif label == sb and a < x < b:
            out.append((p, a, x, sa, sb, left - 1))
        else:  # a third label at an end (the float was rounded there): bisect from here on
            out.append((p, a, b, sa, sb, 0))
    return out


def merge_crossings(crossings: Sequence[Crossing], *, merge_tol: float) -> list[Crossing]:
    """Merge crossings through a sliver into one boundary.

    Right at a boundary the computed label often differs from both sides for a tiny
    stretch: the game is degenerate there, or a mixed equilibrium's probability is so close to
    0 or 1 that it rounds to a pure strategy. Consecutive crossings ``A -> D -> B`` less than
    ``merge_tol`` apart are therefore ONE boundary ``A -> B``, placed in the middle of the
    sliver. A sliver that returns to where it started (``A -> D -> A``) is an isolated tie
    inside a regime and is dropped. A crossing left alone is kept as it is (snapped or not).

    Returns
    -------
    list of Crossing
    """
    out: list[Crossing] = []
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
        if i == j:
            out.append(first)
        elif first.before != last.after:
            middle = 0.5 * (first.value + last.value)
            out.append(Crossing(middle, first.before, last.after, spread=last.value - middle))
        i = j + 1
    return out


def trim_edge_slivers(
    found: list[Crossing],
    start: float,
    stop: float,
    merge_tol: float,
) -> list[Crossing]:
    """Drop a boundary that only separates a grid end point from the rest of the sweep.

    When a sweep starts or ends exactly on a boundary (say ``t_us=0.1:...``), the end point
    has a tie label of its own; that is not a regime a user asked about.
    """
    out = list(found)
    if out and out[0].value - start <= merge_tol:
        out.pop(0)
    if out and stop - out[-1].value <= merge_tol:
        out.pop()
    return out


def locate_boundaries(
    analysis: str,
    names: Sequence[str],
    axes_values: Sequence[np.ndarray],
    label_ids: np.ndarray,
    labels: Sequence[Label],
    evaluate: LabelFn,
    *,
    tie_evaluate: LabelFn | None = None,
    xtol: float = XTOL,
    merge_rtol: float = 1e-5,
    resolution: float | None = RESOLUTION,
) -> list[Boundary]:
    """Exact boundaries of a 1-D or 2-D grid, located along grid lines.

    Parameters
    ----------
    analysis
        Name of the analysis whose labels these are (recorded in each boundary).
    names
        Varied parameter names, one per axis.
    axes_values
        Grid values of each axis (increasing).
    label_ids
        Per grid point (C order: the first axis varies slowest), its label id.
    labels
        Distinct labels referenced by ``label_ids``.
    evaluate
        Label function used while bisecting (see :data:`LabelFn`).
    tie_evaluate
        Label function for the game exactly at each boundary (default: ``evaluate``);
        its label is reported as :attr:`Boundary.tie` when it differs from both sides.
    xtol
        Bisection stops below this bracket width.
    merge_rtol
        Changes closer together than ``merge_rtol * max(1, axis span)`` count as one boundary
        (see :func:`merge_crossings`). The tolerance is relative to the axis span, never to
        the grid step, so boundaries do not depend on the grid size.
    resolution
        1-D sweeps: probe between grid points at most ``resolution`` of the swept range
        apart, so that no regime wider than that is missed (:data:`RESOLUTION`); ``None``
        looks at the grid points only. 2-D sweeps look at the grid points only.

    Returns
    -------
    list of Boundary
        1-D: sorted by value. 2-D: first the boundaries along the first axis (one grid line
        per value of the second parameter, in grid order), then those along the second.

    Notes
    -----
    Every neighbouring pair of grid points with different labels is refined with
    :func:`refine_segments` (one batched solver call per round for the whole grid), then
    :func:`merge_crossings` turns the sliver at a degenerate boundary into one boundary.
    """
    shape = tuple(len(v) for v in axes_values)
    d = len(shape)
    ids = np.asarray(label_ids).reshape(shape)
    if d == 1 and resolution is not None and shape[0] > 1:
        return _located(
            analysis,
            names,
            axes_values,
            _probed_segments_1d(axes_values[0], ids, labels, evaluate, resolution),
            evaluate,
            tie_evaluate,
            xtol,
            merge_rtol,
        )

    def coords(index: tuple[int, ...]) -> np.ndarray:
        # the parameter point of a grid index (no grid-sized coordinate array)
        return np.asarray([float(axes_values[k][i]) for k, i in enumerate(index)])

    seg_lo: list[np.ndarray] = []
    seg_hi: list[np.ndarray] = []
    s_lo: list[Label] = []
    s_hi: list[Label] = []
    seg_axis: list[int] = []
    seg_line: list[tuple[int, tuple[int, ...]]] = []  # (axis, index of the grid line)
    for ax in range(d):
        # every pair of neighbours along axis `ax` whose labels differ
        idx_lo: list[slice] = [slice(None)] * d
        idx_hi: list[slice] = [slice(None)] * d
        idx_lo[ax] = slice(0, shape[ax] - 1)
        idx_hi[ax] = slice(1, shape[ax])
        for pos in np.argwhere(ids[tuple(idx_lo)] != ids[tuple(idx_hi)]):
            a = tuple(int(x) for x in pos)
            b = tuple(x + (k == ax) for k, x in enumerate(a))
            seg_lo.append(coords(a))
            seg_hi.append(coords(b))
            s_lo.append(labels[int(ids[a])])
            s_hi.append(labels[int(ids[b])])
            seg_axis.append(ax)
            seg_line.append((ax, tuple(x for k, x in enumerate(a) if k != ax)))
    segments = _Segments(seg_lo, seg_hi, s_lo, s_hi, seg_axis, seg_line)
    return _located(
        analysis, names, axes_values, segments, evaluate, tie_evaluate, xtol, merge_rtol
    )


@dataclass
class _Segments:
    """Neighbouring points with different labels, to be refined (one entry per segment)."""

    lo: list[np.ndarray]
    hi: list[np.ndarray]
    label_lo: list[Label]
    label_hi: list[Label]
    axis: list[int]
    line: list[tuple[int, tuple[int, ...]]]  # (axis, index of the grid line)


def _probed_segments_1d(
    values: np.ndarray,
    ids: np.ndarray,
    labels: Sequence[Label],
    evaluate: LabelFn,
    resolution: float,
) -> _Segments:
    """Segments of a 1-D grid after probing between grid points ``resolution`` of the range apart.

    Every gap between neighbouring grid points wider than ``resolution * span`` gets evenly
    spaced probes no further apart than that, so an interval wider than it always holds a
    probe or a grid point: a regime that wide cannot be missed, even when the labels on both
    sides of it are the same. Neighbours (grid points and probes) with different labels become
    the segments to refine.
    """
    grid = np.asarray(values, dtype=np.float64)
    step = resolution * float(grid[-1] - grid[0])
    gaps = np.diff(grid)
    inner = np.maximum(np.ceil(gaps / step).astype(np.int64) - 1, 0) if step > 0 else 0 * gaps
    points = [grid[:1]]
    for k, count in enumerate(np.broadcast_to(inner, gaps.shape).tolist()):
        if count:
            fractions = np.arange(1, count + 1, dtype=np.float64) / (count + 1)
            points.append(grid[k] + gaps[k] * fractions)
        points.append(grid[k + 1 : k + 2])
    xs = np.concatenate(points)
    is_grid = np.isin(xs, grid)
    seq: list[Label] = [None] * xs.size
    for k, i in zip(np.flatnonzero(is_grid).tolist(), ids.tolist(), strict=True):
        seq[k] = labels[int(i)]
    probe = np.flatnonzero(~is_grid)
    for start in range(0, probe.size, PROBE_CHUNK):
        chunk = probe[start : start + PROBE_CHUNK]
        found, _ = evaluate(xs[chunk, None])
        for k, label in zip(chunk.tolist(), found, strict=True):
            seq[k] = label
    change = [k for k in range(xs.size - 1) if seq[k] != seq[k + 1]]
    return _Segments(
        [xs[k : k + 1] for k in change],
        [xs[k + 1 : k + 2] for k in change],
        [seq[k] for k in change],
        [seq[k + 1] for k in change],
        [0] * len(change),
        [(0, ())] * len(change),
    )


def _point_ties(
    segments: _Segments, evaluate: LabelFn, snap_width: Sequence[float]
) -> tuple[_Segments, list[tuple[int, Crossing]]]:
    """Boundaries that sit exactly on a grid point (or a probe): found without bisection.

    A point ``p`` whose label ``D`` differs from both of its neighbours' labels ``A != B`` on
    a grid line is usually a tie at a designed value (a tariff of 0.05 on a grid of step 0.01).
    When ``p`` stands for the simplest rational within the snap width around it
    (:func:`sim.rational.intended_value`) and the labels at
    ``p - w/2`` and ``p + w/2`` are ``A`` and ``B`` (``w``: the snap width, the merge distance,
    so whatever lies between would be merged anyway), the boundary is ``A -> B`` exactly at
    ``p`` with tie ``D``, and its two segments need no bisection. Returns the segments left
    to refine and the crossings found, each with the index of the segment whose line it is on.
    """
    starts = {
        (segments.line[k], tuple(segments.lo[k].tolist())): k for k in range(len(segments.lo))
    }
    pairs: list[tuple[int, int]] = []
    for k in range(len(segments.lo)):
        nxt = starts.get((segments.line[k], tuple(segments.hi[k].tolist())))
        if nxt is None or segments.label_lo[k] == segments.label_hi[nxt]:
            continue
        ax = segments.axis[k]
        at = float(segments.hi[k][ax])
        width = Fraction(snap_width[ax])
        # the point stands for the simplest number around it (3.4000000000000004 for 17/5)
        if simplest_between(Fraction(at) - width, Fraction(at) + width) == intended_value(at):
            pairs.append((k, nxt))
    if not pairs:
        return segments, []
    probes = np.empty((2 * len(pairs), len(segments.lo[0])))
    for i, (k, _) in enumerate(pairs):
        ax = segments.axis[k]
        for side, sign in enumerate((-0.5, 0.5)):
            probes[2 * i + side] = segments.hi[k]
            probes[2 * i + side, ax] += sign * snap_width[ax]
    sides, _ = evaluate(probes)
    used: set[int] = set()
    found: list[tuple[int, Crossing]] = []
    for i, (k, nxt) in enumerate(pairs):
        before, after = segments.label_lo[k], segments.label_hi[nxt]
        if k in used or nxt in used or (sides[2 * i], sides[2 * i + 1]) != (before, after):
            continue
        used.update((k, nxt))
        at = float(intended_value(float(segments.hi[k][segments.axis[k]])))
        found.append((k, Crossing(at, before, after, tie=segments.label_hi[k], snapped=True)))
    keep = [k for k in range(len(segments.lo)) if k not in used]
    rest = _Segments(
        [segments.lo[k] for k in keep],
        [segments.hi[k] for k in keep],
        [segments.label_lo[k] for k in keep],
        [segments.label_hi[k] for k in keep],
        [segments.axis[k] for k in keep],
        [segments.line[k] for k in keep],
    )
    return rest, found


def _located(
    analysis: str,
    names: Sequence[str],
    axes_values: Sequence[np.ndarray],
    segments: _Segments,
    evaluate: LabelFn,
    tie_evaluate: LabelFn | None,
    xtol: float,
    merge_rtol: float,
) -> list[Boundary]:
    """Refine the segments, merge slivers along each grid line, label the game at each."""
    d = len(axes_values)
    if not segments.lo:
        return []
    all_lines = segments.line  # before the point ties are taken out
    # snap only where anything else in the bracket would be merged anyway
    snap = [merge_rtol * max(1.0, abs(float(v[-1] - v[0]))) for v in axes_values]
    by_line: dict[tuple[int, tuple[int, ...]], list[Crossing]] = {}
    segments, on_points = _point_ties(segments, evaluate, snap)
    for k, crossing in on_points:
        by_line.setdefault(all_lines[k], []).append(crossing)
    found = refine_segments(
        np.asarray(segments.lo).reshape(len(segments.lo), d),
        np.asarray(segments.hi).reshape(len(segments.hi), d),
        segments.label_lo,
        segments.label_hi,
        np.asarray(segments.axis, dtype=np.int64),
        evaluate,
        xtol=xtol,
        snap_width=np.asarray([snap[ax] for ax in segments.axis]),
    )
    # regroup crossings by grid line, then merge slivers along each line
    for line_key, crossings in zip(segments.line, found, strict=True):
        by_line.setdefault(line_key, []).extend(crossings)
    located: list[tuple[int, dict[str, float], Crossing]] = []
    for (ax, line), crossings in sorted(by_line.items()):
        crossings.sort(key=lambda c: c.value)
        vals = axes_values[ax]
        merge_tol = snap[ax]
        merged = merge_crossings(crossings, merge_tol=merge_tol)
        merged = trim_edge_slivers(merged, float(vals[0]), float(vals[-1]), merge_tol)
        others = [k for k in range(d) if k != ax]
        where = {names[k]: float(axes_values[k][i]) for k, i in zip(others, line, strict=True)}
        located.extend((ax, where, crossing) for crossing in merged)
    if not located:
        return []
    located = _snapped_late(located, names, tie_evaluate or evaluate, xtol)
    # the game exactly at each boundary not snapped (a snapped one has its tie), in one batch
    unsnapped = [i for i, (_, _, c) in enumerate(located) if not c.snapped]
    ties: list[Label | None] = [c.tie for _, _, c in located]
    if unsnapped:
        at = np.empty((len(unsnapped), d))
        for row, i in enumerate(unsnapped):
            ax, where, crossing = located[i]
            for k in range(d):
                at[row, k] = crossing.value if k == ax else where[names[k]]
        found_ties, _ = (tie_evaluate or evaluate)(at)
        for i, tie in zip(unsnapped, found_ties, strict=True):
            ties[i] = tie
    return [
        Boundary(
            analysis,
            names[ax],
            float(crossing.value),
            crossing.before,
            crossing.after,
            tie if tie not in (crossing.before, crossing.after) else None,
            where,
            exact=crossing.snapped,
        )
        for (ax, where, crossing), tie in zip(located, ties, strict=True)
    ]


def _snapped_late(
    located: list[tuple[int, dict[str, float], Crossing]],
    names: Sequence[str],
    evaluate: LabelFn,
    xtol: float,
) -> list[tuple[int, dict[str, float], Crossing]]:
    """Try once more to put each boundary not snapped so far at a simple rational number.

    Snapping during refinement tries the simplest numbers of brackets as wide as the snap
    width. A boundary typed with more digits than that resolves (``phi = 4.1344`` on a range
    of 100), or one whose tie a probe hit exactly (so that refinement closed in on it from
    both sides and the sliver was merged), is the simplest rational of the few ``xtol``
    around it: one batch evaluates that number for every such boundary, and a label
    different from both sides there is the tie, so the boundary is exactly there.
    """
    pending = [i for i, (_, _, c) in enumerate(located) if not c.snapped]
    if not pending:
        return located
    d = len(names)
    at = np.empty((len(pending), d))
    candidates: list[float] = []
    for row, i in enumerate(pending):
        ax, where, crossing = located[i]
        reach = crossing.spread + xtol
        low, high = Fraction(crossing.value - reach), Fraction(crossing.value + reach)
        candidates.append(float(simplest_between(low, high)))
        for k in range(d):
            at[row, k] = candidates[-1] if k == ax else where[names[k]]
    labels, _ = evaluate(at)
    out = list(located)
    for i, x, label in zip(pending, candidates, labels, strict=True):
        ax, where, crossing = located[i]
        if label not in (crossing.before, crossing.after):
            out[i] = (ax, where, Crossing(x, crossing.before, crossing.after, label, True))
    return out
