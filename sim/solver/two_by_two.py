"""Every equilibrium of a stack of 2x2 games, from the signs of four payoff differences.

A 2x2 game is decided by four differences: the row player's gain from its first row over its
second in each column, ``a_j = A[0, j] - A[1, j]``, and the column player's gain from its first
column over its second in each row, ``b_i = B[i, 0] - B[i, 1]``. When none of them is zero the
game is non-degenerate, and (Osborne and Rubinstein 1994, section 3.2; von Stengel 2007,
section 3.2):

- ``(i, j)`` is a pure equilibrium when row ``i`` is the row player's best reply in column
  ``j`` and column ``j`` the column player's in row ``i`` (the signs of ``a_j`` and ``b_i``);
- there is a fully mixed equilibrium exactly when ``a_0, a_1`` and ``b_0, b_1`` have opposite
  signs; then each side's mixture makes the other indifferent: the column player puts
  ``a_1 / (a_1 - a_0)`` on its first column and the row player ``b_1 / (b_1 - b_0)`` on its
  first row.

The sign of a float subtraction is the sign of the exact difference of the two floats, so the
best replies are decided exactly. The solver's usual care still applies
(:mod:`sim.solver.certify`): a difference within the tie band of the player's payoff spread
(``TOLERANCE``, a possible tie of the payoffs the floats stand for), an exact tie
(``DEGENERATE``) or payoffs so large against a difference that the mixture's arithmetic loses
precision (``PRECISION``) flag the game for the exact path. The result is the same as the
general vertex enumeration's, in the same order, at a fraction of its cost.
"""

from __future__ import annotations

import numpy as np

from sim.solver.certify import DEGENERATE, PRECISION, PRECISION_TOL, TOLERANCE
from sim.solver.types import FloatArray, IntArray

#: A payoff difference within this share of the player's payoff spread is a possible tie
#: (the general path's tie band).
TIE_BAND = 1e-6

_EPS = float(np.finfo(np.float64).eps)


def solve_2x2(
    A: FloatArray, B: FloatArray, flags: np.ndarray
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray]:
    """The extreme equilibria of the games of ``(G, 2, 2)`` stacks that need no exact path.

    Parameters
    ----------
    A, B
        The row and the column player's payoffs.
    flags
        ``(G,)`` certification flags, updated in place: a game flagged here (or before) gets no
        equilibria from this function and is solved exactly by the caller.

    Returns
    -------
    game, row, col, payoffs
        One entry per equilibrium of the unflagged games, by game, then row-support bitmask,
        then column-support bitmask (the report order of :func:`sim.solver.solve_games`).
    """
    with np.errstate(over="ignore", invalid="ignore"):  # payoffs near 1e308: flagged below
        a = A[:, 0, :] - A[:, 1, :]  # (G, 2): the row player's gain from row 0, per column
        b = B[:, :, 0] - B[:, :, 1]  # (G, 2): the column player's gain from column 0, per row
        spread_a = A.max(axis=(1, 2)) - A.min(axis=(1, 2))
        spread_b = B.max(axis=(1, 2)) - B.min(axis=(1, 2))
    # a difference that overflows cannot be used: the exact path takes the game
    flags[~(np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1))] |= PRECISION
    with np.errstate(invalid="ignore"):
        near = (np.abs(a) <= TIE_BAND * spread_a[:, None]).any(axis=1)
        near |= (np.abs(b) <= TIE_BAND * spread_b[:, None]).any(axis=1)
    flags[near] |= TOLERANCE
    flags[(a == 0).any(axis=1) | (b == 0).any(axis=1)] |= DEGENERATE
    # the mixture divides differences whose rounding is eps times the payoffs' size
    size_a = np.abs(A).max(axis=(1, 2))
    size_b = np.abs(B).max(axis=(1, 2))
    with np.errstate(invalid="ignore"):
        lossy = 4 * _EPS * size_a > PRECISION_TOL * np.abs(a).min(axis=1)
        lossy |= 4 * _EPS * size_b > PRECISION_TOL * np.abs(b).min(axis=1)
    flags[lossy] |= PRECISION
    certified = flags == 0

    # candidates per game in report order: (0,0), (0,1), (1,0), (1,1), then the mixture
    row_best = np.stack([a > 0, a < 0], axis=1)  # [g, i, j]: row i best in column j
    col_best = np.stack([b > 0, b < 0], axis=2)  # [g, i, j]: column j best in row i
    pure = (row_best & col_best).reshape(-1, 4)
    # opposite signs (a product could overflow); zeros are flagged, so signbit decides
    mixed = (np.signbit(a[:, 0]) != np.signbit(a[:, 1])) & (
        np.signbit(b[:, 0]) != np.signbit(b[:, 1])
    )
    valid = np.concatenate([pure, mixed[:, None]], axis=1) & certified[:, None]
    game, kind = np.nonzero(valid)
    with np.errstate(divide="ignore", invalid="ignore"):  # used only where mixed
        y = a[game, 1] / (a[game, 1] - a[game, 0])  # column player's weight on column 0
        x = b[game, 1] / (b[game, 1] - b[game, 0])  # row player's weight on row 0
    is_mixed = kind == 4
    i, j = kind // 2, kind % 2
    row = np.zeros((game.size, 2))
    col = np.zeros((game.size, 2))
    pure_at = np.flatnonzero(~is_mixed)
    row[pure_at, i[pure_at]] = 1.0
    col[pure_at, j[pure_at]] = 1.0
    mix_at = np.flatnonzero(is_mixed)
    row[mix_at, 0], row[mix_at, 1] = x[mix_at], 1.0 - x[mix_at]
    col[mix_at, 0], col[mix_at, 1] = y[mix_at], 1.0 - y[mix_at]
    payoffs = np.empty((game.size, 2))
    for p, M in enumerate((A[game], B[game])):
        # x^T M y in a fixed order, so that a game's numbers do not depend on its stack
        first = M[:, 0, 0] * col[:, 0] + M[:, 0, 1] * col[:, 1]
        second = M[:, 1, 0] * col[:, 0] + M[:, 1, 1] * col[:, 1]
        payoffs[:, p] = row[:, 0] * first + row[:, 1] * second
    return game.astype(np.int64), row, col, payoffs
