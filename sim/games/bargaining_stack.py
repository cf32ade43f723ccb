"""The bargaining core vectorised over ``K`` parameter points (for sweeps).

:func:`solve_bargaining_stack` runs the same closed forms as the point API
(:mod:`sim.games.bargaining_core`, here on float64 arrays) for a whole stack of problems at
once: no Python loop over the points, only over the few solution concepts (and over chunks of
points, to bound the memory of the ``(K, N, N, N)`` orientation tensor).

Labels. Each concept's label is a location code (:class:`~sim.games.bargaining_types.Location`:
``NO_GAINS`` 0, ``DISAGREEMENT_OUTSIDE`` 1, ``DISAGREEMENT_UNDEFINED`` 2, ``TRANSFERABLE`` 3,
``VERTEX_BASE + p`` for point ``p``, then one code per pair of points for an edge;
:func:`~sim.games.bargaining_types.location_of_code` decodes one). The combined label of a point
is the mixed-radix number ``sum_c code_c * base**c`` over the concepts in order, with
``base = label_base(N)`` (:meth:`BargainingStack.decode`).

Decisive functions. ``decisive`` ``(K, D)`` holds continuous functions of the inputs whose signs
determine every label, described column by column by :attr:`BargainingStack.decisive_columns`:

- ``max_min_gain``: the largest gain both players can have at once: negative when the
  disagreement point is outside the feasible set, zero without gains, positive with gains;
- hull structure: ``orientation`` ``(q - p) x (r - p)`` for each triple ``p < q < r`` and the
  coordinate differences ``u0_difference``/``u1_difference`` ``x_q - x_p`` for each pair
  (together they fix the Pareto frontier), and each point's gains ``gain_0``/``gain_1``
  (individual rationality, which fixes the ideal point);
- per concept: ``nash_slope`` for each ordered pair ``(p, q)``, the derivative of the weighted
  log Nash product at ``p`` toward ``q`` (times ``g0 g1``): positive when moving from ``p``
  toward ``q`` raises the product; ``ks_side`` ``cross(I - d, p - d)`` and
  ``egalitarian_side`` ``g1(p) - g0(p)``: which side of the solution's ray each point is on;
  ``rubinstein_position`` ``x0 - p0``: which side of point ``p`` the accepted offer is;
- under transferable utility one column, ``total_gains`` ``V - d0 - d1``.

Where a label changes between two grid points, a column whose sign differs changes sign too:
bisecting on it locates the boundary where that function crosses zero
(:meth:`BargainingStack.relevant_columns` lists the candidates).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from sim.games import bargaining_core as core
from sim.games.bargaining import nash_weight, rubinstein_discounts
from sim.games.bargaining_decisive import DecisiveColumn, hull_decisive
from sim.games.bargaining_types import (
    DISAGREEMENT_OUTSIDE,
    DISAGREEMENT_UNDEFINED,
    NO_GAINS,
    TRANSFERABLE,
    VERTEX_BASE,
    BargainingError,
    Location,
    RubinsteinOptions,
    SolutionOptions,
    label_base,
    location_of_code,
)

#: Relative tolerance of the float path: points closer than ``TOL * scale`` are one point, and
#: a point within ``TOL * scale**2`` (a cross product) of a line lies on it.
TOL = 1e-12
#: Entries of the ``(chunk, N, N, N)`` orientation tensor computed at once.
CHUNK_ENTRIES = 2_000_000


@dataclass(frozen=True)
class HullStack:
    """``K`` feasible sets, each the convex hull of ``N`` points (free disposal).

    Attributes
    ----------
    points
        ``(K, N, 2)`` payoff pairs; point ``p`` keeps its meaning across the stack (e.g. a game
        cell, as in :func:`outcome_points_stack`).
    cells
        The game cell of each point, when they are a game's outcomes.
    """

    points: np.ndarray
    cells: tuple[tuple[int, int], ...] | None = None


@dataclass(frozen=True)
class TransferableUtilityStack:
    """``K`` transferable-utility problems: ``surplus`` ``(K,)`` and optionally the deal's
    payoffs before side payments ``(K, 2)`` (then each solution carries its transfer)."""

    surplus: np.ndarray
    deal_payoffs: np.ndarray | None = None


def outcome_points_stack(A: np.ndarray, B: np.ndarray) -> HullStack:
    """The pure outcomes of a stack of games ``(K, m, n)`` as a :class:`HullStack`; point
    ``i * n + j`` is cell ``(i, j)``."""
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    if A.ndim != 3 or A.shape != B.shape:
        raise BargainingError(
            "payoffs",
            f"expected two (K, m, n) payoff stacks of one shape; got {A.shape}, {B.shape}",
        )
    K, m, n = A.shape
    points = np.stack([A.reshape(K, m * n), B.reshape(K, m * n)], axis=2)
    return HullStack(points, tuple((i, j) for i in range(m) for j in range(n)))


@dataclass(frozen=True, eq=False)
class ConceptStack:
    """One solution concept at ``K`` points.

    Attributes
    ----------
    concept
        One of :data:`~sim.games.bargaining_types.CONCEPTS`.
    label
        ``(K,)`` int64 location codes.
    payoffs
        ``(K, 2)`` agreed payoffs (the disagreement point without gains; NaN when the
        disagreement point is outside or undefined).
    gain_share
        ``(K,)`` player 0's share of the gains (NaN without gains).
    transfer
        ``(K,)`` side payment from player 0 to player 1 (NaN unless transferable utility with
        deal payoffs).
    tie
        ``(K,)`` the point lies exactly where this label changes (e.g. the Kalai-Smorodinsky
        ray passes through a vertex).
    """

    concept: str
    label: np.ndarray
    payoffs: np.ndarray
    gain_share: np.ndarray
    transfer: np.ndarray
    tie: np.ndarray


@dataclass(frozen=True, eq=False)
class BargainingStack:
    """The bargaining solutions at ``K`` points: labels, continuous outputs, decisive functions.

    Attributes
    ----------
    kind
        ``"hull"`` or ``"transferable_utility"``.
    n_points
        ``N``, the number of points of each hull (0 under transferable utility).
    concepts
        The concepts computed, in order.
    solutions
        One :class:`ConceptStack` per concept.
    label
        ``(K,)`` int64 combined label (module docstring; :meth:`decode`).
    no_gains, outside, undefined
        ``(K,)`` bool: no gains from agreement; disagreement point outside the feasible set;
        no disagreement point (NaN given).
    max_min_gain
        ``(K,)`` the largest gain both players can have at once.
    total_gains
        ``(K,)`` ``V - d0 - d1`` under transferable utility, NaN for hulls.
    discounts
        ``(K, 2)`` Rubinstein discount factors, or ``None``.
    counter_offer
        ``(K, 2)`` the Rubinstein responder's offer, or ``None``.
    decisive
        ``(K, D)`` decisive functions (module docstring), or ``None`` when not asked for.
    decisive_columns
        One :class:`DecisiveColumn` per column of ``decisive``.
    """

    kind: str
    n_points: int
    concepts: tuple[str, ...]
    solutions: Mapping[str, ConceptStack]
    label: np.ndarray
    no_gains: np.ndarray
    outside: np.ndarray
    undefined: np.ndarray
    max_min_gain: np.ndarray
    total_gains: np.ndarray
    discounts: np.ndarray | None
    counter_offer: np.ndarray | None
    decisive: np.ndarray | None
    decisive_columns: tuple[DecisiveColumn, ...]

    @property
    def tie(self) -> np.ndarray:
        """``(K,)`` some concept's point lies exactly on one of its label changes."""
        out = np.zeros(self.label.shape, dtype=bool)
        for s in self.solutions.values():
            out |= s.tie
        return out

    def values(self) -> dict[str, np.ndarray]:
        """The continuous outputs as ``(K,)`` arrays, e.g. ``nash_payoff_0``, ``nash_share_0``,
        ``nash_transfer``, ``rubinstein_payoff_1``, ``max_min_gain``."""
        out: dict[str, np.ndarray] = {"max_min_gain": self.max_min_gain}
        if self.kind == "transferable_utility":
            out["total_gains"] = self.total_gains
        for concept, s in self.solutions.items():
            out[f"{concept}_payoff_0"] = s.payoffs[:, 0]
            out[f"{concept}_payoff_1"] = s.payoffs[:, 1]
            out[f"{concept}_share_0"] = s.gain_share
            if self.kind == "transferable_utility":
                out[f"{concept}_transfer"] = s.transfer
        return out

    def decode(self, code: int) -> dict[str, Location]:
        """Each concept's :class:`Location` in a combined label."""
        base = label_base(self.n_points)
        out: dict[str, Location] = {}
        rest = int(code)
        for concept in self.concepts:
            rest, own = divmod(rest, base)
            out[concept] = location_of_code(own, self.n_points)
        return out

    def relevant_columns(self, before: int, after: int) -> np.ndarray:
        """Indices of the decisive columns that can explain a change from combined label
        ``before`` to ``after``: the shared ones and those of the concepts that change."""
        a, b = self.decode(before), self.decode(after)
        changed = {c for c in self.concepts if a[c] != b[c]}
        return np.asarray(
            [
                i
                for i, col in enumerate(self.decisive_columns)
                if col.concept is None or col.concept in changed
            ],
            dtype=np.int64,
        )


