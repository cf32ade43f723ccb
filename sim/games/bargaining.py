"""Bargaining over a deal: Nash, Kalai-Smorodinsky, egalitarian and Rubinstein splits.

The core of the bargaining analysis (issue 15). It sees numbers and arrays, never a scenario:

- **Point API** :func:`solve_bargaining`: one feasible set (:class:`ConvexHullSet`, e.g. from
  :func:`hull_of_game`, or :class:`TransferableUtility`) and one disagreement point (numbers, or
  an option resolved against the game by :func:`resolve_disagreement`) give a frozen
  :class:`BargainingResult` holding every fact a sentence needs. Rational inputs (``int``,
  :class:`~fractions.Fraction`) give exact Fractions; float inputs are computed exactly on their
  binary values and returned as floats.
- **Stack API** :func:`~sim.games.bargaining_stack.solve_bargaining_stack`: the same for ``K``
  parameter points at once, with regime labels, continuous outputs and decisive functions.

Solutions: Nash (1950) and the generalised Nash solution with weight ``alpha`` (Harsanyi and
Selten 1972); Kalai and Smorodinsky (1975); egalitarian (Kalai 1977); Rubinstein's (1982)
alternating offers, with the first proposer's share ``(1 - delta_2) / (1 - delta_1 delta_2)``
under transferable utility and the limit ``r_2 / (r_1 + r_2)`` of quick offers (Binmore,
Rubinstein and Wolinsky 1986). Each is computed in closed form on the frontier edge or vertex
that holds it (:mod:`sim.games.bargaining_core`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from math import exp

import numpy as np

from sim.games import bargaining_core as core
from sim.games.bargaining_disagreement import (
    fraction_matrix,
    matrix_is_rational,
    resolve_disagreement,
)
from sim.games.bargaining_types import (
    CONCEPTS,
    EQUILIBRIUM_RULES,
    BargainingError,
    BargainingResult,
    CellDisagreement,
    ConvexHullSet,
    Disagreement,
    DisagreementOption,
    EquilibriumDisagreement,
    FeasibleSet,
    GivenDisagreement,
    Location,
    MinmaxDisagreement,
    Number,
    Pair,
    RubinsteinOptions,
    RubinsteinSolution,
    Scalar,
    SolutionOptions,
    SolutionPoint,
    TransferableUtility,
    as_fraction,
    is_rational,
    location_of_code,
)

__all__ = [
    "CONCEPTS",
    "EQUILIBRIUM_RULES",
    "BargainingError",
    "BargainingResult",
    "CellDisagreement",
    "ConvexHullSet",
    "Disagreement",
    "EquilibriumDisagreement",
    "GivenDisagreement",
    "Location",
    "MinmaxDisagreement",
    "RubinsteinOptions",
    "RubinsteinSolution",
    "SolutionOptions",
    "SolutionPoint",
    "TransferableUtility",
    "hull_of_game",
    "location_of_code",
    "resolve_disagreement",
    "rubinstein_discounts",
    "solve_bargaining",
    "surplus_of_game",
]

ONE_HALF = Fraction(1, 2)


def hull_of_game(A: object, B: object) -> ConvexHullSet:
    """The feasible set of a bimatrix game: the convex hull of its pure outcomes.

    Point ``p = i * n + j`` is the payoff pair of cell ``(i, j)``; the cells are recorded so that
    a solution's location reads as outcomes of the game.
    """
    Am, Bm = fraction_matrix(A, "payoffs"), fraction_matrix(B, "payoffs")
    if len(Am) != len(Bm) or len(Am[0]) != len(Bm[0]):
        raise BargainingError(
            "payoffs", "the two payoff matrices differ in shape; give one payoff per cell each"
        )
    exact = matrix_is_rational(A) and matrix_is_rational(B)
    m, n = len(Am), len(Am[0])

    def keep(x: Fraction) -> Number:
        return x if exact else float(x)

    points = tuple((keep(Am[i][j]), keep(Bm[i][j])) for i in range(m) for j in range(n))
    cells = tuple((i, j) for i in range(m) for j in range(n))
    return ConvexHullSet(points, cells)


def surplus_of_game(A: object, B: object) -> tuple[Fraction, tuple[int, int]]:
    """The largest joint payoff of a game and its cell (first in row-major order): the surplus
    of transferable-utility bargaining over the game's outcomes."""
    Am, Bm = fraction_matrix(A, "payoffs"), fraction_matrix(B, "payoffs")
    cells = [(i, j) for i in range(len(Am)) for j in range(len(Am[0]))]
    best = max(cells, key=lambda c: (Am[c[0]][c[1]] + Bm[c[0]][c[1]], -c[0], -c[1]))
    return Am[best[0]][best[1]] + Bm[best[0]][best[1]], best


