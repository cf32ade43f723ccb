"""Logit quantal-response equilibria: the principal branch, its limit, and the QRE at a lambda.

A logit QRE at precision ``lam >= 0`` (R. D. McKelvey and T. R. Palfrey, "Quantal response
equilibria for normal form games", *Games and Economic Behavior* 10, 1995) is a profile
``(x, y)`` with ``x_i proportional to exp(lam (A y)_i)`` and ``y_j proportional to
exp(lam (x^T B)_j)``: each side plays better replies more often, and perfectly only as
``lam -> inf``. At ``lam = 0`` both play uniformly; for generic games the *principal branch*
of QREs that starts there reaches a unique Nash equilibrium as ``lam -> inf`` (McKelvey and
Palfrey 1995, Theorem 3), the *logit selection*. In 2x2 games with two strict equilibria it is
the risk-dominant one (T. L. Turocy, "A dynamic homotopy interpretation of the logistic quantal
response equilibrium correspondence", *Games and Economic Behavior* 51, 2005, 243-263).

The branch is followed by predictor-corrector continuation in arclength (E. L. Allgower and
K. Georg, *Numerical Continuation Methods*, Springer 1990, ch. 2 and 6), in log-probability
coordinates as in Turocy (2005): the unknowns are ``w = (ln x, ln y)`` and ``lam``, and the
equations are, for every strategy ``i > 0`` of each player, ``w_i - w_0 - lam (u_i - u_0) = 0``
(logit ratios) plus ``sum(exp(w)) = 1`` per player. Log coordinates keep the probabilities that
vanish as ``lam`` grows (like ``exp(-lam * gap)``) well scaled; arclength lets the branch bend
back in ``lam`` (it can: Turocy 2005). Each step predicts along the tangent, corrects by
Newton's method on the system augmented with the hyperplane orthogonal to the tangent, and
adapts the step length by the corrector's contraction (at most by ``max_accel`` per step, as
Gambit's ``gambit-logit`` does). Every game of a stack is traced at once: the arrays carry a
game axis and each game keeps its own step length, so there is no Python loop over games.

Stopping: the branch ends when the profile's largest regret (what a player could gain by a best
reply) is at most ``max_regret`` times the payoff spread (Gambit 16's criterion), or at
``max_lambda``. ``lam`` is in the payoffs' own units, as in Gambit: doubling the payoffs halves
the ``lam`` of a given QRE.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from sim.games.selection_base import (
    CODE_NONE,
    FloatArray,
    GameOptionError,
    IntArray,
    support_code,
)
from sim.games.selection_stack import SelectionStack

if TYPE_CHECKING:
    from sim.solver import EquilibriumTable, GameSolution

#: Newton corrections per step before the step is rejected and halved.
_NEWTON_ITERATIONS = 8
#: Nominal contraction of the first two Newton corrections (Allgower and Georg 1990, 6.1).
_NOMINAL_CONTRACTION = 0.25
#: A step is rejected when its first correction is longer than this (arclength units).
_MAX_FIRST_CORRECTION = 0.5
#: The smallest step length before tracing gives up on a game.
_MIN_STEP = 1e-12
#: Newton's residual target on the logit equations.
_RESIDUAL_TOL = 1e-11
#: An equilibrium is the branch's limit when the end point is this close to it (max norm).
LIMIT_MATCH_TOL = 1e-3


@dataclass(frozen=True)
class QREOptions:
    """How the principal branch is followed.

    Attributes
    ----------
    max_lambda
        Stop at this precision at the latest.
    max_regret
        The branch has reached a Nash equilibrium when no player can gain more than this
        times the payoff spread by changing strategy (Gambit's ``maxregret``, default 1e-8).
    first_step
        Arclength of the first step (Gambit's default 0.03).
    max_accel
        Largest factor by which the step length changes from one step to the next (1.1).
    max_steps
        Accepted steps per game before giving up.
    """

    max_lambda: float = 1e7
    max_regret: float = 1e-8
    first_step: float = 0.03
    max_accel: float = 1.1
    max_steps: int = 20_000

    def __post_init__(self) -> None:
        if not (np.isfinite(self.max_lambda) and self.max_lambda > 0):
            raise GameOptionError("max_lambda", "max_lambda must be a positive number")
        if not (0 < self.max_regret < 1):
            raise GameOptionError("max_regret", "max_regret must be between 0 and 1, e.g. 1e-8")
        if not (np.isfinite(self.first_step) and self.first_step > 0):
            raise GameOptionError("first_step", "first_step must be a positive number")
        if not (np.isfinite(self.max_accel) and self.max_accel > 1):
            raise GameOptionError("max_accel", "max_accel must be a number above 1, e.g. 1.1")
        if self.max_steps < 1:
            raise GameOptionError("max_steps", "max_steps must be at least 1")


@dataclass(frozen=True, eq=False)
class QREPoint:
    """One logit QRE.

    Attributes
    ----------
    lam
        Precision.
    row, col
        Mixed strategies of the two players.
    payoffs
        Expected payoffs ``(x^T A y, x^T B y)``.
    max_regret
        The most a player could gain by a best reply, in payoff units.
    """

    lam: float
    row: FloatArray
    col: FloatArray
    payoffs: tuple[float, float]
    max_regret: float

    def to_json(self) -> dict[str, Any]:
        """``{"lambda", "profile", "payoffs", "max_regret"}``."""
        return {
            "lambda": float(self.lam),
            "profile": [self.row.tolist(), self.col.tolist()],
            "payoffs": [float(self.payoffs[0]), float(self.payoffs[1])],
            "max_regret": float(self.max_regret),
        }


@dataclass(frozen=True, eq=False)
class QREBranch:
    """The principal branch of one game, from uniform play to (near) a Nash equilibrium.

    Attributes
    ----------
    lam
        ``(P,)`` precision at each accepted point of the path (``lam[0] == 0``).
    row, col
        ``(P, m)``, ``(P, n)`` the QRE along the path.
    end
        The last point.
    converged
        The end point's regret is within ``max_regret`` times the payoff spread.
    limit_index
        Index into the solver's equilibria of the equilibrium the branch approaches (within
        :data:`LIMIT_MATCH_TOL`), or ``None``.
    limit_distance
        Max-norm distance from the end point to that (nearest) equilibrium.
    limit_code
        :func:`sim.games.selection_base.support_code` of the limit, or ``CODE_NONE``.
    turning_points
        How many times ``lam`` changed direction along the path (0 when it only grows).
    """

    lam: FloatArray
    row: FloatArray
    col: FloatArray
    end: QREPoint
    converged: bool
    limit_index: int | None
    limit_distance: float
    limit_code: int
    turning_points: int

    def to_json(self, player_ids: tuple[str, str] | list[str]) -> dict[str, Any]:
        """The branch's end and limit (the path itself goes to the tidy files)."""
        return {
            "limit": self.limit_index,
            "converged": self.converged,
            "limit_distance": float(self.limit_distance),
            "turning_points": self.turning_points,
            "end": self.end.to_json(),
            "players": list(player_ids),
        }


# ---------------------------------------------------------------------------------------------
# The logit system, batched over games
# ---------------------------------------------------------------------------------------------
def _probabilities(w: FloatArray, m: int) -> tuple[FloatArray, FloatArray]:
    """Normalised ``x``, ``y`` from log coordinates (K, m + n)."""
    wx, wy = w[:, :m], w[:, m:]
    x = np.exp(wx - wx.max(axis=1, keepdims=True))
    y = np.exp(wy - wy.max(axis=1, keepdims=True))
    return x / x.sum(axis=1, keepdims=True), y / y.sum(axis=1, keepdims=True)


def _system(
    z: FloatArray, A: FloatArray, B: FloatArray, want_jacobian: bool = True
) -> tuple[FloatArray, FloatArray | None]:
    """Residuals ``H (K, d)`` and Jacobian ``(K, d, d + 1)`` of the logit equations at z."""
    K, m, n = A.shape
    d = m + n
    wx, wy, lam = z[:, :m], z[:, m:d], z[:, d]
    x = np.exp(np.minimum(wx, 50.0))
    y = np.exp(np.minimum(wy, 50.0))
    Ay = np.einsum("kij,kj->ki", A, y)
    xB = np.einsum("ki,kij->kj", x, B)
    H = np.empty((K, d))
    H[:, : m - 1] = wx[:, 1:] - wx[:, :1] - lam[:, None] * (Ay[:, 1:] - Ay[:, :1])
    H[:, m - 1] = x.sum(axis=1) - 1.0
    H[:, m : d - 1] = wy[:, 1:] - wy[:, :1] - lam[:, None] * (xB[:, 1:] - xB[:, :1])
    H[:, d - 1] = y.sum(axis=1) - 1.0
    if not want_jacobian:
        return H, None
    J = np.zeros((K, d, d + 1))
    rows_x = np.arange(m - 1)
    J[:, rows_x, rows_x + 1] = 1.0
    J[:, rows_x, 0] = -1.0
    dA = A[:, 1:, :] - A[:, :1, :]  # (K, m-1, n)
    J[:, : m - 1, m:d] = -lam[:, None, None] * dA * y[:, None, :]
    J[:, : m - 1, d] = -(Ay[:, 1:] - Ay[:, :1])
    J[:, m - 1, :m] = x
    rows_y = np.arange(n - 1)
    J[:, m + rows_y, m + rows_y + 1] = 1.0
    J[:, m + rows_y, m] = -1.0
    dB = B[:, :, 1:] - B[:, :, :1]  # (K, m, n-1)
    J[:, m : d - 1, :m] = -lam[:, None, None] * np.swapaxes(dB * x[:, :, None], 1, 2)
    J[:, m : d - 1, d] = -(xB[:, 1:] - xB[:, :1])
    J[:, d - 1, m:d] = y
    return H, J


def _solve(M: FloatArray, rhs: FloatArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Batched ``M z = rhs``; singular systems give NaN and ``ok = False`` for that game."""
    try:
        solved = np.asarray(np.linalg.solve(M, rhs[..., None])[..., 0], dtype=np.float64)
        return solved, np.ones(M.shape[0], dtype=bool)
    except np.linalg.LinAlgError:
        out = np.full(rhs.shape, np.nan)
        ok = np.zeros(M.shape[0], dtype=bool)
        for k in range(M.shape[0]):  # rare: only when some game's system is singular
            try:
                out[k] = np.linalg.solve(M[k], rhs[k])
                ok[k] = True
            except np.linalg.LinAlgError:
                pass
        return out, ok


def _tangent(J: FloatArray, previous: FloatArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Unit tangent of the curve ``H = 0``: the null vector of J oriented along ``previous``."""
    K, d, _ = J.shape
    M = np.concatenate([J, previous[:, None, :]], axis=1)
    rhs = np.zeros((K, d + 1))
    rhs[:, d] = 1.0
    t, ok = _solve(M, rhs)
    norm = np.linalg.norm(t, axis=1, keepdims=True)
    ok &= np.isfinite(norm[:, 0]) & (norm[:, 0] > 0)
    return t / np.where(ok[:, None], norm, 1.0), ok


def regrets(A: FloatArray, B: FloatArray, x: FloatArray, y: FloatArray) -> FloatArray:
    """``(K,)`` largest regret of either player at profiles ``(x, y)`` of a stack of games."""
    Ay = np.einsum("kij,kj->ki", A, y)
    xB = np.einsum("ki,kij->kj", x, B)
    row = Ay.max(axis=1) - np.einsum("ki,ki->k", x, Ay)
    col = xB.max(axis=1) - np.einsum("kj,kj->k", y, xB)
    return np.maximum(row, col)


# ---------------------------------------------------------------------------------------------
# The tracer
# ---------------------------------------------------------------------------------------------
@dataclass(eq=False)
class _Trace:
    z: FloatArray  # (K, d + 1) end points
    converged: npt.NDArray[np.bool_]
    turning_points: IntArray
    paths: list[list[FloatArray]] | None


def _trace(
    A: FloatArray,
    B: FloatArray,
    options: QREOptions,
    targets: FloatArray | None,
    record: bool,
    progress: Callable[[int, int], None] | None = None,
) -> _Trace:
    """Follow the principal branch of every game; stop at ``targets`` (first crossing) or at
    the limit (regret criterion). Returns the end points in log coordinates."""
    K, m, n = A.shape
    d = m + n
    spread = np.maximum(np.ptp(A, axis=(1, 2)), np.ptp(B, axis=(1, 2)))
    spread = np.maximum(spread, 1e-300)
    z = np.concatenate(
        [np.full((K, m), -np.log(m)), np.full((K, n), -np.log(n)), np.zeros((K, 1))], 1
    )
    # Initial tangent: the direction of increasing lam.
    start_direction = np.zeros((K, d + 1))
    start_direction[:, d] = 1.0
    _, J = _system(z, A, B)
    assert J is not None
    tangent, _ = _tangent(J, start_direction)
    step = np.full(K, options.first_step)
    active = np.ones(K, dtype=bool)
    converged = np.zeros(K, dtype=bool)
    turning = np.zeros(K, dtype=np.int64)
    accepted = np.zeros(K, dtype=np.int64)
    paths: list[list[FloatArray]] | None = [[z[k].copy()] for k in range(K)] if record else None
    if targets is not None:
        at_zero = targets <= 0
        active &= ~at_zero
        converged |= at_zero
    else:
        x0, y0 = _probabilities(z[:, :d], m)
        done = regrets(A, B, x0, y0) <= options.max_regret * spread
        converged |= done
        active &= ~done
    while np.any(active):
        idx = np.flatnonzero(active)
        zk, tk, hk = z[idx], tangent[idx], step[idx]
        Ak, Bk = A[idx], B[idx]
        predicted = zk + hk[:, None] * tk
        trial = predicted.copy()
        ok = np.ones(idx.size, dtype=bool)
        first = np.zeros(idx.size)
        contraction = np.zeros(idx.size)
        done_newton = np.zeros(idx.size, dtype=bool)
        for iteration in range(_NEWTON_ITERATIONS):
            H, Jk = _system(trial, Ak, Bk)
            assert Jk is not None
            M = np.concatenate([Jk, tk[:, None, :]], axis=1)
            rhs = -np.concatenate([H, np.einsum("kd,kd->k", tk, trial - predicted)[:, None]], 1)
            delta, solved = _solve(M, rhs)
            ok &= solved & np.all(np.isfinite(delta), axis=1)
            size = np.linalg.norm(np.where(ok[:, None], delta, 0.0), axis=1)
            if iteration == 0:
                first = size
            elif iteration == 1:
                contraction = size / np.maximum(first, 1e-300)
            trial = np.where((ok & ~done_newton)[:, None], trial + np.nan_to_num(delta), trial)
            residual = np.abs(H).max(axis=1)
            done_newton |= ok & (size < 1e-12 * (1 + np.abs(trial).max(axis=1))) | (
                ok & (residual < _RESIDUAL_TOL) & (size < 1e-9)
            )
            if np.all(done_newton | ~ok):
                break
        H_end, _ = _system(trial, Ak, Bk, want_jacobian=False)
        good = ok & (np.abs(H_end).max(axis=1) < 1e-9) & (first < _MAX_FIRST_CORRECTION)
        good &= contraction < 0.5
        # Rejected steps: halve and retry (a game whose step vanishes stops, unconverged).
        step[idx[~good]] = hk[~good] / 2.0
        dead = idx[~good][step[idx[~good]] < _MIN_STEP]
        active[dead] = False
        if not np.any(good):
            continue
        gi = idx[good]
        z_old, z_new, t_old = zk[good], trial[good], tk[good]
        ratio, contr = first[good] / _MAX_FIRST_CORRECTION, contraction[good]
        _, J_new = _system(z_new, A[gi], B[gi])
        assert J_new is not None
        new_tangent, t_ok = _tangent(J_new, t_old)
        turning[gi] += (np.sign(new_tangent[:, d]) != np.sign(t_old[:, d])) & (
            new_tangent[:, d] != 0
        )
        z[gi] = z_new
        tangent[gi] = np.where(t_ok[:, None], new_tangent, t_old)
        active[gi[~t_ok]] = False
        accepted[gi] += 1
        # Step-length adaptation by the corrector's behaviour (Allgower and Georg 1990, 6.1).
        factor = np.maximum(np.sqrt(contr / _NOMINAL_CONTRACTION), np.sqrt(ratio * 4.0))
        factor = np.clip(np.nan_to_num(factor, nan=1.0), 1.0 / options.max_accel, options.max_accel)
        step[gi] = hk[good] / factor
        if targets is not None:
            crossed = (z_old[:, d] < targets[gi]) & (z_new[:, d] >= targets[gi])
            if np.any(crossed):
                ci = gi[crossed]
                # Interpolate linearly, then solve the logit equations at lam = target.
                lo, hi = z_old[crossed], z_new[crossed]
                fraction = (targets[ci] - lo[:, d]) / (hi[:, d] - lo[:, d])
                start = lo + fraction[:, None] * (hi - lo)
                start[:, d] = targets[ci]
                z[ci] = _solve_at_lambda(start, A[ci], B[ci])
                converged[ci] = True
                active[ci] = False
        else:
            x, y = _probabilities(z_new[:, :d], m)
            finished = regrets(A[gi], B[gi], x, y) <= options.max_regret * spread[gi]
            converged[gi[finished]] = True
            active[gi[finished]] = False
        if paths is not None:
            for k in gi.tolist():
                paths[k].append(z[k].copy())
        active[gi[z_new[:, d] >= options.max_lambda]] = False
        active[gi[accepted[gi] >= options.max_steps]] = False
        if progress is not None:
            progress(int(K - active.sum()), K)
    return _Trace(z, converged, turning, paths)


def _solve_at_lambda(z: FloatArray, A: FloatArray, B: FloatArray) -> FloatArray:
    """Newton's method on the logit equations with ``lam`` held fixed (square system in w)."""
    d = A.shape[1] + A.shape[2]
    for _ in range(50):
        H, J = _system(z, A, B)
        assert J is not None
        delta, ok = _solve(J[:, :, :d], -H)
        delta = np.where(ok[:, None], delta, 0.0)
        z[:, :d] += delta
        if np.all(np.abs(delta).max(axis=1) < 1e-14 * (1 + np.abs(z[:, :d]).max(axis=1))):
            break
    return z


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------
def _game(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    Aa = np.asarray(np.asarray(A, dtype=object).astype(np.float64), dtype=np.float64)
    Ba = np.asarray(np.asarray(B, dtype=object).astype(np.float64), dtype=np.float64)
    if Aa.ndim != 2 or Aa.shape != Ba.shape or Aa.size == 0:
        raise GameOptionError("payoffs", f"payoffs must be two (m, n) matrices; got {Aa.shape}")
    if not (np.all(np.isfinite(Aa)) and np.all(np.isfinite(Ba))):
        raise GameOptionError("payoffs", "every payoff must be a finite number")
    return Aa, Ba


def _point(A: FloatArray, B: FloatArray, z: FloatArray) -> QREPoint:
    m = A.shape[0]
    x, y = _probabilities(z[None, :-1], m)
    regret = float(regrets(A[None], B[None], x, y)[0])
    return QREPoint(
        lam=float(z[-1]),
        row=x[0],
        col=y[0],
        payoffs=(float(x[0] @ A @ y[0]), float(x[0] @ B @ y[0])),
        max_regret=regret,
    )


def logit_qre(
    A: npt.ArrayLike, B: npt.ArrayLike, lam: float, options: QREOptions | None = None
) -> QREPoint:
    """The logit QRE at precision ``lam`` on the principal branch (its first point there).

    Raises
    ------
    GameOptionError
        ``lam`` is negative or not finite.
    """
    Aa, Ba = _game(A, B)
    if not (np.isfinite(lam) and lam >= 0):
        raise GameOptionError("lam", f"lambda must be a number of at least 0; got {lam}")
    options = options or QREOptions(max_lambda=max(float(lam) * 2.0, 1.0))
    trace = _trace(Aa[None], Ba[None], options, np.array([float(lam)]), record=False)
    if not trace.converged[0]:
        raise GameOptionError(
            "lam",
            f"the principal branch could not be followed to lambda = {lam}; try a smaller value",
        )
    return _point(Aa, Ba, trace.z[0])


def logit_branch(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    options: QREOptions | None = None,
    *,
    solution: GameSolution | None = None,
) -> QREBranch:
    """The principal branch of the logit QRE correspondence and the equilibrium it reaches.

    Parameters
    ----------
    A, B
        Payoffs ``(m, n)``.
    options
        Tracing options (defaults: :class:`QREOptions`).
    solution
        The solver's result (computed with :func:`sim.solver.solve_game` if not given), so
        that :attr:`QREBranch.limit_index` points into its equilibria.
    """
    Aa, Ba = _game(A, B)
    options = options or QREOptions()
    trace = _trace(Aa[None], Ba[None], options, None, record=True)
    assert trace.paths is not None
    path = np.array(trace.paths[0])
    m = Aa.shape[0]
    x, y = _probabilities(path[:, :-1], m)
    end = _point(Aa, Ba, trace.z[0])
    if solution is None:
        from sim.solver import solve_game

        solution = solve_game(Aa, Ba)
    index, distance = _nearest(end.row, end.col, solution)
    matched = index is not None and distance <= LIMIT_MATCH_TOL
    code = CODE_NONE
    if matched and index is not None:
        eq = solution.equilibria[index]
        code = support_code(
            sum(1 << i for i in eq.row_support), sum(1 << j for j in eq.col_support), Aa.shape[1]
        )
    return QREBranch(
        lam=path[:, -1],
        row=x,
        col=y,
        end=end,
        converged=bool(trace.converged[0]),
        limit_index=index if matched else None,
        limit_distance=distance,
        limit_code=code,
        turning_points=int(trace.turning_points[0]),
    )


def _nearest(row: FloatArray, col: FloatArray, solution: GameSolution) -> tuple[int | None, float]:
    best, best_distance = None, float("inf")
    for index, eq in enumerate(solution.equilibria):
        distance = float(max(np.abs(eq.row - row).max(), np.abs(eq.col - col).max()))
        if distance < best_distance:
            best, best_distance = index, distance
    return best, best_distance


def logit_qre_stack(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    lam: npt.ArrayLike,
    options: QREOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """QREs at precisions ``lam`` (scalar or ``(K,)``) of a stack ``(K, m, n)``, all traced at
    once. Returns ``row (K, m)`` and ``col (K, n)``; rows are NaN where the branch failed."""
    A3, B3 = _stack3(A, B)
    K = A3.shape[0]
    targets = np.broadcast_to(np.asarray(lam, dtype=np.float64), (K,)).copy()
    if not np.all(np.isfinite(targets) & (targets >= 0)):
        raise GameOptionError("lam", "every lambda must be a number of at least 0")
    options = options or QREOptions(max_lambda=max(float(targets.max(initial=0.0)) * 2.0, 1.0))
    trace = _trace(A3, B3, options, targets, record=False, progress=progress)
    x, y = _probabilities(trace.z[:, :-1], A3.shape[1])
    x[~trace.converged] = np.nan
    y[~trace.converged] = np.nan
    return x, y


def _stack3(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    A3 = np.asarray(A, dtype=np.float64)
    B3 = np.asarray(B, dtype=np.float64)
    if A3.ndim != 3 or A3.shape != B3.shape:
        raise GameOptionError("payoffs", f"payoff stacks must have shape (K, m, n); got {A3.shape}")
    if not (np.all(np.isfinite(A3)) and np.all(np.isfinite(B3))):
        raise GameOptionError("payoffs", "every payoff must be a finite number")
    return A3, B3


def qre_selection_stack(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    options: QREOptions | None = None,
    *,
    table: EquilibriumTable | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SelectionStack:
    """The equilibrium each game's principal branch reaches, as a label over a stack.

    The label is the :func:`~sim.games.selection_base.support_code` of the solver's equilibrium
    nearest to the branch's end (within :data:`LIMIT_MATCH_TOL`), or ``CODE_NONE`` when the
    branch did not converge or matched none. ``values["lambda_end"]`` is where each branch
    stopped. There is no closed form for the boundaries (``decisive`` is ``None``): sweeps
    bisect on the label.
    """
    from sim.solver import solve_games

    A3, B3 = _stack3(A, B)
    K, m, n = A3.shape
    options = options or QREOptions()
    trace = _trace(A3, B3, options, None, record=False, progress=progress)
    x, y = _probabilities(trace.z[:, :-1], m)
    table = table if table is not None else solve_games(A3, B3)
    label = np.full(K, CODE_NONE, dtype=np.int64)
    if len(table):
        gi = np.asarray(table.game_index)
        distance = np.maximum(
            np.abs(np.asarray(table.row) - x[gi]).max(axis=1),
            np.abs(np.asarray(table.col) - y[gi]).max(axis=1),
        )
        order = np.lexsort((distance, gi))  # nearest equilibrium first within each game
        first = order[np.r_[True, gi[order][1:] != gi[order][:-1]]]
        codes = ((np.asarray(table.row) > 0) @ (1 << np.arange(m))).astype(np.int64) << n
        codes |= ((np.asarray(table.col) > 0) @ (1 << np.arange(n))).astype(np.int64)
        hit = trace.converged[gi[first]] & (distance[first] <= LIMIT_MATCH_TOL)
        label[gi[first][hit]] = codes[first][hit]
    return SelectionStack(
        label=label,
        tie=np.asarray(table.degenerate, dtype=bool).copy(),
        decisive=None,
        decisive_names=(),
        values={"lambda_end": trace.z[:, -1].copy()},
    )
