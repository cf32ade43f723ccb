"""Bargaining solutions on the Pareto frontier of a convex hull, vectorised over ``K`` problems.

One implementation serves both the exact point API and the float stack API: every function works
on NumPy arrays of ``float64`` or of ``object`` dtype holding :class:`fractions.Fraction`, using
only arithmetic, comparisons, sorting and indexing (never ``sqrt``/``log``), so that with
Fractions and zero tolerances every result is exact, and the float path runs the same decisions.

Geometry. The feasible set is the convex hull of ``N`` points with free disposal. Its Pareto
frontier is the chain of hull vertices from the one with the highest ``u1`` to the one with the
highest ``u0``; consecutive vertices are joined by edges of strictly negative slope. An ordered
pair ``(p, q)`` is a frontier edge exactly when ``q`` lies strictly right of and below ``p``
and no point lies strictly beyond the line ``p -> q`` (a supporting line with a positive
normal) or on it past either end (:func:`pareto_chain`).

Solutions on the chain, each in closed form on the edge or vertex that holds it:

- **generalised Nash** (Nash 1950; Harsanyi and Selten 1972): maximise
  ``alpha log g0 + (1 - alpha) log g1`` over the frontier, ``g = u - d``. Along an edge
  ``p -> q`` with direction ``b = q - p`` its derivative times ``g0 g1`` is
  ``h(u) = alpha b0 g1(u) + (1 - alpha) b1 g0(u)``, which is linear and decreasing along the
  edge (slope ``b0 b1 < 0``); the objective is concave along the frontier, so the solution is the
  first vertex whose outgoing ``h`` is not positive, or the interior point where ``h = 0``,
  ``s* = h(p) / (h(p) - h(q))``. On a line with intercept gains ``(G0, G1)`` this gives
  ``(alpha G0, (1 - alpha) G1)``.
- **Kalai-Smorodinsky** (1975): the frontier point on the segment from ``d`` to the ideal point
  ``I`` (each player's best individually rational payoff), where the sign of
  ``cross(I - d, v - d)`` changes along the chain.
- **egalitarian** (Kalai 1977): the frontier point with equal gains, where the sign of
  ``g1 - g0`` changes; when equal gains would waste payoff (the diagonal leaves the frontier at
  a vertical or horizontal part of the free-disposal hull), its lexicographic refinement: the
  frontier end where the player with the smaller possible gain gets their maximum.
- **Rubinstein** (1982) alternating offers: the stationary offers ``x`` (proposer 0) and ``y``
  (proposer 1) on the individually rational frontier with ``g1(x) = delta1 g1(y)`` and
  ``g0(y) = delta0 g0(x)`` (clamped to the frontier's ends). With ``F`` the frontier as
  ``g1 = F(g0)``, ``a = g0(x)`` is the fixed point of the piecewise-linear map
  ``Phi(a) = F^-1(delta1 F(delta0 a))``; ``Phi`` has slope at most ``delta0 delta1 < 1``
  (``F`` is concave), so ``a - Phi(a)`` is strictly increasing and has one root, found exactly
  on the linear piece between two consecutive breakpoints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]


@dataclass(frozen=True, eq=False)
class Chain:
    """The Pareto frontier of ``K`` point sets, as vertex chains in order of increasing ``u0``.

    Attributes
    ----------
    coords
        ``(K, N, 2)`` vertex coordinates; positions from ``count`` on repeat the last vertex.
    index
        ``(K, N)`` int64 index of each vertex into the original points (padded likewise).
    count
        ``(K,)`` int64 number of frontier vertices (at least 1).
    """

    coords: Array
    index: Array
    count: Array


@dataclass(frozen=True, eq=False)
class Placement:
    """Where one solution lies on each chain, and its payoffs.

    ``pos`` is a chain position: the vertex ``pos`` when ``at_vertex``, otherwise the interior
    of the edge from vertex ``pos`` to vertex ``pos + 1``.
    """

    payoffs: Array
    pos: Array
    at_vertex: Array


def take(arr: Array, idx: Array) -> Array:
    """``arr[k, idx[k, ...]]`` for ``(K, N)`` or ``(K, N, 2)`` arrays and ``(K,)``/``(K, M)``
    indices."""
    flat = idx.ndim == 1
    ix = idx[:, None] if flat else idx
    if arr.ndim == 3:
        out = np.take_along_axis(arr, ix[:, :, None], axis=1)
        return out[:, 0, :] if flat else out
    out = np.take_along_axis(arr, ix, axis=1)
    return out[:, 0] if flat else out


def safe_ratio(num: Array, den: Array) -> Array:
    """``num / den`` with 0 where ``den == 0`` (Fractions would raise, floats would warn)."""
    zero = den == 0
    return np.where(zero, 0, num / np.where(zero, 1, den))


def pareto_chain(points: Array, tol_len: Array, tol_area: Array) -> tuple[Chain, Array]:
    """The Pareto frontier of the convex hull of each of ``K`` point sets.

    Parameters
    ----------
    points
        ``(K, N, 2)`` payoff pairs (float64, or object holding Fractions).
    tol_len, tol_area
        ``(K,)`` tolerances for coordinate differences and for cross products (zero for exact
        arithmetic): points closer than ``tol_len`` are one point, and a point within
        ``tol_area`` of a line lies on it.

    Returns
    -------
    chain, cross
        The chains, and ``cross[k, p, q, r] = (q - p) x (r - p)``, the orientation of every
        triple (positive when ``r`` lies beyond the line ``p -> q``, on its north-east side
        when ``q`` is right of and below ``p``).
    """
    K, N, _ = points.shape
    u, v = points[..., 0], points[..., 1]
    dx = u[:, None, :] - u[:, :, None]  # dx[k, p, q] = u_q - u_p
    dy = v[:, None, :] - v[:, :, None]
    tl = tol_len[:, None, None]
    same = (abs(dx) <= tl) & (abs(dy) <= tl)
    earlier = np.tri(N, k=-1, dtype=bool)  # earlier[p, q]: q < p
    representative = ~np.any(same & earlier[None], axis=2)  # first of its duplicates
    cross = dx[:, :, :, None] * dy[:, :, None, :] - dy[:, :, :, None] * dx[:, :, None, :]
    ta = tol_area[:, None, None, None]
    # (r - p).(q - p): negative when r lies behind p, above |q - p|^2 when past q
    dot = dx[:, :, None, :] * dx[:, :, :, None] + dy[:, :, None, :] * dy[:, :, :, None]
    length2 = (dx * dx + dy * dy)[:, :, :, None]
    collinear = abs(cross) <= ta
    beyond_ends = collinear & ((dot < -ta) | (dot > length2 + ta))
    blocked = np.any((cross > ta) | beyond_ends, axis=3)
    edge = (
        representative[:, :, None] & representative[:, None, :] & (dx > tl) & (dy < -tl) & ~blocked
    )
    on_edge = np.any(edge, axis=2) | np.any(edge, axis=1)
    # Without a frontier edge one point dominates every other: it maximises u0 + u1.
    best = np.argmax(u + v, axis=1)
    single = np.zeros((K, N), dtype=bool)
    single[np.arange(K), best] = True
    is_vertex = np.where(np.any(on_edge, axis=1)[:, None], on_edge, single)
    sentinel = (u.max(axis=1) + 1)[:, None]
    order = np.argsort(np.where(is_vertex, u, sentinel), axis=1, kind="stable")
    count = is_vertex.sum(axis=1).astype(np.int64)
    position = np.minimum(np.arange(N)[None, :], (count - 1)[:, None])
    index = take(order, position).astype(np.int64)
    return Chain(take(points, index), index, count), cross


def _valid(chain: Chain) -> Array:
    return np.arange(chain.coords.shape[1])[None, :] < chain.count[:, None]


def _edge_point(coords: Array, pos: Array, s: Array) -> Array:
    """The point at fraction ``s`` along the edge from vertex ``pos`` to ``pos + 1``."""
    nxt = np.minimum(pos + 1, coords.shape[1] - 1)
    start, end = take(coords, pos), take(coords, nxt)
    return start + s[:, None] * (end - start)


def _crossing(chain: Chain, f: Array) -> Placement:
    """Where ``f`` (decreasing along each chain, one value per vertex) changes sign.

    The vertex where ``f == 0``, or the edge interior where it crosses zero; the first vertex
    when ``f`` is negative throughout, the last when it is positive throughout.
    """
    count = chain.count
    n = np.sum(_valid(chain) & (f > 0), axis=1)
    inner = np.clip(n, 0, count - 1)
    prev = np.clip(n - 1, 0, count - 1)
    f_at, f_prev = take(f, inner), take(f, prev)
    at_vertex = (n == 0) | (n == count) | (f_at == 0)
    pos = np.where(at_vertex, np.where(n == count, count - 1, inner), prev)
    s = np.where(at_vertex, 0, safe_ratio(f_prev, f_prev - f_at))
    vertex_point = take(chain.coords, pos)
    payoffs = np.where(at_vertex[:, None], vertex_point, _edge_point(chain.coords, pos, s))
    return Placement(payoffs, pos.astype(np.int64), at_vertex)


def gains_on_chain(chain: Chain, d: Array) -> Array:
    """``(K, N, 2)`` gains of each chain vertex over the disagreement point ``d`` ``(K, 2)``."""
    return chain.coords - d[:, None, :]


def egalitarian(chain: Chain, d: Array) -> Placement:
    """Kalai's (1977) egalitarian solution, with the lexicographic refinement (module doc)."""
    gains = gains_on_chain(chain, d)
    return _crossing(chain, gains[..., 1] - gains[..., 0])


