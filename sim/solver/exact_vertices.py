"""Every vertex of a best-response polytope, in exact integer arithmetic, by pivoting.

The polytope is ``{z in R^p : z >= 0, C z <= 1}`` for a ``q x p`` matrix ``C`` of positive
integers (B. von Stengel, "Equilibrium computation for two-player games in strategic and
extensive form", ch. 3 of *Algorithmic Game Theory*, 2007, section 3.2). It is bounded (every
entry of ``C`` is positive) and contains the origin, a vertex.

Method: a breadth-first search over *feasible bases* (the graph traversal behind the
vertex-enumeration methods surveyed in D. Avis and K. Fukuda, "A pivoting algorithm for
convex hulls and vertex enumeration of arrangements and polyhedra", *Discrete Comput. Geom.*
8, 1992). A basis is a choice of ``p`` tight inequalities (the *nonbasic* variables, at zero)
with a nonsingular system; it is feasible when the other ``q`` variables are non-negative.
Two bases are neighbours when one pivot exchanges one nonbasic and one basic variable. The
search visits every feasible basis:

- an ordinary pivot lets a nonbasic variable increase until a basic one reaches zero (minimum
  ratio test; ties give several neighbours) and moves along an edge of the polytope; every
  edge leaving a vertex starts with such a pivot from some basis of that vertex;
- at a degenerate vertex (more than ``p`` tight inequalities) an exchange with any basic
  variable that is already zero keeps the same point. All bases of one vertex are the bases
  of the matroid of its tight inequalities, which single exchanges connect.

The polytope graph is connected, so the search reaches every vertex, and at each vertex its
*full* set of tight inequalities (its labels), degenerate vertices included.

Arithmetic: the integer ("fraction-free") tableau of lrs (Avis 2000, "lrs: a revised
implementation of the reverse search vertex enumeration algorithm"): entries are integers,
``d`` is the determinant of the current basis, and each pivot divides exactly by the previous
one (Bareiss 1968). Nothing is rounded; Python integers have no size limit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from sim.errors import SolverError

__all__ = ["EXACT_MAX_BASES", "EXACT_MAX_ENTRIES", "ExactVertex", "exact_polytope_vertices"]

EXACT_MAX_BASES = 60_000
"""Feasible bases the search may visit per polytope before it gives up with a
:class:`~sim.errors.SolverError`. Each basis costs one pivot of ``p x q`` integer operations
(about 2 ms for a 10 x 10 game, measured), so this bounds the time to a few tens of seconds;
random 10 x 10 games have about 1,500, 6 x 6 games about 40."""

EXACT_MAX_ENTRIES = 4_000_000
"""Largest number of tableau entries (bases times ``(p + 1) q``) the search may create: each
tableau waits in the queue until it is expanded, so this bounds memory (about 200 MB of Python
integers)."""


@dataclass(frozen=True)
class ExactVertex:
    """One vertex of the polytope.

    Attributes
    ----------
    numerators
        ``z_c = numerators[c] / denominator`` for each coordinate ``c`` (``p`` integers >= 0).
    denominator
        A positive integer.
    tight
        Bitmask over the ``p + q`` inequalities: bit ``c < p`` for ``z_c = 0``, bit ``p + r``
        for ``(C z)_r = 1``.
    """

    numerators: tuple[int, ...]
    denominator: int
    tight: int


@dataclass
class _Tableau:
    """``d * basic[r] = rhs[r] - sum_c rows[r][c] * nonbasic[c]`` with integers, ``d > 0``."""

    basic: list[int]
    nonbasic: list[int]
    rhs: list[int]
    rows: list[list[int]]
    d: int


def _pivot(t: _Tableau, leave: int, enter: int) -> _Tableau:
    """Exchange basic variable ``t.basic[leave]`` with nonbasic ``t.nonbasic[enter]``.

    Integer pivoting (Bareiss): with pivot ``a = rows[leave][enter]``, every other entry
    becomes ``(a x - y z) / d``, an exact division; the pivot row keeps its entries and gets
    ``d`` in the entering column. The result is negated when ``a < 0`` so that ``d > 0``.
    """
    a = t.rows[leave][enter]
    d = t.d
    pivot_row = t.rows[leave]
    pivot_rhs = t.rhs[leave]
    rows: list[list[int]] = []
    rhs: list[int] = []
    for r, row in enumerate(t.rows):
        if r == leave:
            new = list(pivot_row)
            new[enter] = d
            rows.append(new)
            rhs.append(pivot_rhs)
            continue
        f = row[enter]
        if f == 0:
            # Only the scale changes: (a x - 0) / d.
            rows.append([(a * v) // d for v in row])
            rhs.append((a * t.rhs[r]) // d)
            continue
        new = [(a * v - f * w) // d for v, w in zip(row, pivot_row, strict=True)]
        new[enter] = -f
        rows.append(new)
        rhs.append((a * t.rhs[r] - f * pivot_rhs) // d)
    basic = list(t.basic)
    nonbasic = list(t.nonbasic)
    basic[leave], nonbasic[enter] = nonbasic[enter], basic[leave]
    if a < 0:
        rows = [[-v for v in row] for row in rows]
        rhs = [-v for v in rhs]
        a = -a
    return _Tableau(basic, nonbasic, rhs, rows, a)


def _moves(t: _Tableau) -> list[tuple[int, int]]:
    """Every ``(leave, enter)`` pivot from feasible basis ``t`` to another feasible basis."""
    moves: list[tuple[int, int]] = []
    q = len(t.rows)
    for enter in range(len(t.nonbasic)):
        best_rhs, best_a = -1, 1
        ratio_rows: list[int] = []
        for r in range(q):
            a = t.rows[r][enter]
            if a > 0:
                # Basic variable r falls as the entering one rises: minimum ratio rhs / a.
                value = t.rhs[r]
                if best_rhs < 0 or value * best_a < best_rhs * a:
                    best_rhs, best_a = value, a
                    ratio_rows = [r]
                elif value * best_a == best_rhs * a:
                    ratio_rows.append(r)
            elif a < 0 and t.rhs[r] == 0:
                moves.append((r, enter))  # degenerate exchange: the point stays put
        moves.extend((r, enter) for r in ratio_rows)
    return moves


def exact_polytope_vertices(
    C: Sequence[Sequence[int]], max_bases: int | None = None
) -> list[ExactVertex]:
    """Every vertex of ``{z >= 0 : C z <= 1}``, the origin first, with its full tight set.

    Parameters
    ----------
    C
        ``q x p`` positive integers (``q >= 1`` rows, ``p >= 1`` columns).
    max_bases
        Largest number of feasible bases to visit; by default :data:`EXACT_MAX_BASES`, or
        fewer for large polytopes so that at most :data:`EXACT_MAX_ENTRIES` tableau entries
        are created.

    Returns
    -------
    list of ExactVertex
        In the order the breadth-first search first reaches them (deterministic).

    Raises
    ------
    SolverError
        The polytope has more than ``max_bases`` feasible bases.
    """
    q, p = len(C), len(C[0])
    if any(len(row) != p for row in C) or any(v <= 0 for row in C for v in row):
        raise ValueError("C must be a non-empty matrix of positive integers")
    if max_bases is None:
        max_bases = max(1, min(EXACT_MAX_BASES, EXACT_MAX_ENTRIES // ((p + 1) * q)))
    start = _Tableau(
        basic=[p + r for r in range(q)],
        nonbasic=list(range(p)),
        rhs=[1] * q,
        rows=[[int(v) for v in row] for row in C],
        d=1,
    )
    seen = {_key(start)}
    queue = deque([start])
    vertices: dict[int, ExactVertex] = {}
    while queue:
        t = queue.popleft()
        tight = 0
        for v in t.nonbasic:
            tight |= 1 << v
        numerators = [0] * p
        for r, v in enumerate(t.basic):
            if t.rhs[r] == 0:
                tight |= 1 << v
            elif v < p:
                numerators[v] = t.rhs[r]
        if tight not in vertices:  # a vertex is determined by its tight set
            vertices[tight] = ExactVertex(tuple(numerators), t.d, tight)
        here = _key(t)
        for leave, enter in _moves(t):
            key = here ^ (1 << t.nonbasic[enter]) ^ (1 << t.basic[leave])
            if key in seen:
                continue
            if len(seen) >= max_bases:
                raise SolverError(
                    f"exact enumeration gave up: a best-response polytope of this game has "
                    f"more than {max_bases:,} corner descriptions (the game is highly "
                    "degenerate and large); remove duplicated or dominated strategies, or use "
                    "method 'lemke-howson' to find one equilibrium"
                )
            seen.add(key)
            queue.append(_pivot(t, leave, enter))
    return list(vertices.values())


def _key(t: _Tableau) -> int:
    """Bitmask of the nonbasic variables: identifies the basis."""
    key = 0
    for v in t.nonbasic:
        key |= 1 << v
    return key
