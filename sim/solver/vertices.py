"""Vertices of the best-response polytopes of a chunk of games, batched over the games.

Part of the enumeration solver (:mod:`sim.solver.enumeration`; B. von Stengel, "Equilibrium
computation for two-player games in strategic and extensive form", ch. 3 of *Algorithmic
Game Theory*, 2007, sections 3.4-3.6; D. Avis, G. Rosenberg, R. Savani, B. von Stengel,
"Enumeration of Nash equilibria for two-player games", *Economic Theory* 42, 2010): for every
choice of a support ``S`` and as many tight constraints ``J``, the system ``M[J, S] z = 1`` is
solved for all games at once (:mod:`sim.solver.batched_linalg`), infeasible and singular
choices are dropped, and each surviving point gets its full label set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.solver.batched_linalg import (
    all0,
    any0,
    inverse,
    matvec,
    max0,
    norm1,
    or0,
    rowsum,
    solve_ones,
)
from sim.solver.certify import SINGULAR, TOLERANCE
from sim.solver.types import BoolArray, FloatArray, IntArray

__all__ = [
    "BLOCK_SYSTEMS",
    "MERGE",
    "NOISE_ULPS",
    "SINGULAR_RCOND",
    "Vertices",
    "polytope_vertices",
    "popcount",
    "ragged_pairs",
]

SINGULAR_RCOND = 1e-12
"""A ``k x k`` system counts as singular when its reciprocal condition number
``1 / (||S||_1 ||S^-1||_1)`` is below this; otherwise singular but consistent systems produce
fake vertices. Exactly singular systems show ``rcond`` of about 1e-16 after rounding. The
relative determinant ``|det| / prod(row norms)`` suggested in solver-notes.md is not used: with
positive entries it is tiny for well-posed systems too (1e-18 at condition number 2e7 in von
Stengel's 6x6 game with 75 equilibria, which it would lose two equilibria of)."""

_PREFILTER = 1e-2
"""Generous bound on the error of a first, unrefined solution (condition number up to
``1 / SINGULAR_RCOND``), for discarding candidates early."""

BLOCK_SYSTEMS = 1 << 15
"""Systems solved per array operation (candidates x games). Large enough that numpy's per-call
overhead is negligible, small enough that the temporaries stay near the cache; measured best
between 2^15 and 2^17 for 2x2 to 6x6 games."""

_BLOCK_BYTES = 32 << 20
"""Cap on the largest temporary array of one block, for large games."""

_OWNER_CACHE = 1 << 17
"""Largest ``candidates x games`` array whose flat-index owners are cached (2 MB each)."""

_INDEX_CACHE_CANDIDATES = 5000
"""Systems of one size per polytope up to which the gather indices are cached (8x8 games)."""

_MATMUL_PREFILTER = 4
"""From this many variables on, the loose feasibility test multiplies dense solution blocks by
``M`` (one batched matrix product) instead of gathering ``M``'s columns (measured faster from
4x4 games on; slower for 2x2 and 3x3)."""

MERGE = 128.0
"""Two equilibria of a game closer than ``MERGE * tol`` (max norm) would once have been merged
into one; now such a game is solved exactly instead (``MERGE`` in :mod:`sim.solver.certify`).
It also sets the tie window ``tol + (2q + 1) MERGE tol``: the relative distance to zero below
which a slack or coordinate is undecided (two points that close differ in some slack by at
most that much)."""

NOISE_ULPS = 64.0
"""Rounding error of a solved system, in units of ``eps`` per unit of condition number: a slack
relatively smaller than ``NOISE_ULPS * eps / rcond`` is undecided whatever the tolerance."""

EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class _Combos:
    """Index sets for one system size ``k``: tight rows and supports, with their bitmasks."""

    rows: IntArray  # (nr, k) tight-row choices, lexicographic
    rows_mask: IntArray  # (nr,)
    vars: IntArray  # (nv, k) support choices, lexicographic
    vars_mask: IntArray  # (nv,)


@lru_cache(maxsize=256)
def _combos(p: int, q: int, k: int) -> _Combos:
    rows = np.array(list(combinations(range(p), k)), dtype=np.int64).reshape(-1, k)
    cols = np.array(list(combinations(range(q), k)), dtype=np.int64).reshape(-1, k)
    rows_mask = np.asarray(np.left_shift(1, rows).sum(axis=1), dtype=np.int64)
    cols_mask = np.asarray(np.left_shift(1, cols).sum(axis=1), dtype=np.int64)
    for shared in (rows, rows_mask, cols, cols_mask):
        shared.setflags(write=False)  # cached: must never be modified
    return _Combos(rows, rows_mask, cols, cols_mask)


def popcount(mask: IntArray) -> IntArray:
    """Number of set bits of non-negative int64 values (SWAR; works on numpy < 2 as well)."""
    v = mask.astype(np.uint64)
    v = v - ((v >> np.uint64(1)) & np.uint64(0x5555555555555555))
    v = (v & np.uint64(0x3333333333333333)) + ((v >> np.uint64(2)) & np.uint64(0x3333333333333333))
    v = (v + (v >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return ((v * np.uint64(0x0101010101010101)) >> np.uint64(56)).astype(np.int64)


@dataclass(frozen=True)
class Vertices:
    """Vertices of one polytope for a chunk of games (one entry per vertex)."""

    game: IntArray  # (V,) chunk-local game
    zero: IntArray  # (V,) bitmask of the coordinates that are zero (bit c for z_c = 0)
    tight: IntArray  # (V,) bitmask of the tight rows (bit r for (M z)_r = 1)
    coords: FloatArray  # (V, q) position in the rescaled polytope

    def select(self, which: BoolArray, game_offset: int = 0) -> Vertices:
        """The vertices where ``which`` holds, games renumbered from ``game_offset``."""
        return Vertices(
            self.game[which] - game_offset,
            self.zero[which],
            self.tight[which],
            self.coords[which],
        )


@lru_cache(maxsize=16)
def _flat_owner(n_cand: int, G: int) -> tuple[IntArray, IntArray]:
    """Candidate and game of each flat position of an ``(n_cand, G)`` array (cached).

    Gathering from these is several times faster than dividing flat indices by ``G``.
    """
    cand = np.repeat(np.arange(n_cand, dtype=np.int64), G)
    game = np.tile(np.arange(G, dtype=np.int64), n_cand)
    cand.setflags(write=False)
    game.setflags(write=False)
    return cand, game


def _owners(flat: IntArray, n_cand: int, G: int) -> tuple[IntArray, IntArray]:
    """``divmod(flat, G)`` for flat indices into an ``(n_cand, G)`` array."""
    if n_cand * G <= _OWNER_CACHE:
        cand, game = _flat_owner(n_cand, G)
        return cand[flat], game[flat]
    cand_i = flat // G
    return cand_i, flat - cand_i * G


@lru_cache(maxsize=256)
def _block_index(p: int, q: int, k: int, start: int, stop: int) -> tuple[IntArray, IntArray]:
    """Flat gather indices of one block of candidates ``start:stop`` of size ``k``.

    Returns ``sub_index`` ``(k, k, nb)`` into ``Mt.reshape(p * q, G)`` (the ``k x k`` systems
    ``M[rows, support]``, gathered with one ``take``) and ``support_index``: for small ``q``,
    ``(p, k, nb)`` into the same array (every row of ``M`` on the support), else ``(k, nb)``,
    the position of each solution component in a ``(q, nb)`` block of dense solutions.
    """
    cmb = _combos(p, q, k)
    ri, vi = np.divmod(np.arange(start, stop, dtype=np.int64), cmb.vars.shape[0])
    rows = cmb.rows[ri].T  # (k, nb)
    cols = cmb.vars[vi].T  # (k, nb)
    sub_index = rows[:, None, :] * q + cols[None, :, :]
    if q < _MATMUL_PREFILTER:
        support_index = np.arange(p, dtype=np.int64)[:, None, None] * q + cols[None, :, :]
    else:  # where each solution component goes in a dense (q, nb) block of solutions
        support_index = cols * (stop - start) + np.arange(stop - start, dtype=np.int64)
    for shared in (sub_index, support_index):
        shared.setflags(write=False)
    return sub_index, support_index


def _gather(items: npt.NDArray[np.void], index: IntArray, G: int) -> FloatArray:
    """``M[index]`` for ``items``, the rows of ``M`` (``G`` floats each) viewed as opaque items."""
    return np.take(items, index).view(np.float64).reshape((*index.shape, G))


@dataclass(frozen=True)
class _Solved:
    """Survivors of one block of candidate systems of size ``k`` (see :func:`_basic_solutions`)."""

    cmb: _Combos
    cand: IntArray  # (V,) candidate index into the lexicographic (rows, support) choices
    gi: IntArray  # (V,) chunk-local game
    zs: FloatArray  # (k, V) refined solutions
    band: FloatArray  # (V,) relative width of the uncertainty band of this system


def _band(rcond: FloatArray, window: float) -> FloatArray:
    """Relative uncertainty band of each system: the tie window, or the rounding error of a
    solve with this condition number if that is larger (Higham 2002, *Accuracy and Stability
    of Numerical Algorithms*, section 7.2: forward error <= condition number x backward error)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.maximum(window, NOISE_ULPS * EPS / rcond)


def _basic_solutions(
    Mt: FloatArray, tol: float, window: float, flags: npt.NDArray[np.uint16], block_systems: int
) -> Iterator[_Solved]:
    """Feasible nonsingular solutions of ``M[I, C] z_C = 1`` for every choice with ``k >= 2``.

    Yields, block by block (candidates in lexicographic order, then games), the survivors:
    ``z >= -tol * sum|z|`` after refinement; the row constraints are only pre-checked here.
    Sets ``SINGULAR`` in ``flags`` for a game where a system that looked like a corner was set
    aside as singular, and ``TOLERANCE`` where a candidate was dropped for a coordinate inside
    its uncertainty band.
    """
    p, q, G = Mt.shape
    # Each (row, column) entry's G values as one opaque item: gathering whole items is a
    # memcpy per index, several times faster than numpy's fancy indexing for small G.
    items = Mt.reshape(p * q, G).view(np.dtype((np.void, 8 * G))).reshape(p * q)
    by_game = np.ascontiguousarray(Mt.transpose(2, 0, 1)) if q >= _MATMUL_PREFILTER else Mt
    for k in range(2, min(p, q) + 1):  # k = 1: see _vertices_k1
        cmb = _combos(p, q, k)
        n_vars = cmb.vars.shape[0]
        n_cand = cmb.rows.shape[0] * n_vars
        per_system = (k * k + max(p * k, p + q) + 4 * k + 8) * 8
        block = max(1, min(block_systems, _BLOCK_BYTES // per_system) // G)
        for start in range(0, n_cand, block):
            stop = min(start + block, n_cand)
            nb = stop - start
            if n_cand <= _INDEX_CACHE_CANDIDATES:
                sub_index, support_index = _block_index(p, q, k, start, stop)
            else:
                sub_index, support_index = _block_index.__wrapped__(p, q, k, start, stop)
            sub = _gather(items, sub_index, G)  # (k, k, nb, G)
            z0 = solve_ones(sub, k)
            # Loose feasibility test on the first solutions, batched over candidates and games;
            # the exact test follows on refined solutions of the few vertices left.
            with np.errstate(invalid="ignore", over="ignore"):
                ok = all0(z0 >= -_PREFILTER)
                if q < _MATMUL_PREFILTER:
                    Mc = _gather(items, support_index, G)  # (p, k, nb, G)
                    ok &= all0(matvec(Mc, z0) <= 1.0 + _PREFILTER)
                else:
                    # Row values M z of every candidate as one batched matrix product per
                    # game (BLAS, no gather). Its rounding may differ from the exact test
                    # below, which does not matter: a candidate that close to this loose
                    # bound is far outside the tight one.
                    dense = np.zeros((G, q * nb), dtype=np.float64)
                    dense[:, support_index] = z0.transpose(2, 0, 1)
                    rows_ok = np.matmul(by_game, dense.reshape(G, q, nb)) <= 1.0 + _PREFILTER
                    ok &= all0(rows_ok.transpose(1, 2, 0))  # (p, nb, G) view
            flat = np.flatnonzero(ok)
            if flat.size == 0:
                continue
            S = sub.reshape(k, k, nb * G)[:, :, flat]  # (k, k, V)
            inv = inverse(S, k)
            with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
                rcond = 1.0 / (norm1(S) * norm1(inv))
                # One step of iterative refinement: the residual, hence the labels of the
                # chosen rows, becomes reliable even for ill-conditioned systems.
                zs = np.take(z0.reshape(k, -1), flat, axis=1)  # (k, V)
                res = 1.0 - matvec(S, zs)
                zs = zs + matvec(inv, res)
                size = rowsum(np.abs(zs)[None])[0]
                regular = rcond >= SINGULAR_RCOND  # False for nan too
                keep = regular & all0(zs >= -tol * size)
                band = _band(rcond, window)
                # Set aside although it looks like a corner (within the tie window), or
                # dropped for a coordinate only just below zero: exact arithmetic may differ.
                doubtful = (~regular & all0(np.isfinite(zs)) & all0(zs >= -window * size)) | (
                    regular & ~keep & all0(zs >= -band * size)
                )
            if np.any(doubtful):
                where = np.flatnonzero(doubtful)
                _, games = _owners(flat[where], nb, G)
                flags[games] |= np.where(regular[where], TOLERANCE, SINGULAR).astype(np.uint16)
            if not np.all(keep):
                kept = np.flatnonzero(keep)
                flat = flat[kept]
                zs = np.take(zs, kept, axis=1)
                band = band[kept]
                if flat.size == 0:
                    continue
            ci, gi = _owners(flat, nb, G)
            yield _Solved(cmb, ci + start, gi, zs, band)


def _vertices_k1(Mt: FloatArray) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Vertices with one non-zero coordinate: ``z = e_c / max_r M[r, c]``.

    ``e_c / M[r, c]`` is feasible exactly when ``M[r, c]`` is the largest entry of column
    ``c``, and its tight rows are the rows attaining that maximum: comparisons of entries, with
    no arithmetic, so these decisions are exact for the rescaled payoffs (``PRECISION`` in
    :mod:`sim.solver.certify` covers the rescaling itself). One vertex per column and game,
    in that order.
    """
    p, q, G = Mt.shape
    top = Mt.max(axis=0)  # (q, G)
    # Tight-row bits in the smallest integer type that holds them: less memory traffic.
    tight = np.zeros((q, G), dtype=_bits_dtype(p))
    for r in range(p):
        tight |= np.left_shift((Mt[r] == top).view(np.int8), r, dtype=tight.dtype)
    c_idx = np.repeat(np.arange(q, dtype=np.int64), G)
    gi = np.tile(np.arange(G, dtype=np.int64), q)
    point = np.zeros((q * G, q), dtype=np.float64)
    point[np.arange(q * G), c_idx] = 1.0 / top.reshape(-1)
    zero = ((1 << q) - 1) ^ np.left_shift(1, c_idx)
    return gi, zero.astype(np.int64), tight.reshape(-1).astype(np.int64), point


def _bits_dtype(bits: int) -> type[np.signedinteger[Any]]:
    """Smallest signed integer type whose non-negative range holds ``bits`` bit flags."""
    for dtype in (np.int8, np.int16, np.int32):
        if bits < np.iinfo(dtype).bits:
            return dtype
    return np.int64


def polytope_vertices(
    Mt: FloatArray,
    tol: float,
    flags: npt.NDArray[np.uint16],
    block_systems: int = BLOCK_SYSTEMS,
) -> Vertices:
    """Non-zero vertices of ``{z in R^q : z >= 0, M z <= 1}`` for a chunk of games.

    Every decision is made relative to the comparison it concerns. The slack of a row ``r``
    at a candidate of support ``S`` with chosen rows ``J`` is computed as the difference
    ``s_r = sum_c (M[t, c] - M[r, c]) z_c`` to the first chosen row ``t`` (the differences of
    entries in ``[1, 2)`` are exact), and compared with ``tau_r = max_c |M[t, c] - M[r, c]|
    * sum |z|``, the size of the terms it is made of: row ``r`` is tight when
    ``|s_r| <= tol * tau_r`` (rows equal on the support: exactly tight) and violated when
    ``s_r < -tol * tau_r``. A payoff far larger than the rest enters only the comparisons it
    takes part in. Coordinates are compared with ``sum |z|``.

    A decision inside the uncertainty band (relative distance to zero at most the tie window,
    or the rounding error of a system with this condition number) sets ``TOLERANCE`` in
    ``flags`` for the game; ``SINGULAR`` is set by :func:`_basic_solutions`.

    Parameters
    ----------
    Mt
        ``(p, q, G)``: the constraint matrix ``M`` (``p x q``, entries in ``[1, 2)``) of each of
        ``G`` games, games on the last axis.
    tol
        Relative tie tolerance.
    flags
        ``(G,)`` certification flags (:mod:`sim.solver.certify`), updated in place.
    block_systems
        Systems (candidates x games) per array operation.

    Returns
    -------
    Vertices
        Every feasible basic solution found, in candidate order within each game; a degenerate
        vertex appears once per nonsingular system that reaches it.
    """
    p, q, G = Mt.shape
    full_q = (1 << q) - 1
    row_bits = np.left_shift(1, np.arange(p, dtype=np.int64))
    row_index = np.arange(p, dtype=np.int64)[:, None]
    window = tol + (2 * q + 1) * MERGE * tol
    found = [_vertices_k1(Mt)]
    by_row = Mt.reshape(p, q * G)
    for block in _basic_solutions(Mt, tol, window, flags, block_systems):
        cmb, cand, gi, zs, band = block.cmb, block.cand, block.gi, block.zs, block.band
        V = cand.size
        ri, vi = np.divmod(cand, cmb.vars.shape[0])
        vc = cmb.vars[vi]  # (V, k) supports
        Mr = by_row[:, vc.T * G + gi]  # (p, k, V): every row on the support
        # The chosen rows must be tight when recomputed (a guard against inaccurate solves).
        value = matvec(Mr, zs)  # (p, V)
        chosen = cmb.rows_mask[ri]
        is_chosen = ((chosen[None, :] >> row_index) & 1).astype(bool)
        solved = all0(~is_chosen | (np.abs(1.0 - value) <= tol))
        first = cmb.rows[ri, 0]  # (V,) the reference row t
        diff = Mr[first, :, np.arange(V)].T[None] - Mr  # (p, k, V), exact
        slack = matvec(diff, zs)
        size = rowsum(np.abs(zs)[None])[0]  # (V,)
        scale = max0(np.abs(diff).swapaxes(0, 1)) * size  # (p, V)
        # A singular system leaves NaN or zero coordinates (size 0); such a candidate fails
        # ``solved`` and is dropped below, so its NaN ratios must not warn.
        with np.errstate(invalid="ignore", divide="ignore"):
            rel = np.where(scale > 0.0, slack / scale, 0.0)
            coord = np.abs(zs) / size  # (k, V)
        other = ~is_chosen
        is_tight = is_chosen | (np.abs(rel) <= tol)
        feasible = solved & all0(is_chosen | (rel >= -tol))
        # Undecided: near-feasible (everything within the band) and some slack or coordinate
        # inside the band; rows equal on the support (scale 0) are exactly tight.
        near = solved & all0(is_chosen | (rel >= -band))
        undecided = any0(other & (scale > 0.0) & (np.abs(rel) <= band)) | any0(coord <= band)
        doubtful = near & undecided
        if np.any(doubtful):
            flags[gi[doubtful]] |= TOLERANCE
        tight = row_bits @ is_tight
        zero = full_q ^ cmb.vars_mask[vi]
        zero |= or0((coord <= tol).astype(np.int64) << vc.T)
        point = np.zeros((V, q), dtype=np.float64)
        where = np.arange(V, dtype=np.int64)[:, None] * q + vc  # (V, k)
        point.reshape(-1)[where.reshape(-1)] = zs.T.reshape(-1)
        if not np.all(feasible):
            take = np.flatnonzero(feasible)
            gi, zero, tight, point = gi[take], zero[take], tight[take], point[take]
        found.append((gi, zero, tight, point))
    if len(found) == 1:
        return Vertices(*found[0])
    return Vertices(*(np.concatenate([f[i] for f in found]) for i in range(4)))


def ragged_pairs(
    groups: IntArray, start_a: IntArray, len_a: IntArray, start_b: IntArray, len_b: IntArray
) -> tuple[IntArray, IntArray]:
    """All index pairs ``(a, b)`` with ``a`` and ``b`` in the same group's ranges, vectorised."""
    na = len_a[groups]
    nb = len_b[groups]
    sizes = na * nb
    total = int(sizes.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    offsets = np.cumsum(sizes) - sizes
    which = np.repeat(np.arange(groups.size), sizes)
    local = np.arange(total, dtype=np.int64) - offsets[which]
    nb_rep = nb[which]
    a = start_a[groups][which] + local // nb_rep
    b = start_b[groups][which] + local % nb_rep
    return a, b
