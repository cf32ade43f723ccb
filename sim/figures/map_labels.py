"""Where a regime map puts each regime's number: inside its region, or beside it.

A number goes inside its region where a disc of its size fits clear of the region's edge, the
markers and other numbers; otherwise next to the region, tied to it by a leader line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the axes' corner


def components(ids: np.ndarray) -> np.ndarray:
    """Connected regions of equal value (4-neighbours) of a 2-D array.

    Returns, for each cell, the smallest flat index of its region (min-label hooking and
    pointer jumping).
    """
    nx, ny = ids.shape
    index = np.arange(nx * ny).reshape(nx, ny)
    right = ids[:-1, :] == ids[1:, :]
    up = ids[:, :-1] == ids[:, 1:]
    u = np.concatenate([index[:-1, :][right], index[:, :-1][up]])
    v = np.concatenate([index[1:, :][right], index[:, 1:][up]])
    # Same min-label propagation as the solver's equilibrium graphs: reuse it.
    from sim.solver.components import connected_roots

    return connected_roots(nx * ny, u.astype(np.int64), v.astype(np.int64)).reshape(nx, ny)


_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))


def _clearance(comp: np.ndarray, cell_w: float, cell_h: float, cap: float) -> np.ndarray:
    """Distance in points from each cell's centre to the nearest other region or the edge.

    Measured along the 8 grid directions (good enough for placing a label) and capped at
    ``cap``.
    """
    nx, ny = comp.shape
    out = np.full(comp.shape, cap)
    for di, dj in _DIRECTIONS:
        length = math.hypot(di * cell_w, dj * cell_h)
        alive = np.ones(comp.shape, dtype=bool)
        for s in range(1, math.ceil(cap / length) + 2):
            same = np.zeros(comp.shape, dtype=bool)
            i0, i1 = max(0, -s * di), nx - max(0, s * di)
            j0, j1 = max(0, -s * dj), ny - max(0, s * dj)
            if i0 < i1 and j0 < j1:
                same[i0:i1, j0:j1] = (
                    comp[i0 + s * di : i1 + s * di, j0 + s * dj : j1 + s * dj] == comp[i0:i1, j0:j1]
                )
            stopped = alive & ~same
            out[stopped] = np.minimum(out[stopped], (s - 0.5) * length)
            alive &= same
            if not alive.any():
                break
    return out


def _hits(x: float, y: float, r: float, boxes: Sequence[Box]) -> bool:
    """Whether a circle overlaps any of the boxes."""
    for x0, y0, x1, y1 in boxes:
        cx, cy = min(max(x, x0), x1), min(max(y, y0), y1)
        if math.hypot(x - cx, y - cy) < r:
            return True
    return False


def _disc_fits(comp: np.ndarray, cell_w: float, cell_h: float, radius: float) -> np.ndarray:
    """Cells where a disc of ``radius`` points around the centre stays in the cell's region.

    A cell fits when every cell centre within the disc belongs to the same region and the
    disc does not cross the grid's edge.
    """
    nx, ny = comp.shape
    fits = np.zeros(comp.shape, dtype=bool)
    ri, rj = int(radius / cell_w), int(radius / cell_h)
    edge_i, edge_j = math.ceil(radius / cell_w - 0.5), math.ceil(radius / cell_h - 0.5)
    if nx <= 2 * edge_i or ny <= 2 * edge_j:
        return fits
    fits[edge_i : nx - edge_i, edge_j : ny - edge_j] = True
    for di in range(-ri, ri + 1):
        for dj in range(-rj, rj + 1):
            if (di, dj) == (0, 0) or math.hypot(di * cell_w, dj * cell_h) > radius:
                continue
            same = np.zeros(comp.shape, dtype=bool)
            i0, i1 = max(0, -di), nx - max(0, di)
            j0, j1 = max(0, -dj), ny - max(0, dj)
            same[i0:i1, j0:j1] = comp[i0 + di : i1 + di, j0 + dj : j1 + dj] == comp[i0:i1, j0:j1]
            fits &= same
    return fits


def _segment_hits(
    a: tuple[float, float], b: tuple[float, float], r: float, boxes: Sequence[Box]
) -> bool:
    """Whether the segment from ``a`` to ``b`` passes within ``r`` of any of the boxes."""
    steps = max(2, int(math.hypot(b[0] - a[0], b[1] - a[1]) / max(r / 2, 1.0)))
    for k in range(1, steps):
        t = k / steps
        if _hits(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), r, boxes):
            return True
    return False


def region_number_places(
    ids: np.ndarray,
    skip: set[int],
    cell_w: float,
    cell_h: float,
    radius: float,
    obstacles: Sequence[Box],
    min_share: float = 0.01,
) -> list[tuple[int, tuple[int, int], tuple[float, float] | None]]:
    """Where the regime numbers go: ``(regime index, cell, None or label position in pt)``.

    A number goes inside a connected region where its circle fits, at the cell deepest in
    the region (nearest the middle of the deepest cells): in each region of at least
    ``min_share`` of the grid, and in the largest piece of a smaller regime where it fits.
    A regime with no region wide enough gets its number nearby, on a single region, with a
    leader line to the deepest cell of its largest piece. Numbers and leader lines keep
    clear of each other and of the ``obstacles`` (marker names).
    """
    nx, ny = ids.shape
    comp = components(ids)
    depth = _clearance(comp, cell_w, cell_h, 4 * radius)
    fits = _disc_fits(comp, cell_w, cell_h, 0.92 * radius)  # may touch a neighbour a little
    roots, inverse, sizes = np.unique(comp.reshape(-1), return_inverse=True, return_counts=True)
    inverse = inverse.reshape(nx, ny)
    cx = (np.arange(nx) + 0.5) * cell_w
    cy = (np.arange(ny) + 0.5) * cell_h
    flat_ids = ids.reshape(-1)
    order = sorted(range(roots.size), key=lambda k: (-int(sizes[k]), int(roots[k])))
    boxes: list[Box] = list(obstacles)
    labels: list[Box] = []
    out: list[tuple[int, tuple[int, int], tuple[float, float] | None]] = []
    labelled: set[int] = set()
    largest: dict[int, int] = {}  # regime -> its largest piece

    def ranked(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The cells deepest first, then nearest the middle of the deepest."""
        d = np.round(depth[cells[:, 0], cells[:, 1]], 6)
        px, py = cx[cells[:, 0]], cy[cells[:, 1]]
        top = d >= d.max()
        mx, my = px[top].mean(), py[top].mean()
        rank = np.lexsort((np.hypot(px - mx, py - my), -d))
        return cells[rank], px[rank], py[rank]

    for k in order:
        regime = int(flat_ids[roots[k]])
        if regime in skip or regime < 0:
            continue
        largest.setdefault(regime, k)
        if sizes[k] < min_share * nx * ny and regime in labelled:
            continue
        cells = np.argwhere((inverse == k) & fits)
        if cells.size == 0:
            continue
        cells, px, py = ranked(cells)
        for m in range(cells.shape[0]):
            x, y = float(px[m]), float(py[m])
            if not _hits(x, y, 2 * radius + 2, boxes):
                out.append((regime, (int(cells[m, 0]), int(cells[m, 1])), None))
                boxes.append((x, y, x, y))
                labels.append((x, y, x, y))
                labelled.add(regime)
                break
    width, height = nx * cell_w, ny * cell_h
    for regime, k in largest.items():
        if regime in labelled:
            continue
        cells, px, py = ranked(np.argwhere(inverse == k))
        target = (float(px[0]), float(py[0]))
        # candidates on rings around the target; the best tier wins, then the nearest:
        # 0 = on one region and well apart from other numbers (not read as their pair),
        # 1 = on one region, 2 = anywhere free
        best: tuple[int, float, float, float] | None = None
        for dist in (2.8, 3.5, 4.4, 5.5, 6.9, 8.6, 10.8, 13.5, 16.9, 21.0):
            for a in range(32):
                angle = math.pi / 4 + a * math.pi / 16
                x = target[0] + dist * radius * math.cos(angle)
                y = target[1] + dist * radius * math.sin(angle)
                if not (radius + 2 <= x <= width - radius - 2):
                    continue
                if not (radius + 2 <= y <= height - radius - 2):
                    continue
                if _hits(x, y, 2 * radius + 2, labels) or _hits(x, y, radius + 2, obstacles):
                    continue
                if _segment_hits(target, (x, y), radius + 2, boxes):
                    continue
                on_one = fits[min(nx - 1, int(x / cell_w)), min(ny - 1, int(y / cell_h))]
                tier = 2 if not on_one else 1 if _hits(x, y, 3.5 * radius, labels) else 0
                if best is None or (tier, dist) < (best[0], best[1]):
                    best = (tier, dist, x, y)
            if best is not None and best[0] == 0:
                break
        choice = (best[2], best[3]) if best is not None else target
        out.append((regime, (int(cells[0, 0]), int(cells[0, 1])), choice))
        boxes.append((choice[0], choice[1], choice[0], choice[1]))
        labels.append((choice[0], choice[1], choice[0], choice[1]))
    return out
