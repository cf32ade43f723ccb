"""Maximal Nash subsets and components of the set of Nash equilibria of a bimatrix game.

Following D. Avis, G. Rosenberg, R. Savani, B. von Stengel, "Enumeration of Nash equilibria for
two-player games", *Economic Theory* 42 (2010) 9-37, section 6: the extreme equilibria are the
edges ``(x, y)`` of a bipartite graph whose two sides are the extreme strategies of the row and
the column player (vertices of the best-response polytopes, von Stengel 2007).

- A *maximal Nash subset* is a maximal complete bipartite subgraph ``(X, Y)`` (a maximal
  biclique): every point of ``conv(X) x conv(Y)`` is an equilibrium. Avis et al. enumerate them
  with a Bron-Kerbosch style clique search ("EnumClique"); we use its bipartite form, the MBEA
  algorithm of Zhang et al., "On finding bicliques in bipartite graphs", *BMC Bioinformatics* 15
  (2014) 110, which reports every maximal biclique exactly once.
- A *component* is a connected union of maximal Nash subsets, i.e. a connected component of
  the bipartite graph.

Vertices are identified by integer ids supplied by the caller (the enumeration solver knows
them from the label sets); :func:`strategy_ids` derives ids from positions for callers that
only have the profiles (such as the nashpy backends).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from sim.solver.types import FloatArray, IntArray

__all__ = [
    "component_structure",
    "components_of_game",
    "connected_roots",
    "label_components",
    "maximal_nash_subsets",
    "strategy_ids",
]

Subset = tuple[tuple[int, ...], tuple[int, ...]]


def _as_int_array(values: npt.ArrayLike) -> IntArray:
    return np.asarray(values, dtype=np.int64).reshape(-1)


def connected_roots(n_nodes: int, u: IntArray, v: IntArray) -> IntArray:
    """Connected components of an undirected graph: each node's smallest connected node.

    Min-label propagation over the edge list ``(u[e], v[e])`` with pointer jumping, all in
    array operations (a few passes for the short paths of equilibrium graphs).
    """
    label = np.arange(n_nodes, dtype=np.int64)
    if u.size == 0:
        return label
    while True:
        low = np.minimum(label[u], label[v])
        new = label.copy()
        np.minimum.at(new, u, low)
        np.minimum.at(new, v, low)
        # Pointer jumping: follow labels to their roots so long paths converge in few passes.
        while True:
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            return label
        label = new


def label_components(
    game_index: npt.ArrayLike, x_ids: npt.ArrayLike, y_ids: npt.ArrayLike
) -> IntArray:
    """Component of every equilibrium of a stack of games, numbered ``0..`` within each game.

    The bipartite graph has one node per distinct ``x`` id, one per distinct ``y`` id and one
    edge per equilibrium; components are its connected components (Avis et al. 2010, section 6).
    Vectorised over the whole stack (min-label propagation with pointer jumping), so sweeps with
    many games cost a few array passes.

    Parameters
    ----------
    game_index
        ``(E,)`` game of each equilibrium, non-decreasing (equilibria grouped by game).
    x_ids, y_ids
        ``(E,)`` ids of the row and the column strategy of each equilibrium. Equal ids mean the
        same vertex; ids must not be shared between different games.

    Returns
    -------
    numpy.ndarray
        ``(E,)`` int64 component numbers, ``0, 1, ...`` within each game in the order of each
        component's first equilibrium.
    """
    game = _as_int_array(game_index)
    xs = _as_int_array(x_ids)
    ys = _as_int_array(y_ids)
    n_eq = game.shape[0]
    if xs.shape[0] != n_eq or ys.shape[0] != n_eq:
        raise ValueError("game_index, x_ids and y_ids must have the same length")
    if n_eq == 0:
        return np.zeros(0, dtype=np.int64)
    if np.any(np.diff(game) < 0):
        raise ValueError("game_index must be non-decreasing")
    _, u = np.unique(xs, return_inverse=True)
    _, v = np.unique(ys, return_inverse=True)
    u = u.reshape(-1).astype(np.int64)
    v = v.reshape(-1).astype(np.int64) + (int(u.max()) + 1)
    label = connected_roots(int(v.max()) + 1, u, v)
    root = label[u]
    # Renumber per game in order of first appearance: an equilibrium starts a new component
    # when its root has not been seen before in the (grouped) order.
    _, first, inverse = np.unique(root, return_index=True, return_inverse=True)
    is_first = np.zeros(n_eq, dtype=bool)
    is_first[first] = True
    running = np.cumsum(is_first) - 1
    first_of_root = first[inverse.reshape(-1)]
    game_start = np.searchsorted(game, game, side="left")
    return (running[first_of_root] - running[game_start]).astype(np.int64)


def components_of_game(x_ids: Sequence[int], y_ids: Sequence[int]) -> tuple[tuple[int, ...], ...]:
    """Components of one game as tuples of equilibrium indices (Avis et al. 2010, section 6).

    Parameters
    ----------
    x_ids, y_ids
        Ids of the row and the column strategy of each equilibrium (equal id = same vertex).

    Returns
    -------
    tuple of tuple of int
        One tuple of indices per component, in the order of each component's first equilibrium.
    """
    n_eq = len(x_ids)
    if n_eq == 0:
        return ()
    labels = label_components(np.zeros(n_eq, dtype=np.int64), x_ids, y_ids)
    n_comp = int(labels.max()) + 1
    return tuple(tuple(int(i) for i in np.flatnonzero(labels == c)) for c in range(n_comp))


def _mbea(adjacency: list[int], all_y: int) -> list[tuple[int, int]]:
    """Every maximal biclique ``(X mask, Y mask)`` of a bipartite graph, each exactly once.

    MBEA (Zhang et al. 2014, Algorithm 1), a bipartite Bron-Kerbosch search: ``L`` is the
    common neighbourhood (a ``Y`` bitmask) of the ``X`` set ``R``; ``P`` holds candidates, ``Q``
    already-processed vertices whose presence proves a biclique non-maximal. Nodes with no edge
    never occur here (every vertex comes from an equilibrium).
    """
    found: list[tuple[int, int]] = []

    def search(left: int, right: int, cand: list[int], done: list[int]) -> None:
        cand = list(cand)
        done = list(done)
        while cand:
            x = cand.pop(0)
            new_left = left & adjacency[x]
            new_right = right | (1 << x)
            maximal = True
            new_done: list[int] = []
            for v in done:
                common = adjacency[v] & new_left
                if common == new_left:
                    maximal = False  # v could be added: reported already from v's branch
                    break
                if common:
                    new_done.append(v)
            if maximal:
                new_cand: list[int] = []
                for v in cand:
                    common = adjacency[v] & new_left
                    if common == new_left:
                        new_right |= 1 << v
                    elif common:
                        new_cand.append(v)
                found.append((new_right, new_left))
                if new_cand:
                    search(new_left, new_right, new_cand, new_done)
            done.append(x)

    search(all_y, 0, list(range(len(adjacency))), [])
    return found


def _bits(mask: int) -> list[int]:
    out: list[int] = []
    i = 0
    while mask:
        if mask & 1:
            out.append(i)
        mask >>= 1
        i += 1
    return out


def maximal_nash_subsets(x_ids: Sequence[int], y_ids: Sequence[int]) -> tuple[Subset, ...]:
    """Maximal Nash subsets of one game (maximal bicliques; Avis et al. 2010, section 6).

    Parameters
    ----------
    x_ids, y_ids
        Ids of the row and the column strategy of each extreme equilibrium, in the order of the
        equilibria (equal id = same vertex of the best-response polytope).

    Returns
    -------
    tuple of (X, Y)
        ``X`` holds, for each distinct row strategy of the subset, the index of the first
        equilibrium that plays it; ``Y`` likewise for the column strategies. Sorted by
        ``(X, Y)``. The product ``conv(X) x conv(Y)`` of the strategies is a set of equilibria
        and is maximal with that property.
    """
    n_eq = len(x_ids)
    if len(y_ids) != n_eq:
        raise ValueError("x_ids and y_ids must have the same length")
    if n_eq == 0:
        return ()
    x_index: dict[int, int] = {}
    y_index: dict[int, int] = {}
    x_first: list[int] = []
    y_first: list[int] = []
    for e, (xi, yi) in enumerate(zip(x_ids, y_ids, strict=True)):
        if int(xi) not in x_index:
            x_index[int(xi)] = len(x_first)
            x_first.append(e)
        if int(yi) not in y_index:
            y_index[int(yi)] = len(y_first)
            y_first.append(e)
    adjacency = [0] * len(x_first)
    for xi, yi in zip(x_ids, y_ids, strict=True):
        adjacency[x_index[int(xi)]] |= 1 << y_index[int(yi)]
    bicliques = _mbea(adjacency, (1 << len(y_first)) - 1)
    subsets = [
        (
            tuple(sorted(x_first[i] for i in _bits(xm))),
            tuple(sorted(y_first[j] for j in _bits(ym))),
        )
        for xm, ym in bicliques
    ]
    return tuple(sorted(subsets))


def strategy_ids(points: npt.ArrayLike, tol: float = 1e-9) -> IntArray:
    """Ids of distinct strategies: rows of ``points`` within ``tol`` (max norm) share an id.

    For callers that have equilibrium profiles but not the polytope vertices behind them (the
    nashpy backends). Ids are ``0, 1, ...`` in order of first appearance; each point joins the
    first earlier representative it is close to.

    Parameters
    ----------
    points
        ``(E, d)`` mixed strategies.
    tol
        Largest coordinate difference still treated as the same strategy.
    """
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2:
        raise ValueError("points must be a 2-D array (one strategy per row)")
    ids = np.empty(pts.shape[0], dtype=np.int64)
    reps: list[int] = []
    for e in range(pts.shape[0]):
        if reps:
            dist = np.max(np.abs(pts[reps] - pts[e]), axis=1)
            close = np.flatnonzero(dist <= tol)
            if close.size:
                ids[e] = int(close[0])
                continue
        ids[e] = len(reps)
        reps.append(e)
    return ids


def component_structure(
    rows: npt.ArrayLike, cols: npt.ArrayLike, tol: float = 1e-9
) -> tuple[IntArray, tuple[tuple[int, ...], ...], tuple[Subset, ...]]:
    """Components and maximal Nash subsets of one game from its extreme equilibria alone.

    Convenience for backends without vertex labels: strategies are identified by position
    (:func:`strategy_ids`), then :func:`components_of_game` and :func:`maximal_nash_subsets`
    are applied (Avis et al. 2010, section 6).

    Parameters
    ----------
    rows, cols
        ``(E, m)`` and ``(E, n)`` mixed strategies of the extreme equilibria, in report order.
    tol
        Position tolerance for "same strategy".

    Returns
    -------
    component, components, maximal_nash_subsets
        ``(E,)`` component number of each equilibrium; the components as index tuples; the
        maximal Nash subsets as in :func:`maximal_nash_subsets`.
    """
    r: FloatArray = np.asarray(rows, dtype=np.float64)
    c: FloatArray = np.asarray(cols, dtype=np.float64)
    if r.shape[0] != c.shape[0]:
        raise ValueError("rows and cols must describe the same number of equilibria")
    x_ids = strategy_ids(r, tol)
    y_ids = strategy_ids(c, tol)
    component = label_components(np.zeros(r.shape[0], dtype=np.int64), x_ids, y_ids)
    comps = components_of_game(x_ids.tolist(), y_ids.tolist())
    subsets = maximal_nash_subsets(x_ids.tolist(), y_ids.tolist())
    return component, comps, subsets
