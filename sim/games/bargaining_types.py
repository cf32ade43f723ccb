"""Options, errors, locations and result types of the bargaining core (:mod:`sim.games.bargaining`).

Everything a sentence about a bargaining solution needs is a field of one of these frozen
dataclasses, so that the words layer reads facts rather than recomputing them, and a test can
recompute each fact from the inputs.

Numbers: a *scalar* is a :class:`fractions.Fraction` when every input was rational (``int`` or
``Fraction``), and a ``float`` otherwise (:attr:`BargainingResult.exact` says which).

Players are numbered 0 (the row player, "player 1" in the literature) and 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np

Scalar = Fraction | float
"""A result number: exact rational for rational inputs, float otherwise."""

Number = int | float | Fraction | np.integer | np.floating
"""What an option accepts as a number."""

Pair = tuple[Scalar, Scalar]

CONCEPTS: tuple[str, ...] = (
    "nash",
    "weighted_nash",
    "kalai_smorodinsky",
    "egalitarian",
    "rubinstein",
)
"""Solution concepts, in the order results list them: the symmetric Nash (1950) solution, the
generalised (asymmetric) Nash solution with weight ``alpha`` on player 0, Kalai and Smorodinsky
(1975), the egalitarian solution (Kalai 1977) and Rubinstein's (1982) alternating offers."""

EQUILIBRIUM_RULES: tuple[str, ...] = (
    "lowest_total",
    "worst_for_player_1",
    "worst_for_player_2",
    "index",
    "cell",
)
"""How :class:`EquilibriumDisagreement` picks one stage Nash equilibrium: the lowest sum of
payoffs (worst for both together); the lowest payoff of player 0 (then of player 1); the lowest
payoff of player 1 (then of player 0); the ``index``-th in the solver's order; the pure
equilibrium at ``cell``. Ties go to the earlier equilibrium in the solver's order."""


class BargainingError(ValueError):
    """Bad input to the bargaining core: one plain-words line naming the option and the fix.

    Attributes
    ----------
    option
        The offending option, e.g. ``"discounts"`` (the scenario adaptor adds file and line).
    message
        The whole line, ``"<option>: <problem>; <what to do>"``.
    """

    def __init__(self, option: str, problem: str) -> None:
        self.option = option
        self.message = f"{option}: {problem}"
        super().__init__(self.message)


# --------------------------------------------------------------------------------------------
# Options (plain frozen dataclasses; the scenario layer maps its TOML table onto them)


@dataclass(frozen=True)
class ConvexHullSet:
    """The feasible set is the convex hull of payoff pairs (lotteries over outcomes).

    Used for the pure outcomes of a bimatrix game (:func:`~sim.games.bargaining.hull_of_game`)
    and for a concave frontier sampled at points: the frontier is then the polygon through the
    samples (its chords), and every solution is exact for that polygon. Free disposal is
    assumed (a payoff pair below a feasible one is feasible), which is what makes a
    disagreement point below the hull admissible, as minmax values can be.

    Attributes
    ----------
    points
        Payoff pairs ``(u0, u1)``; at least one.
    cells
        For points that are outcomes of a game, the ``(row, column)`` cell of each point.
    """

    points: tuple[tuple[Number, Number], ...]
    cells: tuple[tuple[int, int], ...] | None = None


@dataclass(frozen=True)
class TransferableUtility:
    """Transferable utility: any split ``u0 + u1 <= surplus`` is feasible (side payments).

    Attributes
    ----------
    surplus
        The joint payoff of the deal, ``V``.
    deal_payoffs
        The payoffs of the deal before any side payment, summing to ``surplus``; when given,
        each solution carries the transfer from player 0 to player 1 that implements it.
    """

    surplus: Number
    deal_payoffs: tuple[Number, Number] | None = None


FeasibleSet = ConvexHullSet | TransferableUtility


@dataclass(frozen=True)
class GivenDisagreement:
    """The disagreement point as two numbers (the adaptor evaluates formulas)."""

    payoffs: tuple[Number, Number]


