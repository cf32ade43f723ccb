"""Disagreement (threat) points from a bimatrix game: a cell, a stage equilibrium, minmax values.

- A **cell**: the payoffs of one outcome, e.g. the snap-back (Restrict, Tighten).
- A **stage Nash equilibrium** chosen by a rule (:data:`~sim.games.bargaining_types.
  EQUILIBRIUM_RULES`), found with :func:`sim.solver.solve_game` (every extreme equilibrium,
  degenerate games included) and, for rational payoffs, made exact by solving the support's
  indifference equations in rational arithmetic and checking the result exactly.
- The **minmax values**: player 0's is ``min_y max_i (A y)_i``, the value of the zero-sum game
  ``A``; player 1's is the value of ``B^T``. Point API: the linear programme
  ``max 1.z s.t. M' z <= 1, z >= 0`` with ``M' = M - min(M) + 1 > 0`` (value ``1 / 1.z* + min(M)
  - 1``; von Neumann and Morgenstern 1944; Dantzig 1951) solved by the simplex method in exact
  rational arithmetic with Bland's (1977) anti-cycling rule. Stack API: the value of each
  zero-sum game as the payoff of its equilibria, from the batched :func:`sim.solver.solve_games`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

import numpy as np

from sim.games.bargaining_types import (
    EQUILIBRIUM_RULES,
    BargainingError,
    CellDisagreement,
    Disagreement,
    DisagreementOption,
    EquilibriumDisagreement,
    GivenDisagreement,
    MinmaxDisagreement,
    as_fraction,
    is_rational,
)

Matrix = list[list[Fraction]]


def fraction_matrix(M: object, option: str) -> Matrix:
    """A payoff matrix (nested sequences or a 2-D array) as rows of exact Fractions.

    Raises
    ------
    BargainingError
        Not a non-empty rectangular matrix of finite numbers.
    """
    rows = M.tolist() if isinstance(M, np.ndarray) else M
    if (
        not isinstance(rows, Sequence)
        or not rows
        or not all(isinstance(r, Sequence) and len(r) == len(rows[0]) and len(r) > 0 for r in rows)
    ):
        raise BargainingError(option, "expected a non-empty rectangular matrix of payoffs")
    return [[as_fraction(x, option) for x in row] for row in rows]


def _check_game(A: Matrix, B: Matrix) -> None:
    if len(A) != len(B) or len(A[0]) != len(B[0]):
        raise BargainingError(
            "payoffs",
            f"the two payoff matrices differ in shape ({len(A)}x{len(A[0])} and "
            f"{len(B)}x{len(B[0])}); give one payoff per cell for each player",
        )


def zero_sum_value(M: Matrix) -> tuple[Fraction, tuple[Fraction, ...]]:
    """Exact value of the zero-sum game ``M`` (row player maximises) and an optimal strategy
    of the column player (the minimiser), by the simplex method with Bland's rule.

    Returns
    -------
    value, column_strategy
        ``min_y max_i (M y)_i`` and a minimising ``y``.
    """
    m, n = len(M), len(M[0])
    shift = 1 - min(min(row) for row in M)
    # Tableau rows: [M' | I | 1]; basis starts at the slacks (the origin is feasible).
    tableau = [
        [x + shift for x in M[i]] + [Fraction(int(i == k)) for k in range(m)] + [Fraction(1)]
        for i in range(m)
    ]
    basis = [n + i for i in range(m)]
    cost = [Fraction(1)] * n + [Fraction(0)] * m  # maximise the sum of the z's
    while True:
        reduced = [
            cost[j] - sum((cost[basis[i]] * tableau[i][j] for i in range(m)), Fraction(0))
            for j in range(n + m)
        ]
        entering = next((j for j in range(n + m) if reduced[j] > 0), None)
        if entering is None:
            break
        ratios = [
            (tableau[i][-1] / tableau[i][entering], basis[i], i)
            for i in range(m)
            if tableau[i][entering] > 0
        ]
        # bounded: every column of M' is positive, so some ratio exists
        _, _, leave = min(ratios)
        pivot = tableau[leave][entering]
        tableau[leave] = [x / pivot for x in tableau[leave]]
        for i in range(m):
            if i != leave and tableau[i][entering] != 0:
                factor = tableau[i][entering]
                tableau[i] = [
                    x - factor * y for x, y in zip(tableau[i], tableau[leave], strict=True)
                ]
        basis[leave] = entering
    z = [Fraction(0)] * n
    for i, var in enumerate(basis):
        if var < n:
            z[var] = tableau[i][-1]
    total = sum(z, Fraction(0))
    return 1 / total - shift, tuple(x / total for x in z)


def minmax_values(A: Matrix, B: Matrix) -> Disagreement:
    """Each player's minmax (punishment) value, exactly, with the punishing strategies."""
    _check_game(A, B)
    v0, punish0 = zero_sum_value(A)
    transposed = [list(col) for col in zip(*B, strict=True)]
    v1, punish1 = zero_sum_value(transposed)
    return Disagreement((v0, v1), "minmax", strategies=(punish0, punish1))


