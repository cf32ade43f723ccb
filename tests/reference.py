"""Independent exact reference: every extreme Nash equilibrium of a bimatrix game, in rationals.

Used by the tests only. It shares no code with :mod:`sim.solver` and uses no floating point:
payoffs are converted to :class:`fractions.Fraction` and every step is exact.

Method (B. von Stengel, "Equilibrium computation for two-player games in strategic and
extensive form", ch. 3 of *Algorithmic Game Theory*, 2007: labelled best-response polytopes;
D. Avis, G. Rosenberg, R. Savani, B. von Stengel, "Enumeration of Nash equilibria for
two-player games", *Economic Theory* 42, 2010):

1. shift each player's payoffs so they are all at least 1 (this changes no equilibrium) and
   scale them to integers;
2. best-response polytopes ``P = {x >= 0 : B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}``, with
   labels ``i`` (row strategy i) and ``m + j`` (column strategy j): ``x`` has label ``i`` when
   ``x_i = 0`` and label ``m + j`` when ``(B^T x)_j = 1``; ``y`` has label ``i`` when
   ``(A y)_i = 1`` and label ``m + j`` when ``y_j = 0``;
3. every vertex of ``P`` is where some ``m`` linearly independent inequalities are tight. Choosing
   them means choosing the zero set (the complement of a support ``I``) and ``|I|`` tight payoff
   constraints ``J``; the system is then ``B[I, J]^T x_I = 1``, solved exactly by
   fraction-free Gaussian elimination in integers (Bareiss 1968). All ``C(m + n, m)`` subsets
   are tried; singular systems and infeasible points are dropped; each vertex gets its *full*
   label set from all ``m + n`` inequalities;
4. a pair of non-zero vertices whose labels together cover all ``m + n`` labels is an extreme
   equilibrium, after normalising each vector to sum to one.

A game is degenerate when some mixed strategy with ``k`` strategies in its support has more than
``k`` pure best responses (von Stengel 2007); equivalently, some vertex of ``P`` has more than
``m`` labels or some vertex of ``Q`` more than ``n`` labels, which is what is checked here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from itertools import combinations
from numbers import Rational

import numpy as np

Profile = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]
Matrix = list[list[Fraction]]


def exact(value: object) -> Fraction:
    """Exact rational value of a payoff.

    Integers and fractions (including pygambit's ``Rational``) are taken as they are; a float is
    read as its shortest decimal representation (``0.811`` means 811/1000), which is how a
    decimal payoff typed in a file is meant.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a payoff cannot be a bool")
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, float | np.floating):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"payoff {number} is not finite")
        return Fraction(repr(number))
    raise TypeError(f"cannot read {value!r} as an exact payoff")


def exact_matrix(M: object) -> Matrix:
    """Exact copy of a 2-D payoff table (nested lists or a numpy array of any dtype)."""
    rows = [list(row) for row in np.asarray(M, dtype=object)]
    if not rows or not rows[0]:
        raise ValueError("a payoff matrix needs at least one row and one column")
    return [[exact(v) for v in row] for row in rows]


def _positive_integer_matrix(M: Matrix) -> list[list[int]]:
    """Shift so every entry is at least 1, then scale to integers (equilibria unchanged)."""
    low = min(min(row) for row in M)
    shifted = [[v - low + 1 for v in row] for row in M]
    scale = 1
    for row in shifted:
        for v in row:
            scale = scale * v.denominator // math.gcd(scale, v.denominator)
    return [[int(v * scale) for v in row] for row in shifted]


def _solve(M: list[list[int]]) -> tuple[list[int], int] | None:
    """Solve ``M z = 1`` exactly for an integer matrix; None if M is singular.

    Fraction-free Gauss-Jordan elimination (Bareiss 1968): every division is exact, so all
    arithmetic stays in integers. Returns ``(numerators, d)`` with ``z_i = numerators[i] / d``
    and ``d > 0``.
    """
    k = len(M)
    a = [[*row, 1] for row in M]
    previous = 1
    for col in range(k):
        pivot = next((r for r in range(col, k) if a[r][col] != 0), None)
        if pivot is None:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        pivot_row = a[col]
        p = pivot_row[col]
        for r in range(k):
            if r == col:
                continue
            row = a[r]
            f = row[col]
            for c in range(k + 1):
                row[c] = (p * row[c] - f * pivot_row[c]) // previous
        previous = p
    d = a[0][0]
    numerators = [a[i][k] for i in range(k)]
    if d < 0:
        d, numerators = -d, [-v for v in numerators]
    return numerators, d


Vertex = tuple[tuple[Fraction, ...], frozenset[int], frozenset[int]]


