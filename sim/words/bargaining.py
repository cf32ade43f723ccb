"""Words of the bargaining analysis: the threat point, the frontier and each solution.

Every sentence reads a field of :class:`~sim.games.bargaining_types.BargainingResult` (the
point) or a regime label of :mod:`sim.analyses.bargaining` (where each solution lies); numbers
go through :mod:`sim.words.numbers` and lists through :mod:`sim.words.phrases`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sim.words.numbers import number, percent
from sim.words.phrases import capital, join_and, possessive, subject

if TYPE_CHECKING:
    from sim.scenario import Scenario

#: How each solution concept is named in sentences.
CONCEPT_NAMES: dict[str, str] = {
    "nash": "the Nash bargaining solution",
    "weighted_nash": "the generalised Nash solution",
    "kalai_smorodinsky": "the Kalai-Smorodinsky solution",
    "egalitarian": "the egalitarian solution",
    "rubinstein": "the Rubinstein (alternating offers) agreement",
}

#: Where the names and formulas come from.
SOURCES = (
    "Nash (1950); Harsanyi and Selten (1972) for the weighted solution; Kalai and "
    "Smorodinsky (1975); Kalai (1977); Rubinstein (1982); Binmore, Rubinstein and Wolinsky (1986)"
)

RULE_WORDS = {
    "lowest_total": "the one with the lowest joint payoff",
    "worst_for_player_1": "the one worst for the first side",
    "worst_for_player_2": "the one worst for the second side",
    "index": "the one named by its index",
    "cell": "the one at the named cell",
}


def _outcome(strategies: tuple[tuple[str, ...], tuple[str, ...]], cell: Sequence[int]) -> str:
    return f"{strategies[0][cell[0]]} / {strategies[1][cell[1]]}"


def _pair(names: Sequence[str], values: Sequence[Any]) -> str:
    return f"{names[0]} {number(float(values[0]))} and {names[1]} {number(float(values[1]))}"


def disagreement_sentence(point: Any) -> str:
    """What each side gets if talks fail, and where that comes from."""
    r = point.result
    names = [subject(n) for n in point.player_names]
    fact = r.disagreement_fact
    where = "the given threat point"
    if fact is not None and fact.source == "cell" and fact.cell is not None:
        where = f"the outcome {_outcome(point.strategies, fact.cell)}"
    elif fact is not None and fact.source == "equilibrium":
        rule = RULE_WORDS.get(fact.rule or "", "")
        kind = (
            f"the one-shot game's Nash equilibrium {_outcome(point.strategies, fact.cell)}"
            if fact.cell is not None
            else "a mixed Nash equilibrium of the one-shot game"
        )
        several = fact.equilibrium_count is not None and fact.equilibrium_count > 1
        where = f"{kind} ({rule})" if several else kind
    elif fact is not None and fact.source == "minmax":
        where = "each side's minmax value (the least the other side can hold it to)"
    return f"If talks fail, each side gets what {where} pays: {_pair(names, r.disagreement)}."


def frontier_sentence(point: Any) -> str:
    """The feasible deals: side payments, or the outcomes on the Pareto frontier."""
    r = point.result
    names = [subject(n) for n in point.player_names]
    if r.kind == "transferable_utility":
        total = float(r.disagreement[0]) + float(r.disagreement[1]) + float(r.total_gains)
        deal = ""
        if point.deal_cell is not None:
            deal = f" of the deal {_outcome(point.strategies, point.deal_cell)}"
        return (
            f"With side payments, any split of the joint payoff{deal}, {number(total)}, is "
            f"feasible; the gains from agreement over the threat point total "
            f"{number(float(r.total_gains))}."
        )
    if r.cells is None:
        return f"The Pareto frontier has {len(r.frontier)} vertices."
    outcomes = [
        f"{_outcome(point.strategies, r.cells[p])} ({number(float(v[0]))}, {number(float(v[1]))})"
        for p, v in zip(r.frontier_points, r.frontier, strict=True)
    ]
    return (
        f"Lotteries over the outcomes are feasible; the Pareto frontier runs through "
        f"{join_and(outcomes)} (payoffs of {names[0]} and {names[1]})."
    )


def _location_words(point: Any, location: Any) -> str:
    r = point.result
    if location.kind == "vertex" and r.cells is not None:
        return f" at the outcome {_outcome(point.strategies, r.cells[location.points[0]])}"
    if location.kind == "edge" and r.cells is not None:
        a, b = (_outcome(point.strategies, r.cells[p]) for p in location.points)
        return f" on the frontier between {a} and {b}"
    return ""


def solution_sentence(point: Any, solution: Any) -> str:
    """``"The Nash bargaining solution gives the United States -42.35 and China -93.99 ..."``."""
    names = [subject(n) for n in point.player_names]
    text = f"{capital(CONCEPT_NAMES[solution.concept])}"
    if solution.concept == "weighted_nash" and solution.weight is not None:
        text += f" (weight {number(float(solution.weight))} on {names[0]})"
    text += f" gives {_pair(names, solution.payoffs)}"
    text += _location_words(point, solution.location)
    if solution.gain_shares is not None:
        text += (
            f"; {names[0]} gets {percent(float(solution.gain_shares[0]))} of the gains, "
            f"{names[1]} {percent(float(solution.gain_shares[1]))}"
        )
    if solution.transfer is not None:
        y = float(solution.transfer)
        if y > 0:
            text += f"; {names[0]} pays {names[1]} {number(y)}"
        elif y < 0:
            text += f"; {names[1]} pays {names[0]} {number(-y)}"
        else:
            text += "; no side payment is needed"
    return text + "."


def rubinstein_sentence(point: Any) -> str:
    """Who proposes, the discount factors, and the quick-offers limit when rates were given."""
    rub = point.result.rubinstein
    names = [subject(n) for n in point.player_names]
    text = (
        f"In alternating offers {names[rub.proposer]} proposes first; the discount factors per "
        f"round are {number(float(rub.discounts[0]))} for {names[0]} and "
        f"{number(float(rub.discounts[1]))} for {names[1]}"
    )
    if rub.proposer_share is not None:
        text += (
            f"; the first offer is accepted at once and gives the proposer "
            f"{percent(float(rub.proposer_share))} of the gains"
        )
    if rub.limit_weight is not None:
        text += (
            f"; as offers come faster, {possessive_share(names[0])} tends to "
            f"{percent(float(rub.limit_weight))}"
        )
    return text + "."


def possessive_share(name: str) -> str:
    """``"the United States' share"``."""
    return f"{possessive(name)} share"


def result_lines(point: Any) -> list[str]:
    """The sentences of ``solve`` and of a report's point section, in order."""
    r = point.result
    lines = [disagreement_sentence(point), frontier_sentence(point)]
    if r.no_gains:
        lines.append(
            "There are no gains from agreement: no feasible deal is better for both sides "
            "than the threat point, so every solution is the threat point."
        )
        return lines
    # solutions with the same payoffs are named together (under side payments the symmetric
    # ones all split the gains equally)
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for s in r.solutions:
        groups.setdefault((s.payoffs, s.transfer), []).append(s)
    for same in groups.values():
        sentence = solution_sentence(point, same[0])
        if len(same) > 1:
            names = [CONCEPT_NAMES[s.concept] for s in same]
            weight = next((s.weight for s in same if s.concept == "weighted_nash"), None)
            if weight is not None:
                index = names.index(CONCEPT_NAMES["weighted_nash"])
                side = subject(point.player_names[0])
                names[index] += f" (weight {number(float(weight))} on {side})"
            both = "both" if len(names) == 2 else "all"
            rest = sentence.split(" gives ", 1)[1]
            sentence = f"{capital(join_and(names))} {both} give {rest}"
        lines.append(sentence)
    if r.rubinstein is not None:
        lines.append(rubinstein_sentence(point))
    return lines