def nash(chain: Chain, d: Array, alpha: Array) -> Placement:
    """The generalised Nash solution with player 0's weight ``alpha`` ``(K,)`` in ``[0, 1]``.

    ``alpha = 1`` (``0``) gives the individually rational frontier point best for player 0 (1).
    """
    coords, count = chain.coords, chain.count
    K, N, _ = coords.shape
    gains = gains_on_chain(chain, d)
    step = coords[:, 1:, :] - coords[:, :-1, :]  # edge directions, (K, N - 1, 2)
    a = alpha[:, None]
    h_start = a * step[..., 0] * gains[:, :-1, 1] + (1 - a) * step[..., 1] * gains[:, :-1, 0]
    h_end = a * step[..., 0] * gains[:, 1:, 1] + (1 - a) * step[..., 1] * gains[:, 1:, 0]
    edge_valid = np.arange(N - 1)[None, :] < (count - 1)[:, None]
    # n = number of leading vertices from which moving right still raises the product
    n = np.sum(edge_valid & (h_start > 0), axis=1)
    prev = np.clip(n - 1, 0, max(N - 2, 0))
    if N > 1:
        hs_prev, he_prev = take(h_start, prev), take(h_end, prev)
    else:
        hs_prev = he_prev = np.zeros(K, dtype=coords.dtype)
    at_vertex = (n == 0) | (he_prev >= 0)
    pos = np.where(at_vertex, n, prev)
    s = np.where(at_vertex, 0, safe_ratio(hs_prev, hs_prev - he_prev))
    payoffs = np.where(at_vertex[:, None], take(coords, pos), _edge_point(coords, pos, s))
    return Placement(payoffs, pos.astype(np.int64), at_vertex)


