"""Branches: the same item (an equilibrium, ...) followed from grid point to grid point.

An analysis whose results have a variable number of records per point (:class:`Items`, e.g.
the equilibria of each game) gives each record a code (its identity: for equilibria, the
supports) and a position vector. Records at neighbouring grid points with the same code belong
to the same branch; if several share a code, the nearest are paired. This module is generic:
it sees codes and vectors only.
"""

from __future__ import annotations

import math

import numpy as np


class BranchTracker:
    """Branch ids for the records of a grid, fed chunk by chunk in grid order.

    Two records at neighbouring points (along any axis) belong to the same branch when they
    have the same code; if several have the same code, the nearest vectors are paired
    (greedy by distance, one-to-one). Branches are the connected components of these links,
    numbered ``0, 1, ...`` in order of first appearance.

    Streaming: a link joins a point to the next point along an axis, at most one stride (one
    row of a 2-D grid) ahead, so each chunk is linked to the records of the last stride of
    points before it (the *carry*), with array operations only. Each chunk's new components get
    provisional labels in order of first appearance; components that later turn out to be
    connected (a 2-D branch that splits and joins again) are recorded as unions of labels.
    :meth:`finish` resolves them: the branch of a label is the rank of the smallest label of
    its union, which is its earliest record, so the ids equal those of tracking the
    whole grid at once.
    """

    def __init__(self, shape: tuple[int, ...], width: int, code_bits: int = 64) -> None:
        self.shape = tuple(int(s) for s in shape)
        self.strides = [math.prod(self.shape[k + 1 :]) for k in range(len(self.shape))]
        self.reach = max(self.strides)
        self.width = width
        self.code_bits = code_bits
        self._done = 0
        self._next_label = 0
        self._carry_point = np.zeros(0, dtype=np.int64)
        self._carry_code = np.zeros(0, dtype=np.int64)
        self._carry_profile = np.zeros((0, width), dtype=np.float64)
        self._carry_label = np.zeros(0, dtype=np.int64)
        self._unions: list[tuple[np.ndarray, np.ndarray]] = []

    def add(
        self, start: int, stop: int, point: np.ndarray, code: np.ndarray, vector: np.ndarray
    ) -> np.ndarray:
        """Labels of the records of grid points ``start:stop`` (``point`` non-decreasing).

        Chunks must come in order and cover the grid without gaps.
        """
        if start != self._done:
            raise ValueError(f"chunks must come in grid order: expected {self._done}, got {start}")
        self._done = stop
        nc = self._carry_point.size
        pts = np.concatenate([self._carry_point, np.asarray(point, dtype=np.int64)])
        codes = np.concatenate([self._carry_code, np.asarray(code, dtype=np.int64)])
        profile = np.concatenate([self._carry_profile, np.asarray(vector, dtype=np.float64)])
        links = self._links(pts, codes, profile, start, stop)
        root = _components(pts.size, *links)
        # A component's label: the smallest carry label in it, else a new one (in order of
        # the component's first equilibrium, its root).
        big = np.iinfo(np.int64).max
        comp_label = np.full(pts.size, big, dtype=np.int64)
        np.minimum.at(comp_label, root[:nc], self._carry_label)
        fresh = np.unique(root[nc:][comp_label[root[nc:]] == big])
        comp_label[fresh] = self._next_label + np.arange(fresh.size, dtype=np.int64)
        self._next_label += int(fresh.size)
        label = comp_label[root]
        merged = label[:nc] != self._carry_label
        if np.any(merged):
            self._unions.append((self._carry_label[merged], label[:nc][merged]))
        tail = pts >= stop - self.reach
        self._carry_point, self._carry_code = pts[tail], codes[tail]
        self._carry_profile, self._carry_label = profile[tail], label[tail]
        return label[nc:]

    def _links(
        self, pts: np.ndarray, codes: np.ndarray, profile: np.ndarray, start: int, stop: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Links (source, destination) into the chunk ``start:stop`` among nodes ``pts``."""
        if pts.size == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        if self.code_bits <= 32:
            n_ids, cid = 1 << self.width, codes
        else:  # dense code ids, so that the keys cannot overflow
            _, cid = np.unique(codes, return_inverse=True)
            n_ids = int(cid.max()) + 1
        key = pts * n_ids + cid.reshape(-1)
        order = np.argsort(key, kind="stable")
        skey = key[order]
        coords = np.unravel_index(pts, self.shape)
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        for ax, stride in enumerate(self.strides):
            e = np.flatnonzero(
                (coords[ax] < self.shape[ax] - 1) & (pts + stride >= start) & (pts + stride < stop)
            )
            target = key[e] + stride * n_ids
            lo = np.searchsorted(skey, target, side="left")
            hi = np.searchsorted(skey, target, side="right")
            found = hi > lo
            e, lo, hi = e[found], lo[found], hi[found]
            s_lo = np.searchsorted(skey, key[e], side="left")
            s_hi = np.searchsorted(skey, key[e], side="right")
            simple = (hi - lo == 1) & (s_hi - s_lo == 1)
            src.append(e[simple])
            dst.append(order[lo[simple]])
            # Several equilibria with the same supports at one point (degenerate games only):
            # one group per (point, supports), paired nearest first.
            group = ~simple & (order[s_lo] == e)
            if np.any(group):
                a, b = _greedy_pairs(profile, order, s_lo[group], s_hi[group], lo[group], hi[group])
                src.append(a)
                dst.append(b)
        return np.concatenate(src), np.concatenate(dst)

    def finish(self) -> np.ndarray:
        """Branch id of every provisional label (call once the whole grid was added)."""
        n = self._next_label
        if self._unions:
            u = np.concatenate([a for a, _ in self._unions])
            v = np.concatenate([b for _, b in self._unions])
        else:
            u = v = np.zeros(0, dtype=np.int64)
        root = _components(n, u, v)
        _, branch = np.unique(root, return_inverse=True)
        return branch.astype(np.int64).reshape(-1)


def _greedy_pairs(
    profile: np.ndarray,
    order: np.ndarray,
    p_lo: np.ndarray,
    p_hi: np.ndarray,
    q_lo: np.ndarray,
    q_hi: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest-first one-to-one pairing within groups, vectorised over the groups.

    Group ``g`` pairs the nodes ``order[p_lo[g]:p_hi[g]]`` with ``order[q_lo[g]:q_hi[g]]``.
    Within a group the pairs are taken by increasing distance (ties by position, as a stable
    sort of the distance matrix would), skipping pairs whose ends are taken: each round
    accepts the first free pair of every group, so the rounds equal the sequential greedy.
    """
    n_p, n_q = p_hi - p_lo, q_hi - q_lo
    sizes = n_p * n_q
    group = np.repeat(np.arange(sizes.size), sizes)
    local = np.arange(group.size, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    i = p_lo[group] + local // n_q[group]
    j = q_lo[group] + local % n_q[group]
    a, b = order[i], order[j]
    dist = np.linalg.norm(profile[a] - profile[b], axis=1)
    by = np.lexsort((j, i, dist, group))
    group, a, b = group[by], a[by], b[by]
    used_a = np.zeros(profile.shape[0], dtype=bool)
    used_b = np.zeros(profile.shape[0], dtype=bool)
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    while group.size:
        first = np.ones(group.size, dtype=bool)
        first[1:] = group[1:] != group[:-1]
        out_a.append(a[first])
        out_b.append(b[first])
        used_a[a[first]] = True
        used_b[b[first]] = True
        free = ~used_a[a] & ~used_b[b]
        group, a, b = group[free], a[free], b[free]
    if not out_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(out_a), np.concatenate(out_b)


def track_branches(
    point: np.ndarray,
    code: np.ndarray,
    vector: np.ndarray,
    shape: tuple[int, ...],
    code_bits: int = 64,
) -> np.ndarray:
    """Follow records between neighbouring grid points; return a branch id per record.

    Two records at neighbouring points (along any axis) belong to the same branch when they
    have the same code; if several have the same code, the nearest vectors are paired
    (greedy by distance, one-to-one). Branches are the connected components of these links
    (union-find with pointer jumping), numbered ``0, 1, ...`` in order of first appearance, so
    ids are stable: a branch keeps its id until it vanishes, and a branch born later gets the
    next free id. The whole grid in one :class:`BranchTracker` chunk.

    Parameters
    ----------
    point
        ``(E,)`` grid point of each record (non-decreasing, C-order point numbers).
    code
        ``(E,)`` identity codes (for equilibria: the supports as bitmasks).
    vector
        ``(E, w)`` positions (for equilibria: both mixed strategies).
    shape
        Grid shape.
    code_bits
        Codes are below ``2**code_bits`` (used to pack keys).

    Returns
    -------
    numpy.ndarray
        ``(E,)`` int64 branch ids.
    """
    tracker = BranchTracker(shape, vector.shape[1], code_bits)
    labels = tracker.add(0, math.prod(shape), np.asarray(point, dtype=np.int64), code, vector)
    return tracker.finish()[labels]


def _components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Connected components by min-label hooking and pointer jumping (Shiloach-Vishkin style).

    Returns, for each node, the smallest node index of its component.
    """
    parent = np.arange(n, dtype=np.int64)
    if u.size == 0:
        return parent
    while True:
        pu, pv = parent[u], parent[v]
        if np.array_equal(pu, pv):
            return parent
        low = np.minimum(pu, pv)
        np.minimum.at(parent, pu, low)
        np.minimum.at(parent, pv, low)
        while True:  # pointer jumping until every node points at a root
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                break
            parent = nxt
