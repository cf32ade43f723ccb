"""Regions of a 2-D regime map as vector polygons, cut along the located boundaries.

Marching squares (W. E. Lorensen and H. E. Cline, "Marching cubes: a high resolution 3D surface
construction algorithm", *SIGGRAPH* 1987, in its two-dimensional form) with the crossing points
located exactly on the grid lines instead of interpolated: a cell of the grid (the square
between four neighbouring grid points) whose corners all have one regime is filled whole; a
cell whose corners differ is cut at the boundary points located on its edges (to 1e-9 by the
sweep). Walking round the cell, each stretch between two crossings belongs to the regime of its
corners; with two crossings the stretch is closed by the chord between them, with more (three
regimes meet, or a saddle) by a point at the crossings' centre. The chords are the drawn
boundary curves. A boundary that is a straight line is therefore drawn exactly; a curved one is
drawn as chords between exact points, one per grid line it crosses.

Pure geometry: arrays in, arrays out; nothing here draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["OTHER", "Cut", "MapGeometry", "map_geometry"]

OTHER = -1
"""The id of pieces whose regime no grid point has (found between grid points)."""

#: A boundary located on a grid line: ``(value, regime before, regime after)``.
Cut = tuple[float, int, int]

#: A crossing found within this fraction of the grid step outside an edge still belongs to it.
_EDGE_SLACK = 1e-9


@dataclass(frozen=True)
class MapGeometry:
    """The map cut into regions.

    Attributes
    ----------
    uniform
        ``(nx - 1, ny - 1)``: the regime of each cell whose four corners agree, else -1.
    polygons
        Regime id -> polygons (``(k, 2)`` arrays of ``(x, y)`` vertices) covering the cells
        that boundaries cut, in a fixed order; :data:`OTHER` for pieces of a regime that no
        grid point has.
    segments
        Boundary pieces, ``(2, 2)`` arrays ``[[x0, y0], [x1, y1]]``, in a fixed order.
    """

    uniform: np.ndarray
    polygons: dict[int, list[np.ndarray]] = field(default_factory=dict)
    segments: list[np.ndarray] = field(default_factory=list)


def map_geometry(
    ids: np.ndarray,
    xs: np.ndarray,
    ys: np.ndarray,
    along_x: Mapping[int, Sequence[Cut]],
    along_y: Mapping[int, Sequence[Cut]],
    ties: frozenset[int] = frozenset(),
) -> MapGeometry:
    """Cut the map of regime ``ids[i, j]`` at points ``(xs[i], ys[j])`` along its boundaries.

    Parameters
    ----------
    ids
        ``(nx, ny)`` regime id of each grid point.
    xs, ys
        Grid values of the two axes (increasing).
    along_x
        ``j`` -> the boundaries located on the grid line ``y = ys[j]``: ``(x, before, after)``
        with the regime ids below and above ``x`` (-1 for a regime not on the grid).
    along_y
        ``i`` -> the boundaries on the grid line ``x = xs[i]``, likewise.
    ties
        Regime ids of tie points (games exactly on a boundary): a stretch of a cell is given to
        another corner's regime when it has one.

    Returns
    -------
    MapGeometry
    """
    corner = np.stack([ids[:-1, :-1], ids[1:, :-1], ids[1:, 1:], ids[:-1, 1:]])
    same = np.all(corner == corner[0], axis=0)
    uniform = np.where(same, corner[0], -1)
    polygons: dict[int, list[np.ndarray]] = {}
    segments: list[np.ndarray] = []
    cuts_x = {j: sorted(v) for j, v in along_x.items()}
    cuts_y = {i: sorted(v) for i, v in along_y.items()}
    for i, j in np.argwhere(~same).tolist():
        _cut_cell(i, j, ids, xs, ys, cuts_x, cuts_y, ties, polygons, segments)
    # a tie on a corner gives chords of no length
    segments = [s for s in segments if np.any(s[0] != s[1])]
    return MapGeometry(uniform, polygons, segments)


def _between(cuts: Sequence[Cut] | None, lo: float, hi: float) -> list[tuple[float, int]]:
    """Crossings on an edge walked from ``lo`` to ``hi`` (either order), in walking order,
    each with the regime it enters."""
    if not cuts:
        return []
    a, b = min(lo, hi), max(lo, hi)
    slack = _EDGE_SLACK * (b - a)
    inside = [
        (min(max(value, a), b), after if lo <= hi else before)
        for value, before, after in cuts
        if a - slack <= value <= b + slack
    ]
    return inside if lo <= hi else inside[::-1]


def _cut_cell(
    i: int,
    j: int,
    ids: np.ndarray,
    xs: np.ndarray,
    ys: np.ndarray,
    cuts_x: Mapping[int, Sequence[Cut]],
    cuts_y: Mapping[int, Sequence[Cut]],
    ties: frozenset[int],
    polygons: dict[int, list[np.ndarray]],
    segments: list[np.ndarray],
) -> None:
    """The pieces of cell ``(i, j)`` whose corners differ (see the module docstring)."""
    x0, x1, y0, y1 = float(xs[i]), float(xs[i + 1]), float(ys[j]), float(ys[j + 1])
    corners = [
        ((x0, y0), int(ids[i, j])),
        ((x1, y0), int(ids[i + 1, j])),
        ((x1, y1), int(ids[i + 1, j + 1])),
        ((x0, y1), int(ids[i, j + 1])),
    ]
    # the edges counter-clockwise: (crossing values, how a value becomes a point)
    edges = [
        (_between(cuts_x.get(j), x0, x1), lambda v: (v, y0)),
        (_between(cuts_y.get(i + 1), y0, y1), lambda v: (x1, v)),
        (_between(cuts_x.get(j + 1), x1, x0), lambda v: (v, y1)),
        (_between(cuts_y.get(i), y1, y0), lambda v: (x0, v)),
    ]
    # the walk: corners (regime, False) and crossings (regime entered, True)
    walk: list[tuple[tuple[float, float], int, bool]] = []
    for k, (point, regime) in enumerate(corners):
        walk.append((point, regime, False))
        following = corners[(k + 1) % 4]
        crossings_here, to_point = edges[k]
        if following[1] == regime:
            continue
        if not crossings_here:
            # No boundary located on this edge (one at the sweep's end is trimmed): a tie
            # corner is a point, so the change sits on it; otherwise halfway.
            ends = next((a, b) for a, b in zip(point, following[0], strict=True) if a != b)
            at = ends[1] if following[1] in ties else ends[0] if regime in ties else sum(ends) / 2
            crossings_here = [(at, following[1])]
        walk.extend((to_point(v), entered, True) for v, entered in crossings_here)
    crossings = [p for p, _, is_cut in walk if is_cut]
    first = next(k for k, (_, _, is_cut) in enumerate(walk) if is_cut)
    walk = walk[first:] + walk[:first]
    centre = tuple(np.mean(np.asarray(crossings), axis=0).tolist()) if len(crossings) > 2 else None
    cell_area = (x1 - x0) * (y1 - y0)
    start = 0
    for k in range(1, len(walk) + 1):
        if k < len(walk) and not walk[k][2]:
            continue
        stretch = walk[start : k + 1] if k < len(walk) else [*walk[start:], walk[0]]
        start = k
        regimes = [r for _, r, is_cut in stretch if not is_cut]
        # the regime of the stretch's corners; a stretch with none (a regime narrower than the
        # cell passing between two corners), or only ties, has the regime its first crossing
        # enters; -1 is a regime no grid point has (OTHER)
        entered = stretch[0][1]
        own = next(
            (r for r in regimes if r not in ties),
            entered if (entered >= 0 and entered not in ties) or not regimes else regimes[0],
        )
        points = [p for p, _, _ in stretch] + ([centre] if centre is not None else [])
        polygon = np.asarray(points, dtype=np.float64)
        if abs(_area(polygon)) > 1e-12 * cell_area:
            polygons.setdefault(own, []).append(polygon)
    if centre is None:
        segments.append(np.array(crossings))  # the chord between the two crossings
    else:
        segments.extend(np.array([p, centre]) for p in crossings)


def _area(polygon: np.ndarray) -> float:
    """Signed area (shoelace formula)."""
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
