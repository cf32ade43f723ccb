"""When the floating-point solver's answer for a game cannot be trusted, and what then happens.

The batched solver (:mod:`sim.solver.enumeration`) decides, in floating point, which
inequalities of the best-response polytopes are tight and which candidate points are feasible
(von Stengel 2007, ch. 3 of *Algorithmic Game Theory*). A decision is *certain* when the
quantity it looks at is far from zero compared with both the rounding error of its
computation and the tie tolerance; then exact arithmetic would decide the same way. Every
game in which some decision was not certain, or whose answer fails a consistency check, is
*flagged* with the reasons below (a bitmask per game) and solved again in exact rational
arithmetic (:mod:`sim.solver.exact`), with the float payoffs read as the binary rationals they
store. The exact answer replaces the floating-point one. So, whatever the payoffs, the batched
solver returns the same extreme equilibria as an exact solver, with the same supports; their
probabilities are the exact ones rounded to float64 in re-solved games and the float solution,
within rounding error of them, in certified games.

The reasons (:data:`REASONS` gives each in plain words):

``PRECISION``
    Moving a player's payoffs into ``[1, 2)`` for floating point rounds each by up to
    ``eps * 2^e`` (``2^e`` the power of two above the payoff spread); some difference between
    two payoffs that the player compares is so small that this rounding changes it by more
    than :data:`PRECISION_TOL` of itself (typically one payoff of 1e7 or more among small ones).
``SINGULAR``
    A system of equations was set aside as numerically singular although its solution looked
    like a corner of a polytope.
``TOLERANCE``
    A slack or a coordinate was within the tie band: tight only up to the tolerance, just
    outside it, or too close to zero for the rounding error of its system.
``DEGENERATE``
    The game has ties (a corner with more tight inequalities than dimensions): its extra
    labels were decided by tolerance.
``MERGE``
    Two candidate corners, or two equilibria, were within the merge distance of each other.
``NONE_FOUND``
    No equilibrium was found, which is impossible for a finite game (Nash 1951).
``EVEN_COUNT``
    An even number of equilibria in a game found non-degenerate; a non-degenerate game has an
    odd number (Shapley 1974, via the Lemke-Howson algorithm).
``VERIFY``
    A reported equilibrium is a pair of best responses only up to the tolerance, not up to
    rounding.
``ROUNDING``
    The caller says the float payoffs may be further from the payoffs they stand for than
    the tie tolerance (``x + 2*y - 1.3`` at 0.7, 0.3 is 0 in decimals and -2.2e-16 in
    floats); the game is solved at the payoffs it stands for.
"""

from __future__ import annotations

import numpy as np

from sim.solver.types import BoolArray, FloatArray

__all__ = [
    "DEGENERATE",
    "EVEN_COUNT",
    "MERGE",
    "NONE_FOUND",
    "PRECISION",
    "PRECISION_TOL",
    "REASONS",
    "ROUNDING",
    "SINGULAR",
    "TOLERANCE",
    "VERIFY",
    "describe",
    "precision_lost",
]

PRECISION = 1
SINGULAR = 2
TOLERANCE = 4
DEGENERATE = 8
MERGE = 16
NONE_FOUND = 32
EVEN_COUNT = 64
VERIFY = 128
ROUNDING = 256

REASONS: dict[int, str] = {
    PRECISION: "payoffs of very different sizes would lose precision in floating point",
    SINGULAR: "a nearly singular system of equations had to be set aside",
    TOLERANCE: "a payoff comparison was too close to call in floating point",
    DEGENERATE: "the game has exact ties between strategies",
    MERGE: "two candidate strategies were too close together to tell apart",
    NONE_FOUND: "floating point found no equilibrium",
    EVEN_COUNT: "floating point found an even number of equilibria in a game without ties",
    VERIFY: "an equilibrium held only up to the rounding tolerance",
    ROUNDING: "the payoffs' rounding errors could hide a tie",
}
"""Each reason in plain words (a clause that can follow "re-solved exactly because")."""

PRECISION_TOL = 1e-9
"""Largest relative change of a payoff difference that rescaling may cause (see ``PRECISION``):
nine significant digits of every difference a player compares survive the rescaling."""

_EPS = float(np.finfo(np.float64).eps)


def describe(flags: int) -> tuple[str, ...]:
    """The plain-words reasons set in one game's flag bitmask, in the order of :data:`REASONS`."""
    return tuple(text for bit, text in REASONS.items() if flags & bit)


def _close_but_different(values: FloatArray, axis: int, limit: FloatArray) -> BoolArray:
    """Per game: two entries along ``axis`` (of the same line) differ by less than ``limit``.

    ``values`` is ``(G, m, n)``, ``limit`` ``(G,)``. Pairwise for short lines, else sorted
    neighbours (equivalent: the smallest non-zero gap is between neighbours in sorted order).
    """
    length = values.shape[axis]
    if length < 2:
        return np.zeros(values.shape[0], dtype=bool)
    lim = limit[:, None]
    lines = np.moveaxis(values, axis, -1)  # (G, lines, length)
    found = np.zeros(values.shape[0], dtype=bool)
    if length <= 4:
        for a in range(length):
            for b in range(a + 1, length):
                gap = np.abs(lines[..., a] - lines[..., b])
                found |= np.any((gap > 0.0) & (gap < lim), axis=1)
        return found
    ordered = np.sort(lines, axis=-1)
    gaps = np.diff(ordered, axis=-1)
    return np.any((gaps > 0.0) & (gaps < lim[..., None]), axis=(1, 2))


def precision_lost(
    A: FloatArray, B: FloatArray, a_unit: FloatArray, b_unit: FloatArray
) -> BoolArray:
    """Games whose rescaling to ``[1, 2)`` distorts a compared payoff difference (``PRECISION``).

    Parameters
    ----------
    A, B
        Payoffs ``(G, m, n)``.
    a_unit, b_unit
        ``(G,)``: the power of two ``2^e`` each player's payoffs were divided by.

    Returns
    -------
    numpy.ndarray
        ``(G,)`` bool. The row player compares entries within a column of ``A``, the column
        player within a row of ``B``; each rescaled entry is off by at most ``eps * 2^e``, so a
        difference ``g`` is distorted by at most ``2 eps 2^e``, which must stay below
        ``PRECISION_TOL * g``.
    """
    a_limit = 2.0 * _EPS * a_unit / PRECISION_TOL
    b_limit = 2.0 * _EPS * b_unit / PRECISION_TOL
    return _close_but_different(A, 1, a_limit) | _close_but_different(B, 2, b_limit)