def _solve_exact(rows: Matrix, rhs: list[Fraction]) -> list[Fraction] | None:
    """The unique solution of ``rows @ x = rhs`` by Gaussian elimination, or ``None`` when the
    system is inconsistent or has many solutions."""
    n_unknowns = len(rows[0])
    aug = [[*list(r), b] for r, b in zip(rows, rhs, strict=True)]
    pivot_row = 0
    for col in range(n_unknowns):
        found = next((r for r in range(pivot_row, len(aug)) if aug[r][col] != 0), None)
        if found is None:
            return None
        aug[pivot_row], aug[found] = aug[found], aug[pivot_row]
        p = aug[pivot_row][col]
        aug[pivot_row] = [x / p for x in aug[pivot_row]]
        for r in range(len(aug)):
            if r != pivot_row and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [x - f * y for x, y in zip(aug[r], aug[pivot_row], strict=True)]
        pivot_row += 1
    if any(row[-1] != 0 for row in aug[pivot_row:]):
        return None
    return [aug[i][-1] for i in range(n_unknowns)]


def _indifferent_mix(M: Matrix, own: Sequence[int], other: Sequence[int]) -> list[Fraction] | None:
    """The opponent's mix on ``other`` that makes the rows ``own`` of ``M`` pay the same."""
    rows = [[M[i][j] for j in other] + [Fraction(-1)] for i in own]
    rows.append([Fraction(1)] * len(other) + [Fraction(0)])
    rhs = [Fraction(0)] * len(own) + [Fraction(1)]
    solution = _solve_exact(rows, rhs)
    if solution is None:
        return None
    mix = [Fraction(0)] * len(M[0])
    for j, p in zip(other, solution[:-1], strict=True):
        mix[j] = p
    return mix


def _is_equilibrium(A: Matrix, B: Matrix, x: list[Fraction], y: list[Fraction]) -> bool:
    if min(x) < 0 or min(y) < 0 or sum(x) != 1 or sum(y) != 1:
        return False
    row_values = [sum((a * q for a, q in zip(row, y, strict=True)), Fraction(0)) for row in A]
    col_values = [sum((B[i][j] * x[i] for i in range(len(x))), Fraction(0)) for j in range(len(y))]
    best_r, best_c = max(row_values), max(col_values)
    return all(row_values[i] == best_r for i in range(len(x)) if x[i] > 0) and all(
        col_values[j] == best_c for j in range(len(y)) if y[j] > 0
    )


def exact_equilibrium(
    A: Matrix, B: Matrix, row: np.ndarray, col: np.ndarray
) -> tuple[list[Fraction], list[Fraction]] | None:
    """The exact equilibrium that the float one ``(row, col)`` approximates, or ``None``.

    First the supports' indifference equations are solved exactly; when they do not pin the
    strategies down (degenerate games), the float probabilities are rounded to nearby
    fractions. Either candidate is accepted only if it is exactly an equilibrium.
    """
    rows_support = [i for i in range(len(A)) if row[i] > 1e-9]
    cols_support = [j for j in range(len(A[0])) if col[j] > 1e-9]
    y = _indifferent_mix(A, rows_support, cols_support)
    transposed = [list(c) for c in zip(*B, strict=True)]
    x = _indifferent_mix(transposed, cols_support, rows_support)
    if x is not None and y is not None and _is_equilibrium(A, B, x, y):
        return x, y
    x = [Fraction(float(p)).limit_denominator(10**6) for p in row]
    y = [Fraction(float(q)).limit_denominator(10**6) for q in col]
    return (x, y) if _is_equilibrium(A, B, x, y) else None


def _expected(A: Matrix, x: Sequence[Fraction], y: Sequence[Fraction]) -> Fraction:
    return sum((x[i] * A[i][j] * y[j] for i in range(len(x)) for j in range(len(y))), Fraction(0))


