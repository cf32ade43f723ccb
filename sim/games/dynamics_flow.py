"""Vectorised replicator flows and basins of attraction of the strict equilibria.

Integrator
----------
The replicator equation ``dx_i/dt = x_i ((A y)_i - x.A y)`` is, in log coordinates, simply
``dz/dt = A y`` with ``x = softmax(z)`` (the constant ``x.A y`` only shifts every ``z_i`` alike;
J. Hofbauer and K. Sigmund, *Evolutionary Games and Population Dynamics*, Cambridge 1998,
section 7.1). The right-hand side is bounded by the payoffs, so a fixed-step classical
Runge-Kutta (RK4) scheme is accurate right up to the faces of the simplex, where the shares
themselves become stiff. Every game of a stack ``(K, m, n)`` and every starting point ``S`` are
integrated at once: arrays ``(K, S, m)``, no Python loop over games or starts.

Basins
------
A start is in the basin of strict equilibrium ``(i, j)`` when its trajectory converges to it.
Two methods:

``"exact"`` (2x2 bimatrix replicator only)
    The 2x2 bimatrix replicator has the constant of motion
    ``H(x, y) = c [x* ln x + (1 - x*) ln(1 - x)] - a [y* ln y + (1 - y*) ln(1 - y)]``
    (``a = dA0 - dA1``, ``c = dB0 - dB1``, interior rest point ``(x*, y*)``;
    Hofbauer 1996, *J. Math. Biol.* 34; ``dH/dt = 0`` by direct differentiation). When the
    interior rest point is a saddle (``a c > 0``), the lines ``x = x*`` and ``y = y*`` cut the
    square into four quadrants. In the two *outflow* quadrants (``sign(x - x*) sign(y - y*) =
    sign(a)``) both coordinates move away from the saddle, so the start reaches that
    quadrant's corner. From an *inflow* quadrant the trajectory leaves across ``x = x*`` or
    across ``y = y*``; on ``x = x*`` the sign of ``H - H(x*, y*)`` is ``sign(a)`` and on
    ``y = y*`` it is ``-sign(a)``, and ``H`` is conserved, so that sign decides which
    neighbouring outflow quadrant (hence which corner) it reaches. ``H = H(x*, y*)`` in an
    inflow quadrant is the separatrix (the saddle's stable manifold): a tie. Without an interior
    rest point every interior start reaches the same corner; around a center nothing converges.
    No integration at all: a 200 x 200 map takes milliseconds.
``"integrate"`` (any size)
    RK4 on each game rescaled to a payoff spread of one (basins do not depend on the time
    scale), until every trajectory is *provably absorbed*: inside the box where every other
    strategy's share is below ``rho`` times the equilibrium strategy's share, with ``rho`` small
    enough that the equilibrium strategies stay strict best replies throughout the box (so
    every ratio keeps falling and the box is never left). Absorbed trajectories are dropped
    from the arrays as the integration goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from sim.games.selection_base import (
    CODE_NONE,
    CODE_TIE,
    FloatArray,
    GameOptionError,
    IntArray,
    cell_code,
)
from sim.games.selection_stack import strictness_margins

BasinMethod = Literal["auto", "exact", "integrate"]


# ---------------------------------------------------------------------------------------------
# The integrator
# ---------------------------------------------------------------------------------------------
def softmax(z: FloatArray) -> FloatArray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _logs(p: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore"):
        return np.log(p)


def _velocity(
    A: FloatArray, B: FloatArray, zx: FloatArray, zy: FloatArray, symmetric: bool
) -> tuple[FloatArray, FloatArray]:
    """``dz/dt`` for states ``(K, S, m)``, ``(K, S, n)`` of games ``(K, m, n)``."""
    x = softmax(zx)
    if symmetric:
        vx = np.einsum("kij,ksj->ksi", A, x)
        return vx, vx
    y = softmax(zy)
    return np.einsum("kij,ksj->ksi", A, y), np.einsum("kij,ksi->ksj", B, x)


def rk4_step(
    A: FloatArray,
    B: FloatArray,
    zx: FloatArray,
    zy: FloatArray,
    h: FloatArray | float,
    symmetric: bool,
) -> tuple[FloatArray, FloatArray]:
    """One classical Runge-Kutta step of length ``h`` (scalar or ``(K, 1, 1)``)."""
    k1x, k1y = _velocity(A, B, zx, zy, symmetric)
    k2x, k2y = _velocity(A, B, zx + 0.5 * h * k1x, zy + 0.5 * h * k1y, symmetric)
    k3x, k3y = _velocity(A, B, zx + 0.5 * h * k2x, zy + 0.5 * h * k2y, symmetric)
    k4x, k4y = _velocity(A, B, zx + h * k3x, zy + h * k3y, symmetric)
    zx = zx + h / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x)
    zy = zy + h / 6.0 * (k1y + 2 * k2y + 2 * k3y + k4y)
    # Re-centre (softmax is shift-invariant) so that z stays bounded above.
    return zx - zx.max(axis=-1, keepdims=True), zy - zy.max(axis=-1, keepdims=True)


def replicator_flow(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    start_row: npt.ArrayLike,
    start_col: npt.ArrayLike | None,
    times: npt.ArrayLike,
    *,
    max_step: float | None = None,
) -> tuple[FloatArray, FloatArray]:
    """States of the replicator flow at ``times`` for stacks of games and starts.

    Parameters
    ----------
    A, B
        ``(K, m, n)`` payoffs (or ``(m, n)`` for one game).
    start_row, start_col
        ``(K, S, m)``/``(K, S, n)`` starting distributions (or ``(S, m)``/``(m,)``, broadcast
        over the games). ``start_col=None``: the one-population replicator of a symmetric
        game (``B`` is then ignored and the column state equals the row state).
    times
        Increasing output times ``(T,)``, starting at 0.
    max_step
        Largest RK4 step; default ``0.05`` divided by each game's largest payoff spread.

    Returns
    -------
    row, col
        ``(K, S, T, m)`` and ``(K, S, T, n)``.
    """
    A3, B3 = _stack(A, B)
    K, m, n = A3.shape
    symmetric = start_col is None
    x0 = _starts(start_row, K, m, "start_row")
    y0 = x0 if start_col is None else _starts(start_col, K, n, "start_col")
    if x0.shape[1] != y0.shape[1]:
        raise GameOptionError("start_col", "give as many column starts as row starts")
    t = np.asarray(times, dtype=np.float64).reshape(-1)
    if t.size == 0 or t[0] != 0 or np.any(np.diff(t) <= 0) or not np.all(np.isfinite(t)):
        raise GameOptionError("times", "output times must start at 0 and increase")
    spread = np.maximum(np.ptp(A3, axis=(1, 2)), np.ptp(B3, axis=(1, 2))).max()
    step = max_step if max_step is not None else 0.05 / max(float(spread), 1e-12)
    zx, zy = _logs(x0), _logs(y0)
    S = x0.shape[1]
    rows = np.empty((K, S, t.size, m))
    cols = np.empty((K, S, t.size, n))
    rows[:, :, 0], cols[:, :, 0] = x0, y0
    for k in range(1, t.size):
        span = t[k] - t[k - 1]
        substeps = max(1, int(np.ceil(span / step)))
        h = span / substeps
        for _ in range(substeps):
            zx, zy = rk4_step(A3, B3, zx, zy, h, symmetric)
        rows[:, :, k] = softmax(zx)
        cols[:, :, k] = rows[:, :, k] if symmetric else softmax(zy)
    return rows, cols


def _stack(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    A3 = np.asarray(A, dtype=np.float64)
    B3 = np.asarray(B, dtype=np.float64)
    if A3.ndim == 2:
        A3, B3 = A3[None], B3[None]
    if A3.ndim != 3 or A3.shape != B3.shape:
        raise GameOptionError("payoffs", f"payoffs must have shape (K, m, n); got {A3.shape}")
    if not (np.all(np.isfinite(A3)) and np.all(np.isfinite(B3))):
        raise GameOptionError("payoffs", "every payoff must be a finite number")
    return A3, B3


def _starts(values: npt.ArrayLike, K: int, size: int, option: str) -> FloatArray:
    """Starting distributions broadcast to ``(K, S, size)`` and checked."""
    s = np.asarray(values, dtype=np.float64)
    if s.ndim == 1:
        s = s[None, None]
    elif s.ndim == 2:
        s = s[None]
    if s.ndim != 3 or s.shape[-1] != size or s.shape[0] not in (1, K):
        raise GameOptionError(
            option, f"{option} must hold distributions over {size} strategies; got shape {s.shape}"
        )
    if not np.all(np.isfinite(s)) or np.any(s < 0) or np.any(np.abs(s.sum(axis=-1) - 1) > 1e-9):
        raise GameOptionError(
            option, f"{option} must be probabilities of at least 0 adding up to 1"
        )
    return np.broadcast_to(s, (K, s.shape[1], size)).copy()


# ---------------------------------------------------------------------------------------------
# Starting grids
# ---------------------------------------------------------------------------------------------
def unit_square_grid(resolution: int) -> tuple[FloatArray, FloatArray]:
    """Starts on a ``resolution x resolution`` grid of cell centres of the unit square.

    Returns ``row (S, 2)`` and ``col (S, 2)`` distributions, ``S = resolution**2``, with
    ``row[s, 0] = (a + 1/2) / resolution`` (the first strategy's share) varying slowest. Cell
    centres avoid the invariant edges, where nothing can enter a strategy that is absent.
    """
    if resolution < 1:
        raise GameOptionError("resolution", "the grid needs at least 1 point per side")
    centres = (np.arange(resolution) + 0.5) / resolution
    xs, ys = np.meshgrid(centres, centres, indexing="ij")
    x, y = xs.reshape(-1), ys.reshape(-1)
    return np.stack([x, 1 - x], axis=1), np.stack([y, 1 - y], axis=1)


def simplex_grid(size: int, resolution: int) -> FloatArray:
    """Interior points of the simplex over ``size`` strategies with coordinates
    ``(k + 1/size) / (resolution + 1)`` spaced evenly: every composition of ``resolution``
    into ``size`` parts, shifted into the interior. Returns ``(P, size)``."""
    if resolution < 0 or size < 1:
        raise GameOptionError("resolution", "the simplex grid needs a resolution of at least 0")
    points: list[list[int]] = []

    def compose(left: int, parts: int, prefix: list[int]) -> None:
        if parts == 1:
            points.append([*prefix, left])
            return
        for k in range(left + 1):
            compose(left - k, parts - 1, [*prefix, k])

    compose(resolution, size, [])
    grid = (np.asarray(points, dtype=np.float64) + 1.0 / size) / (resolution + 1)
    return grid / grid.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------------------------
# Basins
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class BasinStack:
    """Which strict equilibrium each start reaches, for every game of a stack.

    Attributes
    ----------
    code
        ``(K, S)`` int64: :func:`~sim.games.selection_base.cell_code` of the strict equilibrium
        reached, ``CODE_TIE`` on a separatrix (exact method), ``CODE_NONE`` when no strict
        equilibrium is reached (cycling, a mixed limit, or not absorbed by the horizon).
    method
        ``"exact"`` or ``"integrate"``.
    horizon
        Integration horizon in rescaled time (``nan`` for the exact method).
    """

    code: IntArray
    method: str
    horizon: float

    def share(self, code: int) -> FloatArray:
        """``(K,)`` share of the starts that reach the equilibrium with this code."""
        return np.asarray((self.code == code).mean(axis=1), dtype=np.float64)


def basin_codes(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    start_row: npt.ArrayLike,
    start_col: npt.ArrayLike | None,
    *,
    method: BasinMethod = "auto",
    horizon: float = 400.0,
    step: float = 0.1,
    progress: Callable[[int, int], None] | None = None,
) -> BasinStack:
    """Which strict equilibrium each start reaches under the replicator flow.

    Parameters
    ----------
    A, B
        ``(K, m, n)`` payoffs (or one ``(m, n)`` game).
    start_row, start_col
        Starts as for :func:`replicator_flow` (``start_col=None``: one population, symmetric
        game).
    method
        ``"exact"`` (2x2 bimatrix only, constant of motion), ``"integrate"``, or ``"auto"``
        (exact when it applies).
    horizon, step
        Horizon and RK4 step of the integration, in time rescaled to a payoff spread of 1.
    progress
        Called as ``progress(done, total)`` with integration steps.
    """
    A3, B3 = _stack(A, B)
    K, m, n = A3.shape
    symmetric = start_col is None
    x0 = _starts(start_row, K, m, "start_row")
    y0 = x0 if start_col is None else _starts(start_col, K, n, "start_col")
    if not (np.isfinite(horizon) and horizon > 0 and 0 < step <= horizon):
        raise GameOptionError("horizon", "the horizon and step must be positive, step <= horizon")
    if method not in ("auto", "exact", "integrate"):
        raise GameOptionError("method", "method must be auto, exact or integrate")
    exact_applies = (m, n) == (2, 2) and not symmetric
    if method == "exact" and not exact_applies:
        raise GameOptionError(
            "method", "the exact basin method needs a 2 x 2 game with two populations"
        )
    if exact_applies and method != "integrate":
        return BasinStack(_exact_2x2(A3, B3, x0[..., 0], y0[..., 0]), "exact", float("nan"))
    return BasinStack(
        _integrate_basins(A3, B3, x0, y0, symmetric, horizon, step, progress), "integrate", horizon
    )


def _corner_codes(A: FloatArray, B: FloatArray) -> IntArray:
    """``(K, 2, 2)`` codes of the corners that are strict equilibria (``CODE_NONE`` others),
    indexed by ``[x_first, y_first]`` (1 = the first strategy played)."""
    K = A.shape[0]
    spread = np.maximum(np.ptp(A, axis=(1, 2)), np.ptp(B, axis=(1, 2)))
    tol = 1e-9 * np.maximum(spread, 1e-300)
    row_margin, col_margin = strictness_margins(A, B)
    strict = (row_margin > tol[:, None, None]) & (col_margin > tol[:, None, None])
    out = np.full((K, 2, 2), CODE_NONE, dtype=np.int64)
    for i in range(2):
        for j in range(2):
            # x_first = 1 means the row player plays strategy 0.
            out[:, 1 - i, 1 - j] = np.where(strict[:, i, j], cell_code(i, j, 2), CODE_NONE)
    return out


def _exact_2x2(A: FloatArray, B: FloatArray, x: FloatArray, y: FloatArray) -> IntArray:
    """Basin codes ``(K, S)`` of the 2x2 bimatrix replicator from its constant of motion."""
    K, S = x.shape
    dA0 = (A[:, 0, 0] - A[:, 1, 0])[:, None]
    dA1 = (A[:, 0, 1] - A[:, 1, 1])[:, None]
    dB0 = (B[:, 0, 0] - B[:, 0, 1])[:, None]
    dB1 = (B[:, 1, 0] - B[:, 1, 1])[:, None]
    a, c = dA0 - dA1, dB0 - dB1
    spread = np.maximum(np.ptp(A, axis=(1, 2)), np.ptp(B, axis=(1, 2)))[:, None]
    tol = 1e-9 * np.maximum(spread, 1e-300)
    corners = _corner_codes(A, B)
    kk = np.broadcast_to(np.arange(K)[:, None], (K, S))

    def corner(xc: npt.NDArray[np.int64], yc: npt.NDArray[np.int64]) -> IntArray:
        return np.asarray(corners[kk, xc, yc], dtype=np.int64)

    with np.errstate(divide="ignore", invalid="ignore"):
        y_star = np.where(np.abs(a) > tol, -dA1 / a, np.nan)
        x_star = np.where(np.abs(c) > tol, -dB1 / c, np.nan)
    interior = (x_star > 0) & (x_star < 1) & (y_star > 0) & (y_star < 1)
    code = np.full((K, S), CODE_NONE, dtype=np.int64)
    # No interior rest point: g (or h) keeps one sign on (0, 1) (that of its value at 1/2),
    # so one coordinate goes to a face monotonically and the other follows the sign of its
    # payoff difference at that face.
    g_half = np.sign(dA1 + (dA0 - dA1) * 0.5)
    h_half = np.sign(dB1 + (dB0 - dB1) * 0.5)
    x_mono = ~((x_star > 0) & (x_star < 1))  # h keeps one sign: y is monotone
    y_mono = ~((y_star > 0) & (y_star < 1))  # g keeps one sign: x is monotone
    # x monotone: x -> 1 if g > 0; then y follows h at that face.
    x_lim = (g_half > 0).astype(np.int64)
    h_at = np.where(x_lim == 1, np.sign(dB0), np.sign(dB1))
    y_follow = (h_at > 0).astype(np.int64)
    first = y_mono & (g_half != 0) & (h_at != 0)
    code = np.where(
        np.broadcast_to(first, (K, S)),
        corner(np.broadcast_to(x_lim, (K, S)), np.broadcast_to(y_follow, (K, S))),
        code,
    )
    y_lim = (h_half > 0).astype(np.int64)
    g_at = np.where(y_lim == 1, np.sign(dA0), np.sign(dA1))
    x_follow = (g_at > 0).astype(np.int64)
    second = ~y_mono & x_mono & (h_half != 0) & (g_at != 0)
    code = np.where(
        np.broadcast_to(second, (K, S)),
        corner(np.broadcast_to(x_follow, (K, S)), np.broadcast_to(y_lim, (K, S))),
        code,
    )
    # Interior saddle: quadrants and the constant of motion.
    saddle = interior & (a * c > 0)
    if np.any(saddle):
        with np.errstate(divide="ignore", invalid="ignore"):
            xs_, ys_ = np.where(saddle, x_star, 0.5), np.where(saddle, y_star, 0.5)

            def f(p: FloatArray, p_star: FloatArray) -> FloatArray:
                return p_star * np.log(p) + (1 - p_star) * np.log1p(-p)

            d = c * (f(x, xs_) - f(xs_, xs_)) - a * (f(y, ys_) - f(ys_, ys_))
        sx, sy = np.sign(x - xs_), np.sign(y - ys_)
        sa = np.sign(a)
        scale = np.maximum(np.abs(a), np.abs(c)) * 1e-9
        to_corner = lambda s: (s > 0).astype(np.int64)  # noqa: E731
        outflow = sx * sy == sa
        xc = np.where(outflow, to_corner(sx), 0)
        yc = np.where(outflow, to_corner(sy), 0)
        inflow = sx * sy == -sa
        across_x = inflow & (d * sa > scale)  # leaves across x = x*: x side flips
        across_y = inflow & (d * sa < -scale)
        xc = np.where(across_x, to_corner(-sx), xc)
        yc = np.where(across_x, to_corner(sy), yc)
        xc = np.where(across_y, to_corner(sx), xc)
        yc = np.where(across_y, to_corner(-sy), yc)
        on_vertical = (sx == 0) & (sy != 0)  # moves off x = x* into an outflow quadrant
        xc = np.where(on_vertical, to_corner(sa * sy), xc)
        yc = np.where(on_vertical, to_corner(sy), yc)
        on_horizontal = (sy == 0) & (sx != 0)
        xc = np.where(on_horizontal, to_corner(sx), xc)
        yc = np.where(on_horizontal, to_corner(np.sign(c) * sx), yc)
        decided = outflow | across_x | across_y | on_vertical | on_horizontal
        saddle_code = np.where(decided, corner(xc, yc), CODE_TIE)
        code = np.where(np.broadcast_to(saddle, (K, S)), saddle_code, code)
    # Around a center (a c < 0) trajectories are closed orbits: CODE_NONE stays.
    # Starts on an edge stay on it: the free coordinate follows its payoff difference there.
    on_x_edge = (x <= 0) | (x >= 1)
    if np.any(on_x_edge):
        xe = (x >= 1).astype(np.int64)
        h_edge = np.where(xe == 1, dB0, dB1)
        ye = (h_edge > 0).astype(np.int64)
        ye = np.where((y <= 0) | (y >= 1), (y >= 1).astype(np.int64), ye)
        edge_code = np.where(
            (np.abs(h_edge) > tol) | (y <= 0) | (y >= 1), corner(xe, ye), CODE_NONE
        )
        code = np.where(on_x_edge, edge_code, code)
    on_y_edge = ((y <= 0) | (y >= 1)) & ~on_x_edge
    if np.any(on_y_edge):
        ye = (y >= 1).astype(np.int64)
        g_edge = np.where(ye == 1, dA0, dA1)
        xe = (g_edge > 0).astype(np.int64)
        edge_code = np.where(np.abs(g_edge) > tol, corner(xe, ye), CODE_NONE)
        code = np.where(on_y_edge, edge_code, code)
    return np.asarray(code, dtype=np.int64)


def absorption_ratio(A: FloatArray, B: FloatArray, i: int, j: int) -> FloatArray:
    """``(K,)`` box size ``rho`` that makes the strict equilibrium ``(i, j)`` absorbing.

    If every other row strategy's share is at most ``rho`` times ``x_i`` and every other
    column strategy's at most ``rho`` times ``y_j``, then for each other row ``k``:
    ``(A y)_i - (A y)_k >= y_j (margin - rho * sum_l |A[i, l] - A[k, l]|) > 0`` (the sum over
    ``l != j``), and likewise for the column player. So ``i`` and ``j`` stay strict best
    replies, every ratio ``x_k / x_i`` and ``y_l / y_j`` keeps falling, and the box is never
    left. ``rho`` is half the largest value satisfying this (zero where the cell is not
    strict).
    """
    K, m, n = A.shape
    rho = np.full(K, np.inf)
    for k in range(m):
        if k == i:
            continue
        margin = A[:, i, j] - A[:, k, j]
        others = np.abs(A[:, i, :] - A[:, k, :]).sum(axis=1) - np.abs(margin)
        rho = np.minimum(
            rho, np.where(others > 0, margin / np.where(others > 0, others, 1), np.inf)
        )
        rho = np.where(margin > 0, rho, 0.0)
    for l_ in range(n):
        if l_ == j:
            continue
        margin = B[:, i, j] - B[:, i, l_]
        others = np.abs(B[:, :, j] - B[:, :, l_]).sum(axis=1) - np.abs(margin)
        rho = np.minimum(
            rho, np.where(others > 0, margin / np.where(others > 0, others, 1), np.inf)
        )
        rho = np.where(margin > 0, rho, 0.0)
    return np.minimum(rho, 1.0) / 2.0


def _integrate_basins(
    A: FloatArray,
    B: FloatArray,
    x0: FloatArray,
    y0: FloatArray,
    symmetric: bool,
    horizon: float,
    step: float,
    progress: Callable[[int, int], None] | None,
) -> IntArray:
    K, m, n = A.shape
    S = x0.shape[1]
    spread = np.maximum(np.ptp(A, axis=(1, 2)), np.ptp(B, axis=(1, 2)))
    scale = 1.0 / np.maximum(spread, 1e-300)
    A1, B1 = A * scale[:, None, None], B * scale[:, None, None]
    cells = [(i, j) for i in range(m) for j in range(n) if not symmetric or i == j]
    log_rho = np.stack(
        [np.log(np.maximum(absorption_ratio(A1, B1, i, j), 1e-300)) for i, j in cells], 1
    )
    codes = np.array([cell_code(i, j, n) for i, j in cells], dtype=np.int64)
    result = np.full((K, S), CODE_NONE, dtype=np.int64)
    # Flatten (game, start) pairs into one axis so absorbed ones can be dropped.
    game = np.repeat(np.arange(K), S)
    start = np.tile(np.arange(S), K)
    zx = _logs(x0.reshape(K * S, m))[:, None, :]
    zy = _logs(y0.reshape(K * S, n))[:, None, :]
    total = int(np.ceil(horizon / step))
    Ag, Bg = A1[game], B1[game]
    for done in range(total + 1):
        if done % 8 == 0 or done == total:
            # Absorbed: off-equilibrium log-ratios below log(rho) for both players.
            reached = np.zeros(game.size, dtype=bool)
            which = np.full(game.size, -1)
            for c, (i, j) in enumerate(cells):
                gap_x = np.delete(zx[:, 0, :], i, axis=1) - zx[:, 0, i : i + 1]
                gap_y = np.delete(zy[:, 0, :], j, axis=1) - zy[:, 0, j : j + 1]
                limit = log_rho[game, c][:, None]
                inside = np.all(gap_x <= limit, axis=1) & np.all(gap_y <= limit, axis=1)
                inside &= np.isfinite(limit[:, 0]) & (limit[:, 0] > -600)
                which = np.where(inside & ~reached, c, which)
                reached |= inside
            if np.any(reached):
                result[game[reached], start[reached]] = codes[which[reached]]
                keep = ~reached
                game, start, zx, zy = game[keep], start[keep], zx[keep], zy[keep]
                Ag, Bg = Ag[keep], Bg[keep]
            if progress is not None:
                progress(done, total)
            if game.size == 0 or done == total:
                break
        zx, zy = rk4_step(Ag, Bg, zx, zy, step, symmetric)
        if symmetric:
            zy = zx
    return result