def _per_point(value: object, K: int, option: str) -> np.ndarray:
    array = np.broadcast_to(np.asarray(value, dtype=np.float64), (K,))
    if not np.all(np.isfinite(array)):
        raise BargainingError(option, "some values are not finite numbers; give finite ones")
    return array


def _check_weights(alpha: np.ndarray) -> None:
    bad = (alpha < 0) | (alpha > 1)
    if np.any(bad):
        nash_weight(float(alpha[np.flatnonzero(bad)[0]]))  # raises with the plain message


def stack_discounts(options: RubinsteinOptions, K: int) -> np.ndarray:
    """``(K, 2)`` discount factors from ``options`` (numbers or ``(K,)`` arrays), checked."""
    if options.discounts is not None and options.rates is None:
        deltas = np.stack([_per_point(x, K, "discounts") for x in options.discounts], axis=1)
    elif options.rates is not None and options.discounts is None and options.delay is not None:
        rates = np.stack([_per_point(x, K, "rates") for x in options.rates], axis=1)
        delay = _per_point(options.delay, K, "delay")
        for k in np.flatnonzero(np.any(rates <= 0, axis=1) | (delay <= 0))[:1]:
            rubinstein_discounts(
                RubinsteinOptions(rates=(rates[k, 0], rates[k, 1]), delay=delay[k])
            )
        deltas = np.exp(-rates * delay[:, None])
    else:
        rubinstein_discounts(options)  # raises: both, neither, or rates without a delay
        raise AssertionError("unreachable")
    for k in np.flatnonzero(np.any((deltas <= 0) | (deltas >= 1), axis=1))[:1]:
        rubinstein_discounts(RubinsteinOptions(discounts=(deltas[k, 0], deltas[k, 1])))
    if options.proposer not in (0, 1):
        rubinstein_discounts(RubinsteinOptions(discounts=(0.5, 0.5), proposer=options.proposer))
    return deltas


