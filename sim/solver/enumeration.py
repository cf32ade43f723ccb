"""Every extreme Nash equilibrium of stacks of bimatrix games, certified or solved exactly.

Method: vertex enumeration of the best-response polytopes with full label sets (B. von Stengel,
"Equilibrium computation for two-player games in strategic and extensive form", ch. 3 of
*Algorithmic Game Theory*, 2007, sections 3.4-3.6; D. Avis, G. Rosenberg, R. Savani,
B. von Stengel, "Enumeration of Nash equilibria for two-player games", *Economic Theory* 42
(2010) 9-37), in floating point, batched over a stack of games, with every game whose answer
floating point cannot certify solved again in exact rational arithmetic.

1. Move each player's payoffs into ``[1, 2)``: subtract the minimum and divide by the power of
   two above the spread (exact for integer and most decimal payoffs; no equilibrium changes).
   A constant payoff matrix becomes all ones.
2. ``P = {x >= 0 : B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}`` with labels ``0..m-1`` (row
   strategies) and ``m..m+n-1`` (column strategies).
3. A vertex of ``P`` is a feasible point where ``m`` linearly independent inequalities are tight.
   Choosing them means choosing a support ``S`` (``|S| = k``) and ``k`` tight payoff constraints
   ``J``: the ``k x k`` system ``B[S, J]^T x_S = 1`` (``x = 0`` off ``S``). All
   ``C(m + n, m)`` choices are tried for a whole chunk of games at once
   (:mod:`sim.solver.vertices`); each surviving point gets its full label set, every slack
   judged relative to the payoff terms it compares. Likewise for ``Q``.
4. A game is *flagged* (:mod:`sim.solver.certify`) when some decision was within its
   uncertainty band, a near-corner system was singular, the rescaling lost precision, the game
   has ties (degenerate), or the answer fails a check (no equilibrium; an even number of them;
   two equilibria within the merge distance; an equilibrium that holds only up to the
   tolerance). Flagged games are solved again exactly (:mod:`sim.solver.exact`) and the exact
   answer, rounded to float64, replaces the float one (``EquilibriumTable.exact``).
5. In the other games every vertex has exactly its dimension of labels, so the equilibria are
   the pairs of vertices with complementary labels: a table lookup. They are isolated.

Every operation is element-wise per game, and flags are per game, so a game gets bit-for-bit
the same answer alone or in any stack.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from sim.errors import SolverError
from sim.solver.certify import (
    DEGENERATE,
    EVEN_COUNT,
    NONE_FOUND,
    PRECISION,
    ROUNDING,
    VERIFY,
    precision_lost,
)
from sim.solver.certify import (
    MERGE as MERGE_FLAG,
)
from sim.solver.components import label_components
from sim.solver.exact import solve_exact_equilibria
from sim.solver.one_strategy import is_one_strategy_game, solve_one_strategy_games
from sim.solver.polish import polish_mixtures
from sim.solver.types import BoolArray, EquilibriumTable, FloatArray, IntArray
from sim.solver.verify import close_equilibria, fixed_order_sum, verified_payoffs
from sim.solver.vertices import (
    BLOCK_SYSTEMS,
    MERGE,
    SINGULAR_RCOND,
    Vertices,
    polytope_vertices,
    popcount,
)

__all__ = [
    "ENUMERATION_MAX_SYSTEMS",
    "MAX_STRATEGIES_TOTAL",
    "MAX_SYSTEMS",
    "SINGULAR_RCOND",
    "enumerate_equilibria",
    "enumeration_is_practical",
    "solve_games",
]

MAX_STRATEGIES_TOTAL = 62
"""Largest ``m + n`` for games where both players have several strategies: label sets are
int64 bitmasks. (Games where one player has a single strategy have no limit.)"""

MAX_SYSTEMS = 10**8
"""Largest ``C(m + n, m)``, the number of linear systems per polytope (a 14x14 game has
4e7 and takes minutes; beyond that enumeration is impractical and we refuse early)."""

ENUMERATION_MAX_SYSTEMS = math.comb(20, 10)
"""Largest ``C(m + n, m)`` (linear systems per polytope) for which :func:`sim.solver.solve_game`
and sweeps enumerate every equilibrium: 184,756, a 10x10 game, about 0.4 s per game on one core
(measured). Every extra strategy multiplies the work by about 4 (11x11: ~1.5 s, 12x12: ~6 s per
game), so larger games fall back to the Lemke-Howson algorithm, which finds one equilibrium
in milliseconds."""


def enumeration_is_practical(m: int, n: int) -> bool:
    """Whether every equilibrium of an ``m x n`` game is listed in at most about 0.5 s.

    True up to 10 x 10 (:data:`ENUMERATION_MAX_SYSTEMS`) and for every game in which one player
    has a single strategy (solved directly by best responses, :mod:`sim.solver.one_strategy`).
    """
    if is_one_strategy_game(m, n):
        return True
    return m + n <= MAX_STRATEGIES_TOTAL and math.comb(m + n, m) <= ENUMERATION_MAX_SYSTEMS


_JOINT_POLYTOPES = 256
"""Chunks of at most this many square games enumerate both polytopes in one pass."""

_DENSE_LOOKUP = 1 << 22
"""Largest ``2^(m+n) * games`` for which partner lookup uses a dense table (else a sort)."""


@dataclass(frozen=True)
class StackSolution:
    """Internal result of :func:`enumerate_equilibria`: the table plus strategy ids and flags.

    ``x_ids``/``y_ids`` identify the row/column strategy of each equilibrium: the vertex of
    ``P``/``Q`` behind it (unique over the whole stack). :func:`sim.solver.solve_game` uses them
    for maximal Nash subsets. ``flags`` holds each game's certification flags
    (:mod:`sim.solver.certify`; 0 where the float answer was certified).
    """

    table: EquilibriumTable
    x_ids: IntArray
    y_ids: IntArray
    flags: npt.NDArray[np.uint16]


def _rescale(M: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Each game's payoffs moved into ``[1, 2)``: ``1 + (M - min) / 2^e``, ``2^e > max - min``.

    Dividing by a power of two is exact, so integer payoffs (and sums of few powers of two)
    stay exact; rounding happens only in ``M - min`` and ``1 + ...`` (see ``PRECISION`` in
    :mod:`sim.solver.certify`). A constant matrix becomes all ones. Returns the rescaled stack
    and each game's unit ``2^e``.
    """
    flat = M.reshape(M.shape[0], -1)
    if flat.shape[1] <= 16:
        # Element-wise over the few entries: faster than a reduction over a short axis.
        low = flat[:, 0].copy()
        high = flat[:, 0].copy()
        for e in range(1, flat.shape[1]):
            np.minimum(low, flat[:, e], out=low)
            np.maximum(high, flat[:, e], out=high)
    else:
        low = flat.min(axis=1)
        high = flat.max(axis=1)
    with np.errstate(over="ignore"):
        # A spread beyond 2^1023 (payoffs near +-1e308) gives an infinite unit; every compared
        # difference then counts as distorted (PRECISION) and the game is solved exactly.
        spread = high - low
        _, exponent = np.frexp(np.where(spread > 0.0, spread, 1.0))
        unit = np.ldexp(1.0, exponent)
    scaled = 1.0 + (M - low[:, None, None]) / unit[:, None, None]
    return scaled, unit


