"""Every extreme Nash equilibrium of one bimatrix game, in exact rational arithmetic.

The same mathematics as the floating-point solver (:mod:`sim.solver.enumeration`): the
extreme equilibria are the completely labelled pairs of vertices of the best-response
polytopes ``P = {x >= 0 : B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}`` (B. von Stengel,
"Equilibrium computation for two-player games in strategic and extensive form", ch. 3 of
*Algorithmic Game Theory*, 2007; D. Avis, G. Rosenberg, R. Savani, B. von Stengel, "Enumeration
of Nash equilibria for two-player games", *Economic Theory* 42, 2010), but nothing is rounded:

1. payoffs become :class:`fractions.Fraction` (:func:`exact_value`: a float is the binary
   rational it stores, ``Fraction(0.1) = 3602879701896397/2**55``); each player's payoffs are
   shifted and scaled to positive integers (no equilibrium changes);
2. the vertices of ``P`` and ``Q`` with their full label sets come from an exact pivoting
   search over feasible bases (:func:`sim.solver.exact_vertices.exact_polytope_vertices`);
3. completely labelled pairs are the extreme equilibria, normalised exactly; components and
   maximal Nash subsets follow from which vertices the equilibria share (Avis et al. 2010,
   section 6), exactly as Gambit's ``enummixed`` reports them.

A game is degenerate when some vertex has more labels than its dimension (von Stengel 2007,
section 3.6). The search has a budget (:data:`sim.solver.exact_vertices.EXACT_MAX_BASES`);
beyond it a :class:`~sim.errors.SolverError` says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Rational

import numpy as np
import numpy.typing as npt

from sim.errors import SolverError
from sim.solver.components import label_components, maximal_nash_subsets
from sim.solver.exact_vertices import ExactVertex, exact_polytope_vertices
from sim.solver.types import Equilibrium, GameSolution

__all__ = [
    "ExactGame",
    "exact_matrix",
    "exact_value",
    "solve_exact_equilibria",
    "solve_game_exact",
]

ExactMatrix = tuple[tuple[Fraction, ...], ...]
ExactProfile = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]


def exact_value(value: object) -> Fraction:
    """The exact rational value of one payoff.

    Fractions, integers (Python or numpy) and other :class:`numbers.Rational` values are taken
    as they are; a float (Python or numpy) is the binary rational it stores
    (``Fraction(float)``), so a payoff computed as ``0.1 + 0.2`` stays different from ``0.3``,
    exactly as in floating point; a :class:`decimal.Decimal` is its decimal value.

    Raises
    ------
    SolverError
        The value is not a finite number.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool | np.bool_):
        raise SolverError(f"a payoff must be a number, not {value!r}")
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, float | np.floating | Decimal):
        if not math.isfinite(value):
            raise SolverError(
                f"a payoff is not a finite number ({value}); exact solving needs finite payoffs"
            )
        return Fraction(float(value)) if not isinstance(value, Decimal) else Fraction(value)
    raise SolverError(f"a payoff must be a number, not {value!r}")


def exact_matrix(M: object) -> ExactMatrix:
    """A 2-D payoff table (nested lists or an array of any dtype) as rows of Fractions."""
    table = np.asarray(M, dtype=object)
    if table.ndim != 2 or 0 in table.shape:
        raise ValueError(
            f"a payoff matrix must be 2-D with at least one row and column; got shape {table.shape}"
        )
    return tuple(tuple(exact_value(v) for v in row) for row in table)