def _payment(y: float, names: Sequence[str]) -> tuple[str, str, float]:
    """``(payer, payee, amount)`` of a side payment ``y`` from the first side to the second."""
    return (names[0], names[1], y) if y >= 0 else (names[1], names[0], -y)


def movement_sentence(point: Any, move: Any) -> str:
    """``"As the US dependence ... rises from 0.5 to 0.95, China's payment to the United
    States in the Nash bargaining solution falls from 21.18 to 9.93."``"""
    names = [subject(n) for n in point.player_names]
    opening = f"As the {move.label} rises from {number(move.low)} to {number(move.high)}"
    concept = CONCEPT_NAMES[move.concept]
    if move.quantity == "payoff_0":
        verb = (
            "rises"
            if move.after > move.before
            else "falls"
            if move.after < move.before
            else "stays"
        )
        return (
            f"{opening}, {possessive(names[0])} payoff in {concept} {verb} from "
            f"{number(move.before)} to {number(move.after)}."
        )
    payer, payee, before = _payment(move.before, names)
    payer_after, _, after = _payment(move.after, names)
    if payer_after != payer:
        return (
            f"{opening}, {concept} turns from {payer} paying {payee} {number(before)} into "
            f"{payer_after} paying {payer} {number(after)}."
        )
    if after == before:
        return (
            f"{opening}, {possessive(payer)} payment to {payee} in {concept} stays {number(after)}."
        )
    verb = "rises" if after > before else "falls"
    return (
        f"{opening}, {possessive(payer)} payment to {payee} in {concept} {verb} from "
        f"{number(before)} to {number(after)}."
    )