def nash_weight(alpha: object, option: str = "nash_weight") -> Fraction:
    """``alpha`` checked to lie in ``[0, 1]``."""
    value = as_fraction(alpha, option)
    if not 0 <= value <= 1:
        raise BargainingError(
            option,
            f"weight {float(value):g} is outside [0, 1]; give the first player's weight in the "
            "Nash product as a number from 0 to 1 (1/2 is the symmetric Nash solution)",
        )
    return value


def rubinstein_discounts(
    options: RubinsteinOptions,
) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction] | None, Fraction | None, bool]:
    """Per-round discount factors from ``options``: given, or ``exp(-rate * delay)``.

    Returns
    -------
    discounts, rates, delay, exact
        ``exact`` is False when a discount is a float (given, or computed from rates).

    Raises
    ------
    BargainingError
        Both or neither of discounts and rates, a discount outside (0, 1), a rate or delay
        that is not positive, a proposer other than 0 or 1.
    """
    if options.proposer not in (0, 1):
        raise BargainingError(
            "proposer", f"proposer {options.proposer!r} is not a player; give 0 or 1"
        )
    if (options.discounts is None) == (options.rates is None):
        raise BargainingError(
            "discounts",
            "give either the discount factors or the rates with the delay between offers, "
            "not both and not neither",
        )
    if options.discounts is not None:
        values = _pair_of_numbers(options.discounts, "discounts")
        for player, delta in enumerate(values):
            if not 0 < delta < 1:
                raise BargainingError(
                    "discounts",
                    f"the {_ordinal(player)} player's discount factor is {float(delta):g}; "
                    "discount factors must lie strictly between 0 and 1 (e.g. 0.9)",
                )
        return values, None, None, all(is_rational(x) for x in options.discounts)
    rates = _pair_of_numbers(options.rates, "rates")
    for player, rate in enumerate(rates):
        if rate <= 0:
            raise BargainingError(
                "rates",
                f"the {_ordinal(player)} player's discount rate is {float(rate):g}; rates "
                "must be positive (e.g. 0.05 per unit of time)",
            )
    if options.delay is None:
        raise BargainingError("delay", "rates need the delay between offers; give a delay")
    delay = as_fraction(options.delay, "delay")
    if delay <= 0:
        raise BargainingError(
            "delay", f"the delay between offers is {float(delay):g}; give a positive time"
        )
    deltas = (
        Fraction(exp(-float(rates[0] * delay))),
        Fraction(exp(-float(rates[1] * delay))),
    )
    return deltas, rates, delay, False


def _ordinal(player: int) -> str:
    return "first" if player == 0 else "second"


def _pair_of_numbers(values: object, option: str) -> tuple[Fraction, Fraction]:
    if not isinstance(values, Sequence) or len(values) != 2:
        raise BargainingError(option, f"give two numbers, one per player; got {values!r}")
    return as_fraction(values[0], option), as_fraction(values[1], option)


def _hull_points(feasible: ConvexHullSet) -> list[tuple[Fraction, Fraction]]:
    if len(feasible.points) == 0:
        raise BargainingError(
            "feasible_set", "the feasible set is empty; give at least one payoff pair"
        )
    if feasible.cells is not None and len(feasible.cells) != len(feasible.points):
        raise BargainingError(
            "feasible_set.cells",
            f"{len(feasible.cells)} cells for {len(feasible.points)} points; give one per point",
        )
    return [_pair_of_numbers(p, "feasible_set.points") for p in feasible.points]


def _disagreement(
    disagreement: Disagreement | DisagreementOption | Sequence[Number],
    game: tuple[object, object] | None,
) -> Disagreement:
    if isinstance(disagreement, Disagreement):
        return disagreement
    if isinstance(
        disagreement,
        GivenDisagreement | CellDisagreement | EquilibriumDisagreement | MinmaxDisagreement,
    ):
        A, B = game if game is not None else (None, None)
        return resolve_disagreement(disagreement, A, B)
    return resolve_disagreement(GivenDisagreement(tuple(disagreement)))  # type: ignore[arg-type]


