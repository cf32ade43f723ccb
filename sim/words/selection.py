"""Words of the "which equilibrium?" analysis: risk and payoff dominance, the logit QRE's
limit and correlated equilibria, each sentence built from one structured fact.

The facts come from :mod:`sim.games.selection` (Harsanyi and Selten 1988),
:mod:`sim.games.qre` (McKelvey and Palfrey 1995) and :mod:`sim.games.correlated` (Aumann
1974); numbers go through :mod:`sim.words.numbers` only. Regime labels (see
:mod:`sim.analyses.selection`) are ``("risk", code)`` with ``code`` a
:func:`sim.games.selection_base.support_code` or one of the ``CODE_*`` constants.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sim.games.selection_base import describe_code
from sim.words.numbers import probability, rational
from sim.words.phrases import join_and, subject

if TYPE_CHECKING:
    from sim.games.correlated import CorrelatedResult, Signal
    from sim.games.qre import QREBranch, QREPoint
    from sim.games.selection import PayoffDominance, RiskDominance
    from sim.scenario import Scenario

#: Where the ideas come from (shown in reports).
SOURCES = (
    "risk and payoff dominance as in Harsanyi and Selten (1988); the logit quantal-response "
    "equilibrium as in McKelvey and Palfrey (1995); correlated equilibrium as in Aumann (1974)"
)


def outcome_name(strategies: Sequence[Sequence[str]], row: int, col: int) -> str:
    """``"Ease / Resume"``: the row side's strategy, then the column side's."""
    return f"{strategies[0][row]} / {strategies[1][col]}"


def profile_name(
    strategies: Sequence[Sequence[str]], row_support: Sequence[int], col_support: Sequence[int]
) -> str:
    """A pure profile's outcome, or ``"a mix of A and B / C"`` for a mixed one."""

    def side(player: int, support: Sequence[int]) -> str:
        names = [strategies[player][k] for k in support]
        return names[0] if len(names) == 1 else f"a mix of {join_and(names)}"

    return f"{side(0, row_support)} / {side(1, col_support)}"


def label_text(code: int, strategies: Sequence[Sequence[str]]) -> str:
    """A risk-dominance label in words."""
    facts = describe_code(code, len(strategies[1]))
    if facts.kind == "equilibrium":
        return f"{profile_name(strategies, facts.row_support, facts.col_support)} is selected"
    return {
        "none": "no strict equilibrium to select",
        "tie": "the strict equilibria tie on risk",
        "no-winner": "no equilibrium risk-dominates all others",
    }[facts.kind]


def _strategies(info: Scenario) -> list[list[str]]:
    return [list(p.strategies) for p in info.players]


class SelectionWords:
    """Regime words of the risk-dominance labels of a sweep."""

    def heading(self, info: Scenario) -> str:
        """Heading of the selection regimes."""
        return "Which equilibrium (risk dominance, Harsanyi and Selten):"

    def describe(self, label: Any, info: Scenario) -> str:
        """``"Ease / Resume is selected by risk dominance"``."""
        facts = describe_code(int(label[1]), len(info.players[1].strategies))
        text = label_text(int(label[1]), _strategies(info))
        return f"{text} by risk dominance" if facts.kind == "equilibrium" else text

    def short(self, label: Any, info: Scenario) -> str:
        """The selected outcome's name, or what there is instead."""
        facts = describe_code(int(label[1]), len(info.players[1].strategies))
        if facts.kind == "equilibrium":
            return profile_name(_strategies(info), facts.row_support, facts.col_support)
        return label_text(int(label[1]), _strategies(info))

    def change(self, before: Any, after: Any, info: Scenario) -> str:
        """``"the risk-dominant outcome changes from A / B to C / D"``."""
        return (
            f"the risk-dominant outcome changes from {self.short(before, info)} to "
            f"{self.short(after, info)}"
        )

    def items(self, label: Any, info: Scenario) -> list[str]:
        """The selected outcome."""
        return [self.short(label, info)]

    def label_json(self, label: Any, info: Scenario) -> dict[str, Any]:
        """``{"description", "code", "kind", "row_support", "col_support"}``."""
        facts = describe_code(int(label[1]), len(info.players[1].strategies))
        return {
            "description": self.describe(label, info),
            "code": int(label[1]),
            "kind": facts.kind,
            "row_support": list(facts.row_support),
            "col_support": list(facts.col_support),
        }

    def label_from_json(self, doc: Mapping[str, Any], info: Scenario) -> tuple[str, int]:
        """The label written by :meth:`label_json`."""
        return ("risk", int(doc["code"]))


