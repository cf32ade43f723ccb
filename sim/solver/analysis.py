"""Pure-strategy analysis of a bimatrix game: best responses, dominance, Pareto optimality.

Arrays in, plain values out; nothing here knows about scenarios or solvers. ``A`` holds the row
player's payoffs and ``B`` the column player's, both of shape ``(m, n)``.

Ties are judged like the default solver judges them (:mod:`sim.solver.enumeration` rescales each
player's payoffs to ``[1, 2]``): two payoffs of a player count as equal when they differ by at
most ``tol * scale``, where ``scale`` is the spread (largest minus smallest) of that player's
payoffs; for a player whose payoffs are all equal every comparison is a tie anyway.

The definitions follow von Stengel (2007), "Equilibrium computation for two-player games in
strategic and extensive form", ch. 3 of *Algorithmic Game Theory* (the best response
condition) and Osborne and Rubinstein, *A Course in Game Theory* (1994), section 4.2 (strict
domination by mixed strategies and its iterated elimination).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Elimination",
    "best_response_cells",
    "iterated_elimination",
    "pareto_dominating_cells",
    "pareto_optimal_cells",
    "strictly_dominated",
]

DEFAULT_TOL = 1e-9


def _spread(low: np.ndarray | float, high: np.ndarray | float) -> np.ndarray:
    """Payoff scale: the spread ``high - low``, or the magnitude (or 1) when it is zero."""
    spread = np.asarray(high, dtype=np.float64) - low
    magnitude = np.maximum(np.abs(low), np.abs(high))
    return np.where(spread > 0, spread, np.where(magnitude > 0, magnitude, 1.0))


def _scale(M: np.ndarray) -> np.ndarray:
    """Payoff scale of each game of a stack (over the last two axes, dimensions kept)."""
    low = np.min(M, axis=(-2, -1), keepdims=True)
    high = np.max(M, axis=(-2, -1), keepdims=True)
    return _spread(low, high)


def _as_pair(A: object, B: object) -> tuple[np.ndarray, np.ndarray]:
    A_arr = np.asarray(A, dtype=np.float64)
    B_arr = np.asarray(B, dtype=np.float64)
    if A_arr.ndim < 2 or A_arr.shape != B_arr.shape:
        raise ValueError(
            f"A and B must be payoff matrices of the same shape (m, n), got {A_arr.shape} and "
            f"{B_arr.shape}"
        )
    if A_arr.shape[-2] == 0 or A_arr.shape[-1] == 0:
        raise ValueError("each player needs at least one strategy")
    if not (np.all(np.isfinite(A_arr)) and np.all(np.isfinite(B_arr))):
        raise ValueError("payoffs must be finite numbers")
    return A_arr, B_arr


def best_response_cells(
    A: np.ndarray, B: np.ndarray, *, tol: float = DEFAULT_TOL
) -> tuple[np.ndarray, np.ndarray]:
    """Mark the cells where a player's pure strategy is a best response.

    Cell ``(i, j)`` is marked for the row player when row ``i`` earns the highest payoff against
    column ``j`` (``A[i, j] >= max_k A[k, j]``), and for the column player when column ``j`` earns
    the highest payoff against row ``i`` (``B[i, j] >= max_l B[i, l]``), up to the tolerance.
    A cell marked for both players is a pure Nash equilibrium (von Stengel 2007, best response
    condition).

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(m, n)``; a stack ``(..., m, n)`` is
        handled game by game.
    tol
        Relative tie tolerance (times the spread of the player's payoffs).

    Returns
    -------
    row_best, col_best
        Boolean arrays of the same shape as ``A``.
    """
    A_arr, B_arr = _as_pair(A, B)
    row_slack = tol * _scale(A_arr)
    col_slack = tol * _scale(B_arr)
    row_best = A_arr >= np.max(A_arr, axis=-2, keepdims=True) - row_slack
    col_best = B_arr >= np.max(B_arr, axis=-1, keepdims=True) - col_slack
    return row_best, col_best


def _dominating_mix(M: np.ndarray, index: int, tol: float) -> np.ndarray | None:
    """A mixed strategy over the rows of ``M`` that strictly dominates row ``index``, or None.

    ``M`` has one row per strategy of the player being checked and one column per strategy of
    the opponent. Pure domination is checked first; otherwise the linear program

        maximise e  subject to  sum_k p_k M[k, j] >= M[index, j] + e  for every column j,
                                sum_k p_k = 1,  p >= 0,  p_index = 0

    is solved; row ``index`` is strictly dominated exactly when the optimum ``e`` is positive
    (Osborne and Rubinstein 1994, section 4.2).
    """
    count = M.shape[0]
    if count < 2:
        return None
    low, high = float(np.min(M)), float(np.max(M))
    if high - low <= 0:
        return None
    margin = tol * (high - low)
    target = M[index]
    others = [k for k in range(count) if k != index]
    for k in others:  # pure domination: cheap, and exact for the common case
        if np.all(M[k] > target + margin):
            mix = np.zeros(count)
            mix[k] = 1.0
            return mix
    if len(others) < 2:
        return None
    # The linear program is the zero-sum game in which the mixer picks a row k among the others
    # and the opponent a column j, paying S[k, j] - S[index, j]: its value is the optimum e and
    # the mixer's maximin strategy is the dominating mix (von Neumann's minimax theorem; von
    # Stengel 2007, section 3.2). Small games are solved by this package's enumeration, which
    # is exact where floating point cannot be certified, and need no LP library.
    # payoffs scaled to [0, 1] so that the tolerances fit every game
    S = (M - low) / (high - low)
    gain = S[others] - S[index][None, :]
    if math.comb(gain.shape[0] + gain.shape[1], gain.shape[0]) <= _ZERO_SUM_BASES:
        from sim.solver.enumeration import solve_games

        table = solve_games(gain[None, :, :], -gain[None, :, :])
        if table.row.shape[0] == 0:
            return None
        weights = np.clip(table.row[0], 0.0, None)
    else:
        weights = _maximin_by_lp(gain)
        if weights is None:
            return None
    if weights.sum() <= 0:
        return None
    weights = weights / weights.sum()
    # Check the mix in the original units, independently of the solver's own tolerance.
    if not np.all(weights @ M[others] > target + margin):
        return None
    mix = np.zeros(count)
    mix[others] = weights
    return mix


#: Largest number of bases (binomial coefficient) for which the zero-sum game is enumerated;
#: larger games (10 x 11: 352,716) go to an LP solver, whose cost grows far more slowly.
_ZERO_SUM_BASES = 5000


def _maximin_by_lp(gain: np.ndarray) -> np.ndarray | None:
    """The mixer's maximin strategy of the zero-sum game ``gain`` by linear programming
    (scipy's HiGHS; imported only for games too large to enumerate)."""
    import importlib

    linprog = importlib.import_module("scipy.optimize").linprog
    k, n = gain.shape
    # variables p_1..p_k, e: maximise e subject to sum_k p_k gain[k, j] >= e, sum p = 1
    cost = np.zeros(k + 1)
    cost[-1] = -1.0
    A_ub = np.hstack([-gain.T, np.ones((n, 1))])
    A_eq = np.hstack([np.ones((1, k)), np.zeros((1, 1))])
    bounds = [(0.0, None)] * k + [(None, None)]
    result = linprog(
        cost, A_ub=A_ub, b_ub=np.zeros(n), A_eq=A_eq, b_eq=[1.0], bounds=bounds, method="highs"
    )
    if result.status != 0 or result.x is None:
        return None
    return np.clip(np.asarray(result.x[:k], dtype=float), 0.0, None)


def strictly_dominated(
    A: np.ndarray, B: np.ndarray, *, tol: float = DEFAULT_TOL
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Pure strategies strictly dominated by another pure or by a mixed strategy (one round).

    A row ``i`` is strictly dominated when some mixed strategy of the row player earns strictly
    more than ``i`` against every column; likewise for columns with ``B``. Domination by mixed
    strategies is decided by a small linear program, solved as the zero-sum game it is for
    small games and by scipy's LP solver for large ones (:func:`_dominating_mix`); see Osborne
    and Rubinstein (1994), section 4.2. No strategy is removed: this is one round of checking
    in the full game (see :func:`iterated_elimination` for repeated rounds).

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(m, n)``.
    tol
        Relative tolerance: "strictly more" means more by over ``tol`` times the spread of the
        player's payoffs.

    Returns
    -------
    rows, cols
        Indices (0-based, increasing) of the strictly dominated rows and columns.
    """
    A_arr, B_arr = _as_pair(A, B)
    if A_arr.ndim != 2:
        raise ValueError("strictly_dominated takes one game of shape (m, n)")
    rows = tuple(i for i in range(A_arr.shape[0]) if _dominating_mix(A_arr, i, tol) is not None)
    cols = tuple(j for j in range(B_arr.shape[1]) if _dominating_mix(B_arr.T, j, tol) is not None)
    return rows, cols


@dataclass(frozen=True)
class Elimination:
    """One step of iterated elimination of strictly dominated strategies.

    Parameters
    ----------
    round
        1 for strategies dominated in the full game, 2 for those dominated once the first
        round's strategies are removed, and so on.
    player
        0 for the row player, 1 for the column player.
    strategy
        Index (0-based) of the eliminated strategy in the original game.
    dominated_by
        A dominating mixed strategy of the same player, as probabilities over all of that
        player's original strategies (zero on strategies already eliminated); a single 1.0
        means domination by a pure strategy.
    """

    round: int
    player: int
    strategy: int
    dominated_by: tuple[float, ...]


def iterated_elimination(
    A: np.ndarray, B: np.ndarray, *, tol: float = DEFAULT_TOL
) -> tuple[Elimination, ...]:
    """Iterated elimination of strictly dominated strategies (pure or mixed domination).

    In each round every strategy that is strictly dominated in the game that remains is removed,
    for both players at once; rounds repeat until nothing is dominated. With strict domination
    the strategies that survive do not depend on the order of removal (Osborne and Rubinstein
    1994, section 4.2), and no Nash equilibrium uses an eliminated strategy.

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(m, n)``.
    tol
        Relative tolerance, as in :func:`strictly_dominated`.

    Returns
    -------
    tuple of Elimination
        The eliminations in order: by round, then row player before column player, then by
        strategy index.
    """
    A_arr, B_arr = _as_pair(A, B)
    if A_arr.ndim != 2:
        raise ValueError("iterated_elimination takes one game of shape (m, n)")
    m, n = A_arr.shape
    rows = list(range(m))
    cols = list(range(n))
    steps: list[Elimination] = []
    round_number = 0
    while True:
        round_number += 1
        sub_A = A_arr[np.ix_(rows, cols)]
        sub_B = B_arr[np.ix_(rows, cols)]
        found: list[Elimination] = []
        for local, original in enumerate(rows):
            mix = _dominating_mix(sub_A, local, tol)
            if mix is not None:
                full = np.zeros(m)
                full[rows] = mix
                found.append(Elimination(round_number, 0, original, tuple(map(float, full))))
        for local, original in enumerate(cols):
            mix = _dominating_mix(sub_B.T, local, tol)
            if mix is not None:
                full = np.zeros(n)
                full[cols] = mix
                found.append(Elimination(round_number, 1, original, tuple(map(float, full))))
        if not found:
            return tuple(steps)
        steps.extend(found)
        removed_rows = {e.strategy for e in found if e.player == 0}
        removed_cols = {e.strategy for e in found if e.player == 1}
        rows = [i for i in rows if i not in removed_rows]
        cols = [j for j in cols if j not in removed_cols]


def pareto_optimal_cells(A: np.ndarray, B: np.ndarray, *, tol: float = DEFAULT_TOL) -> np.ndarray:
    """Mark the pure outcomes that are Pareto optimal among all pure outcomes.

    Cell ``(i, j)`` is Pareto optimal when no other cell gives both players at least as much and
    one of them strictly more (up to the tolerance).

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(m, n)``; a stack ``(..., m, n)`` is
        handled game by game.
    tol
        Relative tie tolerance (times the spread of each player's payoffs).

    Returns
    -------
    numpy.ndarray
        Boolean array of the same shape as ``A``.
    """
    A_arr, B_arr = _as_pair(A, B)
    shape = A_arr.shape
    cells = shape[-2] * shape[-1]
    a = A_arr.reshape((-1, cells))
    b = B_arr.reshape((-1, cells))
    slack_a = (tol * _scale(A_arr)).reshape((-1, 1))
    slack_b = (tol * _scale(B_arr)).reshape((-1, 1))
    # Cell k dominates cell c when it is weakly better for both and strictly better for one.
    # A strict gain for a player implies a weak one for that player, so "dominated" splits
    # into: some cell is strictly better for the row player and weakly for the column player,
    # or the other way round. Each half is a sort plus a suffix maximum: O(N log N) time and
    # O(N) memory in the number of cells N (a 200 x 200 game no longer needs N^2 arrays).
    dominated = _strictly_better_somewhere(a, b, slack_a, slack_b) | _strictly_better_somewhere(
        b, a, slack_b, slack_a
    )
    return ~dominated.reshape(shape)


def _count_at_most(sorted_values: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Per game, how many sorted values are at most each threshold (a batched searchsorted).

    ``sorted_values`` and ``thresholds`` have shape ``(K, N)``; each row of ``sorted_values``
    is ascending. Values and thresholds are merged in one stable sort per row, values before
    equal thresholds, so the number of values ahead of a threshold is the count wanted.
    """
    games, count = sorted_values.shape
    merged = np.concatenate([sorted_values, thresholds], axis=1)
    is_threshold = np.concatenate(
        [np.zeros((games, count), dtype=np.int8), np.ones((games, count), dtype=np.int8)], axis=1
    )
    order = np.lexsort((is_threshold, merged), axis=-1)
    flags = np.take_along_axis(is_threshold, order, axis=1)
    values_ahead = np.cumsum(1 - flags, axis=1)
    result = np.empty((games, count), dtype=np.int64)
    game_index, position = np.nonzero(flags)
    result[game_index, order[game_index, position] - count] = values_ahead[game_index, position]
    return result


def _strictly_better_somewhere(
    x: np.ndarray, y: np.ndarray, slack_x: np.ndarray, slack_y: np.ndarray
) -> np.ndarray:
    """For each cell c: is there a cell k with ``x_k > x_c + slack_x`` and ``y_k >= y_c - slack_y``.

    ``x`` and ``y`` have shape ``(K, N)`` (K games of N cells), the slacks ``(K, 1)``. Sorting
    the cells by ``x``, the cells strictly better in ``x`` form a suffix; the best ``y`` among
    them is a suffix maximum (the skyline idea of Kung, Luccio and Preparata 1975, "On finding
    the maxima of a set of vectors", J. ACM 22(4)).
    """
    games, count = x.shape
    order = np.argsort(x, axis=1, kind="stable")
    x_sorted = np.take_along_axis(x, order, axis=1)
    y_sorted = np.take_along_axis(y, order, axis=1)
    suffix_best_y = np.maximum.accumulate(y_sorted[:, ::-1], axis=1)[:, ::-1]
    not_better = _count_at_most(x_sorted, x + slack_x)
    exists = not_better < count
    best_y = suffix_best_y[np.arange(games)[:, None], np.minimum(not_better, count - 1)]
    return exists & (best_y >= y - slack_y)


def pareto_dominating_cells(
    A: np.ndarray,
    B: np.ndarray,
    payoffs: tuple[float, float],
    *,
    tol: float = DEFAULT_TOL,
) -> list[tuple[int, int]]:
    """Pure outcomes that Pareto-dominate a given pair of payoffs (for judging an equilibrium).

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(m, n)``.
    payoffs
        Expected payoffs ``(row player, column player)``, for example of a Nash equilibrium.
    tol
        Relative tie tolerance (times the spread of each player's payoffs).

    Returns
    -------
    list of (i, j)
        Cells, in row-major order, that give both players at least ``payoffs`` and at least one
        of them strictly more. An empty list means no pure outcome makes both better off.
    """
    A_arr, B_arr = _as_pair(A, B)
    if A_arr.ndim != 2:
        raise ValueError("pareto_dominating_cells takes one game of shape (m, n)")
    row_value, col_value = float(payoffs[0]), float(payoffs[1])
    slack_a = tol * float(
        _spread(min(float(A_arr.min()), row_value), max(float(A_arr.max()), row_value))
    )
    slack_b = tol * float(
        _spread(min(float(B_arr.min()), col_value), max(float(B_arr.max()), col_value))
    )
    da = A_arr - row_value
    db = B_arr - col_value
    mask = (da >= -slack_a) & (db >= -slack_b) & ((da > slack_a) | (db > slack_b))
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(mask), strict=True)]