def _check_cell(row: int, col: int, A: Matrix, option: str) -> None:
    m, n = len(A), len(A[0])
    if not (0 <= row < m and 0 <= col < n):
        raise BargainingError(
            option,
            f"cell ({row}, {col}) is outside the {m}x{n} game; rows run 0..{m - 1} and "
            f"columns 0..{n - 1}",
        )


def equilibrium_disagreement(A: Matrix, B: Matrix, option: EquilibriumDisagreement) -> Disagreement:
    """The stage Nash equilibrium picked by ``option.rule``, with exact payoffs."""
    from sim.solver import solve_game

    _check_game(A, B)
    if option.rule not in EQUILIBRIUM_RULES:
        raise BargainingError(
            "disagreement.rule",
            f"unknown rule {option.rule!r}; choose one of {', '.join(EQUILIBRIUM_RULES)}",
        )
    Af = np.array([[float(x) for x in r] for r in A])
    Bf = np.array([[float(x) for x in r] for r in B])
    equilibria = solve_game(Af, Bf).equilibria
    exact: list[tuple[list[Fraction], list[Fraction]]] = []
    for eq in equilibria:
        found = exact_equilibrium(A, B, eq.row, eq.col)
        if found is None:
            raise BargainingError(
                "disagreement",
                "an equilibrium of this game could not be made exact; give the disagreement "
                "point as numbers instead",
            )
        exact.append(found)
    payoffs = [(_expected(A, x, y), _expected(B, x, y)) for x, y in exact]
    chosen = _choose(option, exact, payoffs, A)
    x, y = exact[chosen]
    pure_row = [i for i, p in enumerate(x) if p == 1]
    pure_col = [j for j, q in enumerate(y) if q == 1]
    cell = (pure_row[0], pure_col[0]) if pure_row and pure_col else None
    return Disagreement(
        payoffs[chosen],
        "equilibrium",
        cell=cell,
        rule=option.rule,
        equilibrium_count=len(exact),
        strategies=(tuple(x), tuple(y)),
    )


def _choose(
    option: EquilibriumDisagreement,
    exact: list[tuple[list[Fraction], list[Fraction]]],
    payoffs: list[tuple[Fraction, Fraction]],
    A: Matrix,
) -> int:
    order = range(len(payoffs))
    if option.rule == "lowest_total":
        return min(order, key=lambda e: (payoffs[e][0] + payoffs[e][1], payoffs[e][0], e))
    if option.rule == "worst_for_player_1":
        return min(order, key=lambda e: (payoffs[e][0], payoffs[e][1], e))
    if option.rule == "worst_for_player_2":
        return min(order, key=lambda e: (payoffs[e][1], payoffs[e][0], e))
    if option.rule == "index":
        if option.index is None or not 0 <= option.index < len(payoffs):
            raise BargainingError(
                "disagreement.index",
                f"equilibrium index {option.index} does not exist; the game has "
                f"{len(payoffs)} equilibria, numbered 0..{len(payoffs) - 1}",
            )
        return option.index
    if option.cell is None:
        raise BargainingError("disagreement.cell", "rule 'cell' needs a cell; give (row, column)")
    row, col = option.cell
    _check_cell(row, col, A, "disagreement.cell")
    for e, (x, y) in enumerate(exact):
        if x[row] == 1 and y[col] == 1:
            return e
    raise BargainingError(
        "disagreement.cell",
        f"cell ({row}, {col}) is not a Nash equilibrium of the stage game; choose an "
        "equilibrium cell or another rule",
    )


def resolve_disagreement(
    option: DisagreementOption, A: object = None, B: object = None
) -> Disagreement:
    """The disagreement point of ``option``, exact for rational inputs.

    Parameters
    ----------
    option
        Given numbers, a cell, a stage-equilibrium rule or the minmax values.
    A, B
        The game's payoff matrices (needed by every option but given numbers).

    Raises
    ------
    BargainingError
        Bad numbers, a cell outside the game, a cell that is not an equilibrium, no game.
    """
    if isinstance(option, GivenDisagreement):
        if len(option.payoffs) != 2:
            raise BargainingError("disagreement", "give exactly two numbers, one per player")
        d = (
            as_fraction(option.payoffs[0], "disagreement"),
            as_fraction(option.payoffs[1], "disagreement"),
        )
        return Disagreement(d, "given", exact=all(is_rational(x) for x in option.payoffs))
    if A is None or B is None:
        raise BargainingError(
            "disagreement",
            "a cell, an equilibrium or minmax values need the game's payoff matrices; give "
            "them, or give the disagreement point as numbers",
        )
    Am, Bm = fraction_matrix(A, "payoffs"), fraction_matrix(B, "payoffs")
    _check_game(Am, Bm)
    rational = matrix_is_rational(A) and matrix_is_rational(B)
    if isinstance(option, CellDisagreement):
        _check_cell(option.row, option.col, Am, "disagreement.cell")
        found = Disagreement(
            (Am[option.row][option.col], Bm[option.row][option.col]),
            "cell",
            cell=(option.row, option.col),
        )
    elif isinstance(option, MinmaxDisagreement):
        found = minmax_values(Am, Bm)
    else:
        found = equilibrium_disagreement(Am, Bm, option)
    return replace(found, exact=rational)


