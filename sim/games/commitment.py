"""The value of moving first in a bimatrix game: pure and mixed commitment, in exact arithmetic.

For a leader who commits and a follower who sees the commitment and best responds:

- **Pure commitment**: the leader picks the pure strategy whose best response pays it most.
- **Mixed commitment**: the optimal mixed strategy to commit to, by one linear programme per
  follower action ``j`` (V. Conitzer and T. Sandholm, "Computing the optimal strategy to
  commit to", *Proc. ACM EC* 2006, section 3)::

      maximise  x . A[:, j]   over mixed x
      such that x . B[:, j] >= x . B[:, k]  for every follower action k,

  and the best of the feasible programmes. The programme is solved in floating point (HiGHS via
  :func:`scipy.optimize.linprog`) and its optimal vertex is then recomputed exactly from the
  constraints that are tight there (:func:`sim.games.trees_exact.solve_exact`), so the answer
  is exact for rational payoffs.

**Tie-breaking convention**: a follower indifferent between several best responses picks the
one that is best for the leader (the *strong* Stackelberg equilibrium). Without it the optimal
mixed commitment need not exist (the leader could only approach its value), which is why the
programme above lets the follower's constraint hold with equality.

Arrays in, dataclasses out: the scenario and the words live elsewhere.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np

from sim.games.trees_exact import (
    RationalisationError,
    exact_equilibria,
    fraction_matrix,
    solve_exact,
)


@dataclass(frozen=True)
class Commitment:
    """What a leader gets from committing.

    Attributes
    ----------
    leader_strategy
        The leader's committed (pure or mixed) strategy over its own actions.
    follower_action
        The follower's best response (index), ties broken in the leader's favour.
    payoffs
        ``(leader, follower)`` payoffs.
    """

    leader_strategy: tuple[Fraction, ...]
    follower_action: int
    payoffs: tuple[Fraction, Fraction]


@dataclass(frozen=True)
class CommitmentTable:
    """The outcomes of the three orders of play of a bimatrix game.

    Attributes
    ----------
    simultaneous
        ``(row payoff, column payoff)`` of every extreme Nash equilibrium.
    leaders
        For leader 0 (row) and leader 1 (column): ``(pure, mixed)`` commitments. Payoffs of
        a :class:`Commitment` are ``(leader, follower)``.
    """

    simultaneous: tuple[tuple[Fraction, Fraction], ...]
    leaders: tuple[tuple[Commitment, Commitment], tuple[Commitment, Commitment]]

    def by_player(self, leader: int) -> tuple[tuple[Fraction, Fraction], ...]:
        """``(row payoff, column payoff)`` of pure and mixed commitment by ``leader``."""
        out = []
        for c in self.leaders[leader]:
            out.append(c.payoffs if leader == 0 else (c.payoffs[1], c.payoffs[0]))
        return tuple(out)

    def to_json(self, player_ids: tuple[str, str], exact: bool = True) -> dict[str, object]:
        """``{"simultaneous": {"payoffs": [[..], ..]}, "leaders": {id: {"pure", "mixed"}},
        "tie_breaking": ..., "exact"}``; payoffs are in the scenario's player order. With
        ``exact=False`` (payoffs computed in floating point) the ``*_exact`` strings are left
        out: they would only spell out binary fractions."""

        def number(v: Fraction) -> float:
            return float(v)

        leaders: dict[str, object] = {}
        for leader, pair in enumerate(self.leaders):
            entry: dict[str, dict[str, object]] = {}
            for kind, c, payoffs in zip(
                ("pure", "mixed"), pair, self.by_player(leader), strict=True
            ):
                entry[kind] = {
                    "leader_strategy": [number(p) for p in c.leader_strategy],
                    "follower_action": c.follower_action,
                    "payoffs": [number(v) for v in payoffs],
                }
                if exact:
                    entry[kind]["leader_strategy_exact"] = [str(p) for p in c.leader_strategy]
                    entry[kind]["payoffs_exact"] = [str(v) for v in payoffs]
            leaders[player_ids[leader]] = entry
        simultaneous: dict[str, object] = {
            "payoffs": [[number(v) for v in p] for p in self.simultaneous]
        }
        if exact:
            simultaneous["payoffs_exact"] = [[str(v) for v in p] for p in self.simultaneous]
        return {
            "simultaneous": simultaneous,
            "leaders": leaders,
            "tie_breaking": "follower breaks ties in the leader's favour",
            "exact": exact,
        }


def _best_for_leader(
    A: list[list[Fraction]], B: list[list[Fraction]], x: tuple[Fraction, ...]
) -> int:
    """The follower's best response to ``x``, ties broken in the leader's favour."""
    m, n = len(A), len(A[0])
    follower = [sum((x[i] * B[i][j] for i in range(m)), Fraction(0)) for j in range(n)]
    best = max(follower)
    leader = [sum((x[i] * A[i][j] for i in range(m)), Fraction(0)) for j in range(n)]
    return max((j for j in range(n) if follower[j] == best), key=lambda j: (leader[j], -j))


def pure_commitment(A: object, B: object) -> Commitment:
    """The best pure strategy to commit to: leader ``A`` (rows), follower ``B`` (columns)."""
    a, b = fraction_matrix(A), fraction_matrix(B)
    m = len(a)
    best: Commitment | None = None
    for i in range(m):
        x = tuple(Fraction(int(k == i)) for k in range(m))
        j = _best_for_leader(a, b, x)
        c = Commitment(x, j, (a[i][j], b[i][j]))
        if best is None or c.payoffs[0] > best.payoffs[0]:
            best = c
    assert best is not None
    return best


def _exact_vertex(
    a: list[list[Fraction]], b: list[list[Fraction]], j: int, x_float: np.ndarray
) -> tuple[Fraction, ...] | None:
    """The exact vertex of follower action ``j``'s polytope near ``x_float``.

    The equations are those tight at the float optimum; a subset of them that determines a
    single point is searched (small games: few subsets), and the point is checked exactly.
    """
    m, n = len(a), len(a[0])
    scale = max(1.0, max(abs(float(v)) for row in b for v in row))
    tol = 1e-7 * scale
    tight: list[list[Fraction]] = []
    for i in range(m):
        if x_float[i] < 1e-9:
            tight.append([Fraction(int(k == i)) for k in range(m)])
    for k in range(n):
        if k == j:
            continue
        gap = float(sum(x_float[i] * float(b[i][j] - b[i][k]) for i in range(m)))
        if abs(gap) < tol:
            tight.append([b[i][j] - b[i][k] for i in range(m)])
    ones = [Fraction(1)] * m
    for size in range(m - 1, len(tight) + 1):
        for rows in combinations(tight, size):
            z = solve_exact([ones, *rows], [Fraction(1)] + [Fraction(0)] * size)
            if z is None:
                continue
            feasible = all(v >= 0 for v in z) and all(
                sum((z[i] * (b[i][j] - b[i][k]) for i in range(m)), Fraction(0)) >= 0
                for k in range(n)
            )
            if feasible and max(abs(float(v) - x_float[i]) for i, v in enumerate(z)) < 1e-6:
                return tuple(z)
    return None


def mixed_commitment(A: object, B: object) -> Commitment:
    """The optimal mixed strategy to commit to (Conitzer and Sandholm 2006), exactly.

    Parameters
    ----------
    A, B
        ``(m, n)`` payoffs of the leader (rows) and the follower (columns), rational.

    Returns
    -------
    Commitment
        The leader's optimal mixed strategy, the follower's response (ties broken in the
        leader's favour) and both payoffs.

    Raises
    ------
    RationalisationError
        When floating point cannot tell which constraints are tight (payoffs closer than
        about 1e-7 of their range).
    """
    a, b = fraction_matrix(A), fraction_matrix(B)
    m, n = len(a), len(a[0])
    Af = np.array([[float(v) for v in row] for row in a])
    Bf = np.array([[float(v) for v in row] for row in b])
    # Lazy, through importlib: scipy is slow to import and ships no type information.
    linprog = importlib.import_module("scipy.optimize").linprog
    best: Commitment | None = None
    for j in range(n):
        others = [k for k in range(n) if k != j]
        # x . (B[:, k] - B[:, j]) <= 0 for every other k; sum x = 1; x >= 0.
        A_ub = (Bf[:, others] - Bf[:, [j]]).T if others else None
        b_ub = np.zeros(len(others)) if others else None
        lp = linprog(
            -Af[:, j],
            A_ub=A_ub,
            b_ub=b_ub,
            A_eq=np.ones((1, m)),
            b_eq=np.ones(1),
            bounds=[(0, None)] * m,
            method="highs",
        )
        if lp.status == 2:  # infeasible: j is never a best response
            continue
        x = _exact_vertex(a, b, j, np.asarray(lp.x))
        if x is None:
            raise RationalisationError(
                f"the optimal commitment against follower action {j} could not be confirmed "
                "exactly; payoffs are too close together"
            )
        k = _best_for_leader(a, b, x)
        leader = sum((x[i] * a[i][k] for i in range(m)), Fraction(0))
        follower = sum((x[i] * b[i][k] for i in range(m)), Fraction(0))
        c = Commitment(x, k, (leader, follower))
        if best is None or c.payoffs[0] > best.payoffs[0]:
            best = c
    assert best is not None  # some follower action is a best response to any x
    return best


def commitment_table(A: object, B: object) -> CommitmentTable:
    """Simultaneous play and pure and mixed commitment by each player, for ``(A, B)``.

    The column player's commitments are computed on the transposed game (it leads, the row
    player follows); their payoffs are stored as ``(leader, follower)``.
    """
    a, b = fraction_matrix(A), fraction_matrix(B)
    at = [list(col) for col in zip(*a, strict=True)]
    bt = [list(col) for col in zip(*b, strict=True)]
    simultaneous = tuple(eq.payoffs for eq in exact_equilibria(a, b).equilibria)
    return CommitmentTable(
        simultaneous=simultaneous,
        leaders=(
            (pure_commitment(a, b), mixed_commitment(a, b)),
            (pure_commitment(bt, at), mixed_commitment(bt, at)),
        ),
    )


def pure_commitment_stack(
    A: np.ndarray, B: np.ndarray, tol: float = 1e-9
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pure commitment of the row leader at ``K`` points at once (floats, for sweeps).

    Parameters
    ----------
    A, B
        ``(K, m, n)`` leader and follower payoffs.
    tol
        Relative tie tolerance (times the largest absolute payoff of the point).

    Returns
    -------
    leader_action, follower_action
        ``(K,)`` indices: the best pure commitment and the reply (ties for the leader).
    value
        ``(K,)`` the leader's payoff.
    tie
        ``(K,)`` the follower is indifferent at the chosen commitment, or the leader between
        two commitments: the point lies on a boundary.
    """
    K = A.shape[0]
    scale = np.maximum(1.0, np.abs(np.concatenate([A, B], axis=1)).reshape(K, -1).max(axis=1))
    eps = (tol * scale)[:, None, None]
    best_reply = B.max(axis=2, keepdims=True) - eps <= B
    leader_value = np.where(best_reply, A, -np.inf)
    reply = leader_value.argmax(axis=2)  # (K, m): the reply best for the leader
    row_value = leader_value.max(axis=2)
    leader = row_value.argmax(axis=1)
    value = row_value[np.arange(K), leader]
    follower = reply[np.arange(K), leader]
    indifferent = best_reply[np.arange(K), leader].sum(axis=1) > 1
    close_rows = (row_value >= value[:, None] - eps[:, 0]).sum(axis=1) > 1
    return leader, follower, value, indifferent | close_rows


def mixed_commitment_value(A: np.ndarray, B: np.ndarray) -> float:
    """The leader's value of optimal mixed commitment in floating point (sweep lines).

    The same linear programmes as :func:`mixed_commitment`, without the exact vertex.
    """
    linprog = importlib.import_module("scipy.optimize").linprog
    m, n = A.shape
    best = -np.inf
    for j in range(n):
        others = [k for k in range(n) if k != j]
        lp = linprog(
            -A[:, j],
            A_ub=(B[:, others] - B[:, [j]]).T if others else None,
            b_ub=np.zeros(len(others)) if others else None,
            A_eq=np.ones((1, m)),
            b_eq=np.ones(1),
            bounds=[(0, None)] * m,
            method="highs",
        )
        if lp.status == 0:
            best = max(best, -float(lp.fun))
    return float(best)