@dataclass(frozen=True)
class CellDisagreement:
    """The disagreement point is the outcome of one cell of the game (0-based indices)."""

    row: int
    col: int


@dataclass(frozen=True)
class EquilibriumDisagreement:
    """The disagreement point is a stage Nash equilibrium chosen by ``rule``.

    ``rule`` is one of :data:`EQUILIBRIUM_RULES`; ``index`` goes with ``"index"`` and
    ``cell`` (row, column) with ``"cell"``.
    """

    rule: str = "lowest_total"
    index: int | None = None
    cell: tuple[int, int] | None = None


@dataclass(frozen=True)
class MinmaxDisagreement:
    """The disagreement point is each player's minmax (punishment) value: the least payoff the
    other player can hold them to with a mixed strategy, knowing they will best-respond."""


DisagreementOption = (
    GivenDisagreement | CellDisagreement | EquilibriumDisagreement | MinmaxDisagreement
)


@dataclass(frozen=True)
class RubinsteinOptions:
    """Rubinstein's (1982) alternating offers.

    Give either ``discounts`` (per-round discount factors, each strictly between 0 and 1) or
    ``rates`` and ``delay`` (``delta_i = exp(-rate_i * delay)``: per-unit-time discount rates
    and the time between offers). In the stack API each number may be a ``(K,)`` array.

    Attributes
    ----------
    discounts
        ``(delta_0, delta_1)``.
    rates
        ``(r_0, r_1)``, positive.
    delay
        Time between two offers, positive.
    proposer
        The player who makes the first offer, 0 or 1.
    """

    discounts: tuple[Number | np.ndarray, Number | np.ndarray] | None = None
    rates: tuple[Number | np.ndarray, Number | np.ndarray] | None = None
    delay: Number | np.ndarray | None = None
    proposer: int = 0


@dataclass(frozen=True)
class SolutionOptions:
    """Which solutions to compute besides the symmetric Nash, Kalai-Smorodinsky and egalitarian
    ones (always computed).

    Attributes
    ----------
    nash_weight
        ``alpha`` in ``[0, 1]``: player 0's weight in the generalised Nash product
        ``(u0 - d0)**alpha * (u1 - d1)**(1 - alpha)``; ``None`` skips the weighted solution.
        A ``(K,)`` array in the stack API.
    rubinstein
        Alternating offers, or ``None``.
    """

    nash_weight: Number | np.ndarray | None = None
    rubinstein: RubinsteinOptions | None = None

    @property
    def concepts(self) -> tuple[str, ...]:
        """The solution concepts these options ask for, in :data:`CONCEPTS` order."""
        wanted = {"nash", "kalai_smorodinsky", "egalitarian"}
        if self.nash_weight is not None:
            wanted.add("weighted_nash")
        if self.rubinstein is not None:
            wanted.add("rubinstein")
        return tuple(c for c in CONCEPTS if c in wanted)


# --------------------------------------------------------------------------------------------
# Where a solution lies: the regime label of sweeps

LocationKind = Literal["no_gains", "outside", "undefined", "transferable", "vertex", "edge"]

NO_GAINS = 0
"""Label code: no feasible point is better for both players than the disagreement point."""
DISAGREEMENT_OUTSIDE = 1
"""Label code: the disagreement point lies outside the feasible set (stack API only)."""
DISAGREEMENT_UNDEFINED = 2
"""Label code: the disagreement point does not exist here (e.g. the named equilibrium is not an
equilibrium at this parameter point; stack API only)."""
TRANSFERABLE = 3
"""Label code: an agreement on the transferable-utility frontier (it has no vertices)."""
VERTEX_BASE = 4
"""Label code ``VERTEX_BASE + p``: the solution is the feasible set's point ``p``."""


def pair_index(p: int, q: int, n_points: int) -> int:
    """Index of the unordered pair ``{p, q}`` (``p != q``) among the pairs of ``n_points``
    points, in the order (0, 1), (0, 2), ..., (1, 2), ..."""
    if p > q:
        p, q = q, p
    return p * n_points - p * (p + 1) // 2 + (q - p - 1)