# ---------------------------------------------------------------------------------------------
# Point sentences
# ---------------------------------------------------------------------------------------------
def risk_sentence(result: RiskDominance, strategies: Sequence[Sequence[str]]) -> str:
    """What risk dominance says, with the Nash products behind it."""
    strict = result.strict_equilibria
    if result.status == "none":
        return "Risk dominance has nothing to select: no outcome is a strict equilibrium."
    if result.status == "only-one":
        only = strict[0]
        return (
            f"Risk dominance: {outcome_name(strategies, only.row, only.col)} is the only strict "
            "equilibrium, so there is nothing to compare."
        )
    parts = []
    for c in result.comparisons:
        e, f = strict[c.first], strict[c.second]
        parts.append(
            f"{outcome_name(strategies, e.row, e.col)} {rational(c.nash_product_first)} against "
            f"{outcome_name(strategies, f.row, f.col)} {rational(c.nash_product_second)}"
        )
    products = f"the products of the two sides' losses from deviating are {join_and(parts)}"
    if result.status == "selected" and result.dominant is not None:
        win = strict[result.dominant]
        return (
            f"Risk dominance selects {outcome_name(strategies, win.row, win.col)}: {products}; "
            "the larger product is the safer bet when each side is unsure what the other will do."
        )
    if result.status == "tie":
        return f"Risk dominance cannot choose: {products}, and the largest ones are equal."
    return f"Risk dominance cannot choose: {products}, and the comparisons go round in a circle."


def payoff_sentence(
    result: PayoffDominance, names: Sequence[str], equilibrium_names: Sequence[str]
) -> str:
    """What payoff dominance says."""
    if result.status in ("selected", "only-one") and result.dominant is not None:
        pay = result.payoffs[result.dominant]
        name = equilibrium_names[result.dominant]
        if result.status == "only-one":
            return f"Payoff dominance: {name} is the only equilibrium."
        return (
            f"Payoff dominance selects {name}: it gives {subject(names[0])} {rational(pay[0])} "
            f"and {subject(names[1])} {rational(pay[1])}, more for both than any other "
            "equilibrium."
        )
    if result.status == "none":
        return "Payoff dominance has no equilibrium to compare."
    return (
        "Payoff dominance cannot choose: no equilibrium is better for both sides than all others."
    )


def qre_sentence(branch: QREBranch, equilibrium_names: Sequence[str]) -> str:
    """Where the logit QRE's principal branch leads."""
    if branch.limit_index is not None:
        return (
            "Noisy play that grows sharper (the logit quantal-response equilibrium, from random "
            f"play at precision 0) leads to {equilibrium_names[branch.limit_index]}."
        )
    return (
        "Noisy play that grows sharper (the logit quantal-response equilibrium) does not come "
        "close to any one equilibrium within the precision followed."
    )


def qre_point_sentence(point: QREPoint, strategies: Sequence[Sequence[str]]) -> str:
    """The QRE at a chosen precision, as each side's probabilities."""
    sides = []
    for player, mix in enumerate((point.row, point.col)):
        sides.append(
            join_and(
                [f"{strategies[player][k]} {probability(float(p))}" for k, p in enumerate(mix)]
            )
        )
    return (
        f"At precision {rational(point.lam)} the quantal-response players play "
        f"{sides[0]}, against {sides[1]}."
    )


def signal_sentence(
    signal: Signal, strategies: Sequence[Sequence[str]], names: Sequence[str]
) -> str:
    """A correlated equilibrium as a mediator's signal: which outcomes, how often, who gets what."""
    drawn = [
        (i, j, p) for i, row in enumerate(signal.distribution) for j, p in enumerate(row) if p > 0
    ]
    expects = (
        f"{subject(names[0])} expects {rational(signal.payoffs[0])} and {subject(names[1])} "
        f"{rational(signal.payoffs[1])}"
    )
    if len(drawn) == 1:
        i, j, _ = drawn[0]
        return (
            f"the signal always recommends {outcome_name(strategies, i, j)}, which needs no "
            f"mediator because it is itself an equilibrium; {expects}"
        )
    cells = [f"{outcome_name(strategies, i, j)} {probability(float(p))}" for i, j, p in drawn]
    return f"a mediator draws {join_and(cells)} and tells each side only its own part; {expects}"


def correlated_sentences(
    result: CorrelatedResult,
    strategies: Sequence[Sequence[str]],
    names: Sequence[str],
    outcome_is_nash: bool = False,
) -> list[str]:
    """The welfare-maximising correlated equilibrium, the payoff ranges and the outcome asked
    about."""
    lines = [
        "With a shared signal (a correlated equilibrium) the most the two sides can get together "
        f"is {rational(result.welfare)}: {signal_sentence(result.max_welfare, strategies, names)}.",
        f"Over all such signals {subject(names[0])} gets from {rational(result.row_range[0])} "
        f"to {rational(result.row_range[1])} and {subject(names[1])} from "
        f"{rational(result.col_range[0])} to {rational(result.col_range[1])}.",
    ]
    query = result.outcome
    if query is not None:
        name = outcome_name(strategies, query.row, query.col)
        if query.possible and query.signal is not None and outcome_is_nash:
            lines.append(
                f"{name} is itself a Nash equilibrium, so it can be played for sure without "
                "any signal."
            )
        elif query.possible and query.signal is not None:
            lines.append(
                f"{name} can be played with probability up to "
                f"{probability(float(query.max_probability))} as a stable arrangement although it "
                f"is not a Nash equilibrium: {signal_sentence(query.signal, strategies, names)}, "
                "and neither gains by disobeying its recommendation."
            )
        else:
            lines.append(f"{name} cannot be played in any correlated equilibrium.")
    return lines