def _pair(
    gP: IntArray, maskP: IntArray, gQ: IntArray, maskQ: IntArray, n_labels: int, n_games: int
) -> tuple[IntArray, IntArray]:
    """Index pairs ``(x, y)`` of the same game with complementary labels.

    Only for games without degenerate vertices: every vertex has exactly m (resp. n) labels,
    so the partner must carry exactly the complementary labels, which is a lookup.
    """
    all_labels = (1 << n_labels) - 1
    want = all_labels ^ maskP
    if (1 << n_labels) * n_games <= _DENSE_LOOKUP:
        # Flat int32 table indexed by (label set, game): half the memory traffic of int64.
        table = np.full((1 << n_labels) * n_games, -1, dtype=np.int32)
        table[maskQ * n_games + gQ] = np.arange(gQ.size, dtype=np.int32)
        partner = table[want * n_games + gP]
        hit = np.flatnonzero(partner >= 0)
        return hit, partner[hit].astype(np.int64)
    keyQ = (gQ << n_labels) | maskQ
    sortQ = np.argsort(keyQ)
    keys = keyQ[sortQ]
    if keys.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    target = (gP << n_labels) | want
    pos = np.minimum(np.searchsorted(keys, target), keys.size - 1)
    hit = np.flatnonzero(keys[pos] == target)
    return hit, sortQ[pos[hit]]