def pair_of_index(index: int, n_points: int) -> tuple[int, int]:
    """Inverse of :func:`pair_index`."""
    for p in range(n_points - 1):
        width = n_points - p - 1
        if index < width:
            return p, p + 1 + index
        index -= width
    raise ValueError(f"pair index out of range for {n_points} points")


def label_base(n_points: int) -> int:
    """Number of distinct location codes of one solution concept on ``n_points`` points."""
    return VERTEX_BASE + n_points + n_points * (n_points - 1) // 2


@dataclass(frozen=True)
class Location:
    """Where a solution lies: the discrete label of a bargaining regime.

    Attributes
    ----------
    kind
        ``"vertex"`` (one point of the feasible set), ``"edge"`` (strictly between two
        adjacent vertices of the Pareto frontier), ``"transferable"`` (on the
        transferable-utility frontier), ``"no_gains"``, ``"outside"`` (the disagreement point
        is not feasible) or ``"undefined"`` (there is no disagreement point).
    points
        Indices into the feasible set's points: one for a vertex, two (lower first) for an edge.
    """

    kind: LocationKind
    points: tuple[int, ...] = ()

    def code(self, n_points: int) -> int:
        """The int64 label code (see :data:`NO_GAINS` ... :data:`VERTEX_BASE`)."""
        fixed = {
            "no_gains": NO_GAINS,
            "outside": DISAGREEMENT_OUTSIDE,
            "undefined": DISAGREEMENT_UNDEFINED,
            "transferable": TRANSFERABLE,
        }
        if self.kind in fixed:
            return fixed[self.kind]
        if self.kind == "vertex":
            return VERTEX_BASE + self.points[0]
        return VERTEX_BASE + n_points + pair_index(self.points[0], self.points[1], n_points)


def location_of_code(code: int, n_points: int) -> Location:
    """The :class:`Location` of a label code of a feasible set with ``n_points`` points."""
    code = int(code)
    fixed: dict[int, LocationKind] = {
        NO_GAINS: "no_gains",
        DISAGREEMENT_OUTSIDE: "outside",
        DISAGREEMENT_UNDEFINED: "undefined",
        TRANSFERABLE: "transferable",
    }
    if code in fixed:
        return Location(fixed[code])
    if not 0 <= code < label_base(n_points):
        raise ValueError(f"label code {code} out of range for {n_points} points")
    if code < VERTEX_BASE + n_points:
        return Location("vertex", (code - VERTEX_BASE,))
    return Location("edge", pair_of_index(code - VERTEX_BASE - n_points, n_points))


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Disagreement:
    """The disagreement (threat) point and how it was obtained.

    Attributes
    ----------
    payoffs
        ``(d0, d1)`` as exact Fractions (of the inputs' binary values when ``exact`` is
        False).
    source
        ``"given"``, ``"cell"``, ``"equilibrium"`` or ``"minmax"``.
    cell
        The game cell, for ``"cell"`` and for a pure equilibrium.
    rule
        The equilibrium rule (:data:`EQUILIBRIUM_RULES`), for ``"equilibrium"``.
    equilibrium_count
        How many extreme stage equilibria the rule chose among.
    strategies
        For ``"equilibrium"``: the (row, column) mixed strategies of the chosen equilibrium.
        For ``"minmax"``: ``(player 1's mix that holds player 0 to d0, player 0's mix that
        holds player 1 to d1)``: the punishments.
    exact
        Computed from rational inputs only (the numbers are exact values, not rounded ones).
    """

    payoffs: tuple[Fraction, Fraction]
    source: Literal["given", "cell", "equilibrium", "minmax"]
    cell: tuple[int, int] | None = None
    rule: str | None = None
    equilibrium_count: int | None = None
    strategies: tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None = None
    exact: bool = True