def movement_lines(point: Any) -> list[str]:
    """One sentence per solution and 1-D report sweep (:class:`Movement` facts)."""
    return [movement_sentence(point, m) for m in point.movements]


def figure_alt_text(point: Any) -> str:
    """What the feasible-set figure shows, as facts: the threat point, the frontier's end
    points and where each solution lies."""
    r = point.result
    names = [subject(n) for n in point.player_names]
    ends = [f"({number(float(u))}, {number(float(v))})" for u, v in (r.frontier[0], r.frontier[-1])]
    solutions = [
        f"{CONCEPT_NAMES[s.concept]} at ({number(float(s.payoffs[0]))}, "
        f"{number(float(s.payoffs[1]))})"
        for s in r.solutions
    ]
    return (
        f"Payoffs of {names[0]} (across) and {names[1]} (up). The threat point is at "
        f"({number(float(r.disagreement[0]))}, {number(float(r.disagreement[1]))}); the Pareto "
        f"frontier runs from {ends[0]} to {ends[1]}; {join_and(solutions)}."
    )


def value_meaning(key: str) -> str:
    """What a continuous value of the sweep means (data dictionary)."""
    if key == "max_min_gain":
        return "the largest gain both sides can have at once"
    if key == "total_gains":
        return "the gains from agreement over the threat point (surplus minus threat payoffs)"
    for concept, name in CONCEPT_NAMES.items():
        if key.startswith(f"{concept}_"):
            rest = key[len(concept) + 1 :]
            what = {
                "payoff_0": "the first side's payoff",
                "payoff_1": "the second side's payoff",
                "share_0": "the first side's share of the gains",
                "gain_0": "the first side's gain over the threat point",
                "gain_1": "the second side's gain over the threat point",
                "transfer": "the side payment from the first side to the second",
            }.get(rest, rest.replace("_", " "))
            return f"{what} in {name}"
    return key.replace("_", " ")


# --------------------------------------------------------------------------------------------
# Regime labels: ((concept, kind, points), ...)


def _place(kind: str, points: Sequence[int], info: Scenario) -> str:
    rows, cols = info.players[0].strategies, info.players[1].strategies
    n = len(cols)

    def outcome(p: int) -> str:
        return f"{rows[p // n]} / {cols[p % n]}"

    if kind == "vertex":
        return f"at {outcome(points[0])}"
    if kind == "edge":
        return f"between {outcome(points[0])} and {outcome(points[1])}"
    if kind == "transferable":
        return "as a split by side payments"
    if kind.startswith("transferable_"):
        return "with " + _who_pays(kind, info, "ing")
    if kind == "no_gains":
        return "no gains from agreement"
    if kind == "outside":
        return "threat point not feasible"
    return "no threat point"