def solve_bargaining(
    feasible: FeasibleSet,
    disagreement: Disagreement | DisagreementOption | Sequence[Number],
    options: SolutionOptions | None = None,
    *,
    game: tuple[object, object] | None = None,
) -> BargainingResult:
    """Every bargaining solution of one problem, in closed form on its frontier edge or vertex.

    Parameters
    ----------
    feasible
        A :class:`ConvexHullSet` (free disposal assumed) or :class:`TransferableUtility`.
    disagreement
        Two numbers, a resolved :class:`Disagreement`, or an option (cell, equilibrium rule,
        minmax) resolved against ``game``.
    options
        The weighted Nash and Rubinstein solutions to add (:class:`SolutionOptions`).
    game
        ``(A, B)`` payoff matrices, for disagreement options that need the game.

    Returns
    -------
    BargainingResult
        Exact Fractions when every input is rational, floats otherwise.

    Raises
    ------
    BargainingError
        An empty feasible set, a disagreement point outside it, a weight outside [0, 1],
        discounts outside (0, 1), and the other bad inputs named in the message.
    """
    options = options or SolutionOptions()
    fact = _disagreement(disagreement, game)
    alpha = None if options.nash_weight is None else nash_weight(options.nash_weight)
    exact = fact.exact and (options.nash_weight is None or is_rational(options.nash_weight))
    deltas = None
    if options.rubinstein is not None:
        deltas = rubinstein_discounts(options.rubinstein)
        exact = exact and deltas[3]
    if isinstance(feasible, TransferableUtility):
        exact = (
            exact
            and is_rational(feasible.surplus)
            and (
                feasible.deal_payoffs is None or all(is_rational(x) for x in feasible.deal_payoffs)
            )
        )
        return _solve_transferable(feasible, fact, alpha, options, deltas, exact)
    points = _hull_points(feasible)
    exact = exact and all(is_rational(x) for p in feasible.points for x in p)
    return _solve_hull(feasible, points, fact, alpha, options, deltas, exact)


Deltas = tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction] | None, Fraction | None, bool]


def _outside(d: Pair) -> BargainingError:
    return BargainingError(
        "disagreement",
        f"the disagreement point ({float(d[0]):g}, {float(d[1]):g}) lies outside the feasible "
        "set: no feasible outcome gives both players at least that much; lower it or enlarge "
        "the feasible set",
    )


def _converter(exact: bool) -> Callable[[Fraction], Scalar]:
    return (lambda x: x) if exact else float


def _solution(
    concept: str,
    payoffs: tuple[Fraction, Fraction],
    d: tuple[Fraction, Fraction],
    location: Location,
    out: Callable[[Fraction], Scalar],
    *,
    deal: tuple[Fraction, Fraction] | None = None,
    weight: Fraction | None = None,
    tie: bool = False,
) -> SolutionPoint:
    gains = (payoffs[0] - d[0], payoffs[1] - d[1])
    total = gains[0] + gains[1]
    shares = None if total == 0 else (out(gains[0] / total), out(gains[1] / total))
    return SolutionPoint(
        concept=concept,
        payoffs=(out(payoffs[0]), out(payoffs[1])),
        gains=(out(gains[0]), out(gains[1])),
        gain_shares=shares,
        location=location,
        transfer=None if deal is None else out(deal[0] - payoffs[0]),
        weight=None if weight is None else out(weight),
        tie=tie,
    )


