"""Risk dominance and payoff dominance over a stack of K games, vectorised.

The same definitions as :mod:`sim.games.selection` (Harsanyi and Selten 1988, section 3.9;
the restricted-game criterion beyond 2x2), evaluated with loops over cells and pairs of
cells only, never over the K games, so that a sweep labels a million points at array speed.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from sim.games.selection_base import (
    CODE_NO_WINNER,
    CODE_NONE,
    CODE_TIE,
    TIE_TOL,
    BoolArray,
    FloatArray,
    GameOptionError,
    IntArray,
    cell_code,
    support_code,
)


# ---------------------------------------------------------------------------------------------
# Stack APIs: labels over K games, vectorised (loops run over cells and pairs, never over K)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SelectionStack:
    """A selection label for each game of a stack ``(K, m, n)``.

    Attributes
    ----------
    label
        ``(K,)`` int64 code: :data:`CODE_NONE`, :data:`CODE_TIE`, :data:`CODE_NO_WINNER`, or
        the :func:`support_code` of the selected equilibrium (decode with
        :func:`describe_code`).
    tie
        ``(K,)`` bool: the game lies on a tie (a strictness margin or a decisive difference
        within tolerance of zero): a boundary point.
    decisive
        ``(K, D)`` float: continuous functions of the payoffs whose signs determine the label
        (``decisive_names`` says what each is), or ``None``.
    decisive_names
        Names of the ``D`` columns of ``decisive``.
    values
        Continuous outputs, ``(K,)`` float each (NaN where undefined).
    """

    label: IntArray
    tie: BoolArray
    decisive: FloatArray | None
    decisive_names: tuple[str, ...]
    values: dict[str, FloatArray]


def _stack(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    if Aa.ndim != 3 or Aa.shape != Ba.shape or Aa.shape[1] < 1 or Aa.shape[2] < 1:
        raise GameOptionError(
            "payoffs", f"payoff stacks must both have shape (K, m, n); got {Aa.shape}, {Ba.shape}"
        )
    if not (np.all(np.isfinite(Aa)) and np.all(np.isfinite(Ba))):
        raise GameOptionError("payoffs", "every payoff must be a finite number")
    return Aa, Ba


def strictness_margins(A: FloatArray, B: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``(K, m, n)`` margins: ``A[i, j] - max_{i' != i} A[i', j]`` and the column analogue.

    Cell ``(i, j)`` is a strict equilibrium exactly when both margins are positive (``+inf``
    when a player has a single strategy).
    """
    K, m, n = A.shape
    row_margin = np.full((K, m, n), np.inf)
    col_margin = np.full((K, m, n), np.inf)
    for i in range(m):
        others = [k for k in range(m) if k != i]
        if others:
            row_margin[:, i, :] = A[:, i, :] - A[:, others, :].max(axis=1)
    for j in range(n):
        others = [k for k in range(n) if k != j]
        if others:
            col_margin[:, :, j] = B[:, :, j] - B[:, :, others].max(axis=2)
    return row_margin, col_margin


def _cell_pairs(m: int, n: int) -> list[tuple[int, int, int, int]]:
    """Pairs of cells ``(i, j) < (i2, j2)`` in different rows and columns."""
    cells = [(i, j) for i in range(m) for j in range(n)]
    return [(i, j, i2, j2) for (i, j), (i2, j2) in combinations(cells, 2) if i != i2 and j != j2]


def _tolerances(A: FloatArray, B: FloatArray) -> FloatArray:
    spread = np.maximum(np.ptp(A, axis=(1, 2)), np.ptp(B, axis=(1, 2)))
    return TIE_TOL * np.maximum(spread, 1e-300)