def _vertices(C: list[list[int]]) -> list[Vertex]:
    """Non-zero vertices of ``{z in R^d : z >= 0, C z <= 1}`` for a positive ``c x d`` matrix C.

    Returns ``(z, zero_set, tight_set)`` for each vertex, with the full sets of indices ``i``
    where ``z_i = 0`` and rows ``j`` where ``(C z)_j = 1``.
    """
    c, d = len(C), len(C[0])
    found: dict[tuple[Fraction, ...], tuple[frozenset[int], frozenset[int]]] = {}
    for k in range(1, min(c, d) + 1):
        for support in combinations(range(d), k):
            for tight in combinations(range(c), k):
                solution = _solve([[C[j][i] for i in support] for j in tight])
                if solution is None:
                    continue
                numerators, denominator = solution
                if any(v < 0 for v in numerators):
                    continue
                z_num = [0] * d
                for i, v in zip(support, numerators, strict=True):
                    z_num[i] = v
                # (C z)_j <= 1  <=>  sum_i C[j][i] * z_num[i] <= denominator
                values = [sum(C[j][i] * z_num[i] for i in support) for j in range(c)]
                if any(v > denominator for v in values):
                    continue
                key = tuple(Fraction(v, denominator) for v in z_num)
                if key in found:
                    continue
                zeros = frozenset(i for i in range(d) if z_num[i] == 0)
                tights = frozenset(j for j in range(c) if values[j] == denominator)
                found[key] = (zeros, tights)
    return [(z, zeros, tights) for z, (zeros, tights) in found.items()]


def _polytopes(
    A: object, B: object
) -> tuple[
    int,
    int,
    list[tuple[tuple[Fraction, ...], frozenset[int]]],
    list[tuple[tuple[Fraction, ...], frozenset[int]]],
]:
    """Labelled vertices of P and Q (labels as in the module docstring)."""
    Ae, Be = exact_matrix(A), exact_matrix(B)
    m, n = len(Ae), len(Ae[0])
    if len(Be) != m or any(len(row) != n for row in Ae + Be):
        raise ValueError("A and B must both be m x n")
    Ai = _positive_integer_matrix(Ae)
    Bi = _positive_integer_matrix(Be)
    BT = [[Bi[i][j] for i in range(m)] for j in range(n)]
    p_vertices = [
        (x, zeros | frozenset(m + j for j in tights)) for x, zeros, tights in _vertices(BT)
    ]
    q_vertices = [
        (y, tights | frozenset(m + j for j in zeros)) for y, zeros, tights in _vertices(Ai)
    ]
    return m, n, p_vertices, q_vertices


def _normalise(v: Sequence[Fraction]) -> tuple[Fraction, ...]:
    total = sum(v, Fraction(0))
    return tuple(x / total for x in v)


def extreme_equilibria(A: object, B: object) -> set[Profile]:
    """Every extreme Nash equilibrium of the bimatrix game ``(A, B)``, exactly.

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, ``m x n`` (numbers as accepted by
        :func:`exact`).

    Returns
    -------
    set of (row strategy, column strategy)
        Each strategy a tuple of :class:`~fractions.Fraction` probabilities summing to one.
    """
    m, n, p_vertices, q_vertices = _polytopes(A, B)
    everything = frozenset(range(m + n))
    result: set[Profile] = set()
    for x, x_labels in p_vertices:
        for y, y_labels in q_vertices:
            if x_labels | y_labels == everything:
                result.add((_normalise(x), _normalise(y)))
    return result


def is_degenerate(A: object, B: object) -> bool:
    """True when some vertex of P has more than m labels or some vertex of Q more than n."""
    m, n, p_vertices, q_vertices = _polytopes(A, B)
    return any(len(labels) > m for _, labels in p_vertices) or any(
        len(labels) > n for _, labels in q_vertices
    )


def is_nash(A: object, B: object, x: Iterable[object], y: Iterable[object]) -> bool:
    """Exact check that ``(x, y)`` is a Nash equilibrium: mixed strategies, mutual best replies."""
    Ae, Be = exact_matrix(A), exact_matrix(B)
    xs, ys = [exact(v) for v in x], [exact(v) for v in y]
    m, n = len(Ae), len(Ae[0])
    if len(xs) != m or len(ys) != n:
        return False
    if any(v < 0 for v in xs + ys) or sum(xs) != 1 or sum(ys) != 1:
        return False
    row_values = [sum((Ae[i][j] * ys[j] for j in range(n)), Fraction(0)) for i in range(m)]
    col_values = [sum((Be[i][j] * xs[i] for i in range(m)), Fraction(0)) for j in range(n)]
    best_row, best_col = max(row_values), max(col_values)
    return all(row_values[i] == best_row for i in range(m) if xs[i] > 0) and all(
        col_values[j] == best_col for j in range(n) if ys[j] > 0
    )


def as_float_profiles(profiles: Iterable[Profile]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The profiles as pairs of float64 arrays (for comparing with a floating-point solver)."""
    return [(np.array([float(v) for v in x]), np.array([float(v) for v in y])) for x, y in profiles]