def ideal_point(chain: Chain, d: Array) -> Array:
    """``(K, 2)``: each player's best payoff on the individually rational frontier."""
    coords, count = chain.coords, chain.count
    gains = gains_on_chain(chain, d)
    valid = _valid(chain)
    last = count - 1
    # player 0's best: the last vertex with g1 >= 0, or where g1 reaches 0 on the next edge
    n1 = np.sum(valid & (gains[..., 1] >= 0), axis=1)
    j = np.clip(n1 - 1, 0, last)
    g_j, g_next = take(gains[..., 1], j), take(gains[..., 1], np.minimum(j + 1, last))
    s = safe_ratio(g_j, g_j - g_next)
    best0 = np.where(n1 >= count, take(coords[..., 0], last), _edge_point(coords, j, s)[:, 0])
    # player 1's best: the first vertex with g0 >= 0, or where g0 reaches 0 on the edge before
    n0 = np.sum(valid & (gains[..., 0] < 0), axis=1)
    j = np.clip(n0 - 1, 0, last)
    g_j, g_next = take(gains[..., 0], j), take(gains[..., 0], np.minimum(j + 1, last))
    s = safe_ratio(-g_j, g_next - g_j)
    best1 = np.where(n0 == 0, coords[:, 0, 1], _edge_point(coords, j, s)[:, 1])
    return np.stack([best0, best1], axis=1)