def risk_dominance_stack(A: npt.ArrayLike, B: npt.ArrayLike) -> SelectionStack:
    """The risk-dominant equilibrium of each game of a stack, as a label.

    Same definitions as :func:`sim.games.selection.risk_dominance` (restricted-game criterion
    beyond 2x2). The label is the cell code of the strict equilibrium that risk-dominates every
    other strict equilibrium (or of the only strict equilibrium), :data:`CODE_NONE` without strict
    equilibria, :data:`CODE_TIE` for equal Nash products at the top, :data:`CODE_NO_WINNER`
    for a cycle.

    ``decisive`` holds the row and the column strictness margins of every cell
    (:func:`strictness_margins`) and, for every pair of cells in different rows and columns,
    the difference of Nash products ``u_e v_e - u_f v_f`` of the restricted 2x2 game: the signs
    of these functions determine the label. ``values["threshold_sum"]`` is the sum of the two
    belief thresholds of the selected equilibrium against its strongest rival (below one when
    it risk-dominates; NaN when undefined).
    """
    A3, B3 = _stack(A, B)
    K, m, n = A3.shape
    tol = _tolerances(A3, B3)
    row_margin, col_margin = strictness_margins(A3, B3)
    strict = (row_margin > tol[:, None, None]) & (col_margin > tol[:, None, None])
    near = (row_margin > -tol[:, None, None]) & (col_margin > -tol[:, None, None])
    tie = np.any(near & ~strict, axis=(1, 2))
    pairs = _cell_pairs(m, n)
    cells = m * n
    beats = np.zeros((K, cells, cells), dtype=bool)
    ties = np.zeros((K, cells, cells), dtype=bool)
    sums = np.full((K, cells, cells), np.nan)
    differences = np.zeros((K, len(pairs)))
    for p, (i, j, i2, j2) in enumerate(pairs):
        u_e = A3[:, i, j] - A3[:, i2, j]
        v_e = B3[:, i, j] - B3[:, i, j2]
        u_f = A3[:, i2, j2] - A3[:, i, j2]
        v_f = B3[:, i2, j2] - B3[:, i2, j]
        difference = u_e * v_e - u_f * v_f
        differences[:, p] = difference
        valid = strict[:, i, j] & strict[:, i2, j2]
        big = tol * tol * 1e9  # TIE_TOL times the spread squared
        e, f = i * n + j, i2 * n + j2
        beats[:, e, f] = valid & (difference > big)
        beats[:, f, e] = valid & (difference < -big)
        level = valid & (np.abs(difference) <= big)
        ties[:, e, f] = ties[:, f, e] = level
        with np.errstate(divide="ignore", invalid="ignore"):
            sums[:, e, f] = np.where(valid, u_f / (u_e + u_f) + v_f / (v_e + v_f), np.nan)
            sums[:, f, e] = np.where(valid, 2.0 - sums[:, e, f], np.nan)
    flat = strict.reshape(K, cells)
    n_strict = flat.sum(axis=1)
    # Non-strict cells drop out of the comparison: count them as beaten / tied.
    others = ~np.eye(cells, dtype=bool)[None]
    absent = ~flat[:, None, :]
    wins = flat & np.all(beats | absent | ~others, axis=2)
    weak = flat & np.all(beats | ties | absent | ~others, axis=2)
    label = np.full(K, CODE_NONE, dtype=np.int64)
    threshold_sum = np.full(K, np.nan)
    cell_codes = np.array([cell_code(c // n, c % n, n) for c in range(cells)], dtype=np.int64)
    has_winner = wins.any(axis=1)
    winner = np.argmax(wins, axis=1)
    label[has_winner] = cell_codes[winner[has_winner]]
    label[~has_winner & (n_strict >= 2) & weak.any(axis=1)] = CODE_TIE
    label[~has_winner & (n_strict >= 2) & ~weak.any(axis=1)] = CODE_NO_WINNER
    rows = np.flatnonzero(has_winner & (n_strict >= 2))
    if rows.size:
        rival_sums = sums[rows, winner[rows], :]
        threshold_sum[rows] = np.nanmax(rival_sums, axis=1)
    tie = tie | (label == CODE_TIE) | np.any(ties, axis=(1, 2))
    names = (
        *(f"row_margin[{i},{j}]" for i in range(m) for j in range(n)),
        *(f"col_margin[{i},{j}]" for i in range(m) for j in range(n)),
        *(f"nash_product_difference[{i},{j};{i2},{j2}]" for i, j, i2, j2 in pairs),
    )
    decisive = np.concatenate(
        [row_margin.reshape(K, cells), col_margin.reshape(K, cells), differences], axis=1
    )
    return SelectionStack(label, tie, decisive, names, {"threshold_sum": threshold_sum})


def payoff_dominance_stack(A: npt.ArrayLike, B: npt.ArrayLike) -> SelectionStack:
    """The payoff-dominant equilibrium of each game of a stack, as a label.

    For 2x2 games the label is computed in closed form, vectorised: in a 2x2 game whose pure
    equilibria are strict, the mixed equilibrium never payoff-dominates and is dominated by
    whichever pure equilibrium dominates the other one. Proof: with two strict equilibria on
    the diagonal, the row player's mixed-equilibrium payoff is both ``q A00 + (1-q) A01`` and
    ``q A10 + (1-q) A11`` (``0 < q < 1``), which is below ``max(A00, A11)`` because
    ``A01 < A11``; likewise for the column player and for the anti-diagonal. So the label is
    decided by the pure cells: the unique equilibrium when there is one (a generic 2x2 game
    then has no other), otherwise the strict equilibrium better for both players than the
    other. Games with a strictness margin within tolerance of zero (degenerate, flagged as
    ties) and larger games use the solver's equilibria (:func:`sim.solver.solve_games`).

    ``decisive`` (2x2 only, else ``None``): the strictness margins of the four cells and the
    payoff differences ``A[e] - A[f]``, ``B[e] - B[f]`` of the diagonal pair and of the
    anti-diagonal pair.
    """
    A3, B3 = _stack(A, B)
    K, m, n = A3.shape
    tol = _tolerances(A3, B3)
    if (m, n) != (2, 2):
        label, tie = _payoff_dominance_solved(A3, B3, tol)
        return SelectionStack(label, tie, None, (), {})
    row_margin, col_margin = strictness_margins(A3, B3)
    strict = (row_margin > tol[:, None, None]) & (col_margin > tol[:, None, None])
    degenerate = np.any(np.abs(row_margin) <= tol[:, None, None], axis=(1, 2)) | np.any(
        np.abs(col_margin) <= tol[:, None, None], axis=(1, 2)
    )
    n_strict = strict.sum(axis=(1, 2))
    label = np.full(K, CODE_NONE, dtype=np.int64)
    # No pure equilibrium in a generic 2x2 game: the unique equilibrium is fully mixed.
    label[n_strict == 0] = support_code(0b11, 0b11, 2)
    single = n_strict == 1
    flat = strict.reshape(K, 4)
    cell = np.argmax(flat, axis=1)
    codes = np.array([cell_code(c // 2, c % 2, 2) for c in range(4)], dtype=np.int64)
    label[single] = codes[cell[single]]
    tie = degenerate.copy()
    decisive_parts = [row_margin.reshape(K, 4), col_margin.reshape(K, 4)]
    for (i, j), (i2, j2) in (((0, 0), (1, 1)), ((0, 1), (1, 0))):
        dA = A3[:, i, j] - A3[:, i2, j2]
        dB = B3[:, i, j] - B3[:, i2, j2]
        decisive_parts += [dA[:, None], dB[:, None]]
        both = (n_strict == 2) & strict[:, i, j] & strict[:, i2, j2]
        first = both & (dA > tol) & (dB > tol)
        second = both & (dA < -tol) & (dB < -tol)
        level = both & ((np.abs(dA) <= tol) | (np.abs(dB) <= tol))
        label[first] = cell_code(i, j, 2)
        label[second] = cell_code(i2, j2, 2)
        label[both & ~first & ~second] = CODE_NO_WINNER
        label[level & ~first & ~second] = CODE_TIE
        tie |= level
    if np.any(degenerate):
        rows = np.flatnonzero(degenerate)
        solved, _ = _payoff_dominance_solved(A3[rows], B3[rows], tol[rows])
        label[rows] = solved
    names = (
        *(f"row_margin[{i},{j}]" for i in range(2) for j in range(2)),
        *(f"col_margin[{i},{j}]" for i in range(2) for j in range(2)),
        "row_payoff_difference[0,0;1,1]",
        "col_payoff_difference[0,0;1,1]",
        "row_payoff_difference[0,1;1,0]",
        "col_payoff_difference[0,1;1,0]",
    )
    return SelectionStack(label, tie, np.concatenate(decisive_parts, axis=1), names, {})


def _payoff_dominance_solved(
    A: FloatArray, B: FloatArray, tol: FloatArray
) -> tuple[IntArray, BoolArray]:
    """Payoff-dominance labels from the solver's equilibria (padded arrays, no loop over K)."""
    from sim.solver import solve_games

    K, m, n = A.shape
    table = solve_games(A, B)
    offsets = table.offsets()
    count = np.asarray(table.count)
    width = max(1, int(count.max()) if count.size else 1)
    slot = np.arange(len(table)) - offsets[np.asarray(table.game_index)]
    pay = np.full((K, width, 2), np.nan)
    pay[table.game_index, slot] = table.payoffs
    codes = np.zeros((K, width), dtype=np.int64)
    row_masks = (np.asarray(table.row) > 0) @ (1 << np.arange(m))
    col_masks = (np.asarray(table.col) > 0) @ (1 << np.arange(n))
    codes[table.game_index, slot] = (row_masks.astype(np.int64) << n) | col_masks
    valid = ~np.isnan(pay[:, :, 0])
    t = tol[:, None, None]
    d0 = pay[:, :, None, 0] - pay[:, None, :, 0]
    d1 = pay[:, :, None, 1] - pay[:, None, :, 1]
    beats = (d0 > t) & (d1 > t)
    weak = (d0 >= -t) & (d1 >= -t)
    ignore = ~valid[:, None, :] | np.eye(width, dtype=bool)[None]
    wins = valid & np.all(beats | ignore, axis=2)
    weak_wins = valid & np.all(weak | ignore, axis=2)
    label = np.full(K, CODE_NO_WINNER, dtype=np.int64)
    label[count == 0] = CODE_NONE
    has = wins.any(axis=1)
    label[has] = codes[np.arange(K), np.argmax(wins, axis=1)][has]
    tied = ~has & weak_wins.any(axis=1)
    label[tied] = CODE_TIE
    return label, tied | np.asarray(table.degenerate, dtype=bool)