@dataclass(frozen=True)
class SolutionPoint:
    """One bargaining solution.

    Attributes
    ----------
    concept
        One of :data:`CONCEPTS`.
    payoffs
        The agreed payoffs ``(u0, u1)``; the disagreement point when there are no gains.
    gains
        ``payoffs - disagreement``.
    gain_shares
        Each player's share of the total gains ``g_i / (g0 + g1)``; ``None`` without gains.
    location
        Where on the feasible set the solution lies (the regime label).
    transfer
        Under transferable utility with deal payoffs: the side payment from player 0 to
        player 1 that turns the deal into this solution (negative: player 1 pays).
    weight
        Player 0's weight ``alpha`` in the Nash product (``nash``, ``weighted_nash``).
    tie
        The solution lies exactly where its location changes (e.g. the Kalai-Smorodinsky ray
        passes through a vertex; the Nash first-order condition is zero at a vertex): in a
        sweep, a boundary point rather than a regime.
    """

    concept: str
    payoffs: Pair
    gains: Pair
    gain_shares: Pair | None
    location: Location
    transfer: Scalar | None = None
    weight: Scalar | None = None
    tie: bool = False

    @property
    def equal_gains(self) -> bool:
        """Both players gain the same amount (the egalitarian solution may not manage it)."""
        return self.gains[0] == self.gains[1]


@dataclass(frozen=True)
class RubinsteinSolution:
    """The subgame-perfect outcome of alternating offers (Rubinstein 1982).

    The proposer's first offer is accepted at once. With disagreement payoffs received while
    talks go on, the offers split the *gains* over the disagreement point; the pair of
    stationary offers ``x`` (the proposer's) and ``y`` (the responder's) makes each responder
    indifferent between accepting and waiting one round (Binmore, Rubinstein and Wolinsky
    1986; Osborne and Rubinstein 1990, ch. 4).

    Attributes
    ----------
    agreement
        The accepted offer (concept ``"rubinstein"``).
    counter_offer
        What the responder would offer in the next round.
    proposer
        Who offers first, 0 or 1.
    discounts
        ``(delta_0, delta_1)`` per round.
    rates, delay
        When the discounts came from ``delta_i = exp(-r_i * delay)``.
    proposer_share
        The proposer's share of the gains; ``None`` without gains.
    closed_form_share
        Under transferable utility, ``(1 - delta_responder) / (1 - delta_0 * delta_1)``
        (Rubinstein 1982); ``None`` otherwise.
    limit_weight
        With rates: player 0's Nash weight in the limit of quick offers, ``r1 / (r0 + r1)``
        (Binmore, Rubinstein and Wolinsky 1986); under transferable utility it is also
        player 0's limit share of the gains.
    """

    agreement: SolutionPoint
    counter_offer: Pair
    proposer: int
    discounts: Pair
    rates: Pair | None
    delay: Scalar | None
    proposer_share: Scalar | None
    closed_form_share: Scalar | None
    limit_weight: Scalar | None


def _json_number(x: Scalar | None) -> float | None:
    return None if x is None else float(x)


def _json_pair(pair: Pair | None) -> list[float] | None:
    return None if pair is None else [float(pair[0]), float(pair[1])]