def _who_pays(kind: str, info: Scenario, form: str = "s") -> str:
    """Who pays whom in a split by side payments: ``"China pays the United States"``
    (``form="ing"``: ``"China paying the United States"``)."""
    first, second = (subject(p.name) for p in info.players)
    verb = "paying" if form == "ing" else "pays"
    if kind == "transferable_first_pays":
        return f"{first} {verb} {second}"
    if kind == "transferable_second_pays":
        return f"{second} {verb} {first}"
    return "no side payment" if form == "ing" else "no side payment is needed"


def label_parts(label: Any, info: Scenario) -> list[str]:
    """``["the Nash bargaining solution at Keep / Keep", ...]``: solutions in the same place
    are named together (``"the Nash and the egalitarian solution at ..."``)."""
    groups: dict[tuple[str, tuple[int, ...]], list[str]] = {}
    for c, kind, pts in label:
        groups.setdefault((kind, tuple(pts)), []).append(CONCEPT_NAMES[c])
    return [f"{join_and(names)} {_place(kind, pts, info)}" for (kind, pts), names in groups.items()]


class BargainingWords:
    """The :class:`~sim.analyses.base.LabelWords` of the bargaining analysis."""

    def heading(self, info: Scenario) -> str:
        """Heading of the bargaining regimes of a sweep."""
        return "Where the bargaining solutions lie:"

    def describe(self, label: Any, info: Scenario) -> str:
        """Every solution's place, or the one fact shared by all."""
        kinds = {kind for _, kind, _ in label}
        if kinds == {"no_gains"}:
            return "No gains from agreement: every solution is the threat point"
        if kinds == {"transferable"}:
            return "Agreement: each solution splits the gains by side payments"
        if len(kinds) == 1 and next(iter(kinds)).startswith("transferable_"):
            return f"Agreement: in every solution {_who_pays(next(iter(kinds)), info)}"
        if kinds <= {"outside", "undefined"}:
            return capital(_place(next(iter(kinds)), (), info))
        return capital("; ".join(label_parts(label, info)))

    def short(self, label: Any, info: Scenario) -> str:
        """The Nash solution's place (the first concept's), for legends."""
        kinds = {kind for _, kind, _ in label}
        if len(kinds) == 1 and next(iter(kinds)) in ("no_gains", "transferable"):
            return capital(_place(next(iter(kinds)), (), info))
        _, kind, pts = label[0]
        return f"Nash {_place(kind, pts, info)}"

    def change(self, before: Any, after: Any, info: Scenario) -> str:
        """``"the Nash bargaining solution moves from at A to between A and B"``."""
        changes = [
            f"in {CONCEPT_NAMES[a[0]]} {_who_pays(b[1], info)} (before: {_who_pays(a[1], info)})"
            if a[1].startswith("transferable_") and b[1].startswith("transferable_")
            else f"{CONCEPT_NAMES[a[0]]} moves from {_place(a[1], a[2], info)} to "
            f"{_place(b[1], b[2], info)}"
            for a, b in zip(before, after, strict=True)
            if a != b
        ]
        return join_and(changes) if changes else "nothing changes"

    def items(self, label: Any, info: Scenario) -> list[str]:
        """Each solution's place."""
        return label_parts(label, info)

    def label_json(self, label: Any, info: Scenario) -> dict[str, Any]:
        """``{"description", "solutions": {concept: {"kind", "points"}}}``.

        ``kind`` is ``vertex``, ``edge``, ``transferable`` (a split by side payments), or with
        a deal to pay from ``transferable_first_pays``, ``transferable_second_pays`` or
        ``transferable_no_payment``; ``no_gains``, ``outside`` or ``undefined``."""
        return {
            "description": self.describe(label, info),
            "solutions": {c: {"kind": kind, "points": list(pts)} for c, kind, pts in label},
        }

    def label_from_json(self, doc: Mapping[str, Any], info: Scenario) -> Any:
        """The label written by :meth:`label_json`."""
        return tuple(
            (c, str(entry["kind"]), tuple(int(p) for p in entry["points"]))
            for c, entry in doc["solutions"].items()
        )
