"""Nash equilibria of two-player games: arrays in, dataclasses out (never sees a Scenario).

- :func:`solve_games` finds every extreme equilibrium of each game of a stack ``(K, m, n)``
  (one sweep, one call) and returns a columnar :class:`EquilibriumTable`.
- :func:`solve_game` solves one game and returns a :class:`GameSolution` with components and
  maximal Nash subsets; ``method`` chooses the algorithm (:data:`METHODS`).
- Games too large to enumerate quickly (:func:`enumeration_is_practical`: more than
  :data:`ENUMERATION_MAX_SYSTEMS` linear systems, beyond 10x10) are solved with the
  Lemke-Howson algorithm instead, with a plain-words warning (:func:`fallback_warning`);
  :func:`lemke_howson_games` does the same for a stack.

The default method is degeneracy-safe vertex enumeration of the best-response polytopes
(B. von Stengel, "Equilibrium computation for two-player games in strategic and extensive form",
*Algorithmic Game Theory*, 2007, ch. 3; D. Avis, G. Rosenberg, R. Savani, B. von Stengel,
"Enumeration of Nash equilibria for two-player games", *Economic Theory* 42, 2010). The other
methods run nashpy; it is imported only when one of them is asked for.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from sim.errors import UsageError
from sim.solver.components import maximal_nash_subsets
from sim.solver.enumeration import (
    ENUMERATION_MAX_SYSTEMS,
    SolverInternalError,
    enumerate_equilibria,
    enumeration_is_practical,
    solve_games,
)
from sim.solver.types import METHODS, Equilibrium, EquilibriumTable, GameSolution

__all__ = [
    "ENUMERATION_MAX_SYSTEMS",
    "METHODS",
    "Equilibrium",
    "EquilibriumTable",
    "GameSolution",
    "SolverInternalError",
    "enumeration_is_practical",
    "fallback_warning",
    "lemke_howson_games",
    "solve_game",
    "solve_games",
]


def fallback_warning(m: int, n: int) -> str:
    """The plain-words warning shown when an ``m x n`` game is solved by Lemke-Howson."""
    systems = math.comb(m + n, m)
    return (
        f"This {m} x {n} game is too large to list every equilibrium in reasonable time "
        f"({systems:,} linear systems per player; full enumeration is used up to 10 x 10, "
        f"{ENUMERATION_MAX_SYSTEMS:,} systems). Showing one equilibrium found by the "
        "Lemke-Howson algorithm instead: it is a real equilibrium, but the game may have "
        "others."
    )


def _check_game(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    if Aa.ndim != 2 or Aa.shape != Ba.shape:
        raise ValueError(f"A and B must both have shape (m, n); got {Aa.shape} and {Ba.shape}")
    return Aa, Ba


def solve_game(
    A: npt.ArrayLike, B: npt.ArrayLike, *, method: str = "enumeration", tol: float = 1e-9
) -> GameSolution:
    """Nash equilibria of one bimatrix game ``(A, B)``.

    With ``method="enumeration"`` (the default) every extreme equilibrium is found, degenerate
    games included, with the components and maximal Nash subsets of the equilibrium set
    (von Stengel 2007; Avis et al. 2010). ``"support"``, ``"vertex"`` and ``"lemke-howson"``
    run nashpy's algorithms (imported lazily) behind the same result type. A game too large
    for enumeration (:func:`enumeration_is_practical`) is solved with ``"lemke-howson"``
    instead, and :attr:`GameSolution.warnings` starts with :func:`fallback_warning`.

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(m, n)``.
    method
        One of :data:`METHODS`.
    tol
        Tie tolerance on the game rescaled to payoffs in ``[1, 2]``.

    Returns
    -------
    GameSolution
        Equilibria in the order of :func:`solve_games`, degeneracy, components, maximal Nash
        subsets, the method used and plain-words warnings.

    Raises
    ------
    UsageError
        ``method`` is not one of :data:`METHODS`.
    SolverError
        A payoff is not finite, the game is too large, or a nashpy method failed.
    """
    if method not in METHODS:
        raise UsageError(f"unknown method {method!r}; choose one of: {', '.join(METHODS)}")
    Aa, Ba = _check_game(A, B)
    if method == "enumeration" and not enumeration_is_practical(*Aa.shape):
        return _lemke_howson_fallback(Aa, Ba, tol)
    if method != "enumeration":
        # Lazy: importing sim.solver must not import nashpy or scipy.
        from sim.solver.nashpy_methods import solve_with_nashpy

        return solve_with_nashpy(Aa, Ba, method, tol)
    stack = enumerate_equilibria(Aa[None], Ba[None], tol=tol)
    table = stack.table
    equilibria = tuple(
        Equilibrium(
            row=table.row[e],
            col=table.col[e],
            payoffs=(float(table.payoffs[e, 0]), float(table.payoffs[e, 1])),
            component=int(table.component[e]),
        )
        for e in range(len(table))
    )
    n_comp = int(table.component.max()) + 1 if len(table) else 0
    components = tuple(
        tuple(int(e) for e in np.flatnonzero(table.component == c)) for c in range(n_comp)
    )
    subsets = maximal_nash_subsets(stack.x_ids.tolist(), stack.y_ids.tolist())
    degenerate = bool(table.degenerate[0])
    return GameSolution(
        equilibria=equilibria,
        degenerate=degenerate,
        components=components,
        maximal_nash_subsets=subsets,
        method="enumeration",
        # Degeneracy and continua are results (`degenerate`, `components`), not warnings:
        # warnings are kept for real limitations such as a fallback method.
        warnings=(),
    )


def _lemke_howson_fallback(A: np.ndarray, B: np.ndarray, tol: float) -> GameSolution:
    """One equilibrium by Lemke-Howson, with :func:`fallback_warning` first."""
    from sim.solver.nashpy_methods import solve_one_lemke_howson

    found = solve_one_lemke_howson(A, B, tol)
    return GameSolution(
        equilibria=found.equilibria,
        degenerate=found.degenerate,
        components=found.components,
        maximal_nash_subsets=found.maximal_nash_subsets,
        method=found.method,
        warnings=(fallback_warning(*A.shape), *found.warnings),
    )


def lemke_howson_games(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    *,
    tol: float = 1e-9,
    progress: Callable[[int, int], None] | None = None,
) -> EquilibriumTable:
    """Equilibria of each game of a stack found by the Lemke-Howson algorithm.

    The fallback of sweeps over games too large for enumeration: each game is solved exactly
    as :func:`solve_game` solves it then (one equilibrium, by nashpy's Lemke-Howson path
    from the first starting label that works; von Stengel 2007, Algorithm 3.6), one game at
    a time, so it takes milliseconds per game and shows one equilibrium of possibly several.
    ``degenerate`` is ``False`` throughout: it is not known.

    Parameters
    ----------
    A, B
        Payoffs, shape ``(K, m, n)``.
    tol
        Tie tolerance on the game rescaled to payoffs in ``[1, 2]``.
    progress
        Called as ``progress(done, K)`` every few games.

    Returns
    -------
    EquilibriumTable
    """
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    if Aa.ndim != 3 or Aa.shape != Ba.shape:
        raise ValueError(f"A and B must both have shape (K, m, n); got {Aa.shape} and {Ba.shape}")
    K, m, n = Aa.shape
    games: list[int] = []
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    payoffs: list[tuple[float, float]] = []
    components: list[int] = []
    count = np.zeros(K, dtype=np.int64)
    for k in range(K):
        solution = _lemke_howson_fallback(Aa[k], Ba[k], tol)
        count[k] = len(solution.equilibria)
        for eq in solution.equilibria:
            games.append(k)
            rows.append(eq.row)
            cols.append(eq.col)
            payoffs.append(eq.payoffs)
            components.append(eq.component)
        if progress is not None and (k % 16 == 15 or k == K - 1):
            progress(k + 1, K)
    return EquilibriumTable(
        game_index=np.asarray(games, dtype=np.int64),
        row=np.asarray(rows, dtype=np.float64).reshape(-1, m),
        col=np.asarray(cols, dtype=np.float64).reshape(-1, n),
        payoffs=np.asarray(payoffs, dtype=np.float64).reshape(-1, 2),
        component=np.asarray(components, dtype=np.int64),
        degenerate=np.zeros(K, dtype=bool),
        count=count,
    )