def solve_bargaining_stack(
    feasible: HullStack | TransferableUtilityStack,
    disagreement: np.ndarray,
    options: SolutionOptions | None = None,
    *,
    decisive: bool = True,
) -> BargainingStack:
    """Every bargaining solution at ``K`` points at once (float64).

    Parameters
    ----------
    feasible
        A :class:`HullStack` or a :class:`TransferableUtilityStack`.
    disagreement
        ``(K, 2)`` disagreement points; a row with NaN has none (label ``undefined``).
    options
        As for the point API; ``nash_weight`` and the Rubinstein numbers may be ``(K,)`` arrays.
    decisive
        Also compute the decisive functions.

    Returns
    -------
    BargainingStack
        Agrees with :func:`~sim.games.bargaining.solve_bargaining` to rounding error (tests).

    Raises
    ------
    BargainingError
        Bad weights or discounts, mismatched shapes.
    """
    options = options or SolutionOptions()
    d = np.asarray(disagreement, dtype=np.float64)
    K = d.shape[0]
    if d.shape != (K, 2):
        raise BargainingError("disagreement", f"expected (K, 2) points, got shape {d.shape}")
    alpha = None
    if options.nash_weight is not None:
        alpha = _per_point(options.nash_weight, K, "nash_weight")
        _check_weights(alpha)
    deltas = None if options.rubinstein is None else stack_discounts(options.rubinstein, K)
    if isinstance(feasible, TransferableUtilityStack):
        return _transferable_stack(feasible, d, options, alpha, deltas, decisive)
    points = np.asarray(feasible.points, dtype=np.float64)
    if points.ndim != 3 or points.shape[0] != K or points.shape[2] != 2 or points.shape[1] == 0:
        raise BargainingError(
            "feasible_set",
            f"expected (K, N, 2) points with N >= 1 for K = {K}, got shape {points.shape}",
        )
    if not np.all(np.isfinite(points)):
        raise BargainingError("feasible_set", "some payoffs are not finite; give finite ones")
    N = points.shape[1]
    chunk = max(1, CHUNK_ENTRIES // max(1, N**3))
    parts = [
        _hull_chunk(
            points[s : s + chunk],
            d[s : s + chunk],
            options,
            None if alpha is None else alpha[s : s + chunk],
            None if deltas is None else deltas[s : s + chunk],
            decisive,
        )
        for s in range(0, K, chunk)
    ]
    return _join(parts, N, options.concepts, decisive, deltas)


def _combined(codes: list[np.ndarray], base: int) -> np.ndarray:
    label = np.zeros(codes[0].shape, dtype=np.int64)
    for power, code in enumerate(codes):
        label += code.astype(np.int64) * base**power
    return label


def _shares(payoffs: np.ndarray, d: np.ndarray) -> np.ndarray:
    gains = payoffs - d
    total = gains[:, 0] + gains[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, gains[:, 0] / np.where(total > 0, total, 1), np.nan)


def _transferable_stack(
    feasible: TransferableUtilityStack,
    d: np.ndarray,
    options: SolutionOptions,
    alpha: np.ndarray | None,
    deltas: np.ndarray | None,
    decisive: bool,
) -> BargainingStack:
    K = d.shape[0]
    surplus = _per_point(feasible.surplus, K, "surplus")
    undefined = np.any(np.isnan(d), axis=1)
    total = surplus - d[:, 0] - d[:, 1]
    scale = np.maximum.reduce([np.abs(surplus), np.abs(d[:, 0]), np.abs(d[:, 1])])
    slack = TOL * np.where(scale > 0, scale, 1)
    outside = ~undefined & (total < -slack)
    no_gains = ~undefined & ~outside & (total <= slack)
    code = np.where(
        undefined,
        DISAGREEMENT_UNDEFINED,
        np.where(outside, DISAGREEMENT_OUTSIDE, np.where(no_gains, NO_GAINS, TRANSFERABLE)),
    )
    gains_total = np.where(no_gains, 0.0, total)
    deal = None if feasible.deal_payoffs is None else np.asarray(feasible.deal_payoffs, float)
    bad = undefined | outside

    def concept_stack(concept: str, share0: np.ndarray) -> ConceptStack:
        payoffs = d + np.stack([share0 * gains_total, (1 - share0) * gains_total], axis=1)
        payoffs[bad] = np.nan
        transfer = np.full(K, np.nan) if deal is None else deal[:, 0] - payoffs[:, 0]
        share = np.where(no_gains | bad, np.nan, share0)
        return ConceptStack(
            concept,
            code.astype(np.int64),
            payoffs,
            share,
            transfer,
            no_gains & (np.abs(total) <= slack),
        )

    half = np.full(K, 0.5)
    solutions = {"nash": concept_stack("nash", half)}
    if alpha is not None:
        solutions["weighted_nash"] = concept_stack("weighted_nash", alpha)
    solutions["kalai_smorodinsky"] = concept_stack("kalai_smorodinsky", half)
    solutions["egalitarian"] = concept_stack("egalitarian", half)
    counter = None
    if deltas is not None and options.rubinstein is not None:
        proposer = options.rubinstein.proposer
        both = 1 - deltas[:, 0] * deltas[:, 1]
        first = (1 - deltas[:, 1 - proposer]) / both  # Rubinstein (1982)
        second = (1 - deltas[:, proposer]) / both
        share0 = first if proposer == 0 else 1 - first
        solutions["rubinstein"] = concept_stack("rubinstein", share0)
        counter_share0 = 1 - second if proposer == 0 else second
        counter = d + np.stack([counter_share0, 1 - counter_share0], axis=1) * gains_total[:, None]
        counter[bad] = np.nan
    concepts = tuple(solutions)
    return BargainingStack(
        kind="transferable_utility",
        n_points=0,
        concepts=concepts,
        solutions=solutions,
        label=_combined([solutions[c].label for c in concepts], label_base(0)),
        no_gains=no_gains,
        outside=outside,
        undefined=undefined,
        max_min_gain=total / 2,
        total_gains=total,
        discounts=deltas,
        counter_offer=counter,
        decisive=total[:, None].copy() if decisive else None,
        decisive_columns=(DecisiveColumn("total_gains", None, ()),),
    )


@dataclass(frozen=True, eq=False)
class _Chunk:
    solutions: dict[str, ConceptStack]
    no_gains: np.ndarray
    outside: np.ndarray
    undefined: np.ndarray
    level: np.ndarray
    counter: np.ndarray | None
    decisive: np.ndarray | None
    columns: tuple[DecisiveColumn, ...]


def _codes(chain: core.Chain, placement: core.Placement, N: int) -> np.ndarray:
    index = chain.index
    here = core.take(index, placement.pos)
    there = core.take(index, np.minimum(placement.pos + 1, N - 1))
    low, high = np.minimum(here, there), np.maximum(here, there)
    pair = low * N - low * (low + 1) // 2 + (high - low - 1)
    return np.where(placement.at_vertex, VERTEX_BASE + here, VERTEX_BASE + N + pair)


def _hull_chunk(
    points: np.ndarray,
    d_raw: np.ndarray,
    options: SolutionOptions,
    alpha: np.ndarray | None,
    deltas: np.ndarray | None,
    decisive: bool,
) -> _Chunk:
    K, N, _ = points.shape
    undefined = np.any(np.isnan(d_raw), axis=1)
    d = np.where(undefined[:, None], points[:, 0, :], d_raw)  # any finite stand-in
    scale = np.maximum(np.abs(points).max(axis=(1, 2)), np.abs(d).max(axis=1))
    scale = np.where(scale > 0, scale, 1.0)
    chain, cross = core.pareto_chain(points, TOL * scale, TOL * scale**2)
    egal, level = core.max_min_gain(chain, d)
    outside = ~undefined & (level < -TOL * scale)
    no_gains = ~undefined & ~outside & (level <= TOL * scale)
    bad = undefined | outside
    fixed = np.where(
        undefined, DISAGREEMENT_UNDEFINED, np.where(outside, DISAGREEMENT_OUTSIDE, NO_GAINS)
    )
    special = bad | no_gains
    ideal = core.ideal_point(chain, d)
    placements: dict[str, core.Placement] = {}
    weights: dict[str, np.ndarray] = {"nash": np.full(K, 0.5)}
    if alpha is not None:
        weights["weighted_nash"] = alpha
    ties: dict[str, np.ndarray] = {}
    counter = None
    for concept in options.concepts:
        if concept in weights:
            placement = core.nash(chain, d, weights[concept])
            ties[concept] = core.nash_tie(chain, d, weights[concept], placement)
        elif concept == "kalai_smorodinsky":
            placement = core.kalai_smorodinsky(chain, d, ideal)
            # at the only point of the frontier the solution cannot move: not a boundary
            ties[concept] = placement.at_vertex & (chain.count > 1)
        elif concept == "egalitarian":
            placement = egal
            ties[concept] = core.egalitarian_tie(chain, d, placement)
        else:
            assert deltas is not None
            assert options.rubinstein is not None
            placement, counter = core.rubinstein(
                chain, d, ideal, deltas[:, 0], deltas[:, 1], options.rubinstein.proposer
            )
            ties[concept] = placement.at_vertex & (chain.count > 1)
        placements[concept] = placement
    solutions: dict[str, ConceptStack] = {}
    for concept, placement in placements.items():
        payoffs = np.where(no_gains[:, None], d, placement.payoffs)
        payoffs[bad] = np.nan
        label = np.where(special, fixed, _codes(chain, placement, N)).astype(np.int64)
        share = np.where(special, np.nan, _shares(payoffs, d))
        solutions[concept] = ConceptStack(
            concept, label, payoffs, share, np.full(K, np.nan), ties[concept] & ~special
        )
    counter_out = None
    if counter is not None:
        counter_out = np.where(no_gains[:, None], d, counter)
        counter_out[bad] = np.nan
    values, columns = (
        (None, ())
        if not decisive
        else hull_decisive(points, d, cross, ideal, level, weights, placements, options.concepts)
    )
    if values is not None:
        values[undefined] = np.nan
    return _Chunk(
        solutions,
        no_gains,
        outside,
        undefined,
        np.where(undefined, np.nan, level),
        counter_out,
        values,
        columns,
    )


def _join(
    parts: list[_Chunk],
    N: int,
    concepts: tuple[str, ...],
    decisive: bool,
    deltas: np.ndarray | None,
) -> BargainingStack:
    def cat(get: Callable[[_Chunk], np.ndarray | None]) -> np.ndarray:
        return np.concatenate([get(p) for p in parts])

    def field(concept: str, name: str) -> np.ndarray:
        return np.concatenate([getattr(p.solutions[concept], name) for p in parts])

    solutions = {
        c: ConceptStack(
            c, *(field(c, name) for name in ("label", "payoffs", "gain_share", "transfer", "tie"))
        )
        for c in concepts
    }
    level = cat(lambda p: p.level)
    return BargainingStack(
        kind="hull",
        n_points=N,
        concepts=concepts,
        solutions=solutions,
        label=_combined([solutions[c].label for c in concepts], label_base(N)),
        no_gains=cat(lambda p: p.no_gains),
        outside=cat(lambda p: p.outside),
        undefined=cat(lambda p: p.undefined),
        max_min_gain=level,
        total_gains=np.full(level.shape, np.nan),
        discounts=deltas,
        counter_offer=None if "rubinstein" not in concepts else cat(lambda p: p.counter),
        decisive=cat(lambda p: p.decisive) if decisive else None,
        decisive_columns=parts[0].columns,
    )