@dataclass(frozen=True)
class _ChunkResult:
    game: IntArray
    row: FloatArray
    col: FloatArray
    payoffs: FloatArray
    component: IntArray
    degenerate: BoolArray
    count: IntArray
    exact: BoolArray
    flags: npt.NDArray[np.uint16]
    x_ids: IntArray
    y_ids: IntArray
    n_x: int
    n_y: int


def _normalise(v: FloatArray) -> FloatArray:
    return v / fixed_order_sum(v)[:, None]


def _order_equilibria(
    game: IntArray, row: FloatArray, col: FloatArray, n_games: int
) -> tuple[IntArray, IntArray]:
    """Report order: by game, then row-support bitmask, column-support bitmask, probabilities.

    Only games with several equilibria need more than a sort by game, and only degenerate
    games can have two equilibria with the same supports (a non-degenerate game has at most
    one per support pair), so probabilities are compared only there. Ties left after that are
    broken by the (deterministic) order in which the equilibria were found.
    """
    m, n = row.shape[1], col.shape[1]
    order = np.argsort(game.astype(np.uint16) if n_games <= 1 << 16 else game, kind="stable")
    count = np.bincount(game, minlength=n_games).astype(np.int64)
    multi = np.flatnonzero(count[game[order]] > 1)
    if multi.size:
        sub = order[multi]
        row_support = (row[sub] > 0).astype(np.int64) @ np.left_shift(1, np.arange(m))
        col_support = (col[sub] > 0).astype(np.int64) @ np.left_shift(1, np.arange(n))
        key = (game[sub] << (m + n)) | (row_support << n) | col_support
        by_key = np.argsort(key)  # unique keys except in degenerate games (handled below)
        sub, key = sub[by_key], key[by_key]
        tie = key[1:] == key[:-1]
        if np.any(tie):
            in_tie = np.zeros(sub.size, dtype=bool)
            in_tie[1:] |= tie
            in_tie[:-1] |= tie
            at = np.flatnonzero(in_tie)
            tied = sub[at]
            sub[at] = tied[np.lexsort((tied, *col[tied].T[::-1], *row[tied].T[::-1], key[at]))]
        order[multi] = sub
    return order, count


#: ``exact_payoffs(k)``: the exact payoffs ``(A, B)`` that game ``k`` of a stack stands for, or
#: ``None`` to use the binary values of its floats (see :func:`solve_games`).
ExactPayoffsFn = Callable[[int], "tuple[object, object] | None"]


