"""Words of the repeated-game (truce) analysis: regime labels and the sentences at one point.

Every sentence is built from a structured fact of :class:`~sim.games.repeated_results.
RepeatedResult` (a player's one-period gain, its per-period loss under punishment, a strategy's
critical discount ``delta*`` and the player whose condition binds, the metagame's equilibria, the
finite horizon's deal rounds), so a test can recompute each fact from the payoff arrays. Numbers
go through :mod:`sim.words.numbers`: exact thresholds print as fractions (``1/6``).

A regime label (see :mod:`sim.analyses.repeated`) is a tuple of ``(strategy key, case slug)``
pairs, one per evaluated strategy, in the order the scenario lists them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

from sim.words.numbers import number, probability, rational
from sim.words.phrases import capital, join_and, possessive, subject

if TYPE_CHECKING:
    from sim.games.repeated_results import (
        Metagame,
        PunishmentFacts,
        RepeatedResult,
        StrategyResult,
    )
    from sim.scenario import Scenario

RepeatedLabel = tuple[tuple[str, str], ...]

#: Each case of a strategy in words (the regime label's parts).
CASE_WORDS: dict[str, str] = {
    "no_credible_threat": "no credible threat: the punishment does not hurt one side, so no "
    "discount sustains the deal",
    "sustainable": "the deal is sustainable for sides patient enough (discount at least the "
    "critical discount)",
    "never_sustainable": "no discount below 1 sustains the deal",
    "holds": "the deal holds at the discount per period",
    "fails": "the deal fails at the discount per period (more patient sides would keep it)",
}

CASE_SHORT: dict[str, str] = {
    "no_credible_threat": "no credible threat",
    "sustainable": "sustainable if patient",
    "never_sustainable": "never sustainable",
    "holds": "deal holds",
    "fails": "deal fails",
}


def strategy_title(key: str) -> str:
    """``grim`` -> ``grim trigger``, ``tit_for_tat`` -> ``tit-for-tat``, ``punish_2`` -> ``2
    periods of punishment``."""
    if key == "grim":
        return "grim trigger"
    if key == "tit_for_tat":
        return "tit-for-tat"
    if key.startswith("punish_"):
        k = int(key.split("_", 1)[1])
        return f"{k} period{'s' if k != 1 else ''} of punishment, then forgiveness"
    return key.replace("_", " ")


def amount(value: Fraction | float) -> str:
    """An exact result as a fraction (``1/6``), a float as a short number."""
    if isinstance(value, Fraction):
        return rational(value)
    return number(float(value))


class RepeatedWords:
    """The :class:`~sim.analyses.base.LabelWords` of the repeated-game analysis."""

    def heading(self, info: Scenario) -> str:
        """The heading of a sweep's summary of these regimes."""
        return "Can the truce hold? (repeated game)"

    def describe(self, label: Hashable, info: Scenario) -> str:
        """``grim trigger: the deal holds at the scenario's discount; tit-for-tat: ...``."""
        return "; ".join(
            f"{strategy_title(key)}: {CASE_WORDS[case]}" for key, case in _pairs(label)
        )

    def short(self, label: Hashable, info: Scenario) -> str:
        """``grim: deal holds, tit-for-tat: deal fails`` (one strategy: just its case)."""
        pairs = _pairs(label)
        if len(pairs) == 1:
            return CASE_SHORT[pairs[0][1]]
        return ", ".join(f"{_short_key(key)}: {CASE_SHORT[case]}" for key, case in pairs)

    def change(self, before: Hashable, after: Hashable, info: Scenario) -> str:
        """What changes for the strategies whose case changes."""
        parts = [
            f"under {strategy_title(k)} {CASE_SHORT[b]} becomes {CASE_SHORT[a]}"
            for (k, b), (_, a) in zip(_pairs(before), _pairs(after), strict=True)
            if a != b
        ]
        return capital(join_and(parts)) if parts else "Nothing changes"

    def items(self, label: Hashable, info: Scenario) -> list[str]:
        """One phrase per strategy."""
        return [f"{strategy_title(key)}: {CASE_SHORT[case]}" for key, case in _pairs(label)]

    def label_json(self, label: Hashable, info: Scenario) -> dict[str, Any]:
        """``{"cases": {"grim": "holds", ...}, "description": ...}``."""
        return {"cases": dict(_pairs(label)), "description": self.describe(label, info)}

    def label_from_json(self, doc: Mapping[str, Any], info: Scenario) -> Hashable:
        """The label written by :meth:`label_json`."""
        return tuple((str(k), str(v)) for k, v in doc["cases"].items())


def _pairs(label: Hashable) -> RepeatedLabel:
    """A label as its ``(strategy key, case slug)`` pairs."""
    return cast(RepeatedLabel, label)


def _short_key(key: str) -> str:
    return {"grim": "grim", "tit_for_tat": "tit-for-tat"}.get(key, key.replace("_", " "))


