"""Evenly spaced samples of big grids: what a figure draws and what a streamed sweep keeps.

A figure is a few thousand pixels wide, so a sweep of a million points is drawn from an evenly
spaced sample of its grid (:func:`figure_view`); a streamed sweep keeps in memory only the records
of such a sample (:func:`sample_points`). Regimes and boundaries always stay the exact ones of the
whole sweep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from sim.sweeps.grid import GridAxis
from sim.sweeps.result import AnalysisSweep, SweepResult

#: Figures of 1-D sweeps with more points than this are drawn from this many evenly spaced
#: points; a figure cannot show more detail anyway.
FIGURE_POINTS = 2001
#: Regime maps (2-D sweeps) show at most this many evenly spaced points per axis: a bigger
#: image adds no visible detail but costs matplotlib hundreds of MB.
MAP_POINTS = 801
#: A streamed sweep keeps the records of at most about this many evenly spaced grid points in
#: memory (all of a 1-D figure's points; a 256 x 256 sample of a map).
KEEP_POINTS = 1 << 16


def axis_samples(axes: Sequence[GridAxis], max_points: int) -> list[np.ndarray]:
    """Evenly spaced grid indices along each axis, at most ``max_points`` per axis."""
    out = []
    for axis in axes:
        if axis.n <= max_points:
            out.append(np.arange(axis.n, dtype=np.int64))
        else:
            out.append(np.rint(np.linspace(0, axis.n - 1, max_points)).astype(np.int64))
    return out


def _grid_points(axes: Sequence[GridAxis], max_points: int) -> np.ndarray | None:
    """Sorted grid points (C order) of :func:`axis_samples`, or None: every point."""
    if all(a.n <= max_points for a in axes):
        return None
    picks = axis_samples(axes, max_points)
    grids = np.meshgrid(*picks, indexing="ij")
    shape = tuple(a.n for a in axes)
    return np.ravel_multi_index(tuple(g.reshape(-1) for g in grids), shape).astype(np.int64)


def figure_points(axes: Sequence[GridAxis]) -> int:
    """Most points per axis a figure shows: :data:`FIGURE_POINTS` (1-D), :data:`MAP_POINTS`."""
    return FIGURE_POINTS if len(axes) == 1 else MAP_POINTS


def sample_points(axes: Sequence[GridAxis]) -> np.ndarray | None:
    """Grid points whose records a streamed sweep keeps in memory (None: every point).

    Evenly spaced, at most about :data:`KEEP_POINTS` in all and never more per axis than its
    figure shows, so a 1-D sweep keeps exactly the points of its figure.
    """
    per_axis = min(figure_points(axes), round(KEEP_POINTS ** (1 / len(axes))))
    return _grid_points(axes, per_axis)


def figure_view(result: SweepResult) -> SweepResult:
    """The sweep as its figures show it: at most :func:`figure_points` points per axis.

    The sample is returned as a sweep on a coarser grid with the same range (so the figures need
    no special case): each sampled point keeps its label, tie flag, regime, values and records,
    and sits at the coarse grid's value, within half a step of the original grid of its true
    value. Branch ids are renumbered in order (branches seen only between samples drop out);
    boundaries and regimes are the exact ones of the whole sweep. Sweeps within the limit are
    returned unchanged.
    """
    limit = figure_points(result.axes)
    flat = _grid_points(result.axes, limit)
    if flat is None:
        return result
    picks = axis_samples(result.axes, limit)
    axes = tuple(
        GridAxis(a.name, a.start, a.stop, int(p.size))
        for a, p in zip(result.axes, picks, strict=True)
    )
    parts = {name: _sampled(part, flat, axes) for name, part in result.parts.items()}
    return result.with_parts(parts, axes)


def _sampled(part: AnalysisSweep, flat: np.ndarray, axes: tuple[GridAxis, ...]) -> AnalysisSweep:
    items = part.items
    if items is not None:
        if part.sample is not None and np.array_equal(part.sample, flat):
            keep = np.arange(items.n_rows)
        else:
            keep = np.flatnonzero(np.isin(items.point, flat))
        items = items.take(keep)
        _, branch = np.unique(items.branch, return_inverse=True)
        items = replace(
            items,
            point=np.searchsorted(flat, items.point).astype(np.int64),
            branch=branch.astype(np.int64).reshape(-1),
        )
    return replace(
        part,
        axes=axes,
        label_id=part.label_id[flat],
        tie=part.tie[flat],
        regime_id=part.regime_id[flat],
        values={k: v[flat] for k, v in part.values.items()},
        items=items,
        spilled=None,
        sample=None,
    )