def kalai_smorodinsky(chain: Chain, d: Array, ideal: Array) -> Placement:
    """Kalai and Smorodinsky's (1975) solution: the frontier point on the segment ``d -> I``."""
    gains = gains_on_chain(chain, d)
    reach = ideal - d
    side = reach[:, 0, None] * gains[..., 1] - reach[:, 1, None] * gains[..., 0]
    return _crossing(chain, side)


def reversed_chain(chain: Chain) -> Chain:
    """The same frontiers with the players swapped (coordinates swapped, order reversed)."""
    N = chain.coords.shape[1]
    position = np.clip((chain.count - 1)[:, None] - np.arange(N)[None, :], 0, None)
    return Chain(take(chain.coords, position)[..., ::-1], take(chain.index, position), chain.count)


def _interpolate(x: Array, xp: Array, fp: Array, count: Array) -> Array:
    """Piecewise-linear interpolation row by row: ``x`` ``(K, M)`` on breakpoints ``xp``
    ``(K, N)`` (increasing on the first ``count`` entries) with values ``fp``."""
    N = xp.shape[1]
    valid = np.arange(N)[None, None, :] < count[:, None, None]
    below = np.sum(valid & (xp[:, None, :] <= x[:, :, None]), axis=2)
    seg = np.clip(below - 1, 0, np.maximum(count - 2, 0)[:, None])
    nxt = np.minimum(seg + 1, (count - 1)[:, None])
    x0, x1 = take(xp, seg), take(xp, nxt)
    f0, f1 = take(fp, seg), take(fp, nxt)
    return f0 + safe_ratio(x - x0, x1 - x0) * (f1 - f0)


def _clamp(x: Array, low: Array, high: Array) -> Array:
    return np.where(x < low, low, np.where(x > high, high, x))


def rubinstein_first_proposer(
    chain: Chain, d: Array, ideal: Array, delta0: Array, delta1: Array
) -> tuple[Placement, Array]:
    """Rubinstein's alternating offers with player 0 proposing first (module doc).

    Returns
    -------
    placement, counter_offer
        The accepted offer of player 0, and ``(K, 2)`` the offer player 1 would make.
    """
    count = chain.count
    gains = gains_on_chain(chain, d)
    g0, g1 = gains[..., 0], gains[..., 1]
    rev = reversed_chain(Chain(gains, chain.index, count)).coords  # (g1, g0) by increasing g1
    low0 = np.where(g0[:, 0] > 0, g0[:, 0], 0)  # the frontier's left end in player 0's gain
    high0 = ideal[:, 0] - d[:, 0]
    high1 = ideal[:, 1] - d[:, 1]
    low1 = np.where(take(g1, count - 1) > 0, take(g1, count - 1), 0)

    def frontier(a: Array) -> Array:  # g1 as a function of g0
        return _interpolate(a, g0, g1, count)

    def inverse(c: Array) -> Array:  # g0 as a function of g1
        return _interpolate(c, rev[..., 0], rev[..., 1], count)

    d0, d1 = delta0[:, None], delta1[:, None]
    lo, hi = low0[:, None], high0[:, None]

    def phi(a: Array) -> Array:
        answer = _clamp(d0 * a, lo, hi)
        return inverse(_clamp(d1 * frontier(answer), low1[:, None], high1[:, None]))

    kinks1 = np.concatenate([g1, low1[:, None]], axis=1)
    candidates = np.concatenate(
        [
            lo,
            hi,
            g0 / d0,
            lo / d0,
            inverse(_clamp(kinks1 / d1, low1[:, None], high1[:, None])) / d0,
        ],
        axis=1,
    )
    candidates = np.sort(_clamp(candidates, lo, hi), axis=1)
    excess = candidates - phi(candidates)  # strictly increasing in a
    n = np.sum(excess < 0, axis=1)
    M = candidates.shape[1]
    j = np.clip(n, 0, M - 1)
    i = np.clip(n - 1, 0, M - 1)
    a_j, a_i = take(candidates, j), take(candidates, i)
    e_j, e_i = take(excess, j), take(excess, i)
    root = np.where(e_j == 0, a_j, a_i - e_i * safe_ratio(a_j - a_i, e_j - e_i))
    offer = np.stack([root, frontier(root[:, None])[:, 0]], axis=1)
    answer = _clamp(delta0 * root, low0, high0)
    counter = np.stack([answer, frontier(answer[:, None])[:, 0]], axis=1)
    # which chain vertex or edge holds the offer
    valid = _valid(chain)
    below = np.sum(valid & (g0 < root[:, None]), axis=1)
    inner = np.clip(below, 0, count - 1)
    at_vertex = (take(g0, inner) == root) | (below == 0) | (below >= count)
    pos = np.where(at_vertex, inner, np.clip(below - 1, 0, count - 1))
    return Placement(offer + d, pos.astype(np.int64), at_vertex), counter + d