# --------------------------------------------------------------------------------------------
# Sentences at one point


class PointText:
    """The sentences of one point's result, given the players' names and strategies."""

    def __init__(
        self, names: tuple[str, str], strategies: tuple[Sequence[str], Sequence[str]]
    ) -> None:
        self.names = names
        self.strategies = strategies

    def who(self, player: int, *, start: bool = False) -> str:
        """A player's name as a subject."""
        return subject(self.names[player], start=start)

    def cell(self, row: int, col: int) -> str:
        """``Ease / Resume``."""
        return f"{self.strategies[0][row]} / {self.strategies[1][col]}"

    def deal(self, result: RepeatedResult) -> str:
        """``The deal: the United States plays Ease and China plays Resume.``"""
        r, c = result.deal
        return (
            f"The deal: {self.who(0)} plays {self.strategies[0][r]} and {self.who(1)} plays "
            f"{self.strategies[1][c]}."
        )

    def discount(self, result: RepeatedResult) -> str | None:
        """The discount per period and where it comes from."""
        if result.discount is None:
            return None
        text = f"Discount per period: {amount(result.discount)}"
        if result.design is not None:
            days, rate, renewal = result.design.scalars()
            text += (
                f" (a review every {number(float(days))} days, a {probability(float(rate))} "
                f"annual discount rate and a {probability(float(renewal))} chance that each "
                "review renews the truce)"
            )
        return text + "."

    def punishment(self, facts: PunishmentFacts) -> str:
        """Which punishment follows a deviation by ``facts.deviator``."""
        cell = facts.cell
        where = self.cell(*cell) if cell is not None else "a mixed stage equilibrium"
        kind = {
            "worst_equilibrium": f"the one-shot equilibrium worst for {self.who(facts.deviator)}",
            "cell": "the outcome the scenario names",
            "profile": "the stage equilibrium the scenario names",
        }[facts.kind]
        return where + f" ({kind})"

    def player(self, result: RepeatedResult, player: int) -> str:
        """The one-period gain from the best deviation and the per-period loss under grim
        punishment (the punishment's stage payoff)."""
        dev = result.deviations[player]
        facts = result.punishments[player]
        own = self.strategies[player][dev.best_deviation]
        loss = dev.deal_payoff - facts.payoffs[player]
        if dev.gain > 0:
            gain = f"gains {amount(dev.gain)} for one period by switching to {own}"
        elif dev.gain == 0:
            gain = f"gains nothing by switching to {own}"
        else:
            gain = f"would lose {amount(-dev.gain)} by switching to {own}, so it is not tempted"
        if loss > 0:
            hurt = f"costs it {amount(loss)} per period against the deal"
        else:
            hurt = (
                f"gives it at least as much as the deal ({amount(-loss)} more per period), so it "
                "is no threat"
            )
        return (
            f"{self.who(player, start=True)} {gain}; the punishment, "
            f"{self.punishment(facts)}, {hurt}."
        )

    def strategy(self, result: RepeatedResult, s: StrategyResult) -> list[str]:
        """What one strategy needs, whose condition binds and whether the deal holds."""
        title = capital(strategy_title(s.strategy))
        lines = []
        if s.case.slug == "no_credible_threat":
            failing = join_and([self.who(p) for p in s.binding]) or "one side"
            lines.append(
                f"{title}: no credible threat. The punishment does not hurt {failing} enough, "
                "so no discount sustains the deal."
            )
        elif s.critical_discount is None:
            lines.append(f"{title}: no discount below 1 sustains the deal.")
        elif s.critical_discount == 0:
            lines.append(f"{title}: the deal holds at any discount (no side is tempted).")
        else:
            binding = join_and([self.who(p) for p in s.binding])
            lines.append(
                f"{title}: the deal holds for every discount from {amount(s.critical_discount)} "
                f"up; {possessive(binding)} condition binds: it must value next period at least "
                f"{amount(s.critical_discount)} as much as today."
            )
        if s.holds is not None and result.discount is not None:
            verdict = "holds" if s.holds else "fails"
            lines[-1] = lines[-1] + (
                f" At this truce's discount, {amount(result.discount)}, it {verdict}."
            )
        if s.max_period_days is not None or s.min_renewal is not None:
            lines.append(self.slack(s))
        if s.subgame_perfect is False and s.holds:
            lines.append(
                f"{capital(strategy_title(s.strategy))} is a Nash equilibrium here, but not "
                "subgame perfect: after some history a side gains by not carrying out the "
                "punishment."
            )
        return lines

    def slack(self, s: StrategyResult) -> str:
        """The longest review period and the lowest renewal probability that keep the deal."""
        parts = []
        days = s.max_period_days
        if days is not None and math.isinf(days):
            parts.append("any review period")
        elif days is not None:
            years = float(days) / 365.25
            # in years too when it runs past any review a truce would have
            about = f" (about {number(round(years))} years)" if years >= 2 else ""
            parts.append(f"review periods up to {number(float(days))} days{about}")
        else:
            parts.append("no review period (the renewal chance is too low)")
        if s.min_renewal is not None:
            parts.append(f"renewal probabilities down to {probability(float(s.min_renewal))}")
        return f"With this truce design the deal survives {join_and(parts)}."

    def metagame(self, meta: Metagame) -> str:
        """The (Grim, Always defect) metagame's equilibria in words."""
        names = ("Grim", "Always defect")
        found = []
        for e in meta.equilibria:
            if max(e.row) == 1 and max(e.col) == 1:
                found.append(f"({names[e.row.index(1)]}, {names[e.col.index(1)]})")
            else:
                found.append(
                    f"a mixed one ({self.who(0)} plays Grim with probability "
                    f"{probability(float(e.row[0]))}, {self.who(1)} with "
                    f"{probability(float(e.col[0]))})"
                )
        verdict = (
            "cooperation is an equilibrium"
            if meta.cooperation_is_equilibrium
            else "cooperation is not an equilibrium"
        )
        return (
            f"The metagame (Grim or Always defect, at the discount {amount(meta.discount)}) has "
            f"{len(found)} equilibri{'um' if len(found) == 1 else 'a'}: {join_and(found)}; "
            f"{verdict}."
        )

    def horizon(self, result: RepeatedResult) -> str | None:
        """With a known end date: whether the deal unravels, or in which rounds it can hold."""
        h = result.horizon
        if h is None:
            return None
        if h.deal_is_stage_equilibrium:
            return (
                f"With a known end after {h.horizon} rounds the deal is a one-shot equilibrium "
                "and can be played in every round."
            )
        if h.unravels:
            return (
                f"With a known end after {h.horizon} rounds the deal unravels: the stage game "
                "has a single equilibrium, so the last round is played as one-shot, then the "
                "one before it, and so on back to the first (backward induction)."
            )
        if h.deal_rounds == 0:
            return (
                f"With a known end after {h.horizon} rounds the deal cannot be played in any "
                "round: the reward left in the last rounds is too small to deter a deviation."
            )
        return (
            f"With a known end after {h.horizon} rounds the deal can hold in rounds 1 to "
            f"{h.deal_rounds}; the last {h.tail_rounds} are played as one-shot equilibria that "
            "reward keeping the deal (Benoit and Krishna 1985)."
        )

    def verdict(self, result: RepeatedResult) -> str:
        """One sentence: does the deal hold under the primary strategy, and why."""
        s = result.strategies[0]
        title = strategy_title(s.strategy)
        deal = self.cell(*result.deal)
        if s.case.slug == "no_credible_threat":
            failing = join_and([self.who(p) for p in s.binding]) or "one side"
            return (
                f"Under {title} the deal {deal} cannot hold at any discount: the punishment "
                f"does not hurt {failing} (no credible threat)."
            )
        if s.critical_discount is None:
            return f"Under {title} no discount below 1 sustains the deal {deal}."
        binding = join_and([self.who(p) for p in s.binding])
        why = f" ({possessive(binding)} condition binds)" if binding else ""
        star = amount(s.critical_discount)
        if result.discount is None:
            return f"Under {title} the deal {deal} holds for every discount from {star} up{why}."
        delta = amount(result.discount)
        if s.holds:
            return (
                f"Under {title} the deal {deal} holds: the discount per period, {delta}, is at "
                f"least the critical discount {star}{why}."
            )
        return (
            f"Under {title} the deal {deal} fails: the discount per period, {delta}, is below "
            f"the critical discount {star}{why}."
        )

    def lines(self, result: RepeatedResult) -> list[str]:
        """Every sentence of the result, in reading order (without a heading)."""
        out = [self.verdict(result), self.deal(result)]
        discount = self.discount(result)
        if discount:
            out.append(discount)
        out.extend(self.player(result, p) for p in (0, 1))
        for s in result.strategies:
            out.extend(self.strategy(result, s))
        if result.metagame is not None:
            out.append(self.metagame(result.metagame))
        horizon = self.horizon(result)
        if horizon:
            out.append(horizon)
        return out

    def warnings(self, result: RepeatedResult) -> list[str]:
        """A punishment that is not a stage equilibrium makes the threat not subgame perfect."""
        out = []
        for facts in result.punishments:
            if not facts.is_equilibrium:
                out.append(
                    f"the punishment after a deviation by {self.who(facts.deviator)} "
                    f"({self.cell(*facts.cell) if facts.cell else 'a mix'}) is not a one-shot "
                    "equilibrium, so the trigger strategies are not subgame perfect: a side "
                    "would gain by not carrying the punishment out"
                )
        return out
