"""Which equilibrium? Risk dominance and payoff dominance, at one point and over a stack.

The shared vocabulary (exact payoffs, label codes, the options error) is in
:mod:`sim.games.selection_base`; the vectorised stack versions are in
:mod:`sim.games.selection_stack`.

Definitions
-----------
*Strict equilibrium*: a pure profile ``(i, j)`` where each player loses by any unilateral
deviation: ``A[i, j] > A[i', j]`` for every ``i' != i`` and ``B[i, j] > B[i, j']`` for every
``j' != j``. Two strict equilibria never share a row or a column (the other player's strict
best reply is unique).

*Risk dominance* (J. C. Harsanyi and R. Selten, *A General Theory of Equilibrium Selection in
Games*, MIT Press 1988, section 3.9): in a 2x2 game with two strict equilibria ``e = (i, j)``
and ``f = (i', j')``, the *deviation losses* at ``e`` are ``u_e = A[i, j] - A[i', j]`` (row) and
``v_e = B[i, j] - B[i, j']`` (column); ``e`` risk-dominates ``f`` when the Nash product
``u_e v_e`` exceeds ``u_f v_f``. Equivalently (derived in :class:`RiskComparison`), the
belief thresholds of ``e`` add up to less than one. For larger games this module uses the
**restricted-game criterion**: ``e`` risk-dominates ``f`` when it does so in the 2x2 game
restricted to the strategies ``{i, i'} x {j, j'}`` of the two equilibria (the pairwise
comparison of Harsanyi and Selten's 2x2 axioms, as used for pairs of strict equilibria by
A. Kandori, G. Mailath and R. Rob, *Econometrica* 61, 1993, and S. Morris, R. Rob and H. S. Shin,
*Econometrica* 63, 1995, section 2). Harsanyi and Selten's own definition for larger games runs
the tracing procedure and can disagree with it. *The* risk-dominant equilibrium is the strict
equilibrium that risk-dominates every other strict equilibrium; with three or more the pairwise
relation can cycle, and then there is none.

*Payoff dominance* (Harsanyi and Selten 1988, section 3.9): equilibrium ``e`` payoff-dominates
``f`` when *both* players get strictly more at ``e``. The payoff-dominant equilibrium is the one
that payoff-dominates every other equilibrium (mixed ones included).

Exactness: payoffs given as integers or :class:`fractions.Fraction` give exact results
(Fractions); float payoffs give floats, compared with a tie tolerance of ``1e-9`` times the
payoff spread, so that a rational game read as floats gets the same labels except exactly on a
tie (flagged).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from sim.games.selection_base import (
    TIE_TOL,
    BoolArray,
    Payoffs,
    Scalar,
    exact_profile,
    is_positive,
    json_number,
    payoff_spread,
    read_payoffs,
)

if TYPE_CHECKING:
    from sim.solver import GameSolution


# ---------------------------------------------------------------------------------------------
# Strict equilibria and risk dominance at one point
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StrictEquilibrium:
    """A strict pure equilibrium.

    Attributes
    ----------
    row, col
        The row and the column player's strategy (0-based).
    payoffs
        ``(A[row, col], B[row, col])``.
    index
        Position of this equilibrium in the solver's list (``GameSolution.equilibria``), or
        ``None`` when no solution was given.
    """

    row: int
    col: int
    payoffs: tuple[Scalar, Scalar]
    index: int | None


@dataclass(frozen=True)
class RiskComparison:
    """Harsanyi-Selten risk dominance between two strict equilibria (restricted 2x2 game).

    With ``first = (i, j)`` and ``second = (i', j')``, the losses are
    ``row_loss_first = A[i, j] - A[i', j]`` (what the row player loses by switching alone from
    the first equilibrium to its strategy in the second), ``col_loss_first = B[i, j] - B[i,
    j']``, and likewise at the second. The *belief threshold* of the first equilibrium for the
    row player, ``row_threshold_first = row_loss_second / (row_loss_first + row_loss_second)``,
    is the probability of the column player choosing ``j`` above which ``i`` is the row
    player's better reply (within the two strategies). Since ``row_loss_first * col_loss_first
    > row_loss_second * col_loss_second`` exactly when ``(1 - r)(1 - c) > r c``, i.e. when
    ``r + c < 1`` (``r``, ``c`` the first equilibrium's thresholds), the first equilibrium
    risk-dominates when its two thresholds add up to less than one: it needs less confidence.

    Attributes
    ----------
    first, second
        Positions in :attr:`RiskDominance.strict_equilibria`.
    row_loss_first, col_loss_first, row_loss_second, col_loss_second
        Deviation losses (positive: both equilibria are strict).
    nash_product_first, nash_product_second
        ``row_loss * col_loss`` at each equilibrium.
    row_threshold_first, col_threshold_first
        Belief thresholds of the first equilibrium (those of the second are one minus these).
    winner
        ``"first"``, ``"second"`` or ``"tie"`` (equal Nash products).
    """

    first: int
    second: int
    row_loss_first: Scalar
    col_loss_first: Scalar
    row_loss_second: Scalar
    col_loss_second: Scalar
    nash_product_first: Scalar
    nash_product_second: Scalar
    row_threshold_first: Scalar
    col_threshold_first: Scalar
    winner: Literal["first", "second", "tie"]


SelectionStatus = Literal["selected", "only-one", "none", "tie", "no-winner"]


@dataclass(frozen=True)
class RiskDominance:
    """Risk dominance among the strict equilibria of one game (see the module docstring).

    Attributes
    ----------
    exact
        Numbers are Fractions (exact payoffs) rather than floats.
    strict_equilibria
        Every strict pure equilibrium, by row then column.
    comparisons
        One :class:`RiskComparison` per pair ``(a, b)``, ``a < b``.
    dominant
        Position in :attr:`strict_equilibria` of the risk-dominant equilibrium, or ``None``.
    status
        ``"selected"`` (it risk-dominates every other strict equilibrium), ``"only-one"``
        (it is the only strict equilibrium: nothing to compare), ``"none"`` (no strict
        equilibrium), ``"tie"`` (the best ones tie exactly) or ``"no-winner"`` (pairwise
        comparisons cycle).
    """

    exact: bool
    strict_equilibria: tuple[StrictEquilibrium, ...]
    comparisons: tuple[RiskComparison, ...]
    dominant: int | None
    status: SelectionStatus

    @property
    def dominant_index(self) -> int | None:
        """Index into the solver's equilibria of the risk-dominant equilibrium, or None."""
        if self.dominant is None:
            return None
        return self.strict_equilibria[self.dominant].index

    def comparison(self, a: int, b: int) -> RiskComparison:
        """The comparison of strict equilibria ``a`` and ``b`` (in that orientation or the
        other: check :attr:`RiskComparison.first`)."""
        for c in self.comparisons:
            if {c.first, c.second} == {a, b}:
                return c
        raise KeyError(f"no comparison between strict equilibria {a} and {b}")


def strict_equilibria(
    game: Payoffs, solution: GameSolution | None = None
) -> list[StrictEquilibrium]:
    """Every strict pure equilibrium of ``game`` (exact comparisons when the game is exact)."""
    m, n = game.shape
    A, B = game.matrix(0), game.matrix(1)
    tol = TIE_TOL * payoff_spread(game)
    found: list[StrictEquilibrium] = []
    for i in range(m):
        for j in range(n):
            row_ok = all(is_positive(A[i][j] - A[k][j], tol) for k in range(m) if k != i)
            col_ok = all(is_positive(B[i][j] - B[i][k], tol) for k in range(n) if k != j)
            if row_ok and col_ok:
                found.append(
                    StrictEquilibrium(i, j, (A[i][j], B[i][j]), _pure_index(solution, i, j))
                )
    return found


def _pure_index(solution: GameSolution | None, i: int, j: int) -> int | None:
    if solution is None:
        return None
    for index, eq in enumerate(solution.equilibria):
        if eq.is_pure and eq.row_support == (i,) and eq.col_support == (j,):
            return index
    return None


def risk_dominance(A: object, B: object, *, solution: GameSolution | None = None) -> RiskDominance:
    """Risk dominance (Harsanyi and Selten 1988) among the strict equilibria of ``(A, B)``.

    Parameters
    ----------
    A, B
        Payoffs ``(m, n)``: numpy arrays, or nested sequences of ints/Fractions for exact
        results.
    solution
        The solver's result for this game, so that :attr:`StrictEquilibrium.index` points
        into its equilibria (optional).

    Returns
    -------
    RiskDominance
    """
    game = read_payoffs(A, B)
    strict = strict_equilibria(game, solution)
    Am, Bm = game.matrix(0), game.matrix(1)
    tol = TIE_TOL * payoff_spread(game) ** 2
    comparisons: list[RiskComparison] = []
    beats = np.zeros((len(strict), len(strict)), dtype=bool)
    ties = np.zeros_like(beats)
    for a, b in combinations(range(len(strict)), 2):
        e, f = strict[a], strict[b]
        u_e = Am[e.row][e.col] - Am[f.row][e.col]
        v_e = Bm[e.row][e.col] - Bm[e.row][f.col]
        u_f = Am[f.row][f.col] - Am[e.row][f.col]
        v_f = Bm[f.row][f.col] - Bm[f.row][e.col]
        difference = u_e * v_e - u_f * v_f
        winner: Literal["first", "second", "tie"]
        if is_positive(difference, tol):
            winner, beats[a, b] = "first", True
        elif is_positive(-difference, tol):
            winner, beats[b, a] = "second", True
        else:
            winner, ties[a, b], ties[b, a] = "tie", True, True
        comparisons.append(
            RiskComparison(
                first=a,
                second=b,
                row_loss_first=u_e,
                col_loss_first=v_e,
                row_loss_second=u_f,
                col_loss_second=v_f,
                nash_product_first=u_e * v_e,
                nash_product_second=u_f * v_f,
                row_threshold_first=u_f / (u_e + u_f),
                col_threshold_first=v_f / (v_e + v_f),
                winner=winner,
            )
        )
    dominant, status = _tournament(beats, ties)
    return RiskDominance(game.exact, tuple(strict), tuple(comparisons), dominant, status)


def _tournament(beats: BoolArray, ties: BoolArray) -> tuple[int | None, SelectionStatus]:
    """The candidate beating every other one, from pairwise ``beats``/``ties`` matrices."""
    count = beats.shape[0]
    if count == 0:
        return None, "none"
    if count == 1:
        return 0, "only-one"
    others = ~np.eye(count, dtype=bool)
    wins_all = np.all(beats | ~others, axis=1)
    if np.any(wins_all):
        return int(np.flatnonzero(wins_all)[0]), "selected"
    if np.any(np.all(beats | ties | ~others, axis=1)):
        return None, "tie"
    return None, "no-winner"


# ---------------------------------------------------------------------------------------------
# Payoff dominance at one point
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PayoffDominance:
    """Payoff dominance (Harsanyi and Selten 1988) among the equilibria of one game.

    Attributes
    ----------
    exact
        Payoffs are Fractions: every equilibrium was recovered exactly
        (:func:`exact_profile`).
    payoffs
        ``(row payoff, column payoff)`` of each equilibrium, in the solver's order.
    dominates
        Pairs ``(a, b)``: equilibrium ``a`` gives both players strictly more than ``b``.
    dominant
        Index of the equilibrium that payoff-dominates every other one, or ``None``.
    status
        ``"selected"``, ``"only-one"`` (a unique equilibrium), ``"none"`` (no equilibrium
        listed), ``"tie"`` (the best ones pay some player exactly the same) or
        ``"no-winner"`` (no equilibrium is better for both players than all others).
    """

    exact: bool
    payoffs: tuple[tuple[Scalar, Scalar], ...]
    dominates: tuple[tuple[int, int], ...]
    dominant: int | None
    status: SelectionStatus


def payoff_dominance(
    A: object, B: object, *, solution: GameSolution | None = None
) -> PayoffDominance:
    """Payoff dominance among every extreme equilibrium of ``(A, B)``.

    The equilibria are the solver's (``solution``, computed with
    :func:`sim.solver.solve_game` when not given), so indices match ``solve --json``. With
    exact payoffs each equilibrium is recovered exactly (:func:`exact_profile`) and compared
    in Fractions.
    """
    game = read_payoffs(A, B)
    if solution is None:
        from sim.solver import solve_game

        solution = solve_game(game.A, game.B)
    payoffs: list[tuple[Scalar, Scalar]] = []
    exact = game.exact
    for eq in solution.equilibria:
        profile = exact_profile(game, eq.row, eq.col) if exact else None
        if profile is None:
            exact = False
            break
        xs, ys = profile
        Am, Bm = game.matrix(0), game.matrix(1)
        m, n = game.shape
        payoffs.append(
            (
                sum((xs[i] * Am[i][j] * ys[j] for i in range(m) for j in range(n)), Fraction(0)),
                sum((xs[i] * Bm[i][j] * ys[j] for i in range(m) for j in range(n)), Fraction(0)),
            )
        )
    if not exact:
        payoffs = [(float(eq.payoffs[0]), float(eq.payoffs[1])) for eq in solution.equilibria]
    tol = TIE_TOL * payoff_spread(game)
    count = len(payoffs)
    beats = np.zeros((count, count), dtype=bool)
    ties = np.zeros_like(beats)
    for a in range(count):
        for b in range(count):
            if a == b:
                continue
            d0, d1 = payoffs[a][0] - payoffs[b][0], payoffs[a][1] - payoffs[b][1]
            beats[a, b] = is_positive(d0, tol) and is_positive(d1, tol)
            ties[a, b] = not is_positive(-d0, tol) and not is_positive(-d1, tol)
    dominant, status = _tournament(beats, ties)
    pairs = tuple((int(a), int(b)) for a, b in zip(*np.nonzero(beats), strict=True))
    return PayoffDominance(exact, tuple(payoffs), pairs, dominant, status)


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------
def risk_dominance_json(result: RiskDominance, player_ids: Sequence[str]) -> dict[str, Any]:
    """``risk_dominance`` facts as JSON: status, index and every pairwise comparison."""
    strict = result.strict_equilibria
    pairs = []
    for c in result.comparisons:
        e, f = strict[c.first], strict[c.second]
        pairs.append(
            {
                "equilibria": [e.index, f.index],
                "cells": [[e.row, e.col], [f.row, f.col]],
                "losses": [
                    {
                        player_ids[0]: json_number(c.row_loss_first),
                        player_ids[1]: json_number(c.col_loss_first),
                    },
                    {
                        player_ids[0]: json_number(c.row_loss_second),
                        player_ids[1]: json_number(c.col_loss_second),
                    },
                ],
                "nash_products": [
                    json_number(c.nash_product_first),
                    json_number(c.nash_product_second),
                ],
                "belief_thresholds": {
                    player_ids[0]: json_number(c.row_threshold_first),
                    player_ids[1]: json_number(c.col_threshold_first),
                },
                "winner": c.winner,
            }
        )
    return {
        "status": result.status,
        "equilibrium": result.dominant_index,
        "exact": result.exact,
        "comparisons": pairs,
    }


def payoff_dominance_json(result: PayoffDominance) -> dict[str, Any]:
    """``payoff_dominance`` facts as JSON."""
    return {
        "status": result.status,
        "equilibrium": result.dominant,
        "exact": result.exact,
        "dominates": [list(p) for p in result.dominates],
    }