def _solve_transferable(
    feasible: TransferableUtility,
    fact: Disagreement,
    alpha: Fraction | None,
    options: SolutionOptions,
    deltas: Deltas | None,
    exact: bool,
) -> BargainingResult:
    surplus = as_fraction(feasible.surplus, "surplus")
    deal = None
    if feasible.deal_payoffs is not None:
        deal = _pair_of_numbers(feasible.deal_payoffs, "deal_payoffs")
        # exact inputs must add up exactly; floats to within rounding
        slack = 0 if exact else Fraction(1, 10**9) * max(Fraction(1), abs(surplus))
        if abs(deal[0] + deal[1] - surplus) > slack:
            raise BargainingError(
                "deal_payoffs",
                f"the deal payoffs sum to {float(deal[0] + deal[1]):g} but the surplus is "
                f"{float(surplus):g}; give deal payoffs that add up to the surplus",
            )
    d = fact.payoffs
    total = surplus - d[0] - d[1]
    if total < 0:
        raise _outside(d)
    out = _converter(exact)
    no_gains = total == 0
    location = Location("no_gains" if no_gains else "transferable")

    def split(share0: Fraction) -> tuple[Fraction, Fraction]:
        return d[0] + share0 * total, d[1] + (1 - share0) * total

    def solution(concept: str, share0: Fraction, weight: Fraction | None = None) -> SolutionPoint:
        # zero total gains is where agreement stops being possible: a boundary point
        return _solution(
            concept, split(share0), d, location, out, deal=deal, weight=weight, tie=no_gains
        )

    solutions = [solution("nash", ONE_HALF, ONE_HALF)]
    if alpha is not None:
        solutions.append(solution("weighted_nash", alpha, alpha))
    solutions.append(solution("kalai_smorodinsky", ONE_HALF))
    solutions.append(solution("egalitarian", ONE_HALF))
    rubinstein = None
    if options.rubinstein is not None and deltas is not None:
        (d0, d1), _, _, _ = deltas
        proposer = options.rubinstein.proposer
        responder_delta, proposer_delta = (d1, d0) if proposer == 0 else (d0, d1)
        # Rubinstein (1982): the proposer's share, and the responder's when proposing next
        first = (1 - responder_delta) / (1 - d0 * d1)
        second = (1 - proposer_delta) / (1 - d0 * d1)
        offer = split(first if proposer == 0 else 1 - first)
        counter_offer = split(1 - second if proposer == 0 else second)
        agreement = _solution("rubinstein", offer, d, location, out, deal=deal, tie=no_gains)
        solutions.append(agreement)
        rubinstein = _rubinstein_fact(
            agreement,
            counter_offer,
            proposer,
            deltas,
            None if no_gains else out(first),
            out(first),
            out,
        )
    ideal = None if no_gains else (out(surplus - d[1]), out(surplus - d[0]))
    return BargainingResult(
        kind="transferable_utility",
        exact=exact,
        disagreement=(out(d[0]), out(d[1])),
        disagreement_fact=None if fact.source == "given" else fact,
        frontier=((out(d[0]), out(surplus - d[0])), (out(surplus - d[1]), out(d[1]))),
        frontier_points=(),
        cells=None,
        n_points=0,
        no_gains=no_gains,
        total_gains=out(total),
        ideal=ideal,
        max_min_gain=out(total / 2),
        solutions=tuple(solutions),
        rubinstein=rubinstein,
    )


def _rubinstein_fact(
    agreement: SolutionPoint,
    counter_offer: tuple[Fraction, Fraction],
    proposer: int,
    deltas: Deltas,
    proposer_share: Scalar | None,
    closed_form: Scalar | None,
    out: Callable[[Fraction], Scalar],
) -> RubinsteinSolution:
    (d0, d1), rates, delay, _ = deltas
    limit = None if rates is None else rates[1] / (rates[0] + rates[1])
    return RubinsteinSolution(
        agreement=agreement,
        counter_offer=(out(counter_offer[0]), out(counter_offer[1])),
        proposer=proposer,
        discounts=(out(d0), out(d1)),
        rates=None if rates is None else (out(rates[0]), out(rates[1])),
        delay=None if delay is None else out(delay),
        proposer_share=proposer_share,
        closed_form_share=closed_form,
        limit_weight=None if limit is None else out(limit),
    )


def _fractions(flat: Sequence[Fraction], shape: tuple[int, ...]) -> np.ndarray:
    """An object array of exact Fractions of the given shape."""
    arr: np.ndarray = np.empty(len(flat), dtype=object)
    arr[:] = list(flat)
    return arr.reshape(shape)


def _location(chain: core.Chain, placement: core.Placement) -> Location:
    pos = int(placement.pos[0])
    index = chain.index[0]
    if bool(placement.at_vertex[0]):
        return Location("vertex", (int(index[pos]),))
    p, q = sorted((int(index[pos]), int(index[pos + 1])))
    return Location("edge", (p, q))