def matrix_is_rational(M: object) -> bool:
    """Every entry of ``M`` is an ``int`` or a ``Fraction`` (a float array never is)."""
    if isinstance(M, np.ndarray):
        if M.dtype.kind in "iu":
            return True
        return M.dtype == object and all(is_rational(x) for x in M.ravel())
    rows = M if isinstance(M, Sequence) else []
    return all(is_rational(x) for row in rows for x in row)


# --------------------------------------------------------------------------------------------
# Stack versions: (K, m, n) payoffs -> (K, 2) disagreement points, NaN where undefined


def minmax_values_stack(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``(K, 2)`` minmax values of a stack of games: player 0's is the value of the zero-sum
    game ``(A, -A)``, player 1's that of ``(-B, B)``, read off their equilibria (every
    equilibrium of a zero-sum game pays its value)."""
    from sim.solver import solve_games

    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    out = np.full((A.shape[0], 2), np.nan)
    for player, table in enumerate((solve_games(A, -A), solve_games(-B, B))):
        first = table.offsets()[:-1]
        has = table.count > 0
        out[has, player] = table.payoffs[first[has], player]
    return out


def cell_disagreement_stack(A: np.ndarray, B: np.ndarray, row: int, col: int) -> np.ndarray:
    """``(K, 2)`` payoffs of one cell across a stack of games."""
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    _, m, n = A.shape
    if not (0 <= row < m and 0 <= col < n):
        raise BargainingError(
            "disagreement.cell", f"cell ({row}, {col}) is outside the {m}x{n} game"
        )
    return np.stack([A[:, row, col], B[:, row, col]], axis=1)


def equilibrium_disagreement_stack(
    A: np.ndarray, B: np.ndarray, option: EquilibriumDisagreement
) -> np.ndarray:
    """``(K, 2)`` payoffs of the stage equilibrium picked by ``option.rule`` in each game of a
    stack (NaN where the rule finds none, e.g. the named cell is not an equilibrium there).
    Vectorised over the solver's columnar table: one lexicographic sort, first row per game."""
    from sim.solver import solve_games

    if option.rule not in EQUILIBRIUM_RULES:
        raise BargainingError(
            "disagreement.rule",
            f"unknown rule {option.rule!r}; choose one of {', '.join(EQUILIBRIUM_RULES)}",
        )
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    K, m, n = A.shape
    table = solve_games(A, B)
    pay = table.payoffs
    games = table.game_index
    position = np.arange(len(table)) - table.offsets()[:-1][games]
    keep = np.ones(len(table), dtype=bool)
    if option.rule == "index":
        if option.index is None or option.index < 0:
            raise BargainingError("disagreement.index", "give a non-negative equilibrium index")
        keep = position == option.index
        keys: tuple[np.ndarray, ...] = (position,)
    elif option.rule == "cell":
        if option.cell is None:
            raise BargainingError(
                "disagreement.cell", "rule 'cell' needs a cell; give (row, column)"
            )
        row, col = option.cell
        if not (0 <= row < m and 0 <= col < n):
            raise BargainingError(
                "disagreement.cell", f"cell ({row}, {col}) is outside the {m}x{n} game"
            )
        keep = (table.row[:, row] > 1 - 1e-9) & (table.col[:, col] > 1 - 1e-9)
        keys = (position,)
    elif option.rule == "lowest_total":
        keys = (position, pay[:, 0], pay[:, 0] + pay[:, 1])
    elif option.rule == "worst_for_player_1":
        keys = (position, pay[:, 1], pay[:, 0])
    else:
        keys = (position, pay[:, 0], pay[:, 1])
    rows = np.flatnonzero(keep)
    order = rows[np.lexsort((*tuple(k[rows] for k in keys), games[rows]))]
    first = np.ones(order.size, dtype=bool)
    first[1:] = games[order][1:] != games[order][:-1]
    chosen = order[first]
    out = np.full((K, 2), np.nan)
    out[games[chosen]] = pay[chosen]
    return out