def _positive_integers(M: ExactMatrix) -> list[list[int]]:
    """``(M - min M) * L / g + 1``: positive integers with the same best responses as ``M``.

    ``L`` clears the denominators and ``g`` is the gcd of the shifted integers (smaller numbers,
    same polytope up to scale). A constant matrix becomes all ones.
    """
    low = min(min(row) for row in M)
    common = 1
    for row in M:
        for v in row:
            common = math.lcm(common, (v - low).denominator)
    shifted = [[int((v - low) * common) for v in row] for row in M]
    g = math.gcd(*(v for line in shifted for v in line)) or 1
    return [[v // g + 1 for v in line] for line in shifted]


@dataclass(frozen=True)
class ExactGame:
    """The exact answer for one game, before it is packaged (internal).

    Attributes
    ----------
    rows, cols
        Exact mixed strategies of each extreme equilibrium, in report order (as
        :func:`sim.solver.solve_games` orders them).
    payoffs
        Exact expected payoffs ``(x^T A y, x^T B y)`` of each equilibrium.
    x_ids, y_ids
        Which vertex of ``P`` (``Q``) each equilibrium uses: equal ids, same strategy.
    degenerate
        Some vertex of ``P`` or ``Q`` has more labels than its dimension.
    """

    rows: tuple[tuple[Fraction, ...], ...]
    cols: tuple[tuple[Fraction, ...], ...]
    payoffs: tuple[tuple[Fraction, Fraction], ...]
    x_ids: tuple[int, ...]
    y_ids: tuple[int, ...]
    degenerate: bool


def _popcount(mask: int) -> int:
    return bin(mask).count("1")


def _normalised(vertex: ExactVertex) -> tuple[Fraction, ...]:
    total = sum(vertex.numerators)
    return tuple(Fraction(v, total) for v in vertex.numerators)


def _complete_pairs(
    p_labels: Sequence[int], q_labels: Sequence[int], all_labels: int, degenerate: bool
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``p_labels[i] | q_labels[j] == all_labels``.

    Non-degenerate: the partner must carry exactly the complementary labels (a lookup).
    Degenerate: the partner must carry at least the missing labels; candidates come from the
    shortest list of vertices having one of them.
    """
    pairs: list[tuple[int, int]] = []
    if not degenerate:
        by_labels = {labels: j for j, labels in enumerate(q_labels)}
        for i, labels in enumerate(p_labels):
            j = by_labels.get(all_labels ^ labels)
            if j is not None:
                pairs.append((i, j))
        return pairs
    having: dict[int, list[int]] = {}
    for j, labels in enumerate(q_labels):
        bit = 0
        rest = labels
        while rest:
            if rest & 1:
                having.setdefault(bit, []).append(j)
            rest >>= 1
            bit += 1
    every = list(range(len(q_labels)))
    for i, labels in enumerate(p_labels):
        missing = all_labels ^ labels
        pool = every
        bit = 0
        rest = missing
        while rest:
            if rest & 1:
                candidates = having.get(bit, [])
                if len(candidates) < len(pool):
                    pool = candidates
            rest >>= 1
            bit += 1
        pairs.extend((i, j) for j in pool if q_labels[j] & missing == missing)
    return pairs


def solve_exact_equilibria(A: object, B: object) -> ExactGame:
    """Every extreme equilibrium of ``(A, B)`` in exact arithmetic (see the module docstring).

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, ``m x n``, as numbers accepted by
        :func:`exact_value` (floats are read as the binary rationals they store).

    Raises
    ------
    SolverError
        A payoff is not a finite number, or a polytope is too degenerate for the search budget.
    """
    Ae, Be = exact_matrix(A), exact_matrix(B)
    m, n = len(Ae), len(Ae[0])
    if len(Be) != m or len(Be[0]) != n:
        raise ValueError(
            f"A and B must have the same shape; got {m}x{n} and {len(Be)}x{len(Be[0])}"
        )
    Ai, Bi = _positive_integers(Ae), _positive_integers(Be)
    # P: variables x_i (labels i), constraints are the columns j of B (labels m + j).
    p_vertices = exact_polytope_vertices([[Bi[i][j] for i in range(m)] for j in range(n)])
    # Q: variables y_j (labels m + j), constraints are the rows i of A (labels i).
    q_vertices = exact_polytope_vertices(Ai)
    low_n = (1 << n) - 1
    p_all = [v.tight for v in p_vertices]
    q_all = [((v.tight & low_n) << m) | (v.tight >> n) for v in q_vertices]
    degenerate = any(_popcount(t) > m for t in p_all) or any(_popcount(t) > n for t in q_all)
    # Only non-zero vertices give equilibria; keep their positions as strategy ids.
    p_keep = [i for i, v in enumerate(p_vertices) if any(v.numerators)]
    q_keep = [j for j, v in enumerate(q_vertices) if any(v.numerators)]
    pairs = _complete_pairs(
        [p_all[i] for i in p_keep], [q_all[j] for j in q_keep], (1 << (m + n)) - 1, degenerate
    )
    found = []
    for a, b in pairs:
        i, j = p_keep[a], q_keep[b]
        x, y = _normalised(p_vertices[i]), _normalised(q_vertices[j])
        found.append((_order_key(x, y), x, y, i, j))
    found.sort(key=lambda item: item[0])
    rows = tuple(item[1] for item in found)
    cols = tuple(item[2] for item in found)
    payoffs = tuple(
        (_expected(Ae, x, y), _expected(Be, x, y)) for x, y in zip(rows, cols, strict=True)
    )
    return ExactGame(
        rows=rows,
        cols=cols,
        payoffs=payoffs,
        x_ids=tuple(item[3] for item in found),
        y_ids=tuple(item[4] for item in found),
        degenerate=degenerate,
    )


def _support_mask(v: Sequence[Fraction]) -> int:
    return sum(1 << i for i, p in enumerate(v) if p > 0)


def _order_key(
    x: tuple[Fraction, ...], y: tuple[Fraction, ...]
) -> tuple[int, int, tuple[Fraction, ...], tuple[Fraction, ...]]:
    """The report order of :func:`sim.solver.solve_games`: supports, then probabilities."""
    return (_support_mask(x), _support_mask(y), x, y)


def _expected(M: ExactMatrix, x: Sequence[Fraction], y: Sequence[Fraction]) -> Fraction:
    """``x^T M y`` exactly (terms with a zero probability skipped)."""
    total = Fraction(0)
    for i, p in enumerate(x):
        if p:
            total += p * sum((M[i][j] * q for j, q in enumerate(y) if q), Fraction(0))
    return total


def _floats(values: Sequence[Fraction]) -> npt.NDArray[np.float64]:
    """Correctly rounded float64 values of exact numbers."""
    return np.array([float(v) for v in values], dtype=np.float64)


def game_solution(
    result: ExactGame, method: str = "enumeration", warnings: tuple[str, ...] = ()
) -> GameSolution:
    """Package an :class:`ExactGame` as a :class:`GameSolution` with exact fields."""
    n_eq = len(result.rows)
    component = label_components(
        np.zeros(n_eq, dtype=np.int64), list(result.x_ids), list(result.y_ids)
    )
    n_components = int(component.max()) + 1 if n_eq else 0
    components = tuple(
        tuple(int(e) for e in np.flatnonzero(component == c)) for c in range(n_components)
    )
    equilibria = tuple(
        Equilibrium(
            row=_floats(x),
            col=_floats(y),
            payoffs=(float(u[0]), float(u[1])),
            component=int(component[e]),
            exact_row=x,
            exact_col=y,
            exact_payoffs=u,
        )
        for e, (x, y, u) in enumerate(zip(result.rows, result.cols, result.payoffs, strict=True))
    )
    return GameSolution(
        equilibria=equilibria,
        degenerate=result.degenerate,
        components=components,
        maximal_nash_subsets=maximal_nash_subsets(list(result.x_ids), list(result.y_ids)),
        method=method,
        warnings=warnings,
        exact=True,
    )


def solve_game_exact(A: object, B: object) -> GameSolution:
    """Every extreme Nash equilibrium of one game in exact rational arithmetic.

    The exact counterpart of :func:`sim.solver.solve_game` (same order, components and
    maximal Nash subsets; the same results as Gambit's rational ``enummixed``), with each
    :class:`Equilibrium` carrying ``exact_row``, ``exact_col`` and ``exact_payoffs``.

    Parameters
    ----------
    A, B
        Payoffs ``m x n``: Fractions, integers, floats (read as the binary rationals they store,
        ``Fraction(float)``) or Decimals.

    Returns
    -------
    GameSolution
        With ``exact=True`` and ``method="enumeration"``.

    Raises
    ------
    SolverError
        A payoff is not a finite number, or the game is too degenerate for the search budget
        (:data:`sim.solver.exact_vertices.EXACT_MAX_BASES`).
    """
    return game_solution(solve_exact_equilibria(A, B))