def _pair(row: np.ndarray) -> tuple[Fraction, Fraction]:
    return Fraction(row[0]), Fraction(row[1])


def _solve_hull(
    feasible: ConvexHullSet,
    points: list[tuple[Fraction, Fraction]],
    fact: Disagreement,
    alpha: Fraction | None,
    options: SolutionOptions,
    deltas: Deltas | None,
    exact: bool,
) -> BargainingResult:
    P = _fractions([x for p in points for x in p], (1, len(points), 2))
    d = _fractions(fact.payoffs, (1, 2))
    zero = _fractions([Fraction(0)], (1,))
    chain, _ = core.pareto_chain(P, zero, zero)
    egalitarian, level = core.max_min_gain(chain, d)
    if level[0] < 0:
        raise _outside(fact.payoffs)
    out = _converter(exact)
    count = int(chain.count[0])
    frontier = tuple((out(Fraction(c[0])), out(Fraction(c[1]))) for c in chain.coords[0, :count])
    no_gains = level[0] == 0
    dd = fact.payoffs
    # (concept, placement, Nash weight, tie) of each solution computed
    placements: list[tuple[str, core.Placement, Fraction | None, bool]] = []
    ideal = None
    rubinstein = None
    counter = None
    if not no_gains:
        for concept, weight in (("nash", ONE_HALF), ("weighted_nash", alpha)):
            if weight is not None:
                w = _fractions([weight], (1,))
                placement = core.nash(chain, d, w)
                tie = bool(core.nash_tie(chain, d, w, placement)[0])
                placements.append((concept, placement, weight, tie))
        ideal_arr = core.ideal_point(chain, d)
        ideal = _pair(ideal_arr[0])
        placement = core.kalai_smorodinsky(chain, d, ideal_arr)
        single = int(chain.count[0]) == 1  # the only frontier point: no boundary to lie on
        placements.append(
            ("kalai_smorodinsky", placement, None, bool(placement.at_vertex[0]) and not single)
        )
        tie = bool(core.egalitarian_tie(chain, d, egalitarian)[0])
        placements.append(("egalitarian", egalitarian, None, tie))
        if options.rubinstein is not None and deltas is not None:
            (d0, d1), _, _, _ = deltas
            placement, counter = core.rubinstein(
                chain,
                d,
                ideal_arr,
                _fractions([d0], (1,)),
                _fractions([d1], (1,)),
                options.rubinstein.proposer,
            )
            tie = bool(placement.at_vertex[0]) and not single
            placements.append(("rubinstein", placement, None, tie))
    solutions = []
    for concept in SolutionOptions(alpha, options.rubinstein).concepts:
        found = next((p for p in placements if p[0] == concept), None)
        if found is None:  # no gains: every solution is the disagreement point
            weight = (
                ONE_HALF if concept == "nash" else alpha if concept == "weighted_nash" else None
            )
            solutions.append(_solution(concept, dd, dd, Location("no_gains"), out, weight=weight))
            continue
        _, placement, weight, tie = found
        solutions.append(
            _solution(
                concept,
                _pair(placement.payoffs[0]),
                dd,
                _location(chain, placement),
                out,
                weight=weight,
                tie=tie,
            )
        )
    if options.rubinstein is not None and deltas is not None:
        agreement = solutions[-1]
        proposer = options.rubinstein.proposer
        share = None if agreement.gain_shares is None else agreement.gain_shares[proposer]
        counter_offer = dd if counter is None else _pair(counter[0])
        rubinstein = _rubinstein_fact(agreement, counter_offer, proposer, deltas, share, None, out)
    return BargainingResult(
        kind="hull",
        exact=exact,
        disagreement=(out(dd[0]), out(dd[1])),
        disagreement_fact=None if fact.source == "given" else fact,
        frontier=frontier,
        frontier_points=tuple(int(i) for i in chain.index[0, :count]),
        cells=feasible.cells,
        n_points=len(points),
        no_gains=bool(no_gains),
        total_gains=None,
        ideal=None if ideal is None else (out(ideal[0]), out(ideal[1])),
        max_min_gain=out(Fraction(level[0])),
        solutions=tuple(solutions),
        rubinstein=rubinstein,
    )
