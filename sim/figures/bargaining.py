"""The 1-D sweep figure of the bargaining analysis: the split of the gains, not every number.

Two panels along the swept parameter: the side payment from the first side to the second
(under transferable utility) or each side's payoff (on a hull of outcomes), and the first side's
share of the gains. One line per solution concept, styled by the concept
(:mod:`sim.figures.identity` keeps one style per identity across figures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.games.bargaining_types import CONCEPTS
from sim.words.bargaining import CONCEPT_NAMES
from sim.words.phrases import capital, possessive, subject

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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


def feasible_set_figure(point: Any) -> Figure:
    """The feasible set at one point: the game's outcomes (or the side-payment line), the Pareto
    frontier, the threat point and each solution, one marker style per solution concept (the
    identities of :func:`split_lines`, so sweep and point figures agree)."""
    from matplotlib.figure import Figure

    from sim.figures.identity import Identities

    r = point.result
    names = [capital(subject(n)) for n in point.player_names]
    identities = Identities()
    identities.add_lines((k, ("bargaining", c)) for k, c in enumerate(CONCEPTS))
    fig = Figure(figsize=(9.0, 7.5), layout="constrained")
    ax = fig.add_subplot()
    frontier = [(float(u), float(v)) for u, v in r.frontier]
    if r.kind == "hull" and r.cells is not None:
        A, B = point.outcomes
        ax.scatter(A, B, color="0.55", marker="s", s=30, zorder=2, label="outcomes of the game")
        for (i, j), x, y in zip(r.cells, A, B, strict=True):
            ax.annotate(
                f"{point.strategies[0][i]} / {point.strategies[1][j]}",
                (x, y),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize="small",
                color="0.3",
            )
    xs, ys = zip(*frontier, strict=True)
    ax.plot(xs, ys, color="black", linewidth=2, zorder=3, label="Pareto frontier")
    if r.kind != "hull" and point.deal_cell is not None:
        # the deal as the game pays it, before any side payment moves it along the line
        i, j = point.deal_cell
        k = i * len(point.strategies[1]) + j
        deal = (float(point.outcomes[0][k]), float(point.outcomes[1][k]))
        ax.scatter(
            [deal[0]],
            [deal[1]],
            color="0.35",
            marker="s",
            s=50,
            zorder=4,
            label=f"the deal with no side payment ({point.strategies[0][i]} / "
            f"{point.strategies[1][j]})",
        )
    d = (float(r.disagreement[0]), float(r.disagreement[1]))
    ax.scatter([d[0]], [d[1]], color="black", marker="X", s=90, zorder=5, label="threat point")
    seen: dict[tuple[float, float], int] = {}
    for s in r.solutions:
        xy = (float(s.payoffs[0]), float(s.payoffs[1]))
        style = identities.line_style(("bargaining", s.concept))
        # a solution at the same place as an earlier one is drawn as a larger outline
        # around it, so that every solution stays visible
        k = seen.get(xy, 0)
        seen[xy] = k + 1
        ax.scatter(
            [xy[0]],
            [xy[1]],
            s=120 + 130 * k,
            marker=style["marker"],
            facecolors=style["color"] if k == 0 else "none",
            edgecolors="white" if k == 0 else style["color"],
            linewidths=1.0 if k == 0 else 2.0,
            zorder=6 + k,
            label=capital(CONCEPT_NAMES[s.concept]),
        )
    ax.set_xlabel(f"{names[0]}: payoff", usetex=False)
    ax.set_ylabel(f"{names[1]}: payoff", usetex=False)
    ax.set_title(
        "What each side can get: the frontier, the threat point and the bargaining solutions",
        loc="left",
    )
    ax.grid(True, alpha=0.3)
    ax.margins(0.15)
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, fontsize="small")
    for handle in legend.legend_handles:  # outlines drawn larger on the plot, one size here
        if handle is not None and hasattr(handle, "set_sizes"):
            handle.set_sizes([60])
    return fig
