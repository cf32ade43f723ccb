"""How far each of a list of support pairs is from being an equilibrium, for a stack of games.

For a support pair ``(I, J)`` with ``|I| = |J| = k`` the candidate equilibrium solves the
indifference conditions (support enumeration; B. von Stengel, "Equilibrium computation for
two-player games in strategic and extensive form", ch. 3 of *Algorithmic Game Theory*, 2007,
section 3.3, Algorithm 3.4):

- the column player's mix ``y`` on ``J`` makes every row in ``I`` earn the same ``u``:
  ``A[I, J] y_J = u 1`` and ``sum(y_J) = 1``;
- the row player's mix ``x`` on ``I`` makes every column in ``J`` earn the same ``v``:
  ``B[I, J]^T x_I = v 1`` and ``sum(x_I) = 1``.

It is an equilibrium exactly when every entry of its *slack vector* is non-negative: the
probabilities ``x_I`` and ``y_J``, and the payoff gaps ``u - (A y)_i`` of the rows outside
``I`` and ``v - (x^T B)_j`` of the columns outside ``J``. In a parametrised family of games the
equilibrium of a support pair appears or disappears where the smallest slack crosses zero, so
a boundary can be located from the sign of this one number (bisection, or root finding where
the payoffs are smooth) instead of from changes of the solver's output.

Gaps are measured on each player's payoffs rescaled to ``[0, 1]`` per game (the spread is the
unit), so slacks of different games are comparable. Systems that are singular (reciprocal
condition number below :data:`SLACK_RCOND`) or pairs of supports of different sizes give NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from sim.solver.types import FloatArray

__all__ = ["SLACK_RCOND", "SupportPair", "support_slack_vectors", "support_slacks"]

SupportPair = tuple[Sequence[int], Sequence[int]]

SLACK_RCOND = 1e-12
"""Indifference systems with a reciprocal condition number (2-norm) below this are singular."""


def _unit_scale(M: FloatArray) -> FloatArray:
    """Each game's payoffs mapped affinely onto ``[0, 1]`` (constant games to all zeros)."""
    low = M.min(axis=(1, 2), keepdims=True)
    spread = M.max(axis=(1, 2), keepdims=True) - low
    return (M - low) / np.where(spread > 0.0, spread, 1.0)


def _indifferent_mix(M: FloatArray) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """For ``M (K, k, k)``: ``z`` with ``M z = w 1``, ``sum z = 1``; returns ``z``, ``w``, ok.

    Solves the ``(k + 1) x (k + 1)`` system ``[[M, -1], [1^T, 0]] [z; w] = [0; 1]`` for each
    game; ``ok`` is False where it is singular.
    """
    K, k, _ = M.shape
    system = np.zeros((K, k + 1, k + 1))
    system[:, :k, :k] = M
    system[:, :k, k] = -1.0
    system[:, k, :k] = 1.0
    singular_values = np.linalg.svd(system, compute_uv=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = singular_values[:, -1] >= SLACK_RCOND * singular_values[:, 0]
    z = np.full((K, k), np.nan)
    w = np.full(K, np.nan)
    if np.any(ok):
        rhs = np.zeros((int(ok.sum()), k + 1, 1))
        rhs[:, k, 0] = 1.0
        solution = np.linalg.solve(system[ok], rhs)[:, :, 0]
        z[ok], w[ok] = solution[:, :k], solution[:, k]
    return z, w, ok


def _checked(
    A: npt.ArrayLike, B: npt.ArrayLike, row_support: Sequence[int], col_support: Sequence[int]
) -> tuple[FloatArray, FloatArray, list[int], list[int]]:
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    if Aa.ndim == 2:
        Aa, Ba = Aa[None], Ba[None]
    if Aa.ndim != 3 or Aa.shape != Ba.shape:
        raise ValueError(f"A and B must both have shape (K, m, n); got {Aa.shape} and {Ba.shape}")
    _, m, n = Aa.shape
    rows = sorted({int(i) for i in row_support})
    cols = sorted({int(j) for j in col_support})
    if not rows or not cols or rows[0] < 0 or rows[-1] >= m or cols[0] < 0 or cols[-1] >= n:
        raise ValueError(f"supports must be non-empty sets of strategies of a {m}x{n} game")
    return Aa, Ba, rows, cols


def support_slack_vectors(A: npt.ArrayLike, B: npt.ArrayLike, pair: SupportPair) -> FloatArray:
    """The slack vector of one support pair in every game of a stack.

    Parameters
    ----------
    A, B
        Payoffs ``(K, m, n)`` (or one game ``(m, n)``).
    pair
        ``(I, J)``: the row and the column strategies played with positive probability.

    Returns
    -------
    numpy.ndarray
        ``(K, m + n)`` float64: ``x_I``, ``y_J``, the gaps of the rows outside ``I``, then of the
        columns outside ``J`` (gaps in units of each player's payoff spread). All NaN for a game
        whose system is singular, or when ``|I| != |J|``.
    """
    Aa, Ba, rows, cols = _checked(A, B, *pair)
    K, m, n = Aa.shape
    out = np.full((K, m + n), np.nan)
    if len(rows) != len(cols) or K == 0:
        return out
    As, Bs = _unit_scale(Aa), _unit_scale(Ba)
    y, u, ok_y = _indifferent_mix(As[:, rows][:, :, cols])
    x, v, ok_x = _indifferent_mix(np.swapaxes(Bs[:, rows][:, :, cols], 1, 2))
    ok = ok_x & ok_y
    y_full = np.zeros((K, n))
    y_full[:, cols] = np.where(ok[:, None], y, 0.0)
    x_full = np.zeros((K, m))
    x_full[:, rows] = np.where(ok[:, None], x, 0.0)
    row_gap = u[:, None] - np.einsum("kij,kj->ki", As, y_full)
    col_gap = v[:, None] - np.einsum("ki,kij->kj", x_full, Bs)
    outside_rows = [i for i in range(m) if i not in rows]
    outside_cols = [j for j in range(n) if j not in cols]
    vector = np.concatenate([x, y, row_gap[:, outside_rows], col_gap[:, outside_cols]], axis=1)
    out[ok] = vector[ok]
    return out


def support_slacks(A: npt.ArrayLike, B: npt.ArrayLike, pairs: Sequence[SupportPair]) -> FloatArray:
    """The smallest slack of each support pair in each game of a stack.

    Parameters
    ----------
    A, B
        Payoffs ``(K, m, n)`` (or one game ``(m, n)``).
    pairs
        Support pairs ``(I, J)``.

    Returns
    -------
    numpy.ndarray
        ``(K, len(pairs))`` float64: the minimum of :func:`support_slack_vectors` (a
        probability, or a payoff gap in units of the player's payoff spread). Non-negative
        exactly when the pair's indifference solution is an equilibrium; NaN where the system
        is singular or ``|I| != |J|``.
    """
    Aa = np.asarray(A, dtype=np.float64)
    K = 1 if Aa.ndim == 2 else Aa.shape[0]
    out = np.full((K, len(pairs)), np.nan)
    for p, pair in enumerate(pairs):
        vectors = support_slack_vectors(A, B, pair)
        with np.errstate(invalid="ignore"):
            out[:, p] = np.min(vectors, axis=1)
    return out