def _solve_chunk(
    A: FloatArray,
    B: FloatArray,
    tol: float,
    exact_payoffs: ExactPayoffsFn | None = None,
    uncertain: BoolArray | None = None,
) -> _ChunkResult:
    """Extreme equilibria of a chunk of ``G`` games (see the module docstring);
    ``exact_payoffs`` and ``uncertain`` are indexed within the chunk."""
    G, m, n = A.shape
    if (m, n) == (2, 2):
        return _solve_chunk_2x2(A, B, exact_payoffs, uncertain)
    n_labels = m + n
    As, a_unit = _rescale(A)
    Bs, b_unit = _rescale(B)
    flags = np.zeros(G, dtype=np.uint16)
    flags[precision_lost(A, B, a_unit, b_unit)] |= PRECISION
    if uncertain is not None:
        flags[uncertain] |= ROUNDING

    # P = {x >= 0 : B^T x <= 1}: constraint rows are columns j of B (labels m + j), variables
    # are rows i (labels i).  Q = {y >= 0 : A y <= 1}: rows i (labels i), variables j (m + j).
    MtP = Bs.transpose(2, 1, 0)
    MtQ = As.transpose(1, 2, 0)
    if m == n and G <= _JOINT_POLYTOPES:
        # Same shapes, few games: enumerate both polytopes in one pass (half the array
        # operations; for many games the split afterwards costs more than it saves).
        both_flags = np.zeros(2 * G, dtype=np.uint16)
        stacked = np.ascontiguousarray(np.concatenate([MtP, MtQ], axis=2))
        both = polytope_vertices(stacked, tol, both_flags)
        flags |= both_flags[:G] | both_flags[G:]
        in_P = both.game < G
        vP, vQ = both.select(in_P), both.select(~in_P, G)
    else:
        vP = polytope_vertices(np.ascontiguousarray(MtP), tol, flags)
        vQ = polytope_vertices(np.ascontiguousarray(MtQ), tol, flags)
    maskP = vP.zero | (vP.tight << m)
    maskQ = vQ.tight | (vQ.zero << m)
    # A vertex with extra labels: the game has ties, decided by tolerance in floating point.
    flags[vP.game[popcount(maskP) > m]] |= DEGENERATE
    flags[vQ.game[popcount(maskQ) > n]] |= DEGENERATE

    game, row, col, iP, iQ = _certified_pairs(vP, maskP, vQ, maskQ, flags, n_labels, G)
    count = np.bincount(game, minlength=G).astype(np.int64)
    certified = flags == 0
    flags[certified & (count == 0)] |= NONE_FOUND
    flags[certified & (count % 2 == 0) & (count > 0)] |= EVEN_COUNT  # odd when non-degenerate
    flags[close_equilibria(game, row, col, count, MERGE * tol, G)] |= MERGE_FLAG
    row, col = polish_mixtures(A, B, game, row, col)  # in the original payoffs' precision
    payoffs, doubtful = verified_payoffs(A, B, count, row, col)
    flags[game[doubtful]] |= VERIFY
    keep = flags[game] == 0
    game, row, col, payoffs = game[keep], row[keep], col[keep], payoffs[keep]
    floats = _certified(
        game, row, col, payoffs, flags, (iP[keep], iQ[keep]), vP.game.size, vQ.game.size
    )
    return _with_exact_games(A, B, floats, exact_payoffs)