@dataclass(frozen=True)
class BargainingResult:
    """Every bargaining solution of one feasible set and disagreement point.

    Attributes
    ----------
    kind
        ``"hull"`` (convex hull of points) or ``"transferable_utility"``.
    exact
        Every input was rational and every number here is an exact :class:`~fractions.Fraction`.
    disagreement
        The disagreement point ``(d0, d1)``.
    disagreement_fact
        How it was obtained, when it came from a game (:class:`Disagreement`).
    frontier
        The vertices of the Pareto frontier in order of increasing ``u0``; under
        transferable utility, the end points of its individually rational part.
    frontier_points
        Indices of the frontier vertices into the feasible set's points (hull only).
    cells
        The game cell of each point, when the points are a game's outcomes.
    n_points
        Number of points of the feasible set (0 under transferable utility).
    no_gains
        No feasible point is better for both players than the disagreement point: there are
        no gains from agreement, and every solution is the disagreement point.
    total_gains
        Under transferable utility the surplus over disagreement, ``V - d0 - d1``.
    ideal
        The ideal point (each player's best individually rational payoff), which
        Kalai-Smorodinsky scales toward; ``None`` without gains.
    max_min_gain
        The largest gain both players can get at once (the egalitarian level).
    solutions
        One :class:`SolutionPoint` per concept asked for, in :data:`CONCEPTS` order.
    rubinstein
        The alternating-offers details, when asked for.
    """

    kind: Literal["hull", "transferable_utility"]
    exact: bool
    disagreement: Pair
    disagreement_fact: Disagreement | None
    frontier: tuple[Pair, ...]
    frontier_points: tuple[int, ...]
    cells: tuple[tuple[int, int], ...] | None
    n_points: int
    no_gains: bool
    total_gains: Scalar | None
    ideal: Pair | None
    max_min_gain: Scalar
    solutions: tuple[SolutionPoint, ...]
    rubinstein: RubinsteinSolution | None

    def solution(self, concept: str) -> SolutionPoint:
        """The solution of ``concept`` (one of :data:`CONCEPTS`)."""
        for s in self.solutions:
            if s.concept == concept:
                return s
        raise KeyError(
            f"no {concept!r} solution was computed; computed: "
            f"{', '.join(s.concept for s in self.solutions)}"
        )

    def to_json(self, player_ids: tuple[str, str]) -> dict[str, object]:
        """The ``analyses.bargaining`` entry of ``solve --json`` (issue 15's shape).

        Numbers are JSON floats; ``"exact": true`` says they were computed in exact rational
        arithmetic (and are the nearest floats to the exact values).
        """
        solutions: dict[str, dict[str, object]] = {}
        for s in self.solutions:
            entry: dict[str, object] = {
                "payoffs": _json_pair(s.payoffs),
                "gains": _json_pair(s.gains),
                "shares": _json_pair(s.gain_shares),
                "transfer": _json_number(s.transfer),
                "location": _location_json(s.location, self.cells),
            }
            if s.weight is not None:
                entry["weight"] = float(s.weight)
            solutions[s.concept] = entry
        if self.rubinstein is not None:
            r = self.rubinstein
            solutions["rubinstein"].update(
                {
                    "proposer": player_ids[r.proposer],
                    "discounts": _json_pair(r.discounts),
                    "counter_offer": _json_pair(r.counter_offer),
                    "proposer_share": _json_number(r.proposer_share),
                    "limit_weight": _json_number(r.limit_weight),
                }
            )
        return {
            "feasible_set": self.kind,
            "exact": self.exact,
            "players": list(player_ids),
            "disagreement": _json_pair(self.disagreement),
            "disagreement_source": (
                "given" if self.disagreement_fact is None else self.disagreement_fact.source
            ),
            "frontier": [_json_pair(v) for v in self.frontier],
            "no_gains": self.no_gains,
            "total_gains": _json_number(self.total_gains),
            "ideal": _json_pair(self.ideal),
            "solutions": solutions,
        }


def _location_json(
    location: Location, cells: tuple[tuple[int, int], ...] | None
) -> dict[str, object]:
    out: dict[str, object] = {"kind": location.kind, "points": list(location.points)}
    if cells is not None and location.points:
        out["cells"] = [list(cells[p]) for p in location.points]
    return out


def as_fraction(value: object, option: str) -> Fraction:
    """``value`` as an exact :class:`~fractions.Fraction` (a float's exact binary value).

    Raises
    ------
    BargainingError
        ``value`` is not a finite real number.
    """
    if isinstance(value, bool) or not isinstance(
        value, int | float | Fraction | np.integer | np.floating
    ):
        raise BargainingError(option, f"expected a number, got {value!r}; give a number")
    if isinstance(value, float | np.floating) and not math.isfinite(float(value)):
        raise BargainingError(option, f"{float(value)} is not a finite number; give a finite one")
    if isinstance(value, np.integer):
        return Fraction(int(value))
    if isinstance(value, np.floating):
        return Fraction(float(value))
    return Fraction(value)


def is_rational(value: object) -> bool:
    """``value`` is an exact rational input (``int`` or ``Fraction``), not a float."""
    return isinstance(value, int | Fraction | np.integer) and not isinstance(value, bool)
