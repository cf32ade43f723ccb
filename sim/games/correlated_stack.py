"""Correlated-equilibrium facts over a stack of K games, one block-diagonal LP per objective.

The definitions are those of :mod:`sim.games.correlated` (Aumann 1974, 1987). All ``K``
games go to HiGHS (:func:`scipy.optimize.linprog`) as one block-diagonal LP per objective:
the blocks do not interact, so each block's part of the optimum is optimal for its game.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.games.correlated import PROBABILITY_TOL
from sim.games.selection_base import BoolArray, FloatArray, GameOptionError, IntArray

# ---------------------------------------------------------------------------------------------
# Stacks: one block-diagonal LP per objective
# ---------------------------------------------------------------------------------------------
#: Label codes of :func:`correlated_stack`.
CODE_OUTCOME_IMPOSSIBLE = 0
CODE_OUTCOME_POSSIBLE = 1


@dataclass(frozen=True, eq=False)
class CorrelatedStack:
    """Correlated-equilibrium facts over a stack of ``K`` games.

    Attributes
    ----------
    label
        ``(K,)`` int64: :data:`CODE_OUTCOME_POSSIBLE` when the outcome asked about can be
        played with positive probability, :data:`CODE_OUTCOME_IMPOSSIBLE` otherwise (all
        zero when no outcome was asked about).
    tie
        ``(K,)`` bool: the outcome's largest probability is within tolerance of zero but not
        clearly zero or positive.
    values
        ``max_welfare``, ``row_min``, ``row_max``, ``col_min``, ``col_max`` and, with an
        outcome, ``outcome_max_probability``: ``(K,)`` floats.
    """

    label: IntArray
    tie: BoolArray
    values: dict[str, FloatArray]


def _block_lp(G: FloatArray, objective: FloatArray, maximise: bool) -> FloatArray:
    """Optimal values ``(K,)`` of ``K`` independent LPs ``objective[k] . p`` over the
    correlated equilibria of game ``k`` (``G``: ``(K, R, N)``), in one HiGHS call."""
    sparse = importlib.import_module("scipy.sparse")
    linprog = importlib.import_module("scipy.optimize").linprog

    K, R, N = G.shape
    A_ub = sparse.block_diag([-G[k] for k in range(K)], format="csr") if R else None
    A_eq = sparse.kron(sparse.eye(K), np.ones((1, N)), format="csr")
    c = objective.reshape(-1)
    result = linprog(
        -c if maximise else c,
        A_ub=A_ub,
        b_ub=np.zeros(K * R) if R else None,
        A_eq=A_eq,
        b_eq=np.ones(K),
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(
            f"HiGHS could not solve the correlated-equilibrium LPs: {result.message}"
        )
    p = np.asarray(result.x, dtype=np.float64).reshape(K, N)
    return np.einsum("kn,kn->k", p, objective)


def correlated_stack(
    A: npt.ArrayLike, B: npt.ArrayLike, *, outcome: tuple[int, int] | None = None
) -> CorrelatedStack:
    """Welfare maximum, payoff ranges and (optionally) the outcome's largest probability over
    the correlated equilibria of every game of a stack ``(K, m, n)``.

    The incentive constraints of all games are built with array operations (a loop over the
    ``m(m-1) + n(n-1)`` constraints, not over games) and each objective is one block-diagonal
    LP (:func:`_block_lp`). Values agree with the exact
    :func:`sim.games.correlated.correlated_equilibria` to HiGHS's tolerance.
    """
    A3 = np.asarray(A, dtype=np.float64)
    B3 = np.asarray(B, dtype=np.float64)
    if A3.ndim != 3 or A3.shape != B3.shape:
        raise GameOptionError("payoffs", f"payoff stacks must have shape (K, m, n); got {A3.shape}")
    K, m, n = A3.shape
    if outcome is not None and not (0 <= outcome[0] < m and 0 <= outcome[1] < n):
        raise GameOptionError(
            "outcome", f"the outcome must be a row index below {m} and a column index below {n}"
        )
    rows = []
    for i in range(m):
        for k in range(m):
            if k != i:
                g = np.zeros((K, m, n))
                g[:, i, :] = A3[:, i, :] - A3[:, k, :]
                rows.append(g.reshape(K, m * n))
    for j in range(n):
        for k in range(n):
            if k != j:
                g = np.zeros((K, m, n))
                g[:, :, j] = B3[:, :, j] - B3[:, :, k]
                rows.append(g.reshape(K, m * n))
    G = np.stack(rows, axis=1) if rows else np.zeros((K, 0, m * n))
    flatA, flatB = A3.reshape(K, -1), B3.reshape(K, -1)
    values = {
        "max_welfare": _block_lp(G, flatA + flatB, True),
        "row_min": _block_lp(G, flatA, False),
        "row_max": _block_lp(G, flatA, True),
        "col_min": _block_lp(G, flatB, False),
        "col_max": _block_lp(G, flatB, True),
    }
    label = np.full(K, CODE_OUTCOME_IMPOSSIBLE, dtype=np.int64)
    tie = np.zeros(K, dtype=bool)
    if outcome is not None:
        unit = np.zeros((K, m * n))
        unit[:, outcome[0] * n + outcome[1]] = 1.0
        top = _block_lp(G, unit, True)
        values["outcome_max_probability"] = top
        label[top > 1e-7] = CODE_OUTCOME_POSSIBLE
        tie = (top > PROBABILITY_TOL) & (top <= 1e-7)
    return CorrelatedStack(label, tie, values)