def _certified(
    game: IntArray,
    row: FloatArray,
    col: FloatArray,
    payoffs: FloatArray,
    flags: npt.NDArray[np.uint16],
    ids: tuple[IntArray, IntArray],
    n_x: int,
    n_y: int,
) -> _ChunkResult:
    """The chunk's certified equilibria (flagged games have none yet). Certified games are
    non-degenerate: every equilibrium is isolated, numbered in order within its game."""
    G = flags.size
    count = np.bincount(game, minlength=G).astype(np.int64)
    component = np.arange(game.size, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    no = np.zeros(G, dtype=bool)
    return _ChunkResult(
        game, row, col, payoffs, component, no, count, no.copy(), flags, *ids, n_x, n_y
    )


def _solve_chunk_2x2(
    A: FloatArray,
    B: FloatArray,
    exact_payoffs: ExactPayoffsFn | None,
    uncertain: BoolArray | None,
) -> _ChunkResult:
    """A chunk of 2x2 games by the signs of their payoff differences
    (:mod:`sim.solver.two_by_two`); flagged games are solved exactly, as for any size."""
    from sim.solver.two_by_two import solve_2x2

    G = A.shape[0]
    flags = np.zeros(G, dtype=np.uint16)
    if uncertain is not None:
        flags[uncertain] |= ROUNDING
    game, row, col, payoffs = solve_2x2(A, B, flags)
    ids = np.arange(game.size, dtype=np.int64)  # each equilibrium its own strategies
    floats = _certified(game, row, col, payoffs, flags, (ids, ids.copy()), game.size, game.size)
    return _with_exact_games(A, B, floats, exact_payoffs)


def _certified_pairs(
    vP: Vertices,
    maskP: IntArray,
    vQ: Vertices,
    maskQ: IntArray,
    flags: npt.NDArray[np.uint16],
    n_labels: int,
    G: int,
) -> tuple[IntArray, FloatArray, FloatArray, IntArray, IntArray]:
    """Equilibria of the games not flagged so far, in report order.

    Returns per equilibrium its game, the normalised strategies and the indices of its vertices
    in ``vP`` and ``vQ``.
    """
    inP = np.flatnonzero(flags[vP.game] == 0)
    inQ = np.flatnonzero(flags[vQ.game] == 0)
    a, b = _pair(vP.game[inP], maskP[inP], vQ.game[inQ], maskQ[inQ], n_labels, G)
    iP, iQ = inP[a], inQ[b]
    game = vP.game[iP]
    row = _normalise(vP.coords[iP])
    col = _normalise(vQ.coords[iQ])
    order, _ = _order_equilibria(game, row, col, G)
    return game[order], row[order], col[order], iP[order], iQ[order]


def _with_exact_games(
    A: FloatArray,
    B: FloatArray,
    floats: _ChunkResult,
    exact_payoffs: ExactPayoffsFn | None = None,
) -> _ChunkResult:
    """The chunk's answer with every flagged game solved exactly (:mod:`sim.solver.exact`).

    A flagged game with a tie (``DEGENERATE``) is solved at ``exact_payoffs(g)`` when that
    gives payoffs, else at its float payoffs read as the binary rationals they store; the
    exact equilibria, rounded to float64, take the place of the flagged games' rows, in
    report order.
    """
    flagged = np.flatnonzero(floats.flags)
    if flagged.size == 0:
        return floats
    m, n = A.shape[1], A.shape[2]
    parts_game, parts_row, parts_col = [floats.game], [floats.row], [floats.col]
    parts_pay, parts_comp = [floats.payoffs], [floats.component]
    parts_x, parts_y = [floats.x_ids], [floats.y_ids]
    count, degenerate, exact = floats.count.copy(), floats.degenerate.copy(), floats.exact.copy()
    n_x, n_y = floats.n_x, floats.n_y
    for g in flagged.tolist():
        # Only a tie can tell decimals from their floats: a game with no tie within the
        # tolerance is decided the same way by both, unless the caller says its payoffs'
        # rounding errors are as large as their differences (ROUNDING).
        wanted = exact_payoffs is not None and bool(floats.flags[g] & (DEGENERATE | ROUNDING))
        given = exact_payoffs(g) if wanted and exact_payoffs is not None else None
        try:
            result = solve_exact_equilibria(*(given if given is not None else (A[g], B[g])))
        except SolverError as err:
            raise SolverError(f"{err.message} (game {g} of the chunk)") from err
        e = len(result.rows)
        count[g], degenerate[g], exact[g] = e, result.degenerate, True
        parts_game.append(np.full(e, g, dtype=np.int64))
        parts_row.append(np.array([[float(v) for v in x] for x in result.rows]).reshape(e, m))
        parts_col.append(np.array([[float(v) for v in y] for y in result.cols]).reshape(e, n))
        parts_pay.append(np.array([[float(u), float(w)] for u, w in result.payoffs]).reshape(e, 2))
        x_ids = np.asarray(result.x_ids, dtype=np.int64)
        y_ids = np.asarray(result.y_ids, dtype=np.int64)
        parts_comp.append(label_components(np.zeros(e, dtype=np.int64), x_ids, y_ids))
        parts_x.append(x_ids + n_x)
        parts_y.append(y_ids + n_y)
        n_x += int(x_ids.max()) + 1 if e else 0
        n_y += int(y_ids.max()) + 1 if e else 0
    game = np.concatenate(parts_game)
    order = np.argsort(game, kind="stable")  # both parts are in report order within a game
    return _ChunkResult(
        game[order],
        np.concatenate(parts_row)[order],
        np.concatenate(parts_col)[order],
        np.concatenate(parts_pay)[order],
        np.concatenate(parts_comp)[order],
        degenerate,
        count,
        exact,
        floats.flags,
        np.concatenate(parts_x)[order],
        np.concatenate(parts_y)[order],
        n_x,
        n_y,
    )


def default_chunk_size(m: int, n: int) -> int:
    """Games per chunk: about :data:`BLOCK_SYSTEMS` systems for the largest system size."""
    most = max(math.comb(m, k) * math.comb(n, k) for k in range(1, min(m, n) + 1))
    return max(1, BLOCK_SYSTEMS // most)


def _check_stack(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    Aa = np.ascontiguousarray(A, dtype=np.float64)
    Ba = np.ascontiguousarray(B, dtype=np.float64)
    if Aa.ndim != 3 or Aa.shape != Ba.shape:
        raise ValueError(f"A and B must both have shape (K, m, n); got {Aa.shape} and {Ba.shape}")
    K, m, n = Aa.shape
    if m < 1 or n < 1:
        raise ValueError("each player needs at least one strategy")
    if not is_one_strategy_game(m, n) and m + n > MAX_STRATEGIES_TOTAL:
        raise SolverError(
            f"a {m}x{n} game is too large for enumerating every equilibrium (at most "
            f"{MAX_STRATEGIES_TOTAL} strategies in total); use method 'lemke-howson' to find one"
        )
    if not is_one_strategy_game(m, n) and math.comb(m + n, m) > MAX_SYSTEMS:
        raise SolverError(
            f"a {m}x{n} game is too large for enumerating every equilibrium "
            f"({math.comb(m + n, m):.2e} linear systems per player); use method "
            "'lemke-howson' to find one"
        )
    for name, M in (("A", Aa), ("B", Ba)):
        finite = np.isfinite(M.reshape(K, m * n)).all(axis=1)
        if not finite.all():
            bad = int(np.flatnonzero(~finite)[0])
            raise SolverError(f"payoff matrix {name} of game {bad} has a non-finite entry")
        if K and np.abs(M).max() > 1e307:  # only then can max - min overflow
            flat = M.reshape(K, m * n)
            with np.errstate(over="ignore"):
                wide = ~np.isfinite(flat.max(axis=1) - flat.min(axis=1))
            if wide.any():
                bad = int(np.flatnonzero(wide)[0])
                raise SolverError(
                    f"payoffs of matrix {name} in game {bad} span more than the largest float; "
                    "rescale them"
                )
    return Aa, Ba


_Scalar = TypeVar("_Scalar", bound=np.generic)


def _joined(arrays: list[npt.NDArray[_Scalar]]) -> npt.NDArray[_Scalar]:
    """The chunks' column as one fresh read-only array (the table then takes it uncopied)."""
    out = np.ascontiguousarray(arrays[0] if len(arrays) == 1 else np.concatenate(arrays))
    out.setflags(write=False)
    return out


def enumerate_equilibria(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    *,
    tol: float = 1e-9,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    exact_payoffs: ExactPayoffsFn | None = None,
    uncertain: npt.ArrayLike | None = None,
) -> StackSolution:
    """:func:`solve_games` plus the strategy ids and flags of each game (internal use)."""
    if not (0.0 < tol < 1e-3):
        raise ValueError(f"tol must be in (0, 1e-3); got {tol}")
    Aa, Ba = _check_stack(A, B)
    K, m, n = Aa.shape
    doubt = None if uncertain is None else np.broadcast_to(np.asarray(uncertain, dtype=bool), (K,))
    if is_one_strategy_game(m, n):
        table, x_ids, y_ids = solve_one_strategy_games(Aa, Ba)
        if progress is not None:
            progress(K, K)
        return StackSolution(table, x_ids, y_ids, np.zeros(K, dtype=np.uint16))
    n_labels = m + n
    chunk = chunk_size if chunk_size is not None else default_chunk_size(m, n)
    if chunk < 1:
        raise ValueError("chunk_size must be at least 1")
    # Keys (game << labels) | mask must fit in int64.
    chunk = min(chunk, 1 << max(0, 62 - n_labels), max(K, 1))
    parts: list[_ChunkResult] = []
    offsets: list[int] = []
    for start in range(0, K, chunk):
        stop = min(start + chunk, K)
        parts.append(
            _solve_chunk(
                Aa[start:stop],
                Ba[start:stop],
                tol,
                None if exact_payoffs is None else _shifted(exact_payoffs, start),
                None if doubt is None else doubt[start:stop],
            )
        )
        offsets.append(start)
        if progress is not None:
            progress(stop, K)
    if not parts:
        empty_i = np.zeros(0, dtype=np.int64)
        table = EquilibriumTable(
            empty_i,
            np.zeros((0, m)),
            np.zeros((0, n)),
            np.zeros((0, 2)),
            empty_i,
            np.zeros(0, dtype=bool),
            empty_i,
        )
        return StackSolution(table, empty_i, empty_i, np.zeros(0, dtype=np.uint16))
    x_base = np.cumsum([0] + [p.n_x for p in parts])
    y_base = np.cumsum([0] + [p.n_y for p in parts])

    table = EquilibriumTable(
        game_index=_joined([p.game + o for p, o in zip(parts, offsets, strict=True)]),
        row=_joined([p.row for p in parts]),
        col=_joined([p.col for p in parts]),
        payoffs=_joined([p.payoffs for p in parts]),
        component=_joined([p.component for p in parts]),
        degenerate=_joined([p.degenerate for p in parts]),
        count=_joined([p.count for p in parts]),
        exact=_joined([p.exact for p in parts]),
    )
    x_ids = np.concatenate([p.x_ids + b for p, b in zip(parts, x_base, strict=False)])
    y_ids = np.concatenate([p.y_ids + b for p, b in zip(parts, y_base, strict=False)])
    flags = np.concatenate([p.flags for p in parts])
    return StackSolution(table, x_ids, y_ids, flags)


def _shifted(exact_payoffs: ExactPayoffsFn, start: int) -> ExactPayoffsFn:
    """``exact_payoffs`` for a chunk that starts at game ``start`` of the stack."""
    return lambda g: exact_payoffs(start + g)


def solve_games(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    *,
    tol: float = 1e-9,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    exact_payoffs: ExactPayoffsFn | None = None,
    uncertain: npt.ArrayLike | None = None,
) -> EquilibriumTable:
    """Every extreme Nash equilibrium of each game of a stack, degenerate games included.

    Vertex enumeration of the best-response polytopes with full label sets (von Stengel 2007,
    sections 3.4-3.6; Avis et al. 2010), batched over the stack: each choice of tight
    constraints is solved for a whole chunk of games in one array operation. Every game whose
    floating-point answer cannot be certified (:mod:`sim.solver.certify`: ties, payoffs of very
    different sizes, comparisons too close to call, failed consistency checks) is solved again
    in exact rational arithmetic, its float payoffs read as the binary rationals they store;
    ``EquilibriumTable.exact`` marks those games. The result therefore has the same extreme
    equilibria as an exact solver's, with the same supports: exact games hold the exact values
    rounded to float64, certified games their float solution (within about 1e-13 of the exact
    values for payoffs of ordinary size). Games in which a player has a single strategy are
    solved directly by best responses (:mod:`sim.solver.one_strategy`), whatever their size.

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(K, m, n)``, finite; ``m + n <= 62``
        unless ``m == 1`` or ``n == 1``.
    tol
        Relative tie tolerance of the floating-point decisions: a slack counts as zero when it
        is at most ``tol`` times the payoff terms it compares (payoffs moved into ``[1, 2)``).
        A decision within a band a few thousand times wider sends the game to the exact path,
        so the answer does not depend on ``tol``.
    chunk_size
        Games solved together; by default chosen from ``(m, n)`` so temporaries stay a few MB.
    progress
        Called as ``progress(done, K)`` after each chunk.
    exact_payoffs
        ``exact_payoffs(k)`` gives the exact payoffs ``(A_k, B_k)`` (Fractions) that game ``k``
        stands for, or ``None``. A game that needs the exact path is solved at those payoffs
        instead of the binary values of its floats: payoffs computed from decimals
        (``3 * 0.1`` and ``0.3``) can tie exactly while their floats differ by an ulp, and
        only the decimals give the intended game. Called only for games with a tie within the
        tolerance and for the ``uncertain`` ones (the others are decided the same way by their
        floats).
    uncertain
        Boolean per game (shape ``(K,)``): the floats may be further from the payoffs the game
        stands for than the tie tolerance, so that a tie can hide in their rounding. Those
        games are solved exactly at ``exact_payoffs(k)``. The caller bounds the rounding (for
        scenarios, :meth:`sim.scenario.Scenario.payoff_rounding`).

    Returns
    -------
    EquilibriumTable
        One row per extreme equilibrium; ``degenerate``, ``count`` and ``exact`` per game.
        Within a game equilibria are ordered by row-support bitmask, column-support bitmask,
        then probabilities. Every floating-point equilibrium has been verified as mutual best
        responses.

    Raises
    ------
    SolverError
        A payoff is not finite, the game is too large for enumeration, or a game that needed
        the exact path is too degenerate for its budget
        (:data:`sim.solver.exact_vertices.EXACT_MAX_BASES`).
    """
    return enumerate_equilibria(
        A,
        B,
        tol=tol,
        chunk_size=chunk_size,
        progress=progress,
        exact_payoffs=exact_payoffs,
        uncertain=uncertain,
    ).table
