"""Nash equilibria of two-player games: arrays in, dataclasses out (never sees a Scenario).

- :func:`solve_games` finds every extreme equilibrium of each game of a stack ``(K, m, n)``
  (one sweep, one call) and returns a columnar :class:`EquilibriumTable`.
- :func:`solve_game` solves one game and returns a :class:`GameSolution` with components and
  maximal Nash subsets; ``method`` chooses the algorithm (:data:`METHODS`).
- :func:`solve_game_exact` (or ``solve_game(..., exact=True)``) solves one game in exact
  rational arithmetic (:mod:`sim.solver.exact`); the batched path certifies each game and
  solves the ones it cannot certify exactly (:mod:`sim.solver.certify`).
- Games too large to enumerate quickly (:func:`enumeration_is_practical`: more than
  :data:`ENUMERATION_MAX_SYSTEMS` linear systems, beyond 10x10) are solved with the
  Lemke-Howson algorithm instead, with a plain-words warning (:func:`fallback_warning`);
  :func:`lemke_howson_games` does the same for a stack. Games in which a player has a single
  strategy are solved directly by best responses, whatever their size and method.
- :func:`support_slacks` evaluates given support pairs on a stack of games (for locating where
  an equilibrium appears or disappears in a sweep).

The default method is degeneracy-safe vertex enumeration of the best-response polytopes
(B. von Stengel, "Equilibrium computation for two-player games in strategic and extensive form",
*Algorithmic Game Theory*, 2007, ch. 3; D. Avis, G. Rosenberg, R. Savani, B. von Stengel,
"Enumeration of Nash equilibria for two-player games", *Economic Theory* 42, 2010). The other
methods run nashpy; it is imported only when one of them is asked for.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from sim.errors import SolverError, UsageError
from sim.solver.certify import DEGENERATE
from sim.solver.components import maximal_nash_subsets
from sim.solver.enumeration import (
    ENUMERATION_MAX_SYSTEMS,
    enumerate_equilibria,
    enumeration_is_practical,
    solve_games,
)
from sim.solver.exact import exact_matrix, solve_game_exact
from sim.solver.one_strategy import (
    is_one_strategy_game,
    solve_one_strategy_game,
    solve_one_strategy_games,
)
from sim.solver.slacks import support_slacks
from sim.solver.types import METHODS, Equilibrium, EquilibriumTable, GameSolution

__all__ = [
    "ENUMERATION_MAX_SYSTEMS",
    "METHODS",
    "Equilibrium",
    "EquilibriumTable",
    "GameSolution",
    "enumeration_is_practical",
    "fallback_warning",
    "lemke_howson_games",
    "solve_game",
    "solve_game_exact",
    "solve_games",
    "support_slacks",
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


def _as_arrays(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray, bool]:
    """The payoffs as float64 arrays, and whether that conversion was exact.

    Floats and integers below 2**53 are exact; Fractions such as 1/3 are not (the exact path
    then starts from the payoffs as given, not from their float64 roundings).
    """
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    if Aa.ndim != 2 or Aa.shape != Ba.shape:
        raise ValueError(f"A and B must both have shape (m, n); got {Aa.shape} and {Ba.shape}")
    if 0 in Aa.shape:
        raise ValueError("each player needs at least one strategy")
    if not (np.all(np.isfinite(Aa)) and np.all(np.isfinite(Ba))):
        raise SolverError("a payoff is not a finite number; the game cannot be solved")
    faithful = True
    for given, floats in ((A, Aa), (B, Ba)):
        values = np.asarray(given)
        if np.issubdtype(values.dtype, np.floating):
            continue  # a float is the binary rational it stores
        faithful &= all(
            Fraction(float(f)) == v
            for row_v, row_f in zip(exact_matrix(values), floats.tolist(), strict=True)
            for v, f in zip(row_v, row_f, strict=True)
        )
    return Aa, Ba, faithful


def solve_game(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    *,
    method: str = "enumeration",
    tol: float = 1e-9,
    exact: bool = False,
    exact_payoffs: tuple[object, object] | None = None,
) -> GameSolution:
    """Nash equilibria of one bimatrix game ``(A, B)``.

    With ``method="enumeration"`` (the default) every extreme equilibrium is found, degenerate
    games included, with the components and maximal Nash subsets of the equilibrium set
    (von Stengel 2007; Avis et al. 2010): in floating point when every decision can be
    certified (:mod:`sim.solver.certify`), otherwise, and always with ``exact=True``, in exact
    rational arithmetic (:func:`solve_game_exact`; :attr:`GameSolution.exact` says which).
    ``"support"``, ``"vertex"`` and ``"lemke-howson"`` run nashpy's algorithms (imported
    lazily) behind the same result type. A game too large for enumeration
    (:func:`enumeration_is_practical`) is solved with ``"lemke-howson"`` instead, and
    :attr:`GameSolution.warnings` starts with :func:`fallback_warning`. A game in which a player
    has a single strategy is solved directly by best responses, exactly, whatever the method.

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(m, n)``: floats, integers or
        Fractions (floats stand for the binary rationals they store).
    method
        One of :data:`METHODS`.
    tol
        Relative tie tolerance of the floating-point path (see :func:`solve_games`).
    exact
        Solve in exact arithmetic from the start (method ``"enumeration"`` only; games too
        large to enumerate still fall back to Lemke-Howson in floating point).
    exact_payoffs
        The exact payoffs ``(A, B)`` that the floats stand for (Fractions, e.g. computed from
        decimals), used where floating point sees a tie (and with ``exact=True``), as
        :func:`solve_games` uses them. Without them, floats count at their binary values, so
        ``3 * 0.1`` and ``0.3`` do not tie.

    Returns
    -------
    GameSolution
        Equilibria in the order of :func:`solve_games`, degeneracy, components, maximal Nash
        subsets, the method used, plain-words warnings and whether the result is exact.

    Raises
    ------
    UsageError
        ``method`` is not one of :data:`METHODS`, or a nashpy method is asked for on a game too
        large for it.
    SolverError
        A payoff is not finite, no equilibrium could be found (Lemke-Howson on a very large
        game), or the exact path ran out of its budget.
    """
    if method not in METHODS:
        raise UsageError(f"unknown method {method!r}; choose one of: {', '.join(METHODS)}")
    Aa, Ba, faithful = _as_arrays(A, B)
    m, n = Aa.shape
    exact_A, exact_B = exact_payoffs if exact_payoffs is not None else (A, B)
    if is_one_strategy_game(m, n):
        return solve_one_strategy_game(A, B, method=method)
    if method == "enumeration" and not enumeration_is_practical(m, n):
        return _lemke_howson_fallback(Aa, Ba, tol)
    if method != "enumeration":
        # Lazy: importing sim.solver must not import nashpy or scipy.
        from sim.solver.nashpy_methods import solve_with_nashpy

        return _found_something(solve_with_nashpy(Aa, Ba, method, tol), Aa, Ba, tol)
    if exact or not faithful:
        return solve_game_exact(exact_A, exact_B)
    stack = enumerate_equilibria(Aa[None], Ba[None], tol=tol)
    if stack.flags[0]:
        # Not certified: the exact answer (solve_games has computed it too, but without the
        # exact fractions this result carries). As in solve_games, the exact payoffs decide
        # where floating point sees a tie; elsewhere the floats' own values do.
        if stack.flags[0] & DEGENERATE:
            return solve_game_exact(exact_A, exact_B)
        return solve_game_exact(A, B)
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
    # Certified games are non-degenerate: every equilibrium is its own component.
    return GameSolution(
        equilibria=equilibria,
        degenerate=bool(table.degenerate[0]),
        components=tuple((e,) for e in range(len(table))),
        maximal_nash_subsets=maximal_nash_subsets(stack.x_ids.tolist(), stack.y_ids.tolist()),
        method="enumeration",
        # Degeneracy and continua are results (`degenerate`, `components`), not warnings:
        # warnings are kept for real limitations such as a fallback method.
        warnings=(),
    )


def _found_something(
    solution: GameSolution, A: np.ndarray, B: np.ndarray, tol: float
) -> GameSolution:
    """``solution``, or, if it lists no equilibrium, the default method's answer with a warning.

    A finite game always has an equilibrium (Nash 1951), so "none" is never an answer: when a
    nashpy method finds none (it can miss every equilibrium of a degenerate game), the
    complete enumeration is shown instead, saying why.
    """
    if solution.equilibria:
        return solution
    m, n = A.shape
    if not enumeration_is_practical(m, n):
        raise SolverError(
            f"method {solution.method!r} found no equilibrium of this {m} x {n} game, although "
            "every finite game has one; the game is too large to list every equilibrium "
            "instead: use the default method, which finds one by the Lemke-Howson algorithm"
        )
    complete = solve_game(A, B, tol=tol)
    note = (
        f"method {solution.method!r} found no equilibrium of this game (every finite game has "
        "one), so these are the equilibria found by the default method"
    )
    return GameSolution(
        equilibria=complete.equilibria,
        degenerate=complete.degenerate,
        components=complete.components,
        maximal_nash_subsets=complete.maximal_nash_subsets,
        method=complete.method,
        warnings=(*solution.warnings, note),
        exact=complete.exact,
    )


def _lemke_howson_fallback(A: np.ndarray, B: np.ndarray, tol: float) -> GameSolution:
    """One equilibrium by Lemke-Howson, with :func:`fallback_warning` first."""
    from sim.solver.nashpy_methods import solve_one_lemke_howson

    found = solve_one_lemke_howson(A, B, tol)
    if not found.equilibria:
        m, n = A.shape
        raise SolverError(
            f"this {m} x {n} game is too large to list every equilibrium, and the "
            "Lemke-Howson algorithm found none within its budget (numerical trouble); remove "
            "dominated or duplicated strategies to make the game smaller"
        )
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
    as :func:`solve_game` solves it then (one equilibrium, by the Lemke-Howson path from the
    first starting label that works; von Stengel 2007, Algorithm 3.6), one game at a time, so
    it takes milliseconds per game and shows one equilibrium of possibly several.
    ``degenerate`` is ``False`` throughout: it is not known. Stacks of games in which a player
    has a single strategy are solved directly instead, every equilibrium listed.

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

    Raises
    ------
    SolverError
        A payoff is not finite, or Lemke-Howson found no equilibrium of some game.
    """
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    if Aa.ndim != 3 or Aa.shape != Ba.shape:
        raise ValueError(f"A and B must both have shape (K, m, n); got {Aa.shape} and {Ba.shape}")
    K, m, n = Aa.shape
    if not (np.all(np.isfinite(Aa)) and np.all(np.isfinite(Ba))):
        raise SolverError("a payoff is not a finite number; the games cannot be solved")
    if is_one_strategy_game(m, n):
        if progress is not None:
            progress(K, K)
        return solve_one_strategy_games(Aa, Ba)[0]
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
