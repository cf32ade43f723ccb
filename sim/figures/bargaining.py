"""The 1-D sweep figure of the bargaining analysis: the split of the gains, not every number.

Two panels along the swept parameter: the side payment from the first side to the second
(under transferable utility) or each side's payoff (on a hull of outcomes), and the first side's
share of the gains. One line per solution concept, styled by the concept
(:mod:`sim.figures.identity` keeps one style per identity across figures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.games.bargaining_types import CONCEPTS
from sim.words.bargaining import CONCEPT_NAMES
from sim.words.phrases import capital, possessive, subject

if TYPE_CHECKING:
    from sim.figures.panels import LinePlot
    from sim.sweeps.result import AnalysisSweep

#: Under transferable utility these solutions all split the gains equally (the Nash one).
EQUAL_SPLIT = ("kalai_smorodinsky", "egalitarian")


def split_lines(part: AnalysisSweep) -> LinePlot:
    """Side payments and the first side's share of the gains (transferable utility), or each
    side's payoff and the first side's gain (a hull of outcomes), per concept."""
    from sim.figures.panels import LegendEntry, LinePlot, Panel, Series

    x = part.axes[0].values
    values = part.values
    transferable = "total_gains" in values
    concepts = [c for c in CONCEPTS if f"{c}_payoff_0" in values]
    if transferable:
        concepts = [c for c in concepts if c not in EQUAL_SPLIT]
    first, second = (subject(p.name) for p in part.info.players)

    def series(suffix: str) -> tuple[Series, ...]:
        return tuple(
            Series(("bargaining", c), x, values[f"{c}_{suffix}"], phase=k)
            for k, c in enumerate(concepts)
        )

    top: tuple[Panel, ...]
    if transferable:
        top = (
            Panel(
                "bargaining:transfer",
                f"Side payment from {first} to {second} (negative: {second} pays)",
                None,
                series("transfer"),
            ),
        )
    else:
        top = (
            Panel(
                "bargaining:payoff_0",
                f"{capital(possessive(first))} payoff",
                None,
                series("payoff_0"),
            ),
            Panel(
                "bargaining:payoff_1",
                f"{capital(possessive(second))} payoff",
                None,
                series("payoff_1"),
            ),
        )
    share = (
        Panel(
            "bargaining:share_0",
            f"{capital(possessive(first))} share of the gains from agreement",
            None,
            series("share_0"),
            ylim=(0.0, 1.0),
        )
        if transferable
        else Panel(
            "bargaining:gains",
            f"{capital(possessive(first))} gain over the threat point",
            None,
            series("gain_0"),
        )
    )

    def text(concept: str) -> str:
        name = capital(CONCEPT_NAMES[concept])
        if transferable and concept == "nash":
            return f"{name} (also Kalai-Smorodinsky and egalitarian: equal split)"
        return name

    return LinePlot(
        what="the split of the gains",
        columns=((*top, share),),
        legend_title="Solution",
        legend=tuple(LegendEntry(("bargaining", c), text(c)) for c in concepts),
    )
