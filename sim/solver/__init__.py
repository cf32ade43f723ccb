"""Nash equilibria of two-player games: arrays in, dataclasses out (never sees a Scenario).

- :func:`solve_games` finds every extreme equilibrium of each game of a stack ``(K, m, n)``
  (one sweep, one call) and returns a columnar :class:`EquilibriumTable`.
- :func:`solve_game` solves one game and returns a :class:`GameSolution` with components and
  maximal Nash subsets; ``method`` chooses the algorithm (:data:`METHODS`).

The default method is degeneracy-safe vertex enumeration of the best-response polytopes
(B. von Stengel, "Equilibrium computation for two-player games in strategic and extensive form",
*Algorithmic Game Theory*, 2007, ch. 3; D. Avis, G. Rosenberg, R. Savani, B. von Stengel,
"Enumeration of Nash equilibria for two-player games", *Economic Theory* 42, 2010). The other
methods run nashpy; it is imported only when one of them is asked for.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.errors import UsageError
from sim.solver.components import maximal_nash_subsets
from sim.solver.enumeration import SolverInternalError, enumerate_equilibria, solve_games
from sim.solver.types import METHODS, Equilibrium, EquilibriumTable, GameSolution

__all__ = [
    "METHODS",
    "Equilibrium",
    "EquilibriumTable",
    "GameSolution",
    "SolverInternalError",
    "solve_game",
    "solve_games",
]


def _check_game(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    if Aa.ndim != 2 or Aa.shape != Ba.shape:
        raise ValueError(f"A and B must both have shape (m, n); got {Aa.shape} and {Ba.shape}")
    return Aa, Ba


def _warnings(degenerate: bool, components: tuple[tuple[int, ...], ...]) -> tuple[str, ...]:
    out: list[str] = []
    if degenerate:
        out.append(
            "The game is degenerate (some mixed strategy has more pure best responses than "
            "strategies it uses), so equilibria can come in continua; every extreme "
            "equilibrium is listed."
        )
    continua = sum(1 for c in components if len(c) > 1)
    if continua:
        out.append(
            f"{continua} of the {len(components)} components contain infinitely many "
            "equilibria: every mix of the extreme equilibria of one maximal Nash subset is "
            "also an equilibrium."
        )
    return tuple(out)


def solve_game(
    A: npt.ArrayLike, B: npt.ArrayLike, *, method: str = "enumeration", tol: float = 1e-9
) -> GameSolution:
    """Nash equilibria of one bimatrix game ``(A, B)``.

    With ``method="enumeration"`` (the default) every extreme equilibrium is found, degenerate
    games included, with the components and maximal Nash subsets of the equilibrium set
    (von Stengel 2007; Avis et al. 2010). ``"support"``, ``"vertex"`` and ``"lemke-howson"``
    run nashpy's algorithms (imported lazily) behind the same result type.

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
        warnings=_warnings(degenerate, components),
    )
