"""The game-type analysis' 1-D figure: each side's payoff in each of the four outcomes.

A 2x2 game's ordinal type changes exactly where two of one side's four payoffs cross, so the
figure draws those lines: one panel per side, one line per outcome. Each outcome keeps the
identity (colour, marker, line style) it has as a pure equilibrium in the Nash figure, so a
reader can follow it from one figure to the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.figures.panels import LegendEntry, LinePlot, Panel, Series
from sim.words.phrases import capital, possessive

if TYPE_CHECKING:
    from sim.sweeps.result import AnalysisSweep

CELLS = ((0, 0), (0, 1), (1, 0), (1, 1))


def value_key(player: int, row: int, column: int) -> str:
    """Key of a payoff among the analysis' continuous values: ``payoff_0_1_0``."""
    return f"payoff_{player}_{row}_{column}"


def outcome_payoff_lines(part: AnalysisSweep) -> LinePlot:
    """One panel per side with its payoff in each outcome along the sweep."""
    info = part.info
    rows, cols = info.players[0].strategies, info.players[1].strategies
    x = part.axes[0].values

    def identity(i: int, j: int) -> tuple[str, str]:
        # The identity of the pure equilibrium i / j in the Nash figure.
        return ("equilibrium", f"{rows[i]} / {cols[j]}")

    panels = []
    for p, player in enumerate(info.players[:2]):
        series = tuple(
            Series(identity(i, j), x, part.values[value_key(p, i, j)], phase=k)
            for k, (i, j) in enumerate(CELLS)
        )
        panels.append(
            Panel(
                key=f"payoffs:{player.id}",
                title=capital(f"{possessive(player.name)} payoff in each outcome"),
                ylabel=None,
                series=series,
            )
        )
    legend = tuple(LegendEntry(identity(i, j), f"{rows[i]} / {cols[j]}") for i, j in CELLS)
    return LinePlot(
        what="game type",
        columns=(tuple(panels),),
        legend_title="Outcomes (the type changes where two of one side's lines cross)",
        legend=legend,
    )