def rubinstein(
    chain: Chain, d: Array, ideal: Array, delta0: Array, delta1: Array, proposer: int
) -> tuple[Placement, Array]:
    """Rubinstein's outcome for either first proposer (player 1 by swapping the players)."""
    if proposer == 0:
        return rubinstein_first_proposer(chain, d, ideal, delta0, delta1)
    swapped = reversed_chain(chain)
    placement, counter = rubinstein_first_proposer(
        swapped, d[:, ::-1], ideal[:, ::-1], delta1, delta0
    )
    # vertex p of the swapped chain is vertex count-1-p; its edge p is edge count-2-p
    last = chain.count - 1
    pos = np.where(placement.at_vertex, last - placement.pos, last - 1 - placement.pos)
    return (
        Placement(placement.payoffs[:, ::-1], pos.astype(np.int64), placement.at_vertex),
        counter[:, ::-1],
    )


def max_min_gain(chain: Chain, d: Array) -> tuple[Placement, Array]:
    """The egalitarian placement and ``(K,)`` the largest gain both players get at once:
    negative when ``d`` lies outside the feasible set, zero when there are no gains."""
    placement = egalitarian(chain, d)
    gains = placement.payoffs - d
    return placement, np.where(gains[:, 0] < gains[:, 1], gains[:, 0], gains[:, 1])


def nash_tie(chain: Chain, d: Array, alpha: Array, placement: Placement) -> Array:
    """The Nash solution sits at a vertex with a zero first-order condition on one side."""
    coords, count = chain.coords, chain.count
    gains = gains_on_chain(chain, d)
    N = coords.shape[1]
    if N == 1:
        return np.zeros(coords.shape[0], dtype=bool)
    pos = placement.pos
    a = alpha

    def slope(start: Array, end: Array, at: Array) -> Array:
        step = take(coords, end) - take(coords, start)
        g = take(gains, at)
        return a * step[:, 0] * g[:, 1] + (1 - a) * step[:, 1] * g[:, 0]

    nxt = np.minimum(pos + 1, N - 1)
    prv = np.maximum(pos - 1, 0)
    right_zero = (pos < count - 1) & (slope(pos, nxt, pos) == 0)
    left_zero = (pos > 0) & (slope(prv, pos, pos) == 0)
    return placement.at_vertex & (right_zero | left_zero)


def egalitarian_tie(chain: Chain, d: Array, placement: Placement) -> Array:
    """The equal-gains line passes exactly through a frontier vertex."""
    gains = gains_on_chain(chain, d)
    side = take(gains[..., 1] - gains[..., 0], placement.pos)
    return placement.at_vertex & (side == 0)
