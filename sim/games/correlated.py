"""Correlated equilibria by linear programming, exact where the payoffs are rational.

A *correlated equilibrium* (R. J. Aumann, "Subjectivity and correlation in randomized
strategies", *Journal of Mathematical Economics* 1, 1974; "Correlated equilibrium as an
expression of Bayesian rationality", *Econometrica* 55, 1987) is a probability distribution
``p`` over outcomes ``(i, j)`` such that, when a mediator draws an outcome from ``p`` and tells
each player only its own part, neither gains by disobeying:

    sum_j p[i, j] (A[i, j] - A[i', j]) >= 0   for every row i and every other row i',
    sum_i p[i, j] (B[i, j] - B[i, j']) >= 0   for every column j and every other column j'.

The set is a polytope containing every Nash equilibrium (as product distributions); linear
objectives over it are linear programs. Each is solved with HiGHS
(:func:`scipy.optimize.linprog`), and, when every payoff is an int or a Fraction, made exact:
the optimal vertex's basis is read off the float solution and re-solved in Fractions, and a
primal simplex with Bland's rule (R. G. Bland, "New finite pivoting rules for the simplex
method", *Mathematics of Operations Research* 2, 1977) continues from it in exact arithmetic
until the reduced costs prove optimality (the float basis is usually already optimal: zero
pivots). So exact results are certified, not rounded (the approach of D. L. Applegate, W. Cook,
S. Dash and D. G. Espinoza, "Exact solutions to linear programming problems", *Operations
Research Letters* 35, 2007).

Stacks of games are in :mod:`sim.games.correlated_stack`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from sim.games.selection_base import (
    FloatArray,
    GameOptionError,
    Payoffs,
    Scalar,
    exact_text,
    read_payoffs,
)

#: Probabilities at or below this are zero in float results (HiGHS's feasibility tolerance
#: is 1e-7 on the scaled problem; the exact path does not use it for its answer).
PROBABILITY_TOL = 1e-9


# ---------------------------------------------------------------------------------------------
# The constraint system
# ---------------------------------------------------------------------------------------------
def incentive_rows(A: Sequence[Sequence[Any]], B: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """The obedience constraints as rows ``g`` with ``g . p >= 0`` (``p`` flattened by row).

    Order: for the row player, each recommended row ``i`` and each other row ``i'`` in
    increasing order; then the column player's ``(j, j')`` pairs.
    """
    m, n = len(A), len(A[0])
    rows: list[list[Any]] = []
    zero = A[0][0] - A[0][0]
    for i in range(m):
        for k in range(m):
            if k != i:
                g = [zero] * (m * n)
                for j in range(n):
                    g[i * n + j] = A[i][j] - A[k][j]
                rows.append(g)
    for j in range(n):
        for k in range(n):
            if k != j:
                g = [zero] * (m * n)
                for i in range(m):
                    g[i * n + j] = B[i][j] - B[i][k]
                rows.append(g)
    return rows


# ---------------------------------------------------------------------------------------------
# Exact simplex (standard form: minimise c.z subject to M z = b, z >= 0, b >= 0)
# ---------------------------------------------------------------------------------------------
class _Tableau:
    """Dense simplex tableau in Fractions: rows ``B^-1 [M | b]`` and the basis."""

    def __init__(self, M: list[list[Fraction]], b: list[Fraction]) -> None:
        self.rows = [[*row, rhs] for row, rhs in zip(M, b, strict=True)]
        self.width = len(M[0])
        self.basis: list[int] = [-1] * len(M)

    def pivot(self, r: int, col: int) -> None:
        head = self.rows[r]
        scale = head[col]
        head[:] = [v / scale for v in head]
        for k, row in enumerate(self.rows):
            if k != r and row[col] != 0:
                factor = row[col]
                row[:] = [v - factor * h for v, h in zip(row, head, strict=True)]
        self.basis[r] = col

    def solution(self) -> list[Fraction]:
        z = [Fraction(0)] * self.width
        for r, col in enumerate(self.basis):
            z[col] = self.rows[r][-1]
        return z

    def optimise(self, cost: list[Fraction], allowed: int) -> None:
        """Primal simplex from a feasible basis with Bland's rule (columns below
        ``allowed`` may enter)."""
        while True:
            duals = [cost[col] for col in self.basis]
            entering = None
            for col in range(allowed):
                if col in self.basis:
                    continue
                reduced = cost[col] - sum(
                    (d * row[col] for d, row in zip(duals, self.rows, strict=True)), Fraction(0)
                )
                if reduced < 0:
                    entering = col
                    break
            if entering is None:
                return
            best: tuple[Fraction, int, int] | None = None
            for r, row in enumerate(self.rows):
                if row[entering] > 0:
                    key = (row[-1] / row[entering], self.basis[r], r)
                    if best is None or key[:2] < best[:2]:
                        best = key
            if best is None:  # unbounded: impossible on a probability simplex
                raise RuntimeError("the correlated-equilibrium LP is unbounded")
            self.pivot(best[2], entering)


def _exact_lp(
    M: list[list[Fraction]],
    b: list[Fraction],
    cost: list[Fraction],
    warm: FloatArray | None,
) -> list[Fraction]:
    """Exact optimum of ``min cost.z, M z = b, z >= 0`` (``b >= 0``, bounded, feasible).

    ``warm``: a float optimum whose positive entries suggest the starting basis.
    """
    rows, width = len(M), len(M[0])
    if warm is not None:
        tableau = _Tableau(M, b)
        order = sorted(range(width), key=lambda col: -float(warm[col]))
        free_rows = set(range(rows))
        for col in order:
            if not free_rows:
                break
            r = next((r for r in sorted(free_rows) if tableau.rows[r][col] != 0), None)
            if r is not None:
                tableau.pivot(r, col)
                free_rows.discard(r)
        if not free_rows and all(row[-1] >= 0 for row in tableau.rows):
            tableau.optimise(cost, width)
            return tableau.solution()[:width]
    # Phase I from scratch: artificial variables, one per row, minimise their sum.
    identity = [[Fraction(int(r == k)) for k in range(rows)] for r in range(rows)]
    tableau = _Tableau([[*M[r], *identity[r]] for r in range(rows)], b)
    tableau.basis = [width + r for r in range(rows)]
    tableau.optimise([Fraction(0)] * width + [Fraction(1)] * rows, width + rows)
    for r, col in enumerate(tableau.basis):
        if col >= width:  # an artificial at zero: pivot it out (M has full row rank)
            entering = next(c for c in range(width) if tableau.rows[r][c] != 0)
            tableau.pivot(r, entering)
    for row in tableau.rows:
        del row[width : width + rows]
    tableau.width = width
    tableau.optimise(cost, width)
    return tableau.solution()[:width]


# ---------------------------------------------------------------------------------------------
# One game
# ---------------------------------------------------------------------------------------------
def _float_lp(G: FloatArray, objective: FloatArray, maximise: bool) -> FloatArray:
    """HiGHS optimum ``p`` of ``objective . p`` over the correlated equilibria."""
    # Through importlib: scipy is slow to import and ships no type information.
    linprog = importlib.import_module("scipy.optimize").linprog
    N = objective.size
    result = linprog(
        -objective if maximise else objective,
        A_ub=-G if G.size else None,
        b_ub=np.zeros(G.shape[0]) if G.size else None,
        A_eq=np.ones((1, N)),
        b_eq=np.ones(1),
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:  # never expected: the set is non-empty (Nash's theorem) and bounded
        raise RuntimeError(f"HiGHS could not solve a correlated-equilibrium LP: {result.message}")
    p = np.clip(np.asarray(result.x, dtype=np.float64), 0.0, None)
    return p / p.sum()


def _optimum(
    game: Payoffs, objective: Sequence[Fraction] | FloatArray, maximise: bool
) -> list[Scalar]:
    """An optimal correlated equilibrium for ``objective`` (flattened ``m * n``)."""
    m, n = game.shape
    G = np.array(incentive_rows(game.A.tolist(), game.B.tolist()), dtype=np.float64).reshape(
        -1, m * n
    )
    floats = np.asarray([float(v) for v in objective], dtype=np.float64)
    p = _float_lp(G, floats, maximise)
    if not game.exact or game.exact_A is None or game.exact_B is None:
        return [float(v) if v > PROBABILITY_TOL else 0.0 for v in p]
    exact_rows = incentive_rows(game.exact_A, game.exact_B)
    R, N = len(exact_rows), m * n
    # Standard form: G p - s = 0 (slacks s >= 0), sum(p) = 1.
    M = [[*g, *(Fraction(-int(r == k)) for k in range(R))] for r, g in enumerate(exact_rows)]
    M.append([Fraction(1)] * N + [Fraction(0)] * R)
    b = [Fraction(0)] * R + [Fraction(1)]
    sign = Fraction(-1) if maximise else Fraction(1)
    cost = [sign * Fraction(v) for v in objective] + [Fraction(0)] * R
    slack = G @ p if R else np.zeros(0)
    warm = np.concatenate([p, slack])
    return list(_exact_lp(M, b, cost, warm)[:N])


@dataclass(frozen=True)
class Recommendation:
    """What a player is told, and why obeying pays, under a correlated equilibrium.

    Attributes
    ----------
    player
        0 for the row player, 1 for the column player.
    strategy
        The recommended strategy.
    probability
        How often this recommendation is given.
    belief
        Given this recommendation, the probability of each of the other player's
        recommendations (its strategies, in order).
    obey_payoff
        Expected payoff of following the recommendation, given ``belief``.
    best_deviation
        The most tempting other strategy (lowest index on ties), or ``None`` with one strategy.
    deviation_payoff
        Its expected payoff given ``belief`` (at most ``obey_payoff`` in an equilibrium).
    """

    player: int
    strategy: int
    probability: Scalar
    belief: tuple[Scalar, ...]
    obey_payoff: Scalar
    best_deviation: int | None
    deviation_payoff: Scalar | None

    @property
    def margin(self) -> Scalar | None:
        """``obey_payoff - deviation_payoff``: non-negative exactly when obeying is optimal."""
        if self.deviation_payoff is None:
            return None
        return self.obey_payoff - self.deviation_payoff


@dataclass(frozen=True)
class Signal:
    """A correlated distribution read as a mediator's signal.

    Attributes
    ----------
    distribution
        ``(m, n)`` probabilities of the outcomes.
    payoffs
        Expected payoffs ``(sum p A, sum p B)``.
    recommendations
        One per player and strategy recommended with positive probability.
    is_equilibrium
        Every recommendation's ``margin`` is non-negative (exactly, for exact games).
    exact
        Numbers are Fractions.
    """

    distribution: tuple[tuple[Scalar, ...], ...]
    payoffs: tuple[Scalar, Scalar]
    recommendations: tuple[Recommendation, ...]
    is_equilibrium: bool
    exact: bool

    def to_json(self, player_ids: Sequence[str]) -> dict[str, Any]:
        """``{"distribution", "payoffs", "recommendations", "exact"}`` (floats, plus exact
        strings when exact)."""
        doc: dict[str, Any] = {
            "distribution": [[float(v) for v in row] for row in self.distribution],
            "payoffs": [float(self.payoffs[0]), float(self.payoffs[1])],
            "recommendations": [
                {
                    "player": player_ids[r.player],
                    "strategy": r.strategy,
                    "probability": float(r.probability),
                    "belief": [float(v) for v in r.belief],
                    "obey_payoff": float(r.obey_payoff),
                    "best_deviation": r.best_deviation,
                    "deviation_payoff": None
                    if r.deviation_payoff is None
                    else float(r.deviation_payoff),
                }
                for r in self.recommendations
            ],
        }
        if self.exact:
            doc["exact"] = {
                "distribution": [[exact_text(v) for v in row] for row in self.distribution],
                "payoffs": [exact_text(self.payoffs[0]), exact_text(self.payoffs[1])],
            }
        return doc


def signal(A: object, B: object, distribution: object) -> Signal:
    """Read ``distribution`` (``m x n``, summing to one) as a mediator's signal.

    Raises
    ------
    GameOptionError
        ``distribution`` has the wrong shape, a negative entry, or does not sum to one.
    """
    game = read_payoffs(A, B)
    return _signal(game, _distribution(game, distribution))


def _distribution(game: Payoffs, distribution: object) -> list[list[Scalar]]:
    m, n = game.shape
    rows = np.asarray(distribution, dtype=object)
    if rows.shape != (m, n):
        raise GameOptionError(
            "distribution", f"the distribution must be a {m} x {n} table; got shape {rows.shape}"
        )
    exact = game.exact and all(isinstance(v, int | Fraction) for v in rows.flat)
    values: list[list[Scalar]] = [
        [Fraction(v) if exact else float(v) for v in row] for row in rows.tolist()
    ]
    total = sum((v for row in values for v in row), Fraction(0) if exact else 0.0)
    if any(v < 0 for row in values for v in row) or (
        total != 1 if exact else abs(float(total) - 1.0) > 1e-9
    ):
        raise GameOptionError(
            "distribution", "the distribution must have non-negative entries summing to 1"
        )
    return values


def _signal(game: Payoffs, p: Sequence[Sequence[Scalar]]) -> Signal:
    m, n = game.shape
    exact = game.exact and all(isinstance(v, Fraction) for row in p for v in row)
    A = game.matrix(0) if exact else game.A.tolist()
    B = game.matrix(1) if exact else game.B.tolist()
    zero: Scalar = Fraction(0) if exact else 0.0
    recs: list[Recommendation] = []
    ok = True
    tol = 0 if exact else 1e-9 * max(float(np.ptp(game.A)), float(np.ptp(game.B)), 1e-300)
    for player, count, other in ((0, m, n), (1, n, m)):
        for s in range(count):
            weights = [p[s][t] if player == 0 else p[t][s] for t in range(other)]
            total = sum(weights, zero)
            if total <= (0 if exact else PROBABILITY_TOL):
                continue
            belief = tuple(w / total for w in weights)

            def value(
                own: int,
                belief: tuple[Scalar, ...] = belief,
                player: int = player,
                other: int = other,
            ) -> Any:
                if player == 0:
                    return sum((belief[t] * A[own][t] for t in range(other)), zero)
                return sum((belief[t] * B[t][own] for t in range(other)), zero)

            obey = value(s)
            deviations = [(value(k), -k) for k in range(count) if k != s]
            best = max(deviations) if deviations else None
            rec = Recommendation(
                player,
                s,
                total,
                belief,
                obey,
                None if best is None else -best[1],
                None if best is None else best[0],
            )
            if rec.margin is not None and rec.margin < -tol:
                ok = False
            recs.append(rec)
    payoffs = (
        sum((p[i][j] * A[i][j] for i in range(m) for j in range(n)), zero),
        sum((p[i][j] * B[i][j] for i in range(m) for j in range(n)), zero),
    )
    return Signal(tuple(tuple(row) for row in p), payoffs, tuple(recs), ok, exact)


@dataclass(frozen=True)
class OutcomeQuery:
    """Can outcome ``(row, col)`` be played with positive probability in some correlated
    equilibrium?

    Attributes
    ----------
    row, col
        The outcome asked about.
    max_probability
        The largest probability it gets in any correlated equilibrium.
    possible
        ``max_probability > 0``.
    signal
        A correlated equilibrium giving it ``max_probability`` (``None`` when impossible).
    """

    row: int
    col: int
    max_probability: Scalar
    possible: bool
    signal: Signal | None


@dataclass(frozen=True)
class CorrelatedResult:
    """Correlated equilibria of one game: the facts the words need.

    Attributes
    ----------
    exact
        Every number is an exact Fraction.
    max_welfare
        A correlated equilibrium maximising the sum of the two payoffs, as a signal.
    welfare
        That maximal sum.
    row_range, col_range
        ``(lowest, highest)`` payoff of each player over all correlated equilibria.
    outcome
        The answer for the outcome asked about, or ``None``.
    """

    exact: bool
    max_welfare: Signal
    welfare: Scalar
    row_range: tuple[Scalar, Scalar]
    col_range: tuple[Scalar, Scalar]
    outcome: OutcomeQuery | None

    def to_json(self, player_ids: Sequence[str]) -> dict[str, Any]:
        """The ``correlated`` entry of ``analyses.selection`` in ``solve --json``."""
        doc: dict[str, Any] = {
            "exact": self.exact,
            "max_welfare": self.max_welfare.to_json(player_ids),
            "welfare": float(self.welfare),
            "payoff_ranges": {
                player_ids[0]: [float(self.row_range[0]), float(self.row_range[1])],
                player_ids[1]: [float(self.col_range[0]), float(self.col_range[1])],
            },
        }
        if self.outcome is not None:
            q = self.outcome
            doc["outcome"] = {
                "cell": [q.row, q.col],
                "possible": q.possible,
                "max_probability": float(q.max_probability),
                "signal": None if q.signal is None else q.signal.to_json(player_ids),
            }
        return doc


def _unit(game: Payoffs, index: int) -> list[Fraction]:
    m, n = game.shape
    return [Fraction(int(k == index)) for k in range(m * n)]


def _flat(game: Payoffs, player: int, sign: int = 1) -> list[Fraction] | FloatArray:
    matrix = game.exact_A if player == 0 else game.exact_B
    if game.exact and matrix is not None:
        return [sign * v for row in matrix for v in row]
    return sign * (game.A if player == 0 else game.B).reshape(-1)


def _grid(game: Payoffs, p: Sequence[Scalar]) -> list[list[Scalar]]:
    n = game.shape[1]
    return [list(p[i * n : (i + 1) * n]) for i in range(game.shape[0])]


def correlated_equilibria(
    A: object, B: object, *, outcome: tuple[int, int] | None = None
) -> CorrelatedResult:
    """The welfare-maximising correlated equilibrium, each player's payoff range over the set,
    and (optionally) whether ``outcome`` can be played with positive probability.

    Parameters
    ----------
    A, B
        Payoffs ``(m, n)``; ints/Fractions give exact results.
    outcome
        ``(row, col)`` strategy indices of an outcome to ask about (e.g. both back down).

    Raises
    ------
    GameOptionError
        ``outcome`` is not a pair of valid strategy indices.
    """
    game = read_payoffs(A, B)
    m, n = game.shape
    if outcome is not None and not (
        len(outcome) == 2 and 0 <= outcome[0] < m and 0 <= outcome[1] < n
    ):
        raise GameOptionError(
            "outcome",
            f"the outcome must be a row index below {m} and a column index below {n}; "
            f"got {outcome}",
        )
    if game.exact and game.exact_A is not None and game.exact_B is not None:
        welfare_obj: list[Fraction] | FloatArray = [
            a + b
            for ra, rb in zip(game.exact_A, game.exact_B, strict=True)
            for a, b in zip(ra, rb, strict=True)
        ]
    else:
        welfare_obj = (game.A + game.B).reshape(-1)
    best = _signal(game, _grid(game, _optimum(game, welfare_obj, True)))
    ranges = []
    for player in (0, 1):
        low = _signal(game, _grid(game, _optimum(game, _flat(game, player), False)))
        high = _signal(game, _grid(game, _optimum(game, _flat(game, player), True)))
        ranges.append((low.payoffs[player], high.payoffs[player]))
    query = None
    if outcome is not None:
        i, j = outcome
        p = _grid(game, _optimum(game, _unit(game, i * n + j), True))
        top = p[i][j]
        possible = top > 0 if game.exact else top > PROBABILITY_TOL
        query = OutcomeQuery(i, j, top, bool(possible), _signal(game, p) if possible else None)
    return CorrelatedResult(
        game.exact,
        best,
        best.payoffs[0] + best.payoffs[1],
        ranges[0],
        ranges[1],
        query,
    )
