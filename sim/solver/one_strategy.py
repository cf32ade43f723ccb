"""Games in which one player has a single strategy: solved directly by pure best responses.

If the column player has one strategy (``n = 1``), a profile is an equilibrium exactly when
the row player puts all weight on rows earning the largest payoff ``max_i A[i, 0]``; the
extreme equilibria are those best rows played purely, and they form one component (they share
the column player's only strategy), a single maximal Nash subset. The game is degenerate
exactly when several rows tie for the best payoff (the vertex ``y = 1 / max A`` of the
best-response polytope ``Q`` then has more than one label; von Stengel 2007, section 3.6).
Likewise with the players swapped when ``m = 1``.

Lemke-Howson fails on such games (its path needs both polytopes to have dimension above one)
and full enumeration is needlessly slow for long ones (62 x 1), so every method answers them
here. Comparing payoffs needs no arithmetic, so the answer is exact: floats are compared as
the binary rationals they store.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt

from sim.solver.exact import ExactGame, exact_matrix, game_solution
from sim.solver.types import EquilibriumTable, GameSolution, IntArray

__all__ = ["is_one_strategy_game", "solve_one_strategy_game", "solve_one_strategy_games"]


def is_one_strategy_game(m: int, n: int) -> bool:
    """Whether an ``m x n`` game is solved here (some player has a single strategy)."""
    return min(m, n) == 1


def solve_one_strategy_game(A: object, B: object, method: str = "enumeration") -> GameSolution:
    """Every extreme equilibrium of a one-row or one-column game, exactly.

    Parameters
    ----------
    A, B
        Payoffs ``m x n`` with ``m == 1`` or ``n == 1`` (floats are read as the binary
        rationals they store).
    method
        Recorded in :attr:`GameSolution.method` (every method gives this answer).

    Returns
    -------
    GameSolution
        With exact probabilities and payoffs (``exact=True``).
    """
    Ae, Be = exact_matrix(A), exact_matrix(B)
    m, n = len(Ae), len(Ae[0])
    if not is_one_strategy_game(m, n):
        raise ValueError(f"a {m}x{n} game has more than one strategy for each player")
    rows: tuple[tuple[Fraction, ...], ...]
    cols: tuple[tuple[Fraction, ...], ...]
    if n == 1:
        values = [row[0] for row in Ae]
        best = [i for i, v in enumerate(values) if v == max(values)]
        rows = tuple(tuple(Fraction(int(i == b)) for i in range(m)) for b in best)
        cols = tuple((Fraction(1),) for _ in best)
        payoffs = tuple((Ae[b][0], Be[b][0]) for b in best)
        x_ids, y_ids = tuple(best), tuple(0 for _ in best)
    else:
        values = list(Be[0])
        best = [j for j, v in enumerate(values) if v == max(values)]
        rows = tuple((Fraction(1),) for _ in best)
        cols = tuple(tuple(Fraction(int(j == b)) for j in range(n)) for b in best)
        payoffs = tuple((Ae[0][b], Be[0][b]) for b in best)
        x_ids, y_ids = tuple(0 for _ in best), tuple(best)
    # Pure strategies in index order: the report order of solve_games (support bitmasks).
    result = ExactGame(rows, cols, payoffs, x_ids, y_ids, degenerate=len(best) > 1)
    return game_solution(result, method=method)


def solve_one_strategy_games(
    A: npt.ArrayLike, B: npt.ArrayLike
) -> tuple[EquilibriumTable, IntArray, IntArray]:
    """Every extreme equilibrium of each game of a stack ``(K, m, n)`` with ``min(m, n) == 1``.

    Vectorised over the stack; ties are exact float equality (no tolerance is needed since
    nothing is computed). Returns the table and the strategy ids of each equilibrium (for
    components), unique over the stack.
    """
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    K, m, n = Aa.shape
    if not is_one_strategy_game(m, n):
        raise ValueError(f"a {m}x{n} game has more than one strategy for each player")
    # The payoffs the single-strategy player's opponent compares: (K, choices).
    values = Aa[:, :, 0] if n == 1 else Ba[:, 0, :]
    best = values == values.max(axis=1, keepdims=True)
    game, choice = np.nonzero(best)  # row-major: by game, then choice in index order
    count = best.sum(axis=1).astype(np.int64)
    width = values.shape[1]
    pure = np.zeros((game.size, width), dtype=np.float64)
    pure[np.arange(game.size), choice] = 1.0
    ones = np.ones((game.size, 1), dtype=np.float64)
    row, col = (pure, ones) if n == 1 else (ones, pure)
    # With one strategy on one side, each game's cells form a single line of ``width``.
    payoffs = np.stack(
        [Aa.reshape(K, width)[game, choice], Ba.reshape(K, width)[game, choice]], axis=1
    )
    table = EquilibriumTable(
        game_index=game.astype(np.int64),
        row=row,
        col=col,
        payoffs=payoffs,
        component=np.zeros(game.size, dtype=np.int64),
        degenerate=count > 1,
        count=count,
    )
    # Strategy ids: the chosen pure strategy (distinct within a game), the other player's
    # single strategy shared; offset by game so ids never repeat across games.
    chosen_ids = game * width + choice
    shared_ids = game.astype(np.int64)
    x_ids, y_ids = (chosen_ids, shared_ids) if n == 1 else (shared_ids, chosen_ids)
    return table, x_ids.astype(np.int64), y_ids.astype(np.int64)
